"""A stack as plain values: one row per layer (a kind and integer arguments), its compact
text form for a link, the modules it builds and the PyTorch code that builds them.

A row is ``(kind, ((key, value), ...))`` with one-letter keys: ``i`` in_channels /
in_features / num_features (inferred from the stack when absent), ``o`` out_channels /
out_features / AdaptiveAvgPool2d's output size / Upsample's size, ``k`` kernel_size, ``s``
stride (Upsample's scale factor), ``p`` padding (an int, a pair, ``'same'`` or ``'valid'``),
``d`` dilation, ``g`` groups, ``q`` output_padding, ``c`` ceil_mode (0 or 1), ``m`` mode
(Conv2d's padding_mode, Upsample's mode), ``b`` bias (0 or 1). ``k``, ``s``, ``p``, ``d``
and ``q`` may be ``(height, width)`` pairs; a square pair is kept as one number.

The link form joins the rows with ``_``, each ``kind.`` and its keys with their values:
``conv.o64k3p1_relu_maxpool.k2s2``; a pair is ``k3x5``, a word is written out (``psame``,
``mreflect``, ``mbilinear``).

A residual block is one row of kind ``res`` whose values are small stacks of single layers
(one level of nesting): ``main`` (its main path, required), ``short`` (the shortcut applied
to the block's input; absent: the identity) and ``after`` (at most one layer applied to the
sum, torchvision's final ReLU). It plans as :class:`~convlab.planner.residual.Residual`.
In a link each stack is a bracketed group, in that order, trailing empty groups left out:
``res(conv.o64k3p1b0_bn_relu_conv.o64k3p1b0_bn)()(relu)``; a ``_`` inside brackets
separates the block's own layers. Every layer inside a block counts toward
:data:`MAX_LAYERS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import torch
from torch import nn

from ..errors import ConvConfigError
from ..shapes import require_groups, require_same_unstrided
from .limits import MAX_LAYERS, StackConfigError, check_input_shape
from .plan import StackPlan, _plan
from .residual import Residual, any_step

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
_WORD = "|".join(sorted({w for ws in WORDS.values() for w in ws}, key=len, reverse=True))
_VALUE = rf"-?\d{{1,6}}(?:x-?\d{{1,6}})?|{_WORD}"
_TOKEN = re.compile(rf"([a-z0-9]+?)(?:\.((?:[a-z](?:{_VALUE}))+))?")
_PAIR = re.compile(rf"([a-z])({_VALUE})")
BLOCK = "res"  # a residual block's row kind
PARTS = ("main", "short", "after")  # its values: stacks of single layers
_BLOCK = re.compile(rf"{BLOCK}((?:\([^()]*\)){{1,3}})")


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
    out = [_check_block(args) if kind == BLOCK else _check_row(kind, args)
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


def _check_block(args: Sequence[tuple[str, Any]]) -> Row:
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


def _text(v: Value) -> str:
    return f"{v[0]}x{v[1]}" if isinstance(v, tuple) else str(v)


def _read(v: str) -> Value:
    if v[0].isalpha():
        return v
    if "x" in v:
        h, w = v.split("x")
        return (int(h), int(w))
    return int(v)


def encode_stack(stack: Sequence[Row]) -> str:
    """The compact form of a stack for a link: ``conv.o64k3p1_relu_maxpool.k2s2``; a block
    is ``res(main)(short)(after)``, trailing empty groups left out.

    >>> encode_stack([("conv", (("o", 64), ("k", 3), ("p", 1))), ("relu", ())])
    'conv.o64k3p1_relu'
    >>> encode_stack([("res", (("main", (("relu", ()), ("bn", ()))), ("after", (("relu", ()),))))])
    'res(relu_bn)()(relu)'
    """
    return "_".join(_encode_block(args) if kind == BLOCK else
                    kind + ("." + "".join(f"{k}{_text(v)}" for k, v in args) if args else "")
                    for kind, args in stack)


def _encode_block(args: Sequence[tuple[str, Any]]) -> str:
    given = dict(args)
    groups = [encode_stack(given.get(part) or ()) for part in PARTS]
    while groups and not groups[-1]:
        groups.pop()
    return BLOCK + "".join(f"({g})" for g in groups)


def decode_stack(text: str) -> Stack:
    """Read :func:`encode_stack`'s form back, checking every cell; raises
    :class:`StackTextError` (a ValueError).

    >>> decode_stack("conv.o64k3p1_relu")
    (('conv', (('o', 64), ('k', 3), ('p', 1))), ('relu', ()))
    >>> decode_stack("conv.o8k1x7psame_upsample.s2mbilinear")[0]
    ('conv', (('o', 8), ('k', (1, 7)), ('p', 'same')))
    >>> decode_stack("res(conv.o8k3p1_relu)(conv.o8k1)")[0][1][1]
    ('short', (('conv', (('o', 8), ('k', 1))),))
    """
    rows: list[Row] = []
    for token in _split(text.strip()):
        if token.startswith(BLOCK + "("):
            match = _BLOCK.fullmatch(token)
            if not match:
                raise StackTextError(f"unreadable block {token[:20]!r}", "brackets", token[:20])
            groups = re.findall(r"\(([^()]*)\)", match.group(1))
            parts = tuple((part, tuple(_rows(g)) if g.strip() else ())
                          for part, g in zip(PARTS, groups, strict=False))
            rows.append((BLOCK, parts))
        else:
            rows.extend(_rows(token))
    return check_stack(rows)


def _split(text: str) -> list[str]:
    """``text`` split at the ``_`` outside brackets; one level of brackets, balanced."""
    if len(text) > 64 * MAX_LAYERS:
        raise StackTextError("a stack's text is too long", "too_many")
    tokens, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "()":
            depth += 1 if ch == "(" else -1
            if depth not in (0, 1):
                raise StackTextError(f"brackets at {i}", "nested" if depth > 1 else "brackets",
                                     text[max(0, i - 10):i + 10])
        elif ch == "_" and depth == 0:
            tokens.append(text[start:i])
            start = i + 1
    if depth:
        raise StackTextError("a bracket left open", "brackets", text[-20:])
    return [*tokens, text[start:]]


def _rows(text: str) -> list[Row]:
    """Single layers joined by ``_`` (no block)."""
    rows: list[Row] = []
    for token in text.strip().split("_"):
        match = _TOKEN.fullmatch(token)
        if not match:
            raise StackTextError(f"unreadable layer {token[:20]!r}", "unreadable", token[:20])
        pairs = _PAIR.findall(match.group(2) or "")
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise StackTextError(f"a key given twice in {token[:20]!r}", "twice", token[:20])
        rows.append((match.group(1), tuple((k, _read(v)) for k, v in pairs)))
    return rows


def decode_path(text: str, part: str = "main") -> Stack:
    """One part of a block as a table cell holds it (``conv.o64k3p1_bn``; empty: ``()``),
    checked as :func:`check_stack` checks a block; raises :class:`StackTextError`.

    >>> decode_path("conv.o128k1s2b0_bn", "short")
    (('conv', (('o', 128), ('k', 1), ('s', 2), ('b', 0))), ('bn', ()))
    """
    text = (text or "").strip()
    if "(" in text or ")" in text:
        raise StackTextError("a block inside a block", "nested", text[:20])
    rows = tuple(_rows(text)) if text else ()
    if any(kind == BLOCK for kind, _ in rows):
        raise StackTextError("a block inside a block", "nested", BLOCK)
    block = _check_block(((part, rows),) if part == "main" else
                         (("main", (("relu", ()),)), (part, rows)))
    return block_parts(block[1]).get(part, ())


def layer_kwargs(kind: str, args: Sequence[tuple[str, Value]],
                 shape: tuple[int, ...]) -> tuple[type[nn.Module], dict[str, Any]]:
    """The module class and its keyword arguments for one row on an input of ``shape``
    (``in_channels``, ``in_features``, ``num_features`` follow the stack unless given)."""
    cls, _, _ = KINDS[kind]
    a = dict(args)
    if kind in ("conv", "convt"):
        kw: dict[str, Any] = {"in_channels": a.get("i", shape[-3] if len(shape) >= 3 else 0),
                              "out_channels": a["o"], "kernel_size": a["k"]}
        kw.update({name: a[key] for key, name in (("s", "stride"), ("p", "padding"),
                                                  ("d", "dilation"), ("g", "groups"),
                                                  ("q", "output_padding"))
                   if key in a})
        if a.get("b", 1) == 0:
            kw["bias"] = False
        if "m" in a:
            kw["padding_mode"] = a["m"]
        return cls, kw
    if kind in ("maxpool", "avgpool"):
        names = {"k": "kernel_size", "s": "stride", "p": "padding", "d": "dilation",
                 "c": "ceil_mode"}
        return cls, {names[key]: bool(v) if key == "c" else v for key, v in a.items()}
    if kind == "adaptive":
        return cls, {"output_size": a["o"]}
    if kind == "bn":
        return cls, {"num_features": a.get("i", shape[1] if len(shape) > 1 else 0)}
    if kind == "upsample":
        names = {"o": "size", "s": "scale_factor", "m": "mode"}
        return cls, {names[key]: v for key, v in a.items()}
    if kind == "linear":
        kw = {"in_features": a.get("i", shape[-1]), "out_features": a["o"]}
        return cls, kw | ({"bias": False} if a.get("b", 1) == 0 else {})
    return cls, {}


def build_layer(index: int, row: Row, shape: tuple[int, ...]) -> nn.Module:
    """Row ``index`` as a module on the meta device (no memory), refusing like PyTorch's
    constructor (groups that do not divide the channels).

    >>> build_layer(0, ("conv", (("o", 8), ("k", 3), ("g", 2))), (1, 4, 8, 8))
    Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), groups=2)
    """
    if row[0] == BLOCK:
        return _build_block(index, row, shape)
    cls, kw = layer_kwargs(row[0], row[1], shape)
    try:
        if "groups" in kw:
            require_groups(kw["groups"], kw["in_channels"], kw["out_channels"])
        if isinstance(kw.get("padding"), str):
            stride = kw.get("stride", 1)
            require_same_unstrided(kw["padding"], stride if isinstance(stride, tuple)
                                   else (stride, stride))
    except ConvConfigError as err:
        raise StackConfigError(index, cls.__name__, err) from None
    if kw.get("in_channels", 1) < 1 or kw.get("num_features", 1) < 1:  # no channels to follow
        name = "in_channels" if "in_channels" in kw else "num_features"
        raise StackConfigError(index, cls.__name__, ConvConfigError(
            name, kw[name], f"{name} must follow a feature map (N, C, H, W)", None,
            code="pl_no_channels"))
    return cls(**kw, **_META.get(cls, {}))


def _build_block(index: int, row: Row, shape: tuple[int, ...]) -> nn.Module:
    """A block row as a :class:`Residual` whose layers' in_channels follow their own path
    (the planner's steps give the shapes); a refusal inside names ``Residual.<layer>``."""
    parts: dict[str, list[nn.Module]] = {}
    for part, rows in block_parts(row[1]).items():
        at = shape if part != "after" else None
        layers: list[nn.Module] = []
        for inner in rows:
            if at is None:  # the sum's shape: the main path's output
                at = _path_shape(parts["main"], shape)
            try:
                layers.append(build_layer(index, inner, at))
            except StackConfigError as err:
                raise StackConfigError(index, f"{BLOCK_NAME}.{err.layer}", err) from None
            at = _after(layers[-1], at)
        parts[part] = layers
    return _residual(parts)


def _residual(parts: dict[str, list[nn.Module]]) -> Residual:
    short, after = parts.get("short"), parts.get("after")
    return Residual(parts["main"], nn.Sequential(*short) if short else None,
                    after[0] if after else None, kind=BLOCK_NAME)


def _path_shape(layers: Sequence[nn.Module], shape: tuple[int, ...]) -> tuple[int, ...]:
    for m in layers:
        shape = _after(m, shape)
    return shape


def _after(m: nn.Module, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape after ``m`` as far as the next layer's inferred in_channels need it: the
    planner's step, or where that refuses (the block's plan names it) the channels only,
    so a block is built once per channel count whatever its input size."""
    try:
        return any_step(0, m, shape).step.output_shape
    except ConvConfigError:
        out = getattr(m, "out_channels", getattr(m, "out_features", None))
        if out is None or len(shape) < 2:
            return shape
        at = -1 if isinstance(m, nn.Linear) else -3 if len(shape) >= 3 else -1
        return (*shape[:at], out, *shape[at:][1:])


def plan_table(stack: Sequence[Row], input_shape: Any, *, partial_plan: bool = True) -> StackPlan:
    """:func:`plan_stack` of a table's rows (checked with :func:`check_stack` first).

    >>> plan = plan_table(decode_stack("conv.o6k5_relu_maxpool.k2s2"), (1, 1, 28, 28))
    >>> plan.output_shape, plan.rows[-1].receptive_field
    ((1, 6, 12, 12), (6, 6))
    """
    return plan_table_modules(stack, input_shape, partial_plan=partial_plan)[0]


def plan_table_modules(stack: Sequence[Row], input_shape: Any, *,
                       partial_plan: bool = True) -> tuple[StackPlan, list[nn.Module]]:
    """:func:`plan_table` and the (meta-device) modules of the rows it planned."""
    rows = check_stack(stack)
    shape = check_input_shape(input_shape)
    built: list[nn.Module] = []

    def build(i: int, row: Row, in_shape: tuple[int, ...]) -> nn.Module:
        built.append(build_layer(i, row, in_shape))
        return built[-1]

    plan = _plan(((i, partial(build, i, r)) for i, r in enumerate(rows)), shape,
                 partial_plan, 4)
    return plan, built[:len(plan.rows)]


def torch_layer(row: Row, shape: tuple[int, ...]) -> nn.Module:
    """Row as PyTorch builds it from the same arguments, unchecked (the oracle's layer), its
    parameters on the meta device."""
    if row[0] == BLOCK:
        parts: dict[str, list[nn.Module]] = {}
        out = shape
        for part, rows in block_parts(row[1]).items():
            at = shape if part != "after" else out
            parts[part] = []
            for inner in rows:
                parts[part].append(torch_layer(inner, at).eval())  # inference shapes
                at = tuple(parts[part][-1](torch.empty(at, device="meta")).shape)
            if part == "main":
                out = at
        return _residual(parts)
    cls, kw = layer_kwargs(row[0], row[1], shape)
    return cls(**kw, **_META.get(cls, {}))


# The layers with parameters, built on the meta device (no memory); a keyword is faster
# than a ``torch.device`` context, which intercepts every call.
_META: dict[type[nn.Module], dict[str, Any]] = {
    cls: {"device": "meta"} for cls in (nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm2d,
                                        nn.Linear)}


def stack_code(stack: Sequence[Row], plan: StackPlan) -> str:
    """A script that builds the stack as ``nn.Sequential`` on the meta device and prints
    every layer's output shape (as :func:`plan_table` lists them) and the parameters.

    After a refusal (``plan.error``) the script stops at the refused layer: the layers
    before it and the refused one, so running it prints the planned shapes and ends with
    PyTorch's own refusal; the layers after it are left out (their inputs are unknown).

    >>> stack = decode_stack("conv.o8k3_relu")
    >>> print(stack_code(stack, plan_table(stack, (1, 3, 8, 8))).splitlines()[6])
            nn.Conv2d(in_channels=3, out_channels=8, kernel_size=3),  # 0
    """
    shapes = [plan.input_shape, *(r.output_shape for r in plan.rows)]
    if plan.error is not None:
        stack = stack[:plan.error.index + 1]
    lines = []
    for i, (kind, args) in enumerate(stack):
        text = _block_code(args, shapes[i]) if kind == BLOCK else _layer_code(
            kind, args, shapes[i])
        lines.append(f"        {text},  # {i}")
    shape = ", ".join(map(str, plan.input_shape))
    blocks = any(kind == BLOCK for kind, _ in stack)
    return "\n".join([
        "import torch",
        "from torch import nn",
        "",
        *(_RESIDUAL_CODE if blocks else []),
        "# The meta device computes shapes without allocating anything.",
        'with torch.device("meta"):',
        "    model = nn.Sequential(",
        *lines,
        "    )",
        f"    x = torch.empty({shape})",
        "for i, layer in enumerate(model):",
        "    x = layer(x)",
        "    print(i, type(layer).__name__, tuple(x.shape))",
        'print("parameters", sum(p.numel() for p in model.parameters()))',
    ])


def _layer_code(kind: str, args: Sequence[tuple[str, Any]], shape: tuple[int, ...]) -> str:
    cls, kw = layer_kwargs(kind, args, shape)
    return f"nn.{cls.__name__}(" + ", ".join(f"{k}={v!r}" for k, v in kw.items()) + ")"


def _block_code(args: Sequence[tuple[str, Any]], shape: tuple[int, ...]) -> str:
    """``Residual(nn.Sequential(...), shortcut, after)``, each layer's in_channels following
    its own path (past a layer that cannot run, the last shape known)."""
    given = block_parts(args)
    out, texts = shape, {}
    for part in PARTS:
        at = shape if part != "after" else out
        layers = []
        for kind, a in given.get(part) or ():
            layers.append(_layer_code(kind, a, at))
            try:
                at = _after(build_layer(0, (kind, a), at), at)
            except ConvConfigError:
                pass
        if part == "main":
            out = at
        texts[part] = layers
    main = "nn.Sequential(" + ", ".join(texts["main"]) + ")"
    short = "nn.Sequential(" + ", ".join(texts["short"]) + ")" if texts["short"] else "None"
    after = texts["after"][0] if texts["after"] else "None"
    return f"Residual({main}, shortcut={short}, after={after})"


_RESIDUAL_CODE = [
    "class Residual(nn.Module):",
    "    def __init__(self, main, shortcut=None, after=None):",
    "        super().__init__()",
    "        self.main, self.shortcut, self.after = main, shortcut, after",
    "",
    "    def forward(self, x):",
    "        out = self.main(x)",
    "        out += x if self.shortcut is None else self.shortcut(x)",
    "        return out if self.after is None else self.after(out)",
    "",
    "",
]
