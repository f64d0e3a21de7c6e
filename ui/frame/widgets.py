"""The frame's widgets: each keyed by its URL parameter, worded from the translation
table, and placed by name (the control column, or "More settings")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import streamlit as st

from ui.frame.editors import matrix_editor
from ui.frame.layout import LayoutMixin
from ui.urlstate import ChoiceParam, IntParam

# A widget not drawn in a run (a closed section) keeps its value until the page is left;
# entering a page reads its URL again anyway.
PERSIST: Final = "page"
MORE_PX = 140  # a number input in "More settings": two to a row in the control column


class WidgetsMixin(LayoutMixin):
    """Number inputs, toggles, choices, sliders, buttons, sections and matrix editors."""

    def number(self, name: str, *, disabled: bool = False, container: Any = None,
               width: int | str | None = None, label: str | None = None) -> int:
        """A whole-number input bounded by the parameter's own range."""
        p = self._param(name)
        assert isinstance(p, IntParam)
        width = width or (MORE_PX if name in self.more_names else "stretch")
        self._place(name, container, lambda box: box.number_input(
            label or self.label(name), min_value=p.lo, max_value=p.hi, step=1,
            key=self.key(name), disabled=disabled, width=width, on_change=self._mark_custom,
            help=self._help(name), persist_state=PERSIST))
        return int(self.state[name])

    def toggle(self, name: str, *, container: Any = None, custom: bool = True,
               width: int | str = "content") -> bool:
        self._place(name, container, lambda box: box.toggle(
            self.label(name), key=self.key(name), help=self._help(name),
            on_change=self._mark_custom if custom else None, width=width,
            persist_state=PERSIST))
        return bool(self.state[name])

    def choice(self, name: str, *, segmented: bool = False, container: Any = None,
               custom: bool = True, width: int | str | None = None) -> str:
        """A selectbox (or segmented control) over a choice parameter's options, each worded
        ``<ns>.<name>.<option>`` (or ``conv.<name>.<option>``); options with no words show
        as they are (``'zeros'``, ``'reflect'``)."""
        p = self._param(name)
        assert isinstance(p, ChoiceParam)
        width = width or (MORE_PX if name in self.more_names else "stretch")
        # Words looked up now, in a dict: AppTest calls format_func outside the script run,
        # where t() cannot see the language.
        words = {o: self._option(name, o) for o in p.choices}
        common = dict(key=self.key(name), format_func=words.__getitem__, help=self._help(name),
                      on_change=self._mark_custom if custom else None, persist_state=PERSIST)

        def draw(box: Any) -> None:
            if segmented:
                box.segmented_control(self.label(name), list(p.choices), required=True,
                                      width="content", **common)
            else:
                box.selectbox(self.label(name), list(p.choices), width=width, **common)

        self._place(name, container, draw)
        return str(self.state[name])

    def slider(self, name: str, lo: int, hi: int, *, container: Any = None) -> int:
        """A slider over ``[lo, hi]`` (the value clamped into it first); none when lo == hi."""
        self.state[name] = min(max(int(self.state[name]), lo), hi)
        if hi > lo:
            self._place(name, container, lambda box: box.slider(
                self.label(name), lo, hi, key=self.key(name), persist_state=PERSIST))
        return int(self.state[name])

    def button(self, name: str, on_click: Callable[..., None], *, icon: str | None = None,
               container: Any = None) -> None:
        self._place(name, container, lambda box: box.button(
            self.label(name), key=self.key(name), on_click=on_click, args=(self,), icon=icon))

    def section(self, name: str, label: str, *, icon: str | None = None,
                container: Any = None, opens_for: Sequence[str] = ()) -> Any:
        """A collapsible section whose content runs only while it is open: the expander if
        open (draw into it), else ``None``. Closed, it costs the rerun one element instead
        of its charts and tables. It opens itself when the learner picks (or a link names)
        one of the presets ``opens_for``, the ones it is the point of; they may close it."""
        if name not in self.info.sections:
            raise KeyError(f"page {self.info.stem!r} draws a section {name!r}, which its "
                           f"lesson record does not declare ({', '.join(self.info.sections)})")
        key = self.key(f"open.{name}")
        if opens_for:
            seen = self.key(f"_preset_seen.{name}")
            has_presets = any(p.name == "preset" for p in self.state.params)
            preset = self.state["preset"] if has_presets else None
            if preset in opens_for and st.session_state.get(seen) != preset:
                st.session_state[key] = True
            st.session_state[seen] = preset
        box = (container or st).expander(label, key=key, icon=icon, on_change="rerun")
        return box if box.open else None

    def matrix(self, name: str, M: Any, label: str) -> Any:
        """An editable 2-D table of ``M``; the edited matrix, or ``M`` if a cell is bad."""
        return matrix_editor(self.key(name), M, label)
