"""Transposed-convolution sizes: the output of ``nn.ConvTranspose2d``, and the inverse
questions (which inputs a Conv2d maps to one output, which output_padding brings one back)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConvConfigError
from ..params import Pair, _show, require_non_negative, to_padding, to_pair
from ..shapes import (
    KernelSpan,
    applied_padding,
    conv2d_output_size,
    require_input_size,
    require_same_unstrided,
    require_window,
)

Sizes = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class TransposeAxis(KernelSpan):
    """One axis of ``nn.ConvTranspose2d``'s output size with every intermediate number.

    ``out = (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1``
    """

    size: int
    kernel: int
    stride: int
    padding: int
    output_padding: int
    dilation: int

    @property
    def stretched(self) -> int:
        """The input with ``stride - 1`` zeros between its cells: ``(size - 1) * stride + 1``."""
        return (self.size - 1) * self.stride + 1

    @property
    def full(self) -> int:
        """The canvas every stamp fits in, before ``padding`` is cropped from both ends."""
        return self.stretched + self.effective_kernel - 1

    @property
    def edge(self) -> int:
        """Zeros put around the stretched input in the direct form, ``d (k - 1) - p`` per
        side (negative: that many cells cropped instead)."""
        return self.dilation * (self.kernel - 1) - self.padding

    @property
    def output(self) -> int:
        return self.full - 2 * self.padding + self.output_padding


def _int_padding(padding: Any) -> Pair:
    """ConvTranspose2d takes numbers only: ``'same'`` and ``'valid'`` do not exist for it."""
    if isinstance(padding, str):
        raise ConvConfigError("padding", padding, "padding must be an int or a pair for a "
                              "transposed convolution ('same' and 'valid' are Conv2d's only)",
                              {"padding": 0}, code="transpose_padding")
    return to_pair("padding", padding)


def explain_transpose_size(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
) -> tuple[TransposeAxis, TransposeAxis]:
    """Validate a configuration like ``nn.ConvTranspose2d`` and return both axes' arithmetic.

    Raises:
        ConvConfigError: exactly where PyTorch refuses it (kernel, stride, dilation not
            positive; negative padding or output_padding; output_padding not smaller than
            the stride or the dilation; a non-positive input or output size).

    >>> h, w = explain_transpose_size(2, 3, stride=2)
    >>> h.stretched, h.edge, h.output
    (3, 2, 5)
    """
    axes = _settings(input_size, kernel_size, stride, padding, output_padding, dilation)
    if min(a.output for a in axes) <= 0:
        # The nearest fix: the largest padding that still leaves one output cell.
        fit = tuple(min(a.padding, (a.full + a.output_padding - 1) // 2) for a in axes)
        raise ConvConfigError("padding", _show(tuple(a.padding for a in axes)),
                              "the output size is too small: "
                              f"{' x '.join(str(a.output) for a in axes)} is not positive",
                              {"padding": _show(fit)}, code="output_not_positive",
                              values={"size": " × ".join(str(a.output) for a in axes)})
    return axes


def _settings(input_size: Any, kernel_size: Any, stride: Any, padding: Any,
              output_padding: Any, dilation: Any) -> tuple[TransposeAxis, TransposeAxis]:
    """Every refusal but the output size's."""
    size = to_pair("input_size", input_size)
    k = to_pair("kernel_size", kernel_size)
    s = to_pair("stride", stride)
    d = to_pair("dilation", dilation)
    p = _int_padding(padding)
    op = to_pair("output_padding", output_padding)
    require_window(k, s, d)
    require_non_negative("padding", p)
    require_non_negative("output_padding", op)
    if any(o >= max(si, di) for o, si, di in zip(op, s, d, strict=True)):
        fix = tuple(min(o, max(si, di) - 1) for o, si, di in zip(op, s, d, strict=True))
        raise ConvConfigError("output_padding", _show(op), "output padding must be smaller "
                              f"than either stride or dilation (stride={_show(s)}, "
                              f"dilation={_show(d)})", {"output_padding": _show(fix)},
                              code="output_padding_too_big",
                              values={"stride": str(_show(s)), "dilation": str(_show(d))})
    require_input_size(size)
    h, w = (TransposeAxis(*a) for a in zip(size, k, s, p, op, d, strict=True))
    return (h, w)


def conv_transpose2d_output_size(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
) -> tuple[int, int]:
    """The spatial size ``(H_out, W_out)`` that ``torch.nn.ConvTranspose2d`` produces.

    ``H_out = (H - 1) * stride - 2 * padding + dilation * (kernel_size - 1)
    + output_padding + 1``

    Args:
        input_size: ``H`` or ``(H, W)``.
        kernel_size, stride, padding, output_padding, dilation: an int or an ``(h, w)`` pair.

    Returns:
        ``(H_out, W_out)``.

    Raises:
        ConvConfigError: for exactly the configurations PyTorch refuses.

    The conv-arithmetic guide's strided example and the DCGAN up-step:

    >>> conv_transpose2d_output_size(2, 3, stride=2)
    (5, 5)
    >>> conv_transpose2d_output_size(4, 4, stride=2, padding=1)
    (8, 8)
    >>> conv_transpose2d_output_size(4, 3, stride=1, output_padding=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convlab.errors.ConvConfigError: output padding must be smaller ...: output_padding=0
    """
    h, w = explain_transpose_size(input_size, kernel_size, stride, padding, output_padding,
                                  dilation)
    return (h.output, w.output)


def conv2d_input_sizes(
    output_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> Sizes:
    """Every input size that ``nn.Conv2d`` maps to ``output_size``, per axis.

    The floor in Conv2d's formula sends ``stride`` consecutive sizes to one output size
    (fewer where they would not be positive): that ambiguity is why ConvTranspose2d has an
    ``output_padding``.

    Returns:
        ``(heights, widths)``, each an increasing tuple of sizes.

    Raises:
        ConvConfigError: for a Conv2d configuration PyTorch refuses, or an output size no
            input reaches (nearest valid setting: the smallest reachable one).

    >>> conv2d_input_sizes(4, 3, stride=2, padding=1)
    ((7, 8), (7, 8))
    """
    out = to_pair("output_size", output_size)
    k = to_pair("kernel_size", kernel_size)
    s = to_pair("stride", stride)
    d = to_pair("dilation", dilation)
    pad = to_padding(padding)
    require_same_unstrided(pad, s)
    smallest = conv2d_output_size(_least_input(k, d, pad), k, s, pad, d)  # validates too
    if min(out) <= 0 or any(o < lo for o, lo in zip(out, smallest, strict=True)):
        fix = tuple(max(o, lo) for o, lo in zip(out, smallest, strict=True))
        raise ConvConfigError("output_size", _show(out), "no input size gives this output: "
                              f"the smallest output of this layer is {_show(smallest)}",
                              {"output_size": _show(fix)}, code="no_input_gives",
                              values={"smallest": str(_show(smallest))})
    pads = applied_padding(pad, k, d)
    sizes = []
    for o, ki, si, di, (before, after) in zip(out, k, s, d, pads, strict=True):
        low = (o - 1) * si - before - after + di * (ki - 1) + 1
        sizes.append(tuple(n for n in range(low, low + si) if n >= 1))
    return (sizes[0], sizes[1])


def _least_input(k: Pair, d: Pair, pad: Pair | str) -> Pair:
    """The smallest input the window fits in (at least 1)."""
    totals = [sum(p) for p in applied_padding(pad, k, d)]
    return tuple(max(1, di * (ki - 1) + 1 - t)  # type: ignore[return-value]
                 for ki, di, t in zip(k, d, totals, strict=True))


def output_padding_for(
    output_size: Any,
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> Pair:
    """The ``output_padding`` that makes ``nn.ConvTranspose2d`` return ``output_size``.

    It is what ``layer(x, output_size=...)`` computes in ``forward``: the requested size
    minus the size with no output_padding, which must lie in ``0 .. stride - 1``.

    Raises:
        ConvConfigError: worded like ``forward``'s refusal, with the nearest valid size.

    The round trip: Conv2d(k=3, s=2, p=1) maps 8 to 4; back to 8 needs output_padding 1.

    >>> output_padding_for(8, 4, 3, stride=2, padding=1)
    (1, 1)
    """
    target = to_pair("output_size", output_size)
    axes = _settings(input_size, kernel_size, stride, padding, 0, dilation)
    low = tuple(max(a.output, 1) for a in axes)
    high = tuple(a.output + a.stride - 1 for a in axes)
    if any(not lo <= n <= hi for n, lo, hi in zip(target, low, high, strict=True)):
        fix = tuple(min(max(n, lo), hi) for n, lo, hi in zip(target, low, high, strict=True))
        given = _show(tuple(a.size for a in axes))
        raise ConvConfigError("output_size", _show(target), f"requested an output size of "
                              f"{_show(target)}, but valid sizes range from {_show(low)} to "
                              f"{_show(high)} (for an input of {given})",
                              {"output_size": _show(fix)}, code="output_size_range",
                              values={"low": str(_show(low)), "high": str(_show(high)),
                                      "given": str(given)})
    return (target[0] - axes[0].output, target[1] - axes[1].output)


@dataclass(frozen=True)
class RoundTrip:
    """Conv2d, then ConvTranspose2d with the same settings: where the shape goes.

    ``size`` the Conv2d input, ``down`` its output, ``inputs`` every Conv2d input giving
    ``down`` per axis, ``back`` the ConvTranspose2d output without output_padding, and
    ``output_padding`` the one that returns to ``size``.
    """

    size: Pair
    down: Pair
    inputs: Sizes
    back: Pair
    output_padding: Pair

    @property
    def returns(self) -> bool:
        """Whether the transposed layer gives ``size`` back without output_padding."""
        return self.back == self.size


def round_trip(input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
               dilation: Any = 1) -> RoundTrip:
    """Down with ``nn.Conv2d`` and back up with ``nn.ConvTranspose2d`` (same settings).

    >>> r = round_trip(8, 3, stride=2, padding=1)
    >>> r.down, r.back, r.returns, r.output_padding
    ((4, 4), (7, 7), False, (1, 1))
    """
    size = to_pair("input_size", input_size)
    p = _int_padding(padding)
    down = conv2d_output_size(size, kernel_size, stride, p, dilation)
    back = conv_transpose2d_output_size(down, kernel_size, stride, p, 0, dilation)
    return RoundTrip(size, down, conv2d_input_sizes(down, kernel_size, stride, p, dilation),
                     back, output_padding_for(size, down, kernel_size, stride, p, dilation))
