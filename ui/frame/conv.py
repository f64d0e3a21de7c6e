"""The Conv2d control group (also Conv1d / Conv3d), and the refusal path: PyTorch's own
message beside ConvLab's explanation, checked to agree."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

import convlab
from ui.frame import controls as cc
from ui.frame import panels, widgets
from ui.frame.base import PageContext
from ui.frame.layout import Slots, row
from ui.i18n import t

R = TypeVar("R")
CONTROL_PX = 150  # a control's width in a wrapping row given to :func:`conv2d`


@dataclass(frozen=True)
class ConvChoice:
    """The group's outcome: the keyword arguments exactly as set, and the PyTorch layer
    they build. A page asks convlab what it shows with them (``convlab.conv_layer``
    through :func:`attempt`); :attr:`spec` and :attr:`error` validate a 2-D layer on
    demand, once (both ``None`` for a 1-D or 3-D one)."""

    kwargs: dict[str, Any]
    module: str = "Conv2d"  # the PyTorch layer these settings build
    dims: int = 2

    @functools.cached_property
    def _validated(self) -> tuple[convlab.Conv2dSpec | None, convlab.ConvConfigError | None]:
        if self.dims != 2:
            return None, None
        try:
            return convlab.Conv2dSpec(**self.kwargs), None
        except convlab.ConvConfigError as err:
            return None, err

    @property
    def spec(self) -> convlab.Conv2dSpec | None:
        """The validated 2-D layer, or ``None`` (refused, or not 2-D)."""
        return self._validated[0]

    @property
    def error(self) -> convlab.ConvConfigError | None:
        """Why ``nn.Conv2d`` refuses these settings, or ``None``."""
        return self._validated[1]

    def oracle(self, input_shape: tuple[int, ...]) -> convlab.LayerOracle:
        """The layer that answers for these settings on an input of ``input_shape``."""
        return convlab.LayerOracle.of(self.module, self.kwargs, input_shape)


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_verdict(oracle: convlab.LayerOracle, device: str) -> convlab.TorchVerdict:
    """PyTorch's own layer on the settings exactly as given (cached on plain values)."""
    return oracle.verdict(device)


def torch_verdict(oracle: convlab.LayerOracle, device: str) -> convlab.TorchVerdict:
    """The real layer ``oracle`` names, on its settings and a random input, on ``device``
    (a spinner naming the layer while it runs)."""
    with st.spinner(t("frame.running_torch", module=oracle.name)):
        return _cached_verdict(oracle, device)


# When the lock is on (or a 1-D layer has one axis), the height setting is the setting.
_SQUARE_WORDS = {"kh": "conv.k", "sh": "conv.s", "ph": "conv.p", "dh": "conv.d"}


def apply_lock(page: PageContext) -> None:
    """With the height/width lock on, every width (and depth) setting follows its height
    setting (done before any widget is drawn)."""
    if page.has("lock") and page["lock"]:
        for a, b in cc.LOCKED:
            if page.has(a) and page.has(b):
                page[b] = page[a]


def conv2d(page: PageContext, slots: Slots, in_channels: int, out_channels: int, *,
           dims: int = 2, module: str | None = None, container: Any = None) -> ConvChoice:
    """Draw the Conv2d controls this page declared (:func:`ui.frame.controls.conv_params`)
    and validate: kernel, stride and padding in the control column (or ``container``),
    the rest in "More settings" (the page's ``more`` list). With the lock on, only the
    height settings are drawn; ``dims`` 1 draws the one axis, 3 adds the depth.

    Returns the keyword arguments exactly as set (invalid ones too, so PyTorch can be
    asked) with the spec, or the refusal. ``module`` names the PyTorch layer the settings
    build (``"ConvTranspose2d"``; ``Conv{dims}d`` by default): it answers for a refusal.
    """
    module = module or f"Conv{dims}d"
    locked = (page.has("lock") and bool(page["lock"])) or dims == 1
    numeric = page["pad"] == "number"
    followers = [a for a in cc.AXES[dims] if a != "h"] if not locked else []
    target = container if container is not None else slots.controls
    # In the control column, an axis's settings side by side; in a given (wrapping)
    # row, every control its own fixed width.
    width = CONTROL_PX if container is not None else None

    def axis_row(names: list[str]) -> Any:
        """A row in the control column when one of ``names`` is drawn there."""
        drawn = set(names) - page.more_names
        return row(container=target) if drawn and container is None else target

    for slot, lead in ((1, "kh"), (2, "sh"), (3, "ph"), (4, "dh")):
        names = [lead] + [cc.AXIS_FIELDS[a][slot] for a in followers]
        names = [n for n in names if page.has(n)]
        if lead == "ph" and len(page.param("pad").choices) > 1:  # type: ignore[attr-defined]
            widgets.choice(page, slots, "pad", segmented=True, container=target)
        box = axis_row(names)
        for name in names:
            square = locked and name in _SQUARE_WORDS
            label = t(_SQUARE_WORDS[name]) if square else None
            if slot == 3 and not numeric:  # greyed: say the padding 'same'/'valid' adds
                label = applied_label(page, name, label or page.label(name))
            widgets.number(page, slots, name, container=box, disabled=slot == 3 and not numeric,
                           width=width, label=label)
    widgets.number(page, slots, "groups", container=target, width=width)
    if page.has("mode"):
        widgets.choice(page, slots, "mode", container=target, width=width)
    widgets.toggle(page, slots, "bias", container=target)
    if page.has("lock") and dims > 1:
        widgets.toggle(page, slots, "lock", container=target)
    return ConvChoice(cc.conv_kwargs(page.values, in_channels, out_channels, dims), module, dims)


def applied_label(page: PageContext, name: str, label: str) -> str:
    """A greyed padding box's words under 'same' or 'valid': the padding PyTorch adds on
    its axis (:func:`convlab.applied_padding`), which the box's number is not."""
    axis = next(a for a, fields in cc.AXIS_FIELDS.items() if fields[3] == name)
    k, d = (page[f] if page.has(f) else 1 for f in cc.AXIS_FIELDS[axis][1::3])
    try:
        before, after = convlab.applied_padding(page["pad"], k, d)[0]
    except convlab.ConvConfigError:
        return label
    return t("conv.p_applied", label=label, mode=t(f"conv.pad.{page['pad']}"),
             before=before, after=after)


def attempt(page: PageContext, slots: Slots, fn: Callable[..., R], *args: Any,
            oracle: convlab.LayerOracle, **kwargs: Any) -> R | None:
    """``fn(*args, **kwargs)``, or ``None`` after showing the refusal it raised, checked
    against ``oracle``, the PyTorch layer that answers for the settings."""
    try:
        return fn(*args, **kwargs)
    except convlab.ConvConfigError as err:
        refuse(page, slots, err, oracle)
        return None


def refuse(page: PageContext, slots: Slots, err: convlab.ConvConfigError,
           oracle: convlab.LayerOracle) -> None:
    """The refusal path, where it is called (the stage, inside ``with page.stage:``): the
    explanation and nearest fix beside PyTorch's own message, and a check that ``oracle``
    (PyTorch's layer) refuses too. "More settings" opens itself if the refusal involves
    one of its settings."""
    slots.involve(cc.ARG_FIELDS.get(err.parameter, (err.parameter,)))
    for name in (err.suggestion or {}):
        slots.involve(cc.ARG_FIELDS.get(name, (name,)))
    try:
        verdict: convlab.TorchVerdict | None = torch_verdict(oracle, page.device)
    except convlab.ConvConfigError:  # larger than the oracle may allocate
        verdict = None
    module = oracle.name
    panels.error_box(err, verdict.error if verdict else None, module)
    if verdict is not None:
        agree = verdict.error is not None
        panels.check_panel([convlab.CheckResult(
            "refuses", "torch_refuses" if agree else "torch_accepts", verdict.device,
            verdict.dtype, 0.0 if agree else math.inf, agree,
            args=(("module", module), ("shape", verdict.output_shape)))])
