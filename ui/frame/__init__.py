"""The page frame: everything a lesson page needs besides its lesson, written once.

A page is read top to bottom as its lesson::

    def lesson(page: frame.Frame) -> None:
        page.number("h"); page.number("w")               # primary controls: control column
        conv = page.conv2d(in_channels, out_channels)    # the Conv2d control group
        with page.stage:                                 # the main picture, beside them
            ...the picture (or the refusal: page.refuse / page.attempt draw where called)
        page.predict(question, truth, slips)             # under the controls
        ...numbers, formula, check, code, secondary pictures: below, full width...
        page.check(results); page.code(script); page.finish()

    frame.lesson(view.LESSON, lesson)   # the page's record (ui.registry.Lesson)

The instrument layout: on a laptop the lesson's primary controls sit in a narrow column
beside its main picture (``page.stage``); on a phone the two stack. A widget whose name is
in the page's ``more`` list (e.g. :data:`ui.frame.controls.MORE`: batch, dilation, groups,
padding_mode, bias, the lock, per-axis values) goes into the "More settings" section
under the controls instead, whose label counts the changed ones and which opens itself
when the link, a preset or a refusal involves one; closed, its widgets are not drawn and
their values stay in the URL state. The frame also owns the shell (menu, language,
device), the page's URL state and its notices, the preset box, widgets that mark the view
"custom" when moved, picking an output cell (a click in the window explorer, clamped),
the refusal path, the check panel, the reproduce-in-PyTorch block and predict-then-check.
Pages never touch ``st.session_state`` and never catch ``ConvConfigError`` themselves.

``Frame`` is composed, not inherited: a small page context (:class:`ui.frame.base.PageContext`:
the lesson record, the URL state, the words), the layout slots (:class:`ui.frame.layout.Slots`)
and the parts that take them, one module each: widgets and sections
(``page.number/toggle/choice/slider/button/section/matrix``, ``page.control_row()`` for
controls side by side), presets, the layer group and the refusal path (``page.conv2d``,
``attempt``, ``refuse``; :func:`torch_verdict`) and picking (``page.picking``, ``pick_cell``,
``explore``), predict (``page.predict``) and parts that rerun alone (``page.part``,
``page.on_demand``). :func:`row` is a row of widgets or metrics anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import pandas as pd
import streamlit as st

import convlab
from ui import shell
from ui.frame import conv, panels, parts, picking, presets, widgets
from ui.frame.base import PageContext
from ui.frame.conv import ConvChoice, torch_verdict
from ui.frame.layout import STYLE, Slots, row
from ui.frame.picking import pick_params
from ui.frame.predict import ask
from ui.frame.presets import preset_param
from ui.i18n import t
from ui.pictures import grids
from ui.registry import Lesson
from ui.urlstate import ChoiceParam, PageState, show_notices

__all__ = ["ConvChoice", "Frame", "lesson", "open_page", "pick_params", "preset_param", "row",
           "torch_verdict"]

R = TypeVar("R")


class Frame:
    """One run of one page, as its lesson reads it: the page context (``page["h"]``,
    ``values``, ``key``, ``device``), its layout slots and the parts that draw into them."""

    def __init__(self, context: PageContext, slots: Slots) -> None:
        self._page = context
        self._slots = slots

    # ---- state ---------------------------------------------------------------------------
    def __getitem__(self, name: str) -> Any:
        return self._page[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._page[name] = value

    @property
    def values(self) -> dict[str, Any]:
        return self._page.values

    @property
    def device(self) -> str:
        """The compute device the learner picked, as a torch device string."""
        return self._page.device

    def key(self, name: str) -> str:
        """The session key of the page's own ``name`` (a widget, a part's memory)."""
        return self._page.key(name)

    # ---- layout ----------------------------------------------------------------------------
    @property
    def controls(self) -> Any:
        """The control column, above "More settings"."""
        return self._slots.controls

    @property
    def stage(self) -> Any:
        """The main picture's column."""
        return self._slots.stage

    @property
    def aside(self) -> Any:
        """Under the controls and "More settings"."""
        return self._slots.aside

    def control_row(self) -> Any:
        """A row of widgets in the control column (two or three short inputs side by side)."""
        return self._slots.control_row()

    # ---- widgets (:mod:`ui.frame.widgets`) -------------------------------------------------
    def number(self, name: str, *, disabled: bool = False, container: Any = None,
               width: int | str | None = None, label: str | None = None) -> int:
        return widgets.number(self._page, self._slots, name, disabled=disabled,
                              container=container, width=width, label=label)

    def toggle(self, name: str, *, container: Any = None, custom: bool = True,
               width: int | str = "content") -> bool:
        return widgets.toggle(self._page, self._slots, name, container=container,
                              custom=custom, width=width)

    def choice(self, name: str, *, segmented: bool = False, container: Any = None,
               custom: bool = True, width: int | str | None = None) -> str:
        return widgets.choice(self._page, self._slots, name, segmented=segmented,
                              container=container, custom=custom, width=width)

    def slider(self, name: str, lo: int, hi: int, *, container: Any = None) -> int:
        return widgets.slider(self._page, self._slots, name, lo, hi, container=container)

    def button(self, name: str, on_click: Callable[..., None], *, icon: str | None = None,
               container: Any = None) -> None:
        """A button; ``on_click(page)`` runs before the rerun it causes."""
        widgets.button(self._page, self._slots, name, on_click, (self,), icon=icon,
                       container=container)

    def section(self, name: str, label: str, *, icon: str | None = None,
                container: Any = None, opens_for: Sequence[str] = ()) -> Any:
        """A collapsible section the record declares: the expander if open, else None."""
        return widgets.section(self._page, name, label, icon=icon, container=container,
                               opens_for=opens_for)

    def matrix(self, name: str, M: Any, label: str) -> Any:
        return widgets.matrix(self._page, name, M, label)

    # ---- the layer group and the refusal path (:mod:`ui.frame.conv`) -----------------------
    def conv2d(self, in_channels: int, out_channels: int, *, dims: int = 2,
               module: str | None = None, container: Any = None) -> ConvChoice:
        return conv.conv2d(self._page, self._slots, in_channels, out_channels, dims=dims,
                           module=module, container=container)

    def attempt(self, fn: Callable[..., R], *args: Any, oracle: convlab.LayerOracle,
                **kwargs: Any) -> R | None:
        return conv.attempt(self._page, self._slots, fn, *args, oracle=oracle, **kwargs)

    def refuse(self, err: convlab.ConvConfigError, oracle: convlab.LayerOracle) -> None:
        conv.refuse(self._page, self._slots, err, oracle)

    # ---- picking (:mod:`ui.frame.picking`) -------------------------------------------------
    def picking(self, rows: int, cols: int, draw: Callable[[tuple[int, int]], None], *,
                container: Any = None) -> None:
        picking.picking(self._page, self._slots, rows, cols, draw, container=container)

    def pick_cell(self, rows: int, cols: int, *, container: Any = None) -> tuple[int, int]:
        return picking.pick_cell(self._page, self._slots, rows, cols, container=container)

    def explore(self, data: dict[str, Any], *, container: Any = None) -> None:
        picking.explore(self._page, data, container=container)

    # ---- pictures --------------------------------------------------------------------------
    def chart(self, spec: dict[str, Any], name: str, *, container: Any = None) -> None:
        """A Vega-Lite chart (line and dot charts)."""
        (container or st).vega_lite_chart(spec=spec, key=self.key(f"chart.{name}"),
                                          width="content", theme=None)

    def picture(self, *rows: Sequence[str], container: Any = None) -> None:
        """Rows of :mod:`ui.pictures.grids` figures as one element."""
        (container or st).html(grids.page(*rows))

    def on_demand(self, name: str, fn: Callable[..., Any], *args: Any,
                  show: Callable[[Any], None]) -> None:
        """Work started with a button, with its progress (:func:`ui.frame.parts.on_demand`)."""
        parts.on_demand(self._page, name, fn, args, show)

    def part(self, draw: Callable[[], None]) -> None:
        """A part its own widgets rerun alone (:func:`ui.frame.parts.part`)."""
        parts.part(self._page, draw)

    # ---- panels ---------------------------------------------------------------------------
    def check(self, results: Sequence[convlab.CheckResult], note: str | None = None) -> None:
        panels.check_panel(results, note)

    def table(self, frame: pd.DataFrame, digits: int = 4) -> None:
        """A small table of numbers (floats to ``digits`` places)."""
        panels.table(frame, digits)

    def code(self, script: str, title: str | None = None) -> None:
        """The reproduce-in-PyTorch block (``title`` names which part it reproduces)."""
        panels.code_block(script, title)

    def predict(self, question: str, truth: Sequence[float],
                slips: Mapping[str, Sequence[float]], *, container: Any = None,
                name: str = "guess") -> None:
        """Predict, then check (:func:`ui.frame.predict.ask`), never required: under the
        controls (``page.aside``) unless placed (or drawn inside :meth:`picking`, where it
        stays in place), a fragment of its own (an answer typed reruns the box alone).

        In predict mode (``?predict=1``, the toggle over the first box) the run stops here
        until the question is answered or shown: what the lesson draws after it answers
        it. A page with a second question gives it its own ``name``.
        """
        if ask(self._page, self._slots, question, truth, slips, container=container,
               name=name):
            self.stop()

    def stop(self) -> NoReturn:
        """Finish the page here (after a refusal that leaves nothing else to draw)."""
        self.finish()
        st.stop()
        raise RuntimeError("unreachable")  # st.stop raises; this keeps type checkers honest

    def finish(self) -> None:
        """Bottom of every lesson: "More settings" (now that the run knows whether it must
        open), the URL, the rerun time."""
        self._slots.draw_more()
        shell.finish(self._page.state)


def lesson(record: Lesson, body: Callable[[Frame], None]) -> None:
    """Run a lesson page: the shell, its title and intro, then ``body(frame)``.

    The body (from the preset box down) is a fragment: a widget the learner moves reruns
    the lesson, not the sidebar, title and intro above it, which stay as drawn: the browser
    receives and lays out only what can have changed.

    Args:
        record: the page's :class:`ui.registry.Lesson` (its parameters, presets, words and
            "More settings" names), declared in its lesson module.
        body: draws the lesson from a started :class:`Frame`.
    """
    shared_notices, entering = shell.start()
    st.html(STYLE)  # a style sheet alone: applied, not shown (see ui.frame.layout)
    st.title(t(f"{record.ns}.title"))
    st.markdown(t(f"{record.ns}.intro"))
    show_notices(shared_notices)
    st.session_state[_ENTERING] = entering  # this full run's; a fragment rerun finds none

    @st.fragment
    def part() -> None:
        shell.mark_start()
        body(open_page(record, entering=st.session_state.pop(_ENTERING, False)))

    part()


_ENTERING = "_lesson_entering"


def open_page(record: Lesson, *, entering: bool) -> Frame:
    """The lesson's frame for this run: URL state and its notices, the two columns and the
    preset box (see :func:`lesson`, which draws what comes before)."""
    state = PageState(record.stem, list(record.params))
    state.load(entering=entering)
    names = {p.name for p in record.params}
    choices = next((tuple(p.choices) for p in record.params
                    if isinstance(p, ChoiceParam) and p.name == "preset"), ())
    page = PageContext(record, state, choices)
    triggers: set[str] = set()
    if entering:  # what the link names opens "More settings" if it changes one of them
        triggers = set(st.query_params)
        if choices:
            triggers |= presets.preset_from_url(page)
    show_notices(state.notices)
    if "oi" in names:
        picking.take_pick(page)
    slots = Slots(page, triggers)
    if choices:
        presets.preset_box(page, slots)
    conv.apply_lock(page)
    return Frame(page, slots)
