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

from ui.frame.base import FrameBase
from ui.i18n import t

# The control column's share of the width beside the picture (about 300 px of a laptop's
# 1280 with the sidebar open: two short inputs side by side).
COLUMNS = (1.0, 1.8)
STAGE_KEY = "stage"  # the picture column's container key: ``.st-key-stage`` in the page
_WHY = "_more_why"  # session key suffix: setting names a preset (callback) just set
# On a phone the columns stack; what is wider than the screen (a check table, a long
# formula, a chart) scrolls inside itself, never the page sideways.
STYLE = ("<style>"
         "[data-testid='stMarkdownContainer'] table{display:block;max-width:100%;"
         "overflow-x:auto}"
         "[data-testid='stMarkdownContainer'] .katex-display{max-width:100%;overflow-x:auto;"
         "overflow-y:hidden}"
         "[data-testid='stVegaLiteChart']{max-width:100%;overflow-x:auto}"
         "</style>")


class LayoutMixin(FrameBase):
    """The control column, the stage and "More settings"."""

    controls: Any
    stage: Any
    aside: Any

    def _layout_start(self, triggers: Iterable[str] = ()) -> None:
        """Draw the two columns and the empty slots the run fills in (see module doc).

        ``triggers``: settings named by the link that opened the page (this run only).
        """
        left, right = st.columns(COLUMNS, gap="medium")
        # ``controls``: where the primary controls go, above "More settings" and ``aside``.
        self.controls = self._primary = left.container()
        self._more_slot = left.container()
        self.aside = left.container()
        self.stage = right.container(key=STAGE_KEY)
        self._deferred: list[tuple[tuple[str, ...], Callable[[Any], None]]] = []
        self._triggers = set(triggers)

    def control_row(self) -> Any:
        """A row of widgets in the control column (two or three short inputs side by side)."""
        return self.row(container=self._primary)

    def _place(self, name: str, container: Any,
               draw: Callable[[Any], None]) -> None:
        """Draw a widget: into "More settings" if ``name`` is one, else into ``container``
        (the control column when none)."""
        if name in self.more_names:
            self._deferred.append(((name,), draw))
        else:
            draw(container if container is not None else self._primary)

    def _involve(self, names: Iterable[str]) -> None:
        """A refusal (or the page) involves these settings: open the section if one of
        them is changed."""
        self._triggers.update(names)

    def _preset_set(self, names: Iterable[str]) -> None:
        """on_change of the preset box: remember which settings the preset set."""
        st.session_state[self.key(_WHY)] = tuple(names)

    def more_changed(self) -> list[str]:
        """The More settings drawn this run whose value differs from its default."""
        return [n for names, _ in self._deferred for n in names if self.changed(n)]

    def _draw_more(self) -> None:
        """The "More settings" section, at the end of the run (nothing if none was asked
        for): label with the count, opened by a trigger, its widgets drawn only if open."""
        self._triggers.update(st.session_state.pop(self.key(_WHY), ()))
        if not self._deferred:
            return
        changed = self.more_changed()
        key = self.key("open.more")
        # The label (with its count) is part of the expander's identity: carry the open
        # state over by its key, so that a changed count does not close it.
        wanted = bool(st.session_state.get(key, False)) or bool(self._triggers & set(changed))
        st.session_state[key] = wanted
        label = t("frame.more")
        if changed:
            label += " · " + t("frame.more_changed", n=len(changed))
        box = self._more_slot.expander(label, key=key, on_change="rerun",
                                       icon=":material/tune:")
        if box.open:
            inner = box.container(horizontal=True, gap="small")  # wraps: two to a row
            for _, draw in self._deferred:
                draw(inner)
        self._deferred = []
