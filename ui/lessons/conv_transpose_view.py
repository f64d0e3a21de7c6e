"""The transposed-convolution page's URL parameters, presets, formula and pictures: the
scatter view (the window explorer read the other way), the zero-inserted input, the
overlap counts and the round trip."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st
import torch

import convlab
from ui.decoders import tensor_text as tt
from ui.frame import controls as cc
from ui.frame import pick_params, preset_param
from ui.frame.controls import conv_params
from ui.i18n import language, t
from ui.pictures import explorer
from ui.pictures.charts import OKABE_ITO, fmt_value
from ui.registry import Lesson, Shown
from ui.urlstate import IntParam, TextParam

# Bounds keep the unrolled-matrix check under convlab's 4M entries (3 x 10 x 10 in,
# 3 x 55 x 55 out at most) and a rerun well under a second. Kernel, stride and dilation
# start at 0, padding and output_padding at -1, so PyTorch's refusals stay reachable.
BOUNDS = {"n": (1, 4), "cin": (1, 3), "cout": (1, 3), "groups": (1, 3), "h": (1, 10),
          "w": (1, 10), "kh": (0, 6), "kw": (0, 6), "sh": (0, 4), "sw": (0, 4),
          "ph": (-1, 8), "pw": (-1, 8), "dh": (0, 3), "dw": (0, 3), "oph": (-1, 3),
          "opw": (-1, 3)}
DEFAULTS = {"n": 1, "cin": 2, "cout": 3, "groups": 1, "h": 4, "w": 4, "kh": 3, "kw": 3,
            "sh": 2, "sw": 2, "ph": 1, "pw": 1, "dh": 1, "dw": 1, "oph": 0, "opw": 0}
MAX_OUT = 64  # larger than any output these bounds allow ((10 - 1) 4 + 3 (6 - 1) + 3 + 1)
MAX_X = (BOUNDS["h"][1], BOUNDS["w"][1])
MAX_K = (BOUNDS["kh"][1], BOUNDS["kw"][1])
MORE = (*cc.MORE, "oph", "opw")  # the same primary controls as /output_size (#23)
HELPS = {"opw": "ct.oph_help"}



def _matrix_text(limit: tuple[int, int]) -> Any:
    """The URL codec of an edited X or K: ``""`` (numbered 1, 2, ...) or a matrix no
    larger than ``limit`` in :mod:`ui.decoders.tensor_text`'s text (anything else is refused)."""
    return lambda s: "" if s.strip() == "" else tt.encode(tt.decode(s, 2, limit))


PARAMS = ([IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in ("n", "cin", "cout", "h", "w")]
          + conv_params(BOUNDS, DEFAULTS, mode=True, lock=True, strings=False)
          + [IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in ("oph", "opw")]
          + [IntParam("ri", 0, 0, MAX_OUT - 1), IntParam("rj", 0, 0, MAX_OUT - 1),
             TextParam("X", "", decode=_matrix_text(MAX_X), encode=str),
             TextParam("K", "", decode=_matrix_text(MAX_K), encode=str)])


def _case(h: int, k: int, s: int, p: int, op: int = 0, **more: Any) -> dict[str, Any]:
    return dict(h=h, w=h, kh=k, kw=k, sh=s, sw=s, ph=p, pw=p, oph=op, opw=op, lock=True, **more)


# The conv-arithmetic guide's figures (Dumoulin & Visin, ch. 4: the transposed input i',
# k, s, p and a = output_padding), DCGAN's up-step, U-Net's, the failing round trip, and
# the checkerboard of Odena, Dumoulin & Olah (2016); d2l 14.10's first example.
PRESETS: dict[str, dict[str, Any]] = {
    "custom": {},
    "d2l": _case(2, 2, 1, 0, X="0,1;2,3", K="0,1;2,3", bias=False),
    "round_trip": _case(4, 3, 2, 1),
    "guide_4_1": _case(2, 3, 1, 0),
    "guide_4_2": _case(6, 4, 1, 2),
    "guide_4_3": _case(5, 3, 1, 1),
    "guide_4_4": _case(7, 3, 1, 2),
    "guide_4_5": _case(2, 3, 2, 0),
    "guide_4_6": _case(3, 3, 2, 1),
    "guide_4_7": _case(3, 3, 2, 1, 1),
    "dcgan": _case(4, 4, 2, 1, cin=3, cout=2),
    "unet": _case(4, 2, 2, 0, cin=2, cout=1),
    "checkerboard": _case(5, 3, 2, 0),
}
PARAMS += [preset_param(list(PRESETS)), *pick_params(MAX_OUT, MAX_OUT)]
PRESET_FIELDS = {"n": 1, "cin": 1, "cout": 1, "dh": 1, "dw": 1, "groups": 1, "mode": "zeros",
                 "bias": True, "oi": 0, "oj": 0, "ri": 0, "rj": 0, "X": "", "K": ""}


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """A preset's settings ("custom" keeps the current ones)."""
    return {} if name == "custom" else {**PRESET_FIELDS, **PRESETS[name]}


def transpose_kwargs(conv_kwargs: Mapping[str, Any], v: Mapping[str, Any]) -> dict[str, Any]:
    """``nn.ConvTranspose2d`` keyword arguments, in its order, from the Conv2d group's
    (as given, invalid ones too) and the output_padding fields.

    >>> transpose_kwargs({"in_channels": 1, "out_channels": 2, "kernel_size": 3, "stride": 2,
    ...                   "padding": 1, "dilation": 1, "groups": 1, "bias": True,
    ...                   "padding_mode": "zeros"}, {"oph": 1, "opw": 1})["output_padding"]
    1
    """
    op = v["oph"] if v["oph"] == v["opw"] else (v["oph"], v["opw"])
    order = ("in_channels", "out_channels", "kernel_size", "stride", "padding")
    return {**{k: conv_kwargs[k] for k in order}, "output_padding": op,
            **{k: conv_kwargs[k] for k in ("groups", "bias", "dilation", "padding_mode")}}


# ---- the formula ------------------------------------------------------------------------------
GENERAL = (r"H_{\text{out}} = (H - 1)\,s - 2p + d\,(k - 1) + a + 1"
           r"\qquad a = \texttt{output\_padding}")


def formula_block(axes: tuple[convlab.TransposeAxis, convlab.TransposeAxis]) -> str:
    """The general formula above both axes' numbers, as one LaTeX block."""
    lines = [rf"{x}_{{\text{{out}}}} = ({a.size} - 1)\cdot {a.stride} - 2\cdot {a.padding} + "
             rf"{a.dilation}\cdot({a.kernel} - 1) + {a.output_padding} + 1 = {a.output}"
             for a, x in zip(axes, "HW", strict=True)]
    return (rf"\begin{{gathered}}{GENERAL} \\[8pt] {lines[0]} \\[2pt] {lines[1]}"
            r"\end{gathered}")


# ---- X and K: numbered, or as the learner wrote them ---------------------------------------
def tap_numbers(kernel: tuple[int, int]) -> np.ndarray:
    """A kernel whose weights number its taps, 1, 2, ..., kh * kw: every stamp says which
    tap it came from."""
    kh, kw = kernel
    return np.arange(1, kh * kw + 1, dtype=float).reshape(kh, kw)


def matrix(text: str, shape: tuple[int, int]) -> np.ndarray:
    """X or K from its URL text: numbered 1, 2, ... for ``""``, else the written matrix
    cropped or zero-extended to ``shape``.

    >>> matrix("", (2, 2)).tolist(), matrix("0,1;2,3", (2, 3)).tolist()
    ([[1.0, 2.0], [3.0, 4.0]], [[0.0, 1.0, 0.0], [2.0, 3.0, 0.0]])
    """
    if text == "":
        return tap_numbers(shape)
    return tt.fit(tt.decode(text, 2, (max(MAX_X[0], MAX_K[0]), max(MAX_X[1], MAX_K[1]))),
                  shape)


def matrix_text(M: np.ndarray) -> str:
    """The URL text of X or K: ``""`` while it is numbered 1, 2, ..."""
    return "" if np.array_equal(M, tap_numbers(M.shape)) else tt.encode(M)


def output(X: np.ndarray, K: np.ndarray, spec: convlab.ConvTranspose2dSpec) -> np.ndarray:
    """``Y = X`` transposed-convolved with ``K`` (one channel, no bias), by convlab's
    scatter-add form (checked against ``F.conv_transpose2d``)."""
    return _output(_key(X), _key(K), spec.stride, spec.padding, spec.output_padding,
                   spec.dilation)


def _key(M: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in M)


@st.cache_data(max_entries=64, show_spinner=False)
def _output(X: tuple, K: tuple, stride: tuple[int, int], padding: tuple[int, int],
            output_padding: tuple[int, int], dilation: tuple[int, int]) -> np.ndarray:
    x, k = (torch.tensor(M, dtype=torch.float64)[None, None] for M in (X, K))
    return convlab.conv_transpose2d_scatter(x, k, stride=stride, padding=padding,
                                            output_padding=output_padding,
                                            dilation=dilation)[0, 0].numpy()


# ---- the scatter view: the window explorer, read the other way ------------------------------
# The canvas's roles, each with its Okabe-Ito colour: the caption names the same colours.
CANVAS = (("output", "sky"), ("cropped", "yellow"), ("unstamped", "grey"))


def scatter_caption() -> str:
    """The scatter view's caption, naming the canvas's colours as drawn."""
    return t("ct.scatter_caption", **{role: t(f"ct.colour.{name}") for role, name in CANVAS})


def scatter_data(spec: convlab.ConvTranspose2dSpec, X: np.ndarray, K: np.ndarray,
                 cell: tuple[int, int]) -> dict[str, Any]:
    """The explorer's payload: the input X in its ``"output"`` space, the uncropped output
    in its ``"input"`` space (the convolution's tap map read the other way), ``cell`` the
    picked input cell."""
    data = _scatter_data(spec.kernel_size, spec.stride, spec.padding, spec.output_padding,
                         spec.dilation, _key(X), _key(K), language())
    return {**data, "pick": list(cell)}


@st.cache_data(max_entries=64, show_spinner=False)
def _scatter_data(kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
                  output_padding: tuple[int, int], dilation: tuple[int, int],
                  X_in: tuple, K_in: tuple, lang: str) -> dict[str, Any]:
    """Cached on plain values (``lang`` keys the words): a click only changes the pick."""
    size = (len(X_in), len(X_in[0]))
    h, w = convlab.explain_transpose_size(size, kernel, stride, padding, output_padding,
                                          dilation)
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, kernel, stride, padding, dilation),
                           (h.output, w.output))
    H, W = size
    X = np.zeros(taps.out_shape)
    X[:H, :W] = np.array(X_in)
    K = np.array(K_in)
    # The output before cropping (padding 0, the same output_padding), by convlab's
    # scatter-add form (checked against F.conv_transpose2d): the stamps, and their count.
    canvas, stamps = (convlab.conv_transpose2d_scatter(
        torch.from_numpy(A[:H, :W]).double()[None, None], torch.from_numpy(B)[None, None],
        stride=stride, output_padding=output_padding, dilation=dilation)[0, 0].numpy()
        for A, B in ((X, K), (np.ones_like(X), np.ones_like(K))))
    hp, wp = taps.padded_shape
    top, left, ho, wo = taps.box
    r, c = np.divmod(np.arange(hp * wp), wp)
    inside = (r >= top) & (r < top + ho) & (c >= left) & (c < left + wo)
    role = np.where(inside, 0, 1)
    role[stamps.ravel() == 0] = 2
    roles = [role for role, _ in CANVAS]
    colours = [OKABE_ITO[name] for _, name in CANVAS]
    # grey: rows and columns a convolution from the output adds, no input cell's stamp
    x_fill = np.zeros(X.shape, dtype=int)
    x_fill[H:, :] = 1
    x_fill[:, W:] = 1
    rows = [[explorer.panel("x", "output", X.shape, x_fill.ravel().tolist(), t("ct.x_title"),
                            t("ex.tip_output"), fields={"value": [fmt_value(v) for v in X.ravel()]},
                            show="value", palette=[OKABE_ITO["green"], OKABE_ITO["grey"]],
                            weights="k"),
             explorer.map_panel("k", K, t("ct.kernel_title"), space="kernel",
                                bound=max(float(np.abs(K).max()), 1.0)),
             explorer.panel("y", "input", (hp, wp), role.tolist(), t("ct.canvas_title"),
                            t("ct.tip_canvas"), show="value", palette=colours,
                            names=[t(f"ct.role.{k}") for k in roles], weights="k",
                            fields={"value": [fmt_value(v) for v in canvas.ravel()],
                                    "stamps": [str(int(n)) for n in stamps.ravel()]})]]
    words = {**explorer.words(), **{k: t(f"ct.ex.{k}") for k in
                                    (*explorer.STATUS_KEYS, "status_output_outside", "hint")}}
    legend = [[colour, t(f"ct.role.{k}"), "fill"] for colour, k in zip(colours, roles,
                                                                       strict=True)]
    legend.append([explorer.WINDOW, t("ct.role.stamp"), "outline"])
    # rows and columns count from X's corner and the output's (inside the cropped canvas)
    return explorer.payload(taps, rows, pick=None, words=words, pick_space="output",
                            legend=legend, boxes={"output": (0, 0, H, W)})


# ---- the checks -----------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def checks(kwargs: tuple, input_shape: tuple[int, ...], device: str
           ) -> list[convlab.CheckResult]:
    """Every computation against PyTorch (cached on plain values)."""
    return convlab.transpose_checks(convlab.ConvTranspose2dSpec(**dict(kwargs)), input_shape,
                                    device)


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code's output shape and parameter count are the page's, and its
    zero-insertion form agrees with ``conv_transpose2d``."""
    wrong = shown.shape_and_parameters("ct.out_shape", ns["y"].shape, printed)
    if "max_abs_diff" not in printed:
        wrong.append(f"the code does not print max_abs_diff: {printed!r}")
    elif not float(printed.rsplit("max_abs_diff", 1)[1]) < 1e-5:  # the zero-insertion form
        wrong.append(f"the zero-insertion form differs: {printed.rsplit('max_abs_diff', 1)[1]}")
    return wrong


LESSON = Lesson("conv_transpose", "ct", ":material/open_in_full:", order=20,
                params=tuple(PARAMS), preset_values=preset_values, helps=HELPS, more=MORE,
                sections=("edit", "overlap", "round_trip"),
                refusal={"oph": "2"}, code_check=code_check)
