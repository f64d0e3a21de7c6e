"""The multi-channel page's URL parameters, bounds, presets and tensor state."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st
import torch

import convlab
from ui.decoders import tensor_text as tt
from ui.frame import Frame, pick_params, preset_param
from ui.frame.controls import conv_params
from ui.i18n import t
from ui.pictures import charts, explorer, grids
from ui.registry import Lesson, Shown
from ui.urlstate import BoolParam, IntParam, TextParam

# Up to 8 channels each way and 16 x 16 inputs: every tensor here is a few KB, and the
# loop reference is skipped beyond convlab.LOOP_REFERENCE_LIMIT multiply-adds.
BOUNDS = {"cin": (1, 8), "cout": (1, 8), "h": (1, 16), "w": (1, 16), "kh": (1, 5),
          "kw": (1, 5), "sh": (1, 4), "sw": (1, 4), "ph": (0, 4), "pw": (0, 4),
          "dh": (1, 3), "dw": (1, 3), "groups": (1, 8)}
MAX_X = (BOUNDS["cin"][1], BOUNDS["h"][1], BOUNDS["w"][1])
MAX_K = (BOUNDS["cout"][1], BOUNDS["cin"][1], BOUNDS["kh"][1], BOUNDS["kw"][1])
MAX_OUT = 24  # the largest output side: 16 + 2 * 4 with a 1 x 1 kernel
INPUT = ("cin", "cout", "h", "w")
# Beside the picture: the preset, channels, sizes and kernel (and the output channel shown);
# the rest in "More settings".
MORE = ("sh", "sw", "pad", "ph", "pw", "dh", "dw", "groups", "bias", "flip")
PRESETS = ("d2l_two", "d2l_one", "d2l_three", "edge", "edge_t", "random", "custom")


def _d2l() -> tuple[np.ndarray, np.ndarray]:
    X = np.stack([np.arange(9.0).reshape(3, 3), np.arange(1.0, 10.0).reshape(3, 3)])
    K = np.stack([np.arange(4.0).reshape(2, 2), np.arange(1.0, 5.0).reshape(2, 2)])
    return X, K


def _edge(transpose: bool) -> tuple[np.ndarray, np.ndarray]:
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    return (X.T if transpose else X)[None], np.array([[[[1.0, -1.0]]]])


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """The settings and tensors of a preset (``custom`` keeps what is there)."""
    if name == "d2l_one":  # d2l's first corr2d: X = 0..8 (3 x 3), K = [[0, 1], [2, 3]]
        X, K4 = np.arange(9.0).reshape(1, 3, 3), np.arange(4.0).reshape(1, 1, 2, 2)
    elif name in ("d2l_two", "d2l_three"):
        X, K = _d2l()
        K4 = K[None] if name == "d2l_two" else np.stack([K, K + 1, K + 2])
    elif name in ("edge", "edge_t"):
        X, K4 = _edge(name == "edge_t")
    elif name == "random":  # d2l's 1x1 example: X (3, 3, 3), K (2, 3, 1, 1) ~ N(0, 1)
        rng = np.random.default_rng(current.get("seed", 0))
        X = rng.standard_normal((3, 3, 3)).round(1)
        K4 = rng.standard_normal((2, 3, 1, 1)).round(1)
    else:
        return {}
    return {"cin": X.shape[0], "h": X.shape[1], "w": X.shape[2], "cout": K4.shape[0],
            "kh": K4.shape[2], "kw": K4.shape[3], "sh": 1, "sw": 1, "pad": "number", "ph": 0,
            "pw": 0, "dh": 1, "dw": 1, "groups": 1, "flip": False, "bias": False,
            "X": tt.encode(X), "K": tt.encode(K4), "b": tt.encode(np.zeros(K4.shape[0])),
            "o": 0, "oi": 0, "oj": 0}


DEFAULTS = preset_values("d2l_two", {})
PARAMS = [IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in INPUT] + conv_params(BOUNDS, DEFAULTS) + [
    preset_param(PRESETS),
    *pick_params(MAX_OUT, MAX_OUT),
    BoolParam("flip", False),
    IntParam("seed", 0, 0, 9999),
    IntParam("o", 0, 0, BOUNDS["cout"][1] - 1),
    TextParam("X", DEFAULTS["X"], decode=lambda s: tt.encode(tt.decode(s, 3, MAX_X)),
              encode=str),
    TextParam("K", DEFAULTS["K"], decode=lambda s: tt.encode(tt.decode(s, 4, MAX_K)),
              encode=str),
    TextParam("b", DEFAULTS["b"], decode=lambda s: tt.encode(tt.decode(s, 1, (8,))), encode=str),
]


def kernel_in(v: Mapping[str, Any]) -> int:
    """K's input channels: ``C_in / groups``, or ``C_in`` while the groups are refused."""
    groups = v["groups"]
    return v["cin"] // groups if groups > 0 and v["cin"] % groups == 0 else v["cin"]


def random_tensors(v: Mapping[str, Any], k_in: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X ``(C_in, H, W)``, K ``(C_out, k_in, kh, kw)`` and b ``(C_out,)`` drawn from N(0, 1)
    by ``v["seed"]`` for the current shape, to one decimal (short in the link, easy to add
    up by hand); the same seed and shape give the same numbers."""
    rng = np.random.default_rng(v["seed"])
    X = rng.standard_normal((v["cin"], v["h"], v["w"])).round(1)
    K = rng.standard_normal((v["cout"], k_in, v["kh"], v["kw"])).round(1)
    return X, K, rng.standard_normal(v["cout"]).round(1)


def reroll(page: Frame) -> None:
    """on_click of "New random": the next seed's numbers for the current shape (channels,
    kernel and input size stay). The tensors and the seed go in the link."""
    page["seed"] = (page["seed"] + 1) % 10000
    v = page.values
    X, K, b = random_tensors(v, kernel_in(v))
    page["X"], page["K"], page["b"] = tt.encode(X), tt.encode(K), tt.encode(b)
    page["preset"] = "custom"


def tensors(v: Mapping[str, Any], k_in: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X ``(C_in, H, W)``, K ``(C_out, k_in, kh, kw)`` and b ``(C_out,)`` fitted to the widgets."""
    X = tt.fit(tt.decode(v["X"], 3, MAX_X), (v["cin"], v["h"], v["w"]))
    K = tt.fit(tt.decode(v["K"], 4, MAX_K), (v["cout"], k_in, v["kh"], v["kw"]))
    b = tt.fit(tt.decode(v["b"], 1, (8,)), (v["cout"],))
    return X, K, b


def edit_tensors(page: Frame, X: np.ndarray, K: np.ndarray, b: np.ndarray, o: int,
                 bias: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Editable tables of X (a tab per channel), K's output channel ``o`` and b: the
    tensors with the learner's edits (a bad cell keeps its table's last valid values)."""
    st.caption(t("mc.edit_caption"))
    st.markdown(f"**X** `{tuple(X.shape)}`")
    for c, tab in enumerate(st.tabs([t("mc.channel", c=c) for c in range(X.shape[0])])):
        with tab:
            X[c] = page.matrix(f"edX{c}", X[c], f"X[{c}]")
    st.markdown(f"**K[{o}]** `{tuple(K[o].shape)}`")
    k_in = K.shape[1]
    cols = st.columns(min(k_in, 4))
    for c in range(k_in):
        with cols[c % len(cols)]:
            K[o, c] = page.matrix(f"edK{o}_{c}", K[o, c], f"K[{o}, {c}]")
    if bias:
        st.markdown(f"**b** `{tuple(b.shape)}`")
        b = page.matrix("edb", b[None], "b")[0]
    return X, K, b


def arithmetic(terms: list, bias: float | None, total: float) -> str:
    """``0×0 + 1×1 + … (+ b) = total`` with negative numbers in parentheses."""
    def n(v: float) -> str:
        s = tt.number_text(round(v, 4))
        return f"({s})" if v < 0 else s

    parts = [f"{n(term.x)}×{n(term.k)}" for term in terms]
    if bias is not None:
        parts.append(n(bias))
    return " + ".join(parts) + f" = {tt.number_text(round(total, 4))}"


@st.cache_data(max_entries=128, show_spinner=False)
def compute(x: str, k: str, bias: str | None, conv_items: tuple, groups: int, flip: bool,
            dev: str) -> convlab.MultiChannelResult:
    """The correlation of the tensors written in URL text, cached on plain values."""
    Xt = torch.tensor(tt.decode(x, 3, MAX_X), dtype=torch.float32)
    Kt = torch.tensor(tt.decode(k, 4, MAX_K), dtype=torch.float32)
    bt = None if bias is None else torch.tensor(tt.decode(bias, 1, (8,)), dtype=torch.float32)
    return convlab.multichannel_correlation(Xt, Kt, bt, groups=groups, flip=flip, device=dev,
                                            **dict(conv_items))


def _map(matrix: np.ndarray, title: str, highlight: Any = (), px_budget: int = 200) -> str:
    """A map on its own symmetric colour scale (at least ±1, so small values stay pale)."""
    return grids.heatmap(matrix, title, charts.cell_words(), highlight=highlight,
                         bound=float(max(np.abs(matrix).max(), 1.0)), px_budget=px_budget)


def explorer_data(result: convlab.MultiChannelResult, size: tuple[int, int], o: int,
                  cell: tuple[int, int], conv: dict[str, Any], groups: int,
                  flip: bool) -> dict[str, Any]:
    """The window explorer's payload for output channel ``o`` of an ``H x W`` input: a row
    per input channel it reads (padded X with the window, the kernel slice, the partial
    map), then the sum over channels and Y; hovering any of them shows the window in all."""
    k_in, kh, kw = result.kernel_used.shape[1:]
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, (kh, kw), conv["stride"], conv["padding"],
                                              conv["dilation"]), size)
    first = (o // (result.Y.shape[0] // groups)) * k_in  # the group's first input channel
    rows = []
    for c_local in range(k_in):
        c = first + c_local
        K = result.kernel_used[o, c_local].numpy()
        rows.append([
            explorer.padded_panel(f"x{c}", taps, result.padded[c].numpy(),
                                  t("mc.x_title", c=c), weights=f"k{c}"),
            explorer.kernel_panel(f"k{c}", K, (kh, kw),
                                  t("mc.kflip_title" if flip else "mc.k_title", o=o, c=c_local)),
            explorer.map_panel(f"p{c}", result.partials[o, c_local].numpy(),
                               t("mc.partial_title", c=c))])
    Y = result.Y[o].numpy()
    rows.append([explorer.map_panel("sum", result.partials[o].sum(0).numpy(), t("mc.sum_title")),
                 explorer.map_panel("y", Y, t("mc.y_title", o=o),
                                    bound=float(max(np.abs(Y).max(), 1.0)))])
    return explorer.payload(taps, rows, pick=cell, words=explorer.words(),
                            legend=explorer.legend())


def all_outputs(page: Frame, Y: np.ndarray) -> None:
    """Every output channel's map, four to a row, in one picture."""
    maps = [_map(Y[q], t("mc.y_title", o=q), px_budget=160) for q in range(Y.shape[0])]
    page.picture(*(maps[i:i + 4] for i in range(0, len(maps), 4)))


def wiring(page: Frame, c_in: int, c_out: int, groups: int, per_group: int) -> None:
    """Which input channels each output channel reads, a line per connection."""
    st.subheader(t("mc.wiring"))
    st.caption(t("mc.wiring_caption", g=groups, per=per_group))
    page.chart(charts.spec(charts.wiring_chart, charts.wiring_frame(c_in, c_out, groups), c_in,
                           c_out, t("mc.wiring_in"), t("mc.wiring_out")), "wiring")


def walkthrough(page: Frame, result: convlab.MultiChannelResult, X: np.ndarray, b: np.ndarray,
                o: int, cell: tuple[int, int], conv: dict[str, Any]) -> None:
    """Everything that depends on the picked output cell: predict-then-check, the channel
    maps with the window's taps, the bias, Y, and the cell's sum term by term."""
    v = page.values
    oi, oj = cell
    Y = result.Y.numpy()
    terms = convlab.window_terms(torch.from_numpy(X), result.kernel_used, o, oi, oj,
                                 groups=v["groups"], **conv)
    bias = float(b[o]) if v["bias"] else None
    page.predict(t("mc.predict", o=o, i=oi, j=oj), (float(Y[o, oi, oj]),),
                 convlab.cell_value_slips(terms, bias, result.kernel_used[o].flip(-2, -1)))
    if v["flip"]:
        st.info(t("mc.flip_note"), icon=":material/flip:")
    page.explore(explorer_data(result, (v["h"], v["w"]), o, cell, conv, v["groups"],
                               v["flip"]))
    st.metric(t("mc.bias_value", o=o), tt.number_text(round(bias or 0.0, 4)))
    st.markdown(t("mc.arith", o=o, i=oi, j=oj))
    st.code(arithmetic(terms, bias, float(Y[o, oi, oj])), language="text", wrap_lines=True)


def thumbnail() -> str:
    """The home card's picture: d2l's two-channel example, 56 72 104 120."""
    X, K = convlab.d2l_two_channel_example()
    Y = convlab.corr2d_multi_in(X, K).numpy()
    return grids.heatmap(Y, "", charts.cell_words(), highlight=[(0, 0)], px_budget=150)


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code's ``Y`` at the picked output cell is the page's worked sum."""
    arithmetic = next((b for b in shown.blocks if " = " in b and "×" in b), None)
    if arithmetic is None:
        return [f"no worked sum (a block with ' = ' and '×') among {list(shown.blocks)}"]
    total = float(arithmetic.rsplit("=", 1)[1])
    o, i, j = (shown.values[k] for k in ("o", "oi", "oj"))
    wrong = []
    value = float(ns["Y"][o, i, j])
    if not abs(value - total) < 1e-3:
        wrong.append(f"Y[{o}, {i}, {j}]: page {total}, code {value}")
    if not re.search(r"tensor\(", printed):
        wrong.append(f"the code prints no tensor: {printed!r}")
    return wrong


LESSON = Lesson("multichannel", "mc", ":material/layers:", order=30,
                params=tuple(PARAMS), preset_values=preset_values, more=MORE,
                sections=("edit",), refusal={"groups": "3"}, code_check=code_check,
                thumbnail=thumbnail)
