"""Normalise PyTorch's scalar-or-pair arguments once, at the boundary."""

from __future__ import annotations

import math
import operator
from typing import Any

from .errors import ConvConfigError

Pair = tuple[int, int]

PADDING_STRINGS = ("same", "valid")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# nn.Conv2d builds its weight from these when it is constructed; the others are first
# read when the layer is called, so that is where PyTorch refuses a bad one.
_READ_AT_CONSTRUCTION = ("in_channels", "out_channels", "kernel_size", "groups")


def _nearest_int(value: Any) -> int | None:
    """The integer a user most likely meant (``True`` -> 1, ``2.6`` -> 3), else ``None``."""
    if isinstance(value, float):
        return round(value) if math.isfinite(value) else None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _as_int(name: str, value: Any) -> int:
    """An exact integer, refusing bools and floats (PyTorch would take ``True`` as 1)."""
    stage = "construct" if name in _READ_AT_CONSTRUCTION else "forward"
    nearest = _nearest_int(value)
    suggestion = None if nearest is None else {name: nearest}
    if isinstance(value, bool):
        raise ConvConfigError(name, value, f"{name} must be an integer, not a bool",
                              suggestion, stage=stage, code="int_not_bool")
    try:
        return operator.index(value)
    except TypeError:
        raise ConvConfigError(name, value, f"{name} must be an integer", suggestion,
                              stage=stage, code="not_int") from None


def to_pair(name: str, value: Any) -> Pair:
    """Turn an int or an ``(h, w)`` pair into an ``(h, w)`` tuple of ints.

    Unlike ``torch.nn.modules.utils._pair`` it refuses sequences of the wrong length
    instead of letting the layer fail later with a confusing message.

    Args:
        name: the argument's name, used in the error message.
        value: an int or a length-2 sequence of ints.

    Returns:
        ``(h, w)``.

    Raises:
        ConvConfigError: for non-integers or a sequence whose length is not 2.

    >>> to_pair("kernel_size", 3)
    (3, 3)
    >>> to_pair("stride", (3, 4))
    (3, 4)
    """
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            suggestion = ({name: value[0] if len(value) == 1 else tuple(value[:2])}
                          if value else None)
            raise ConvConfigError(name, tuple(value),
                                  f"{name} must be an int or a pair (h, w) for a 2-D convolution",
                                  suggestion, code="not_int_or_tuple", values={"dims": 2})
        try:
            return (_as_int(name, value[0]), _as_int(name, value[1]))
        except ConvConfigError as err:
            # Suggest the whole pair, so that applying it keeps the good axis as it was.
            fixed = tuple(_nearest_int(v) for v in value)
            suggestion = None if None in fixed else {name: _show(fixed)}  # type: ignore[arg-type]
            raise ConvConfigError(name, tuple(value), err.reason, suggestion,
                                  stage=err.stage, code=err.code, values=err.values) from None
    v = _as_int(name, value)
    return (v, v)


def to_padding(value: Any) -> Pair | str:
    """Normalise ``padding``: ``'same'``/``'valid'`` stay strings, numbers become a pair.

    >>> to_padding("valid"), to_padding(1), to_padding((2, 1))
    ('valid', (1, 1), (2, 1))
    """
    if isinstance(value, str):
        if value not in PADDING_STRINGS:
            raise ConvConfigError("padding", value,
                                  "padding must be an int, a pair, 'same' or 'valid'",
                                  {"padding": "valid"}, stage="construct", code="bad_padding")
        return value
    return to_pair("padding", value)


def require_positive(name: str, pair: Pair) -> None:
    """Refuse a non-positive entry, suggesting 1 in its place."""
    if min(pair) <= 0:
        fixed = tuple(max(v, 1) for v in pair)
        word = "greater than zero" if name in ("kernel_size", "dilation") else "a positive integer"
        # nn.Conv2d allocates its weight at construction: a negative kernel fails there,
        # a zero one (an empty weight) only when the layer is called.
        stage = "construct" if name == "kernel_size" and min(pair) < 0 else "forward"
        raise ConvConfigError(name, _show(pair), f"{name} must be {word}", {name: _show(fixed)},
                              stage=stage, code="not_positive")


def require_non_negative(name: str, pair: Pair, least: Pair = (0, 0)) -> None:
    """Refuse a negative entry, suggesting ``least`` (0 unless more is needed) in its place."""
    if min(pair) < 0:
        fixed = tuple(max(lo, 0) if v < 0 else v for v, lo in zip(pair, least, strict=True))
        raise ConvConfigError(name, _show(pair), f"{name} must not be negative "
                              "(negative padding is not supported)", {name: _show(fixed)},
                              code="negative")


def _show(pair: tuple[int, ...]) -> int | tuple[int, ...]:
    """Print a square pair as one number, as a user would type it."""
    return pair[0] if len(set(pair)) == 1 else tuple(pair)
