"""One convolution layer on one input, asked once: the output-size lesson's whole result.

``conv_layer`` validates an ``nn.Conv1d``/``nn.Conv2d``/``nn.Conv3d`` and its input exactly
as PyTorch does (one path for every ``dims``: :func:`convlab.explain_conv_nd`), and returns
every number the lesson shows (each axis's arithmetic, the output and weight shapes, the
parameter and multiply-accumulate counts, the slips a prediction can make) and the 2-D
plane its picture draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConvConfigError
from .oracle import require_runnable
from .predict import output_size_slips
from .shapes import AxisArithmetic
from .shapes_nd import explain_conv_nd, macs_nd, num_parameters_nd, weight_shape_nd
from .spec import Conv2dSpec


@dataclass(frozen=True)
class Plane:
    """The 2-D windows a picture draws for a layer: ``spec`` (one channel in and out) on an
    input of ``size``, giving ``out`` output cells. A 1-D layer is one row; a 3-D layer
    shows its H x W plane."""

    spec: Conv2dSpec
    size: tuple[int, int]
    out: tuple[int, int]


@dataclass(frozen=True)
class ConvLayer:
    """Everything the output-size lesson shows about one layer on one input."""

    dims: int
    input_shape: tuple[int, ...]
    axes: tuple[AxisArithmetic, ...]
    output_shape: tuple[int, ...]
    weight_shape: tuple[int, ...]
    parameters: int
    macs: int
    padding_mode: str

    @property
    def outputs(self) -> tuple[int, ...]:
        """The spatial output sizes, one per axis."""
        return tuple(a.output for a in self.axes)

    @property
    def kernel(self) -> tuple[int, ...]:
        return tuple(a.kernel for a in self.axes)

    @property
    def crops(self) -> bool:
        """Whether a negative padding crops the input (``padding_mode`` other than zeros,
        which pads with ``F.pad``): windows a 2-D picture of padding cannot draw."""
        return any(min(a.pad_before, a.pad_after) < 0 for a in self.axes)

    @property
    def uneven_padding(self) -> bool:
        """Whether an axis pads more after than before ('same' with an even span)."""
        return any(a.pad_before != a.pad_after for a in self.axes)

    def slips(self) -> dict[str, tuple[int, ...]]:
        """The wrong answers a prediction of the output sizes can make, by slip."""
        return output_size_slips(self.axes)

    def plane(self, max_strip: int) -> Plane | None:
        """The windows to draw: a 1-D sequence as one row (``None`` when its padded length
        is over ``max_strip``), a 2-D layer as it is, a 3-D layer's H x W plane; ``None``
        where no 2-D layer draws them (cropping padding, which only ``F.pad`` allows).

        >>> conv_layer(1, {"kernel_size": 3, "padding": 1}, (1, 1, 5)).plane(64).out
        (1, 5)
        """
        rows = self.axes[-2] if self.dims > 1 else AxisArithmetic(1, 1, 1, 1, 0, 0)
        cols = self.axes[-1]
        if self.dims == 1 and cols.padded > max_strip:
            return None
        pads = [(a.pad_before, a.pad_after) for a in (rows, cols)]
        padding: Any = "same" if any(b != c for b, c in pads) else tuple(b for b, _ in pads)
        try:
            spec = Conv2dSpec(1, 1, (rows.kernel, cols.kernel), (rows.stride, cols.stride),
                              padding, (rows.dilation, cols.dilation),
                              padding_mode=self.padding_mode)
            h, w = spec.explain((1, 1, rows.size, cols.size))
        except ConvConfigError:
            return None
        return Plane(spec, (rows.size, cols.size), (h.output, w.output))


def conv_layer(dims: int, kwargs: Mapping[str, Any], input_shape: tuple[int, ...]) -> ConvLayer:
    """``nn.Conv{dims}d(**kwargs)`` on an input of ``input_shape`` (``(N, C_in, *sizes)``).

    Raises:
        ConvConfigError: exactly where PyTorch refuses the layer or the input (construction
            or the first call), or where the input or output is larger than the lab runs.

    d2l 7.3's 8 x 8 input, 3 x 3 kernel, padding 1, stride 2:

    >>> r = conv_layer(2, {"in_channels": 1, "out_channels": 1, "kernel_size": 3,
    ...                    "padding": 1, "stride": 2}, (1, 1, 8, 8))
    >>> r.output_shape, r.parameters
    ((1, 1, 4, 4), 10)
    """
    shape = tuple(int(v) for v in input_shape)
    in_channels = int(kwargs.get("in_channels", shape[1]))
    out_channels = int(kwargs.get("out_channels", 1))
    groups = int(kwargs.get("groups", 1))
    mode = str(kwargs.get("padding_mode", "zeros"))
    axes = explain_conv_nd(dims, shape[2:], kwargs["kernel_size"], kwargs.get("stride", 1),
                           kwargs.get("padding", 0), kwargs.get("dilation", 1),
                           in_channels=in_channels, out_channels=out_channels, groups=groups,
                           padding_mode=mode)
    output_shape = (shape[0], out_channels, *(a.output for a in axes))
    require_runnable(shape, output_shape)
    kernel = tuple(a.kernel for a in axes)
    return ConvLayer(dims, shape, axes, output_shape,
                     weight_shape_nd(in_channels, out_channels, groups, kernel),
                     num_parameters_nd(in_channels, out_channels, groups, kernel,
                                       bool(kwargs.get("bias", True))),
                     macs_nd(in_channels, groups, kernel, output_shape), mode)
