"""What both readers of a pasted model produce: a tree of module calls with literal arguments,
each with its place in the text, and the refusal that names that place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConvConfigError

MAX_TEXT = 64 * 1024  # characters of pasted text
MAX_DEPTH = 8  # containers nested in one another
MAX_MODULES = 1024  # modules read from one text, containers and repeats included
MAX_BRACKETS = 24  # nested brackets of any kind (modules, tuples, lists)
MAX_TOKEN = 40  # characters in one number or name


class TextConfigError(ConvConfigError):
    """A pasted model the planner cannot read, at ``line`` and ``column`` (from 1).

    ``found`` says what stopped it, as an identifier: ``"unknown_module"``, ``"call"``,
    ``"attribute"``, ``"lambda"``, ``"comprehension"``, ``"name"``, ``"expression"``,
    ``"statement"``, ``"syntax"``, ``"argument"``, ``"value"``, ``"too_long"``,
    ``"too_deep"``, ``"too_many_layers"``, ``"container"``, ``"refused"``; ``value`` is the
    text found there (shortened); ``values`` holds ``line``, ``column``, ``found``, ``text``
    (that text, unquoted) and what a user interface may quote besides (``argument``,
    ``layer``, ``lo``, ``hi``, ``torch``).

    >>> err = TextConfigError("unknown_module", "open", 2, 5, "open is not a layer the "
    ...                       "planner knows")
    >>> str(err).split(":")[0], err.code, err.values["line"]
    ('line 2, column 5', 'text_unknown_module', 2)
    """

    def __init__(self, found: str, token: str, line: int, column: int, reason: str,
                 suggestion: dict[str, Any] | None = None,
                 detail: Mapping[str, Any] | None = None) -> None:
        self.found, self.line, self.column = found, line, column
        super().__init__("text", token[:MAX_TOKEN], reason, suggestion, stage="construct",
                         code=f"text_{found}", values={**(detail or {}), "line": line,
                                                       "column": column, "found": found,
                                                       "text": token[:MAX_TOKEN]})

    def _compose(self) -> str:
        return f"line {self.line}, column {self.column}: " + super()._compose()


class Word(str):
    """A bare word where a value was expected (``padding_mode=reflect`` in a print)."""


@dataclass
class Item:
    """A value (a literal, a :class:`Word` or a :class:`Node`) and where it starts."""

    value: Any
    line: int
    column: int


@dataclass
class Node:
    """A module call: ``name(args, key=value, ...)``, or a print's container with its named
    ``children``; ``count`` copies of it (a print's ``(0-2): 3 x ReLU()``)."""

    name: str
    line: int
    column: int
    args: list[Item] = field(default_factory=list)
    kwargs: list[tuple[str, Item]] = field(default_factory=list)
    children: list[tuple[str, Node]] = field(default_factory=list)
    count: int = 1


def position(text: str, offset: int) -> tuple[int, int]:
    """The line and column (from 1) of character ``offset`` of ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_brackets(text: str) -> None:
    """Refuse brackets nested deeper than :data:`MAX_BRACKETS`, before any parser sees
    them (one pass, no memory; quotes and comments skipped)."""
    depth, quote, comment = 0, "", False
    for i, ch in enumerate(text):
        if comment:
            comment = ch != "\n"
        elif quote:
            quote = "" if ch == quote or ch == "\n" else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "([{":
            depth += 1
            if depth > MAX_BRACKETS:
                line, col = position(text, i)
                raise TextConfigError("too_deep", ch, line, col, "brackets are nested "
                                      f"deeper than {MAX_BRACKETS}")
        elif ch in ")]}":
            depth -= 1
