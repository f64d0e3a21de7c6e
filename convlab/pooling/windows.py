"""The windows a pooling layer reads, as convlab's one tap map (:mod:`convlab.windows`).

A pooling window is a row window times a column window, as a convolution's is, so its
taps are :func:`convlab.windows.tap_map_from_axes`'s; two things differ:

* ``ceil_mode`` may add a last window that reaches past the padded input: the grid is
  extended by those cells (role ``beyond``: read by no one, counted by no divisor);
* adaptive pooling's bins differ in length: each bin is filled up to the longest one by
  repeating its last cell, and ``genuine`` marks the taps that are really there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..params import to_pair
from ..windows import TapMap, tap_map_from_axes
from .sizes import PoolAxis, adaptive_pool_bins, explain_pool2d

ROLES = ("input", "padding", "beyond")


@dataclass(frozen=True)
class PoolWindows:
    """Every window of one pooling layer over an ``H x W`` input.

    Attributes:
        taps: the tap map (kernel taps ``kh x kw``; for adaptive pooling, the longest bin).
        role: ``(Hp * Wp,)`` each grid cell's index into :data:`ROLES`.
        genuine: ``(T,)`` whether each tap is really in its window (``False``: a filler
            of a shorter adaptive bin).
        axes: the two :class:`PoolAxis` (``None`` for adaptive pooling).
        bins: the two axes' adaptive bins (``None`` for ordinary pooling).
    """

    taps: TapMap
    role: np.ndarray
    genuine: np.ndarray
    axes: tuple[PoolAxis, PoolAxis] | None = None
    bins: tuple[list[tuple[int, int]], list[tuple[int, int]]] | None = None

    @property
    def reads_input(self) -> np.ndarray:
        """``(T,)`` genuine taps that read a real input cell."""
        return self.genuine & (self.role[self.taps.cell] == 0)

    def counted(self, count_include_pad: bool) -> np.ndarray:
        """``(T,)`` the taps average pooling's divisor counts: input cells, and padding
        with ``count_include_pad``; never the cells past the padded input."""
        limit = 1 if count_include_pad else 0
        return self.genuine & (self.role[self.taps.cell] <= limit)


def _roles(padded: tuple[int, int], grid: tuple[int, int],
           box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    top, left, h, w = box
    r, c = np.divmod(np.arange(grid[0] * grid[1]), grid[1])
    inside = (r >= top) & (r < top + h) & (c >= left) & (c < left + w)
    role = np.where(inside, 0, np.where((r < padded[0]) & (c < padded[1]), 1, 2))
    source = np.where(inside, (r - top) * w + (c - left), -1)
    return role.astype(np.int64), source.astype(np.int64)


def pool_windows(size: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 dilation: Any = 1, ceil_mode: bool = False) -> PoolWindows:
    """The windows of ``nn.MaxPool2d`` / ``nn.AvgPool2d`` over an ``H x W`` input.

    Raises:
        ConvConfigError: where PyTorch refuses the layer (:func:`explain_pool2d`).

    ``ceil_mode`` adds a window over the last row and column of a 4 x 4 input, reaching
    one cell past it:

    >>> win = pool_windows(4, 3, stride=2, ceil_mode=True)
    >>> win.taps.out_shape, win.taps.padded_shape, win.taps.reads(1, 1)[0].tolist()[-1]
    ((2, 2), (5, 5), [4, 4])
    """
    h, w = explain_pool2d(size, kernel_size, stride, padding, dilation, ceil_mode)
    index = [np.arange(a.output)[:, None] * a.stride + np.arange(a.kernel)[None, :] * a.dilation
             for a in (h, w)]  # (out, k) padded cell of each tap, per axis
    grid = (h.padded + h.overflow, w.padded + w.overflow)
    box = (h.padding, w.padding, h.size, w.size)
    role, source = _roles((h.padded, w.padded), grid, box)
    taps = tap_map_from_axes(index[0], index[1], grid, box, source)
    return PoolWindows(taps, role, np.ones(taps.cell.size, dtype=bool), (h, w))


def adaptive_windows(size: Any, output_size: Any) -> PoolWindows:
    """The bins of ``nn.AdaptiveAvgPool2d`` / ``nn.AdaptiveMaxPool2d`` over ``H x W``.

    >>> win = adaptive_windows(7, 3)
    >>> win.bins[0], win.taps.kernel_size
    ([(0, 3), (2, 5), (4, 7)], (3, 3))
    >>> adaptive_windows(5, 3).genuine.reshape(3, 3, 3, 3)[0, 0].tolist()  # bin (0, 2)
    [[True, True, False], [True, True, False], [False, False, False]]
    """
    H, W = to_pair("input_size", size)
    oh, ow = to_pair("output_size", output_size)
    bins = (adaptive_pool_bins(H, oh), adaptive_pool_bins(W, ow))
    index, real = [], []
    for axis in bins:
        k = max((e - s for s, e in axis), default=1)
        starts = np.array([s for s, _ in axis], dtype=np.int64).reshape(-1, 1)
        ends = np.array([e for _, e in axis], dtype=np.int64).reshape(-1, 1)
        taps = starts + np.arange(k)[None, :]  # (out, k)
        real.append(taps < ends)
        index.append(np.minimum(taps, ends - 1))  # a shorter bin repeats its last cell
    role, source = _roles((H, W), (H, W), (0, 0, H, W))
    tap_map = tap_map_from_axes(index[0], index[1], (H, W), (0, 0, H, W), source)
    # (out_h, kh) x (out_w, kw) -> (out_h, out_w, kh, kw) -> (T,), the taps' order
    genuine = (real[0][:, None, :, None] & real[1][None, :, None, :]).reshape(-1)
    return PoolWindows(tap_map, role, genuine, None, bins)
