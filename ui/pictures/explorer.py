"""The window explorer: a layer's padded input, kernel and output in one custom component
(``st.components.v2``) that answers hover, focus, arrow keys and Play in the browser.

The pure part, :mod:`ui.pictures.explorer_payload`, builds what the component draws (the panels,
words, legend and payload, and how convlab's tap map is read both ways); its names are
importable from here too. This module mounts it and reads the clicks back.

The JavaScript (``ui/components/explorer/``: plain HTML/CSS/JS, no build step) only
indexes and draws what :func:`payload` sends: no convolution arithmetic happens there.

Public API (everything is a pure function of plain values except :func:`explore`)::

    taps = convlab.tap_map(spec, (H, W))                # convlab's one window map
    data = explorer.payload(taps, rows, pick=(oi, oj), words=explorer.words())
    cell = explorer.explore(data, key=page.key("pick"))  # the cell clicked this run, or None

``rows`` is a list of rows of panels (:func:`padded_panel`, :func:`kernel_panel`,
:func:`map_panel`, :func:`cells_panel`, :func:`panel`), described with the payload's
format in :mod:`ui.pictures.explorer_payload`.

In the browser, with no rerun: hovering or focusing a cell of a pickable space outlines
what it reads (or what reads it) in every panel; arrow keys move the picked cell; Play
slides the window over every position of the pick space in order (speed control, step
button). A click (or Enter) sends the cell back to Python as the component's ``pick``
trigger, which :func:`picked` reads and :class:`ui.frame.Frame` keeps in ``oi``/``oj``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from ui.pictures.explorer_payload import (
    BUDGET_PX,
    FILL_ROLES,
    MAX_PX,
    MIN_PX,
    SPACES,
    STATUS_KEYS,
    WINDOW,
    WORD_KEYS,
    cell_px,
    cells_panel,
    kernel_panel,
    legend,
    map_panel,
    padded_panel,
    panel,
    payload,
    payload_size,
    words,
)

# The pure builders are re-exported: pages and tests use them as ``explorer.payload`` etc.
__all__ = ["BUDGET_PX", "FILL_ROLES", "MAX_PX", "MIN_PX", "SPACES", "STATUS_KEYS", "WINDOW",
           "WORD_KEYS",
           "cell_px", "cells_panel", "explore", "kernel_panel", "legend", "map_panel",
           "padded_panel", "panel", "payload", "payload_size", "picked", "words"]

ASSETS = Path(__file__).with_name("components") / "explorer"


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


_MOUNT = st.components.v2.component("convlab.explorer", html=_asset("explorer.html"),
                                    css=_asset("explorer.css"), js=_asset("explorer.js"))


def _cell(value: Any, shape: Sequence[int] | None = None) -> tuple[int, int] | None:
    """A ``[i, j]`` sent by the browser, or ``None`` if it is not two whole numbers (in
    ``shape`` when given)."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return None
    if shape is not None and not all(0 <= v < n for v, n in zip(value, shape, strict=True)):
        return None
    return int(value[0]), int(value[1])


def picked(key: str) -> tuple[int, int] | None:
    """The cell the learner clicked in the explorer mounted under ``key``, during the run
    that click started (``None`` in any other run)."""
    state = st.session_state.get(key)
    return _cell(state.get("pick")) if isinstance(state, Mapping) else None


def explore(data: Mapping[str, Any], *, key: str, on_pick: Callable[[], None] | None = None,
            container: Any = None) -> tuple[int, int] | None:
    """Mount the explorer under the stable ``key`` (a new key would drop its state) and
    return the cell clicked in this run, or ``None``.

    Args:
        data: :func:`payload`.
        key: the widget key; keep it the same across runs.
        on_pick: called when a click arrives, before the script (or its fragment) reruns.
        container: where to draw it (default: the current one).
    """
    with container if container is not None else st.container():
        result = _MOUNT(key=key, data=dict(data), on_pick_change=on_pick or _nothing,
                        width="stretch", height="content")
    pick = getattr(result, "pick", None)
    return _cell(pick, data["spaces"][data["pick_space"]])


def _nothing() -> None:
    """A click only needs its rerun: the frame reads it with :func:`picked`."""

