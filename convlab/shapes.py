"""Output-size arithmetic: the formula of ``torch.nn.Conv2d``, step by step, and the index map."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ConvConfigError
from .params import Pair, _show, require_non_negative, require_positive, to_padding, to_pair

AXES = ("height", "width")


class KernelSpan:
    """The dilated kernel's extent, for an axis record with ``kernel`` and ``dilation``
    (Conv2d's :class:`AxisArithmetic`, ConvTranspose2d's ``TransposeAxis``)."""

    kernel: int
    dilation: int

    @property
    def effective_kernel(self) -> int:
        """How many cells one window (one stamp, transposed) spans:
        ``dilation * (kernel - 1) + 1``."""
        return self.dilation * (self.kernel - 1) + 1


@dataclass(frozen=True)
class AxisArithmetic(KernelSpan):
    """One axis of the output-size formula with every intermediate number.

    ``out = floor((size + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride) + 1``
    """

    size: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int

    @property
    def padded(self) -> int:
        return self.size + self.pad_before + self.pad_after

    @property
    def span(self) -> int:
        """How far the window can slide: ``padded - effective_kernel``."""
        return self.padded - self.effective_kernel

    @property
    def quotient(self) -> int:
        return self.span // self.stride

    @property
    def remainder(self) -> int:
        """Trailing padded cells no window reaches: what the floor throws away."""
        return self.span % self.stride

    @property
    def output(self) -> int:
        return self.quotient + 1


def applied_padding(padding: Any, kernel_size: Any, dilation: Any = 1) -> tuple[Pair, Pair]:
    """The zeros PyTorch actually adds, as ``((top, bottom), (left, right))``.

    For ``'same'`` the total ``dilation * (kernel - 1)`` is split with the extra cell on
    the bottom/right when it is odd, as PyTorch does.

    >>> applied_padding("same", 4)
    ((1, 2), (1, 2))
    >>> applied_padding((2, 1), (5, 3))
    ((2, 2), (1, 1))
    """
    pad = to_padding(padding)
    if pad == "valid":
        return ((0, 0), (0, 0))
    if pad == "same":
        k, d = to_pair("kernel_size", kernel_size), to_pair("dilation", dilation)
        totals = [di * (ki - 1) for ki, di in zip(k, d, strict=True)]
        (th, tw) = [(t // 2, t - t // 2) for t in totals]
        return (th, tw)
    assert isinstance(pad, tuple)
    return ((pad[0], pad[0]), (pad[1], pad[1]))


def explain_output_size(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> tuple[AxisArithmetic, AxisArithmetic]:
    """Validate a configuration like PyTorch and return the arithmetic of both axes.

    Args:
        input_size: ``H`` or ``(H, W)``.
        kernel_size, stride, dilation: an int or an ``(h, w)`` pair.
        padding: an int, a pair, ``'same'`` or ``'valid'``.

    Returns:
        ``(height, width)`` as :class:`AxisArithmetic`.

    Raises:
        ConvConfigError: exactly where ``nn.Conv2d`` refuses the configuration.

    >>> h, w = explain_output_size(8, 3, stride=2, padding=1)
    >>> h.effective_kernel, h.padded, h.quotient, h.remainder, h.output
    (3, 10, 3, 1, 4)
    """
    size = to_pair("input_size", input_size)
    k = to_pair("kernel_size", kernel_size)
    s = to_pair("stride", stride)
    d = to_pair("dilation", dilation)
    pad = to_padding(padding)
    require_same_unstrided(pad, s)
    require_window(k, s, d)
    require_input_size(size)
    if isinstance(pad, tuple):
        # The nearest valid padding is at least the one that lets the window fit.
        least = tuple(max(0, -(-(di * (ki - 1) + 1 - n) // 2)) for n, ki, di in zip(size, k, d,
                                                                                      strict=True))
        require_non_negative("padding", pad, least)  # type: ignore[arg-type]
    pads = applied_padding(pad, k, d)
    axes = tuple(AxisArithmetic(size[i], k[i], s[i], d[i], *pads[i]) for i in range(2))
    _require_window_fits(axes, pad)
    return axes  # type: ignore[return-value]


def require_window(kernel: Pair, stride: Pair, dilation: Pair) -> None:
    """Kernel size, stride and dilation must be positive, refused in PyTorch's order.

    >>> require_window((3, 3), (1, 0), (1, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convlab.errors.ConvConfigError: ...stride...
    """
    require_positive("kernel_size", kernel)  # first: a negative kernel fails at construction
    require_positive("stride", stride)
    require_positive("dilation", dilation)


def require_input_size(size: Pair) -> None:
    """The input's height and width must be positive (nearest fix: 1 where not)."""
    if min(size) <= 0:
        raise ConvConfigError("input_size", _show(size), "input height and width must be positive",
                              {"input_size": _show(tuple(max(v, 1) for v in size))},
                              code="not_positive")


def require_same_unstrided(padding: Pair | str, stride: Pair) -> None:
    """``padding='same'`` only exists for stride 1 (the one owner of this refusal)."""
    if padding == "same" and stride != (1, 1):
        raise ConvConfigError("padding", "same", "padding='same' is not supported for strided "
                              "convolutions (stride must be 1)", {"stride": 1}, stage="construct",
                              code="same_strided")


def require_groups(groups: int, in_channels: int, out_channels: int) -> None:
    """``groups`` must be positive and divide both channel counts (the one owner of this
    refusal); the nearest fix is the common divisor closest to ``groups``.

    >>> require_groups(3, 4, 4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convlab.errors.ConvConfigError: in_channels must be divisible by groups ...: groups=2
    """
    if groups <= 0:
        raise ConvConfigError("groups", groups, "groups must be a positive integer",
                              {"groups": 1}, stage="construct", code="not_positive")
    for name, count in (("in_channels", in_channels), ("out_channels", out_channels)):
        if count % groups:
            g = math.gcd(in_channels, out_channels)
            fix = min((q for q in range(1, g + 1) if g % q == 0),
                      key=lambda q: (abs(q - groups), q))
            raise ConvConfigError("groups", groups, f"{name} must be divisible by groups "
                                  f"({name}={count})", {"groups": fix}, stage="construct",
                                  code="groups_divide", values={"name": name, "count": count})


def _require_window_fits(axes: tuple[AxisArithmetic, ...], pad: Pair | str) -> None:
    bad = [a for a in axes if a.span < 0]
    if not bad:
        return
    # The two nearest fixes: the largest kernel that fits, or the least padding that fits.
    kernel_fit = tuple(min(a.kernel, (a.padded - 1) // a.dilation + 1) for a in axes)
    reason = (f"kernel size can't be greater than the padded input: the effective kernel "
              f"{' x '.join(str(a.effective_kernel) for a in axes)} does not fit in the padded "
              f"input {' x '.join(str(a.padded) for a in axes)}")
    suggestion: dict[str, Any] = {"kernel_size": _show(kernel_fit)}
    if isinstance(pad, tuple):
        pad_fit = tuple(max(p, -(-(a.effective_kernel - a.size) // 2)) for p, a in zip(pad, axes,
                                                                                        strict=True))
        suggestion["padding"] = _show(pad_fit)
    raise ConvConfigError("kernel_size", _show(tuple(a.kernel for a in axes)), reason, suggestion,
                          code="kernel_too_big",
                          values={"kernel": " × ".join(str(a.effective_kernel) for a in axes),
                                  "padded": " × ".join(str(a.padded) for a in axes)})


def conv2d_output_size(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> tuple[int, int]:
    """The spatial size ``(H_out, W_out)`` that ``torch.nn.Conv2d`` produces.

    ``H_out = floor((H + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)``

    Args:
        input_size: ``H`` or ``(H, W)``.
        kernel_size, stride, dilation: an int or an ``(h, w)`` pair.
        padding: an int, a pair, ``'same'`` or ``'valid'`` (per side, as in PyTorch).

    Returns:
        ``(H_out, W_out)``.

    Raises:
        ConvConfigError: for exactly the configurations PyTorch refuses.

    d2l's "padding and strides" examples on an 8 x 8 input:

    >>> conv2d_output_size(8, 3, padding=1)
    (8, 8)
    >>> conv2d_output_size(8, (5, 3), padding=(2, 1))
    (8, 8)
    >>> conv2d_output_size(8, 3, padding=1, stride=2)
    (4, 4)
    >>> conv2d_output_size(8, (3, 5), padding=(0, 1), stride=(3, 4))
    (2, 2)
    """
    h, w = explain_output_size(input_size, kernel_size, stride, padding, dilation)
    return (h.output, w.output)


def axis_windows(h: AxisArithmetic, w: AxisArithmetic) -> tuple[np.ndarray, np.ndarray]:
    """The window index map and the coverage it implies, from already validated axes.

    One array drives every highlight of a picture: ``index[i, j, a, b]`` is the
    ``(row, col)`` in the *padded* input that tap ``(a, b)`` of output ``(i, j)`` multiplies;
    ``coverage[r, c]`` counts the taps that read padded cell ``(r, c)`` (0: never read).

    Returns:
        ``index`` int64 ``(H_out, W_out, kh, kw, 2)`` and ``coverage`` int64 ``(Hp, Wp)``.

    >>> index, coverage = axis_windows(*explain_output_size(4, 3, stride=3))
    >>> index.shape, coverage.tolist()[0]
    ((1, 1, 3, 3, 2), [1, 1, 1, 0])
    """
    rows = np.arange(h.output)[:, None] * h.stride + np.arange(h.kernel)[None, :] * h.dilation
    cols = np.arange(w.output)[:, None] * w.stride + np.arange(w.kernel)[None, :] * w.dilation
    index = np.empty((h.output, w.output, h.kernel, w.kernel, 2), dtype=np.int64)
    index[..., 0] = rows[:, None, :, None]  # (H_out, kh) -> (H_out, 1, kh, 1)
    index[..., 1] = cols[None, :, None, :]  # (W_out, kw) -> (1, W_out, 1, kw)
    coverage = np.zeros((h.padded, w.padded), dtype=np.int64)
    np.add.at(coverage, (index[..., 0].ravel(), index[..., 1].ravel()), 1)
    return index, coverage


def window_index_map(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> np.ndarray:
    """Which padded-input cell every kernel tap of every output cell reads.

    Returns:
        int64 array of shape ``(H_out, W_out, kh, kw, 2)`` (see :func:`axis_windows`).

    >>> idx = window_index_map(3, 2)
    >>> idx.shape, idx[1, 0, 0, 1].tolist()
    ((2, 2, 2, 2, 2), [1, 1])
    """
    return axis_windows(*explain_output_size(input_size, kernel_size, stride, padding,
                                             dilation))[0]


def window_coverage(
    input_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> np.ndarray:
    """How many windows read each padded-input cell; 0 marks cells no window touches.

    >>> window_coverage(4, 3, stride=3).tolist()[0]
    [1, 1, 1, 0]
    """
    return axis_windows(*explain_output_size(input_size, kernel_size, stride, padding,
                                             dilation))[1]
