"""Hypothesis strategies the test modules share (one definition each)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def int_or_pair(elements: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An int as PyTorch takes it, or an ``(h, w)`` pair of them."""
    return st.one_of(elements, st.tuples(elements, elements))
