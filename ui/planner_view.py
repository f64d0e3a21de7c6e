"""The shape planner page: its parameters, presets, the stack's editable table and the
cached plan with its checks."""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

import convlab
import convlab.planner.presets
from convlab.planner.table import KEYS, bounds, plan_table_modules

from .frame import Frame, preset_param
from .i18n import TEXT, t
from .urlstate import BoolParam, IntParam, TextParam

PAGE = "planner"
KIND_OF = {cls.__name__: kind for kind, (cls, _, _) in convlab.KINDS.items()}
CLASS_OF = {kind: name for name, kind in KIND_OF.items()}
TYPE = "m"  # the table's layer-type column (the others are the one-letter keys)


PRESETS = convlab.planner.presets.PRESETS
DEFAULT = "alexnet"
STACKS = convlab.planner.presets.STACKS
SHAPE_BOUNDS = {"n": (1, 64), "c": (1, 4096), "h": (1, 2048), "w": (1, 2048)}
PARAMS = [
    preset_param([DEFAULT, *(k for k in PRESETS if k != DEFAULT), "custom"]),
    *[IntParam(k, v, *SHAPE_BOUNDS[k]) for k, v in zip("nchw", PRESETS[DEFAULT][0],
                                                       strict=True)],
    TextParam("stack", STACKS[DEFAULT], decode=convlab.decode_stack,
              encode=convlab.encode_stack),
    IntParam("sl", 0, 0, convlab.MAX_LAYERS - 1), IntParam("target", 0, 0, 8192),
    BoolParam("same", False),
]


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    if name not in PRESETS:
        return {}
    shape, _ = PRESETS[name]
    return {**dict(zip("nchw", shape, strict=True)), "stack": STACKS[name], "sl": 0,
            "target": 0, "same": False}


# ---- the editable table ----------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def stack_frame(stack: convlab.planner.table.Stack) -> pd.DataFrame:
    """One row per layer: its PyTorch class and its integer settings (empty where unset).
    Kept per stack (and not to be changed): the editor is drawn from it on every rerun."""
    rows = []
    for kind, args in stack:
        given = dict(args)
        takes = convlab.KINDS[kind][1]
        row: dict[str, Any] = {TYPE: CLASS_OF[kind]}
        row.update({k: given.get(k) for k in KEYS if k != "b"})
        row["b"] = bool(given.get("b", 1)) if "b" in takes else None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[TYPE, *KEYS])
    for k in KEYS[:-1]:
        frame[k] = frame[k].astype("Int64")
    frame["b"] = frame["b"].astype("boolean")
    return frame


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
        takes = convlab.KINDS[kind][1]
        args = []
        for key in KEYS:
            value = _cell(row.get(key))
            if key not in takes or value is None:
                if value is None and convlab.cell_problem(kind, key, None) == "required":
                    return None, t("pl.cell.required", row=row_no, col=t(f"pl.col.{key}"),
                                   layer=CLASS_OF[kind])
                continue
            if key == "b":
                if not value:
                    args.append(("b", 0))
                continue
            problem = convlab.cell_problem(kind, key, value)
            if problem:
                lo, hi = bounds(kind, key)
                return None, t(f"pl.cell.{problem}", row=row_no, col=t(f"pl.col.{key}"),
                               value=value, lo=lo, hi=hi, layer=CLASS_OF[kind])
            args.append((key, int(value)))
        stack.append((kind, tuple(args)))
    return tuple(stack), None


def column_config() -> dict[str, Any]:
    cols: dict[str, Any] = {TYPE: st.column_config.SelectboxColumn(
        t("pl.col.layer"), options=sorted(KIND_OF), required=True, width="medium")}
    for key in KEYS[:-1]:
        lo, hi = bounds("conv", key)
        help_key = f"pl.col_help.{key}"
        cols[key] = st.column_config.NumberColumn(
            t(f"pl.col.{key}"), min_value=lo, max_value=hi, step=1, format="%d",
            help=t(help_key) if help_key in TEXT else None)
    cols["b"] = st.column_config.CheckboxColumn(t("pl.col.b"))
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
        edits = st.session_state.get(key) or {}
        new, problem = frame_stack(edited) if any(edits.values()) else (stack, None)
        if problem:
            st.warning(problem, icon=":material/edit_off:")
    if new is not None and new != stack:  # edits that came without their callback (AppTest)
        page["stack"] = stack = new
    return stack


# ---- the plan, cached on plain values ------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    plan: convlab.StackPlan
    checks: tuple[convlab.CheckResult, ...]
    torch_error: str | None
    code: str


@st.cache_data(max_entries=64, show_spinner=False)
def planned(stack: convlab.planner.table.Stack, shape: tuple[int, ...]) -> Planned:
    """The plan of ``stack`` on ``shape``, PyTorch's shapes on the meta device, the
    receptive-field check by autograd and the reproduce code (keyed on plain values)."""
    plan, modules = plan_table_modules(stack, shape)
    shapes, torch_error = convlab.run_table(stack, shape)
    checks = [convlab.shapes_check(plan, shapes, torch_error)]
    rf = convlab.receptive_field_check(modules, plan) if modules else None
    if rf is not None:
        checks.append(rf)
    return Planned(plan, tuple(checks), torch_error, convlab.stack_code(stack, plan))
