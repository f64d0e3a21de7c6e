"""A model as text, to the layers the planner plans: what ``print(model)`` shows or the
``nn.Sequential(...)`` source, never executed.

Both forms are read into a tree of module calls with literal arguments
(:mod:`.repr_form`, :mod:`.source_form`); only the modules the planner knows are built,
from arguments checked against the planner's bounds first, on the meta device (nothing
allocated). Containers are opened in print order: a ``Sequential`` is its forward; a block
laid out as torchvision's ``BasicBlock`` or ``Bottleneck`` becomes a
:class:`~convlab.planner.residual.Residual` with its real forward; any other container
(``VGG``, ``ResNet``, a custom module) is read in print order and reported, and its Linear
layers flatten a feature map where the features match (its ``forward()`` flattens there).
"""

from __future__ import annotations

import ast
import inspect
import re
import warnings
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from torch import nn

from .layers import ACTIVATIONS, DROPOUTS
from .limits import MAX_LAYERS
from .repr_form import read_print
from .residual import ForwardFlatten, Residual
from .source_form import read_source
from .text_args import at, check_upsample, checked
from .text_tree import (
    MAX_DEPTH,
    MAX_MODULES,
    MAX_TEXT,
    Node,
    TextConfigError,
    check_brackets,
)

LEAVES: dict[str, type[nn.Module]] = {c.__name__: c for c in (
    nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d,
    nn.BatchNorm2d, nn.Upsample, nn.Flatten, nn.Linear, *DROPOUTS, *ACTIVATIONS)}
# torchvision's residual blocks by the names of their children, and their forward
BLOCKS: dict[frozenset[str], tuple[str, ...]] = {
    frozenset(("conv1", "bn1", "relu", "conv2", "bn2")):
        ("conv1", "bn1", "relu", "conv2", "bn2"),
    frozenset(("conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "relu")):
        ("conv1", "bn1", "relu", "conv2", "bn2", "relu", "conv3", "bn3"),
}
# arguments a print leaves out, taken at PyTorch's defaults
UNPRINTED: dict[str, tuple[str, ...]] = {
    "AvgPool2d": ("ceil_mode", "count_include_pad", "divisor_override"),
    "Upsample": ("align_corners", "recompute_scale_factor"),
    "PReLU": ("init",),
}
_LABEL_LINE = re.compile(r"^[ \t]*\([\w-]+\):", re.M)


@dataclass(frozen=True)
class ReadModel:
    """A pasted model, read.

    Attributes:
        layers: the modules in forward order, ready for :func:`plan_stack`.
        lines: the text line each layer was read from.
        form: ``"print"`` (what ``print(model)`` shows) or ``"source"``.
        print_order: the containers whose ``forward()`` is not read, as (name, line): their
            children are planned in print order.
        assumed: for a print, (module, its arguments the print leaves out), taken at
            PyTorch's defaults.
    """

    layers: tuple[nn.Module, ...]
    lines: tuple[int, ...]
    form: str
    print_order: tuple[tuple[str, int], ...] = ()
    assumed: tuple[tuple[str, tuple[str, ...]], ...] = ()


def layers_from_text(text: str) -> list[nn.Module]:
    """The layers of a model written as text, in forward order, ready for
    :func:`~convlab.planner.plan_stack`. See :func:`read_model`.

    >>> layers_from_text("nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())")
    [Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)), ReLU()]
    """
    return list(read_model(text).layers)


def read_model(text: str) -> ReadModel:
    """Read ``text``: the repr ``print(model)`` shows (nested and named children, a
    torchvision ``BasicBlock``/``Bottleneck``, ``(0-2): 3 x ...`` repeats), or Python source
    (``nn.Sequential(...)`` or a list of layers). Nothing in it is executed or imported.

    >>> model = read_model('''Sequential(
    ...   (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding_mode=reflect)
    ...   (1): AvgPool2d(kernel_size=2, stride=2, padding=0)
    ... )''')
    >>> model.layers[0].padding_mode, model.lines, model.assumed[0][0]
    ('reflect', (2, 3), 'AvgPool2d')

    Raises:
        TextConfigError: (a ConvConfigError) naming the line, the column and what was
            found there: an unknown module, a call, an attribute, a lambda, a name, an
            argument out of the planner's bounds; or a text beyond the bounds (64 KB,
            nesting depth 8, :data:`MAX_LAYERS` layers).
    """
    if not isinstance(text, str):
        raise TextConfigError("value", type(text).__name__, 1, 1, "the model must be text")
    if len(text) > MAX_TEXT:
        raise TextConfigError("too_long", f"{len(text)} characters", 1, 1, "a pasted model "
                              f"may have at most {MAX_TEXT} characters")
    check_brackets(text)
    if _LABEL_LINE.search(text):
        form, node = "print", read_print(text)
    else:
        form, node = "source", _parse_source(text)
    builder = _Builder(form)
    rows = builder.rows(node, 1)
    if len(rows) > MAX_LAYERS:
        raise TextConfigError("too_many_layers", str(len(rows)), rows[MAX_LAYERS][1], 1,
                              f"a stack may have at most {MAX_LAYERS} layers (residual "
                              "blocks count one each)", {"layers": MAX_LAYERS})
    if not rows:
        raise TextConfigError("container", node.name, node.line, node.column,
                              "the model has no layers")
    return ReadModel(tuple(m for m, _ in rows), tuple(line for _, line in rows), form,
                     tuple(builder.custom), tuple(builder.assumed.items()))


def _parse_source(text: str) -> Node:
    try:
        with warnings.catch_warnings():  # a SyntaxWarning ("invalid decimal literal") is ours
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as err:
        raise TextConfigError("syntax", (err.text or "").strip(), err.lineno or 1,
                              err.offset or 1, f"not Python: {err.msg}") from None
    except (ValueError, RecursionError, MemoryError) as err:  # e.g. a 5,000-digit number
        raise TextConfigError("too_deep", type(err).__name__, 1, 1, "the text is beyond "
                              "what the planner reads") from None
    try:
        return read_source(tree)
    except RecursionError:
        raise TextConfigError("too_deep", "", 1, 1, "the text is nested too deep") from None


class _Builder:
    """Modules from a :class:`Node` tree, counting what it builds."""

    def __init__(self, form: str) -> None:
        self.form, self.built = form, 0
        self.custom: list[tuple[str, int]] = []
        self.assumed: dict[str, tuple[str, ...]] = {}

    def rows(self, node: Node, depth: int) -> list[tuple[nn.Module, int]]:
        """The planner's rows of ``node`` (its ``count`` copies): (module, line)."""
        out: list[tuple[nn.Module, int]] = []
        for _ in range(node.count):
            self.built += 1
            if self.built > MAX_MODULES:
                raise at(node, "too_many_layers", f"at most {MAX_MODULES} modules are read")
            out.extend(self._one(node, depth))
            if len(out) > MAX_MODULES:
                raise at(node, "too_many_layers", f"at most {MAX_MODULES} modules are read")
        return out

    def _one(self, node: Node, depth: int) -> list[tuple[nn.Module, int]]:
        if depth > MAX_DEPTH + 1:  # a layer inside MAX_DEPTH containers
            raise at(node, "too_deep", f"containers are nested deeper than {MAX_DEPTH}")
        children = [(label, n) for label, n in node.children] + [
            (str(i), item.value) for i, item in enumerate(node.args)
            if isinstance(item.value, Node)]
        if node.name in ("Sequential", "ModuleList") or node.children and (
                node.name not in LEAVES and node.name != "Residual"):
            literal = [i for i in node.args if not isinstance(i.value, Node)] + [
                i for _, i in node.kwargs]
            if literal:
                raise at(literal[0], "argument", f"{node.name} takes layers only")
            labels = frozenset(label for label, _ in node.children)
            if node.name not in ("Sequential", "ModuleList") and labels - {"downsample"} in \
                    BLOCKS:
                return [(self._block(node, depth), node.line)]
            parts = [self.rows(child, depth + 1) for _, child in children]
            if node.name != "Sequential":
                self.custom.append((node.name, node.line))
                parts = [parts[0], *(_flatten_first(p) for p in parts[1:])] if parts else []
            return [row for part in parts for row in part]
        if node.name == "Residual":
            return [(self._residual(node, depth), node.line)]
        if node.name not in LEAVES:
            near = get_close_matches(node.name, [*LEAVES, "Sequential"], 1)
            raise at(node, "unknown_module", f"{node.name} is not a layer the planner knows",
                     {"layer": near[0]} if near else None)
        if node.children:
            raise at(node, "container", f"{node.name} has no children")
        return [(self._leaf(node), node.line)]

    def _single(self, node: Node, depth: int) -> nn.Module:
        rows = self.rows(node, depth + 1)
        if len(rows) != 1:
            raise at(node, "container", "one layer was expected here")
        return rows[0][0]

    def _block(self, node: Node, depth: int) -> Residual:
        named = {label: child for label, child in node.children}
        order = BLOCKS[frozenset(named) - {"downsample"}]
        built = {label: self._single(named[label], depth) for label in set(order)}
        down = named.get("downsample")
        shortcut = None if down is None else nn.Sequential(
            *(m for m, _ in self.rows(down, depth + 1)))
        return Residual([built[label] for label in order], shortcut, built["relu"], node.name)

    def _residual(self, node: Node, depth: int) -> Residual:
        """``Residual(main, shortcut=None, after=None, kind='Residual')`` in source, or
        its print (children ``main``, ``shortcut``, ``after``)."""
        given: dict[str, Any] = dict(node.children)
        for name, item in zip(("main", "shortcut", "after", "kind"), node.args, strict=False):
            given[name] = item.value
        for name, item in node.kwargs:
            if name not in ("main", "shortcut", "after", "kind") or name in given:
                raise at(item, "argument", f"Residual takes main, shortcut, after, kind; "
                         f"not {name}")
            given[name] = item.value
        if not isinstance(given.get("main"), Node):
            raise at(node, "argument", "Residual needs its main path")
        main = [m for m, _ in self.rows(given["main"], depth + 1)]
        parts = [None if not isinstance(given.get(k), Node) else nn.Sequential(
            *(m for m, _ in self.rows(given[k], depth + 1)))
            for k in ("shortcut", "after")]
        kind = given.get("kind", "Residual")
        if not isinstance(kind, str) or not re.fullmatch(r"[A-Za-z_]\w{0,39}", kind):
            raise at(node, "argument", "kind must be a name")
        return Residual(main, parts[0], parts[1], str(kind))

    def _leaf(self, node: Node) -> nn.Module:
        cls = LEAVES[node.name]
        sig = inspect.signature(cls.__init__)
        params = list(sig.parameters.values())[1:]
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
            if node.args or node.kwargs:
                raise at((node.args or [i for _, i in node.kwargs])[0], "argument",
                         f"{node.name} takes no arguments")
            return cls()
        names = [p.name for p in params if p.name not in ("device", "dtype")]
        positional = [p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD]
        kw: dict[str, Any] = {}
        positional = positional[:positional.index("device")] if "device" in positional \
            else positional
        for i, item in enumerate(node.args):
            if i >= len(positional):
                raise at(item, "argument", f"{node.name} takes at most {len(positional)} "
                         "positional arguments")
            kw[positional[i]] = checked(node.name, positional[i], item)
        for name, item in node.kwargs:
            if name not in names or name in kw:
                near = get_close_matches(name, names, 1)
                raise at(item, "argument", f"{node.name} takes no argument {name}"
                         if name not in names else f"{name} is given twice",
                         {name: near[0]} if near and name not in names else None)
            kw[name] = checked(node.name, name, item)
        if self.form == "print" and node.name in UNPRINTED:
            self.assumed[node.name] = UNPRINTED[node.name]
        if cls is nn.Upsample:
            check_upsample(node, kw)
        if "device" in sig.parameters:
            kw["device"] = "meta"
        try:
            return cls(**kw)
        except (TypeError, ValueError, RuntimeError, NotImplementedError, OverflowError,
                AssertionError) as err:
            message = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
            raise at(node, "refused", f"PyTorch refuses {node.name}: {message}",
                     torch=message) from None


def _flatten_first(rows: list[tuple[nn.Module, int]]) -> list[tuple[nn.Module, int]]:
    """A custom container's child: where its first Linear comes after layers that keep the
    shape only (activations, dropouts), the first of them is where ``forward()`` flattens a
    matching feature map (torchvision's ``torch.flatten(x, 1)`` before the classifier)."""
    for i, (m, line) in enumerate(rows):
        if isinstance(m, nn.Linear):  # the Linear itself too: it names the features found
            out: list[tuple[nn.Module, int]] = [(ForwardFlatten(m, m.in_features), line)]
            if i:
                out = [(ForwardFlatten(rows[0][0], m.in_features), rows[0][1]), *rows[1:i], *out]
            return out + rows[i + 1:]
        if not isinstance(m, (*ACTIVATIONS, *DROPOUTS)):
            break
    return rows
