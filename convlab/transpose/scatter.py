"""Where each input cell's stamp lands: the convolution's window map, read the other way.

A transposed convolution is the convolution that maps its output back to its input, run
backwards. So the map that says which padded input cell tap ``(a, b)`` of convolution
output ``(i, j)`` reads (:func:`convlab.shapes.axis_windows`) also says where input cell
``(i, j)`` of the transposed layer stamps weight ``(a, b)``: one array, two readings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..params import require_positive, to_pair
from ..shapes import AxisArithmetic, axis_windows, explain_output_size
from .sizes import TransposeAxis, explain_transpose_size


@dataclass(frozen=True)
class ScatterMap:
    """The stamps of a transposed convolution.

    ``index[i, j, a, b]`` is the ``(row, col)`` on the padded canvas where input cell
    ``(i, j)`` puts ``X[i, j] * K[a, b]``; the real output is the canvas's ``box``
    ``(top, left, H_out, W_out)`` (the rest is the ``padding`` that ConvTranspose2d crops).
    ``overlap[r, c]`` counts the stamps that land on output cell ``(r, c)``. ``conv`` is
    the arithmetic of the convolution read the other way (from the output, ``padding``
    ``p``): its window map is ``index``.
    """

    index: np.ndarray
    box: tuple[int, int, int, int]
    overlap: np.ndarray
    h: TransposeAxis
    w: TransposeAxis
    conv: tuple[AxisArithmetic, AxisArithmetic]

    @property
    def period_counts(self) -> np.ndarray:
        """The stamps an output cell far from the border gets, by its position modulo the
        stride, ``(sh, sw)``: tap ``a`` of a stamp lands ``a * d`` after its input cell,
        so position ``r`` (mod ``s``) gets the taps with ``a * d = r`` (mod ``s``).

        >>> scatter_map(5, 3, stride=2).period_counts.tolist()
        [[4, 2], [2, 1]]
        """
        rows, cols = (np.bincount((np.arange(a.kernel) * a.dilation) % a.stride,
                                  minlength=a.stride) for a in (self.h, self.w))
        return np.outer(rows, cols)  # (sh,) x (sw,) -> (sh, sw)

    @property
    def pattern(self) -> str:
        """What the overlap counts show, as an identifier:

        * ``"even"``: every output cell gets the same number of stamps;
        * ``"uneven_overlap"``: away from the border the counts repeat unevenly with the
          stride (the checkerboard of Odena, Dumoulin & Olah, 2016: the kernel size is not
          a multiple of the stride);
        * ``"holes"``: some positions modulo the stride get no stamp at all (the dilation
          and the stride share a factor): a grid of holes;
        * ``"edge_only"``: even away from the border; only cells near it get fewer (the
          input is small, or rows added by ``output_padding`` get none).

        >>> [scatter_map(5, k, stride=2, dilation=d).pattern for k, d in ((3, 1), (2, 2), (4, 1))]
        ['uneven_overlap', 'holes', 'edge_only']
        >>> scatter_map(4, 2, stride=2).pattern
        'even'
        """
        if self.overlap.size == 0 or self.overlap.min() == self.overlap.max():
            return "even"
        period = self.period_counts
        if period.min() == 0:
            return "holes"
        return "uneven_overlap" if period.min() != period.max() else "edge_only"

    @property
    def uneven(self) -> bool:
        """Whether the counts vary away from the border: a checkerboard or holes. With
        dilation 1, exactly when ``k % s != 0`` on an axis.

        >>> scatter_map(5, 3, stride=2).uneven, scatter_map(5, 4, stride=2).uneven
        (True, False)
        """
        return self.pattern in ("uneven_overlap", "holes")


def scatter_map(input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                output_padding: Any = 0, dilation: Any = 1) -> ScatterMap:
    """Which output cells each input cell stamps into, with which kernel weight.

    Returns:
        A :class:`ScatterMap`; ``index`` int64 ``(H, W, kh, kw, 2)``.

    Raises:
        ConvConfigError: where ``nn.ConvTranspose2d`` refuses the configuration.

    The guide's strided example (2 x 2 input, k=3, s=2): the stamps of the two cells of the
    top row overlap on the middle column.

    >>> m = scatter_map(2, 3, stride=2)
    >>> m.index[0, 1, 0].tolist(), m.overlap[0].tolist()
    ([[0, 2], [0, 3], [0, 4]], [1, 1, 2, 1, 1])
    """
    h, w = explain_transpose_size(input_size, kernel_size, stride, padding, output_padding,
                                  dilation)
    conv = explain_output_size((h.output, w.output), (h.kernel, w.kernel), (h.stride, w.stride),
                               (h.padding, w.padding), (h.dilation, w.dilation))
    # With output_padding >= stride the convolution has outputs no input cell matches.
    index = axis_windows(*conv)[0][:h.size, :w.size]  # (H, W, kh, kw, 2)
    overlap = np.zeros((h.output + 2 * h.padding, w.output + 2 * w.padding), dtype=np.int64)
    np.add.at(overlap, (index[..., 0].ravel(), index[..., 1].ravel()), 1)
    box = (h.padding, w.padding, h.output, w.output)
    return ScatterMap(index, box, overlap[h.padding:h.padding + h.output,
                                          w.padding:w.padding + w.output], h, w, conv)


def overlap_count(input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                  output_padding: Any = 0, dilation: Any = 1) -> np.ndarray:
    """How many stamps land on each output cell, ``(H_out, W_out)``: uneven (the
    checkerboard of Odena, Dumoulin & Olah, 2016) when the kernel size is not a multiple of
    the stride.

    >>> overlap_count(3, 3, stride=2, padding=1).tolist()[1]
    [2, 4, 2, 4, 2]
    """
    return scatter_map(input_size, kernel_size, stride, padding, output_padding,
                       dilation).overlap


@dataclass(frozen=True)
class ResizeConv:
    """Nearest-neighbour upsampling by ``scale``, then a stride-1 convolution with
    ``padding='same'``: the alternative that has no checkerboard.

    ``index`` is the convolution's window map over the upsampled, padded image
    ``(H_out, W_out, kh, kw, 2)``; ``box`` the upsampled image inside the padding;
    ``count[r, c]`` how many taps of output ``(r, c)`` read upsampled (not padding) cells:
    the same everywhere away from the border.
    """

    scale: tuple[int, int]
    index: np.ndarray
    box: tuple[int, int, int, int]
    count: np.ndarray


def resize_conv(input_size: Any, kernel_size: Any, scale: Any = 2,
                dilation: Any = 1) -> ResizeConv:
    """Resize, then convolve (``nn.Upsample(scale_factor=scale)`` then ``nn.Conv2d(...,
    padding='same')``): output ``H * scale``, every interior cell reading ``kh * kw`` taps.

    >>> r = resize_conv(3, 3, scale=2)
    >>> r.count.shape, r.count[1].tolist()
    ((6, 6), [6, 9, 9, 9, 9, 6])
    """
    h_in, w_in = explain_output_size(input_size, 1)  # validates the input size
    sh, sw = to_pair("scale", scale)
    require_positive("scale", (sh, sw))
    up = (h_in.size * sh, w_in.size * sw)
    h, w = explain_output_size(up, kernel_size, 1, "same", dilation)
    index, _ = axis_windows(h, w)
    real = ((index[..., 0] >= h.pad_before) & (index[..., 0] < h.pad_before + up[0])
            & (index[..., 1] >= w.pad_before) & (index[..., 1] < w.pad_before + up[1]))
    return ResizeConv((sh, sw), index, (h.pad_before, w.pad_before, *up),
                      real.sum(axis=(2, 3)))
