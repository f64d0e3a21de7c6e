"""A fully-connected layer is a convolution: ``nn.Linear`` rewritten as ``nn.Conv2d``.

Two rewrites keep the weight matrix as it is and only view it in another shape:

* ``"full"``: one kernel as large as the whole ``(C, H, W)`` input, so each output channel
  sees every input value once and the output is ``1 x 1``;
* ``"pointwise"``: the flat input seen as ``C*H*W`` channels of a ``1 x 1`` image, read by
  a ``1 x 1`` kernel.

On a larger input the ``"full"`` convolution slides: it applies the layer to every crop
(:func:`fc_on_crops`), the classic trick for dense prediction. The way back, a convolution
as one big matrix, is :mod:`convlab.equivalence.unroll`; the refusals are in
:mod:`.validation`, the reproducing script in :mod:`.linear_code`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import skip_init

from ..check import CheckResult, compare
from ..errors import ConvConfigError
from .validation import MODES, Shape3, _require_linear, _require_mode, check_input_shape

Tensor = torch.Tensor


# ---- Linear -> Conv2d ----------------------------------------------------------------------
def linear_to_conv2d(linear: nn.Linear, input_shape: Any, mode: str = "full") -> nn.Conv2d:
    """The ``nn.Conv2d`` that computes what ``linear`` computes on a ``(C, H, W)`` input.

    Args:
        linear: the fully-connected layer, ``in_features = C * H * W``.
        input_shape: ``(C, H, W)``, how the flat input is seen as an image.
        mode: ``"full"`` (kernel ``(H, W)``, ``C`` input channels) or ``"pointwise"``
            (``C*H*W`` input channels, a ``1 x 1`` kernel).

    Returns:
        A new ``nn.Conv2d`` on linear's device, in its dtype, with its weight and bias
        (no bias when linear has none).

    Shape:
        ``"full"``: ``(N, C, H, W) -> (N, out_features, 1, 1)``;
        ``"pointwise"``: ``(N, C*H*W, 1, 1) -> (N, out_features, 1, 1)``; ``.flatten(1)`` of
        either equals ``linear(x.flatten(1))``.

    Raises:
        ConvConfigError: for a shape that does not hold ``in_features`` values or a bad mode.

    The study notes' layer, ``torch.manual_seed(888); nn.Linear(4, 2)``:

    >>> linear, x, shape, _ = fc_example("seed888")
    >>> conv = linear_to_conv2d(linear, shape)
    >>> conv.weight.shape, conv(x.view(1, *shape)).flatten(1).detach()
    (torch.Size([2, 1, 2, 2]), tensor([[0.2983, 1.4994]]))
    """
    linear = _require_linear(linear)
    mode = _require_mode(mode)
    C, H, W = check_input_shape(input_shape, linear.in_features)
    out, w = linear.out_features, linear.weight
    channels, kernel = (C, (H, W)) if mode == "full" else (C * H * W, (1, 1))
    # skip_init: the weights are overwritten, so drawing them would only move the global RNG
    conv = skip_init(nn.Conv2d, channels, out, kernel_size=kernel, bias=linear.bias is not None,
                     device=w.device, dtype=w.dtype)
    with torch.no_grad():
        conv.weight.copy_(w.reshape(out, channels, *kernel))  # (out, C*H*W) -> (out, C', kh, kw)
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv


def fc_on_crops(linear: nn.Linear, crop_shape: Any, X: Tensor) -> Tensor:
    """Apply the fully-connected layer to every stride-1 crop of a larger input.

    Args:
        linear: the layer, ``in_features = C * h * w``.
        crop_shape: ``(C, h, w)``, the input the layer was made for.
        X: ``(N, C, H, W)`` with ``H >= h`` and ``W >= w``.

    Returns:
        ``(N, out_features, H - h + 1, W - w + 1)``: entry ``[n, :, i, j]`` is
        ``linear(X[n, :, i:i+h, j:j+w].flatten())``, which is what
        ``linear_to_conv2d(linear, crop_shape)(X)`` computes.

    Raises:
        ConvConfigError: for a crop shape that does not fit the layer or an X that is not
            4-D, has other channels, or is smaller than one crop.

    >>> linear, _, shape, _ = fc_example("seed888")
    >>> fc_on_crops(linear, shape, torch.arange(9.).view(1, 1, 3, 3)).shape
    torch.Size([1, 2, 2, 2])
    """
    linear = _require_linear(linear)
    C, h, w = check_input_shape(crop_shape, linear.in_features)
    if X.dim() != 4:
        raise ConvConfigError("X", tuple(X.shape), "X must be 4-D (N, C, H, W)")
    if X.shape[1] != C:
        raise ConvConfigError("X", tuple(X.shape), f"each crop has {C} channels (crop_shape "
                              f"{(C, h, w)}), and X has {X.shape[1]}")
    if X.shape[2] < h or X.shape[3] < w:
        raise ConvConfigError("X", tuple(X.shape), f"X must be at least as large as one crop "
                              f"({h} x {w})")
    rows, cols = X.shape[2] - h + 1, X.shape[3] - w + 1
    crops = F.unfold(X, (h, w))  # (N, C*h*w, rows*cols), each column one flattened crop
    Y = linear(crops.transpose(1, 2))  # (N, rows*cols, C*h*w) -> (N, rows*cols, out)
    return Y.transpose(1, 2).reshape(X.shape[0], -1, rows, cols)  # (N, out, rows, cols)


# ---- presets: the study notes' layers ------------------------------------------------------
@dataclass(frozen=True)
class _Recipe:
    input_shape: Shape3
    out_features: int
    seed: int | None = None  # torch.manual_seed(seed); nn.Linear(...) draws the weights
    weight: tuple[tuple[float, ...], ...] | None = None  # or fixed values
    bias: tuple[float, ...] | None = None
    relu: bool = False

    @property
    def in_features(self) -> int:
        return math.prod(self.input_shape)


_RECIPES = {
    "seed888": _Recipe((1, 2, 2), 2, seed=888),
    "fixed_relu": _Recipe((1, 2, 2), 2, weight=((1.1, 1.2, 1.3, 1.4), (1.5, 1.6, 1.7, 1.8)),
                          bias=(1.9, 2.0), relu=True),
    "image4x4": _Recipe((1, 4, 4), 2, seed=888),
    "multichannel": _Recipe((2, 3, 3), 3, seed=888),
}
FC_PRESETS = tuple(_RECIPES)


class FCExample(NamedTuple):
    """A preset: the layer, its flat input ``x`` ``(1, in_features)`` (the values
    ``1, 2, ..., in_features``), the ``(C, H, W)`` it is seen as, and whether a ReLU follows."""

    linear: nn.Linear
    x: Tensor
    input_shape: Shape3
    relu: bool


def _recipe(preset_id: str) -> _Recipe:
    if preset_id not in _RECIPES:
        raise ConvConfigError("preset", preset_id, f"preset must be one of {FC_PRESETS}",
                              {"preset": FC_PRESETS[0]})
    return _RECIPES[preset_id]


def fc_example(preset_id: str, device: torch.device | str = "cpu",
               dtype: torch.dtype = torch.float32) -> FCExample:
    """A preset layer and input, built as the study notes build them (same numbers).

    Seeded presets call ``torch.manual_seed(seed)`` then ``nn.Linear``, inside
    ``torch.random.fork_rng`` so the caller's random state is left alone.

    Raises:
        ConvConfigError: for an unknown ``preset_id`` (see ``FC_PRESETS``).

    >>> linear, x, shape, relu = fc_example("fixed_relu")
    >>> torch.relu(linear(x)).tolist(), shape, relu
    ([[14.899999618530273, 19.0]], (1, 2, 2), True)
    """
    r = _recipe(preset_id)
    with torch.random.fork_rng(devices=[]):
        if r.seed is not None:
            torch.manual_seed(r.seed)
        linear = nn.Linear(r.in_features, r.out_features)
    if r.weight is not None and r.bias is not None:
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(r.weight))
            linear.bias.copy_(torch.tensor(r.bias))
    x = torch.arange(1.0, r.in_features + 1.0).view(1, -1)  # (1, in_features)
    return FCExample(linear.to(device, dtype), x.to(device, dtype), r.input_shape, r.relu)


# ---- checks ----------------------------------------------------------------------------------
def equivalence_checks(linear: nn.Linear, input_shape: Any, x: Tensor) -> list[CheckResult]:
    """``linear(x)`` against both convolutions, ``x`` flat ``(N, in_features)``.

    ``what`` is ``"conv2d_full"`` or ``"conv2d_pointwise"``, the oracle ``"nn_linear"``.

    >>> linear, x, shape, _ = fc_example("image4x4")
    >>> [(r.what, r.passed) for r in equivalence_checks(linear, shape, x)]
    [('conv2d_full', True), ('conv2d_pointwise', True)]
    """
    C, H, W = check_input_shape(input_shape, _require_linear(linear).in_features)
    views = {"full": (C, H, W), "pointwise": (C * H * W, 1, 1)}
    with torch.no_grad():
        expected = linear(x)
        return [compare(linear_to_conv2d(linear, (C, H, W), mode)(x.view(-1, *views[mode]))
                        .flatten(1), expected, what=f"conv2d_{mode}", oracle="nn_linear")
                for mode in MODES]


def crops_check(linear: nn.Linear, crop_shape: Any, X: Tensor) -> CheckResult:
    """:func:`fc_on_crops` (``what="fc_on_crops"``) against the sliding full convolution
    (``oracle="conv2d_full"``)."""
    with torch.no_grad():
        return compare(fc_on_crops(linear, crop_shape, X), linear_to_conv2d(linear, crop_shape)(X),
                       what="fc_on_crops", oracle="conv2d_full")
