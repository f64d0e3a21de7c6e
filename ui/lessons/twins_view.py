"""Two layers with the same arguments (study note 004), as a section a page opens on demand."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

import convlab
from ui.frame import Frame, layout
from ui.i18n import t
from ui.pictures import charts, grids

SEED = 0


@st.cache_data(max_entries=64, show_spinner=False)
def _twins(kwargs: tuple, input_shape: tuple, seed: int, device: str) -> convlab.TwinLayers:
    return convlab.twin_layers(dict(kwargs), input_shape, seed, device)


def _plane(a: np.ndarray) -> np.ndarray:
    """The first sample/channel (and depth slice) of an array as a 2-D grid."""
    plane = a[0, 0] if a.ndim >= 3 else a[0]
    while plane.ndim > 2:
        plane = plane[0]
    return plane.reshape(1, -1) if plane.ndim == 1 else plane


def twin_layers_section(page: Frame, conv_kwargs: dict[str, Any],
                        input_shape: tuple[int, ...]) -> None:
    """A closed section; open, two layers built alike, their weights, outputs and checks."""
    box = page.section("twins", t("twins.section"), icon=":material/casino:")
    if box is None:
        return
    with box:
        tw = page.attempt(_twins, tuple(conv_kwargs.items()), tuple(input_shape), SEED,
                          page.device, oracle=convlab.LayerOracle.of(
                              f"Conv{len(input_shape) - 2}d", conv_kwargs, input_shape))
        if tw is None:
            return
        st.markdown(t("twins.intro", seed=SEED))
        row = layout.row()
        row.metric(t("twins.fan_in"), f"{tw.fan_in:,}")
        row.metric(t("twins.bound"), f"{tw.bound:.4f}")
        row.metric(t("twins.compare"), t("twins.differ") if tw.outputs_differ else t("twins.same"))
        words = charts.cell_words()
        page.picture(
            [grids.heatmap(_plane(tw.weight_a), t("twins.weight_a"), words, bound=tw.bound),
             grids.heatmap(_plane(tw.weight_b), t("twins.weight_b"), words, bound=tw.bound)],
            [grids.heatmap(_plane(tw.output_a), t("twins.output_a"), words),
             grids.heatmap(_plane(tw.output_b), t("twins.output_b"), words)])
        st.caption(t("twins.slice_note"))
        page.check(tw.checks)
        page.code(convlab.twin_layers_code(conv_kwargs, input_shape, SEED), t("twins.code"))
