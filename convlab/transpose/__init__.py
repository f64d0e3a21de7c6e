"""Transposed convolution, read both ways.

``nn.ConvTranspose2d`` runs a convolution backwards: it maps the convolution's output
shape back to its input shape, and it is the gradient of that convolution with respect to
its input. ``sizes``: its output size, and the inverse questions (every input a Conv2d
maps to one output; the ``output_padding`` that returns to a given one), ``spec``: the
layer as a value; ``forms``: three equal computations (zero insertion then an ordinary
correlation with the flipped kernel; each input cell stamping the kernel; the transpose of
the unrolled matrix) and the autograd identity; ``scatter``: where each stamp lands (the
convolution's window map read the other way), the overlap count and its checkerboard, and
resize-then-convolve; ``picture``: the direct form's zero-inserted input; ``checks``: all
of it against PyTorch; ``predict``: the slips of the size formula; ``script``: code a learner runs;
``layer``: one layer on one input, every number the lesson shows, asked once.
"""

from .checks import transpose_checks
from .forms import (
    TRANSPOSE_FORMS,
    conv_transpose2d_autograd,
    conv_transpose2d_scatter,
    conv_transpose2d_unrolled,
    conv_transpose2d_zero_insertion,
    flipped_conv_weight,
    zero_insert,
)
from .layer import TransposeLayer, transpose_layer
from .picture import DirectPicture, direct_picture
from .predict import transpose_size_slips
from .scatter import ResizeConv, ScatterMap, overlap_count, resize_conv, scatter_map
from .script import conv_transpose2d_code, conv_transpose2d_script
from .sizes import (
    RoundTrip,
    TransposeAxis,
    conv2d_input_sizes,
    conv_transpose2d_output_size,
    explain_transpose_size,
    output_padding_for,
    round_trip,
)
from .spec import ConvTranspose2dSpec

__all__ = [
    "conv2d_input_sizes", "conv_transpose2d_autograd", "conv_transpose2d_code",
    "conv_transpose2d_output_size", "conv_transpose2d_scatter", "conv_transpose2d_script",
    "conv_transpose2d_unrolled", "conv_transpose2d_zero_insertion", "ConvTranspose2dSpec",
    "direct_picture", "DirectPicture", "explain_transpose_size", "flipped_conv_weight",
    "output_padding_for", "overlap_count", "resize_conv", "ResizeConv", "round_trip", "RoundTrip",
    "scatter_map", "ScatterMap", "transpose_checks", "TRANSPOSE_FORMS", "transpose_size_slips",
    "TransposeAxis", "TransposeLayer", "transpose_layer", "zero_insert",
]
