"""A convolution is a fully-connected layer: ``nn.Conv2d`` unrolled into one ``nn.Linear``.

On a fixed ``(C, H, W)`` input a convolution is an affine map, so it is a matrix plus a
bias. The matrix is sparse (locality: each output reads one window) and its entries repeat
(weight sharing: every window uses the same kernel). Freeing the repeats gives a locally
connected layer, freeing the zeros a fully-connected one; :func:`parameter_counts` shows
what each costs as the input grows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import skip_init

from ..check import CheckResult, compare
from ..errors import ConvConfigError
from ..params import to_pair
from ..reproduce import conv2d_code
from ..spec import Conv2dSpec
from .validation import read_sizes

Tensor = torch.Tensor
Shape3 = tuple[int, int, int]

MAX_UNROLL_ELEMENTS = 4_000_000  # entries of the unrolled matrix convlab agrees to build
LAYERS = ("fully_connected", "locally_connected", "convolution")


# ---- validation, once, at the boundary -----------------------------------------------------
def _spec_of(conv: Any) -> Conv2dSpec:
    if not isinstance(conv, nn.Conv2d):
        raise ConvConfigError("conv", type(conv).__name__, "conv must be a torch.nn.Conv2d")
    return Conv2dSpec(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                      conv.padding, conv.dilation, conv.groups, conv.bias is not None,
                      conv.padding_mode)


def _out_features(spec: Conv2dSpec, shape: Shape3) -> int:
    return math.prod(spec.output_shape(shape))


def _plan(spec: Conv2dSpec, input_shape: Any) -> tuple[Shape3, Shape3]:
    """The validated ``(C, H, W)`` and ``(C_out, H_out, W_out)``, refusing a matrix too big."""
    shape = read_sizes(input_shape)
    if len(shape) != 3:
        fix = {"input_shape": shape[-3:]} if len(shape) == 4 else None  # drop the batch size
        raise ConvConfigError("input_shape", shape, "input_shape must be (C, H, W), three sizes",
                              fix)
    out_shape: Shape3 = spec.output_shape(shape)  # type: ignore[assignment]
    entries = math.prod(shape) * math.prod(out_shape)
    if entries > MAX_UNROLL_ELEMENTS:
        C, H, W = shape
        fit = None
        for t in range(max(H, W) - 1, 0, -1):  # shrink the longer side first, then both
            smaller = (C, min(H, t), min(W, t))
            try:
                if math.prod(smaller) * _out_features(spec, smaller) <= MAX_UNROLL_ELEMENTS:
                    fit = {"input_shape": smaller}
                    break
            except ConvConfigError:  # the kernel no longer fits: no smaller input works
                break
        raise ConvConfigError("input_shape", shape, f"the unrolled matrix would have "
                              f"{math.prod(out_shape)} x {math.prod(shape)} = {entries} entries, "
                              f"more than the {MAX_UNROLL_ELEMENTS} convlab builds", fit)
    return shape, out_shape  # type: ignore[return-value]


def _taps(spec: Conv2dSpec, shape: Shape3) -> tuple[Tensor, Tensor, Tensor]:
    """Every product the layer computes with a real input cell, as three int64 vectors:
    the output feature (matrix row), the input feature it reads (column), and the flat index
    into ``weight`` of the kernel tap that multiplies it."""
    C, H, W = shape
    (top, bottom), (left, right) = spec.applied_padding
    # Pad a grid of input indices the way the layer pads the input: each padded cell then
    # names the input cell it copies (reflect, replicate, circular), or -1 for a zero.
    G = torch.arange(C * H * W, dtype=torch.float64).view(1, C, H, W)
    if spec.padding_mode == "zeros":
        Gp = F.pad(G, (left, right, top, bottom), value=-1.0)
    else:
        Gp = F.pad(G, (left, right, top, bottom), mode=spec.padding_mode)
    cols = F.unfold(Gp, spec.kernel_size, dilation=spec.dilation, stride=spec.stride)[0]
    cols = cols.round().long()  # (C*kh*kw, L): tap (c, a, b) of window l reads cols[., l]
    g, c_out = spec.groups, spec.out_channels
    taps, L = cols.shape[0] // g, cols.shape[1]
    group_of = torch.arange(c_out) // (c_out // g)
    cols = cols.view(g, taps, L)[group_of]  # (C_out, C_in/g*kh*kw, L)
    rows = torch.arange(c_out * L).view(c_out, 1, L).expand_as(cols)  # feature o*L + l
    widx = torch.arange(c_out * taps).view(c_out, taps, 1).expand_as(cols)  # weight[o, c, a, b]
    real = cols >= 0
    return rows[real], cols[real], widx[real]


# ---- Conv2d -> Linear ----------------------------------------------------------------------
def conv2d_to_linear(conv: nn.Conv2d, input_shape: Any) -> nn.Linear:
    """The ``nn.Linear`` that computes what ``conv`` computes on a ``(C, H, W)`` input.

    Every setting of ``nn.Conv2d`` is supported: stride, padding (ints, pairs, ``'same'``,
    ``'valid'``), dilation, groups, bias, and every ``padding_mode`` (``'zeros'``,
    ``'reflect'``, ``'replicate'``, ``'circular'``). Each kernel weight is placed where the
    layer uses it (summed where reflected or wrapped padding reads one input cell twice), so
    the entries are the weights themselves, not a numerical estimate.

    Args:
        conv: the convolution.
        input_shape: ``(C, H, W)``.

    Returns:
        A new ``nn.Linear`` with ``in_features = C*H*W`` and ``out_features =
        C_out*H_out*W_out``, on conv's device and in its dtype; its bias is conv's bias
        repeated for every output position (none if conv has none).

    Shape:
        ``linear(x.flatten(1))`` equals ``conv(x).flatten(1)`` for ``x`` ``(N, C, H, W)``.

    Raises:
        ConvConfigError: where ``conv`` would refuse such an input, or when the matrix
            would have more than ``MAX_UNROLL_ELEMENTS`` entries.

    The 3 x 3 kernel on a 4 x 4 input, as a 4 x 16 matrix:

    >>> conv = nn.Conv2d(1, 1, 3)
    >>> linear = conv2d_to_linear(conv, (1, 4, 4))
    >>> linear.weight.shape, int((linear.weight != 0).sum())
    (torch.Size([4, 16]), 36)
    """
    spec = _spec_of(conv)
    shape, out_shape = _plan(spec, input_shape)
    rows, cols, widx = (t.to(conv.weight.device) for t in _taps(spec, shape))
    w = conv.weight.detach()
    M = torch.zeros(math.prod(out_shape), math.prod(shape), dtype=w.dtype, device=w.device)
    M.index_put_((rows, cols), w.flatten()[widx], accumulate=True)  # (out_features, in_features)
    # skip_init: the weights are overwritten, so drawing them would only move the global RNG
    linear = skip_init(nn.Linear, M.shape[1], M.shape[0], bias=conv.bias is not None,
                       device=w.device, dtype=w.dtype)
    with torch.no_grad():
        linear.weight.copy_(M)
        if conv.bias is not None:
            linear.bias.copy_(conv.bias.repeat_interleave(out_shape[1] * out_shape[2]))
    return linear


def unrolled_weight_index(conv: nn.Conv2d, input_shape: Any) -> np.ndarray:
    """Which shared kernel weight sits at each entry of the unrolled matrix.

    Returns:
        int64 ``(out_features, in_features)``, like ``conv2d_to_linear(...).weight``:
        the flat index into ``conv.weight`` (``np.unravel_index(i, conv.weight.shape)`` gives
        ``(o, c, a, b)``), or ``-1`` where the entry is structurally zero.

    Raises:
        ConvConfigError: as :func:`conv2d_to_linear`, and for a padding mode other than
            ``'zeros'`` that actually pads (then one entry can hold several weights).

    >>> conv = nn.Conv2d(1, 1, 2, bias=False)
    >>> unrolled_weight_index(conv, (1, 2, 3)).tolist()
    [[0, 1, -1, 2, 3, -1], [-1, 0, 1, -1, 2, 3]]
    """
    spec = _spec_of(conv)
    shape, out_shape = _plan(spec, input_shape)
    (top, bottom), (left, right) = spec.applied_padding
    if spec.padding_mode != "zeros" and max(top, bottom, left, right) > 0:
        raise ConvConfigError("padding_mode", spec.padding_mode, "the shared-weight map needs "
                              "zero padding: reflected, replicated or wrapped cells let several "
                              "weights meet in one entry", {"padding_mode": "zeros"})
    rows, cols, widx = _taps(spec, shape)
    index = np.full((math.prod(out_shape), math.prod(shape)), -1, dtype=np.int64)
    index[rows.numpy(), cols.numpy()] = widx.numpy()  # zero padding: at most one tap per entry
    return index


def unroll_check(conv: nn.Conv2d, x: Tensor) -> CheckResult:
    """``conv2d_to_linear(conv)(x.flatten(1))`` (``what="linear_unrolled"``) against
    ``conv(x).flatten(1)`` (``oracle="nn_conv2d"``), ``x`` ``(N, C, H, W)``."""
    linear = conv2d_to_linear(conv, tuple(x.shape[1:]))
    with torch.no_grad():
        return compare(linear(x.flatten(1)), conv(x).flatten(1), what="linear_unrolled",
                       oracle="nn_conv2d")


# ---- parameter counts ----------------------------------------------------------------------
@dataclass(frozen=True)
class ParameterCount:
    """The parameters of ``layer`` (one of ``LAYERS``) mapping a ``height x width`` input
    to the convolution's output shape."""

    layer: str
    height: int
    width: int
    parameters: int


def parameter_counts(in_channels: int, out_channels: int, input_size: Any, kernel_size: Any, *,
                     stride: Any = 1, padding: Any = 0, bias: bool = True
                     ) -> list[ParameterCount]:
    """What a fully-connected, a locally connected and a convolutional layer cost for the
    same input ``(C_in, H, W)`` and output ``(C_out, H_out, W_out)``.

    * fully connected: ``C_in*H*W * C_out*H_out*W_out`` weights, a bias per output value;
    * locally connected (no sharing): one ``C_in x kh x kw`` kernel per output value and a
      bias each;
    * convolution (shared): ``C_out * C_in * kh * kw`` weights, a bias per channel.

    Raises:
        ConvConfigError: where ``nn.Conv2d`` would refuse the configuration.

    The (1, 1, 4, 4) input with a 3 x 3 kernel:

    >>> [(c.layer, c.parameters) for c in parameter_counts(1, 1, 4, 3)]
    [('fully_connected', 68), ('locally_connected', 40), ('convolution', 10)]
    """
    spec = Conv2dSpec(in_channels, out_channels, kernel_size, stride, padding, bias=bias)
    H, W = to_pair("input_size", input_size)
    _, h_out, w_out = spec.output_shape((spec.in_channels, H, W))
    outputs = spec.out_channels * h_out * w_out
    kh, kw = spec.kernel_size
    biases = outputs if spec.bias else 0
    counts = (spec.in_channels * H * W * outputs + biases,
              outputs * spec.in_channels * kh * kw + biases,
              spec.num_parameters)
    return [ParameterCount(layer, H, W, n) for layer, n in zip(LAYERS, counts, strict=True)]


def parameter_growth(in_channels: int, out_channels: int, sizes: Any, kernel_size: Any,
                     **conv: Any) -> list[ParameterCount]:
    """:func:`parameter_counts` for each input size in ``sizes`` (ints or ``(H, W)``), in order.

    >>> [c.parameters for c in parameter_growth(1, 1, [4, 8], 3) if c.layer == "convolution"]
    [10, 10]
    """
    return [c for size in sizes
            for c in parameter_counts(in_channels, out_channels, size, kernel_size, **conv)]


# ---- reproduce in PyTorch ------------------------------------------------------------------
def conv_example(kwargs: dict[str, Any], input_shape: Any, seed: int = 0
                 ) -> tuple[nn.Conv2d, Tensor]:
    """The layer and input that :func:`conv2d_to_linear_code` builds: ``torch.manual_seed(seed)``,
    then ``nn.Conv2d(**kwargs)``, then ``x = torch.randn(1, C, H, W)``.

    The caller's random state is left alone.

    Raises:
        ConvConfigError: for a layer or input PyTorch refuses, or a matrix too big to unroll.
    """
    shape, _ = _plan(Conv2dSpec(**kwargs), input_shape)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        conv = nn.Conv2d(**kwargs)
        x = torch.randn(1, *shape)
    return conv, x


def conv2d_to_linear_code(kwargs: dict[str, Any], input_shape: Any, seed: int = 0) -> str:
    """A self-contained script (torch only) that unrolls the layer into an ``nn.Linear``
    through its response to each basis image, and prints both outputs.

    Printed lines: ``in_features``, ``out_features``, ``conv [[...]]``, ``linear [[...]]``
    and ``max_abs_diff``; the layer and input are those of :func:`conv_example`.

    Raises:
        ConvConfigError: as :func:`conv_example`.

    >>> print(conv2d_to_linear_code({"in_channels": 1, "out_channels": 1, "kernel_size": 3},
    ...                             (1, 4, 4)).splitlines()[4])
    conv = nn.Conv2d(1, 1, kernel_size=3)
    """
    shape, _ = _plan(Conv2dSpec(**kwargs), input_shape)
    C, H, W = shape
    return "\n".join([
        "import torch",
        "from torch import nn",
        "",
        f"torch.manual_seed({seed})",
        f"conv = {conv2d_code(kwargs)}",
        f"C, H, W = {C}, {H}, {W}",
        "x = torch.randn(1, C, H, W)",
        "",
        "# Without its bias the layer is linear in its input: column i of its matrix is its",
        "# response to basis image i (a single 1, zeros elsewhere).",
        "bias, conv.bias = conv.bias, None",
        "with torch.no_grad():",
        "    basis = torch.eye(C * H * W).view(-1, C, H, W)  # (C*H*W, C, H, W)",
        "    M = conv(basis).flatten(1).T  # (C*H*W, out_features) -> (out_features, C*H*W)",
        "conv.bias = bias",
        "",
        "linear = nn.Linear(M.shape[1], M.shape[0], bias=bias is not None)",
        "with torch.no_grad():",
        "    linear.weight.copy_(M)",
        "    if bias is not None:  # one copy of each channel's bias per output position",
        "        linear.bias.copy_(bias.repeat_interleave(M.shape[0] // conv.out_channels))",
        "    y_conv = conv(x).flatten(1)  # (N, C_out, H_out, W_out) -> (N, C_out*H_out*W_out)",
        "    y_linear = linear(x.flatten(1))  # (N, C*H*W) -> (N, C_out*H_out*W_out)",
        'print("in_features", linear.in_features)',
        'print("out_features", linear.out_features)',
        'print("conv", y_conv.tolist())',
        'print("linear", y_linear.tolist())',
        'print("max_abs_diff", (y_conv - y_linear).abs().max().item())',
    ])
