"""A fully connected layer and a convolution are the same layer, seen two ways.

``linear``: ``nn.Linear`` as an ``nn.Conv2d`` whose kernel covers the whole input (the study
notes' seeded examples), with its script in ``linear_code`` and its refusals in
``validation``; ``unroll``: a convolution as the ``nn.Linear`` of its unrolled
(Toeplitz-like) matrix, and parameter counts as the input grows; ``lesson``: the page's
results (both forms, the unrolled matrix, the converted layer slid over a larger input).
"""

from .lesson import FCForms, Unrolled, fc_forms, slid, unrolled
from .linear import (
    FC_PRESETS,
    FCExample,
    crops_check,
    equivalence_checks,
    fc_example,
    fc_on_crops,
    linear_to_conv2d,
)
from .linear_code import linear_to_conv2d_code
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
from .validation import MODES, check_input_shape

__all__ = [
    "FCForms", "Unrolled", "fc_forms", "slid", "unrolled", "FC_PRESETS", "MODES", "FCExample",
    "check_input_shape", "crops_check", "equivalence_checks", "fc_example", "fc_on_crops",
    "linear_to_conv2d", "linear_to_conv2d_code", "LAYERS", "MAX_UNROLL_ELEMENTS",
    "ParameterCount", "conv2d_to_linear", "conv2d_to_linear_code", "conv_example",
    "parameter_counts", "parameter_growth", "unroll_check", "unrolled_weight_index",
]
