"""The pooling page's URL parameters, presets, input tensor, layer keyword arguments, size
formula and the cached, checked computation (d2l 7.5); its pictures are in
``pooling_pictures``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st
import torch

import convlab
from ui.frame import Frame, pick_params, preset_param
from ui.registry import Lesson, Shown
from ui.urlstate import BoolParam, ChoiceParam, IntParam

KINDS = convlab.POOL_KINDS
# Inputs up to 3 channels of 10 x 10: every tensor is a few hundred numbers.
BOUNDS = {"c": (1, 3), "h": (1, 10), "w": (1, 10), "kh": (1, 5), "kw": (1, 5), "sh": (1, 5),
          "sw": (1, 5), "ph": (0, 2), "pw": (0, 2), "dh": (1, 3), "dw": (1, 3), "div": (0, 25),
          "oh": (1, 6), "ow": (1, 6)}
MAX_OUT = 12  # 10 + 2 * 2 - 3 + 1 at most, a ceil window more: 12 covers every output side
MORE = ("dh", "dw", "div", "data")
PRESETS = ("d2l_max", "d2l_avg", "d2l_k3", "d2l_k3p1s2", "d2l_rect", "d2l_two", "ceil_added",
           "ceil_dropped", "adaptive_7to3", "global_avg", "custom")
_BASE = {"kind": "max", "data": "arange", "c": 1, "h": 4, "w": 4, "kh": 3, "kw": 3,
         "sdef": True, "sh": 3, "sw": 3, "ph": 0, "pw": 0, "dh": 1, "dw": 1, "ceil": False,
         "cip": True, "div": 0, "oh": 3, "ow": 3, "ch": 0, "oi": 0, "oj": 0}
_PRESET_VALUES: dict[str, dict[str, Any]] = {
    # d2l's pool2d slides one cell at a time over X = 0..8
    "d2l_max": {"h": 3, "w": 3, "kh": 2, "kw": 2, "sdef": False, "sh": 1, "sw": 1},
    "d2l_avg": {"kind": "avg", "h": 3, "w": 3, "kh": 2, "kw": 2, "sdef": False, "sh": 1,
                "sw": 1},
    "d2l_k3": {},  # nn.MaxPool2d(3): the stride defaults to the window
    "d2l_k3p1s2": {"sdef": False, "sh": 2, "sw": 2, "ph": 1, "pw": 1},
    "d2l_rect": {"kh": 2, "kw": 3, "sdef": False, "sh": 2, "sw": 3, "ph": 0, "pw": 1},
    "d2l_two": {"c": 2, "sdef": False, "sh": 2, "sw": 2, "ph": 1, "pw": 1},
    "ceil_added": {"sdef": False, "sh": 2, "sw": 2, "ceil": True},
    "ceil_dropped": {"kh": 2, "kw": 2, "sdef": False, "sh": 3, "sw": 3, "ph": 1, "pw": 1,
                     "ceil": True},
    "adaptive_7to3": {"kind": "adaptive_avg", "h": 7, "w": 7, "oh": 3, "ow": 3},
    "global_avg": {"kind": "adaptive_avg", "oh": 1, "ow": 1},
}


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of a preset (``custom`` keeps what is there)."""
    if name not in _PRESET_VALUES:
        return {}
    values = {**_BASE, **_PRESET_VALUES[name]}
    if values["sdef"]:
        values["sh"], values["sw"] = values["kh"], values["kw"]
    return values


DEFAULTS = preset_values(PRESETS[0], {})
PARAMS = [
    preset_param(PRESETS),
    ChoiceParam("kind", DEFAULTS["kind"], KINDS),
    ChoiceParam("data", "arange", ("arange", "random")),
    *(IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in BOUNDS),
    BoolParam("sdef", DEFAULTS["sdef"]),
    BoolParam("ceil", False),
    BoolParam("cip", True),
    IntParam("ch", 0, 0, BOUNDS["c"][1] - 1),
    *pick_params(MAX_OUT, MAX_OUT),
]


def input_tensor(v: Mapping[str, Any]) -> np.ndarray:
    """X ``(C, H, W)``: d2l's arange, channel c shifted by c (X, X + 1, ...), or small
    random whole numbers (ties show which maximum wins)."""
    c, h, w = v["c"], v["h"], v["w"]
    if v["data"] == "random":
        return np.random.default_rng(0).integers(0, 10, (c, h, w)).astype(float)
    return np.arange(h * w, dtype=float).reshape(1, h, w) + np.arange(c).reshape(c, 1, 1)


def layer_kwargs(v: Mapping[str, Any]) -> dict[str, Any]:
    """The layer's keyword arguments, as PyTorch takes them, pairs shown as one int when
    square (``stride=None`` while it follows the kernel)."""
    def pair(a: str, b: str) -> int | tuple[int, int]:
        return v[a] if v[a] == v[b] else (v[a], v[b])

    if v["kind"].startswith("adaptive"):
        return {"output_size": pair("oh", "ow")}
    kw: dict[str, Any] = {"kernel_size": pair("kh", "kw"),
                          "stride": None if v["sdef"] else pair("sh", "sw"),
                          "padding": pair("ph", "pw"), "ceil_mode": v["ceil"]}
    if v["kind"] == "max":
        kw["dilation"] = pair("dh", "dw")
    else:
        kw.update(count_include_pad=v["cip"], divisor_override=v["div"] or None)
    return {k: val for k, val in kw.items() if not (k == "stride" and val is None)}


@st.cache_data(max_entries=128, show_spinner=False)
def compute(x: tuple, shape: tuple[int, int, int], kind: str, kw: tuple,
            device: str) -> convlab.PoolResult:
    """The layer run the lesson's way and PyTorch's, cached on plain values."""
    X = torch.tensor(x, dtype=torch.float32).reshape(shape)
    return convlab.run_pool(X, kind, dict(kw), device)


def formula(axes: tuple[convlab.PoolAxis, ...]) -> str:
    """Both axes' sizes with the numbers substituted, in LaTeX."""
    lines = []
    for name, a in zip(("H", "W"), axes, strict=True):
        op = r"\left\lceil" if a.ceil_mode else r"\left\lfloor"
        cl = r"\right\rceil" if a.ceil_mode else r"\right\rfloor"
        value = a.rounded_up if a.ceil_mode else a.floor_output
        line = (rf"{name}_{{out}} = {op}\frac{{{a.size} + 2\cdot{a.padding} - {a.dilation}"
                rf"\cdot({a.kernel} - 1) - 1}}{{{a.stride}}}{cl} + 1 = {value}")
        if a.ceil_mode and a.extra == "dropped":
            line += rf" \to {a.output}"
        lines.append(line)
    return r"\begin{array}{l} " + r" \\[4pt] ".join(lines) + r" \end{array}"


def attempt(page: Frame, X: np.ndarray, kind: str,
            kw: dict[str, Any]) -> convlab.PoolResult | None:
    """The layer on X, or ``None`` after the refusal is explained (where it is called),
    checked against PyTorch's own pooling layer."""
    oracle = convlab.LayerOracle.of(convlab.pooling.MODULE_NAMES[kind],
                                    convlab.pool_kwargs(kind, kw), (1, *X.shape))
    return page.attempt(compute, tuple(X.ravel().tolist()), X.shape, kind, tuple(kw.items()),
                        page.device, oracle=oracle)


def predict_value(page: Frame, question: str, truth: float,
                  slips: Mapping[str, tuple[float, ...]]) -> None:
    """The second question (one output's value), a box of its own."""
    page.predict(question, (truth,), dict(slips), name="guess_value")


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code's output shape and its value at the picked cell are the page's."""
    wrong = []
    shape = " × ".join(map(str, ns["Y"].shape))
    if shown.metric("pool.out_shape") != shape:
        wrong.append(f"output shape: page {shown.metric('pool.out_shape')!r}, code {shape!r}")
    i, j = (shown.values[k] for k in ("oi", "oj"))
    value = shown.metric("pool.value", i=i, j=j)
    code = float(ns["Y"].detach()[0, i, j])
    if not abs(code - float(value)) < 1e-3:
        wrong.append(f"Y[0, {i}, {j}]: page {value}, code {code}")
    if not re.search(r"tensor\(", printed):
        wrong.append(f"the code prints no tensor: {printed!r}")
    return wrong


LESSON = Lesson("pooling", "pool", ":material/filter_center_focus:", order=70,
                params=tuple(PARAMS), preset_values=preset_values, more=MORE, refusal={"ph": "2"},
                code_check=code_check)
