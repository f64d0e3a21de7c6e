"""The tap map: every multiplication a convolution makes, read by output or by input.

One tap is one product ``Y[i, j] += Xpad[r, c] * K[a, b]``. Listing every tap once gives
one set of arrays that answers both questions a picture asks:

* "output cell ``(i, j)`` reads these padded-input cells with these kernel weights": the
  taps sorted by output, a slice of ``kh * kw`` taps per output cell;
* "padded-input cell ``(r, c)`` is read by (stamps into) these output cells": the same
  taps sorted by padded cell, ``cell_ptr`` giving each cell's slice (like CSR offsets).

The second reading is also the transposed convolution's: input cell ``(i, j)`` of
``conv_transpose2d`` stamps ``X[i, j] * K[a, b]`` into exactly the cells that output
``(i, j)`` of the matching ``conv2d`` reads.

Nothing here is new arithmetic: the taps are :func:`convlab.shapes.axis_windows`'s index
map (through :meth:`convlab.spec.Conv2dSpec.window_picture`) flattened, and which real
input cell each padded cell copies comes from padding a numbered input with ``F.pad``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import Conv2dSpec


@dataclass(frozen=True)
class AxisTaps:
    """One axis of a tap map: a 2-D window is a row window times a column window.

    ``index[i, a]`` is the padded row (or column) that tap ``a`` of output row ``i``
    reads; ``by_cell[cell_ptr[r]:cell_ptr[r + 1]]`` are the flat ``i * k + a`` reading
    padded row ``r``, in output order. Output ``(i, j)``'s tap ``(a, b)`` reads padded cell
    ``(rows.index[i, a], cols.index[j, b])``: the 2-D arrays of :class:`TapMap` are this
    product, and a picture can send the two small axes instead of the large product.
    """

    index: np.ndarray
    by_cell: np.ndarray
    cell_ptr: np.ndarray


def _axis(index: np.ndarray, padded: int) -> AxisTaps:
    flat = index.ravel()
    ptr = np.zeros(padded + 1, dtype=np.int64)
    np.cumsum(np.bincount(flat, minlength=padded), out=ptr[1:])
    return AxisTaps(index.astype(np.int64), np.argsort(flat, kind="stable").astype(np.int64), ptr)


@dataclass(frozen=True)
class TapMap:
    """Every tap of a layer over one ``H x W`` input, in flat (row-major) cell numbers.

    Attributes:
        out_shape: ``(H_out, W_out)``.
        padded_shape: ``(Hp, Wp)``, the input as the layer pads it.
        kernel_size: ``(kh, kw)``.
        box: ``(top, left, H, W)``: where the real input sits inside the padded one.
        out: ``(T,)`` output cell ``i * W_out + j`` of each tap, sorted; ``T = H_out *
            W_out * kh * kw`` and output ``o``'s taps are ``o * kh * kw`` up to
            ``(o + 1) * kh * kw``, in kernel order.
        cell: ``(T,)`` padded-input cell ``r * Wp + c`` each tap reads.
        tap: ``(T,)`` kernel tap ``a * kw + b`` each tap multiplies by.
        by_cell: ``(T,)`` tap numbers sorted by padded cell (then by output).
        cell_ptr: ``(Hp * Wp + 1,)`` offsets: the taps reading padded cell ``p`` are
            ``by_cell[cell_ptr[p]:cell_ptr[p + 1]]``.
        source: ``(Hp * Wp,)`` the real input cell ``r * W + c`` each padded cell holds
            (itself inside the box; the copied cell for reflect, replicate, circular
            padding), ``-1`` for a zero.
        axes: the height and width :class:`AxisTaps` whose product these arrays are.
    """

    out_shape: tuple[int, int]
    padded_shape: tuple[int, int]
    kernel_size: tuple[int, int]
    box: tuple[int, int, int, int]
    out: np.ndarray
    cell: np.ndarray
    tap: np.ndarray
    by_cell: np.ndarray
    cell_ptr: np.ndarray
    source: np.ndarray
    axes: tuple[AxisTaps, AxisTaps]

    @property
    def taps_per_output(self) -> int:
        return self.kernel_size[0] * self.kernel_size[1]

    def reads(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Output cell ``(i, j)``'s window: padded cells ``(n, 2)`` and kernel taps ``(n, 2)``.

        >>> taps = tap_map(Conv2dSpec(1, 1, 2), (3, 3))
        >>> cells, kernel = taps.reads(1, 0)
        >>> cells.tolist(), kernel.tolist()
        ([[1, 0], [1, 1], [2, 0], [2, 1]], [[0, 0], [0, 1], [1, 0], [1, 1]])
        """
        n = self.taps_per_output
        o = i * self.out_shape[1] + j
        return self._cells(self.cell[o * n:(o + 1) * n]), self._taps(self.tap[o * n:(o + 1) * n])

    def readers(self, r: int, c: int) -> tuple[np.ndarray, np.ndarray]:
        """Every output cell whose window reads padded cell ``(r, c)``, ``(n, 2)``, with the
        kernel tap it reads it through, ``(n, 2)``.

        >>> taps = tap_map(Conv2dSpec(1, 1, 2), (3, 3))
        >>> outputs, kernel = taps.readers(1, 1)
        >>> outputs.tolist(), kernel.tolist()
        ([[0, 0], [0, 1], [1, 0], [1, 1]], [[1, 1], [1, 0], [0, 1], [0, 0]])
        """
        p = r * self.padded_shape[1] + c
        t = self.by_cell[self.cell_ptr[p]:self.cell_ptr[p + 1]]
        outs = np.stack(np.divmod(self.out[t], self.out_shape[1]), axis=-1)
        return outs, self._taps(self.tap[t])

    def _cells(self, flat: np.ndarray) -> np.ndarray:
        return np.stack(np.divmod(flat, self.padded_shape[1]), axis=-1)

    def _taps(self, flat: np.ndarray) -> np.ndarray:
        return np.stack(np.divmod(flat, self.kernel_size[1]), axis=-1)


def tap_map(spec: Conv2dSpec, size: Any) -> TapMap:
    """The tap map of ``spec`` over an ``H x W`` input (channels do not change it).

    Args:
        spec: the layer (its kernel, stride, padding, dilation and padding mode).
        size: ``(H, W)``.

    Returns:
        A :class:`TapMap`.

    Raises:
        ConvConfigError: where the layer refuses an input of this size.

    The study notes' 4 x 4 input with a 3 x 3 kernel: 2 x 2 outputs of 9 taps each;
    the centre cells are read by all four windows, the corners by one:

    >>> taps = tap_map(Conv2dSpec(1, 1, 3), (4, 4))
    >>> taps.out_shape, taps.out.size, np.diff(taps.cell_ptr).reshape(4, 4).tolist()[:2]
    ((2, 2), 36, [[1, 2, 2, 1], [2, 4, 4, 2]])

    Reflect padding: the padded corner copies input cell (1, 1), number 5 of a 4 x 4 input:

    >>> int(tap_map(Conv2dSpec(1, 1, 3, padding=1, padding_mode="reflect"), (4, 4)).source[0])
    5
    """
    pic = spec.window_picture(tuple(size))
    # padded_example numbers the input 1..H*W, so each padded value names its source cell.
    source = np.rint(pic.values).astype(np.int64).ravel() - 1
    return tap_map_from_axes(pic.index[:, 0, :, 0, 0], pic.index[0, :, 0, :, 1],
                             pic.values.shape, pic.box, source)


def tap_map_from_axes(rows: np.ndarray, cols: np.ndarray, padded_shape: tuple[int, int],
                      box: tuple[int, int, int, int], source: np.ndarray) -> TapMap:
    """The tap map whose windows are a row window times a column window.

    Args:
        rows: ``(H_out, kh)`` the padded row tap ``a`` of output row ``i`` reads.
        cols: ``(W_out, kw)`` the same for the columns.
        padded_shape: ``(Hp, Wp)``, every index inside it.
        box: ``(top, left, H, W)`` of the real input inside the padded grid.
        source: ``(Hp * Wp,)`` the input cell each padded cell holds, ``-1`` for none.

    >>> taps = tap_map_from_axes(np.array([[0, 1], [1, 2]]), np.array([[0, 1], [1, 2]]),
    ...                          (3, 3), (0, 0, 3, 3), np.arange(9))
    >>> taps.reads(1, 0)[0].tolist()
    [[1, 0], [1, 1], [2, 0], [2, 1]]
    """
    h_out, kh = rows.shape
    w_out, kw = cols.shape
    hp, wp = (int(v) for v in padded_shape)
    # (H_out, kh) x (W_out, kw) -> (H_out, W_out, kh, kw) -> (T,), output-major, tap-minor
    cell = (rows[:, None, :, None] * wp + cols[None, :, None, :]).reshape(-1)
    out = np.repeat(np.arange(h_out * w_out), kh * kw)
    tap = np.tile(np.arange(kh * kw), h_out * w_out)
    by_cell = np.argsort(cell, kind="stable")  # stable: each cell's readers in output order
    cell_ptr = np.zeros(hp * wp + 1, dtype=np.int64)
    np.cumsum(np.bincount(cell, minlength=hp * wp), out=cell_ptr[1:])
    axes = (_axis(np.asarray(rows), hp), _axis(np.asarray(cols), wp))
    return TapMap((h_out, w_out), (hp, wp), (kh, kw), tuple(box),  # type: ignore[arg-type]
                  out.astype(np.int64), cell.astype(np.int64), tap.astype(np.int64),
                  by_cell.astype(np.int64), cell_ptr, np.asarray(source, dtype=np.int64),
                  axes)
