"""The 1×1-convolution page: parameters, presets and its pictures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
import torch

import convlab
from convlab.pointwise.checks import DEFAULT_TOLERANCES
from ui.frame import Frame, pick_params, preset_param
from ui.i18n import t
from ui.pictures import charts, grids
from ui.registry import Lesson, Shown
from ui.urlstate import BoolParam, IntParam

# 8 channels each way on 8 x 8 pixels keeps every matrix drawable cell by cell (8 x 64).
BOUNDS = {"cin": (1, 8), "cout": (1, 8), "h": (1, 8), "w": (1, 8), "n": (1, 4),
          "seed": (0, 9999), "img": (0, 3)}
PRESETS: dict[str, dict[str, Any]] = {
    "d2l": {"cin": 3, "cout": 2, "h": 3, "w": 3, "n": 1, "seed": 0, "bias": False},
    "rgb_to_4": {"cin": 3, "cout": 4, "h": 6, "w": 6, "n": 1, "seed": 1, "bias": True},
    "batch": {"cin": 4, "cout": 2, "h": 4, "w": 5, "n": 3, "seed": 2, "bias": True},
    "custom": {},
}
DEFAULTS = PRESETS["d2l"]
INPUT = ("cin", "cout", "h", "w", "n", "seed")
# Beside the picture: the preset, channels, size and the picked pixel; the batch, the
# seed, the bias and which image of the batch in "More settings".
MORE = ("n", "seed", "bias", "img")
PARAMS = [preset_param(list(PRESETS)),
          *[IntParam(k, DEFAULTS.get(k, 0), *BOUNDS[k]) for k in (*INPUT, "img")],
          BoolParam("bias", False), *pick_params(8, 8)]
DIM_COLOURS = {"cin": charts.OKABE_ITO["orange"], "cout": charts.OKABE_ITO["blue"],
               "hw": charts.OKABE_ITO["green"]}
# The timing sweep: (N, C_in, C_out, H, W) from small to large.
SWEEP = ((1, 16, 16, 16, 16), (1, 64, 64, 28, 28), (8, 64, 128, 28, 28),
         (8, 256, 256, 14, 14), (16, 256, 512, 28, 28))


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    return {**PRESETS[name], "img": 0, "oi": 0, "oj": 0} if PRESETS.get(name) else {}


def tensors(v: Mapping[str, Any]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """X (N, C_in, H, W), K (C_out, C_in, 1, 1) and the bias, drawn as d2l draws them."""
    X, K = convlab.pointwise_example(v["cin"], v["cout"], v["h"], v["w"], v["n"], v["seed"])
    return X, K, convlab.pointwise_bias(v["cout"]) if v["bias"] else None


@st.cache_data(max_entries=64, show_spinner=False)
def checks(cin: int, cout: int, h: int, w: int, n: int, seed: int, bias: bool,
           device: str) -> convlab.PointwiseResult:
    """The layer's four forms and d2l's loop, checked (cached on plain values: picking a
    pixel, or a rerun of the page, does not run the loop reference again)."""
    X, K, b = tensors({"cin": cin, "cout": cout, "h": h, "w": w, "n": n, "seed": seed,
                       "bias": bias})
    return convlab.pointwise_checks(X, K, b, device=device)


def shape_question(v: Mapping[str, Any], shape: tuple[int, ...]
                   ) -> tuple[str, tuple[int, ...], dict[str, tuple[int, ...]]]:
    """Predict the output's shape: with one image, d2l's unbatched X ``(C_in, H, W)`` and
    its answer ``(C_out, H, W)``; with a batch, ``(N, C_in, H, W)`` -> ``(N, C_out, H, W)``.
    ``shape`` is the computed Y's, ``(N, C_out, H, W)``. Returns the question, the answer
    and the slips that differ from it."""
    n, c_in, c_out, h, w = v["n"], v["cin"], v["cout"], v["h"], v["w"]
    words = dict(n=n, i=c_in, o=c_out, h=h, w=w)
    if n == 1:
        question, truth = t("pw.predict_one", **words), shape[1:]  # Y[0]: (C_out, H, W)
        slips = {"swapped": (c_in, h, w), "pw_batch_added": (1, c_out, h, w)}
    else:
        question, truth = t("pw.predict", **words), shape
        slips = {"no_batch": (c_out, h, w), "swapped": (n, c_in, h, w)}
    return question, truth, {k: s for k, s in slips.items() if s != truth}


def d2l_check(result: convlab.PointwiseResult) -> None:
    """d2l's figure, the total |matmul - loop|, worded by how it compares with d2l's 1e-6
    and with the dtype's tolerance summed over the outputs: an error box only when it fails."""
    verdict = result.loop_verdict
    rtol, atol = DEFAULT_TOLERANCES.get(getattr(torch, result.dtype), (0.0, 0.0))
    text = t(f"pw.d2l_check.{verdict}", diff=f"{result.loop_total_abs_diff:.2e}",
             tol=f"{result.loop_tolerance:.2e}", count=result.Y.numel(), dtype=result.dtype,
             atol=f"{atol:g}", rtol=f"{rtol:g}")
    if verdict == "exceeds":
        st.error(text, icon=":material/error:")
    else:
        st.success(text, icon=":material/check:")


def reshape_picture(page: Frame, X: np.ndarray, K: np.ndarray, Y: np.ndarray,
                    pixel: int) -> None:
    """K (C_out, C_in) @ X (C_in, H·W) = Y (C_out, H·W) on one colour scale, each axis in
    its dimension's colour, the picked pixel's column outlined."""
    c_in, c_out, hw = K.shape[1], K.shape[0], X.shape[1]
    cin, cout, pix = (t("pw.dim.cin"), DIM_COLOURS["cin"]), (t("pw.dim.cout"),
                                                             DIM_COLOURS["cout"]), (
        t("pw.dim.hw"), DIM_COLOURS["hw"])
    bound = float(max(np.abs(X).max(), np.abs(K).max(), np.abs(Y).max(), 1e-9))
    words = charts.cell_words()

    def matrix(M: np.ndarray, title: str, axes: grids.Axes, highlight: list) -> str:
        return grids.heatmap(M, title, words, highlight=highlight, bound=bound, px_budget=300,
                             axes=axes)

    page.picture([
        matrix(K, t("pw.k_matrix", o=c_out, i=c_in), grids.Axes(*cout, *cin), []),
        matrix(X, t("pw.x_matrix", i=c_in, hw=hw), grids.Axes(*cin, *pix),
               [(c, pixel) for c in range(c_in)]),
        matrix(Y, t("pw.y_matrix", o=c_out, hw=hw), grids.Axes(*cout, *pix),
               [(o, pixel) for o in range(c_out)])])


def pixel_table(pixel: convlab.PixelLinear, linear_y: torch.Tensor) -> pd.DataFrame:
    """The pixel's output from the convolution and from nn.Linear, side by side."""
    return pd.DataFrame({t("mc.o"): list(range(pixel.y.numel())),
                         t("pw.col.conv"): pixel.y.cpu().tolist(),
                         t("pw.col.linear"): linear_y.cpu().tolist()}).round(4)


def costs(page: Frame, c_in: int, c_out: int, h: int, w: int) -> None:
    """Why 1×1 layers are used: parameters and multiply-accumulates of each comparison."""
    rows = [(c, "pw.group.k") for c in convlab.pointwise_costs(c_in, c_out, h, w)]
    rows += [(c, "pw.group.bottleneck") for c in convlab.bottleneck_costs(256, 14, 14)
             if c.name_id in ("bottleneck", "standard")]
    rows += [(c, "pw.group.separable") for c in convlab.depthwise_separable_costs(
        c_in, c_out, h, w) if c.name_id in ("depthwise_separable", "standard")]
    names = [t(f"pw.cost.{c.name_id}", g=t(group)) for c, group in rows]
    frame = charts.cost_frame(names, [t(g) for _, g in rows], [c.params for c, _ in rows],
                              [c.macs for c, _ in rows], (t("count.params"), t("count.macs")))
    page.chart(charts.spec(charts.cost_chart, frame, t("pw.cost_title"), t("pw.count"),
                           t("pw.comparison")), "costs")


@dataclass(frozen=True)
class TimingRun:
    """A timing sweep's records and how many CPU threads PyTorch ran it with."""

    timings: list[convlab.PointwiseTiming]
    threads: int


def run_timing(shapes: Any, device: str, progress: Any = None) -> TimingRun:
    """:func:`convlab.time_pointwise_forms`, noting ``torch.get_num_threads()`` while it runs
    (the page frame lends the sweep every core; a page's rerun keeps one)."""
    return TimingRun(convlab.time_pointwise_forms(shapes, device, progress=progress),
                     torch.get_num_threads())


def timing_chart(page: Frame, run: TimingRun) -> None:
    """Time and achieved GFLOP/s of each form over the sweep, and what ran it: the threads,
    and that the channels-last permute happens before the clock starts."""
    timings = run.timings
    size = ["×".join(map(str, r.shape)) for r in timings]
    form = [t(f"pw.form.{r.form_id}") for r in timings]
    st.caption(t("pw.timing_setup", threads=run.threads))
    for measure, values, log in (("ms", [1000 * r.seconds for r in timings], True),
                                 ("gflops", [r.gflops for r in timings], False)):
        frame = pd.DataFrame({"size": size, "form": form, "value": values})
        page.chart(charts.spec(charts.timing_chart, frame, t(f"pw.timing.{measure}"),
                               t("pw.timing.size"), t(f"pw.timing.{measure}_axis"),
                               t("pw.timing.form"), log), f"timing_{measure}")


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code's outputs at the picked pixel are the page's (its table's second
    column)."""
    if shown.table is None:
        return ["the page shows no table of the picked pixel's outputs"]
    i, j, n = (shown.values[k] for k in ("oi", "oj", "img"))
    Y = ns["Y1"] if ns["Y1"].dim() == 4 else ns["Y1"][None]
    conv = [round(float(v), 4) for v in shown.table.iloc[:, 1]]
    code = [round(float(v), 4) for v in Y[n, :, i, j]]
    wrong = []
    if code != conv:
        wrong.append(f"outputs at image {n}, pixel ({i}, {j}): page {conv}, code {code}")
    if not printed.strip():
        wrong.append("the code prints nothing")
    return wrong


LESSON = Lesson("pointwise", "pw", ":material/grid_view:", order=40,
                params=tuple(PARAMS), preset_values=preset_values, more=MORE, code_check=code_check)
