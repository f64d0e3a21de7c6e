"""One transposed convolution on one input, asked once: every number the lesson shows.

``transpose_layer`` builds the layer (refusing what ``nn.ConvTranspose2d`` refuses), explains
both axes once, and derives the rest from that: the output and weight shapes, the counts,
the slips of the size formula, and the explorer's pick space.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..oracle import require_runnable
from ..shapes import conv2d_output_size
from .predict import transpose_size_slips
from .sizes import TransposeAxis
from .spec import ConvTranspose2dSpec

Shape = tuple[int, ...]


@dataclass(frozen=True)
class TransposeLayer:
    """Everything the transposed-convolution lesson shows about one layer on one input."""

    spec: ConvTranspose2dSpec
    input_shape: Shape
    axes: tuple[TransposeAxis, TransposeAxis]
    output_shape: Shape
    macs: int
    scatter_shape: tuple[int, int]  # the explorer's pick space (see :func:`transpose_layer`)

    @property
    def weight_shape(self) -> Shape:
        return self.spec.weight_shape

    @property
    def parameters(self) -> int:
        return self.spec.num_parameters

    def slips(self) -> dict[str, tuple[int, ...]]:
        """The wrong answers a prediction of the output size can make, by slip."""
        return transpose_size_slips(self.axes)


def transpose_layer(kwargs: Mapping[str, Any], input_shape: Shape) -> TransposeLayer:
    """``nn.ConvTranspose2d(**kwargs)`` on an input of ``input_shape``.

    The pick space is the input with the rows and columns a convolution from the output
    adds when ``output_padding`` reaches the stride (possible when dilation > stride).

    Raises:
        ConvConfigError: exactly where PyTorch refuses the layer or the input, or where
            the input or output is larger than the lab runs.

    d2l 14.10's 2 x 2 input, kernel 2, stride 1:

    >>> r = transpose_layer({"in_channels": 1, "out_channels": 1, "kernel_size": 2},
    ...                     (1, 1, 2, 2))
    >>> r.output_shape, r.parameters, r.scatter_shape
    ((1, 1, 3, 3), 5, (2, 2))
    """
    spec = ConvTranspose2dSpec(**kwargs)
    shape = tuple(int(v) for v in input_shape)
    h, w = spec.explain(shape)
    output_shape = (*shape[:-3], spec.out_channels, h.output, w.output)
    require_runnable(shape, output_shape)
    scatter = conv2d_output_size((h.output, w.output), spec.kernel_size, spec.stride,
                                 spec.padding, spec.dilation)
    return TransposeLayer(spec, shape, (h, w), output_shape,
                          math.prod(shape) * math.prod(spec.weight_shape[1:]),
                          (scatter[0], scatter[1]))
