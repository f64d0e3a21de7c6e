"""The shape planner's stack table editor: the stack as an editable table, its columns, and
the edited table read back as a stack (or the translated reason of its first bad cell)."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

import convlab
from convlab.planner.table import (
    BLOCK,
    BLOCK_NAME,
    FLAGS,
    KEYS,
    PAIRED,
    PARTS,
    WORDS,
    StackTextError,
    bounds,
    check_stack,
    row_problem,
)
from convlab.planner.table_link import decode_path
from ui.frame import Frame
from ui.i18n import TEXT, t

KIND_OF = {cls.__name__: kind for kind, (cls, _, _) in convlab.KINDS.items()} | {
    BLOCK_NAME: BLOCK}  # a residual block: its main path, shortcut and after as small stacks
CLASS_OF = {kind: name for name, kind in KIND_OF.items()}
TYPE = "t"  # the table's layer-type column (the others are the one-letter keys)
NUMBERS = "iog"  # integer columns; PAIRED (k s p d q) are text: "3", "(3, 5)", "same"
COLUMN_OF = {"main": "rm", "short": "rs", "after": "ra"}  # a block's parts' table columns
MODES = tuple(dict.fromkeys(w for (_, key), ws in WORDS.items() if key == "m" for w in ws))


def kind_options() -> list[str]:
    """The layer types as the table's drop-down offers them: alphabetical, except that a
    name comes before every name containing it. The drop-down filters by what is typed
    and Enter takes the first match, so typing "ReLU" takes ReLU (not LeakyReLU) and
    "AvgPool2d" takes AvgPool2d (not AdaptiveAvgPool2d): an exact name wins."""
    names = sorted(KIND_OF)
    inside = {n: sum(o != n and o.lower() in n.lower() for o in names) for n in names}
    return sorted(names, key=lambda n: (inside[n], n))


@functools.lru_cache(maxsize=64)


def stack_frame(stack: convlab.planner.table.Stack) -> pd.DataFrame:
    """One row per layer: its PyTorch class and its settings (empty where unset): whole
    numbers, ``k s p d q`` as text (``3``, ``(3, 5)``, ``same``), flags as ticks. Kept per
    stack (and not to be changed): the editor is drawn from it on every rerun."""
    rows = []
    for kind, args in stack:
        if kind == BLOCK:
            parts = convlab.planner.table.block_parts(args)
            rows.append({TYPE: BLOCK_NAME} | {
                COLUMN_OF[part]: convlab.encode_stack(parts.get(part, ())) for part in PARTS})
            continue
        given = dict(args)
        takes = convlab.KINDS[kind][1]
        row: dict[str, Any] = {TYPE: CLASS_OF[kind]}
        row.update({k: given.get(k) for k in NUMBERS})
        row.update({k: None if k not in given else value_text(given[k]) for k in PAIRED})
        row["m"] = given.get("m")
        for k in FLAGS:
            row[k] = bool(given.get(k, 1 if k == "b" else 0)) if k in takes else None
        rows.append(row)
    blocks = [COLUMN_OF[part] for part in PARTS]
    frame = pd.DataFrame(rows, columns=[TYPE, *KEYS, *blocks])
    for k in NUMBERS:
        frame[k] = frame[k].astype("Int64")
    for k in (*PAIRED, "m", *blocks):
        frame[k] = frame[k].astype("string")
    for k in FLAGS:
        frame[k] = frame[k].astype("boolean")
    return frame


def value_text(value: Any) -> str:
    """A setting as the table shows it: ``3``, ``(3, 5)`` (height, width), ``same``."""
    return f"({value[0]}, {value[1]})" if isinstance(value, tuple) else str(value)


def read_value(value: Any) -> Any:
    """A text cell read back: an int, an ``(h, w)`` pair (``(3, 5)``, ``3, 5``, ``3x5``,
    ``3×5``), a word, ``None`` when empty; what cannot be read is returned as typed."""
    value = _cell(value)
    if not isinstance(value, str):
        return value
    text = value.strip().strip("'\"").lower()
    if not text:
        return None
    if text.isalpha():
        return text
    parts = [p for p in re.split(r"[\s,x×*()\[\]]+", text) if p]
    if 1 <= len(parts) <= 2 and all(re.fullmatch(r"-?\d{1,9}", p) for p in parts):
        numbers = tuple(int(p) for p in parts)
        return numbers[0] if len(numbers) == 1 or numbers[0] == numbers[1] else numbers
    return value


def _cell(value: Any) -> Any:
    """A table cell as a plain value: ``None`` when empty, an int when whole."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() and abs(number) < 2**53 else value


def frame_stack(frame: pd.DataFrame) -> tuple[convlab.planner.table.Stack | None, str | None]:
    """The edited table as a stack, or ``None`` and the translated reason of its first bad
    cell. Settings a layer does not take are dropped."""
    if len(frame) == 0:
        return None, t("pl.cell.empty")
    if len(frame) > convlab.MAX_LAYERS:
        return None, t("pl.cell.too_many", n=convlab.MAX_LAYERS)
    stack = []
    for row_no, row in enumerate(frame.astype(object).to_dict("records")):
        kind = KIND_OF.get(str(_cell(row.get(TYPE))))
        if kind is None:
            return None, t("pl.cell.unknown_kind", row=row_no, col=t("pl.col.layer"))
        if kind == BLOCK:
            block, problem = block_row(row_no, row)
            if problem:
                return None, problem
            stack.append(block)
            continue
        takes = convlab.KINDS[kind][1]
        args: list[tuple[str, Any]] = []
        for key in KEYS:
            value = read_value(row.get(key)) if key in PAIRED else _cell(row.get(key))
            if key not in takes or value is None:
                if value is None and convlab.cell_problem(kind, key, None) == "required":
                    return None, t("pl.cell.required", row=row_no, col=t(f"pl.col.{key}"),
                                   layer=CLASS_OF[kind])
                continue
            if key in FLAGS:
                if bool(value) != (key == "b"):  # only what differs from PyTorch's default
                    args.append((key, int(bool(value))))
                continue
            problem = convlab.cell_problem(kind, key, value)
            if problem:
                lo, hi = bounds(kind, key) if key != "m" else (0, 0)
                words = ", ".join(WORDS.get((kind, key), ()))
                return None, t(f"pl.cell.{problem}", row=row_no, col=t(f"pl.col.{key}"),
                               value=value_text(value), lo=lo, hi=hi, layer=CLASS_OF[kind],
                               words=words)
            args.append((key, value))
        if row_problem(kind, args):
            return None, t("pl.cell.scale_or_size", row=row_no, layer=CLASS_OF[kind],
                           s=t("pl.col.s"), o=t("pl.col.o"))
        stack.append((kind, tuple(args)))
    try:
        return check_stack(stack), None
    except StackTextError:  # a block's layers count: too many in all
        return None, t("pl.cell.too_many", n=convlab.MAX_LAYERS)


def block_row(row_no: int, row: Mapping[str, Any]) -> tuple[Any, str | None]:
    """A residual block's row: its main path, shortcut and after, each a small stack as
    the link writes it, or ``None`` and the translated reason of the first bad one."""
    parts = []
    for part in PARTS:
        text = _cell(row.get(COLUMN_OF[part]))
        text = "" if text is None else str(text).strip()
        try:
            rows = decode_path(text, part)
        except StackTextError as err:
            return None, t("pl.cell.block", row=row_no, col=t(f"pl.col.{part}"),
                           value=text[:60], why=block_why(err))
        if rows:
            parts.append((part, rows))
    return (BLOCK, tuple(parts)), None


def block_why(err: StackTextError) -> str:
    """Why a block's cell cannot be read, translated (from the error's identifier)."""
    kind, key = err.token, err.key
    if err.code in ("required", "unused", "not_integer", "not_a_choice", "out_of_range"):
        table = convlab.planner.table
        lo, hi = bounds(kind, key) if kind in convlab.KINDS and key in table.BOUNDS else (0, 0)
        words = ", ".join(WORDS.get((kind, key), ()))
        return t(f"pl.block.{err.code}", layer=CLASS_OF.get(kind, kind), setting=key, lo=lo,
                 hi=hi, words=words)
    if err.code in ("unknown_kind", "scale_or_size", "twice", "nested", "empty", "too_many",
                    "one_layer", "brackets"):
        return t(f"pl.block.{err.code}", layer=kind, n=convlab.MAX_LAYERS)
    return t("pl.block.unreadable", token=kind)


def column_config() -> dict[str, Any]:
    """The table's columns: the layer type pinned (it stays when the table scrolls
    sideways), whole numbers, text for the settings that take a pair or a word, the mode
    as a choice, the flags as ticks; every column with its PyTorch names as help."""
    def helped(key: str) -> str | None:
        return t(f"pl.col_help.{key}") if f"pl.col_help.{key}" in TEXT else None

    cols: dict[str, Any] = {TYPE: st.column_config.SelectboxColumn(
        t("pl.col.layer"), options=kind_options(), required=True, width="medium",
        pinned=True)}
    for key in KEYS:
        label = t(f"pl.col.{key}")
        if key in NUMBERS:
            lo, hi = bounds("conv", key)
            cols[key] = st.column_config.NumberColumn(
                label, min_value=lo, max_value=hi, step=1, format="%d", help=helped(key))
        elif key in PAIRED:
            cols[key] = st.column_config.TextColumn(label, help=helped(key), max_chars=16)
        elif key == "m":
            cols[key] = st.column_config.SelectboxColumn(label, options=MODES,
                                                         help=helped(key))
        else:
            cols[key] = st.column_config.CheckboxColumn(label, help=helped(key))
    for part in PARTS:  # a residual block's paths, as the link writes a stack
        cols[COLUMN_OF[part]] = st.column_config.TextColumn(t(f"pl.col.{part}"), help=helped(part),
                                                 max_chars=1024)
    return cols


def apply_edits(frame: pd.DataFrame, edits: Mapping[str, Any]) -> pd.DataFrame:
    """``st.data_editor``'s edit state (edited, added and deleted rows) applied to the
    table it was given: what the editor shows."""
    out = frame.astype(object).copy()
    for row, cells in (edits.get("edited_rows") or {}).items():
        for col, value in cells.items():
            if col in out.columns and 0 <= int(row) < len(out):
                out.at[out.index[int(row)], col] = value
    added = [{c: r.get(c) for c in out.columns} for r in edits.get("added_rows") or []]
    if added:
        out = pd.concat([out, pd.DataFrame(added, columns=out.columns)], ignore_index=True)
    deleted = {int(r) for r in edits.get("deleted_rows") or []}
    return out.drop(index=[out.index[r] for r in sorted(deleted) if r < len(out)]).reset_index(
        drop=True)


def edit_stack(page: Frame, container: Any) -> convlab.planner.table.Stack:
    """The stack's table. An accepted edit becomes the page's stack (and its link) in the
    editor's callback, before the rerun, which then shows a fresh editor on it (so the next
    edit starts from the new stack); a bad cell is named and ignored."""
    stack = page["stack"]
    digest = hashlib.blake2s(convlab.encode_stack(stack).encode(), digest_size=6).hexdigest()
    key = page.key(f"table.{digest}")

    def take() -> None:
        new, _ = frame_stack(apply_edits(stack_frame(stack), st.session_state.get(key) or {}))
        if new is not None and new != stack:
            page["stack"] = new
            page["preset"] = "custom"

    with container:
        st.markdown(f"**{t('pl.stack')}**")
        edited = st.data_editor(stack_frame(stack), key=key, num_rows="dynamic",
                                column_config=column_config(), width="stretch",
                                on_change=take, placeholder="")  # not "None" in a cell
        st.caption(t("pl.stack_caption"))
        with st.expander(t("pl.format"), icon=":material/link:"):
            st.markdown(t("pl.format_body", kinds=", ".join(
                f"`{kind}` {CLASS_OF[kind]}" for kind in convlab.KINDS)))
            st.markdown(t("pl.format_block"))
        edits = st.session_state.get(key) or {}
        new, problem = frame_stack(edited) if any(edits.values()) else (stack, None)
        if problem:
            st.warning(problem, icon=":material/edit_off:")
    if new is not None and new != stack:  # edits that came without their callback (AppTest)
        page["stack"] = stack = new
    return stack
