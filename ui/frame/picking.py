"""Picking an output cell: a click in the window explorer (or a slider per axis), kept
in the URL as ``oi``/``oj`` and clamped into the output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import shell
from ui.frame.widgets import WidgetsMixin
from ui.pictures import explorer
from ui.urlstate import IntParam, Param


class PickingMixin(WidgetsMixin):
    """The picked output cell and the part of the page that depends on it alone."""

    in_picking = False

    def _take_pick(self) -> None:
        """A click in the page's window explorer sets ``oi``/``oj`` (before anything is
        drawn): the click's run is the only one that sees it."""
        cell = explorer.picked(self.key("pick"))
        if cell is not None:
            self.state["oi"], self.state["oj"] = cell

    def picking(self, rows: int, cols: int, draw: Callable[[tuple[int, int]], None], *,
                container: Any = None) -> None:
        """The part of a page that depends only on the picked output cell, as a fragment:
        a click in the window explorer (:meth:`explore`) reruns this part, not the page.

        ``draw(cell)`` draws it, the explorer included, into ``container`` (the stage, the
        picture column, when none).
        """
        @st.fragment
        def part() -> None:
            self._take_pick()  # a click inside the fragment reruns only the fragment
            self.in_picking = True  # widgets drawn now stay inside this fragment's column
            try:
                draw(self._clamped_pick(rows, cols))
            finally:
                self.in_picking = False
            shell.sync_url(self.state)

        with container if container is not None else self.stage:
            part()

    def pick_cell(self, rows: int, cols: int, *, container: Any = None) -> tuple[int, int]:
        """The picked cell, clamped into ``rows x cols``, with a slider per axis (pages
        without an explorer: pointwise's pixel), in the control column unless placed."""
        box = self.row(container=container if container is not None else self._primary)
        return (self.slider("oi", 0, rows - 1, container=box),
                self.slider("oj", 0, cols - 1, container=box))

    def _clamped_pick(self, rows: int, cols: int) -> tuple[int, int]:
        for name, n in (("oi", rows), ("oj", cols)):
            self.state[name] = min(max(int(self.state[name]), 0), n - 1)
        return int(self.state["oi"]), int(self.state["oj"])

    def explore(self, data: dict[str, Any], *, container: Any = None) -> None:
        """The window explorer (:mod:`ui.pictures.explorer`) under the page's one stable key; a
        click in it picks ``oi``/``oj``."""
        explorer.explore(data, key=self.key("pick"), container=container)


def pick_params(rows: int, cols: int) -> list[Param]:
    """The picked output cell's URL parameters, for output grids up to ``rows x cols``."""
    return [IntParam("oi", 0, 0, rows - 1), IntParam("oj", 0, 0, cols - 1)]
