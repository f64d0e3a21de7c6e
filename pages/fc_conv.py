"""Fully-connected ≡ convolution, both ways, with the study notes' exact numbers."""

import streamlit as st

from ui import frame
from ui.i18n import t
from ui.lessons import fc_conv_view as view


def lesson(page: frame.Frame) -> None:
    # ---- 1. fully connected -> convolution: the preset beside its picture ---------------------
    forms = view.forms(page["preset"], page.device)
    c, h, w = forms.input_shape
    n, o = forms.weight.shape[1], forms.weight.shape[0]
    with page.stage:
        st.header(t("fc.part1"))
        st.caption(t("fc.part1_caption", c=c, h=h, w=w, n=n, o=o))
        view.weight_mapping(page, forms)
    page.predict(t("fc.predict"), (float(forms.outputs["linear"][0]),),
                 {"no_bias": (forms.no_bias,)})
    if forms.relu:
        st.info(t("fc.relu_note"), icon=":material/info:")
    page.table(view.outputs_table(forms.outputs))
    page.check(forms.checks)
    view.codes(page, page["preset"])
    # Sections 2 and 3 each change alone: a widget in one reruns that one.
    page.part(lambda: conv_to_linear(page))
    page.part(lambda: sliding(page))
    page.finish()


def conv_to_linear(page: frame.Frame) -> None:
    """2. convolution -> fully connected: any small Conv2d as the Linear it equals."""
    st.header(t("fc.part2"))
    st.caption(t("fc.part2_caption"))
    row = frame.row()
    for name in view.INPUT:
        page.number(name, container=row, disabled=name == "w" and page["lock"])
    conv = page.conv2d(page["cin"], page["cout"], container=frame.row(border=True))
    shape = (page["cin"], page["h"], page["w"])
    unrolled = None
    if conv.error is not None:
        page.refuse(conv.error, conv.oracle((1, *shape)))
    else:
        unrolled = page.attempt(view.unroll, conv.kwargs, shape, page["seed"], page.device,
                                oracle=conv.oracle((1, *shape)))
    if unrolled is not None:
        view.unrolled_picture(page, unrolled, conv.kwargs, shape)
        page.check([unrolled.check])
    view.growth(page, page["cin"], page["cout"], (page["kh"], page["kw"]))


def sliding(page: frame.Frame) -> None:
    """3. the converted layer slid over a larger input: the FC layer on every crop."""
    st.header(t("fc.part3"))
    st.caption(t("fc.part3_caption"))
    extra = page.slider("extra", 0, 6, container=st.container())
    Y, crops = view.slide(page["preset"], extra, page["seed"], page.device)
    view.output_maps(page, Y)
    page.check([crops], t("fc.check_note", n=(extra + 1) ** 2))


frame.lesson(view.LESSON, lesson)
