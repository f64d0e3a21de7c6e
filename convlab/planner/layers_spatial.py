"""The layers that slide a window on a feature map: convolutions (transposed too), pooling
and adaptive pooling, each one's output shape, window and cost or PyTorch's refusal."""

from __future__ import annotations

import math
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from ..params import Pair, _show
from ..pooling.sizes import PoolAxis
from ..shapes import explain_output_size
from .layer_step import Step, Window, param_count, refuse
from .limits import MAX_SIZE


def _spatial(shape: tuple[int, ...], op: str) -> Pair:
    if len(shape) not in (3, 4):
        raise refuse("input", list(shape), f"Expected 3D (unbatched) or 4D (batched) input "
                      f"to {op}, but got input of size: {list(shape)}",
                      code="pl_rank", values={"op": op, "shape": list(shape)})
    return (shape[-2], shape[-1])


def _require_channels(name: str, expected: int, shape: tuple[int, ...]) -> None:
    if shape[-3] != expected:
        raise refuse(name, expected, f"{name} must equal the channels of the input "
                      f"{list(shape)}", {name: shape[-3]}, code="pl_channels",
                      values={"shape": list(shape), "channels": shape[-3]})


def conv_step(m: nn.Conv2d, shape: tuple[int, ...]) -> Step:
    size = _spatial(shape, "conv2d")
    _require_channels("in_channels", m.in_channels, shape)
    pad = m.padding if isinstance(m.padding, str) else tuple(m.padding)
    try:
        h, w = explain_output_size(size, m.kernel_size, m.stride, pad, m.dilation)
    except ConvConfigError as err:
        least = tuple(max(1, a.effective_kernel - a.pad_before - a.pad_after) for a in
                      explain_output_size(MAX_SIZE, m.kernel_size, m.stride, pad, m.dilation))
        fix = {**(err.suggestion or {}), "input_size": _show(least)}  # type: ignore[arg-type]
        raise refuse(err.parameter, err.value, err.reason, fix, err.stage, code=err.code,
                      values=err.values) from None
    _require_pad_mode(m.padding_mode, size, ((h.pad_before, h.pad_after),
                                             (w.pad_before, w.pad_after)))
    out = (*shape[:-3], m.out_channels, h.output, w.output)
    macs = math.prod(out) * (m.in_channels // m.groups) * math.prod(m.kernel_size)
    return Step(out, Window((h.effective_kernel, w.effective_kernel), (h.stride, w.stride),
                           (h.pad_before, w.pad_before)), param_count(m), macs)


def _require_pad_mode(mode: str, size: Pair, pads: tuple[Pair, Pair]) -> None:
    """PyTorch's F.pad: a reflection must be shorter than the side it mirrors, a circular
    padding may wrap around at most once."""
    if mode not in ("reflect", "circular"):
        return
    reach = tuple(max(p) for p in pads)
    fits = all(r < n if mode == "reflect" else r <= n for r, n in zip(reach, size, strict=True))
    if not fits:
        top = tuple(n - 1 if mode == "reflect" else n for n in size)
        raise refuse("padding_mode", mode, f"{mode} padding of {list(reach)} does not fit "
                      f"the input {list(size)} (at most {list(top)})",
                      {"padding_mode": "zeros", "input_size": _show(tuple(
                          r + 1 if mode == "reflect" else r for r in reach))},  # type: ignore[arg-type]
                      code=f"pl_pad_{mode}", values={"pad": list(reach), "size": list(size)})


def conv_transpose_step(m: nn.ConvTranspose2d, shape: tuple[int, ...]) -> Step:
    size = _spatial(shape, "conv_transpose2d")
    _require_channels("in_channels", m.in_channels, shape)
    k, s, p, d, op = (_pair(v) for v in (m.kernel_size, m.stride, m.padding, m.dilation,
                                         m.output_padding))
    if any(op[i] >= max(s[i], d[i]) for i in range(2)):
        top = tuple(min(op[i], max(s[i], d[i]) - 1) for i in range(2))
        raise refuse("output_padding", _show(op), "output padding must be smaller than "
                      f"either stride {_show(s)} or dilation {_show(d)}",
                      {"output_padding": _show(top)},  # type: ignore[arg-type]
                      code="pl_output_padding", values={"stride": _show(s), "dilation": _show(d)})
    out_hw = tuple((n - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + op[i] + 1
                   for i, n in enumerate(size))
    if min(out_hw) <= 0:
        least = tuple(max(0, (n - 1) * s[i] + d[i] * (k[i] - 1) + op[i]) // 2
                      for i, n in enumerate(size))
        raise refuse("padding", _show(p), f"Given input size per channel: {list(size)}, the "
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
    return Step(out, window, param_count(m), macs)


def pool_step(m: nn.MaxPool2d | nn.AvgPool2d, shape: tuple[int, ...]) -> Step:
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
        raise refuse("padding", _show(p), "pad should be at most half of kernel size",
                      {"padding": _show(half)},  # type: ignore[arg-type]
                      code="pl_pool_pad", values={"kernel": _show(k)})
    # pooling's window count (the ceil_mode rule included) is written once, in convlab.pooling
    out_hw = tuple(PoolAxis(size[i], k[i], s[i], p[i], d[i], m.ceil_mode).output
                   for i in range(2))
    if min(out_hw) <= 0:
        least = tuple(max(0, -(-(eff[i] - size[i]) // 2)) for i in range(2))
        raise refuse("kernel_size", _show(k), f"Given input size: {list(size)}. Calculated "
                      f"output size: {list(out_hw)}. Output size is too small",
                      {"input_size": _show(tuple(max(size[i], eff[i] - 2 * p[i])
                                                 for i in range(2))),
                       "padding": _show(least)},  # type: ignore[arg-type]
                      code="pl_too_small", values={"size": list(size), "out": list(out_hw)})
    return Step((*shape[:-2], *out_hw), Window(eff, s, p), 0, 0)  # type: ignore[arg-type]


def adaptive_step(m: nn.AdaptiveAvgPool2d, shape: tuple[int, ...]) -> Step:
    # PyTorch 2.13 also returns the mean of the last two dims of an input of any rank from 2
    # up when output_size is 1 (a shortcut that skips the rank check every other output size
    # makes): refused here as for every other size, and the oracle counts it as a refusal.
    if len(shape) not in (3, 4):
        raise refuse("input", list(shape), "adaptive_avg_pool2d(): Expected 3D or 4D "
                      "tensor", code="pl_rank_adaptive", values={"shape": list(shape)})
    size = (shape[-2], shape[-1])
    want: Any = m.output_size
    want = want if isinstance(want, (tuple, list)) else (want, want)
    out = tuple(size[i] if want[i] is None else int(want[i]) for i in range(2))
    if min(out) <= 0:
        raise refuse("output_size", _show(out), "output_size must be positive",  # type: ignore[arg-type]
                      {"output_size": 1}, code="not_positive")
    if all(n % o == 0 for n, o in zip(size, out, strict=True)):  # even windows: a pooling
        k = tuple(n // o for n, o in zip(size, out, strict=True))
        window = Window(k, k, (0, 0))  # type: ignore[arg-type]
    else:
        window = Window(note="adaptive")
    return Step((*shape[:-2], *out), window, 0, 0)



def _pair(v: Any) -> Pair:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))

