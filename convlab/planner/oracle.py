"""PyTorch as the planner's oracle: the real layers run on the meta device (shapes, no
memory), and autograd's answer to "which input cells does this output cell read?"."""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from ..check import CheckResult
from ..params import Pair
from .layers import ACTIVATIONS, DROPOUTS
from .limits import flatten_layers
from .plan import StackPlan
from .table import Row
from .table_build import torch_layer

MAX_GRADIENT_CELLS = 512 * 512  # the receptive-field check runs on inputs up to this size
CPU_PROBE_MACS = 2 * 10**6


def meta_copy(module: nn.Module) -> nn.Module:
    """A copy of ``module`` on the meta device; the original keeps its device and weights
    and nothing is copied from them (every parameter and buffer is replaced by an empty
    meta tensor of its shape before the deep copy reaches it).

    >>> m = nn.Linear(2, 3)
    >>> meta_copy(m).weight.device.type, m.weight.device.type
    ('meta', 'cpu')
    """
    memo: dict[int, Any] = {}
    for p in module.parameters():
        memo[id(p)] = nn.Parameter(torch.empty_like(p, device="meta"), p.requires_grad)
    for b in module.buffers():
        memo[id(b)] = torch.empty_like(b, device="meta")
    return copy.deepcopy(module, memo)


def _forward(m: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``m(x)`` on the meta device. PyTorch's meta kernel for ConvTranspose2d skips the
    channel check its CPU kernel makes, so a small one is also run on the CPU. Where PyTorch
    answers the same call both ways (a refusal or a result, by dtype or by an unrelated
    argument), the refusal is what counts: the planner refuses there too.

    >>> _forward(nn.AdaptiveAvgPool2d(1), torch.empty(1, 5, device="meta"))
    Traceback (most recent call last):
        ...
    RuntimeError: adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [1, 5]
    """
    if isinstance(m, nn.AdaptiveAvgPool2d) and x.dim() not in (3, 4):
        # PyTorch 2.13's adaptive_avg_pool2d returns ``x.mean((-2, -1), keepdim=True)`` for
        # an output size of 1 before checking the rank, so a 2-D (or 5-D) input passes there
        # and is refused for every other output size (and by its documented shapes):
        # counted as the refusal it is.
        raise RuntimeError("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                           f"{list(x.shape)}")
    y = m.eval()(x)
    if isinstance(m, nn.ConvTranspose2d) and x.dim() >= 3:
        if min(y.shape[-2:]) <= 0:
            # An output size of 0: PyTorch 2.13's float32 CPU and meta kernels return an
            # empty tensor, where its float64 kernel refuses (as every kernel refuses a
            # negative size, and Conv2d a size of 0): counted as the refusal it is.
            raise RuntimeError("ConvTranspose2d: the output size is too small: "
                               f"{tuple(y.shape[-2:])} is not positive")
        cost = x.shape[-3] * m.out_channels * math.prod(m.kernel_size) * math.prod(x.shape[-2:])
        if cost <= CPU_PROBE_MACS:  # the layer itself, on the CPU
            copy.deepcopy(m).to_empty(device="cpu")(torch.zeros(x.shape[-3:]))
        else:  # too large to run: its channel check alone, on a one-cell input
            g = m.groups  # output_padding checked too (the meta kernel skips it)
            probe: dict[str, Any] = {"stride": m.stride, "dilation": m.dilation,
                                     "output_padding": m.output_padding}
            nn.ConvTranspose2d(m.in_channels, g, 1, groups=g, **probe)(
                torch.zeros(x.shape[-3], 1, 1))
    return y


def run_modules(layers: Any, input_shape: Sequence[int]) -> tuple[list[tuple[int, ...]],
                                                                  str | None]:
    """Every layer's output shape as PyTorch computes it on the meta device, and PyTorch's
    message where a layer refuses (the shapes then stop before that layer). The layers
    run as copies (:func:`meta_copy`), in eval mode.

    >>> run_modules([nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(100, 2)], (1, 3, 6, 6))
    ([(1, 8, 4, 4), (1, 128)], 'a and b must have same reduction dim, but got [1, 128] X [100, 2].')
    """
    x = torch.empty(tuple(input_shape), device="meta")
    shapes: list[tuple[int, ...]] = []
    for m in flatten_layers(layers):
        try:
            x = _forward(meta_copy(m), x)
        except Exception as err:  # PyTorch's own refusal, whatever its type
            return shapes, str(err).splitlines()[0]
        shapes.append(tuple(x.shape))
    return shapes, None


def run_table(stack: Sequence[Row], input_shape: Sequence[int]) -> tuple[list[tuple[int, ...]],
                                                                         str | None]:
    """:func:`run_modules` for a table's rows, each built by PyTorch from its arguments."""
    shape = tuple(input_shape)
    shapes: list[tuple[int, ...]] = []
    for row in stack:
        out = _run_row(row, shape)
        if isinstance(out, str):
            return shapes, out
        shapes.append(shape := out)
    return shapes, None


@functools.lru_cache(maxsize=4096)
def _run_row(row: Row, shape: tuple[int, ...]) -> tuple[int, ...] | str:
    """One row run by PyTorch on an input of ``shape``: its output shape or PyTorch's
    message. Kept per (row, shape): a stack repeats its layers (VGG's 3x3 convolutions,
    every ReLU), and PyTorch's meta kernels for normalisation and activations are Python
    decompositions costing about a millisecond each."""
    try:
        layer = torch_layer(row, shape)
        return tuple(_forward(layer, torch.empty(shape, device="meta")).shape)
    except Exception as err:  # PyTorch's own refusal, whatever its type
        return str(err).splitlines()[0]


def shapes_check(plan: StackPlan, shapes: Sequence[tuple[int, ...]],
                 torch_error: str | None) -> CheckResult:
    """The plan's output shapes against PyTorch's, and its first refusal against PyTorch's:
    both must stop at the same layer.

    >>> from .plan import plan_stack
    >>> layers = [nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(100, 2)]
    >>> plan = plan_stack(layers, (1, 3, 6, 6), partial=True)
    >>> shapes_check(plan, *run_modules(layers, (1, 3, 6, 6))).passed
    True
    """
    ours = [r.output_shape for r in plan.rows]
    same_stop = (plan.error is None) == (torch_error is None) and len(ours) == len(shapes)
    diff = max((max((abs(a - b) for a, b in zip(x, y, strict=True)), default=0)
                if len(x) == len(y) else float("inf") for x, y in zip(ours, shapes,
                                                                     strict=False)), default=0)
    passed = same_stop and diff == 0
    return CheckResult("planner_shapes", "torch_meta", "meta", "float32",
                       float(diff) if same_stop else float("inf"), passed,
                       torch_error or "", (("layers", len(shapes)),))


def _along(v: Any, axis: int, rest: int) -> tuple[int, int]:
    """A pair argument kept on ``axis`` only, ``rest`` on the other axis."""
    pair = (v, v) if isinstance(v, int) else tuple(v)
    return (pair[0], rest) if axis == 0 else (rest, pair[1])


def _stand_in(m: Any, axis: int) -> nn.Module | None:
    """A one-channel, all-ones module with ``m``'s windows along ``axis`` and a width of
    one cell across it (so no gradient cancels and a max never hides a cell);
    ``nn.Identity`` where ``m`` keeps the geometry; ``None`` where it has no stand-in."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d)):
        if isinstance(m.padding, str):
            return None
        kw: dict[str, Any] = {
            "kernel_size": _along(m.kernel_size, axis, 1),
            "stride": _along(m.stride if m.stride is not None else m.kernel_size, axis, 1),
            "padding": _along(m.padding, axis, 0)}
        dilation = _along(getattr(m, "dilation", 1), axis, 1)
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        if isinstance(m, nn.ConvTranspose2d):
            kw["output_padding"] = _along(m.output_padding, axis, 0)
        out: nn.Module = type(m)(1, 1, **kw, dilation=dilation, bias=False)
    elif isinstance(m, nn.MaxPool2d) and dilation == (1, 1):
        out = nn.AvgPool2d(**kw, ceil_mode=m.ceil_mode)
    elif isinstance(m, nn.MaxPool2d) and not m.ceil_mode:
        out = nn.Conv2d(1, 1, **kw, dilation=dilation, bias=False)
    elif isinstance(m, nn.AvgPool2d):
        out = nn.AvgPool2d(**kw, ceil_mode=m.ceil_mode)
    elif isinstance(m, (nn.BatchNorm2d, *ACTIVATIONS, *DROPOUTS)):
        return nn.Identity()
    else:
        return None
    for p in out.parameters():
        p.data.fill_(1.0)
    return out


def gradient_receptive_field(layers: Sequence[nn.Module], input_hw: Pair,
                             cell: Pair) -> tuple[Pair, Pair] | None:
    """The input rows and columns ``((first, last), (first, last))`` whose gradient of
    output ``cell`` is non-zero, on a one-channel all-ones copy of ``layers``; ``None``
    where a layer has no such copy (Upsample, Flatten, Linear, an adaptive pooling).

    Every window is a rectangle, so each axis is run alone: an H x 1 input through the
    layers' windows along the height, a 1 x W one along the width (the tests compare it
    with the full two-dimensional gradient).

    >>> gradient_receptive_field([nn.Conv2d(3, 8, 3, stride=2)], (9, 9), (1, 1))
    ((2, 4), (2, 4))
    """
    if input_hw[0] * input_hw[1] > MAX_GRADIENT_CELLS:
        return None
    found = []
    for axis in range(2):
        stand_ins = [_stand_in(m, axis) for m in layers]
        if any(s is None for s in stand_ins):
            return None
        # float32 is exact enough: every weight and input is 1, so no gradient cancels to 0.
        x = torch.ones(1, 1, *_along(input_hw, axis, 1), requires_grad=True)
        y = x
        for s in stand_ins:
            y = s(y)  # type: ignore[misc]
        y[0, 0, cell[0] if axis == 0 else 0, cell[1] if axis == 1 else 0].backward()
        assert x.grad is not None
        hit = torch.nonzero(x.grad[0, 0].flatten()).flatten()
        found.append((int(hit[0]), int(hit[-1])))
    return found[0], found[1]


def receptive_field_check(layers: Sequence[nn.Module], plan: StackPlan) -> CheckResult | None:
    """The last feature map's receptive field, effective stride and padding against
    autograd: the centre cell's window, clipped to the input, must be exactly the cells
    with a non-zero gradient. ``None`` where no feature map can be checked."""
    at = None
    for r in plan.rows:
        if r.receptive_field is None or len(r.output_shape) < 3 or r.layer in ("Flatten",
                                                                              "Linear"):
            break
        at = r
    if at is None or plan.rows[0].layer == "Flatten":
        return None
    size = plan.input_shape[-2:]
    cell = tuple(_inside(at.output_shape[-3 + a + 1], at.effective_stride[a],  # type: ignore[index]
                         at.effective_padding[a], at.receptive_field[a], size[a])  # type: ignore[index]
                 for a in range(2))
    found = gradient_receptive_field(list(layers)[:at.index + 1], (size[0], size[1]),
                                     cell)  # type: ignore[arg-type]
    if found is None:
        return None
    assert at.effective_stride and at.effective_padding and at.receptive_field
    expected = []
    for a in range(2):
        start = cell[a] * at.effective_stride[a] - at.effective_padding[a]
        expected.append((max(start, 0), min(start + at.receptive_field[a] - 1, size[a] - 1)))
    diff = max(abs(e - f) for ea, fa in zip(expected, found, strict=True)
               for e, f in zip(ea, fa, strict=True))
    return CheckResult("planner_rf", "autograd", "cpu", "float32", float(diff), diff == 0, "",
                       (("layer", at.index), ("rf", at.receptive_field[0])))


def _inside(n_out: int, j: int, p: int, r: int, size: int) -> int:
    """An output index whose whole window lies inside the input, nearest the centre (the
    centre itself when none does)."""
    inside = [c for c in range(n_out) if c * j - p >= 0 and c * j - p + r <= size]
    return min(inside, key=lambda c: abs(c - n_out // 2)) if inside else n_out // 2
