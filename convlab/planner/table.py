"""A stack as plain values: the row model (one row per layer, a kind and its arguments)
and the checks of its cells.

A row is ``(kind, ((key, value), ...))`` with one-letter keys: ``i`` in_channels /
in_features / num_features (inferred from the stack when absent), ``o`` out_channels /
out_features / AdaptiveAvgPool2d's output size / Upsample's size, ``k`` kernel_size, ``s``
stride (Upsample's scale factor), ``p`` padding (an int, a pair, ``'same'`` or ``'valid'``),
``d`` dilation, ``g`` groups, ``q`` output_padding, ``c`` ceil_mode (0 or 1), ``m`` mode
(Conv2d's padding_mode, Upsample's mode), ``b`` bias (0 or 1). ``k``, ``s``, ``p``, ``d``
and ``q`` may be ``(height, width)`` pairs; a square pair is kept as one number.

A residual block is one row of kind ``res`` whose values are small stacks of single layers
(one level of nesting): ``main`` (its main path, required), ``short`` (the shortcut applied
to the block's input; absent: the identity) and ``after`` (at most one layer applied to the
sum, torchvision's final ReLU). It plans as :class:`~convlab.planner.residual.Residual`.
Every layer inside a block counts toward :data:`MAX_LAYERS`. A stack's link form is in
:mod:`convlab.planner.table_link`, its modules and code in :mod:`convlab.planner.table_build`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from torch import nn

from .limits import MAX_LAYERS

BLOCK_NAME = "Residual"  # a block row's layer name (its module's class)

Value = int | tuple[int, int] | str | tuple[Any, ...]  # a block's values are stacks
Row = tuple[str, tuple[tuple[str, Value], ...]]
Stack = tuple[Row, ...]

KEYS = ("i", "o", "k", "s", "p", "d", "g", "q", "c", "m", "b")
PAIRED = "kspdq"  # the keys that take an (h, w) pair
FLAGS = "bc"  # the keys that are 0 or 1
# kind -> (module, the keys it takes, the keys it needs)
KINDS: dict[str, tuple[type[nn.Module], str, str]] = {
    "conv": (nn.Conv2d, "iokspdgmb", "ok"),
    "convt": (nn.ConvTranspose2d, "iokspdgqb", "ok"),
    "maxpool": (nn.MaxPool2d, "kspdc", "k"),
    "avgpool": (nn.AvgPool2d, "kspc", "k"),
    "adaptive": (nn.AdaptiveAvgPool2d, "o", "o"),
    "bn": (nn.BatchNorm2d, "i", ""),
    "relu": (nn.ReLU, "", ""),
    "relu6": (nn.ReLU6, "", ""),
    "lrelu": (nn.LeakyReLU, "", ""),
    "gelu": (nn.GELU, "", ""),
    "silu": (nn.SiLU, "", ""),
    "sigmoid": (nn.Sigmoid, "", ""),
    "tanh": (nn.Tanh, "", ""),
    "dropout": (nn.Dropout, "", ""),
    "upsample": (nn.Upsample, "som", ""),  # a scale factor or a size: one of the two
    "flatten": (nn.Flatten, "", ""),
    "linear": (nn.Linear, "iob", "o"),
}
# The words a key takes, per kind (PyTorch's own spelling).
WORDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("conv", "p"): ("same", "valid"),
    ("conv", "m"): ("zeros", "reflect", "replicate", "circular"),
    ("upsample", "m"): ("nearest", "bilinear", "bicubic"),
}
# The table's bounds, per key (inclusive): sizes a server plans in microseconds.
BOUNDS = {"i": (1, 16384), "o": (1, 16384), "k": (1, 64), "s": (1, 64), "p": (0, 64),
          "d": (1, 16), "g": (1, 16384), "q": (0, 63), "c": (0, 1), "b": (0, 1)}
UPSAMPLE_MAX = 8
ADAPTIVE_MAX = 1024
BLOCK = "res"  # a residual block's row kind
PARTS = ("main", "short", "after")  # its values: stacks of single layers


class StackTextError(ValueError):
    """Why a stack cannot be used: ``code`` (an identifier: ``"unreadable"``, ``"twice"``,
    ``"nested"``, ``"brackets"``, ``"empty"``, ``"too_many"``, ``"one_layer"`` or a
    :func:`cell_problem`), the ``token`` or ``kind`` and ``key`` it concerns."""

    def __init__(self, message: str, code: str, token: str = "", key: str = "") -> None:
        super().__init__(message)
        self.code, self.token, self.key = code, token, key


def cell_problem(kind: Any, key: str, value: Any) -> str | None:
    """Why a table cell cannot be used, as an identifier (``"unknown_kind"``,
    ``"not_integer"``, ``"not_a_choice"``, ``"out_of_range"``, ``"required"``, ``"unused"``),
    else ``None``. A value is an int, an ``(h, w)`` pair of ints (for ``k s p d q``) or one
    of the words the key takes (:data:`WORDS`).

    >>> [cell_problem(kind, "k", v) for kind, v in (("conv", 0), ("conv", None), ("relu", 2))]
    ['out_of_range', 'required', 'unused']
    >>> [cell_problem("conv", k, v) for k, v in (("k", (3, 5)), ("p", "same"), ("m", "up"))]
    [None, None, 'not_a_choice']
    """
    if kind not in KINDS:
        return "unknown_kind"
    _, takes, needs = KINDS[kind]
    if value is None:
        return "required" if key in needs else None
    if key not in takes:
        return "unused"
    words = WORDS.get((kind, key), ())
    if isinstance(value, str):
        return None if value in words else ("not_a_choice" if words else "not_integer")
    if key == "m":
        return "not_a_choice"
    parts = value if isinstance(value, tuple) and len(value) == 2 and key in PAIRED else (
        value,)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in parts):
        return "not_integer"
    lo, hi = bounds(kind, key)
    return None if all(lo <= v <= hi for v in parts) else "out_of_range"


def row_problem(kind: str, args: Sequence[tuple[str, Any]]) -> str | None:
    """Why a row's settings together cannot be used (``"scale_or_size"``: an Upsample
    needs its scale factor ``s`` or its size ``o``), else ``None``."""
    given = {k for k, v in args if v is not None}
    if kind == "upsample" and not given & {"s", "o"}:
        return "scale_or_size"
    return None


def bounds(kind: str, key: str) -> tuple[int, int]:
    """The inclusive range of ``key`` for a layer of ``kind``."""
    if kind == "upsample" and key == "s":
        return (1, UPSAMPLE_MAX)
    if kind == "upsample" and key == "o":
        return (1, ADAPTIVE_MAX)
    return (1, ADAPTIVE_MAX) if kind == "adaptive" else BOUNDS[key]


def normal(value: Value) -> Value:
    """A square pair as one number, as PyTorch prints a setting and a user types it."""
    if isinstance(value, tuple) and value[0] == value[1]:
        return value[0]
    return value


def check_stack(stack: Sequence[Row]) -> Stack:
    """The stack as a tuple, every cell checked; raises :class:`StackTextError` (a
    ValueError) naming the first bad one.

    >>> check_stack([("conv", (("o", 8), ("k", 3)))])
    (('conv', (('o', 8), ('k', 3))),)
    >>> check_stack([("res", (("main", (("relu", ()),)),))])
    (('res', (('main', (('relu', ()),)),)),)
    """
    if not 1 <= len(stack) <= MAX_LAYERS:
        raise StackTextError(f"a stack has 1 to {MAX_LAYERS} layers", "too_many")
    out = [check_block(args) if kind == BLOCK else _check_row(kind, args)
           for kind, args in stack]
    if layer_count(out) > MAX_LAYERS:
        raise StackTextError(f"a stack has 1 to {MAX_LAYERS} layers (a block's counted)",
                             "too_many")
    return tuple(out)


def layer_count(stack: Sequence[Row]) -> int:
    """The layers of a stack, a block's own layers counted (not the block)."""
    return sum(sum(len(v) for v in block_parts(args).values()) if kind == BLOCK else 1
               for kind, args in stack)


def block_parts(args: Sequence[tuple[str, Any]]) -> dict[str, Stack]:
    """A block row's parts by name (``main``, ``short``, ``after``); absent ones left out."""
    return {part: tuple(rows) for part, rows in args if part in PARTS}


def _check_row(kind: str, args: Sequence[tuple[str, Any]]) -> Row:
    given = dict(args)
    if not given.keys() <= set(KEYS):
        raise StackTextError(f"{kind}: unknown keys {sorted(given.keys() - set(KEYS))}",
                             "unused", kind, sorted(given.keys() - set(KEYS))[0])
    for key in KEYS:
        problem = cell_problem(kind, key, given.get(key))
        if problem:
            raise StackTextError(f"{kind}.{key}: {problem}", problem, kind, key)
    problem = row_problem(kind, tuple(args))
    if problem:
        raise StackTextError(f"{kind}: {problem}", problem, kind)
    return (kind, tuple((k, normal(v if isinstance(v, str) else _ints(v))) for k, v in args))


def check_block(args: Sequence[tuple[str, Any]]) -> Row:
    """A block row: ``main`` (1 or more layers), ``short`` and ``after`` (at most one layer),
    each a stack of single layers; empty parts are left out."""
    given = dict(args)
    if not given.keys() <= set(PARTS) or len(given) != len(args):
        raise StackTextError(f"{BLOCK}: its parts are {PARTS}", "unused", BLOCK)
    out = []
    for part in PARTS:
        rows = tuple(given.get(part) or ())
        if not rows:
            if part == "main":
                raise StackTextError(f"{BLOCK}.main: a main path has 1 layer or more", "empty",
                                     BLOCK, part)
            continue
        if len(rows) > MAX_LAYERS:
            raise StackTextError(f"{BLOCK}.{part}: too many layers", "too_many", BLOCK, part)
        if part == "after" and len(rows) > 1:
            raise StackTextError(f"{BLOCK}.after: one layer after the sum", "one_layer",
                                 BLOCK, part)
        if any(kind == BLOCK for kind, _ in rows):
            raise StackTextError(f"{BLOCK}.{part}: a block inside a block", "nested", BLOCK,
                                 part)
        out.append((part, tuple(_check_row(kind, a) for kind, a in rows)))
    return (BLOCK, tuple(out))


def _ints(v: Any) -> int | tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, tuple) else int(v)

