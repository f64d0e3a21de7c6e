"""One layer of a stack: its output shape, its window on the input and its cost, or the
refusal PyTorch would raise when the layer is called on that input."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from ..params import Pair, _show
from ..pooling.sizes import PoolAxis
from ..shapes import explain_output_size
from .limits import MAX_CHANNELS, MAX_SIZE, StackConfigError


def _refuse(parameter: str, value: Any, reason: str, fix: dict[str, Any] | None = None,
            stage: str = "forward", *, code: str = "",
            values: dict[str, Any] | None = None) -> ConvConfigError:
    """A refusal with its reason as a code (``pl_<what>``) and the numbers its wording
    quotes, which ui words in each language; ``reason`` is the English sentence."""
    return ConvConfigError(parameter, value, reason, fix, stage=stage, code=code, values=values)

ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU,
               nn.Mish, nn.Sigmoid, nn.Tanh, nn.Hardswish, nn.Hardsigmoid, nn.Hardtanh,
               nn.Softplus, nn.Identity)
DROPOUTS = (nn.Dropout, nn.Dropout2d, nn.AlphaDropout)
SUPPORTED = ("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d",
             "BatchNorm2d", "Upsample", "Flatten", "Linear", "Dropout",
             *(a.__name__ for a in ACTIVATIONS))


@dataclass(frozen=True)
class Window:
    """How a layer's output cells read its input along (h, w): effective kernel (dilation
    included), stride and the padding before the first cell (Araujo et al., Distill 2019).
    ``None`` fields: the layer up-samples (``up``) or its windows differ cell to cell."""

    kernel: Pair = (1, 1)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    note: str | None = None  # why the receptive field cannot be followed past this layer


IDENTITY = Window()


@dataclass(frozen=True)
class Step:
    """One layer applied to one input shape."""

    output_shape: tuple[int, ...]
    window: Window
    params: int
    macs: int


def _spatial(shape: tuple[int, ...], op: str) -> Pair:
    if len(shape) not in (3, 4):
        raise _refuse("input", list(shape), f"Expected 3D (unbatched) or 4D (batched) input "
                      f"to {op}, but got input of size: {list(shape)}",
                      code="pl_rank", values={"op": op, "shape": list(shape)})
    return (shape[-2], shape[-1])


def _require_channels(name: str, expected: int, shape: tuple[int, ...]) -> None:
    if shape[-3] != expected:
        raise _refuse(name, expected, f"{name} must equal the channels of the input "
                      f"{list(shape)}", {name: shape[-3]}, code="pl_channels",
                      values={"shape": list(shape), "channels": shape[-3]})


def _bounded(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Refuse a feature map larger than the planner follows (an up-sampling run away)."""
    if len(shape) >= 3 and (max(shape[-2:]) > MAX_SIZE or shape[-3] > MAX_CHANNELS):
        raise _refuse("output_size", list(shape), "the output is larger than the planner "
                      f"follows (height and width at most {MAX_SIZE}, channels at most "
                      f"{MAX_CHANNELS})", stage="lab", code="pl_too_large",
                      values={"size": MAX_SIZE, "channels": MAX_CHANNELS})
    return shape


def _conv(m: nn.Conv2d, shape: tuple[int, ...]) -> Step:
    size = _spatial(shape, "conv2d")
    _require_channels("in_channels", m.in_channels, shape)
    pad = m.padding if isinstance(m.padding, str) else tuple(m.padding)
    try:
        h, w = explain_output_size(size, m.kernel_size, m.stride, pad, m.dilation)
    except ConvConfigError as err:
        least = tuple(max(1, a.effective_kernel - a.pad_before - a.pad_after) for a in
                      explain_output_size(MAX_SIZE, m.kernel_size, m.stride, pad, m.dilation))
        fix = {**(err.suggestion or {}), "input_size": _show(least)}  # type: ignore[arg-type]
        raise _refuse(err.parameter, err.value, err.reason, fix, err.stage, code=err.code,
                      values=err.values) from None
    _require_pad_mode(m.padding_mode, size, ((h.pad_before, h.pad_after),
                                             (w.pad_before, w.pad_after)))
    out = (*shape[:-3], m.out_channels, h.output, w.output)
    macs = math.prod(out) * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    return Step(out, Window((h.effective_kernel, w.effective_kernel), (h.stride, w.stride),
                           (h.pad_before, w.pad_before)), _params(m), macs)


def _require_pad_mode(mode: str, size: Pair, pads: tuple[Pair, Pair]) -> None:
    """PyTorch's F.pad: a reflection must be shorter than the side it mirrors, a circular
    padding may wrap around at most once."""
    if mode not in ("reflect", "circular"):
        return
    reach = tuple(max(p) for p in pads)
    fits = all(r < n if mode == "reflect" else r <= n for r, n in zip(reach, size, strict=True))
    if not fits:
        top = tuple(n - 1 if mode == "reflect" else n for n in size)
        raise _refuse("padding_mode", mode, f"{mode} padding of {list(reach)} does not fit "
                      f"the input {list(size)} (at most {list(top)})",
                      {"padding_mode": "zeros", "input_size": _show(tuple(
                          r + 1 if mode == "reflect" else r for r in reach))},  # type: ignore[arg-type]
                      code=f"pl_pad_{mode}", values={"pad": list(reach), "size": list(size)})


def _conv_transpose(m: nn.ConvTranspose2d, shape: tuple[int, ...]) -> Step:
    size = _spatial(shape, "conv_transpose2d")
    _require_channels("in_channels", m.in_channels, shape)
    k, s, p, d, op = (_pair(v) for v in (m.kernel_size, m.stride, m.padding, m.dilation,
                                         m.output_padding))
    if any(op[i] >= max(s[i], d[i]) for i in range(2)):
        top = tuple(min(op[i], max(s[i], d[i]) - 1) for i in range(2))
        raise _refuse("output_padding", _show(op), "output padding must be smaller than "
                      f"either stride {_show(s)} or dilation {_show(d)}",
                      {"output_padding": _show(top)},  # type: ignore[arg-type]
                      code="pl_output_padding", values={"stride": _show(s), "dilation": _show(d)})
    out_hw = tuple((n - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1
                   for i, n in enumerate(size))
    if min(out_hw) <= 0:
        least = tuple(max(0, (n - 1) * s[i] + d[i] * (k[i] - 1) + op[i]) // 2
                      for i, n in enumerate(size))
        raise _refuse("padding", _show(p), f"Given input size per channel: {list(size)}, the "
                      f"calculated output size per channel {list(out_hw)} is too small",
                      {"padding": _show(tuple(min(a, b) for a, b in zip(p, least,
                                                                         strict=True)))},
                      code="pl_too_small", values={"size": list(size), "out": list(out_hw)})
    out = (*shape[:-3], m.out_channels, *out_hw)
    macs = math.prod(shape) * (m.out_channels // m.groups) * math.prod(k)
    if s == (1, 1):  # a stride-1 transposed convolution is a convolution with padding k-1-p
        eff = tuple(d[i] * (k[i] - 1) + 1 for i in range(2))
        window = Window((eff[0], eff[1]), (1, 1), (eff[0] - 1 - p[0], eff[1] - 1 - p[1]))
    else:
        window = Window(note="upsampled")
    return Step(out, window, _params(m), macs)


def _pool(m: nn.MaxPool2d | nn.AvgPool2d, shape: tuple[int, ...]) -> Step:
    op = "max_pool2d" if isinstance(m, nn.MaxPool2d) else "avg_pool2d"
    size = _spatial(shape, op)
    k = _pair(m.kernel_size)
    s = _pair(m.stride if m.stride is not None else m.kernel_size)
    p = _pair(m.padding)
    d = _pair(getattr(m, "dilation", 1))
    eff = tuple(d[i] * (k[i] - 1) + 1 for i in range(2))
    # PyTorch bounds the padding by half the kernel_size as given, dilation left out (a
    # dilated max pool's padding may not reach half its effective window).
    if any(p[i] > k[i] // 2 for i in range(2)):
        half = tuple(min(p[i], k[i] // 2) for i in range(2))
        raise _refuse("padding", _show(p), "pad should be at most half of kernel size",
                      {"padding": _show(half)},  # type: ignore[arg-type]
                      code="pl_pool_pad", values={"kernel": _show(k)})
    # pooling's window count (the ceil_mode rule included) is written once, in convlab.pooling
    out_hw = tuple(PoolAxis(size[i], k[i], s[i], p[i], d[i], m.ceil_mode).output
                   for i in range(2))
    if min(out_hw) <= 0:
        least = tuple(max(0, -(-(eff[i] - size[i]) // 2)) for i in range(2))
        raise _refuse("kernel_size", _show(k), f"Given input size: {list(size)}. Calculated "
                      f"output size: {list(out_hw)}. Output size is too small",
                      {"input_size": _show(tuple(max(size[i], eff[i] - 2 * p[i])
                                                 for i in range(2))),
                       "padding": _show(least)},  # type: ignore[arg-type]
                      code="pl_too_small", values={"size": list(size), "out": list(out_hw)})
    return Step((*shape[:-2], *out_hw), Window(eff, s, p), 0, 0)  # type: ignore[arg-type]


def _adaptive(m: nn.AdaptiveAvgPool2d, shape: tuple[int, ...]) -> Step:
    # PyTorch 2.13 also returns the mean of the last two dims of an input of any rank from 2
    # up when output_size is 1 (a shortcut that skips the rank check every other output size
    # makes): refused here as for every other size, and the oracle counts it as a refusal.
    if len(shape) not in (3, 4):
        raise _refuse("input", list(shape), "adaptive_avg_pool2d(): Expected 3D or 4D "
                      "tensor", code="pl_rank_adaptive", values={"shape": list(shape)})
    size = (shape[-2], shape[-1])
    want: Any = m.output_size
    want = want if isinstance(want, (tuple, list)) else (want, want)
    out = tuple(size[i] if want[i] is None else int(want[i]) for i in range(2))
    if min(out) <= 0:
        raise _refuse("output_size", _show(out), "output_size must be positive",  # type: ignore[arg-type]
                      {"output_size": 1}, code="not_positive")
    if all(n % o == 0 for n, o in zip(size, out, strict=True)):  # even windows: a pooling
        k = tuple(n // o for n, o in zip(size, out, strict=True))
        window = Window(k, k, (0, 0))  # type: ignore[arg-type]
    else:
        window = Window(note="adaptive")
    return Step((*shape[:-2], *out), window, 0, 0)


_UPSAMPLE_RANK = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def _upsample(m: nn.Upsample, shape: tuple[int, ...]) -> Step:
    """PyTorch's interpolate: every dim after the first two is spatial, so a 3-D input
    ``(C, H, W)`` is a batch of C one-dimensional signals and only W is scaled."""
    rank = len(shape)
    if rank < 3:
        raise _refuse("input", list(shape), "Input Error: Only 3D, 4D and 5D input Tensors "
                      f"supported (got {rank}D)", code="pl_rank_upsample",
                      values={"rank": rank})
    need = _UPSAMPLE_RANK.get(m.mode)
    if need is not None and rank != need:
        raise _refuse("mode", m.mode, f"Got {rank}D input, but {m.mode} mode needs {need}D "
                      "input", {"mode": "nearest"}, code="pl_upsample_mode",
                      values={"rank": rank, "need": need})
    if m.size is None and m.scale_factor is None:
        raise _refuse("size", None, "either size or scale_factor should be defined",
                      {"scale_factor": 2}, code="pl_upsample_neither")
    if m.size is not None and m.scale_factor is not None:
        raise _refuse("size", m.size, "only one of size or scale_factor should be defined",
                      {"scale_factor": None}, code="pl_upsample_both")
    spatial = shape[2:]
    given: Any = m.size if m.size is not None else m.scale_factor
    name = "size" if m.size is not None else "scale_factor"
    if isinstance(given, (tuple, list)) and len(given) != len(spatial):
        raise _refuse(name, tuple(given), f"Input and {name} must have the same number of "
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
        raise _refuse(name, given, "the up-sampled size must be positive", {name: 2},
                      code="not_positive")
    window = IDENTITY if out == spatial else Window(note="upsampled")
    return Step(_bounded((*shape[:2], *out)), window, 0, 0)


def _batchnorm(m: nn.BatchNorm2d, shape: tuple[int, ...]) -> Step:
    if len(shape) != 4:
        raise _refuse("input", list(shape), f"expected 4D input (got {len(shape)}D input)",
                      code="pl_rank_bn", values={"rank": len(shape)})
    if shape[1] != m.num_features:
        raise _refuse("num_features", m.num_features, f"running_mean should contain "
                      f"{shape[1]} elements not {m.num_features}", {"num_features": shape[1]},
                      code="pl_channels", values={"shape": list(shape), "channels": shape[1]})
    return Step(shape, IDENTITY, _params(m), 0)


def _flatten(m: nn.Flatten, shape: tuple[int, ...]) -> Step:
    rank = len(shape)
    for name, dim in (("start_dim", m.start_dim), ("end_dim", m.end_dim)):
        if not -rank <= dim < rank:
            raise _refuse(name, dim, f"Dimension out of range (expected to be in range of "
                          f"[{-rank}, {rank - 1}])",
                          {name: max(-rank, min(dim, rank - 1))}, code="pl_dim_range",
                          values={"lo": -rank, "hi": rank - 1})
    start, end = m.start_dim % rank, m.end_dim % rank
    if start > end:
        raise _refuse("start_dim", m.start_dim, "flatten() has invalid args: start_dim cannot "
                      "come after end_dim", {"start_dim": 0},
                      code="pl_flatten_order")
    out = (*shape[:start], math.prod(shape[start:end + 1]), *shape[end + 1:])
    spatial_merged = end == rank - 1 and start <= rank - 2
    return Step(out, IDENTITY if spatial_merged or start == end else Window(
        note="not_spatial"), 0, 0)


def _linear(m: nn.Linear, shape: tuple[int, ...]) -> Step:
    if shape[-1] != m.in_features:
        raise _refuse("in_features", m.in_features, f"mat1 and mat2 shapes cannot be multiplied "
                      f"(the input's last size is {shape[-1]})", {"in_features": shape[-1]},
                      code="pl_in_features", values={"features": shape[-1]})
    out = (*shape[:-1], m.out_features)
    return Step(out, IDENTITY, _params(m), math.prod(out) * m.in_features)


def _prelu_channels(m: nn.Module, shape: tuple[int, ...]) -> None:
    """A PReLU with one weight per channel reads the channels at dim 1 (1 for a 1-D input)."""
    if isinstance(m, nn.PReLU) and m.num_parameters != 1:
        channels = shape[1] if len(shape) >= 2 else 1
        if channels != m.num_parameters:
            raise _refuse("num_parameters", m.num_parameters, "Mismatch of parameter numbers "
                          f"and input channel size (the input has {channels} at dim 1)",
                          {"num_parameters": channels}, code="pl_prelu",
                          values={"channels": channels})


def _params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def _pair(v: Any) -> Pair:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def step(index: int, m: nn.Module, shape: tuple[int, ...]) -> Step:
    """Layer ``index`` (module ``m``) on an input of ``shape``.

    Raises:
        StackConfigError: where PyTorch would refuse, naming the layer and the nearest fix.
    """
    kind = type(m).__name__
    try:
        if isinstance(m, nn.Conv2d):
            result = _conv(m, shape)
        elif isinstance(m, nn.ConvTranspose2d):
            result = _conv_transpose(m, shape)
        elif isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
            result = _pool(m, shape)
        elif isinstance(m, nn.AdaptiveAvgPool2d):
            result = _adaptive(m, shape)
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
            result = Step(shape, IDENTITY, _params(m), 0)
        else:
            raise _refuse("layer", kind, "the planner follows only "
                          + ", ".join(SUPPORTED), stage="construct", code="pl_unsupported",
                          values={"layers": ", ".join(SUPPORTED)})
        _bounded(result.output_shape)
    except ConvConfigError as err:
        raise StackConfigError(index, kind, err) from None
    return result
