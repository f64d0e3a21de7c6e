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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from ..shapes import require_groups, require_same_unstrided
from .limits import MAX_LAYERS, StackConfigError, check_input_shape
from .plan import StackPlan, _plan

Value = int | tuple[int, int] | str
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
    """The stack as a tuple, every cell checked; raises ValueError naming the first bad one.

    >>> check_stack([("conv", (("o", 8), ("k", 3)))])
    (('conv', (('o', 8), ('k', 3))),)
    """
    if not 1 <= len(stack) <= MAX_LAYERS:
        raise ValueError(f"a stack has 1 to {MAX_LAYERS} layers")
    out = []
    for kind, args in stack:
        given = dict(args)
        if not given.keys() <= set(KEYS):
            raise ValueError(f"{kind}: unknown keys {sorted(given.keys() - set(KEYS))}")
        for key in KEYS:
            problem = cell_problem(kind, key, given.get(key))
            if problem:
                raise ValueError(f"{kind}.{key}: {problem}")
        problem = row_problem(kind, tuple(args))
        if problem:
            raise ValueError(f"{kind}: {problem}")
        out.append((kind, tuple((k, normal(v if isinstance(v, str) else _ints(v)))
                                for k, v in args)))
    return tuple(out)


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
    """The compact form of a stack for a link: ``conv.o64k3p1_relu_maxpool.k2s2``.

    >>> encode_stack([("conv", (("o", 64), ("k", 3), ("p", 1))), ("relu", ())])
    'conv.o64k3p1_relu'
    """
    return "_".join(kind + ("." + "".join(f"{k}{_text(v)}" for k, v in args) if args else "")
                    for kind, args in stack)


def decode_stack(text: str) -> Stack:
    """Read :func:`encode_stack`'s form back, checking every cell; raises ValueError.

    >>> decode_stack("conv.o64k3p1_relu")
    (('conv', (('o', 64), ('k', 3), ('p', 1))), ('relu', ()))
    >>> decode_stack("conv.o8k1x7psame_upsample.s2mbilinear")[0]
    ('conv', (('o', 8), ('k', (1, 7)), ('p', 'same')))
    """
    rows: list[Row] = []
    for token in text.strip().split("_"):
        match = _TOKEN.fullmatch(token)
        if not match:
            raise ValueError(f"unreadable layer {token[:20]!r}")
        pairs = _PAIR.findall(match.group(2) or "")
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"a key given twice in {token[:20]!r}")
        rows.append((match.group(1), tuple((k, _read(v)) for k, v in pairs)))
    return check_stack(rows)


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
        cls, kw = layer_kwargs(kind, args, shapes[i])
        text = ", ".join(f"{k}={v!r}" for k, v in kw.items())
        lines.append(f"        nn.{cls.__name__}({text}),  # {i}")
    shape = ", ".join(map(str, plan.input_shape))
    return "\n".join([
        "import torch",
        "from torch import nn",
        "",
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
