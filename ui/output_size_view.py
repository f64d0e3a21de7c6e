"""The output-size page's URL parameters, bounds, presets and formula rendering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import convlab

from .conv_controls import conv_params
from .frame import pick_params, preset_param
from .i18n import t
from .urlstate import IntParam

PAGE = "output_size"

# Bounds keep one rerun under ~50 MB and well under a second on a laptop CPU:
# the largest input is 4 x 16 x 64 x 64 and the largest padded output 4 x 16 x 96 x 96.
# Kernel, stride and dilation start at 0 and padding at -1 so PyTorch's refusals stay
# reachable: seeing why they fail is part of the lesson.
BOUNDS = {"n": (1, 4), "cin": (1, 16), "cout": (1, 16), "groups": (1, 16),
          "h": (1, 64), "w": (1, 64), "kh": (0, 9), "kw": (0, 9), "sh": (0, 8), "sw": (0, 8),
          "ph": (-1, 16), "pw": (-1, 16), "dh": (0, 4), "dw": (0, 4)}
DEFAULTS = {"n": 1, "cin": 3, "cout": 4, "groups": 1, "h": 8, "w": 8, "kh": 3, "kw": 3,
            "sh": 2, "sw": 2, "ph": 1, "pw": 1, "dh": 1, "dw": 1}
INPUT = ("n", "cin", "cout", "h", "w")
HELPS = {k: "os.zero_help" for k in ("kh", "sh", "dh")}  # 0 is reachable: see it refused
MAX_OUT = 96  # the largest output side these bounds allow (64 + 2 * 16 with kernel 1)

PARAMS = [IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in INPUT] + conv_params(
    BOUNDS, DEFAULTS, mode=True, lock=True)

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
}
PARAMS += [preset_param(list(PRESETS)), *pick_params(MAX_OUT, MAX_OUT)]
PRESET_FIELDS = {"dh": 1, "dw": 1, "groups": 1, "mode": "zeros", "bias": True, "oi": 0, "oj": 0}


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """A preset's settings ("custom" keeps the current ones)."""
    return {} if name == "custom" else {**PRESET_FIELDS, **PRESETS[name]}


GENERAL = (r"H_{\text{out}} = \left\lfloor \frac{H + p_{\text{before}} + p_{\text{after}}"
           r" - d\,(k-1) - 1}{s} \right\rfloor + 1")


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


def formula_block(axes: tuple[convlab.AxisArithmetic, convlab.AxisArithmetic]) -> str:
    """The general formula above both axes' worked steps (height left, width right), as
    one LaTeX block: one formula for the browser to typeset on each rerun, not three."""
    h, w = (formula_latex(a, x) for a, x in zip(axes, "HW", strict=True))
    # KaTeX's array takes no @{...} column spacing: the gap is a \qquad after each H step.
    rows = r" \\[2pt] ".join(rf"{a} \qquad\qquad & {b}" for a, b in zip(h, w, strict=True))
    return (rf"\begin{{gathered}}{GENERAL} \\[10pt] "
            rf"\begin{{array}}{{ll}} {rows} \end{{array}}\end{{gathered}}")


def floor_note(axis: convlab.AxisArithmetic, axis_name: str) -> str:
    """What the floor did on this axis, and how to get one more output."""
    if axis.remainder == 0:
        return t("os.floor_exact", axis=axis_name)
    return t("os.floor_drops", axis=axis_name, r=axis.remainder,
             need=axis.stride - axis.remainder)
