"""Python source of a model, read with :mod:`ast` and never executed: ``nn.Sequential(...)``
or a list of layers, ``torch.nn.``, ``nn.`` or no prefix, positional or keyword arguments,
literal values (numbers, strings, tuples, True/False/None, and integer arithmetic such as
``256 * 6 * 6``), comments and trailing commas. A script may wrap it in imports of torch and
``with torch.device(...)``; the first statement that builds the model is read, and what
follows it (the code that runs the model) is not.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any, NoReturn

from .text_tree import MAX_TOKEN, Item, Node, TextConfigError, Word

_PREFIXES = (("nn",), ("torch", "nn"), ("convlab",), ("convlab", "planner"))
_IMPORTS = ("torch", "torch.nn", "convlab", "collections")
_OPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv, ast.Div: operator.truediv, ast.Pow: operator.pow}
_MAX_NESTING = 10  # tuples and arithmetic inside one argument
_MAX_BITS = 256  # an arithmetic result larger than this many bits is refused, not computed
_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (ast.Lambda, "lambda"),
    ((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp), "comprehension"),
    (ast.Attribute, "attribute"), (ast.Call, "call"), (ast.Name, "name"),
)


def _fail(node: ast.AST, found: str, reason: str) -> NoReturn:
    raise TextConfigError(found, _token(node), getattr(node, "lineno", 1),
                          getattr(node, "col_offset", 0) + 1, reason)


def _token(node: ast.AST) -> str:
    """What was found, in a few characters (never the whole expression)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, (ast.Name, ast.Attribute)):
        path = _dotted(node)
        return ".".join(path) if path else getattr(node, "attr", "")
    if isinstance(node, ast.Constant):
        return repr(node.value)[:MAX_TOKEN]
    return type(node).__name__.lower()


def _what(node: ast.AST) -> str:
    return next((found for kinds, found in _KINDS if isinstance(node, kinds)), "expression")


def _dotted(node: ast.expr) -> tuple[str, ...] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return (node.id, *reversed(parts))


def _module_name(func: ast.expr) -> str:
    path = _dotted(func)
    if path is None or (len(path) > 1 and path[:-1] not in _PREFIXES):
        _fail(func, _what(func) if path is None else "attribute",
              "only torch.nn.X, nn.X or X names a layer here")
    return path[-1]


def _node(expr: ast.expr) -> Node:
    """A module call or a list of layers as a :class:`Node`."""
    line, col = expr.lineno, expr.col_offset + 1
    if isinstance(expr, (ast.List, ast.Tuple)):
        return Node("Sequential", line, col, [Item(_node(e), e.lineno, e.col_offset + 1)
                                              for e in expr.elts])
    if not isinstance(expr, ast.Call):
        _fail(expr, _what(expr), "a layer (a call such as nn.Conv2d(3, 64, 3)) was "
              "expected here")
    if _dotted(expr.func) in (("OrderedDict",), ("collections", "OrderedDict")):
        return _named(expr)
    node = Node(_module_name(expr.func), line, col)
    for arg in expr.args:
        if isinstance(arg, ast.Starred):
            _fail(arg, "expression", "unpacking (*) is not read: write the layers out")
        node.args.append(_item(arg))
    for kw in expr.keywords:
        if kw.arg is None:
            _fail(kw.value, "expression", "unpacking (**) is not read: write the "
                  "arguments out")
        node.kwargs.append((kw.arg, _item(kw.value)))
    return node


def _named(expr: ast.Call) -> Node:
    """``OrderedDict([("conv1", nn.Conv2d(...)), ...])``: named children, in order."""
    pairs = expr.args[0] if len(expr.args) == 1 and not expr.keywords else None
    if not isinstance(pairs, (ast.List, ast.Tuple)):
        _fail(expr, "expression", "OrderedDict is read with a list of (name, layer) pairs")
    node = Node("Sequential", expr.lineno, expr.col_offset + 1)
    for pair in pairs.elts:
        if not (isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and isinstance(
                pair.elts[0], ast.Constant) and isinstance(pair.elts[0].value, str)):
            _fail(pair, _what(pair), "a (name, layer) pair was expected here")
        node.children.append((pair.elts[0].value[:MAX_TOKEN], _node(pair.elts[1])))
    return node


def _item(expr: ast.expr) -> Item:
    where = (expr.lineno, expr.col_offset + 1)
    if isinstance(expr, (ast.Call, ast.List)):  # a layer, or a list of them
        return Item(_node(expr), *where)
    return Item(_literal(expr, 0), *where)


def _literal(expr: ast.expr, depth: int) -> Any:
    if depth > _MAX_NESTING:
        _fail(expr, "too_deep", "this value is nested too deep")
    if isinstance(expr, ast.Constant):
        v = expr.value
        if v is None or isinstance(v, (bool, int, float, str)):
            if isinstance(v, float) and not math.isfinite(v):
                _fail(expr, "value", "this number is not finite")
            return v
        _fail(expr, "value", "only numbers, strings, True, False and None are read")
    if isinstance(expr, ast.Tuple) and depth < 2:
        return tuple(_literal(e, depth + 1) for e in expr.elts)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        v = _number(expr.operand, depth + 1)
        return -v if isinstance(expr.op, ast.USub) else v
    if isinstance(expr, ast.BinOp) and type(expr.op) in _OPS:
        a, b = _number(expr.left, depth + 1), _number(expr.right, depth + 1)
        if isinstance(expr.op, ast.Pow) and (not isinstance(b, int) or b < 0 or
                                             b * int(max(abs(a), 2)).bit_length() > _MAX_BITS):
            _fail(expr, "value", "this power is larger than the planner computes")
        if isinstance(expr.op, (ast.Div, ast.FloorDiv)) and b == 0:
            _fail(expr, "value", "division by zero")
        try:
            v = _OPS[type(expr.op)](a, b)
        except OverflowError:
            _fail(expr, "value", "this number is larger than the planner computes")
        if isinstance(v, float) and not math.isfinite(v) or isinstance(v, int) and \
                v.bit_length() > _MAX_BITS:
            _fail(expr, "value", "this number is larger than the planner computes")
        return v
    if isinstance(expr, ast.Name):
        return Word(expr.id)  # the builder accepts a bare word only where a print leaves one
    _fail(expr, _what(expr), "only literal values (numbers, strings, tuples, True, False, "
          "None) are read as arguments")


def _number(expr: ast.expr, depth: int) -> int | float:
    v = _literal(expr, depth)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        _fail(expr, "value", "arithmetic is read on numbers only")
    return v


def _model(body: list[ast.stmt]) -> ast.expr | None:
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            names = [stmt.module or ""] if isinstance(stmt, ast.ImportFrom) else [
                a.name for a in stmt.names]
            if not all(n.split(".")[0] in {i.split(".")[0] for i in _IMPORTS} for n in names):
                _fail(stmt, "statement", "only imports of torch are read")
            continue
        if isinstance(stmt, ast.With):
            for w in stmt.items:
                path = _dotted(w.context_expr.func) if isinstance(w.context_expr,
                                                                  ast.Call) else None
                if path not in (("torch", "device"), ("torch", "no_grad")):
                    _fail(w.context_expr, _what(w.context_expr), "only with torch.device(...) "
                          "is read around the model")
            found = _model(stmt.body)
            if found is not None:
                return found
            continue
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name) or isinstance(stmt, ast.AnnAssign | ast.Expr):
            value = stmt.value  # type: ignore[union-attr]
            if value is None:
                _fail(stmt, "statement", "a model was expected here")
            return value
        _fail(stmt, "statement", "only a model (nn.Sequential(...) or a list of layers), "
              "with imports of torch, is read")
    return None


def read_source(tree: ast.Module) -> Node:
    """The model built by the first statement that builds one in ``tree``.

    >>> node = read_source(ast.parse("nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())"))
    >>> [(n.value.name, [a.value for a in n.value.args]) for n in node.args]
    [('Conv2d', [3, 8, 3]), ('ReLU', [])]

    Raises:
        TextConfigError: at the line and column of what is not a layer or a literal.
    """
    expr = _model(tree.body)
    if expr is None:
        raise TextConfigError("statement", "", 1, 1, "the text builds no model")
    return _node(expr)
