"""Picking an output cell: a click in the window explorer (or a slider per axis), kept
in the URL as ``oi``/``oj`` and clamped into the output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import shell
from ui.frame import widgets
from ui.frame.base import PageContext
from ui.frame.layout import Slots, row
from ui.pictures import explorer
from ui.urlstate import IntParam, Param


def take_pick(page: PageContext) -> None:
    """A click in the page's window explorer sets ``oi``/``oj`` (before anything is
    drawn): the click's run is the only one that sees it."""
    cell = explorer.picked(page.key("pick"))
    if cell is not None:
        page["oi"], page["oj"] = cell


def picking(page: PageContext, slots: Slots, rows: int, cols: int,
            draw: Callable[[tuple[int, int]], None], *, container: Any = None) -> None:
    """The part of a page that depends only on the picked output cell, as a fragment: a
    click in the window explorer (:func:`explore`) reruns this part, not the page.

    ``draw(cell)`` draws it, the explorer included, into ``container`` (the stage, the
    picture column, when none).
    """
    @st.fragment
    def part() -> None:
        take_pick(page)  # a click inside the fragment reruns only the fragment
        slots.in_picking = True  # widgets drawn now stay inside this fragment's column
        try:
            draw(clamped_pick(page, rows, cols))
        finally:
            slots.in_picking = False
        shell.sync_url(page.state)

    with container if container is not None else slots.stage:
        part()


def pick_cell(page: PageContext, slots: Slots, rows: int, cols: int, *,
              container: Any = None) -> tuple[int, int]:
    """The picked cell, clamped into ``rows x cols``, with a slider per axis (pages
    without an explorer: pointwise's pixel), in the control column unless placed."""
    box = row(container=container if container is not None else slots.controls)
    return (widgets.slider(page, slots, "oi", 0, rows - 1, container=box),
            widgets.slider(page, slots, "oj", 0, cols - 1, container=box))


def clamped_pick(page: PageContext, rows: int, cols: int) -> tuple[int, int]:
    """The picked cell, clamped into ``rows x cols`` (and kept so)."""
    for name, n in (("oi", rows), ("oj", cols)):
        page[name] = min(max(int(page[name]), 0), n - 1)
    return int(page["oi"]), int(page["oj"])


def explore(page: PageContext, data: dict[str, Any], *, container: Any = None) -> None:
    """The window explorer (:mod:`ui.pictures.explorer`) under the page's one stable key; a
    click in it picks ``oi``/``oj``."""
    explorer.explore(data, key=page.key("pick"), container=container)


def pick_params(rows: int, cols: int) -> list[Param]:
    """The picked output cell's URL parameters, for output grids up to ``rows x cols``."""
    return [IntParam("oi", 0, 0, rows - 1), IntParam("oj", 0, 0, cols - 1)]
