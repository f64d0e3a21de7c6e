"""Conv2d output-size arithmetic: the formula, step by step, checked against nn.Conv2d."""

import streamlit as st

import convlab
from ui import charts, frame, grids
from ui import output_size_view as view
from ui.i18n import t


def lesson(page: frame.Frame) -> None:
    # ---- the input and the layer ------------------------------------------------------------
    row = page.row()
    for name in view.INPUT:
        page.number(name, container=row, disabled=name == "w" and page["lock"])
    conv = page.conv2d(page["cin"], page["cout"])
    v = page.values
    input_shape = (v["n"], v["cin"], v["h"], v["w"])
    verdict = page.torch_verdict(conv.kwargs, input_shape)
    axes = conv.spec and page.attempt(conv.spec.explain, input_shape, conv_kwargs=conv.kwargs,
                                      input_shape=input_shape)
    if conv.error is not None:
        page.refuse(conv.error, conv.kwargs, input_shape)

    # ---- the numbers ----------------------------------------------------------------------------
    if conv.spec is not None and axes:
        h_ax, w_ax = axes
        spec = conv.spec
        out_shape = spec.output_shape(input_shape)
        page.predict(t("os.predict"), (h_ax.output, w_ax.output), convlab.output_size_slips(axes))
        row = page.row()
        row.metric(t("os.out_shape"), " × ".join(map(str, out_shape)))
        row.metric(t("os.weight_shape"), " × ".join(map(str, spec.weight_shape)))
        row.metric(t("count.params"), f"{spec.num_parameters:,}")
        row.metric(t("count.macs"), f"{spec.macs(input_shape):,}")

        st.subheader(t("os.formula"))
        st.latex(view.formula_block(axes))
        st.caption("  \n".join(view.floor_note(axis, name) for axis, name in zip(
            axes, (t("os.axis_h"), t("os.axis_w")), strict=True)))
        if spec.padding == "same" and (h_ax.pad_before, w_ax.pad_before) != (h_ax.pad_after,
                                                                            w_ax.pad_after):
            st.info(t("os.same_uneven"))
        if verdict.output_shape is None:
            results = [convlab.CheckResult("formula", "torch_refuses", verdict.device,
                                           verdict.dtype, float("inf"), False,
                                           verdict.error or "", (("shape", out_shape),))]
        else:
            results = [convlab.compare_shapes("formula", out_shape, "module",
                                              verdict.output_shape, verdict.device,
                                              verdict.dtype)]
        page.check(results, t("os.check_note", ms=f"{verdict.seconds * 1000:.1f}"))

        # ---- the picture: where each window reads --------------------------------------------
        st.subheader(t("os.picture"))
        st.caption(t("os.picture_caption"))

        def picture(cell: tuple[int, int]) -> None:
            pic = convlab.Conv2dSpec(1, 1, spec.kernel_size, spec.stride, spec.padding,
                                     spec.dilation, padding_mode=spec.padding_mode,
                                     ).window_picture((v["h"], v["w"]))
            labels = charts.role_labels()
            g1, g2 = st.columns([3, 2])
            page.picture([grids.padded_grid(pic, cell, labels, t("os.grid_title", mode=v["mode"]))],
                         container=g1)
            page.chart(charts.spec(charts.output_grid_chart,
                                   charts.output_grid_frame(h_ax.output, w_ax.output, cell),
                                   h_ax.output, w_ax.output, t("os.out_title"), labels), "pick",
                       picker=True, container=g2)
            g2.caption(t("os.click_hint"))
            coverage = page.section("coverage", t("os.coverage"))
            if coverage is not None:
                page.picture([grids.coverage(pic, t("os.coverage"), t("os.role.coverage"),
                                             labels)], container=coverage)
                coverage.caption(t("os.coverage_caption"))

        page.picking(h_ax.output, w_ax.output, picture)

    page.code(convlab.conv2d_shape_script(conv.kwargs, input_shape))
    page.finish()


frame.lesson("output_size", lesson, view.PARAMS, preset_values=view.preset_values, helps=view.HELPS)
