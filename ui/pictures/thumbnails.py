"""Small live pictures for the home page's cards, one per lesson page that has one."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import convlab
from ui.pictures import charts, grids


def _output_size() -> str:
    """A 4 x 4 input padded by 1 under a 3 x 3 kernel, the first window selected."""
    pic = convlab.Conv2dSpec(1, 1, 3, padding=1).window_picture((4, 4))
    return grids.padded_grid(pic, (0, 0), charts.role_labels(), "", show_legend=False,
                             budget=150)


def _multichannel() -> str:
    """d2l's two-channel example: 56 72 104 120."""
    X, K = convlab.d2l_two_channel_example()
    Y = convlab.corr2d_multi_in(X, K).numpy()
    return grids.heatmap(Y, "", charts.cell_words(), highlight=[(0, 0)], px_budget=150)


BUILDERS: dict[str, Callable[[], str]] = {
    "output_size": _output_size,
    "multichannel": _multichannel,
}


@st.cache_data(show_spinner=False)
def thumbnail(stem: str, lang: str) -> str | None:
    """The card picture of page ``stem``, :func:`ui.pictures.grids.page` HTML (``lang`` keys the
    cache: tooltips are translated)."""
    builder = BUILDERS.get(stem)
    return grids.page([builder()]) if builder else None
