"""The link codec of a stack: :func:`encode_stack`, :func:`decode_stack` and a block's
part as a table cell holds it (:func:`decode_path`).

The link form joins the rows with ``_``, each ``kind.`` and its keys with their values:
``conv.o64k3p1_relu_maxpool.k2s2``; a pair is ``k3x5``, a word is written out (``psame``,
``mreflect``, ``mbilinear``). A residual block's stacks are bracketed groups, in the order
``main``, ``short``, ``after``, trailing empty groups left out:
``res(conv.o64k3p1b0_bn_relu_conv.o64k3p1b0_bn)()(relu)``; a ``_`` inside brackets
separates the block's own layers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .limits import MAX_LAYERS
from .table import (
    BLOCK,
    PARTS,
    WORDS,
    Row,
    Stack,
    StackTextError,
    Value,
    block_parts,
    check_block,
    check_stack,
)

_WORD = "|".join(sorted({w for ws in WORDS.values() for w in ws}, key=len, reverse=True))
_VALUE = rf"-?\d{{1,6}}(?:x-?\d{{1,6}})?|{_WORD}"
_TOKEN = re.compile(rf"([a-z0-9]+?)(?:\.((?:[a-z](?:{_VALUE}))+))?")
_PAIR = re.compile(rf"([a-z])({_VALUE})")
_BLOCK = re.compile(rf"{BLOCK}((?:\([^()]*\)){{1,3}})")


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
    block = check_block(((part, rows),) if part == "main" else
                         (("main", (("relu", ()),)), (part, rows)))
    return block_parts(block[1]).get(part, ())

