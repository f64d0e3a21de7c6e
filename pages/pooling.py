"""Pooling (d2l 7.5): max and average windows, the default stride, ceil_mode's extra window,
adaptive bins and where max pooling's gradient goes, checked against PyTorch's layers."""

import streamlit as st
import torch

import convlab
from ui import frame
from ui.i18n import t
from ui.lessons import pooling_pictures as pictures
from ui.lessons import pooling_view as view


def lesson(page: frame.Frame) -> None:
    # ---- the layer and its input: beside the picture ---------------------------------------
    kind = page.choice("kind")
    row = page.control_row()
    for name in ("c", "h", "w"):
        page.number(name, container=row)
    adaptive = kind.startswith("adaptive")
    if adaptive:
        row = page.control_row()
        page.number("oh", container=row)
        page.number("ow", container=row)
    else:
        row = page.control_row()
        page.number("kh", container=row)
        page.number("kw", container=row)
        if page.toggle("sdef"):  # the stride follows the window, shown as such
            page["sh"], page["sw"] = page["kh"], page["kw"]
        row = page.control_row()
        for name in ("sh", "sw"):
            page.number(name, container=row, disabled=page["sdef"])
        row = page.control_row()
        page.number("ph", container=row)
        page.number("pw", container=row)
        page.toggle("ceil")
        if kind == "avg":
            page.toggle("cip")
            page.number("div")
        else:
            page.number("dh")
            page.number("dw")
    page.choice("data")
    v = page.values
    X = view.input_tensor(v)
    kw = view.layer_kwargs(v)

    # ---- compute (or explain the refusal) --------------------------------------------------
    with page.stage:
        result = view.attempt(page, X, kind, kw)
    if result is None:
        page.stop()
    Y = result.Y.numpy()
    axes = result.windows.axes
    truth = Y.shape[-2:]
    page.predict(t("pool.predict_size"), truth, convlab.pool_size_slips(axes) if axes else {})
    row = frame.row()
    row.metric(t("pool.out_shape"), " × ".join(map(str, Y.shape)))

    # ---- the picture: each output's window, channel by channel ----------------------------
    with page.stage:
        st.subheader(t("pool.picture"))
        st.caption(t("pool.caption_adaptive" if adaptive else "pool.caption_max"
                     if kind == "max" else "pool.caption_avg"))
    done = result

    def picture(cell: tuple[int, int]) -> None:
        text, slips = pictures.window_sum(done, X, kind, kw, 0, cell)
        y = float(Y[0, cell[0], cell[1]])
        view.predict_value(page, t("pool.predict_value", i=cell[0], j=cell[1]), y, slips)
        page.explore(pictures.explorer_data(done, X, kind, kw, cell))
        st.metric(t("pool.value", i=cell[0], j=cell[1]), f"{y:.4g}")
        st.markdown(t("pool.arith", i=cell[0], j=cell[1]))
        st.code(text, language="text", wrap_lines=True)

    page.picking(Y.shape[-2], Y.shape[-1], picture)

    # ---- the arithmetic: the formula and ceil_mode, or the adaptive bins -------------------
    if axes is not None:
        st.subheader(t("pool.formula"))
        st.latex(view.formula(axes))
        if "stride" not in kw:
            st.caption(t("pool.stride_default", s=kw["kernel_size"]))
        pictures.ceil_part(page, axes)
    else:
        pictures.bins_part(page, result, v)
    if result.grad is not None:
        pictures.gradient_part(page, result)

    page.check(result.checks, t("pool.check_note"))
    page.code(convlab.pool_script(torch.from_numpy(X), kind, kw))
    page.finish()


frame.lesson(view.LESSON, lesson)
