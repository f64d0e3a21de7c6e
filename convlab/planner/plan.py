"""A stack's plan: every layer's output shape, receptive field and cost, and the totals."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from torch import nn

from ..params import Pair
from .layer_step import Window
from .limits import StackConfigError, check_input_shape, flatten_layers
from .residual import BlockStep, any_step, row_module, row_name


@dataclass(frozen=True)
class LayerPlan:
    """One row of a plan: layer ``index`` of type ``layer`` and what it produces.

    ``receptive_field``, ``effective_stride`` and ``effective_padding`` are (h, w) in input
    cells (Araujo, Norris & Sim, Distill 2019), or ``None`` past a layer after which they are
    not whole numbers of input cells; ``rf_note`` then says why (``"upsampled"``,
    ``"adaptive"``: uneven pooling windows, ``"not_spatial"``).
    """

    index: int
    layer: str
    output_shape: tuple[int, ...]
    receptive_field: Pair | None
    effective_stride: Pair | None
    effective_padding: Pair | None
    params: int
    macs: int
    activation_bytes: int
    rf_note: str | None = None
    shortcut: tuple[str, ...] | None = None  # a residual block's: () identity, else its layers
    flattened: bool = False  # the container's forward flattens the input before this layer


@dataclass(frozen=True)
class StackPlan:
    """Every layer's :class:`LayerPlan` in order, with the totals.

    With ``partial=True`` planning stops at the first layer that cannot run: ``rows`` are the
    layers before it and ``error`` is its refusal.
    """

    input_shape: tuple[int, ...]
    rows: tuple[LayerPlan, ...]
    error: StackConfigError | None = None
    dtype_bytes: int = 4

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.rows[-1].output_shape if self.rows else self.input_shape

    @property
    def params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def macs(self) -> int:
        return sum(r.macs for r in self.rows)

    @property
    def activation_bytes(self) -> int:
        """Every layer's output held at once (as a forward pass kept for backward)."""
        return sum(r.activation_bytes for r in self.rows)


class _Field:
    """The receptive-field recurrences, forward from the input:
    ``r_l = r_{l-1} + (k_l - 1) j_{l-1}``, ``j_l = j_{l-1} s_l``, ``P_l = P_{l-1} + p_l j_{l-1}``.
    """

    def __init__(self, size: Pair) -> None:
        self.r, self.j, self.p = [1, 1], [1, 1], [0, 0]
        self.size = size  # the spatial size of the last feature map (what a Linear reads)
        self.flat = False
        self.note: str | None = None

    def advance(self, m: nn.Module, window: Window, out: tuple[int, ...]) -> None:
        if self.note:
            return
        if window.note:
            self.note = window.note
            return
        if isinstance(m, nn.Linear):
            if not self.flat:  # a Linear on a feature map mixes its width only
                self.note = "not_spatial"
                return
            window = Window(self.size, (1, 1), (0, 0))  # it reads the whole flattened map
            self.size = (1, 1)
        for a in range(2):
            self.p[a] += window.padding[a] * self.j[a]
            self.r[a] += (window.kernel[a] - 1) * self.j[a]
            self.j[a] *= window.stride[a]
        if isinstance(m, nn.Flatten) and len(out) < 3:
            self.flat = True
        elif not self.flat and len(out) >= 3:
            self.size = (out[-2], out[-1])

    def row(self) -> tuple[Pair | None, Pair | None, Pair | None]:
        if self.note:
            return None, None, None
        return (tuple(self.r), tuple(self.j), tuple(self.p))  # type: ignore[return-value]


def plan_stack(layers: Iterable[nn.Module] | nn.Sequential, input_shape: Any, *,
               partial: bool = False, dtype_bytes: int = 4) -> StackPlan:
    """Plan ``layers`` on an input of ``input_shape`` without running or changing them.

    Only the modules' settings and parameter counts are read: no tensor is allocated, and a
    caller's model keeps its device and its weights. Shapes are those of inference (eval
    mode: a BatchNorm2d on one value per channel runs).

    Args:
        layers: real torch modules in order, or an ``nn.Sequential`` (nested ones opened):
            Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d,
            activations, Dropout, Upsample, Flatten, Linear; at most 64.
        input_shape: ``(N, C, H, W)`` or ``(C, H, W)``.
        partial: stop at the first layer that cannot run and return the plan so far with
            its refusal, instead of raising it.
        dtype_bytes: bytes per activation element (4 for float32).

    Returns:
        :class:`StackPlan`. ``macs`` counts the multiply-accumulates of Conv2d,
        ConvTranspose2d and Linear (pooling, normalisation and activations count 0).

    Raises:
        ConvConfigError: (a :class:`StackConfigError` naming the layer) where PyTorch would
            refuse, with the nearest valid setting.

    VGG's first block on an ImageNet image:

    >>> block = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(),
    ...                       nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2))
    >>> plan = plan_stack(block, (1, 3, 224, 224))
    >>> [(r.layer, r.output_shape[1:], r.receptive_field[0]) for r in plan.rows][::2]
    [('Conv2d', (64, 224, 224), 3), ('Conv2d', (64, 224, 224), 5), ('MaxPool2d', (64, 112, 112), 6)]
    >>> plan.params, plan.rows[-1].effective_stride
    (38720, (2, 2))
    """
    shape = check_input_shape(input_shape)
    modules = flatten_layers(layers)
    return _plan(((i, m) for i, m in enumerate(modules)), shape, partial, dtype_bytes)


def _plan(layers: Iterable[tuple[int, Any]], shape: tuple[int, ...], partial: bool,
          dtype_bytes: int) -> StackPlan:
    """Plan ``(index, module)`` pairs; a module may be a function of the input shape
    returning the module (a table row whose in_channels follow the stack)."""
    start = shape
    rf = _Field((shape[-2], shape[-1]))
    rows: list[LayerPlan] = []
    for i, m in layers:
        try:
            module = m(shape) if callable(m) and not isinstance(m, nn.Module) else m
            b: BlockStep = any_step(i, module, shape)
        except StackConfigError as err:
            if not partial:
                raise
            return _done(start, rows, err, dtype_bytes)
        s = b.step
        if b.flattened:  # the forward's flatten, then the layer
            rf.advance(_FLATTEN, Window(), (shape[0], s.output_shape[-1]))
        rf.advance(row_module(module), s.window, s.output_shape)
        r, j, p = rf.row()
        rows.append(LayerPlan(i, row_name(module), s.output_shape, r, j, p, s.params, s.macs,
                              (math.prod(s.output_shape) + b.inner_elements) * dtype_bytes,
                              rf.note, b.shortcut, b.flattened))
        shape = s.output_shape
    return _done(start, rows, None, dtype_bytes)


_FLATTEN = nn.Flatten()


def _done(start: tuple[int, ...], rows: list[LayerPlan], err: StackConfigError | None,
          dtype_bytes: int) -> StackPlan:
    return StackPlan(start, tuple(rows), err, dtype_bytes)
