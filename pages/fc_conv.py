"""Fully-connected ≡ convolution, both ways, with the study notes' exact numbers."""

import streamlit as st

from ui import fc_conv_view as view
from ui import frame
from ui.i18n import t


def lesson(page: frame.Frame) -> None:
    # ---- 1. fully connected -> convolution ---------------------------------------------------
    st.header(t("fc.part1"))
    forms = view.forms(page["preset"], page.device)
    c, h, w = forms.input_shape
    n, o = forms.weight.shape[1], forms.weight.shape[0]
    st.caption(t("fc.part1_caption", c=c, h=h, w=w, n=n, o=o))
    page.predict(t("fc.predict"), (float(forms.outputs["linear"][0]),),
                 {"no_bias": (forms.no_bias,)})
    if forms.relu:
        st.info(t("fc.relu_note"), icon=":material/info:")
    page.table(view.outputs_table(forms.outputs))
    view.weight_mapping(page, forms)
    view.codes(page, page["preset"])

    # ---- 2. convolution -> fully connected ----------------------------------------------------
    st.header(t("fc.part2"))
    st.caption(t("fc.part2_caption"))
    row = page.row()
    for name in view.INPUT:
        page.number(name, container=row, disabled=name == "w" and page["lock"])
    conv = page.conv2d(page["cin"], page["cout"])
    shape = (page["cin"], page["h"], page["w"])
    unrolled = None
    if conv.error is not None:
        page.refuse(conv.error, conv.kwargs, (1, *shape))
    else:
        unrolled = page.attempt(view.unroll, conv.kwargs, shape, page["seed"], page.device,
                                conv_kwargs=conv.kwargs, input_shape=(1, *shape))
    if unrolled is not None:
        view.unrolled_picture(page, unrolled, conv.kwargs, shape)
    view.growth(page, page["cin"], page["cout"], (page["kh"], page["kw"]))

    # ---- 3. sliding: the converted layer on a larger input ------------------------------------
    st.header(t("fc.part3"))
    st.caption(t("fc.part3_caption"))
    extra = page.slider("extra", 0, 6)
    Y, crops = view.slide(page["preset"], extra, page["seed"], page.device)
    view.output_maps(page, Y)

    page.check([*forms.checks, *([unrolled.check] if unrolled else []), crops],
               t("fc.check_note", n=(extra + 1) ** 2))
    page.finish()


frame.lesson("fc_conv", lesson, view.PARAMS, preset_values=view.preset_values)
