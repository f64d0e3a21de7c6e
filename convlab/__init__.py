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
from .equivalence import (
    FC_PRESETS,
    MODES,
    FCExample,
    check_input_shape,
    crops_check,
    equivalence_checks,
    fc_example,
    fc_on_crops,
    linear_to_conv2d,
    linear_to_conv2d_code,
)
from .errors import ConvConfigError
from .fc_lesson import FCForms, Unrolled, fc_forms, slid, unrolled
from .learn import (
    MAX_EPOCHS,
    MODULES,
    Conv2D,
    LearnHistory,
    learn_kernel,
    learning_problem,
    max_stable_lr,
)
from .learn_code import learn_kernel_code
from .multichannel import (
    LOOP_REFERENCE_LIMIT,
    MultiChannelResult,
    Term,
    multichannel_correlation,
    window_terms,
)
from .oracle import MAX_ORACLE_ELEMENTS, TorchVerdict, run_conv2d
from .params import PADDING_MODES, to_padding, to_pair
from .pictures import (
    IMAGE_IDS,
    KERNEL_IDS,
    apply_kernel,
    input_image,
    kernel_code,
    peak_on_transpose,
    synthetic_scene,
    target_kernel,
)
from .pointwise import (
    PixelLinear,
    corr2d_multi_in_out_1x1,
    linear_channels_last,
    pixel_as_linear,
    pointwise_bias,
    pointwise_code,
    pointwise_example,
)
from .pointwise_checks import PointwiseResult, pointwise_checks
from .pointwise_costs import LayerCost, bottleneck_costs, depthwise_separable_costs, pointwise_costs
from .pointwise_timing import FORM_IDS, PointwiseTiming, time_pointwise_forms
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
from .unroll import (
    LAYERS,
    MAX_UNROLL_ELEMENTS,
    ParameterCount,
    conv2d_to_linear,
    conv2d_to_linear_code,
    conv_example,
    parameter_counts,
    parameter_growth,
    unroll_check,
    unrolled_weight_index,
)

__all__ = [
    "applied_padding", "apply_kernel", "available_devices", "axis_windows", "AxisArithmetic",
    "bottleneck_costs", "cell_value_slips", "check_input_shape", "CheckResult", "compare",
    "compare_shapes", "Conv2D", "conv2d_code", "conv2d_forward_script", "conv2d_output_size",
    "conv2d_shape_script", "conv2d_to_linear", "conv2d_to_linear_code", "Conv2dSpec",
    "conv_example", "ConvConfigError", "convolve2d_multi_in_out", "corr2d", "corr2d_loop",
    "corr2d_multi_in", "corr2d_multi_in_loop", "corr2d_multi_in_out", "corr2d_multi_in_out_1x1",
    "corr2d_multi_in_out_loop", "corr2d_partials", "crops_check", "d2l_two_channel_example",
    "default_device", "depthwise_separable_costs", "DeviceInfo", "equivalence_checks",
    "explain_output_size", "fc_example", "fc_forms", "fc_on_crops", "FC_PRESETS", "FCExample",
    "FCForms", "FORM_IDS", "IMAGE_IDS", "input_image", "judge", "kernel_code", "KERNEL_IDS",
    "LayerCost", "LAYERS", "learn_kernel", "learn_kernel_code", "LearnHistory", "learning_problem",
    "linear_channels_last", "linear_to_conv2d", "linear_to_conv2d_code", "LOOP_REFERENCE_LIMIT",
    "MAX_EPOCHS", "MAX_ORACLE_ELEMENTS", "max_stable_lr", "MAX_UNROLL_ELEMENTS", "MODES",
    "MODULES", "multichannel_correlation", "MultiChannelResult", "output_size_slips",
    "PADDING_MODES", "parameter_counts", "parameter_growth", "ParameterCount", "peak_on_transpose",
    "pixel_as_linear", "PixelLinear", "pointwise_bias", "pointwise_checks", "pointwise_code",
    "pointwise_costs", "pointwise_example", "PointwiseResult", "PointwiseTiming", "require_groups",
    "require_same_unstrided", "resolve_device", "run_conv2d", "slid", "synthetic_scene",
    "target_kernel", "tensor_literal", "Term", "time_pointwise_forms", "to_padding", "to_pair",
    "torch_version", "TorchVerdict", "unroll_check", "Unrolled", "unrolled",
    "unrolled_weight_index", "window_coverage", "window_index_map", "window_terms",
    "WindowPicture",
]
