"""ConvLab's computation package: 2-D convolution arithmetic, checked against PyTorch."""

from .check import CheckResult, compare, compare_shapes
from .correlate import (
    convolve2d_multi_in_out,
    corr2d,
    corr2d_loop,
    corr2d_multi_in,
    corr2d_multi_in_loop,
    corr2d_multi_in_out,
    corr2d_multi_in_out_loop,
    corr2d_partials,
    d2l_two_channel_example,
)
from .device import DeviceInfo, available_devices, default_device, resolve_device, torch_version
from .errors import ConvConfigError
from .multichannel import (
    LOOP_REFERENCE_LIMIT,
    MultiChannelResult,
    Term,
    multichannel_correlation,
    window_terms,
)
from .oracle import MAX_ORACLE_ELEMENTS, TorchVerdict, run_conv2d
from .params import PADDING_MODES, to_padding, to_pair
from .predict import cell_value_slips, judge, output_size_slips
from .reproduce import conv2d_code, conv2d_forward_script, conv2d_shape_script, tensor_literal
from .shapes import (
    AxisArithmetic,
    applied_padding,
    axis_windows,
    conv2d_output_size,
    explain_output_size,
    require_groups,
    require_same_unstrided,
    window_coverage,
    window_index_map,
)
from .spec import Conv2dSpec, WindowPicture

__all__ = [
    "LOOP_REFERENCE_LIMIT", "MultiChannelResult", "Term", "multichannel_correlation",
    "window_terms",
    "d2l_two_channel_example", "torch_version",
    "MAX_ORACLE_ELEMENTS", "TorchVerdict", "run_conv2d", "conv2d_code", "conv2d_forward_script",
    "conv2d_shape_script", "tensor_literal",
    "PADDING_MODES", "AxisArithmetic", "CheckResult", "Conv2dSpec", "ConvConfigError",
    "DeviceInfo", "applied_padding", "compare_shapes", "available_devices", "compare", "conv2d_output_size",
    "convolve2d_multi_in_out", "corr2d", "corr2d_loop", "corr2d_multi_in",
    "corr2d_multi_in_loop", "corr2d_multi_in_out", "corr2d_multi_in_out_loop",
    "corr2d_partials", "default_device", "explain_output_size", "resolve_device", "to_padding",
    "to_pair", "window_coverage", "window_index_map", "axis_windows", "require_groups",
    "require_same_unstrided", "WindowPicture", "cell_value_slips", "judge", "output_size_slips",
]
