"""The frame's widgets, functions of the page context and its layout slots: each keyed
by its URL parameter, worded from the translation table, and placed by name (the control
column, or "More settings")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

import streamlit as st

from ui.frame.base import PageContext
from ui.frame.editors import matrix_editor
from ui.frame.layout import Slots
from ui.urlstate import ChoiceParam, IntParam

# A widget not drawn in a run (a closed section) keeps its value until the page is left;
# entering a page reads its URL again anyway.
PERSIST: Final = "page"
MORE_PX = 140  # a number input in "More settings": two to a row in the control column


def number(page: PageContext, slots: Slots, name: str, *, disabled: bool = False,
           container: Any = None, width: int | str | None = None,
           label: str | None = None) -> int:
    """A whole-number input bounded by the parameter's own range."""
    p = page.param(name)
    assert isinstance(p, IntParam)
    width = width or (MORE_PX if name in page.more_names else "stretch")
    slots.place(name, container, lambda box: box.number_input(
        label or page.label(name), min_value=p.lo, max_value=p.hi, step=1,
        key=page.key(name), disabled=disabled, width=width, on_change=page.mark_custom,
        help=page.help(name), persist_state=PERSIST))
    return int(page[name])


def toggle(page: PageContext, slots: Slots, name: str, *, container: Any = None,
           custom: bool = True, width: int | str = "content") -> bool:
    page.param(name)
    slots.place(name, container, lambda box: box.toggle(
        page.label(name), key=page.key(name), help=page.help(name),
        on_change=page.mark_custom if custom else None, width=width,
        persist_state=PERSIST))
    return bool(page[name])


def choice(page: PageContext, slots: Slots, name: str, *, segmented: bool = False,
           container: Any = None, custom: bool = True,
           width: int | str | None = None) -> str:
    """A selectbox (or segmented control) over a choice parameter's options, each worded
    ``<ns>.<name>.<option>`` (or ``conv.<name>.<option>``); options with no words show
    as they are (``'zeros'``, ``'reflect'``)."""
    p = page.param(name)
    assert isinstance(p, ChoiceParam)
    width = width or (MORE_PX if name in page.more_names else "stretch")
    # Words looked up now, in a dict: AppTest calls format_func outside the script run,
    # where t() cannot see the language.
    words = {o: page.option(name, o) for o in p.choices}
    common = dict(key=page.key(name), format_func=words.__getitem__, help=page.help(name),
                  on_change=page.mark_custom if custom else None, persist_state=PERSIST)

    def draw(box: Any) -> None:
        if segmented:
            box.segmented_control(page.label(name), list(p.choices), required=True,
                                  width="content", **common)
        else:
            box.selectbox(page.label(name), list(p.choices), width=width, **common)

    slots.place(name, container, draw)
    return str(page[name])


def slider(page: PageContext, slots: Slots, name: str, lo: int, hi: int, *,
           container: Any = None) -> int:
    """A slider over ``[lo, hi]`` (the value clamped into it first); none when lo == hi."""
    page[name] = min(max(int(page[name]), lo), hi)
    if hi > lo:
        slots.place(name, container, lambda box: box.slider(
            page.label(name), lo, hi, key=page.key(name), persist_state=PERSIST))
    return int(page[name])


def button(page: PageContext, slots: Slots, name: str, on_click: Callable[..., None],
           args: tuple[Any, ...], *, icon: str | None = None, container: Any = None) -> None:
    slots.place(name, container, lambda box: box.button(
        page.label(name), key=page.key(name), on_click=on_click, args=args, icon=icon))


def section(page: PageContext, name: str, label: str, *, icon: str | None = None,
            container: Any = None, opens_for: Sequence[str] = ()) -> Any:
    """A collapsible section whose content runs only while it is open: the expander if
    open (draw into it), else ``None``. Closed, it costs the rerun one element instead
    of its charts and tables. It opens itself when the learner picks (or a link names)
    one of the presets ``opens_for``, the ones it is the point of; they may close it."""
    if name not in page.record.sections:
        raise KeyError(f"page {page.record.stem!r} draws a section {name!r}, which its "
                       f"lesson record does not declare ({', '.join(page.record.sections)})")
    key = page.key(f"open.{name}")
    if opens_for:
        seen = page.key(f"_preset_seen.{name}")
        preset = page["preset"] if page.has("preset") else None
        if preset in opens_for and st.session_state.get(seen) != preset:
            st.session_state[key] = True
        st.session_state[seen] = preset
    box = (container or st).expander(label, key=key, icon=icon, on_change="rerun")
    return box if box.open else None


def matrix(page: PageContext, name: str, M: Any, label: str) -> Any:
    """An editable 2-D table of ``M``; the edited matrix, or ``M`` if a cell is bad."""
    return matrix_editor(page.key(name), M, label)
