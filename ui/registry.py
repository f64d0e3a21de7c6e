"""The lesson record, and the app's pages in menu order.

Each lesson declares itself once, in its lesson module (``ui/lessons/<stem>_view.py``)::

    LESSON = Lesson("pooling", "pool", ":material/filter_center_focus:", order=70,
                    params=PARAMS, preset_values=preset_values, more=MORE,
                    refusal={"ph": "2"}, code_check=code_check)

and its page runs it: ``frame.lesson(view.LESSON, body)``. Everything else reads that
record: the menu and ``st.navigation`` (:func:`pages`), the home cards, the page's frame
(URL parameters, presets, words, "More settings") and the generic page tests (every
parameter at both ends, every section opened, the refusal link, the reproduce code).
The registry finds the records itself: a lesson module is not listed anywhere else.

A page's URL path is its file stem; its title is ``nav.<stem>``, its home card text
``home.card.<stem>``, and its own words live under its ``ns`` prefix.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ui.urlstate import BoolParam, Param

LESSONS_DIR = Path(__file__).parent / "lessons"  # where the lesson modules are found
PREDICT = "predict"  # every lesson's URL parameter of predict mode (``?predict=1``)
PresetValues = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Shown:
    """What one run of a page showed, as a reader of the page sees it: its metrics by
    label, its first table, its page values, its charts' data by title, its text blocks,
    and ``word(key)``, the words of a key in the run's language. A lesson's
    :attr:`Lesson.code_check` compares this with what its reproduce code computed."""

    metrics: Mapping[str, str]
    values: Mapping[str, Any]
    table: Any  # a pandas DataFrame, or None
    # chart title (the spec's, else its first titled layer's) -> its first dataset (a
    # pandas DataFrame)
    charts: Mapping[str, Any]
    blocks: Sequence[str]  # the text code blocks (worked arithmetic)
    word: Callable[[str], str]

    def metric(self, key: str, **values: Any) -> str:
        """The value shown under the metric worded ``key``."""
        return self.metrics[self.word(key).format(**values)]

    def shape_and_parameters(self, key: str, shape: Sequence[int], printed: str) -> list[str]:
        """A layer page's usual agreement: the output shape under the metric ``key`` is
        ``shape`` (the script's output tensor's), and the script prints the parameter count
        the page shows."""
        wrong = []
        code = " × ".join(map(str, shape))
        if self.metric(key) != code:
            wrong.append(f"output shape: page {self.metric(key)!r}, code {code!r}")
        params = self.metric("count.params").replace(",", "")
        if f"parameters {params}" not in printed:
            wrong.append(f"the code does not print 'parameters {params}': {printed!r}")
        return wrong


# (what the page showed, the reproduce code's variables, what it printed) -> the
# disagreements, worded for a developer: empty when the code reproduces the page.
CodeCheck = Callable[[Shown, Mapping[str, Any], str], list[str]]


@dataclass(frozen=True)
class Lesson:
    """One page, declared once (see the module doc).

    Args:
        stem: the file name in ``pages/`` and the URL path.
        ns: the translation prefix of the page's own words.
        icon: the menu's and the home card's icon.
        order: its place in the menu (ascending).
        params: every URL parameter of the page (``?predict=`` is added).
        preset_values: ``(preset id, current values) -> values to set``.
        helps: a widget's help text key where it is not ``<ns>.<name>_help``.
        more: the settings drawn in "More settings" rather than the control column.
        sections: the names of its collapsible sections (``page.section``); "More
            settings" is one when ``more`` is not empty.
        refusal: a link's query that opens its refusal path (none for a page that cannot
            refuse).
        code_check: compares the page with what its reproduce code computes.
        thumbnail: builds its home card's picture, one :mod:`ui.pictures.grids` figure's
            HTML (none: a card without a picture).
        lesson: False for the home page (no card, no lesson frame).
    """

    stem: str
    ns: str
    icon: str
    order: int = 0
    params: tuple[Param, ...] = ()
    preset_values: PresetValues | None = None
    helps: Mapping[str, str] = field(default_factory=dict)
    more: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    refusal: Mapping[str, str] | None = None
    code_check: CodeCheck | None = None
    thumbnail: Callable[[], str] | None = None
    lesson: bool = True

    def __post_init__(self) -> None:
        params = tuple(self.params)
        if self.lesson and not any(p.name == PREDICT for p in params):
            params += (BoolParam(PREDICT, False),)
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "more", tuple(self.more))
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise ValueError(f"lesson {self.stem!r} declares a parameter twice: {names}")

    @property
    def path(self) -> str:
        return f"pages/{self.stem}.py"

    @property
    def title_key(self) -> str:
        return f"nav.{self.stem}"

    @property
    def all_sections(self) -> frozenset[str]:
        """Every collapsible section the page can draw, "More settings" included."""
        return frozenset(self.sections) | ({"more"} if self.more else frozenset())


HOME = Lesson("home", "home", ":material/home:", order=0, lesson=False)


@functools.cache
def pages() -> tuple[Lesson, ...]:
    """Home and every lesson, in menu order: the ``LESSON`` of each module found in
    ``ui/lessons/`` (a plug-in discovery on first call: the lessons import this module for
    :class:`Lesson`; this module names none of them)."""
    found = [HOME]
    for info in pkgutil.iter_modules([str(LESSONS_DIR)], "ui.lessons."):
        record = getattr(importlib.import_module(info.name), "LESSON", None)
        if isinstance(record, Lesson):
            found.append(record)
    stems = [p.stem for p in found]
    if len(set(stems)) != len(stems):
        raise ValueError(f"two lessons share a stem: {stems}")
    return tuple(sorted(found, key=lambda p: p.order))


def lessons() -> tuple[Lesson, ...]:
    """Every lesson page (home left out), in menu order."""
    return tuple(p for p in pages() if p.lesson)


def page(stem: str) -> Lesson:
    """The record of page ``stem``."""
    for p in pages():
        if p.stem == stem:
            return p
    raise KeyError(f"no page {stem!r}: {[p.stem for p in pages()]}")
