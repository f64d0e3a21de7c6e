"""The fully-connected ≡ convolution page: parameters, presets and its pictures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

import convlab
from ui.frame import Frame, preset_param
from ui.frame.controls import conv_params
from ui.i18n import t
from ui.pictures import charts, grids
from ui.registry import Lesson, Shown
from ui.urlstate import IntParam

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


@st.cache_data(max_entries=64, show_spinner=False)
def forms(preset: str, device: str) -> convlab.FCForms:
    return convlab.fc_forms(preset, device)


@st.cache_data(max_entries=256, show_spinner=False)
def unroll(kwargs: dict[str, Any], shape: tuple[int, int, int], seed: int,
           device: str) -> convlab.Unrolled:
    return convlab.unrolled(kwargs, shape, seed, device)


@st.cache_data(max_entries=128, show_spinner=False)
def slide(preset: str, extra: int, seed: int,
          device: str) -> tuple[np.ndarray, convlab.CheckResult]:
    return convlab.slid(preset, extra, seed, device)


def outputs_table(outputs: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The outputs of each form side by side, one row per output feature."""
    table = pd.DataFrame({t(f"fc.form.{k}"): v for k, v in outputs.items()})
    first = outputs["linear"]
    table[t("fc.equal")] = ["✅" if all(float(v[i]) == float(first[i])
                                        for v in outputs.values()) else "≈"
                            for i in range(first.size)]
    return table.round(4)


def weight_mapping(page: Frame, forms: convlab.FCForms) -> None:
    """Each weight row of the Linear beside the kernel it becomes, on one colour scale,
    and its bias beside the convolution's bias."""
    W, b = forms.weight, forms.bias
    bound = float(np.abs(W).max())
    c, h, w = forms.input_shape
    words = charts.cell_words()
    rows = []
    for r in range(W.shape[0]):
        row = [grids.heatmap(W[r][None], t("fc.row_title", r=r), words, bound=bound,
                             px_budget=200)]
        row += [grids.heatmap(W[r].reshape(c, h, w)[ch], t("fc.kernel_title", r=r, c=ch), words,
                              bound=bound, px_budget=200) for ch in range(c)]
        rows.append(row)
    page.picture(*rows)
    if b is not None:
        st.caption(t("fc.bias_to_bias", values=", ".join(f"{v:.4f}" for v in b)))


def codes(page: Frame, preset: str) -> None:
    page.code(convlab.linear_to_conv2d_code(preset, "full"), t("fc.code_full"))
    page.code(convlab.linear_to_conv2d_code(preset, "pointwise"), t("fc.code_pointwise"))


def unrolled_picture(page: Frame, u: convlab.Unrolled, kwargs: dict[str, Any],
                     shape: tuple[int, int, int]) -> None:
    """The Linear equivalent to the convolution: each shared weight in its own colour."""
    M = u.matrix
    if u.index is not None:
        index = u.index
        names = [f"K[{','.join(map(str, i))}]" for i in np.ndindex(*u.weight_shape)]
    else:  # reflected or wrapped padding: entries mix weights, so one colour for non-zeros
        st.info(t("fc.mixed_entries"), icon=":material/info:")
        index = np.where(M != 0, 0, -1)
        names = [t("fc.mixed")]
    words = {**charts.cell_words(), "weight": t("fc.weight")}
    page.picture([grids.shared_weights(
        index, M, names, t("fc.unrolled_title", rows=M.shape[0], cols=M.shape[1]), words,
        crowded=t("fc.crowded", n=len(names), limit=grids.DISTINCT_UP_TO))])
    page.code(convlab.conv2d_to_linear_code(kwargs, shape, seed=page["seed"]),
              t("fc.code_unroll"))


def growth(page: Frame, cin: int, cout: int, kernel: Any) -> None:
    """Parameters of a fully-connected, a locally connected and a convolutional layer as
    the input grows (same padding keeps the output as large as the input)."""
    records = convlab.parameter_growth(cin, cout, [(s, s) for s in GROWTH_SIDES], kernel,
                                       padding="same")
    frame = pd.DataFrame({"side": [r.height for r in records],
                          "parameters": [r.parameters for r in records],
                          "layer": [t(f"fc.layer.{r.layer}") for r in records]})
    page.chart(charts.spec(charts.growth_chart, frame, t("fc.growth_title"), t("fc.side"),
                           t("count.params"), t("fc.layer")), "growth")


def output_maps(page: Frame, Y: np.ndarray) -> None:
    """Each output channel of the slid layer: entry (i, j) is the FC layer on crop (i, j)."""
    words = charts.cell_words()
    page.picture([grids.heatmap(Y[o], t("fc.map_title", o=o), words, px_budget=180)
                  for o in range(Y.shape[0])])


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The two forms agree when a learner runs them, and the Linear -> Conv2d scripts print
    the page's outputs (its table's first column)."""
    if "max_abs_diff" not in printed:
        return [f"the code does not print max_abs_diff: {printed!r}"]
    wrong = []
    diff = float(printed.rsplit("max_abs_diff", 1)[1].split()[0])
    if not diff < 1e-5:
        wrong.append(f"the two forms differ by {diff}")
    if "in_features" not in printed:
        if shown.table is None:
            return [*wrong, "the page shows no table of outputs"]
        linear = [round(float(v), 4) for v in shown.table.iloc[:, 0]]
        code = [round(v, 4) for v in ns["y_linear"].flatten().tolist()]
        if code != linear:
            wrong.append(f"Linear outputs: page {linear}, code {code}")
    return wrong


LESSON = Lesson("fc_conv", "fc", ":material/swap_horiz:", order=50,
                params=tuple(PARAMS), preset_values=preset_values, refusal={"groups": "2"},
                code_check=code_check)
