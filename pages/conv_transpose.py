"""Transposed convolution, read both ways: stamps of the kernel, and an ordinary
convolution of the zero-inserted input; output size, output_padding and the round trip,
the checkerboard; checked against F.conv_transpose2d."""

import streamlit as st

import convlab
from ui import frame
from ui.i18n import reason, t
from ui.lessons import conv_transpose_pictures as pictures
from ui.lessons import conv_transpose_view as view
from ui.pictures import grids
from ui.pictures.charts import cell_words


def lesson(page: frame.Frame) -> None:
    # ---- the input and the layer: beside the picture; the rest in "More settings" ----------
    locked = bool(page["lock"])
    row = page.control_row()
    page.number("h", container=row)
    page.number("w", container=row, disabled=locked)
    row = page.control_row()
    page.number("cin", container=row)
    page.number("cout", container=row)
    page.number("n")
    conv = page.conv2d(page["cin"], page["cout"], module="ConvTranspose2d")
    page.number("oph", label=t("ct.op") if locked else None)
    if not locked:
        page.number("opw")
    v = page.values
    kwargs = view.transpose_kwargs(conv.kwargs, v)
    input_shape = (v["n"], v["cin"], v["h"], v["w"])
    oracle = convlab.LayerOracle.of(conv.module, kwargs, input_shape)
    with page.stage:  # the one question to convlab: every number below is its answer
        layer = page.attempt(convlab.transpose_layer, kwargs, input_shape, oracle=oracle)
    if layer is None:
        page.code(convlab.conv_transpose2d_script(kwargs, input_shape))
        page.stop()
    spec, axes = layer.spec, layer.axes
    size = (v["h"], v["w"])
    h_ax, w_ax = axes
    X, K = view.matrix(v["X"], size), view.matrix(v["K"], spec.kernel_size)

    # ---- the numbers ------------------------------------------------------------------------
    page.predict(t("ct.predict"), (h_ax.output, w_ax.output), layer.slips())
    row = frame.row()
    row.metric(t("ct.out_shape"), " × ".join(map(str, layer.output_shape)))
    row.metric(t("ct.weight_shape"), " × ".join(map(str, layer.weight_shape)))
    row.metric(t("count.params"), f"{layer.parameters:,}")
    row.metric(t("count.macs"), f"{layer.macs:,}")

    # ---- X and K: numbered 1, 2, ..., or the learner's own ----------------------------------
    editor = page.section("edit", t("ct.edit"), icon=":material/edit:", opens_for=("d2l",))
    if editor is not None:
        with editor:
            st.caption(t("ct.edit_caption"))
            X = page.matrix("edX", X, "X")
            K = page.matrix("edK", K, "K")
    page["X"], page["K"] = view.matrix_text(X), view.matrix_text(K)

    # ---- the scatter view: each input cell stamps the kernel --------------------------------
    with page.stage:  # heading and caption as one element: one fewer to send per rerun
        st.markdown(f"### {t('ct.scatter')}\n\n{view.scatter_caption()}")
    page.picking(*layer.scatter_shape,
                 lambda cell: page.explore(view.scatter_data(spec, X, K, cell)))

    st.markdown(f"### {t('ct.formula')}\n\n$$\n{view.formula_block(axes)}\n$$")

    # ---- the same numbers as an ordinary convolution ----------------------------------------
    st.markdown(f"### {t('ct.direct')}\n\n" + t("ct.direct_caption", gaps=h_ax.stride - 1,
                                                   edge=h_ax.edge, op=h_ax.output_padding))
    pic = convlab.direct_picture(size, spec.kernel_size, spec.stride, spec.padding,
                                 spec.output_padding, spec.dilation)
    sliders = frame.row()
    cell = (page.slider("ri", 0, h_ax.output - 1, container=sliders),
            page.slider("rj", 0, w_ax.output - 1, container=sliders))
    words = cell_words()
    page.picture([pictures.direct_figure(pic, X, cell, t("ct.direct_title")),
                  grids.heatmap(K, t("ct.kernel_title"), words),
                  grids.heatmap(K[::-1, ::-1], t("ct.flipped_title"), words),
                  grids.heatmap(view.output(X, K, spec), t("ct.y_title"), words,
                                     highlight=[cell])])

    # ---- secondary, drawn only while open: the checkerboard and the round trip ------------
    overlap = page.section("overlap", t("ct.overlap"), icon=":material/grid_on:",
                           opens_for=("checkerboard",))
    if overlap is not None:
        with overlap:
            stamps = convlab.scatter_map(size, spec.kernel_size, spec.stride, spec.padding,
                                         spec.output_padding, spec.dilation)
            resized = convlab.resize_conv(size, spec.kernel_size, spec.stride, spec.dilation)
            page.picture([pictures.counts_figure(stamps.overlap, t("ct.overlap_title")),
                          pictures.counts_figure(resized.count,
                                             t("ct.resize_title", s=h_ax.stride))])
            st.caption(pictures.pattern_caption(stamps))

    trip = page.section("round_trip", t("ct.round_trip"), icon=":material/sync:",
                        opens_for=("round_trip",))
    if trip is not None:
        with trip:
            try:
                trips = pictures.round_trip_table(spec, size)
            except convlab.ConvConfigError as err:
                st.info(t("ct.rt_none", h=size[0], w=size[1], why=reason(err)))
            else:
                st.caption(t("ct.rt_caption", h=size[0], w=size[1]))
                page.table(trips)

    page.check(view.checks(tuple(kwargs.items()), input_shape, page.device),
               t("ct.check_note", device=page.device))
    page.code(convlab.conv_transpose2d_script(kwargs, input_shape))
    page.finish()


frame.lesson(view.LESSON, lesson)
