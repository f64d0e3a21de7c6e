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
    axes: tuple[convlab.AxisArithmetic, ...] | None = None
    with page.stage:
        if dims == 2:
            if conv.spec is not None:
                axes = page.attempt(conv.spec.explain, input_shape,
                                    oracle=conv.oracle(input_shape))
            if conv.error is not None:
                page.refuse(conv.error, conv.oracle(input_shape))
        else:
            axes = page.attempt(view.explain_nd, dims, conv.kwargs, input_shape,
                                oracle=conv.oracle(input_shape))

    # ---- the numbers ----------------------------------------------------------------------------
    if axes:
        verdict = page.torch_verdict(conv.oracle(input_shape))
        outputs = tuple(a.output for a in axes)
        out_shape = (v["n"], v["cout"], *outputs)
        kernel = tuple(a.kernel for a in axes)
        weight = convlab.weight_shape_nd(v["cin"], v["cout"], v["groups"], kernel)
        page.predict(t({1: "os.predict_1d", 2: "os.predict", 3: "os.predict_3d"}[dims]),
                     outputs, convlab.output_size_slips(axes))
        row = page.row()
        row.metric(t("os.out_shape"), " × ".join(map(str, out_shape)))
        row.metric(t("os.weight_shape"), " × ".join(map(str, weight)))
        params = convlab.num_parameters_nd(v["cin"], v["cout"], v["groups"], kernel, v["bias"])
        row.metric(t("count.params"), f"{params:,}")
        macs = convlab.macs_nd(v["cin"], v["groups"], kernel, out_shape)
        row.metric(t("count.macs"), f"{macs:,}")

        # ---- the picture: where each window reads (a 1-D row, a 3-D layer's H x W plane) -----
        drawn = (conv.spec, (v["h"], v["w"])) if dims == 2 else view.plane(axes, v["mode"])
        with page.stage:
            st.subheader(t("os.picture"))
            st.caption(t({1: "os.picture_1d", 2: "os.picture_caption", 3: "os.picture_3d"}[dims]))
            if drawn is None:
                st.info(t("os.picture_too_long", n=axes[-1].padded, max=view.MAX_STRIP))
        if drawn is not None:
            spec, size = drawn
            assert spec is not None

            def picture(cell: tuple[int, int]) -> None:
                page.explore(view.explorer_data(spec, size, cell))
                coverage = page.section("coverage", t("os.coverage"))
                if coverage is not None:
                    pic = convlab.Conv2dSpec(1, 1, spec.kernel_size, spec.stride, spec.padding,
                                             spec.dilation, padding_mode=spec.padding_mode,
                                             ).window_picture(size)
                    page.picture([grids.coverage(pic, t("os.coverage"), t("os.role.coverage"),
                                                 charts.role_labels())], container=coverage)
                    coverage.caption(t("os.coverage_caption"))

            out = convlab.explain_output_size(size, spec.kernel_size, spec.stride,
                                              spec.padding, spec.dilation)
            page.picking(out[0].output, out[1].output, picture)

        st.subheader(t("os.formula"))
        st.latex(view.formula_block(axes))
        st.caption("  \n".join(view.floor_note(axis, name) for axis, name in zip(
            axes, view.axis_words(dims), strict=True)))
        if v["pad"] == "same" and any(a.pad_before != a.pad_after for a in axes):
            st.info(t("os.same_uneven"))
        module = f"nn.Conv{dims}d"
        if verdict.output_shape is None:
            results = [convlab.CheckResult("formula", "torch_refuses", verdict.device,
                                           verdict.dtype, float("inf"), False,
                                           verdict.error or "",
                                           (("module", module), ("shape", out_shape)))]
        else:
            results = [convlab.compare_shapes("formula", out_shape, "module",
                                              verdict.output_shape, verdict.device,
                                              verdict.dtype, args={"module": module})]
        page.check(results, t("os.check_note", ms=f"{verdict.seconds * 1000:.1f}"))

    page.code(convlab.conv2d_shape_script(conv.kwargs, input_shape, dims))
    if dims == 2 and conv.spec is not None:
        twins_view.twin_layers_section(page, conv.kwargs, input_shape)
    page.finish()


frame.lesson(view.LESSON, lesson)
