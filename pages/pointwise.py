"""1×1 convolution as a matrix multiply: a fully-connected layer at every pixel."""

import streamlit as st

import convlab
from ui import frame
from ui.i18n import t
from ui.lessons import pointwise_view as view


def lesson(page: frame.Frame) -> None:
    for pair in (("cin", "cout"), ("h", "w")):
        row = page.control_row()
        for name in pair:
            page.number(name, container=row)
    for name in ("n", "seed"):
        page.number(name)  # "More settings"
    page.toggle("bias")
    v = page.values
    X, K, bias = view.tensors(v)
    img = page.slider("img", 0, v["n"] - 1)
    with st.spinner(t("pw.computing")):
        result = view.checks(v["cin"], v["cout"], v["h"], v["w"], v["n"], v["seed"],
                             v["bias"], page.device)
    Y = result.Y  # (N, C_out, H, W)
    page.predict(*view.shape_question(v, tuple(Y.shape)))

    # ---- the reshape: K @ X is the whole layer (the picture, beside the controls) -----------
    oi, oj = page.pick_cell(v["h"], v["w"])
    with page.stage:
        st.subheader(t("pw.reshape"))
        st.latex(r"\underbrace{Y}_{(C_{out},\,H\cdot W)} = \underbrace{K}_{(C_{out},\,C_{in})}"
                 r"\;\underbrace{X}_{(C_{in},\,H\cdot W)}")
        view.reshape_picture(page, X[img].reshape(v["cin"], -1).numpy(),
                             K.reshape(v["cout"], v["cin"]).numpy(),
                             Y[img].reshape(v["cout"], -1).numpy(), oi * v["w"] + oj)

    # ---- one pixel: a fully-connected layer -----------------------------------------------------
    st.subheader(t("pw.pixel", i=oi, j=oj))
    pixel = convlab.pixel_as_linear(X, K, bias, oi, oj, n=img)
    st.markdown(t("pw.pixel_text", x=", ".join(f"{x:.3f}" for x in pixel.x.tolist())))
    page.table(view.pixel_table(pixel, result.linear[img, :, oi, oj]))

    # ---- why 1×1 layers, and how fast -----------------------------------------------------------
    st.subheader(t("pw.why"))
    view.costs(page, v["cin"], v["cout"], v["h"], v["w"])
    st.subheader(t("pw.timing"))
    st.caption(t("pw.timing_caption", device=page.device))
    page.on_demand("run_timing", view.run_timing, view.SWEEP, page.device,
                   show=lambda run: view.timing_chart(page, run))

    view.d2l_check(result)
    page.check(result.checks, t("pw.check_note"))
    page.code(convlab.pointwise_code(v["cin"], v["cout"], v["h"], v["w"], v["n"], v["seed"],
                                     v["bias"]))
    page.finish()


frame.lesson(view.LESSON, lesson)
