"""Pooling's output size: ``nn.MaxPool2d`` / ``nn.AvgPool2d``'s arithmetic, step by step,
with PyTorch's refusals and its ``ceil_mode`` rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConvConfigError
from ..params import Pair, _show, to_pair
from ..predict import distinct_slips
from ..shapes import KernelSpan, require_input_size


@dataclass(frozen=True)
class PoolAxis(KernelSpan):
    """One axis of a pooling layer's output size, with every intermediate number.

    ``floor_output = floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1``;
    ``ceil_mode`` rounds the division up instead, then drops the last window again if it
    would start past the input and its left padding (in the right padding or beyond).

    ``extra``: what ``ceil_mode`` did to the window after the floor's last one: ``"none"``
    (off, or nothing to round up), ``"added"`` (one more window, reaching past the padded
    input) or ``"dropped"`` (rounding up gave one, but it would start at ``ceil_start``,
    outside the input and its left padding).
    """

    size: int
    kernel: int
    stride: int
    padding: int
    dilation: int
    ceil_mode: bool

    @property
    def padded(self) -> int:
        return self.size + 2 * self.padding

    @property
    def span(self) -> int:
        """How far the window can slide inside the padded input."""
        return self.padded - self.effective_kernel

    @property
    def floor_output(self) -> int:
        return self.span // self.stride + 1

    @property
    def rounded_up(self) -> int:
        """The count with the division rounded up, before the rule drops a window."""
        return (self.span + self.stride - 1) // self.stride + 1

    @property
    def ceil_start(self) -> int:
        """Where (in padded cells) the window that rounding up adds would start."""
        return (self.rounded_up - 1) * self.stride

    @property
    def extra(self) -> str:
        if self.rounded_up == self.floor_output:
            return "none"
        # PyTorch: ``if ((out - 1) * stride >= size + pad_l) --out`` (in unpadded
        # coordinates the window would start at or after the input's end).
        return "dropped" if self.ceil_start >= self.size + self.padding else "added"

    @property
    def output(self) -> int:
        if self.ceil_mode and self.extra == "added":
            return self.rounded_up
        return self.floor_output

    @property
    def overflow(self) -> int:
        """Cells the last window reaches past the padded input (an added ceil window)."""
        last_end = (self.output - 1) * self.stride + self.effective_kernel
        return max(0, last_end - self.padded)


_WORDS = {"kernel_size": "kernel size", "stride": "stride", "dilation": "dilation"}


def _pool_pair(name: str, value: Any) -> Pair:
    """An int or a pair (PyTorch's wording: "must either be a single int, or a tuple of two
    ints"), refused at the boundary."""
    if isinstance(value, (list, tuple)) and len(value) == 1:  # PyTorch takes (k,) as k
        value = value[0]
    return to_pair(name, value)


def explain_pool2d(
    input_size: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> tuple[PoolAxis, PoolAxis]:
    """Validate a pooling layer like PyTorch and return the arithmetic of both axes.

    Args:
        input_size: ``H`` or ``(H, W)``.
        kernel_size, padding, dilation: an int or an ``(h, w)`` pair.
        stride: an int, a pair, or ``None`` (the default): the kernel size.
        ceil_mode: round the window count up (see :class:`PoolAxis`).

    Returns:
        ``(height, width)`` as :class:`PoolAxis`.

    Raises:
        ConvConfigError: exactly where ``F.max_pool2d`` refuses the configuration (in its
            order: a zero stride, the kernel, the stride, the dilation, a negative padding,
            a padding over half the kernel, an empty output).

    d2l's ``MaxPool2d(3, padding=1, stride=2)`` on a 4 x 4 input:

    >>> h, w = explain_pool2d(4, 3, stride=2, padding=1)
    >>> h.padded, h.span, h.output
    (6, 3, 2)
    """
    size = _pool_pair("input_size", input_size)
    k = _pool_pair("kernel_size", kernel_size)
    s = k if stride is None or stride == () else _pool_pair("stride", stride)
    p = _pool_pair("padding", padding)
    d = _pool_pair("dilation", dilation)
    require_input_size(size)
    if 0 in s:
        fix = tuple(v if v else 1 for v in s)
        raise ConvConfigError("stride", _show(s), "stride should not be zero",
                              {"stride": _show(fix)})
    for name, pair in (("kernel_size", k), ("stride", s), ("dilation", d)):
        if min(pair) <= 0:
            fix = tuple(max(v, 1) for v in pair)
            raise ConvConfigError(name, _show(pair), f"{_WORDS[name]} should be greater than "
                                  "zero", {name: _show(fix)})
    if min(p) < 0:
        raise ConvConfigError("padding", _show(p), "pad must be non-negative",
                              {"padding": _show(tuple(max(v, 0) for v in p))})
    if any(pi > ki // 2 for pi, ki in zip(p, k, strict=True)):
        half = tuple(min(pi, ki // 2) for pi, ki in zip(p, k, strict=True))
        raise ConvConfigError("padding", _show(p), "pad should be smaller than or equal to "
                              f"half of kernel size (kernel_size={_show(k)})",
                              {"padding": _show(half)})
    axes = tuple(PoolAxis(size[i], k[i], s[i], p[i], d[i], bool(ceil_mode)) for i in range(2))
    if min(a.output for a in axes) <= 0:
        fit = tuple(_fitting_kernel(a) for a in axes)
        raise ConvConfigError("kernel_size", _show(k), f"Given input size: {list(size)}. "
                              f"Calculated output size: {[a.output for a in axes]}. Output size "
                              "is too small", {"kernel_size": _show(tuple(f[0] for f in fit)),
                                               "padding": _show(tuple(f[1] for f in fit))})
    return axes  # type: ignore[return-value]


def _fitting_kernel(a: PoolAxis) -> tuple[int, int]:
    """The largest kernel up to ``a.kernel`` (and the padding it allows, at most ``a.padding``)
    that gives this axis an output."""
    for k in range(a.kernel, 0, -1):
        p = min(a.padding, k // 2)
        if PoolAxis(a.size, k, a.stride, p, a.dilation, a.ceil_mode).output >= 1:
            return k, p
    return 1, 0  # unreachable: a 1-wide window always fits


def pool2d_output_size(
    size: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
) -> tuple[int, int]:
    """The spatial size ``(H_out, W_out)`` that ``nn.MaxPool2d`` (and, with dilation 1,
    ``nn.AvgPool2d``) produces.

    ``H_out = floor((H + 2p - d(k - 1) - 1) / s) + 1`` (rounded up with ``ceil_mode``, as
    long as the last window starts inside the input or its left padding); ``stride``
    defaults to the kernel size.

    Raises:
        ConvConfigError: for exactly the configurations PyTorch refuses.

    d2l 7.5's examples on a 4 x 4 input, and ``ceil_mode``'s extra window:

    >>> pool2d_output_size(4, 3), pool2d_output_size(4, 3, stride=2, padding=1)
    ((1, 1), (2, 2))
    >>> pool2d_output_size(4, (2, 3), stride=(2, 3), padding=(0, 1))
    (2, 2)
    >>> pool2d_output_size(4, 3, stride=2), pool2d_output_size(4, 3, stride=2, ceil_mode=True)
    ((1, 1), (2, 2))
    >>> pool2d_output_size(4, 2, stride=3, padding=1, ceil_mode=True)  # the extra one dropped
    (2, 2)
    >>> pool2d_output_size(4, 3, padding=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convlab.errors.ConvConfigError: pad should be ... half of kernel size ...: padding=1
    """
    h, w = explain_pool2d(size, kernel_size, stride, padding, dilation, ceil_mode)
    return (h.output, w.output)


def adaptive_pool_bins(in_size: int, out_size: int) -> list[tuple[int, int]]:
    """The cells ``[start, end)`` each adaptive-pooling output reads along one axis, cut as
    PyTorch cuts them: ``start = floor(i * in / out)``, ``end = ceil((i + 1) * in / out)``.

    Neighbouring bins overlap where ``in`` is not a multiple of ``out``.

    Raises:
        ConvConfigError: a negative ``out_size`` (PyTorch: "elements of output_size must be
            greater than or equal to 0"), or an input size under 1.

    >>> adaptive_pool_bins(7, 3)
    [(0, 3), (2, 5), (4, 7)]
    >>> adaptive_pool_bins(4, 1)  # global pooling: one bin over everything
    [(0, 4)]
    """
    if in_size <= 0:
        raise ConvConfigError("input_size", in_size, "input height and width must be positive",
                              {"input_size": 1})
    if out_size < 0:
        raise ConvConfigError("output_size", out_size, "elements of output_size must be "
                              "greater than or equal to 0", {"output_size": 1})
    return [((i * in_size) // out_size, -(-((i + 1) * in_size) // out_size))
            for i in range(out_size)]


def pool_size_slips(axes: tuple[PoolAxis, ...]) -> dict[str, tuple[int, ...]]:
    """The output size each usual slip gives: ``pool_stride_one`` (stride 1, where it
    defaults to the kernel), ``pool_other_rounding`` (floor for ceil or back),
    ``no_plus_one``; a slip that gives the right answer is left out.

    >>> pool_size_slips(explain_pool2d(4, 3, padding=1, stride=2))
    {'pool_stride_one': (4, 4), 'pool_other_rounding': (3, 3), 'no_plus_one': (1, 1)}
    """
    def one(a: PoolAxis) -> dict[str, int]:
        return {"pool_stride_one": a.span + 1,
                "pool_other_rounding": a.rounded_up if a.output == a.floor_output
                else a.floor_output,
                "no_plus_one": a.output - 1}

    return distinct_slips([one(a) for a in axes], tuple(a.output for a in axes))
