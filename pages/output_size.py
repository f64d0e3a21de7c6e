"""Conv2d output-size arithmetic: the formula, step by step, checked against nn.Conv2d."""

import streamlit as st

import convlab
from ui import charts, output_size_view as view, panels, shell
from ui.i18n import t
from ui.urlstate import show_notices

shell.start()
state = view.page_state()
state.load()
P = view.PAGE

st.title(t("os.title"))
st.markdown(t("os.intro"))
show_notices(state)


# ---- a click on the output grid picks the window to draw (handled before the sliders) ----
picked = st.session_state.get(f"{P}.pick")
points = (picked or {}).get("selection", {}).get("cell", []) if picked else []
if points and points != st.session_state.get(f"{P}._last_pick"):
    st.session_state[f"{P}._last_pick"] = points
    state["oi"], state["oj"] = int(points[0]["row"]), int(points[0]["col"])

# ---- controls ------------------------------------------------------------------------------
# Labels looked up in dicts built now, not lambdas calling t() later: a format_func may be
# called outside the script run (AppTest does), where the language is not known.
preset_labels = {k: t(f"os.preset.{k}") for k in view.PRESETS}
st.selectbox(t("os.preset"), list(view.PRESETS), key=f"{P}.preset",
             format_func=preset_labels.get, on_change=view.apply_preset, args=(state,))
if state["lock"]:
    for a, b in view.LOCKED:
        state[b] = state[a]


def number(name: str, label: str, disabled: bool = False, help: str | None = None) -> None:
    lo, hi = view.BOUNDS[name]
    st.number_input(label, min_value=lo, max_value=hi, step=1, key=state.key(name),
                    disabled=disabled, on_change=view.mark_custom, help=help)


with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        number("n", t("os.n"))
        number("cin", t("os.cin"))
    with c2:
        number("h", t("os.h"))
        number("w", t("os.w"), disabled=state["lock"])
    with c3:
        number("cout", t("os.cout"))
        number("groups", t("os.groups"), help=t("os.groups_help"))
    with c4:
        st.toggle(t("os.lock"), key=state.key("lock"), help=t("os.lock_help"),
                  on_change=view.mark_custom)
        st.toggle(t("os.bias"), key=state.key("bias"), on_change=view.mark_custom)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        number("kh", t("os.kh"), help=t("os.zero_help"))
        number("kw", t("os.kw"), disabled=state["lock"])
    with c2:
        number("sh", t("os.sh"), help=t("os.zero_help"))
        number("sw", t("os.sw"), disabled=state["lock"])
    with c3:
        st.segmented_control(t("os.pad"), view.PAD_KINDS, key=state.key("pad"),
                             format_func={k: t(f"os.pad.{k}") for k in view.PAD_KINDS}.get,
                             required=True,
                             on_change=view.mark_custom)
        numeric = state["pad"] == "number"
        number("ph", t("os.ph"), disabled=not numeric, help=t("os.pad_help"))
        number("pw", t("os.pw"), disabled=state["lock"] or not numeric)
    with c4:
        number("dh", t("os.dh"), help=t("os.zero_help"))
        number("dw", t("os.dw"), disabled=state["lock"])
        st.selectbox(t("os.mode"), convlab.PADDING_MODES, key=state.key("mode"),
                     on_change=view.mark_custom)

# ---- compute ---------------------------------------------------------------------------------
v = state.values()
kwargs = view.conv_kwargs(v)
input_shape = (v["n"], v["cin"], v["h"], v["w"])
device = shell.device()


@st.cache_data(max_entries=256, show_spinner=False)
def torch_verdict(kw: tuple, shape: tuple, dev: str) -> convlab.TorchVerdict:
    return convlab.run_conv2d(dict(kw), shape, dev)


with st.spinner(t("os.running_torch")):
    verdict = torch_verdict(tuple(kwargs.items()), input_shape, str(device))
try:
    spec = convlab.Conv2dSpec(**kwargs)
    h_ax, w_ax = spec.explain(input_shape)
    error = None
except convlab.ConvConfigError as err:
    error = err

# ---- results -----------------------------------------------------------------------------------
if error is not None:
    panels.error_box(error, verdict.error)
    agree = verdict.error is not None
    panels.check_panel([convlab.CheckResult(
        t("os.check_refuses"), t("os.check_torch_refuses") if agree else
        t("os.check_torch_accepts", shape=verdict.output_shape), verdict.device, verdict.dtype,
        0.0 if agree else float("inf"), agree)])
else:
    out_shape = spec.output_shape(input_shape)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("os.out_shape"), " × ".join(map(str, out_shape)))
    m2.metric(t("os.weight_shape"), " × ".join(map(str, spec.weight_shape)))
    m3.metric(t("os.params"), f"{spec.num_parameters:,}")
    m4.metric(t("os.macs"), f"{spec.macs(input_shape):,}")

    st.subheader(t("os.formula"))
    st.latex(r"H_{\text{out}} = \left\lfloor \frac{H + p_{\text{before}} + p_{\text{after}}"
             r" - d\,(k-1) - 1}{s} \right\rfloor + 1")
    cols = st.columns(2)
    for col, axis, sym, name in ((cols[0], h_ax, "H", t("os.axis_h")),
                                 (cols[1], w_ax, "W", t("os.axis_w"))):
        with col:
            st.markdown(f"**{name}**")
            for line in view.formula_latex(axis, sym):
                st.latex(line)
            st.caption(view.floor_note(axis, name))
    if spec.padding == "same" and (h_ax.pad_before != h_ax.pad_after
                                   or w_ax.pad_before != w_ax.pad_after):
        st.info(t("os.same_uneven"))

    if verdict.output_shape is None:
        results = [convlab.CheckResult(t("os.check_formula", shape=out_shape),
                                       t("os.check_torch_refuses"), verdict.device,
                                       verdict.dtype, float("inf"), False, verdict.error or "")]
    else:
        results = [convlab.compare_shapes(t("os.check_formula", shape=out_shape), out_shape,
                                          t("os.check_module", shape=verdict.output_shape),
                                          verdict.output_shape, verdict.device, verdict.dtype)]
    panels.check_panel(results, t("os.check_note", ms=f"{verdict.seconds * 1000:.1f}"))

    # ---- the picture ---------------------------------------------------------------------------
    st.subheader(t("os.picture"))
    st.caption(t("os.picture_caption"))
    rows_out, cols_out = h_ax.output, w_ax.output
    state["oi"] = min(max(state["oi"], 0), rows_out - 1)
    state["oj"] = min(max(state["oj"], 0), cols_out - 1)
    s1, s2 = st.columns(2)
    if rows_out > 1:
        s1.slider(t("os.oi"), 0, rows_out - 1, key=state.key("oi"))
    if cols_out > 1:
        s2.slider(t("os.oj"), 0, cols_out - 1, key=state.key("oj"))
    oi, oj = state["oi"], state["oj"]
    spec_1 = convlab.Conv2dSpec(1, 1, spec.kernel_size, spec.stride, spec.padding,
                                spec.dilation, padding_mode=spec.padding_mode)
    index = convlab.window_index_map((v["h"], v["w"]), spec.kernel_size, spec.stride,
                                     spec.padding, spec.dilation)
    coverage = convlab.window_coverage((v["h"], v["w"]), spec.kernel_size, spec.stride,
                                       spec.padding, spec.dilation)
    labels = {k: t(f"os.role.{k}") for k in ("input", "padding", "tap", "unread", "coverage",
                                               "role")}
    frame = charts.padded_grid_frame(spec_1.padded_example((v["h"], v["w"])),
                                     (h_ax.pad_before, w_ax.pad_before, v["h"], v["w"]),
                                     coverage, index[oi, oj].reshape(-1, 2).tolist(), labels)
    hp, wp = h_ax.padded, w_ax.padded
    g1, g2 = st.columns([3, 2])
    with g1:
        st.vega_lite_chart(spec=charts.spec(charts.padded_grid_chart, frame, hp, wp, labels,
                                       t("os.grid_title", mode=v["mode"])), key=f"{P}.grid", width="content", theme=None)
    with g2:
        st.vega_lite_chart(spec=charts.spec(charts.output_grid_chart,
                                       charts.output_grid_frame(rows_out, cols_out, (oi, oj)),
                                       rows_out, cols_out, t("os.out_title")),
                           key=f"{P}.pick", on_select="rerun", selection_mode="cell",
                           width="content", theme=None)
        st.caption(t("os.click_hint"))
    with st.expander(t("os.coverage")):
        st.vega_lite_chart(spec=charts.spec(charts.coverage_chart, frame, hp, wp, t("os.coverage"),
                                       t("os.role.coverage")), key=f"{P}.coverage",
                           width="content", theme=None)
        st.caption(t("os.coverage_caption"))

panels.code_block(convlab.output_size_script(kwargs, input_shape))
shell.finish(state)
