"""Max and average pooling computed the lesson's way: gather each window from the tap map,
then take its maximum or its mean. Equal to ``F.max_pool2d`` / ``F.avg_pool2d`` and the
adaptive ones; max pooling's backward routes each output's gradient to its winning cell."""

from __future__ import annotations

from typing import Any

import torch

from ..errors import ConvConfigError
from .sizes import PoolAxis
from .windows import PoolWindows, adaptive_windows, pool_windows

Tensor = torch.Tensor


def _batched(X: Tensor) -> Tensor:
    if X.dim() not in (3, 4):
        raise ConvConfigError("input", tuple(X.shape), "Expected 3D or 4D (batch mode) tensor "
                              "for input")
    return X if X.dim() == 4 else X[None]


def window_values(X: Tensor, win: PoolWindows, fill: float) -> Tensor:
    """Every tap's value: ``(N, C, H, W)`` -> ``(N, C, H_out, W_out, kh * kw)``, cells
    outside the input holding ``fill`` (-inf for max, 0 for average)."""
    taps = win.taps
    N, C, H, W = X.shape
    top, left = taps.box[:2]
    hp, wp = taps.padded_shape
    Xp = X.new_full((N, C, hp, wp), fill)
    Xp[..., top:top + H, left:left + W] = X
    cell = torch.as_tensor(taps.cell, device=X.device)
    ho, wo = taps.out_shape
    # (N, C, Hp * Wp)[..., (T,)] -> (N, C, T) -> (N, C, H_out, W_out, kh * kw)
    return Xp.flatten(-2)[..., cell].reshape(N, C, ho, wo, taps.taps_per_output)


def _max(X: Tensor, win: PoolWindows, return_indices: bool) -> Tensor | tuple[Tensor, Tensor]:
    squeeze = X.dim() == 3
    Xb = _batched(X)
    vals = window_values(Xb, win, float("-inf"))  # (N, C, H_out, W_out, n)
    n = win.taps.taps_per_output
    real = torch.as_tensor(win.reads_input, device=X.device).reshape(*win.taps.out_shape, n)
    Y = vals.masked_fill(~real, float("-inf")).amax(-1)  # NaN wins, as in PyTorch
    # PyTorch scans a window row by row and keeps the first maximum (``val > maxval``), or
    # the last NaN (``|| isnan(val)``); a window of -inf keeps its first input cell.
    nan = torch.isnan(vals) & real
    first = (real & (vals == Y[..., None])).int().argmax(-1)
    last_nan = n - 1 - nan.flip(-1).int().argmax(-1)
    tap = torch.where(nan.any(-1), last_nan, first)  # (N, C, H_out, W_out)
    source = torch.as_tensor(win.taps.source[win.taps.cell], device=X.device).reshape(
        *win.taps.out_shape, n)  # (H_out, W_out, n) input cell of each tap
    indices = torch.gather(source.expand(*tap.shape, n), -1, tap[..., None])[..., 0]
    if win.axes is not None:  # a window of padding alone: PyTorch's starting index stays
        starts = [torch.as_tensor(_first_start(a)) for a in win.axes]
        empty = (starts[0][:, None] * win.axes[1].size + starts[1][None, :]).to(X.device)
        indices = torch.where(real.any(-1), indices, empty)
    if squeeze:
        Y, indices = Y[0], indices[0]
    return (Y, indices) if return_indices else Y


def _first_start(a: PoolAxis) -> list[int]:
    """Each window's first tap at or after the input's start, in input coordinates (where
    PyTorch's max pooling starts its scan: ``while (start < 0) start += dilation``)."""
    starts = [i * a.stride - a.padding for i in range(a.output)]
    return [s if s >= 0 else s + (a.dilation - 1 - s) // a.dilation * a.dilation
            for s in starts]


def max_pool2d(X: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``F.max_pool2d`` from the window map: each output is its window's largest value.

    Args:
        X: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size, stride, padding, dilation, ceil_mode: as ``nn.MaxPool2d``'s
            (``stride=None``: the kernel size); padding holds -inf, so it never wins.
        return_indices: also return where each maximum is, as a flat index ``i * W + j``
            into its channel of the input (``nn.MaxUnpool2d``'s convention).

    Returns:
        ``Y`` ``(N, C, H_out, W_out)``, and the indices (int64, same shape) if asked.

    Raises:
        ConvConfigError: where PyTorch refuses the layer.

    d2l 7.5's ``pool2d(X, (2, 2))`` on X = 0..8, and ``MaxPool2d(3)`` on arange(16):

    >>> max_pool2d(torch.arange(9.0).reshape(1, 3, 3), 2, stride=1).tolist()
    [[[4.0, 5.0], [7.0, 8.0]]]
    >>> Y, i = max_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 3, return_indices=True)
    >>> Y.tolist(), i.tolist()
    ([[[[10.0]]]], [[[[10]]]])
    """
    win = pool_windows(tuple(X.shape[-2:]), kernel_size, stride, padding, dilation, ceil_mode)
    return _max(X, win, return_indices)


def avg_pool2d(X: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """``F.avg_pool2d`` from the window map: each output is its window's sum over a divisor.

    The divisor is ``divisor_override`` when given; else the window's cells inside the
    input and its padding (``count_include_pad=True``) or inside the input alone. Cells an
    added ``ceil_mode`` window reaches past the padding are never counted.

    Raises:
        ConvConfigError: where PyTorch refuses the layer (``divisor_override=0``: "divisor
            must be not zero").

    d2l 7.5's average ``pool2d`` on X = 0..8:

    >>> avg_pool2d(torch.arange(9.0).reshape(1, 3, 3), 2, stride=1).tolist()
    [[[2.0, 3.0], [5.0, 6.0]]]
    """
    win = pool_windows(tuple(X.shape[-2:]), kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise ConvConfigError("divisor_override", 0, "divisor must be not zero",
                              {"divisor_override": None})
    return _average(X, win, count_include_pad, divisor_override)


def pool_divisors(win: PoolWindows, count_include_pad: bool = True,
             divisor_override: int | None = None) -> Tensor:
    """``(H_out, W_out)`` what average pooling divides each window's sum by.

    >>> pool_divisors(pool_windows(4, 3, stride=2, padding=1), count_include_pad=False).tolist()
    [[4, 6], [6, 9]]
    """
    n = win.taps.taps_per_output
    counted = torch.as_tensor(win.counted(count_include_pad)).reshape(*win.taps.out_shape, n)
    if divisor_override is not None:
        return torch.full(win.taps.out_shape, int(divisor_override), dtype=torch.int64)
    return counted.sum(-1)


def _average(X: Tensor, win: PoolWindows, count_include_pad: bool,
             divisor_override: int | None) -> Tensor:
    squeeze = X.dim() == 3
    Xb = _batched(X)
    vals = window_values(Xb, win, 0.0)  # (N, C, H_out, W_out, n)
    n = win.taps.taps_per_output
    genuine = torch.as_tensor(win.genuine, device=X.device).reshape(*win.taps.out_shape, n)
    total = (vals * genuine).sum(-1)  # padding holds 0: it adds nothing, counted or not
    Y = total / pool_divisors(win, count_include_pad, divisor_override).to(X.device, X.dtype)
    return Y[0] if squeeze else Y


def adaptive_avg_pool2d(X: Tensor, output_size: Any) -> Tensor:
    """``nn.AdaptiveAvgPool2d(output_size)``: the mean of each bin of
    :func:`convlab.pooling.adaptive_pool_bins` (rows times columns).

    Global average pooling is ``output_size=1``:

    >>> adaptive_avg_pool2d(torch.arange(16.0).reshape(1, 4, 4), 1).tolist()
    [[[7.5]]]
    """
    win = adaptive_windows(tuple(X.shape[-2:]), output_size)
    return _average(X, win, False, None)


def adaptive_max_pool2d(X: Tensor, output_size: Any,
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """``nn.AdaptiveMaxPool2d(output_size)``: the largest value of each bin.

    >>> adaptive_max_pool2d(torch.arange(49.0).reshape(1, 7, 7), 3).tolist()
    [[[16.0, 18.0, 20.0], [30.0, 32.0, 34.0], [44.0, 46.0, 48.0]]]
    """
    win = adaptive_windows(tuple(X.shape[-2:]), output_size)
    return _max(X, win, return_indices)


def max_pool2d_backward(grad_output: Tensor, indices: Tensor, input_size: Any) -> Tensor:
    """Max pooling's backward: each output's gradient lands on its winning input cell
    (cells that win several windows add them up; cells that win none get 0).

    Args:
        grad_output: ``(..., H_out, W_out)``.
        indices: the flat winning cells, as :func:`max_pool2d` returns them.
        input_size: ``(H, W)``.

    Returns:
        ``(..., H, W)``, equal to autograd's gradient of the input.

    >>> X = torch.arange(16.0).reshape(1, 4, 4)
    >>> _, i = max_pool2d(X, 3, stride=1, return_indices=True)  # every window wins 10, 11, 14, 15
    >>> max_pool2d_backward(torch.ones(1, 2, 2), i, (4, 4))[0, 2:].tolist()
    [[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]]
    """
    H, W = (int(v) for v in input_size)
    lead = grad_output.shape[:-2]
    grad = grad_output.new_zeros(*lead, H * W)
    flat, g = indices.flatten(-2), grad_output.flatten(-2)
    inside = (flat >= 0) & (flat < H * W)  # a window of padding alone sends it nowhere
    # (..., H_out * W_out) added at the winning cells of (..., H * W)
    grad.scatter_add_(-1, flat.clamp(0, H * W - 1), g * inside)
    return grad.reshape(*lead, H, W)
