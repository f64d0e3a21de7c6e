"""A small grammar for what ``print(model)`` shows, read without executing anything:

    module := NAME "(" { arg [","] | label module } ")"
    label  := "(" NAME | INT | INT "-" INT ")" ":" [INT "x"]
    arg    := [NAME "="] value
    value  := NUMBER | STRING | NAME | "(" [value {"," value}] [","] ")"

A bare NAME is ``True``, ``False``, ``None`` or a word a print leaves unquoted
(``padding_mode=reflect``); a NAME followed by ``(`` where a value belongs is a call, refused.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from .text_tree import (
    MAX_DEPTH,
    MAX_MODULES,
    MAX_TOKEN,
    Item,
    Node,
    TextConfigError,
    Word,
    position,
)

_WS = re.compile(r"\s*")
_NAME = re.compile(r"[A-Za-z_]\w*")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_STRING = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")
_LABEL = re.compile(r"\(\s*([A-Za-z_]\w*|\d+(?:\s*-\s*\d+)?)\s*\)\s*:\s*(?:(\d+)\s+x\s+)?")
_KEYWORD = re.compile(r"([A-Za-z_]\w*)\s*=")
_CONSTANTS = {"True": True, "False": False, "None": None}
_MAX_TUPLE = 2  # nested tuples in one argument


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def fail(self, found: str, reason: str, at: int | None = None, token: str = "") -> NoReturn:
        at = self.pos if at is None else at
        line, col = position(self.text, at)
        raise TextConfigError(found, token or self.text[at:at + 20].split("\n")[0], line, col,
                              reason)

    def skip(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        return self.text[self.pos:self.pos + 1]

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m

    def module(self, depth: int) -> Node:
        start = self.pos
        if depth > MAX_DEPTH + 1:  # a layer inside MAX_DEPTH containers
            self.fail("too_deep", f"containers are nested deeper than {MAX_DEPTH}")
        name = self.take(_NAME)
        if not name or len(name.group()) > MAX_TOKEN:
            self.fail("syntax", "a module name was expected here")
        line, col = position(self.text, start)
        node = Node(name.group(), line, col)
        self.skip()
        if self.peek() != "(":
            self.fail("syntax", f"'(' was expected after {name.group()}")
        self.pos += 1
        while True:
            self.skip()
            if self.peek() == ")":
                self.pos += 1
                return node
            if not self.peek():
                self.fail("syntax", f"{node.name}( opened here is never closed", start,
                          node.name)
            label = self.take(_LABEL)
            if label:
                self.skip()
                child = self.module(depth + 1)
                child.count = int(label.group(2) or 1)
                if child.count > MAX_MODULES:
                    self.fail("too_many_layers", f"at most {MAX_MODULES} modules are read",
                              label.start(), label.group())
                node.children.append((label.group(1), child))
                continue
            key = self.take(_KEYWORD)
            self.skip()
            at = self.pos
            value = self.value(0)
            item = Item(value, *position(self.text, at))
            if key:
                node.kwargs.append((key.group(1), item))
            else:
                node.args.append(item)
            self.skip()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() not in ")" and not _LABEL.match(self.text, self.pos):
                self.fail("syntax", "',' or ')' was expected here")

    def value(self, depth: int) -> Any:
        ch, at = self.peek(), self.pos
        if ch == "(":
            if depth >= _MAX_TUPLE:
                self.fail("too_deep", "tuples are nested too deep")
            self.pos += 1
            out: list[Any] = []
            while True:
                self.skip()
                if self.peek() == ")":
                    self.pos += 1
                    return tuple(out)
                out.append(self.value(depth + 1))
                self.skip()
                if self.peek() == ",":
                    self.pos += 1
                elif self.peek() != ")":
                    self.fail("syntax", "',' or ')' was expected in this tuple")
        if m := self.take(_STRING):
            return m.group(1) if m.group(1) is not None else m.group(2)
        if m := self.take(_NUMBER):
            text = m.group()
            if len(text) > MAX_TOKEN:
                self.fail("value", "this number is longer than the planner reads", at)
            return float(text) if any(c in text for c in ".eE") else int(text)
        if m := self.take(_NAME):
            word = m.group()
            nxt = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.text[nxt:nxt + 1] == "(":
                self.fail("call", f"a call of {word} is not a value", at, word)
            return _CONSTANTS[word] if word in _CONSTANTS else Word(word)
        self.fail("syntax", "a value was expected here")


def read_print(text: str) -> Node:
    """The module tree of ``print(model)``'s text.

    >>> node = read_print("Sequential(\\n  (0): Conv2d(3, 8, kernel_size=(3, 3))\\n)")
    >>> child = node.children[0][1]
    >>> node.name, child.name, [i.value for i in child.args], child.kwargs[0][1].value
    ('Sequential', 'Conv2d', [3, 8], (3, 3))

    Raises:
        TextConfigError: at the line and column where the text stops being a print.
    """
    reader = _Reader(text)
    reader.skip()
    node = reader.module(1)
    reader.skip()
    if reader.pos < len(text):
        reader.fail("syntax", "the text goes on after the model's closing ')'")
    return node
