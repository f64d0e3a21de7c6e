"""The 1x1 convolution is a matrix multiply over channels (d2l 7.4.3).

``layer``: the 1x1 layer as ``(C_out, C_in) @ (C_in, H*W)`` and one pixel as ``nn.Linear``;
``checks``: those forms against ``F.conv2d``; ``costs``: parameters and multiply-accumulates
of 1x1 against 3x3, bottleneck and depthwise-separable blocks; ``timing``: the forms timed.
"""

from .checks import PointwiseResult, pointwise_checks
from .costs import LayerCost, bottleneck_costs, depthwise_separable_costs, pointwise_costs
from .layer import (
    PixelLinear,
    corr2d_multi_in_out_1x1,
    linear_channels_last,
    pixel_as_linear,
    pointwise_bias,
    pointwise_code,
    pointwise_example,
)
from .timing import FORM_IDS, PointwiseTiming, time_pointwise_forms

__all__ = [
    "PointwiseResult", "pointwise_checks", "LayerCost", "bottleneck_costs",
    "depthwise_separable_costs", "pointwise_costs", "PixelLinear", "corr2d_multi_in_out_1x1",
    "linear_channels_last", "pixel_as_linear", "pointwise_bias", "pointwise_code",
    "pointwise_example", "FORM_IDS", "PointwiseTiming", "time_pointwise_forms",
]
