"""The solver: which paddings, strides, output paddings or input sizes give one layer the
output size you want, the smallest change first; and which input sizes a whole stack
takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from .limits import StackConfigError, check_input_shape
from .residual import any_step
from .table import BOUNDS, Row, check_stack
from .table_build import build_layer

SEARCH = 64  # the largest extra input size tried (times the stride)


@dataclass(frozen=True)
class Solution:
    """Settings of one axis that reach the target; ``changed`` names what moved
    (``"padding"``, ``"stride"``, ``"output_padding"``, ``"input_size"``) and ``distance``
    is the sum of the moves. ``same``: the padding is ``'same'`` (PyTorch pads
    ``dilation * (kernel - 1)`` in all, the odd cell at the end), not ``padding``."""

    input_size: int
    stride: int
    padding: int
    output: int
    changed: tuple[str, ...]
    distance: int
    output_padding: int = 0
    same: bool = False

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """The smallest change first: fewer settings moved, then the layer's own settings
        before the input's size (which every other layer sees too), then the smaller move."""
        return (len(self.changed), "input_size" in self.changed, "stride" in self.changed,
                self.distance)


def axis_output(n: int, kernel_size: int, stride: int, padding: int, dilation: int = 1, *,
                transposed: bool = False, output_padding: int = 0) -> int:
    """The output size of one axis (0 or less: the window does not fit).

    >>> axis_output(224, 7, 2, 3), axis_output(4, 3, 2, 1, transposed=True, output_padding=1)
    (112, 8)
    """
    eff = dilation * (kernel_size - 1) + 1
    if transposed:
        return (n - 1) * stride - 2 * padding + eff + output_padding
    span = n + 2 * padding - eff
    return span // stride + 1 if span >= 0 else 0


def same_target(n: int, stride: int) -> int:
    """The size 'same' padding means at stride ``s``: ``ceil(n / s)`` (TensorFlow's SAME).

    >>> same_target(224, 2), same_target(7, 2)
    (112, 4)
    """
    return -(-n // stride)


def solve_output(input_size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1, *, target: int, transposed: bool = False,
                 keep_stride: bool = False, pool: bool = False, output_padding: int = 0,
                 limit: int = 6) -> tuple[Solution, ...]:
    """Settings of one axis whose output size is ``target``, the smallest change first
    (:attr:`Solution.rank`).

    Tried: the padding, the stride, both; a ConvTranspose2d's ``output_padding`` (below its
    stride or dilation, as PyTorch requires), alone or with the padding; ``padding='same'``
    for a Conv2d at stride 1 (the only padding that keeps an even kernel's size); the input
    size at the current settings. Only sensible settings: a padding below the window
    (``dilation * (kernel - 1) + 1``; more adds windows of zeros only) and a stride at most
    the window or the current stride. ``keep_stride`` keeps the stride (for 'same' at
    stride s); ``pool`` keeps the padding at most half the kernel size (dilation left out),
    as PyTorch's pooling layers must.

    Args:
        input_size, kernel_size, stride, padding, dilation, output_padding: the layer's
            current axis.
        target: the output size wanted.
        transposed: the axis of a ConvTranspose2d.
        limit: at most this many solutions.

    Returns:
        Up to ``limit`` :class:`Solution`; none when nothing within the search reaches it.

    ResNet's stem: a 7x7 stride-2 convolution on 224 gives 112 with padding 3.

    >>> [(s.changed, s.padding, s.stride, s.input_size)
    ...  for s in solve_output(224, 7, 2, 0, target=112)][:2]
    [(('padding',), 3, 2, 224), (('input_size',), 0, 2, 229)]

    A U-Net up-step: 4 -> 8 with kernel 3, stride 2, padding 1 needs output_padding=1.

    >>> [(s.changed, s.output_padding) for s in solve_output(
    ...     4, 3, 2, 1, target=8, transposed=True)][:1]
    [(('output_padding',), 1)]
    """
    eff = dilation * (kernel_size - 1) + 1
    hi_p = min(max(eff - 1, padding), BOUNDS["p"][1])
    if pool:
        hi_p = min(hi_p, kernel_size // 2)
    hi_s = min(max(eff, stride, 2), BOUNDS["s"][1])
    found: list[Solution] = []

    def add(n: int, s: int, p: int, q: int = 0, same: bool = False) -> None:
        moved = tuple(name for name, a, b in (("input_size", n, input_size),
                                              ("stride", s, stride), ("padding", p, padding),
                                              ("output_padding", q, output_padding))
                      if a != b) or (("padding",) if same else ())
        distance = abs(n - input_size) + abs(s - stride) + abs(p - padding) + abs(
            q - output_padding) + (1 if same else 0)
        found.append(Solution(n, s, p, target, moved, distance, q, same))

    for s in [stride] if keep_stride else range(1, hi_s + 1):
        for q in range(max(s, dilation) if transposed else 1):
            for p in range(0, hi_p + 1):
                if axis_output(input_size, kernel_size, s, p, dilation,
                               transposed=transposed, output_padding=q) == target:
                    add(input_size, s, p, q)
    if not transposed and not pool and stride == 1 and target == input_size and \
            not any(f.changed == ("padding",) or not f.changed for f in found):
        add(input_size, 1, padding, same=True)  # an even kernel: no symmetric padding keeps n
    if not keep_stride:
        for n in range(1, input_size + SEARCH * max(stride, 1) + 1):
            if n != input_size and axis_output(n, kernel_size, stride, padding, dilation,
                                               transposed=transposed,
                                               output_padding=output_padding) == target:
                add(n, stride, padding, output_padding)
    found.sort(key=lambda f: (f.rank, f.padding, f.stride, f.input_size))
    return tuple(found[:limit])


@dataclass(frozen=True)
class InputSizes:
    """Which input heights a stack takes, among ``tried`` (the width kept): ``runs``, those
    no layer refuses, and ``exact``, those where besides no convolution or pooling drops a
    row at its floor (every window sequence ends on the input's last row: the sizes a
    U-Net's skip connections need)."""

    tried: tuple[int, int]
    runs: tuple[int, ...]
    exact: tuple[int, ...]


def input_sizes(stack: Sequence[Row], input_shape: Sequence[int], *,
                hi: int = 512) -> InputSizes:
    """The input heights from 1 to ``hi`` that ``stack`` takes (:class:`InputSizes`),
    planned layer by layer as :func:`plan_table` plans them (each module built once per
    channel count, not once per height).

    A U-Net step (pool, two 3x3 convolutions, a 2x2 up-convolution) keeps every row only
    on even heights:

    >>> from .table_link import decode_stack
    >>> sizes = input_sizes(decode_stack("maxpool.k2s2_conv.o8k3p1_convt.o4k2s2"),
    ...                     (1, 4, 64, 64), hi=12)
    >>> sizes.runs[:3], sizes.exact
    ((2, 3, 4), (2, 4, 6, 8, 10, 12))
    """
    rows = check_stack(stack)
    base = check_input_shape(input_shape)
    built: dict[tuple[int, int, int], nn.Module | None] = {}

    def module(i: int, shape: tuple[int, ...]) -> nn.Module | None:
        key = (i, len(shape), shape[-1] if rows[i][0] == "linear" else shape[-3] if len(
            shape) >= 3 else shape[-1])
        if key not in built:
            try:
                built[key] = build_layer(i, rows[i], shape)
            except StackConfigError:
                built[key] = None
        return built[key]

    runs, exact = [], []
    for h in range(1, hi + 1):
        shape: tuple[int, ...] = (*base[:-2], h, base[-1])
        dropped = False
        for i, row in enumerate(rows):
            m = module(i, shape)
            try:
                if m is None:
                    raise StackConfigError(i, row[0], ConvConfigError("layer", row[0], "", None))
                dropped = dropped or _drops_a_row(row[0], m, shape)
                shape = any_step(i, m, shape).step.output_shape  # a block's row too
            except StackConfigError:
                break
        else:
            runs.append(h)
            if not dropped:
                exact.append(h)
    return InputSizes((1, hi), tuple(runs), tuple(exact))


def _drops_a_row(kind: str, m: nn.Module, shape: tuple[int, ...]) -> bool:
    """Whether a convolution or pooling layer's floor throws away rows of this input (not
    only padding: the rows no window reaches are more than the padding after them)."""
    if kind not in ("conv", "maxpool", "avgpool") or len(shape) < 3 or getattr(
            m, "ceil_mode", False):
        return False
    pad: Any = getattr(m, "padding", 0)
    if isinstance(pad, str):
        return False  # 'same' and 'valid' at stride 1: every row starts a window
    k, s, d = (_first(getattr(m, name, 1)) for name in ("kernel_size", "stride", "dilation"))
    p = _first(pad)
    return (shape[-2] + 2 * p - d * (k - 1) - 1) % max(s, 1) > p


def _first(v: Any) -> int:
    return int(v[0]) if isinstance(v, (tuple, list)) else int(v)
