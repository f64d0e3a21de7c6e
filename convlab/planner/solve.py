"""The solver: which paddings, strides or input sizes give one layer the output size you
want, nearest to its current settings first."""

from __future__ import annotations

from dataclasses import dataclass

from .table import BOUNDS

SEARCH = 64  # the largest padding, stride and extra input size tried


@dataclass(frozen=True)
class Solution:
    """Settings of one axis that reach the target; ``changed`` names what moved, nearest
    first by ``distance`` (the sum of the moves)."""

    input_size: int
    stride: int
    padding: int
    output: int
    changed: tuple[str, ...]
    distance: int


def axis_output(n: int, kernel_size: int, stride: int, padding: int, dilation: int = 1, *,
                transposed: bool = False) -> int:
    """The output size of one axis (0 or less: the window does not fit).

    >>> axis_output(224, 7, 2, 3), axis_output(4, 4, 2, 1, transposed=True)
    (112, 8)
    """
    eff = dilation * (kernel_size - 1) + 1
    if transposed:
        return (n - 1) * stride - 2 * padding + eff
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
                 keep_stride: bool = False, pool: bool = False,
                 limit: int = 6) -> tuple[Solution, ...]:
    """Settings of one axis whose output size is ``target``, nearest first.

    Two families: padding and stride moved on the same input, or the input size moved at
    the same padding and stride. ``keep_stride`` keeps the stride (for 'same' at stride s);
    ``pool`` keeps the padding at most half the kernel size (dilation left out), as
    PyTorch's pooling layers must.

    Args:
        input_size, kernel_size, stride, padding, dilation: the layer's current axis.
        target: the output size wanted.
        transposed: the axis of a ConvTranspose2d.
        limit: at most this many solutions.

    Returns:
        Up to ``limit`` :class:`Solution`; none when nothing within the search reaches it.

    ResNet's stem: a 7x7 stride-2 convolution on 224 gives 112 with padding 3.

    >>> [(s.changed, s.padding, s.stride, s.input_size)
    ...  for s in solve_output(224, 7, 2, 0, target=112)][:2]
    [(('padding',), 3, 2, 224), (('input_size',), 0, 2, 229)]
    """
    found: list[Solution] = []
    hi_s, hi_p = min(SEARCH, BOUNDS["s"][1]), min(SEARCH, BOUNDS["p"][1])
    if pool:
        hi_p = min(hi_p, kernel_size // 2)
    for s in [stride] if keep_stride else range(1, hi_s + 1):
        for p in range(0, hi_p + 1):
            if axis_output(input_size, kernel_size, s, p, dilation, transposed=transposed) \
                    == target:
                moved = tuple(name for name, a, b in (("stride", s, stride),
                                                      ("padding", p, padding)) if a != b)
                found.append(Solution(input_size, s, p, target, moved,
                                      abs(s - stride) + abs(p - padding)))
    if not keep_stride:
        for n in range(1, input_size + SEARCH * max(stride, 1) + 1):
            if n != input_size and axis_output(n, kernel_size, stride, padding, dilation,
                                               transposed=transposed) == target:
                found.append(Solution(n, stride, padding, target, ("input_size",),
                                      abs(n - input_size)))
    found.sort(key=lambda s: (s.distance, len(s.changed), s.padding, s.stride, s.input_size))
    return tuple(found[:limit])
