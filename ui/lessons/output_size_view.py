"""The output-size page's URL parameters, bounds, presets and formula rendering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

import convlab
from ui.frame import controls as cc
from ui.frame import pick_params, preset_param
from ui.frame.controls import conv_params
from ui.i18n import language, t
from ui.pictures import charts, explorer, grids
from ui.registry import Lesson, Shown
from ui.urlstate import ChoiceParam, IntParam

# Bounds keep one rerun under ~50 MB and well under a second on a laptop CPU:
# the largest input is 4 x 16 x 64 x 64 and the largest padded output 4 x 16 x 96 x 96.
# Kernel, stride and dilation start at 0 and padding at -1 so PyTorch's refusals stay
# reachable: seeing why they fail is part of the lesson.
BOUNDS = {"n": (1, 4), "cin": (1, 16), "cout": (1, 16), "groups": (1, 16),
          "h": (1, 64), "w": (1, 64), "kh": (0, 9), "kw": (0, 9), "sh": (0, 8), "sw": (0, 8),
          "ph": (-1, 16), "pw": (-1, 16), "dh": (0, 4), "dw": (0, 4),
          # 1-D: a second of 16 kHz audio at most; 3-D: up to 16 frames (the oracle's
          # element budget refuses the largest 3-D inputs, with the nearest that fits).
          "l": (1, 16000), "t": (1, 16), "kt": (0, 9), "st": (0, 8), "pt": (-1, 16),
          "dt": (0, 4)}
DEFAULTS = {"n": 1, "cin": 3, "cout": 4, "groups": 1, "h": 8, "w": 8, "kh": 3, "kw": 3,
            "sh": 2, "sw": 2, "ph": 1, "pw": 1, "dh": 1, "dw": 1, "l": 64, "t": 8, "kt": 3,
            "st": 2, "pt": 1, "dt": 1}
INPUT = ("n", "cin", "cout", "h", "w", "l")
DIMS = ("1", "2", "3")
# Settings in "More settings": the Conv2d group's usual ones and the number of spatial
# dimensions. In and out channels stay beside the picture: every preset sets them.
MORE = (*cc.MORE, "dims")
MAX_STRIP = 96  # the longest padded 1-D sequence drawn cell by cell (as a 2-D row)
HELPS = {k: "os.zero_help" for k in ("kh", "sh", "dh")}  # 0 is reachable: see it refused
MAX_OUT = 96  # the largest output side these bounds allow (64 + 2 * 16 with kernel 1)

PARAMS = [IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in INPUT] + conv_params(
    BOUNDS, DEFAULTS, mode=True, lock=True) + [ChoiceParam("dims", "2", DIMS)]

# (key, settings): from the study notes and d2l's "padding and strides".
PRESETS: dict[str, dict[str, Any]] = {
    "custom": {},
    "notes_4x4": dict(n=1, cin=1, cout=1, h=4, w=4, kh=3, kw=3, sh=1, sw=1, ph=0, pw=0,
                      pad="number", lock=True),
    "d2l_pad1": dict(n=1, cin=1, cout=1, h=8, w=8, kh=3, kw=3, sh=1, sw=1, ph=1, pw=1,
                     pad="number", lock=True),
    "d2l_5x3": dict(n=1, cin=1, cout=1, h=8, w=8, kh=5, kw=3, sh=1, sw=1, ph=2, pw=1,
                    pad="number", lock=False),
    "d2l_stride2": dict(n=1, cin=1, cout=1, h=8, w=8, kh=3, kw=3, sh=2, sw=2, ph=1, pw=1,
                        pad="number", lock=True),
    "d2l_3x5_s34": dict(n=1, cin=1, cout=1, h=8, w=8, kh=3, kw=5, sh=3, sw=4, ph=0, pw=1,
                        pad="number", lock=False),
    "why_13": dict(n=1, cin=3, cout=8, h=28, w=28, kh=3, kw=3, sh=2, sw=2, ph=0, pw=0,
                   pad="number", lock=True),
    "same_even": dict(n=1, cin=1, cout=1, h=6, w=6, kh=4, kw=4, sh=1, sw=1, pad="same",
                      lock=True),
    # Note 003: correlation in 1-D (sequences) and 3-D (videos, medical volumes).
    "audio_1d": dict(dims="1", n=1, cin=1, cout=1, l=16000, kh=3, sh=2, ph=1, pad="number",
                     lock=True),
    "video_3d": dict(dims="3", n=1, cin=3, cout=16, t=8, h=32, w=32, kh=3, kw=3, kt=3, sh=1,
                     sw=1, st=1, ph=1, pw=1, pt=1, pad="number", lock=True),
}
PARAMS += [preset_param(list(PRESETS)), *pick_params(MAX_OUT, MAX_OUT)]
PRESET_FIELDS = {"dh": 1, "dw": 1, "dt": 1, "groups": 1, "mode": "zeros", "bias": True,
                 "oi": 0, "oj": 0, "dims": "2"}


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """A preset's settings ("custom" keeps the current ones)."""
    return {} if name == "custom" else {**PRESET_FIELDS, **PRESETS[name]}


def general(x: str = "H") -> str:
    """PyTorch's formula for one axis, in symbols."""
    return (rf"{x}_{{\text{{out}}}} = \left\lfloor \frac{{{x} + p_{{\text{{before}}}} + "
            rf"p_{{\text{{after}}}} - d\,(k-1) - 1}}{{s}} \right\rfloor + 1")


GENERAL = general()


def formula_latex(axis: convlab.AxisArithmetic, size_symbol: str) -> list[str]:
    """PyTorch's formula for one axis with this configuration's numbers, step by step."""
    a, x = axis, size_symbol
    exact = a.span / a.stride
    return [
        rf"k_{{\text{{eff}},{x}}} = d\,(k-1)+1 = {a.dilation}\cdot({a.kernel}-1)+1 = "
        rf"{a.effective_kernel}",
        rf"{x}_{{\text{{pad}}}} = {x} + p_{{\text{{before}}}} + "
        rf"p_{{\text{{after}}}} = {a.size} + {a.pad_before} + {a.pad_after} = {a.padded}",
        rf"{x}_{{\text{{out}}}} = \left\lfloor \frac{{{a.padded} - "
        rf"{a.effective_kernel}}}{{{a.stride}}} \right\rfloor + 1 = \left\lfloor "
        rf"{exact:.4g} \right\rfloor + 1 = {a.quotient} + 1 = {a.output}",
    ]


def formula_block(axes: tuple[convlab.AxisArithmetic, ...]) -> str:
    """The general formula above every axis's worked steps as one LaTeX block (one formula
    for the browser to typeset on each rerun), one axis under another: two axes side by
    side ran wider than the formula's column at 1280 px, and KaTeX cuts what does not fit."""
    symbols = convlab.AXIS_NAMES[len(axes)]
    steps = [formula_latex(a, x) for a, x in zip(axes, symbols, strict=True)]
    rows = r" \\[8pt] ".join(r" \\[2pt] ".join(axis) for axis in steps)
    return (rf"\begin{{gathered}}{general(symbols[-1 if len(axes) == 1 else 0])} \\[10pt] "
            rf"\begin{{array}}{{l}} {rows} \end{{array}}\end{{gathered}}")


def axis_words(dims: int) -> tuple[str, ...]:
    """Each axis's name, outermost first."""
    return {1: (t("os.axis_l"),), 2: (t("os.axis_h"), t("os.axis_w")),
            3: (t("os.axis_d"), t("os.axis_h"), t("os.axis_w"))}[dims]


def input_shape(v: Mapping[str, Any], dims: int) -> tuple[int, ...]:
    """``(N, C_in, L)``, ``(N, C_in, H, W)`` or ``(N, C_in, D, H, W)``."""
    sizes = {1: (v["l"],), 2: (v["h"], v["w"]), 3: (v["t"], v["h"], v["w"])}[dims]
    return (v["n"], v["cin"], *sizes)


def floor_note(axis: convlab.AxisArithmetic, axis_name: str) -> str:
    """What the floor did on this axis, and how to get one more output."""
    if axis.remainder == 0:
        return t("os.floor_exact", axis=axis_name)
    return t("os.floor_drops", axis=axis_name, r=axis.remainder,
             need=axis.stride - axis.remainder)


def explorer_data(spec: convlab.Conv2dSpec, size: tuple[int, int],
                  cell: tuple[int, int]) -> dict[str, Any]:
    """The window explorer's payload: one input channel numbered 1, 2, ... and padded as
    the layer pads it, the kernel's taps and the output cells (``cell`` picked)."""
    return {**_explorer_data(spec, (size[0], size[1]), language()), "pick": list(cell)}


@st.cache_data(max_entries=64, show_spinner=False)
def _explorer_data(spec: convlab.Conv2dSpec, size: tuple[int, int],
                   lang: str) -> dict[str, Any]:
    """Cached on the layer's plain values (``lang`` keys the words): a click only changes
    the pick."""
    taps = convlab.tap_map(spec, size)
    values = (taps.source + 1).reshape(taps.padded_shape)  # 0 where the layer pads zeros
    mode = spec.padding_mode
    # input and output side by side (the window and its cell in one glance), the taps after
    rows = [[explorer.padded_panel("x", taps, values, t("os.grid_title", mode=mode),
                                   weights="k"),
             explorer.cells_panel("y", taps.out_shape, t("os.out_title")),
             explorer.kernel_panel("k", None, taps.kernel_size, t("ex.kernel_taps"))]]
    return explorer.payload(taps, rows, pick=None, words=explorer.words(),
                            legend=explorer.legend())


def thumbnail() -> str:
    """The home card's picture: a 4 x 4 input padded by 1 under a 3 x 3 kernel, the first
    window selected."""
    pic = convlab.Conv2dSpec(1, 1, 3, padding=1).window_picture((4, 4))
    return grids.padded_grid(pic, (0, 0), charts.role_labels(), "", show_legend=False,
                             budget=150)


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code's output shape and parameter count are the page's."""
    return shown.shape_and_parameters("os.out_shape", ns["y"].shape, printed)


LESSON = Lesson("output_size", "os", ":material/straighten:", order=10,
                params=tuple(PARAMS), preset_values=preset_values, helps=HELPS, more=MORE,
                sections=("coverage", "twins"), refusal={"sh": "0"}, code_check=code_check,
                thumbnail=thumbnail)
