"""Small live pictures for the home page's cards, one per lesson page whose record has a
``thumbnail`` builder."""

from __future__ import annotations

import streamlit as st

from ui.pictures import grids
from ui.registry import page


@st.cache_data(show_spinner=False)
def thumbnail(stem: str, lang: str) -> str | None:
    """The card picture of page ``stem``, :func:`ui.pictures.grids.page` HTML (``lang`` keys the
    cache: tooltips are translated)."""
    builder = page(stem).thumbnail
    return grids.page([builder()]) if builder else None
