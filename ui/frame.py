"""The page frame: everything a lesson page needs besides its lesson, written once.

A page is read top to bottom as its lesson::

    def lesson(page: frame.Frame) -> None:
        conv = page.conv2d(in_channels, out_channels)    # the Conv2d control group
        ...convlab calls and pictures...
        page.check(results); page.code(script); page.finish()

    frame.lesson("output_size", lesson, PARAMS, preset_values=values)

The frame owns the shell (menu, language, device), the page's URL state and its notices,
the preset box, widgets that mark the view "custom" when moved, picking an output cell
(click or sliders, clamped), the refusal path, the check panel, the reproduce-in-PyTorch
block and predict-then-check. Pages never touch ``st.session_state`` and never catch
``ConvConfigError`` themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import pandas as pd
import streamlit as st
import torch

import convlab

from . import conv_controls as cc
from . import grids, panels, shell
from .editors import matrix_editor
from .i18n import TEXT, t
from .predict import predict_box
from .registry import BY_STEM, PageInfo
from .urlstate import ChoiceParam, IntParam, PageState, Param, show_notices

R = TypeVar("R")
# The width of one control in the Conv2d group's wrapping row (five to a row on a laptop).
CONTROL_PX = 200
# stem -> the URL parameters its page declared on its last run in this process; read by the
# generic page tests (garbage in every parameter, every preset in Chinese).
DECLARED: dict[str, tuple[Param, ...]] = {}
# stem -> the widget keys of its collapsible sections (``Frame.section``) seen in this
# process; the page tests open every one.
SECTIONS: dict[str, set[str]] = {}
PresetValues = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class ConvChoice:
    """The Conv2d group's outcome: the keyword arguments as given, and either the validated
    spec or the refusal."""

    kwargs: dict[str, Any]
    spec: convlab.Conv2dSpec | None
    error: convlab.ConvConfigError | None


@st.cache_data(max_entries=256, show_spinner=False)
def _torch_verdict(kwargs: tuple, input_shape: tuple, device: str) -> convlab.TorchVerdict:
    """PyTorch's own layer on the settings exactly as given (cached on plain values)."""
    return convlab.run_conv2d(dict(kwargs), input_shape, device)


class Frame:
    """One run of one page: its state, its widgets and its panels."""

    def __init__(self, info: PageInfo, state: PageState, presets: Sequence[Any],
                 preset_values: PresetValues | None,
                 helps: Mapping[str, str] | None = None) -> None:
        self.info = info
        self._helps = dict(helps or {})
        self.state = state
        self.presets = tuple(presets)
        self._preset_values = preset_values

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

    def _mark_custom(self) -> None:
        if "custom" in self.presets:
            self.state["preset"] = "custom"

    def _param(self, name: str) -> Param:
        return next(p for p in self.state.params if p.name == name)

    # ---- widgets -------------------------------------------------------------------------
    @staticmethod
    def row(*, border: bool = False, container: Any = None) -> Any:
        """A row of widgets or metrics: one horizontal container (one element for the
        browser to lay out on each rerun, where ``st.columns(n)`` is n + 1)."""
        return (container or st).container(horizontal=True, border=border, gap="small")

    def section(self, name: str, label: str, *, icon: str | None = None) -> Any:
        """A collapsible section whose content runs only while it is open: the expander if
        open (draw into it), else ``None``. Closed, it costs the rerun one element instead
        of its charts and tables."""
        key = self.key(f"open.{name}")
        SECTIONS.setdefault(self.info.stem, set()).add(key)
        box = st.expander(label, key=key, icon=icon, on_change="rerun")
        return box if box.open else None

    def number(self, name: str, *, disabled: bool = False, container: Any = None,
               width: int | str = "stretch") -> int:
        """A whole-number input bounded by the parameter's own range."""
        p = self._param(name)
        assert isinstance(p, IntParam)
        (container or st).number_input(self.label(name), min_value=p.lo, max_value=p.hi, step=1,
                                       key=self.key(name), disabled=disabled, width=width,
                                       on_change=self._mark_custom, help=self._help(name))
        return int(self.state[name])

    def toggle(self, name: str, *, container: Any = None, custom: bool = True,
               width: int | str = "content") -> bool:
        (container or st).toggle(self.label(name), key=self.key(name), help=self._help(name),
                                 on_change=self._mark_custom if custom else None, width=width)
        return bool(self.state[name])

    def choice(self, name: str, *, segmented: bool = False, container: Any = None,
               custom: bool = True, width: int | str = "stretch") -> str:
        """A selectbox (or segmented control) over a choice parameter's options, each worded
        ``<ns>.<name>.<option>`` (or ``conv.<name>.<option>``); options with no words show
        as they are (``'zeros'``, ``'reflect'``)."""
        p = self._param(name)
        assert isinstance(p, ChoiceParam)
        # Words looked up now, in a dict: AppTest calls format_func outside the script run,
        # where t() cannot see the language.
        words = {o: self._option(name, o) for o in p.choices}
        target = container or st
        common = dict(key=self.key(name), format_func=words.__getitem__, help=self._help(name),
                      on_change=self._mark_custom if custom else None)
        if segmented:
            target.segmented_control(self.label(name), list(p.choices), required=True,
                                     width="content", **common)
        else:
            target.selectbox(self.label(name), list(p.choices), width=width, **common)
        return str(self.state[name])

    def _option(self, name: str, option: str) -> str:
        for key in (f"{self.info.ns}.{name}.{option}", f"conv.{name}.{option}"):
            if key in TEXT:
                return t(key)
        return option

    def slider(self, name: str, lo: int, hi: int, *, container: Any = None) -> int:
        """A slider over ``[lo, hi]`` (the value clamped into it first); none when lo == hi."""
        self.state[name] = min(max(int(self.state[name]), lo), hi)
        if hi > lo:
            (container or st).slider(self.label(name), lo, hi, key=self.key(name))
        return int(self.state[name])

    def button(self, name: str, on_click: Callable[[Frame], None], *, icon: str | None = None,
               container: Any = None) -> None:
        (container or st).button(self.label(name), key=self.key(name), on_click=on_click,
                                 args=(self,), icon=icon)

    def _apply_lock(self) -> None:
        """With the height/width lock on, every width setting follows its height setting
        (done before any widget is drawn)."""
        names = {p.name for p in self.state.params}
        if "lock" in names and self.state["lock"]:
            for a, b in cc.PAIRS:
                if a in names and b in names:
                    self.state[b] = self.state[a]

    # ---- presets ---------------------------------------------------------------------------
    def apply_preset(self) -> None:
        """on_change of the preset box: copy the preset's settings into the widgets."""
        if self._preset_values is None:
            return
        for name, value in self._preset_values(self.state["preset"], self.values).items():
            self.state[name] = value

    def _preset_from_url(self) -> None:
        """A link naming a preset opens that preset; parameters also in the link win."""
        if self._preset_values is None or "preset" not in st.query_params:
            return
        given = set(st.query_params)
        for name, value in self._preset_values(self.state["preset"], self.values).items():
            if name not in given:
                self.state[name] = value

    def _preset_box(self) -> None:
        words = {k: self._word(f"preset.{k}") for k in self.presets}
        st.selectbox(self._word("preset"), self.presets, key=self.key("preset"),
                     format_func=words.__getitem__, on_change=self.apply_preset)

    # ---- the Conv2d group ------------------------------------------------------------------
    def conv2d(self, in_channels: int, out_channels: int) -> ConvChoice:
        """Draw the Conv2d controls this page declared (:func:`conv_params`) and validate.

        Returns the keyword arguments exactly as set (invalid ones too, so PyTorch can be
        asked) with the spec, or the refusal.
        """
        names = {p.name for p in self.state.params}
        locked = "lock" in names and bool(self.state["lock"])
        numeric = self.state["pad"] == "number"
        # One wrapping row (a single element to lay out), every control a fixed width.
        box = self.row(border=True)
        for a, b in cc.PAIRS[1:]:
            if a == "ph":
                self.choice("pad", segmented=True, container=box)
            self.number(a, disabled=a == "ph" and not numeric, container=box, width=CONTROL_PX)
            self.number(b, disabled=locked or (b == "pw" and not numeric), container=box,
                        width=CONTROL_PX)
        self.number("groups", container=box, width=CONTROL_PX)
        if "mode" in names:
            self.choice("mode", container=box, width=CONTROL_PX)
        self.toggle("bias", container=box)
        if "lock" in names:
            self.toggle("lock", container=box)
        kwargs = cc.conv_kwargs(self.values, in_channels, out_channels)
        try:
            return ConvChoice(kwargs, convlab.Conv2dSpec(**kwargs), None)
        except convlab.ConvConfigError as err:
            return ConvChoice(kwargs, None, err)

    # ---- outcomes that may be refused -----------------------------------------------------
    def attempt(self, fn: Callable[..., R], *args: Any, conv_kwargs: dict[str, Any],
                input_shape: tuple[int, ...], **kwargs: Any) -> R | None:
        """``fn(*args, **kwargs)``, or ``None`` after showing the refusal it raised."""
        try:
            return fn(*args, **kwargs)
        except convlab.ConvConfigError as err:
            self.refuse(err, conv_kwargs, input_shape)
            return None

    def torch_verdict(self, conv_kwargs: dict[str, Any],
                      input_shape: tuple[int, ...]) -> convlab.TorchVerdict:
        """The real ``nn.Conv2d`` on these settings and a random input, on the device."""
        with st.spinner(t("frame.running_torch")):
            return _torch_verdict(tuple(conv_kwargs.items()), tuple(input_shape), self.device)

    def refuse(self, err: convlab.ConvConfigError, conv_kwargs: dict[str, Any],
               input_shape: tuple[int, ...]) -> None:
        """The refusal path: the explanation and nearest fix beside PyTorch's own message,
        and a check that PyTorch refuses too."""
        try:
            verdict: convlab.TorchVerdict | None = self.torch_verdict(conv_kwargs, input_shape)
        except convlab.ConvConfigError:  # larger than the oracle may allocate
            verdict = None
        panels.error_box(err, verdict.error if verdict else None)
        if verdict is not None:
            agree = verdict.error is not None
            self.check([convlab.CheckResult(
                "refuses", "torch_refuses" if agree else "torch_accepts", verdict.device,
                verdict.dtype, 0.0 if agree else math.inf, agree,
                args=(("shape", verdict.output_shape),))])

    # ---- picking an output cell -------------------------------------------------------------
    def _take_pick(self) -> None:
        """A click on the page's picker chart sets ``oi``/``oj`` (before sliders are drawn)."""
        picked = st.session_state.get(self.key("pick"))
        points = (picked or {}).get("selection", {}).get("cell", []) if picked else []
        last = self.key("_last_pick")
        if points and points != st.session_state.get(last):
            st.session_state[last] = points
            self.state["oi"], self.state["oj"] = int(points[0]["row"]), int(points[0]["col"])

    def picking(self, rows: int, cols: int, draw: Callable[[tuple[int, int]], None]) -> None:
        """The part of a page that depends only on the picked output cell, as a fragment:
        a click on the picker chart or a slider move reruns this part, not the whole page.

        ``draw(cell)`` draws it; the cell's sliders come first.
        """
        @st.fragment
        def part() -> None:
            self._take_pick()  # a click inside the fragment reruns only the fragment
            draw(self.pick_cell(rows, cols))
            shell.sync_url(self.state)

        part()

    def pick_cell(self, rows: int, cols: int, *, container: Any = None) -> tuple[int, int]:
        """The picked output cell, clamped into ``rows x cols``, with a slider per axis."""
        box = self.row(container=container)
        return (self.slider("oi", 0, rows - 1, container=box),
                self.slider("oj", 0, cols - 1, container=box))

    def matrix(self, name: str, M: Any, label: str) -> Any:
        """An editable 2-D table of ``M``; the edited matrix, or ``M`` if a cell is bad."""
        return matrix_editor(self.key(name), M, label)

    # ---- pictures -------------------------------------------------------------------------
    def chart(self, spec: dict[str, Any], name: str, *, picker: bool = False,
              container: Any = None) -> None:
        """A Vega-Lite chart; ``picker`` makes a click on a cell pick it (one per page)."""
        target = container or st
        if picker:
            target.vega_lite_chart(spec=spec, key=self.key("pick"), on_select="rerun",
                                   selection_mode="cell", width="content", theme=None)
        else:
            target.vega_lite_chart(spec=spec, key=self.key(f"chart.{name}"), width="content",
                                   theme=None)

    def picture(self, *rows: Sequence[str], container: Any = None) -> None:
        """Rows of :mod:`ui.grids` figures as one element."""
        (container or st).html(grids.page(*rows))

    def on_demand(self, name: str, fn: Callable[..., R], *args: Any) -> R | None:
        """Work a learner starts with a button (a timing run): a progress bar while it runs,
        and its result kept for this session until ``args`` change.

        ``fn(*args, progress=...)`` receives a callable taking the fraction done.
        """
        slot = self.key(f"_done.{name}")
        if st.button(self.label(name), key=self.key(name), icon=":material/play_arrow:"):
            bar = st.progress(0.0, text=t("frame.working"))
            torch.set_num_threads(shell.ALL_THREADS)
            try:
                result = fn(*args, progress=lambda f: bar.progress(min(max(f, 0.0), 1.0),
                                                                   text=t("frame.working")))
            finally:
                torch.set_num_threads(1)
            bar.empty()
            st.session_state[slot] = (args, result)
        done = st.session_state.get(slot)
        return done[1] if done is not None and done[0] == args else None

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
                slips: Mapping[str, Sequence[float]]) -> None:
        """Predict, then check (:func:`ui.predict.predict_box`), never required."""
        predict_box(self.key("guess"), question, truth, slips)

    def stop(self) -> NoReturn:
        """Finish the page here (after a refusal that leaves nothing else to draw)."""
        self.finish()
        st.stop()
        raise RuntimeError("unreachable")  # st.stop raises; this keeps type checkers honest

    def finish(self) -> None:
        shell.finish(self.state)


def preset_param(presets: Sequence[str]) -> ChoiceParam:
    """The preset box's URL parameter: ``presets`` ids, the default first."""
    return ChoiceParam("preset", presets[0], tuple(presets))


def pick_params(rows: int, cols: int) -> list[Param]:
    """The picked output cell's URL parameters, for output grids up to ``rows x cols``."""
    return [IntParam("oi", 0, 0, rows - 1), IntParam("oj", 0, 0, cols - 1)]


def lesson(stem: str, body: Callable[[Frame], None], params: Sequence[Param], *,
           preset_values: PresetValues | None = None,
           helps: Mapping[str, str] | None = None) -> None:
    """Run a lesson page: the shell, its title and intro, then ``body(frame)``.

    The body (from the preset box down) is a fragment: a widget the learner moves reruns
    the lesson, not the sidebar, title and intro above it, which stay as drawn: the browser
    receives and lays out only what can have changed.

    Args:
        stem: the page's registry name (its file stem).
        body: draws the lesson from a started :class:`Frame`.
        params: all its URL parameters: its own, the Conv2d group's
            (:func:`ui.conv_controls.conv_params`), :func:`preset_param` for a preset box
            and :func:`pick_params` to let the learner pick an output cell.
        preset_values: ``(preset id, current values) -> values to set``. Each preset is
            worded ``<ns>.preset.<id>`` (or the shared ``frame.preset.<id>``); a ``"custom"``
            preset marks a view whose settings were moved.
        helps: a widget's help text key where it is not ``<ns>.<name>_help``.
    """
    info = BY_STEM[stem]
    DECLARED[stem] = tuple(params)
    shared_notices, entering = shell.start()
    st.title(t(f"{info.ns}.title"))
    st.markdown(t(f"{info.ns}.intro"))
    show_notices(shared_notices)
    st.session_state[_ENTERING] = entering  # this full run's; a fragment rerun finds none

    @st.fragment
    def part() -> None:
        shell.mark_start()
        body(open_page(stem, params, entering=st.session_state.pop(_ENTERING, False),
                       preset_values=preset_values, helps=helps))

    part()


_ENTERING = "_lesson_entering"


def open_page(stem: str, params: Sequence[Param], *, entering: bool,
              preset_values: PresetValues | None = None,
              helps: Mapping[str, str] | None = None) -> Frame:
    """The lesson's frame for this run: URL state and its notices, the preset box (see
    :func:`lesson`, which draws what comes before)."""
    info = BY_STEM[stem]
    state = PageState(stem, list(params))
    state.load(entering=entering)
    names = {p.name for p in params}
    presets = next((tuple(p.choices) for p in params
                    if isinstance(p, ChoiceParam) and p.name == "preset"), ())
    page = Frame(info, state, presets, preset_values, helps)
    if entering and presets:
        page._preset_from_url()
    show_notices(state.notices)
    if "oi" in names:
        page._take_pick()
    if presets:
        page._preset_box()
    page._apply_lock()
    return page
