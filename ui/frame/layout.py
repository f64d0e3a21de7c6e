"""The instrument layout: a narrow control column beside the main picture, with the
settings few learners touch in a "More settings" section drawn at the end of the run.

Widgets named in the page's ``more`` list are not drawn where the page calls them: their
values live in the page's URL state whatever the section shows, and the section draws
them (in call order) once the run knows whether it must open itself: when the link that
opened the page, a preset or a refusal involves one of them. Its label counts how many
are changed from their defaults. On a phone the two columns stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from ui.frame.base import PageContext
from ui.i18n import t

# The control column's share of the width beside the picture (about 300 px of a laptop's
# 1280 with the sidebar open: two short inputs side by side).
COLUMNS = (1.0, 1.8)
STAGE_KEY = "stage"  # the picture column's container key: ``.st-key-stage`` in the page
WHY = "_more_why"  # session key suffix: setting names a preset (callback) just set
# On a phone the columns stack; what is wider than the screen (a check table, a long
# formula, a chart) scrolls inside itself, never the page sideways.
STYLE = ("<style>"
         "[data-testid='stMarkdownContainer'] table{display:block;max-width:100%;"
         "overflow-x:auto}"
         "[data-testid='stMarkdownContainer'] .katex-display{max-width:100%;overflow-x:auto;"
         "overflow-y:hidden}"
         "[data-testid='stVegaLiteChart']{max-width:100%;overflow-x:auto}"
         "</style>")


def row(*, border: bool = False, container: Any = None) -> Any:
    """A row of widgets or metrics: one horizontal container (one element for the browser
    to lay out on each rerun, where ``st.columns(n)`` is n + 1)."""
    return (container or st).container(horizontal=True, border=border, gap="small")


class Slots:
    """The run's layout slots: the control column (``controls``), "More settings" under it,
    ``aside`` under that, and the ``stage`` (the picture column); the widgets deferred to
    "More settings" and what opens it."""

    def __init__(self, page: PageContext, triggers: Iterable[str] = ()) -> None:
        """Draw the two columns and the empty slots the run fills in (see module doc).

        ``triggers``: settings named by the link that opened the page (this run only).
        """
        self.page = page
        left, right = st.columns(COLUMNS, gap="medium")
        self.controls = left.container()  # the primary controls, above "More settings"
        self.more = left.container()
        self.aside = left.container()
        self.stage = right.container(key=STAGE_KEY)
        self.deferred: list[tuple[str, Callable[[Any], None]]] = []
        self.triggers = set(triggers)
        self.in_picking = False  # widgets drawn now stay inside the picking fragment

    def control_row(self) -> Any:
        """A row of widgets in the control column (two or three short inputs side by side)."""
        return row(container=self.controls)

    def place(self, name: str, container: Any, draw: Callable[[Any], None]) -> None:
        """Draw a widget: into "More settings" if ``name`` is one, else into ``container``
        (the control column when none)."""
        if name in self.page.more_names:
            self.deferred.append((name, draw))
        else:
            draw(container if container is not None else self.controls)

    def involve(self, names: Iterable[str]) -> None:
        """A refusal (or the page) involves these settings: open the section if one of
        them is changed."""
        self.triggers.update(names)

    def more_changed(self) -> list[str]:
        """The More settings drawn this run whose value differs from its default."""
        return [n for n, _ in self.deferred if self.page.changed(n)]

    def draw_more(self) -> None:
        """The "More settings" section, at the end of the run (nothing if none was asked
        for): label with the count, opened by a trigger, its widgets drawn only if open."""
        self.triggers.update(st.session_state.pop(self.page.key(WHY), ()))
        if not self.deferred:
            return
        changed = self.more_changed()
        key = self.page.key("open.more")
        # The label (with its count) is part of the expander's identity: carry the open
        # state over by its key, so that a changed count does not close it.
        wanted = bool(st.session_state.get(key, False)) or bool(self.triggers & set(changed))
        st.session_state[key] = wanted
        label = t("frame.more")
        if changed:
            label += " · " + t("frame.more_changed", n=len(changed))
        box = self.more.expander(label, key=key, on_change="rerun", icon=":material/tune:")
        if box.open:
            inner = box.container(horizontal=True, gap="small")  # wraps: two to a row
            for _, draw in self.deferred:
                draw(inner)
        self.deferred = []


def preset_set(page: PageContext, names: Iterable[str]) -> None:
    """on_change of the preset box: remember which settings the preset set (they open
    "More settings" on the run it causes)."""
    st.session_state[page.key(WHY)] = tuple(names)
