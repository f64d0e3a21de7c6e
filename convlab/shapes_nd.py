"""Output-size arithmetic for 1, 2 or 3 spatial dimensions: ``nn.Conv1d``, ``nn.Conv2d``,
``nn.Conv3d``.

The formula holds for each axis alone, so every axis is one :class:`AxisArithmetic` and
every refusal is the 2-D one (``shapes``, ``params``) asked of a tuple of ``dims`` entries.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .errors import ConvConfigError
from .params import PADDING_MODES, PADDING_STRINGS, _as_int, _nearest_int, _show
from .shapes import (
    AxisArithmetic,
    _require_window_fits,
    require_groups,
)

DIMS = (1, 2, 3)
# What each spatial dimension is called, as PyTorch's docs name the input: (N, C, L),
# (N, C, H, W), (N, C, D, H, W).
AXIS_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def to_tuple(name: str, value: Any, dims: int) -> tuple[int, ...]:
    """An int or a sequence of ``dims`` ints as a ``dims``-tuple (a wrong length refused).

    >>> to_tuple("kernel_size", 3, 3), to_tuple("stride", (2,), 1)
    ((3, 3, 3), (2,))
    """
    if isinstance(value, (list, tuple)):
        if len(value) != dims:
            suggestion = {name: value[0]} if value else None
            raise ConvConfigError(name, tuple(value), f"{name} must be an int or a tuple of "
                                  f"{dims} ints for a {dims}-D convolution", suggestion,
                                  code="not_int_or_tuple", values={"dims": dims})
        fixed = tuple(_nearest_int(v) for v in value)
        try:
            return tuple(_as_int(name, v) for v in value)
        except ConvConfigError as err:
            raise ConvConfigError(name, tuple(value), err.reason,
                                  None if None in fixed else {name: _show(fixed)},  # type: ignore[arg-type]
                                  stage=err.stage, code=err.code, values=err.values) from None
    return (_as_int(name, value),) * dims


def applied_padding_nd(padding: Any, kernel_size: tuple[int, ...],
                       dilation: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The zeros added before and after on each axis (``'same'``: the odd cell after).

    >>> applied_padding_nd("same", (4, 3, 2), (1, 1, 1))
    ((1, 2), (1, 1), (0, 1))
    """
    if padding == "valid":
        return tuple((0, 0) for _ in kernel_size)
    if padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel_size, dilation, strict=True)]
        return tuple((t // 2, t - t // 2) for t in totals)
    return tuple((p, p) for p in padding)


def explain_conv_nd(dims: int, input_size: Sequence[int], kernel_size: Any, stride: Any = 1,
                    padding: Any = 0, dilation: Any = 1, *, in_channels: int = 1,
                    out_channels: int = 1, groups: int = 1,
                    padding_mode: str = "zeros") -> tuple[AxisArithmetic, ...]:
    """Validate an ``nn.Conv{dims}d`` and an input of spatial size ``input_size`` like
    PyTorch, and return each axis's arithmetic.

    Raises:
        ConvConfigError: exactly where ``nn.Conv1d`` / ``nn.Conv2d`` / ``nn.Conv3d`` refuses
            (at construction or at the first call), naming the nearest valid setting.

    A second of 16 kHz audio through a stride-2 kernel of 3, and a video clip:

    >>> [a.output for a in explain_conv_nd(1, (16000,), 3, stride=2, padding=1)]
    [8000]
    >>> [a.output for a in explain_conv_nd(3, (8, 32, 32), 3, padding=1)]
    [8, 32, 32]
    """
    if dims not in DIMS:
        raise ConvConfigError("dims", dims, "a convolution has 1, 2 or 3 spatial dimensions",
                              {"dims": min(max(_nearest_int(dims) or 2, 1), 3)}, code="bad_dims")
    k = to_tuple("kernel_size", kernel_size, dims)
    s = to_tuple("stride", stride, dims)
    d = to_tuple("dilation", dilation, dims)
    pad: tuple[int, ...] | str
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ConvConfigError("padding", padding, "padding must be an int, a tuple, "
                                  "'same' or 'valid'", {"padding": "valid"}, stage="construct",
                                  code="bad_padding")
        pad = padding
    else:
        pad = to_tuple("padding", padding, dims)
    # nn.Conv*d.__init__'s checks, in its order.
    require_groups(groups, in_channels, out_channels)
    if pad == "same" and any(v != 1 for v in s):
        raise ConvConfigError("padding", "same", "padding='same' is not supported for strided "
                              "convolutions (stride must be 1)", {"stride": 1},
                              stage="construct", code="same_strided")
    if padding_mode not in PADDING_MODES:
        raise ConvConfigError("padding_mode", padding_mode,
                              f"padding_mode must be one of {PADDING_MODES}",
                              {"padding_mode": "zeros"}, stage="construct",
                              code="one_of", values={"choices": ", ".join(PADDING_MODES)})
    _positive("kernel_size", k, "greater than zero",
              "construct" if min(k) < 0 else "forward")
    _positive("stride", s, "a positive integer", "forward")
    _positive("dilation", d, "greater than zero", "forward")
    size = tuple(int(v) for v in input_size)
    if len(size) != dims or min(size) <= 0:
        raise ConvConfigError("input_size", _show(size), f"a {dims}-D convolution needs "
                              f"{dims} positive input sizes",
                              {"input_size": _show(tuple(max(v, 1) for v in size[:dims]))},
                              code="input_sizes", values={"dims": dims})
    # Only zeros padding refuses a negative amount: the other modes pad with F.pad, which
    # crops instead.
    if isinstance(pad, tuple) and min(pad) < 0 and padding_mode == "zeros":
        least = [max(0, -(-(di * (ki - 1) + 1 - n) // 2)) for n, ki, di in zip(size, k, d,
                                                                               strict=True)]
        fixed = tuple(max(lo, 0) if v < 0 else v for v, lo in zip(pad, least, strict=True))
        raise ConvConfigError("padding", _show(pad), "padding must not be negative (negative "
                              "padding is not supported)", {"padding": _show(fixed)},
                              code="negative")
    pads = applied_padding_nd(pad, k, d)
    axes = tuple(AxisArithmetic(size[i], k[i], s[i], d[i], *pads[i]) for i in range(dims))
    if padding_mode != "zeros":
        _require_padding_mode_fits(padding_mode, size, pads, pad)
    _require_window_fits(axes, pad if isinstance(pad, str) else pad)  # type: ignore[arg-type]
    return axes


def conv_nd_output_shape(dims: int, input_shape: Sequence[int], kernel_size: Any,
                         stride: Any = 1, padding: Any = 0, dilation: Any = 1, *,
                         out_channels: int = 1, groups: int = 1,
                         padding_mode: str = "zeros") -> tuple[int, ...]:
    """The shape ``nn.Conv{dims}d`` returns for ``(N, C_in, *sizes)``.

    >>> conv_nd_output_shape(3, (1, 3, 8, 32, 32), 3, padding=1, out_channels=16)
    (1, 16, 8, 32, 32)
    """
    shape = tuple(input_shape)
    axes = explain_conv_nd(dims, shape[2:], kernel_size, stride, padding, dilation,
                           in_channels=shape[1], out_channels=out_channels, groups=groups,
                           padding_mode=padding_mode)
    return (shape[0], out_channels, *(a.output for a in axes))


def weight_shape_nd(in_channels: int, out_channels: int, groups: int,
                    kernel: Sequence[int]) -> tuple[int, ...]:
    """``(out_channels, in_channels // groups, *kernel)``.

    >>> weight_shape_nd(3, 16, 1, (3, 3, 3))
    (16, 3, 3, 3, 3)
    """
    return (out_channels, in_channels // groups, *kernel)


def num_parameters_nd(in_channels: int, out_channels: int, groups: int,
                      kernel: Sequence[int], bias: bool) -> int:
    """Weights plus (with ``bias``) one bias per output channel, as
    ``sum(p.numel() for p in nn.ConvNd(...).parameters())`` counts them.

    >>> num_parameters_nd(3, 16, 1, (3, 3, 3), bias=True)
    1312
    """
    return math.prod(weight_shape_nd(in_channels, out_channels, groups, kernel)) + (
        out_channels if bias else 0)


def macs_nd(in_channels: int, groups: int, kernel: Sequence[int],
            output_shape: Sequence[int]) -> int:
    """Multiply-accumulates of one forward pass (bias additions not counted)."""
    return math.prod(output_shape) * (in_channels // groups) * math.prod(kernel)


def _positive(name: str, values: tuple[int, ...], word: str, stage: str) -> None:
    if min(values) <= 0:
        raise ConvConfigError(name, _show(values), f"{name} must be {word}",
                              {name: _show(tuple(max(v, 1) for v in values))}, stage=stage,
                              code="not_positive")


def _require_padding_mode_fits(mode: str, size: tuple[int, ...],
                               pads: tuple[tuple[int, int], ...], pad: Any) -> None:
    """Reflect padding must be smaller than the input; circular at most the input."""
    reflect = mode == "reflect"
    too_far = any(p >= n if reflect else p > n
                  for n, pp in zip(size, pads, strict=True) for p in pp)
    if mode not in ("reflect", "circular") or not too_far:
        return
    fit = tuple(min(max(pp), n - 1 if reflect else n) for n, pp in zip(size, pads, strict=True))
    why = ("reflect padding must be smaller than the input on every side" if reflect else
           "circular padding wraps around more than once: it may be at most the input size")
    raise ConvConfigError("padding", _show(tuple(max(pp) for pp in pads)),
                          f"{why} ({' x '.join(map(str, size))})",
                          {"padding": _show(fit)} if pad != "same" else {"padding_mode": "zeros"},
                          code="reflect_too_far" if reflect else "circular_too_far",
                          values={"size": " × ".join(map(str, size))})
