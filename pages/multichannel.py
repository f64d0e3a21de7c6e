"""Multiple input and output channels: d2l's lesson, every number checked against PyTorch."""

import streamlit as st
import torch

import convlab
from ui import frame
from ui.decoders import tensor_text as tt
from ui.i18n import t
from ui.lessons import multichannel_view as view


def lesson(page: frame.Frame) -> None:
    page.button("reroll", view.reroll, icon=":material/casino:")

    # ---- the input, the layer, the tensors ---------------------------------------------------
    for pair in (view.INPUT[:2], view.INPUT[2:]):  # channels, then sizes, side by side
        row = page.control_row()
        for name in pair:
            page.number(name, container=row)
    conv = page.conv2d(page["cin"], page["cout"])
    flip = page.toggle("flip")
    o = page.slider("o", 0, page["cout"] - 1)
    v = page.values
    k_in = view.kernel_in(v)
    X, K, b = view.tensors(v, k_in)
    editor = page.section("edit", t("mc.edit"), icon=":material/edit:")
    if editor is not None:
        with editor:
            X, K, b = view.edit_tensors(page, X, K, b, o, v["bias"])
    page["X"], page["K"], page["b"] = tt.encode(X), tt.encode(K), tt.encode(b)

    # ---- compute (or explain the refusal) --------------------------------------------------------
    input_shape = (1, v["cin"], v["h"], v["w"])
    if conv.error is not None:
        with page.stage:
            page.refuse(conv.error, conv.oracle(input_shape))
        page.stop()
    conv_args = {k: conv.kwargs[k] for k in ("stride", "padding", "dilation")}
    with page.stage, st.spinner(t("mc.computing")):
        result = page.attempt(view.compute, page["X"], page["K"], page["b"] if v["bias"] else None,
                              tuple(conv_args.items()), v["groups"], flip, page.device,
                              oracle=conv.oracle(input_shape))
    if result is None:
        page.stop()

    # ---- one output channel, input channel by input channel: the picture ------------------------
    Y = result.Y.numpy()
    page.stage.subheader(t("mc.walkthrough", o=o))
    done = result  # the fragment keeps this run's result
    page.picking(Y.shape[1], Y.shape[2],
                 lambda cell: view.walkthrough(page, done, X, b, o, cell, conv_args))

    # ---- every output channel, and the wiring -----------------------------------------
    if v["cout"] > 1:
        st.subheader(t("mc.all_outputs"))
        view.all_outputs(page, Y)
    if v["groups"] > 1:
        view.wiring(page, v["cin"], v["cout"], v["groups"], k_in)

    page.check(result.checks, t("mc.check_note") if len(result.checks) > 1
               else t("mc.check_note_noloop"))
    page.code(convlab.conv2d_forward_script(
        torch.from_numpy(X), torch.from_numpy(K), torch.from_numpy(b) if v["bias"] else None,
        groups=v["groups"], flip=flip, **conv_args))
    page.finish()


frame.lesson(view.LESSON, lesson)
