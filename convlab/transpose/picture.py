"""The direct form as a picture: the zero-inserted, padded input the flipped kernel slides
over with stride 1, with its window map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..shapes import AxisArithmetic, axis_windows
from .sizes import explain_transpose_size

INSERTED, PADDING = -1, -2  # source codes of cells that are not input cells


@dataclass(frozen=True)
class DirectPicture:
    """``values`` ``(Hz, Wz)``: a numbered input (1, 2, ..., H*W) with ``stride - 1`` zeros
    inserted and ``d (k - 1) - p`` zeros around (``output_padding`` more at the bottom and
    right; a negative count crops). ``source[r, c]`` is the flat input index a cell holds,
    ``INSERTED`` or ``PADDING``. ``index`` ``(H_out, W_out, kh, kw, 2)`` and ``coverage``
    as in :func:`convlab.shapes.axis_windows` for the stride-1, dilation-``d`` correlation
    with the flipped kernel; ``h`` and ``w`` that correlation's arithmetic (padding per
    side may be negative).
    """

    values: np.ndarray
    source: np.ndarray
    index: np.ndarray
    coverage: np.ndarray
    h: AxisArithmetic
    w: AxisArithmetic

    @property
    def role(self) -> np.ndarray:
        """Each cell's role, ``(Hz, Wz)``: 0 an input cell, 1 an inserted zero, 2 padding.

        >>> direct_picture(2, 2, stride=2).role[1].tolist()
        [2, 0, 1, 0, 2]
        """
        return np.where(self.source >= 0, 0, np.where(self.source == INSERTED, 1, 2))


def direct_picture(input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                   output_padding: Any = 0, dilation: Any = 1) -> DirectPicture:
    """Everything a picture of the direct form needs.

    Raises:
        ConvConfigError: where ``nn.ConvTranspose2d`` refuses the configuration.

    The guide's strided example: 2 x 2 input, k=3, s=2 -> one zero between cells and two
    around, a 7 x 7 grid the 3 x 3 kernel slides over to give 5 x 5.

    >>> pic = direct_picture(2, 3, stride=2)
    >>> pic.values.shape, pic.values[2].tolist(), pic.index.shape[:2]
    ((7, 7), [0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 0.0], (5, 5))
    """
    th, tw = explain_transpose_size(input_size, kernel_size, stride, padding, output_padding,
                                    dilation)
    h = AxisArithmetic(th.stretched, th.kernel, 1, th.dilation, th.edge,
                       th.edge + th.output_padding)
    w = AxisArithmetic(tw.stretched, tw.kernel, 1, tw.dilation, tw.edge,
                       tw.edge + tw.output_padding)
    X = torch.arange(th.size * tw.size, dtype=torch.float64).view(1, 1, th.size, tw.size)
    Z = torch.full((1, 1, th.stretched, tw.stretched), float(INSERTED), dtype=torch.float64)
    Z[..., ::th.stride, ::tw.stride] = X
    pads = (w.pad_before, w.pad_after, h.pad_before, h.pad_after)
    source = F.pad(Z, pads, value=float(PADDING))[0, 0].numpy().astype(np.int64)
    values = np.where(source >= 0, source + 1, 0).astype(float)
    index, coverage = axis_windows(h, w)
    return DirectPicture(values, source, index, coverage, h, w)
