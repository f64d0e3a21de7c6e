"""The fully-connected ≡ convolution page: parameters, presets and its pictures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
import torch

import convlab

from . import charts
from .conv_controls import conv_params
from .frame import Frame, preset_param
from .i18n import t
from .urlstate import IntParam

PAGE = "fc_conv"
# Section 2's convolution stays small enough to draw its unrolled matrix cell by cell:
# at most (2 * 8 * 8) x (2 * 6 * 6) = 128 x 72 entries.
BOUNDS = {"cin": (1, 2), "cout": (1, 2), "h": (2, 6), "w": (2, 6), "kh": (1, 4), "kw": (1, 4),
          "sh": (1, 3), "sw": (1, 3), "ph": (0, 1), "pw": (0, 1), "dh": (1, 2), "dw": (1, 2),
          "groups": (1, 2)}
DEFAULTS = {"cin": 1, "cout": 1, "h": 4, "w": 4, "kh": 3, "kw": 3, "ph": 0, "pw": 0}
INPUT = ("cin", "cout", "h", "w")
PARAMS = [preset_param(convlab.FC_PRESETS),
          *[IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in INPUT],
          *conv_params(BOUNDS, DEFAULTS, mode=True, lock=True),
          IntParam("extra", 2, 0, 6), IntParam("seed", 0, 0, 9999)]
GROWTH_SIDES = (4, 8, 16, 32, 64, 128, 224)


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """Presets only choose the linear layer of section 1; the rest stays as set."""
    return {}


def outputs_table(y: dict[str, torch.Tensor]) -> pd.DataFrame:
    """The outputs of each form side by side, one row per output feature."""
    columns = {t(f"fc.form.{k}"): v.flatten().tolist() for k, v in y.items()}
    table = pd.DataFrame(columns)
    first = next(iter(y.values())).flatten()
    table[t("fc.equal")] = ["✅" if all(float(v.flatten()[i]) == float(first[i])
                                        for v in y.values()) else "≈"
                            for i in range(first.numel())]
    return table.round(4)


def weight_mapping(page: Frame, linear: torch.nn.Linear, shape: tuple[int, int, int]) -> None:
    """Each weight row of the Linear beside the kernel it becomes, on one colour scale,
    and its bias beside the convolution's bias."""
    W = linear.weight.detach().cpu().double().numpy()
    b = linear.bias.detach().cpu().double().numpy() if linear.bias is not None else None
    bound = float(np.abs(W).max())
    c, h, w = shape
    frames, panels = {}, []
    for r in range(W.shape[0]):
        frames[f"row{r}"] = charts.heatmap_frame(W[r][None], bound=bound)
        row = [(f"row{r}", 1, W.shape[1], t("fc.row_title", r=r))]
        for ch in range(c):
            frames[f"k{r}_{ch}"] = charts.heatmap_frame(W[r].reshape(c, h, w)[ch], bound=bound)
            row.append((f"k{r}_{ch}", h, w, t("fc.kernel_title", r=r, c=ch)))
        panels.append(row)
    page.chart(charts.heatmap_grid(frames, panels, charts.cell_words(),
                           px_budget=200), "mapping")
    if b is not None:
        st.caption(t("fc.bias_to_bias", values=", ".join(f"{v:.4f}" for v in b)))


def unrolled(page: Frame, kwargs: dict[str, Any], shape: tuple[int, int, int],
             seed: int) -> convlab.CheckResult:
    """The Linear equivalent to the convolution: each shared weight in its own colour.

    Returns the check of that Linear against the convolution on a random input.
    """
    conv, x = convlab.conv_example(kwargs, shape, seed=seed)
    conv, x = conv.to(page.device), x.to(page.device)
    linear = convlab.conv2d_to_linear(conv, shape)
    M = linear.weight.detach().cpu().double().numpy()
    names = [f"K[{','.join(map(str, i))}]" for i in np.ndindex(*conv.weight.shape)]
    if conv.padding_mode == "zeros" or not any(_pads(conv)):
        index = convlab.unrolled_weight_index(conv, shape)
    else:  # reflected or wrapped padding: entries mix weights, so colour by value instead
        st.info(t("fc.mixed_entries"), icon=":material/info:")
        index = np.where(M != 0, 0, -1)
        names = [t("fc.mixed")]
    frame = charts.shared_weight_frame(index, M, names)
    words = {**charts.cell_words(), "weight": t("fc.weight")}
    page.chart(charts.spec(charts.shared_weight_chart, frame, M.shape[0], M.shape[1],
                           t("fc.unrolled_title", rows=M.shape[0], cols=M.shape[1]), words,
                           len(names)), "unrolled")
    return convlab.unroll_check(conv, x)


def _pads(conv: torch.nn.Conv2d) -> tuple[int, ...]:
    p = conv.padding
    return (1,) if isinstance(p, str) and p == "same" else tuple(p)  # type: ignore[arg-type]


def growth(page: Frame, cin: int, cout: int, kernel: Any) -> None:
    """Parameters of a fully-connected, a locally connected and a convolutional layer as
    the input grows (same padding keeps the output as large as the input)."""
    records = convlab.parameter_growth(cin, cout, [(s, s) for s in GROWTH_SIDES], kernel,
                                       padding="same")
    frame = pd.DataFrame({"side": [r.height for r in records],
                          "parameters": [r.parameters for r in records],
                          "layer": [t(f"fc.layer.{r.layer}") for r in records]})
    page.chart(charts.spec(charts.growth_chart, frame, t("fc.growth_title"), t("fc.side"),
                           t("fc.parameters"), t("fc.layer")), "growth")


def output_maps(page: Frame, Y: np.ndarray) -> None:
    """Each output channel of the slid layer: entry (i, j) is the FC layer on crop (i, j)."""
    frames = {f"map{o}": charts.heatmap_frame(Y[o]) for o in range(Y.shape[0])}
    panels = [[(f"map{o}", Y.shape[1], Y.shape[2], t("fc.map_title", o=o))
               for o in range(Y.shape[0])]]
    page.chart(charts.heatmap_grid(frames, panels, charts.cell_words(),
                           px_budget=180), "maps")
