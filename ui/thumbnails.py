"""Small live pictures for the home page's cards, one per lesson page that has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import convlab

from . import charts


def _output_size() -> dict[str, Any]:
    """A 4 x 4 input padded by 1 under a 3 x 3 kernel, the first window selected."""
    pic = convlab.Conv2dSpec(1, 1, 3, padding=1).window_picture((4, 4))
    labels = charts.role_labels()
    frame = charts.window_picture_frame(pic, (0, 0), labels)
    return charts.padded_grid_chart(frame, 6, 6, labels, "", legend=False).properties(
        width=150, height=150).to_dict()


def _multichannel() -> dict[str, Any]:
    """d2l's two-channel example: 56 72 104 120."""
    X, K = convlab.d2l_two_channel_example()
    Y = convlab.corr2d_multi_in(X, K).numpy()
    return charts.heatmap(charts.heatmap_frame(Y, [(0, 0)]), 2, 2, "",
                          charts.cell_words(),
                          px_budget=150).to_dict()


BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "output_size": _output_size,
    "multichannel": _multichannel,
}


@st.cache_data(show_spinner=False)
def thumbnail(stem: str, lang: str) -> dict[str, Any] | None:
    """The card picture of page ``stem`` (``lang`` keys the cache: tooltips are translated)."""
    builder = BUILDERS.get(stem)
    return builder() if builder else None
