"""Multiple input and output channels: d2l's lesson, every number checked against PyTorch."""

import numpy as np
import streamlit as st
import torch

import convlab
from ui import charts, panels, shell
from ui import multichannel_view as view
from ui import tensor_text as tt
from ui.editors import matrix_editor
from ui.i18n import t
from ui.urlstate import show_notices

shell.start()
state = view.page_state()
state.load()
P = view.PAGE

st.title(t("mc.title"))
st.markdown(t("mc.intro"))
show_notices(state)

# ---- a click on the output heatmap picks the cell (before the sliders are drawn) -------------
picked = st.session_state.get(f"{P}.pick")
points = (picked or {}).get("selection", {}).get("cell", []) if picked else []
if points and points != st.session_state.get(f"{P}._last_pick"):
    st.session_state[f"{P}._last_pick"] = points
    state["oi"], state["oj"] = int(points[0]["row"]), int(points[0]["col"])

# ---- controls ------------------------------------------------------------------------------
# Labels built during the run: AppTest calls format_func outside it, where t() can't see
# the language.
preset_labels = {k: t(f"mc.preset.{k}") for k in view.PRESETS}
pad_labels = {k: t(f"mc.pad.{k}") for k in view.PAD_KINDS}
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
c1.selectbox(t("mc.preset"), view.PRESETS, key=state.key("preset"),
             format_func=preset_labels.get, on_change=view.apply_preset,
             args=(state,))
c2.button(t("mc.reroll"), key=f"{P}.reroll", on_click=view.reroll, args=(state,),
          icon=":material/casino:")


def number(name: str, label: str, help: str | None = None) -> None:
    lo, hi = view.BOUNDS[name]
    st.number_input(label, min_value=lo, max_value=hi, step=1, key=state.key(name),
                    on_change=view.mark_custom, help=help)


with st.container(border=True):
    cols = st.columns(6)
    for col, (name, label) in zip(cols, [("cin", "mc.cin"), ("cout", "mc.cout"), ("h", "mc.h"),
                                         ("w", "mc.w"), ("kh", "mc.kh"), ("kw", "mc.kw")],
                                  strict=True):
        with col:
            number(name, t(label))
    cols = st.columns(6)
    for col, (name, label) in zip(cols[:2] + cols[4:], [("sh", "mc.sh"), ("sw", "mc.sw"),
                                                       ("dh", "mc.dh"), ("dw", "mc.dw")],
                                  strict=True):
        with col:
            number(name, t(label))
    with cols[2]:
        st.segmented_control(t("mc.pad"), view.PAD_KINDS, key=state.key("pad"),
                             format_func=pad_labels.get, required=True,
                             on_change=view.mark_custom)
    with cols[3]:
        numeric = state["pad"] == "number"
        st.number_input(t("mc.ph"), *view.BOUNDS["ph"], step=1, key=state.key("ph"),
                        disabled=not numeric, on_change=view.mark_custom)
        st.number_input(t("mc.pw"), *view.BOUNDS["pw"], step=1, key=state.key("pw"),
                        disabled=not numeric, on_change=view.mark_custom)
    cols = st.columns(4)
    with cols[0]:
        number("groups", t("mc.groups"), help=t("mc.groups_help"))
    cols[1].toggle(t("mc.flip"), key=state.key("flip"), help=t("mc.flip_help"))
    cols[2].toggle(t("mc.bias"), key=state.key("bias"), on_change=view.mark_custom)
    state["o"] = min(state["o"], state["cout"] - 1)
    if state["cout"] > 1:
        cols[3].slider(t("mc.o"), 0, state["cout"] - 1, key=state.key("o"))

v = state.values()
conv = {"stride": (v["sh"], v["sw"]), "dilation": (v["dh"], v["dw"]),
        "padding": v["pad"] if v["pad"] != "number" else (v["ph"], v["pw"])}
k_in = v["cin"] // v["groups"] if v["cin"] % v["groups"] == 0 else v["cin"]
X, K, b = view.tensors(state, k_in)

# ---- tensors: editable tables --------------------------------------------------------------
with st.expander(t("mc.edit"), expanded=v["preset"] == "custom", icon=":material/edit:"):
    st.caption(t("mc.edit_caption"))
    st.markdown(f"**X** `{tuple(X.shape)}`")
    tabs = st.tabs([t("mc.channel", c=c) for c in range(v["cin"])])
    for c, tab in enumerate(tabs):
        with tab:
            X[c] = matrix_editor(f"{P}.edX{c}", X[c], f"X[{c}]")
    o = state["o"]
    st.markdown(f"**K[{o}]** `{tuple(K[o].shape)}`")
    cols = st.columns(min(k_in, 4))
    for c in range(k_in):
        with cols[c % len(cols)]:
            st.caption(f"K[{o}, {c}]")
            K[o, c] = matrix_editor(f"{P}.edK{o}_{c}", K[o, c], f"K[{o}, {c}]")
    if v["bias"]:
        st.markdown(f"**b** `{tuple(b.shape)}`")
        b = matrix_editor(f"{P}.edb", b[None], "b")[0]
state["X"], state["K"], state["b"] = tt.encode(X), tt.encode(K), tt.encode(b)
o = state["o"]

# ---- compute ---------------------------------------------------------------------------------


@st.cache_data(max_entries=128, show_spinner=False)
def compute(x: str, k: str, bias: str | None, conv_items: tuple, groups: int, flip: bool,
            dev: str) -> convlab.MultiChannelResult:
    Xt = torch.tensor(tt.decode(x, 3, view.MAX_X), dtype=torch.float32)
    Kt = torch.tensor(tt.decode(k, 4, view.MAX_K), dtype=torch.float32)
    bt = None if bias is None else torch.tensor(tt.decode(bias, 1, (8,)), dtype=torch.float32)
    return convlab.multichannel_correlation(Xt, Kt, bt, groups=groups, flip=flip, device=dev,
                                            **dict(conv_items))


@st.cache_data(max_entries=128, show_spinner=False)
def torch_refusal(kw: tuple, shape: tuple, dev: str) -> str | None:
    return convlab.run_conv2d(dict(kw), shape, dev).error


device = str(shell.device())
try:
    spec = convlab.Conv2dSpec(v["cin"], v["cout"], (v["kh"], v["kw"]), groups=v["groups"],
                              bias=v["bias"], **conv)
    h_ax, w_ax = spec.explain((v["cin"], v["h"], v["w"]))
    with st.spinner(t("mc.computing")):
        result = compute(state["X"], state["K"], state["b"] if v["bias"] else None,
                         tuple(conv.items()), v["groups"], v["flip"], device)
except convlab.ConvConfigError as err:
    kw = {"in_channels": v["cin"], "out_channels": v["cout"], "kernel_size": (v["kh"], v["kw"]),
          "groups": v["groups"], **conv}
    panels.error_box(err, torch_refusal(tuple(kw.items()), (1, v["cin"], v["h"], v["w"]),
                                        device))
    shell.finish(state)
    st.stop()

# ---- the picture: one output channel, channel by channel -----------------------------------
rows_out, cols_out = h_ax.output, w_ax.output
state["oi"] = min(state["oi"], rows_out - 1)
state["oj"] = min(state["oj"], cols_out - 1)
st.subheader(t("mc.walkthrough", o=o))
s2, s3 = st.columns(2)
if rows_out > 1:
    s2.slider(t("mc.oi"), 0, rows_out - 1, key=state.key("oi"))
if cols_out > 1:
    s3.slider(t("mc.oj"), 0, cols_out - 1, key=state.key("oj"))
o, oi, oj = state["o"], state["oi"], state["oj"]
Kused = result.kernel_used
terms = convlab.window_terms(torch.from_numpy(X), Kused, o, oi, oj, groups=v["groups"], **conv)
Y = result.Y.numpy()


def heat(matrix: np.ndarray, title: str, highlight=(), key: str = "", **kw) -> None:
    """Each map on its own symmetric colour scale, so small inputs stay readable."""
    rows, cols = matrix.shape
    bound = float(max(np.abs(matrix).max(), 1.0))
    st.caption(title)  # a caption, not a chart title: a long title would squeeze a small map
    st.vega_lite_chart(spec=charts.spec(charts.heatmap, charts.heatmap_frame(matrix, highlight),
                                   rows, cols, "", bound, **kw), key=key or None,
                       width="content", theme=None)


if v["flip"]:
    st.info(t("mc.flip_note"), icon=":material/flip:")
for c_local in range(k_in):
    c = terms[c_local * v["kh"] * v["kw"]].channel
    taps = [(tm.row, tm.col) for tm in terms if tm.channel == c]
    cols = st.columns([3, 2, 3])
    with cols[0]:
        heat(result.padded[c].numpy(), t("mc.x_title", c=c), taps, key=f"{P}.hx{c}")
    with cols[1]:
        heat(Kused[o, c_local].numpy(), t("mc.k_title", o=o, c=c_local, flip="flip " if
                                          v["flip"] else ""),
             key=f"{P}.hk{c}")
    with cols[2]:
        heat(result.partials[o, c_local].numpy(), t("mc.partial_title", c=c), [(oi, oj)],
             key=f"{P}.hp{c}")

cols = st.columns([3, 2, 3])
with cols[0]:
    heat(result.partials[o].sum(0).numpy(), t("mc.sum_title"), [(oi, oj)], key=f"{P}.hs")
with cols[1]:
    bias_value = float(b[o]) if v["bias"] else 0.0
    st.metric(t("mc.bias_value", o=o), tt._num(round(bias_value, 4)))
with cols[2]:
    heat(Y[o], t("mc.y_title", o=o), [(oi, oj)], key=f"{P}.pick", name="cell")
    st.caption(t("mc.click_hint"))

st.markdown(t("mc.arith", o=o, i=oi, j=oj))
st.code(view.arithmetic(terms, bias_value if v["bias"] else None, float(Y[o, oi, oj])),
        language="text", wrap_lines=True)

# ---- all output channels, and the wiring ---------------------------------------------------
if v["cout"] > 1:
    st.subheader(t("mc.all_outputs"))
    cols = st.columns(min(v["cout"], 4))
    for q in range(v["cout"]):
        with cols[q % len(cols)]:
            heat(Y[q], t("mc.y_title", o=q), key=f"{P}.all{q}", px_budget=160)
if v["groups"] > 1:
    st.subheader(t("mc.wiring"))
    st.caption(t("mc.wiring_caption", g=v["groups"], per=k_in))
    wiring = charts.wiring_frame(v["cin"], v["cout"], v["groups"])
    st.vega_lite_chart(spec=charts.spec(charts.wiring_chart, wiring, v["cin"], v["cout"],
                                   t("mc.wiring_in"), t("mc.wiring_out")), key=f"{P}.wiring",
                       width="content", theme=None)

panels.check_panel(result.checks, t("mc.check_note") if len(result.checks) > 1
                   else t("mc.check_note_noloop"))
panels.code_block(convlab.multichannel_script(
    torch.from_numpy(X), torch.from_numpy(K), torch.from_numpy(b) if v["bias"] else None,
    stride=conv["stride"], padding=conv["padding"], dilation=conv["dilation"],
    groups=v["groups"], flip=v["flip"]))
shell.finish(state)
