"""The frame's state and words: what every other part of the frame reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from ui import shell
from ui.i18n import TEXT, t
from ui.registry import Lesson
from ui.urlstate import PageState, Param


class FrameBase:
    """One run of one page: its URL state, its presets and its words."""

    def __init__(self, info: Lesson, state: PageState, presets: Sequence[Any]) -> None:
        self.info = info
        self._helps = dict(info.helps)
        self.state = state
        self.presets = tuple(presets)
        self._preset_values = info.preset_values
        names = {p.name for p in state.params}
        self.more_names = frozenset(n for n in info.more if n in names)

    # ---- state ---------------------------------------------------------------------------
    def __getitem__(self, name: str) -> Any:
        return self.state[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self.state[name] = value

    @property
    def values(self) -> dict[str, Any]:
        return self.state.values()

    @property
    def device(self) -> str:
        """The compute device the learner picked, as a torch device string."""
        return str(shell.device())

    def key(self, name: str) -> str:
        return self.state.key(name)

    def has(self, name: str) -> bool:
        """Whether the page declared the URL parameter ``name``."""
        return any(p.name == name for p in self.state.params)

    def _param(self, name: str) -> Param:
        for p in self.state.params:
            if p.name == name:
                return p
        declared = ", ".join(p.name for p in self.state.params)
        raise KeyError(f"page {self.info.stem!r} draws a widget for {name!r}, which it does not "
                       f"declare in its parameters ({declared})")

    def changed(self, name: str) -> bool:
        """Whether ``name`` differs from its declared default."""
        return bool(self.state[name] != self._param(name).default)

    def _mark_custom(self) -> None:
        if "custom" in self.presets:
            self.state["preset"] = "custom"

    # ---- words ---------------------------------------------------------------------------
    def label(self, name: str) -> str:
        """A widget's words: ``<ns>.<name>``, else the shared ``conv.<name>``."""
        own = f"{self.info.ns}.{name}"
        return t(own if own in TEXT else f"conv.{name}")

    def _help(self, name: str) -> str | None:
        for key in (self._helps.get(name, ""), f"{self.info.ns}.{name}_help",
                    f"conv.{name}_help"):
            if key in TEXT:
                return t(key)
        return None

    def _word(self, name: str) -> str:
        """The page's own word for ``name``, else the frame's shared one."""
        own = f"{self.info.ns}.{name}"
        return t(own if own in TEXT else f"frame.{name}")

    def _option(self, name: str, option: str) -> str:
        for key in (f"{self.info.ns}.{name}.{option}", f"conv.{name}.{option}"):
            if key in TEXT:
                return t(key)
        return option

    @staticmethod
    def row(*, border: bool = False, container: Any = None) -> Any:
        """A row of widgets or metrics: one horizontal container (one element for the
        browser to lay out on each rerun, where ``st.columns(n)`` is n + 1)."""
        return (container or st).container(horizontal=True, border=border, gap="small")
