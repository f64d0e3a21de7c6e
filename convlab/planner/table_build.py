"""Building from a stack's rows: its modules (on the meta device), its plan and the
PyTorch code that builds it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import torch
from torch import nn

from ..errors import ConvConfigError
from ..shapes import require_groups, require_same_unstrided
from .limits import StackConfigError, check_input_shape
from .plan import StackPlan, _plan
from .residual import Residual, any_step
from .table import BLOCK, BLOCK_NAME, KINDS, PARTS, Row, Value, block_parts, check_stack


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

    >>> from convlab.planner.table_link import decode_stack
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

    >>> from convlab.planner.table_link import decode_stack
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
