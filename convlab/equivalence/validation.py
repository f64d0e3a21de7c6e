"""Refusals of the Linear <-> Conv2d rewrites: the layer, the mode and the input shape."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from ..params import _as_int, _nearest_int

Shape3 = tuple[int, int, int]

MODES = ("full", "pointwise")


# ---- validation, once, at the boundary -----------------------------------------------------
def _require_linear(linear: Any) -> nn.Linear:
    if not isinstance(linear, nn.Linear):
        raise ConvConfigError("linear", type(linear).__name__, "linear must be a torch.nn.Linear")
    return linear


def _require_mode(mode: Any) -> str:
    if mode not in MODES:
        raise ConvConfigError("mode", mode, f"mode must be one of {MODES}", {"mode": "full"})
    return str(mode)


def _divisors(n: int) -> list[int]:
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted({*small, *(n // d for d in small)})


def _nearest_shape(shape: tuple[int, ...], n: int) -> Shape3 | None:
    """The ``(C, H, W)`` holding exactly ``n`` values closest to ``shape`` (channels kept if
    possible)."""
    if n <= 0:
        return None
    target = ((1, 1, 1) + tuple(shape))[-3:]  # (H, W) reads as (1, H, W)
    shapes = [(c, h, n // (c * h)) for c in _divisors(n) for h in _divisors(n // c)]
    return min(shapes, key=lambda s: (sum(abs(a - b) for a, b in zip(s, target, strict=True)),
                                      s[0] != target[0], s))


def read_sizes(input_shape: Any, nearest: Callable[[tuple[int, ...]], Any] = tuple
               ) -> tuple[int, ...]:
    """A sequence of sizes as ints; ``nearest(rounded sizes)`` is suggested for non-ints."""
    if not isinstance(input_shape, (tuple, list)):
        raise ConvConfigError("input_shape", input_shape, "input_shape must be (C, H, W)",
                              code="bad_shape")
    try:
        return tuple(_as_int("input_shape", v) for v in input_shape)
    except ConvConfigError as err:
        rounded = tuple(_nearest_int(v) for v in input_shape)
        fit = None if None in rounded else nearest(rounded)  # type: ignore[arg-type]
        raise ConvConfigError("input_shape", tuple(input_shape), err.reason,
                              {"input_shape": fit} if fit else None, code=err.code,
                              values=err.values) from None


def check_input_shape(input_shape: Any, in_features: int) -> Shape3:
    """``input_shape`` as a ``(C, H, W)`` tuple of ints holding ``in_features`` values.

    Raises:
        ConvConfigError: for a shape that is not three positive ints, or whose product is
            not ``in_features``; the nearest shape that fits is suggested.

    >>> check_input_shape([1, 4, 4], 16)
    (1, 4, 4)
    >>> try:
    ...     check_input_shape((1, 3, 3), 16)
    ... except ConvConfigError as err:
    ...     print(err.parameter, err.value, err.suggestion)
    input_shape (1, 3, 3) {'input_shape': (1, 4, 4)}
    """
    shape = read_sizes(input_shape, lambda s: _nearest_shape(s, in_features))
    fit = _nearest_shape(shape, in_features)
    suggestion = {"input_shape": fit} if fit else None
    if len(shape) != 3:
        raise ConvConfigError("input_shape", shape, "input_shape must be (C, H, W), three sizes",
                              suggestion, code="bad_shape")
    if min(shape) <= 0:
        raise ConvConfigError("input_shape", shape, "input sizes must be positive", suggestion,
                              code="not_positive")
    if math.prod(shape) != in_features:
        raise ConvConfigError("input_shape", shape, f"C * H * W must equal the layer's "
                              f"in_features ({in_features}), and {' * '.join(map(str, shape))} "
                              f"= {math.prod(shape)}", suggestion, code="features_mismatch",
                              values={"expected": in_features, "got": math.prod(shape)})
    return shape  # type: ignore[return-value]
