"""Output-size arithmetic: the formula, step by step, checked against nn.Conv2d (and
nn.Conv1d / nn.Conv3d: the formula holds for each axis alone)."""

import streamlit as st

import convlab
from ui import frame
from ui.i18n import t
from ui.lessons import output_size_view as view
from ui.lessons import twins_view
from ui.pictures import charts, grids


def lesson(page: frame.Frame) -> None:
    # ---- the input and the layer: beside the picture; the rest in "More settings" ----------
    dims = int(page.choice("dims", width="stretch"))
    row = page.control_row()
    if dims == 1:
        page.number("l", container=row, label=t("os.length"))
    else:
        for name in ("t", "h", "w")[3 - dims:]:
            page.number(name, container=row, disabled=name == "w" and page["lock"])
    row = page.control_row()
    page.number("cin", container=row)
    page.number("cout", container=row)
    page.number("n")
    conv = page.conv2d(page["cin"], page["cout"], dims=dims)
    v = page.values
    input_shape = view.input_shape(v, dims)
    oracle = conv.oracle(input_shape)
    with page.stage:  # the one question to convlab: every number below is its answer
        layer = page.attempt(convlab.conv_layer, dims, conv.kwargs, input_shape, oracle=oracle)

    # ---- the numbers ----------------------------------------------------------------------------
    if layer is not None:
        verdict = frame.torch_verdict(oracle, page.device)
        page.predict(t({1: "os.predict_1d", 2: "os.predict", 3: "os.predict_3d"}[dims]),
                     layer.outputs, layer.slips())
        row = frame.row()
        row.metric(t("os.out_shape"), " × ".join(map(str, layer.output_shape)))
        row.metric(t("os.weight_shape"), " × ".join(map(str, layer.weight_shape)))
        row.metric(t("count.params"), f"{layer.parameters:,}")
        row.metric(t("count.macs"), f"{layer.macs:,}")

        # ---- the picture: where each window reads (a 1-D row, a 3-D layer's H x W plane) -----
        drawn = layer.plane(view.MAX_STRIP)
        with page.stage:
            st.subheader(t("os.picture"))
            st.caption(t({1: "os.picture_1d", 2: "os.picture_caption", 3: "os.picture_3d"}[dims]))
            if drawn is None and layer.crops:
                st.info(t("os.picture_crops", mode=layer.padding_mode))
            elif drawn is None:
                st.info(t("os.picture_too_long", n=layer.axes[-1].padded, max=view.MAX_STRIP))
        if drawn is not None:
            plane = drawn

            def picture(cell: tuple[int, int]) -> None:
                page.explore(view.explorer_data(plane.spec, plane.size, cell))
                coverage = page.section("coverage", t("os.coverage"))
                if coverage is not None:
                    pic = plane.spec.window_picture(plane.size)
                    page.picture([grids.coverage(pic, t("os.coverage"), t("os.role.coverage"),
                                                 charts.role_labels())], container=coverage)
                    coverage.caption(t("os.coverage_caption"))

            page.picking(*plane.out, picture)

        st.subheader(t("os.formula"))
        st.latex(view.formula_block(layer.axes))
        st.caption("  \n".join(view.floor_note(axis, name) for axis, name in zip(
            layer.axes, view.axis_words(dims), strict=True)))
        if v["pad"] == "same" and layer.uneven_padding:
            st.info(t("os.same_uneven"))
        module = f"nn.Conv{dims}d"
        if verdict.output_shape is None:
            results = [convlab.CheckResult("formula", "torch_refuses", verdict.device,
                                           verdict.dtype, float("inf"), False,
                                           verdict.error or "",
                                           (("module", module), ("shape", layer.output_shape)))]
        else:
            results = [convlab.compare_shapes("formula", layer.output_shape, "module",
                                              verdict.output_shape, verdict.device,
                                              verdict.dtype, args={"module": module})]
        page.check(results, t("os.check_note", ms=f"{verdict.seconds * 1000:.1f}"))

    page.code(convlab.conv2d_shape_script(conv.kwargs, input_shape, dims))
    if dims == 2 and layer is not None:
        twins_view.twin_layers_section(page, conv.kwargs, input_shape)
    page.finish()


frame.lesson(view.LESSON, lesson)
