"""Normalise PyTorch's scalar-or-pair arguments once, at the boundary."""

from __future__ import annotations

import operator
from typing import Any

from .errors import ConvConfigError

Pair = tuple[int, int]
PaddingArg = int | tuple[int, int] | str

PADDING_STRINGS = ("same", "valid")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _as_int(name: str, value: Any) -> int:
    """An exact integer, refusing bools and floats (PyTorch would take ``True`` as 1)."""
    if isinstance(value, bool):
        raise ConvConfigError(name, value, f"{name} must be an integer, not a bool",
                              {name: int(value)}, stage="construct")
    try:
        return operator.index(value)
    except TypeError:
        suggestion = None
        if isinstance(value, float) and value == value and abs(value) != float("inf"):
            suggestion = {name: round(value)}
        raise ConvConfigError(name, value, f"{name} must be an integer", suggestion,
                              stage="construct") from None


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
            suggestion = {name: value[0] if len(value) == 1 else tuple(value[:2])} if value else None
            raise ConvConfigError(name, tuple(value),
                                  f"{name} must be an int or a pair (h, w) for a 2-D convolution",
                                  suggestion)
        return (_as_int(name, value[0]), _as_int(name, value[1]))
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
                                  {"padding": "valid"}, stage="construct")
        return value
    return to_pair("padding", value)


def require_positive(name: str, pair: Pair) -> None:
    """Refuse a non-positive entry, suggesting 1 in its place."""
    if min(pair) <= 0:
        fixed = tuple(max(v, 1) for v in pair)
        word = "greater than zero" if name in ("kernel_size", "dilation") else "a positive integer"
        raise ConvConfigError(name, _show(pair), f"{name} must be {word}", {name: _show(fixed)})


def require_non_negative(name: str, pair: Pair) -> None:
    """Refuse a negative entry, suggesting 0 in its place."""
    if min(pair) < 0:
        fixed = tuple(max(v, 0) for v in pair)
        raise ConvConfigError(name, _show(pair), f"{name} must not be negative "
                              "(negative padding is not supported)", {name: _show(fixed)})


def _show(pair: tuple[int, ...]) -> int | tuple[int, ...]:
    """Print a square pair as one number, as a user would type it."""
    return pair[0] if len(set(pair)) == 1 else tuple(pair)
