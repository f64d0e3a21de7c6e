"""The shape planner's presets and link parameters, and the stack's plan with its checks,
cached on plain values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

import convlab
import convlab.planner.presets
from convlab.planner.table_build import plan_table_modules
from ui.frame import preset_param
from ui.registry import Lesson, Shown
from ui.urlstate import BoolParam, IntParam, TextParam

PRESETS = convlab.planner.presets.PRESETS
DEFAULT = "alexnet"
STACKS = convlab.planner.presets.STACKS
PRINTED = convlab.planner.presets.PRINTED  # whole models as print(model) shows them


def _model_link(text: str) -> str:
    """A pasted model in the link (compressed); one too long for a link is not kept."""
    try:
        return convlab.planner.pack_text(text) if text else ""
    except convlab.ConvConfigError:
        return ""


def _model_from_link(raw: str) -> str:
    return convlab.planner.unpack_text(raw) if raw else ""


SHAPE_BOUNDS = {"n": (1, 64), "c": (1, 4096), "h": (1, 2048), "w": (1, 2048)}
PARAMS = [
    preset_param([DEFAULT, *(k for k in PRESETS if k != DEFAULT), *PRINTED, "custom"]),
    *[IntParam(k, v, *SHAPE_BOUNDS[k]) for k, v in zip("nchw", PRESETS[DEFAULT][0],
                                                       strict=True)],
    TextParam("stack", STACKS[DEFAULT], decode=convlab.decode_stack,
              encode=convlab.encode_stack),
    IntParam("sl", 0, 0, convlab.MAX_LAYERS - 1), IntParam("target", 0, 0, 8192),
    BoolParam("same", False),
    TextParam("model", "", decode=_model_from_link, encode=_model_link),
]


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    if name in PRINTED:  # a whole model: it replaces the table
        shape, text = PRINTED[name]
        return {**dict(zip("nchw", shape, strict=True)), "model": text, "sl": 0,
                "target": 0, "same": False}
    if name not in PRESETS:
        return {}
    shape, _ = PRESETS[name]
    return {**dict(zip("nchw", shape, strict=True)), "stack": STACKS[name], "sl": 0,
            "target": 0, "same": False, "model": ""}


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


def code_check(shown: Shown, ns: Mapping[str, Any], printed: str) -> list[str]:
    """The reproduce code prints each layer's output shape and the parameter total of the
    page's layer table (the input row, one row per layer, the totals)."""
    if shown.table is None:
        return ["the page shows no layer table"]
    lines = printed.strip().splitlines()
    if not lines:
        return ["the code prints nothing"]
    wrong = []
    table_shapes = shown.table[shown.word("pl.th.shape")].tolist()[1:-1]
    code_shapes = [" × ".join(re.findall(r"\d+", ln.split(" ", 2)[2])) for ln in lines[:-1]]
    if code_shapes != table_shapes:
        wrong.append(f"layer shapes: page {table_shapes}, code {code_shapes}")
    total = "parameters " + shown.table[shown.word("pl.th.params")].iloc[-1].replace(",", "")
    if lines[-1] != total:
        wrong.append(f"last line: page {total!r}, code {lines[-1]!r}")
    return wrong


LESSON = Lesson("planner", "pl", ":material/account_tree:", order=80,
                params=tuple(PARAMS), preset_values=preset_values, sections=("paste", "solver"),
                # a 5 x 5 kernel on a 3 x 3 input: the link the planner must explain
                refusal={"preset": "custom", "n": "1", "c": "3", "h": "3", "w": "3",
                         "stack": convlab.encode_stack([("conv", (("o", 866), ("k", 5)))])},
                code_check=code_check)
