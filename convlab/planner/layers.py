"""One layer of a stack: its output shape, its window on the input and its cost, or the
refusal PyTorch would raise when the layer is called on that input (the windowed layers'
rules are in :mod:`convlab.planner.layers_spatial`)."""

from __future__ import annotations

import math
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from .layer_step import IDENTITY, Step, Window, bounded, param_count, refuse
from .layers_spatial import adaptive_step, conv_step, conv_transpose_step, pool_step
from .limits import StackConfigError

ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU,
               nn.Mish, nn.Sigmoid, nn.Tanh, nn.Hardswish, nn.Hardsigmoid, nn.Hardtanh,
               nn.Softplus, nn.Identity)
DROPOUTS = (nn.Dropout, nn.Dropout2d, nn.AlphaDropout)
SUPPORTED = ("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d",
             "BatchNorm2d", "Upsample", "Flatten", "Linear", "Dropout",
             *(a.__name__ for a in ACTIVATIONS))


_UPSAMPLE_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def _upsample(m: nn.Upsample, shape: tuple[int, ...]) -> Step:
    """PyTorch's interpolate: every dim after the first two is spatial, so a 3-D input
    ``(C, H, W)`` is a batch of C one-dimensional signals and only W is scaled."""
    rank = len(shape)
    if rank < 3:
        raise refuse("input", list(shape), "Input Error: Only 3D, 4D and 5D input Tensors "
                      f"supported (got {rank}D)", code="pl_rank_upsample",
                      values={"rank": rank})
    need = _UPSAMPLE_RANK.get(m.mode)
    if need is not None and rank != need:
        raise refuse("mode", m.mode, f"Got {rank}D input, but {m.mode} mode needs {need}D "
                      "input", {"mode": "nearest"}, code="pl_upsample_mode",
                      values={"rank": rank, "need": need})
    if m.size is None and m.scale_factor is None:
        raise refuse("size", None, "either size or scale_factor should be defined",
                      {"scale_factor": 2}, code="pl_upsample_neither")
    if m.size is not None and m.scale_factor is not None:
        raise refuse("size", m.size, "only one of size or scale_factor should be defined",
                      {"scale_factor": None}, code="pl_upsample_both")
    spatial = shape[2:]
    given: Any = m.size if m.size is not None else m.scale_factor
    name = "size" if m.size is not None else "scale_factor"
    if isinstance(given, (tuple, list)) and len(given) != len(spatial):
        raise refuse(name, tuple(given), f"Input and {name} must have the same number of "
                      f"spatial dimensions (the input's are {list(spatial)})",
                      {name: given[0]}, code="pl_upsample_dims",
                      values={"spatial": list(spatial)})
    each = given if isinstance(given, (tuple, list)) else (given,) * len(spatial)
    out: tuple[int, ...]
    if m.size is not None:
        out = tuple(int(v) for v in each)
    else:
        out = tuple(math.floor(n * float(f)) for n, f in zip(spatial, each, strict=True))
    if min(out) <= 0:
        raise refuse(name, given, "the up-sampled size must be positive", {name: 2},
                      code="not_positive")
    window = IDENTITY if out == spatial else Window(note="upsampled")
    return Step(bounded((*shape[:2], *out)), window, 0, 0)


def _batchnorm(m: nn.BatchNorm2d, shape: tuple[int, ...]) -> Step:
    if len(shape) != 4:
        raise refuse("input", list(shape), f"expected 4D input (got {len(shape)}D input)",
                      code="pl_rank_bn", values={"rank": len(shape)})
    if shape[1] != m.num_features:
        raise refuse("num_features", m.num_features, f"running_mean should contain "
                      f"{shape[1]} elements not {m.num_features}", {"num_features": shape[1]},
                      code="pl_channels", values={"shape": list(shape), "channels": shape[1]})
    return Step(shape, IDENTITY, param_count(m), 0)


def _flatten(m: nn.Flatten, shape: tuple[int, ...]) -> Step:
    rank = len(shape)
    for name, dim in (("start_dim", m.start_dim), ("end_dim", m.end_dim)):
        if not -rank <= dim < rank:
            raise refuse(name, dim, f"Dimension out of range (expected to be in range of "
                          f"[{-rank}, {rank - 1}])",
                          {name: max(-rank, min(dim, rank - 1))}, code="pl_dim_range",
                          values={"lo": -rank, "hi": rank - 1})
    start, end = m.start_dim % rank, m.end_dim % rank
    if start > end:
        raise refuse("start_dim", m.start_dim, "flatten() has invalid args: start_dim cannot "
                      "come after end_dim", {"start_dim": 0},
                      code="pl_flatten_order")
    out = (*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])
    spatial_merged = end == rank - 1 and start <= rank - 2
    return Step(out, IDENTITY if spatial_merged or start == end else Window(
        note="not_spatial"), 0, 0)


def _linear(m: nn.Linear, shape: tuple[int, ...]) -> Step:
    if shape[-1] != m.in_features:
        raise refuse("in_features", m.in_features, f"mat1 and mat2 shapes cannot be multiplied "
                      f"(the input's last size is {shape[-1]})", {"in_features": shape[-1]},
                      code="pl_in_features", values={"features": shape[-1]})
    out = (*shape[:-1], m.out_features)
    return Step(out, IDENTITY, param_count(m), math.prod(out) * m.in_features)


def _prelu_channels(m: nn.Module, shape: tuple[int, ...]) -> None:
    """A PReLU with one weight per channel reads the channels at dim 1 (1 for a 1-D input)."""
    if isinstance(m, nn.PReLU) and m.num_parameters != 1:
        channels = shape[1] if len(shape) >= 2 else 1
        if channels != m.num_parameters:
            raise refuse("num_parameters", m.num_parameters, "Mismatch of parameter numbers "
                          f"and input channel size (the input has {channels} at dim 1)",
                          {"num_parameters": channels}, code="pl_prelu",
                          values={"channels": channels})


def step(index: int, m: nn.Module, shape: tuple[int, ...]) -> Step:
    """Layer ``index`` (module ``m``) on an input of ``shape``.

    Raises:
        StackConfigError: where PyTorch would refuse, naming the layer and the nearest fix.
    """
    kind = type(m).__name__
    try:
        if isinstance(m, nn.Conv2d):
            result = conv_step(m, shape)
        elif isinstance(m, nn.ConvTranspose2d):
            result = conv_transpose_step(m, shape)
        elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
            result = pool_step(m, shape)
        elif isinstance(m, nn.AdaptiveAvgPool2d):
            result = adaptive_step(m, shape)
        elif isinstance(m, nn.Upsample):
            result = _upsample(m, shape)
        elif isinstance(m, nn.BatchNorm2d):
            result = _batchnorm(m, shape)
        elif isinstance(m, nn.Flatten):
            result = _flatten(m, shape)
        elif isinstance(m, nn.Linear):
            result = _linear(m, shape)
        elif isinstance(m, (*ACTIVATIONS, *DROPOUTS)):
            _prelu_channels(m, shape)
            result = Step(shape, IDENTITY, param_count(m), 0)
        else:
            raise refuse("layer", kind, "the planner follows only "
                          + ", ".join(SUPPORTED), stage="construct", code="pl_unsupported",
                          values={"layers": ", ".join(SUPPORTED)})
        bounded(result.output_shape)
    except ConvConfigError as err:
        raise StackConfigError(index, kind, err) from None
    return result
