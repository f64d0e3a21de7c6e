"""The page's context: one run of one lesson's state and words, which every part of the
frame (widgets, layout, presets, picking, the layer controls) takes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ui import shell
from ui.i18n import TEXT, t
from ui.registry import PREDICT, Lesson
from ui.urlstate import PageState, Param


class PageContext:
    """One run of one page: its record, its URL state and its words."""

    def __init__(self, record: Lesson, state: PageState, presets: Sequence[Any] = ()) -> None:
        self.record = record
        self.state = state
        self.presets = tuple(presets)
        names = {p.name for p in state.params}
        self.more_names = frozenset(n for n in record.more if n in names)

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

    def param(self, name: str) -> Param:
        """The declared parameter ``name``; a ``KeyError`` naming it if the page's record
        does not declare it."""
        for p in self.state.params:
            if p.name == name:
                return p
        declared = ", ".join(p.name for p in self.state.params)
        raise KeyError(f"page {self.record.stem!r} draws a widget for {name!r}, which it does "
                       f"not declare in its parameters ({declared})")

    def changed(self, name: str) -> bool:
        """Whether ``name`` differs from its declared default."""
        return bool(self.state[name] != self.param(name).default)

    def mark_custom(self) -> None:
        """A widget moved: the view is no longer its preset's (on_change of every widget)."""
        if "custom" in self.presets:
            self.state["preset"] = "custom"

    def in_predict_mode(self) -> bool:
        """Whether predict mode (``?predict=1``) is on."""
        return self.has(PREDICT) and bool(self.state[PREDICT])

    # ---- words ---------------------------------------------------------------------------
    def label(self, name: str) -> str:
        """A widget's words: ``<ns>.<name>``, else the shared ``conv.<name>``."""
        own = f"{self.record.ns}.{name}"
        return t(own if own in TEXT else f"conv.{name}")

    def help(self, name: str) -> str | None:
        """A widget's help: the record's ``helps`` key, ``<ns>.<name>_help`` or the shared
        ``conv.<name>_help``; none when there is none."""
        for key in (self.record.helps.get(name, ""), f"{self.record.ns}.{name}_help",
                    f"conv.{name}_help"):
            if key in TEXT:
                return t(key)
        return None

    def word(self, name: str) -> str:
        """The page's own word for ``name``, else the frame's shared one."""
        own = f"{self.record.ns}.{name}"
        return t(own if own in TEXT else f"frame.{name}")

    def option(self, name: str, option: str) -> str:
        """A choice's option worded ``<ns>.<name>.<option>`` or ``conv.<name>.<option>``;
        as it is (``'zeros'``) when neither exists."""
        for key in (f"{self.record.ns}.{name}.{option}", f"conv.{name}.{option}"):
            if key in TEXT:
                return t(key)
        return option
