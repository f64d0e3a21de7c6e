"""The fully-connected ≡ convolution lesson as plain results: every form's outputs, the
unrolled matrix with its shared-weight map, the slid layer, and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..check import CheckResult
from .linear import crops_check, equivalence_checks, fc_example, linear_to_conv2d
from .unroll import conv2d_to_linear, conv_example, unroll_check, unrolled_weight_index


@dataclass(frozen=True)
class FCForms:
    """A preset's Linear and the outputs of its three forms (ReLU applied where the preset
    has it): ``outputs[form]`` ``(out_features,)`` for ``linear``, ``full``, ``pointwise``;
    ``no_bias`` the first output without the bias; ``weight`` ``(out, in)``; ``bias``."""

    input_shape: tuple[int, int, int]
    relu: bool
    outputs: dict[str, np.ndarray]
    no_bias: float
    weight: np.ndarray
    bias: np.ndarray | None
    checks: list[CheckResult]


def fc_forms(preset_id: str, device: str | torch.device = "cpu") -> FCForms:
    """The Linear of ``preset_id`` and the two convolutions it becomes, evaluated on its input.

    >>> r = fc_forms("seed888")
    >>> [round(float(v), 4) for v in r.outputs["pointwise"]]
    [0.2983, 1.4994]
    """
    linear, x, shape, relu = fc_example(preset_id, device=device)
    c, h, w = shape

    def act(y: torch.Tensor) -> torch.Tensor:
        return torch.relu(y) if relu else y

    with torch.no_grad():
        ys = {"linear": act(linear(x)),  # (1, out)
              "full": act(linear_to_conv2d(linear, shape)(x.view(1, c, h, w))),
              "pointwise": act(linear_to_conv2d(linear, shape, "pointwise")(
                  x.view(1, c * h * w, 1, 1)))}  # (1, out, 1, 1)
        no_bias = float(act(x @ linear.weight.T)[0, 0])
    bias = None if linear.bias is None else linear.bias.detach().cpu().double().numpy()
    return FCForms(shape, relu, {k: v.flatten().cpu().double().numpy() for k, v in ys.items()},
                   no_bias, linear.weight.detach().cpu().double().numpy(), bias,
                   equivalence_checks(linear, shape, x))


@dataclass(frozen=True)
class Unrolled:
    """A convolution as a Linear: its weight matrix ``(out_features, in_features)``, which
    kernel weight sits at each entry (``index``, -1 for zero; ``None`` when reflected or
    wrapped padding mixes several weights into one entry), and the check."""

    matrix: np.ndarray
    index: np.ndarray | None
    weight_shape: tuple[int, ...]
    check: CheckResult


def unrolled(kwargs: dict[str, Any], input_shape: tuple[int, int, int], seed: int = 0,
             device: str | torch.device = "cpu") -> Unrolled:
    """``conv2d_to_linear`` of the seeded ``nn.Conv2d(**kwargs)``, checked on a random input.

    Raises:
        ConvConfigError: where the convolution refuses the input.
    """
    conv, x = conv_example(kwargs, input_shape, seed=seed)
    conv, x = conv.to(device), x.to(device)
    M = conv2d_to_linear(conv, input_shape).weight.detach().cpu().double().numpy()
    try:
        index: np.ndarray | None = unrolled_weight_index(conv, input_shape)
    except ValueError:  # ConvConfigError: padding that copies cells mixes weights
        index = None
    return Unrolled(M, index, tuple(conv.weight.shape), unroll_check(conv, x))


def slid(preset_id: str, extra: int, seed: int = 0,
         device: str | torch.device = "cpu") -> tuple[np.ndarray, CheckResult]:
    """The preset's Linear, as a convolution, on an input ``extra`` rows and columns larger:
    the map ``(out, extra + 1, extra + 1)`` and its check against the Linear on each crop."""
    linear, _, shape, _ = fc_example(preset_id, device=device)
    c, h, w = shape
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(1, c, h + extra, w + extra, generator=gen).to(device)
    with torch.no_grad():
        Y = linear_to_conv2d(linear, shape)(X)[0]  # (out, extra + 1, extra + 1)
    return Y.cpu().double().numpy(), crops_check(linear, shape, X)
