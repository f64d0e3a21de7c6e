"""The shape planner's layer table with its totals and notes, the refusal with its
one-click fixes, and the reproduce code's title."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import convlab
import convlab.planner.table
from ui.frame import Frame, layout, panels
from ui.i18n import t
from ui.lessons.planner_results import bytes_text, shape_text


def _pair(v: tuple[int, int] | None, note: str | None) -> str:
    if v is None:
        return t(f"pl.rf_note.{note}") if note else "–"
    return str(v[0]) if v[0] == v[1] else f"{v[0]} × {v[1]}"


def beyond_input(plan: convlab.StackPlan) -> list[int]:
    """The layers whose receptive field is larger than the input (on either axis): their
    windows reach into the padding beyond the image."""
    size = plan.input_shape[-2:]
    return [r.index for r in plan.rows if r.receptive_field is not None
            and any(f > n for f, n in zip(r.receptive_field, size, strict=True))]


def rf_note(plan: convlab.StackPlan) -> str | None:
    """A note under the layer table when a receptive field outgrows the input."""
    over = beyond_input(plan)
    if not over:
        return None
    first = next(r for r in plan.rows if r.index == over[0])
    assert first.receptive_field is not None
    h, w = plan.input_shape[-2:]
    return t("pl.rf_beyond", index=first.index, layer=first.layer,
             rf=_pair(first.receptive_field, None), h=h, w=w,
             layers=", ".join(map(str, over)))


def layer_cell(r: convlab.LayerPlan) -> str:
    """A row's layer, with a residual block's shortcut and a forward's flatten marked."""
    text = r.layer
    if r.shortcut is not None:
        text += t("pl.shortcut", layers=" + ".join(r.shortcut) if r.shortcut else
                  t("pl.shortcut.identity"))
    return text + (t("pl.flattened") if r.flattened else "")


def results_table(plan: convlab.StackPlan) -> pd.DataFrame:
    """One row per planned layer (the input first, the totals last), cells as printed."""
    head = [t(f"pl.th.{k}") for k in ("index", "layer", "shape", "rf", "stride", "padding",
                                      "params", "macs", "memory")]
    rows = [["", t("pl.input"), shape_text(plan.input_shape), "1", "1", "0", "", "", ""]]
    over = set(beyond_input(plan))
    for r in plan.rows:
        rf = _pair(r.receptive_field, r.rf_note) + (" *" if r.index in over else "")
        rows.append([str(r.index), layer_cell(r), shape_text(r.output_shape),
                     rf, _pair(r.effective_stride, r.rf_note),
                     _pair(r.effective_padding, r.rf_note), f"{r.params:,}", f"{r.macs:,}",
                     bytes_text(r.activation_bytes)])
    rows.append(["", t("pl.total"), "", "", "", "", f"{plan.params:,}", f"{plan.macs:,}",
                 bytes_text(plan.activation_bytes)])
    return pd.DataFrame(rows, columns=head)


def refusal(plan: convlab.StackPlan, torch_error: str | None, page: Frame | None = None,
            stack: Any = None) -> None:
    """The first layer that cannot run: which, on what input, why, the nearest fixes (those
    that are the layer's own settings one click away) and PyTorch's own message."""
    err = plan.error
    assert err is not None
    st.markdown(t("pl.refused", index=err.index, layer=err.layer,
                  shape=shape_text(plan.output_shape)))
    panels.error_box(err, torch_error)
    if err.suggestion and "input_size" in err.suggestion:
        h, w = plan.output_shape[-2:] if len(plan.output_shape) >= 3 else ("–", "–")
        st.caption(t("pl.input_size_means", index=err.index, h=h, w=w))
    if page is not None and stack is not None:
        fixes = fixed_stacks(stack, err)
        if fixes:
            box = layout.row()
            for i, (what, new) in enumerate(fixes):
                box.button(t("pl.sol.apply", what=what), key=page.key(f"fix.{i}"),
                           on_click=_take_stack, args=(page, new), icon=":material/check:")


# A refusal's suggested argument -> the table's key for it.
FIX_KEYS = {"in_features": "i", "in_channels": "i", "num_features": "i", "out_channels": "o",
            "kernel_size": "k", "stride": "s", "padding": "p", "dilation": "d", "groups": "g",
            "output_padding": "q", "padding_mode": "m", "output_size": "o", "size": "o",
            "scale_factor": "s"}


def fixed_stacks(stack: Any, err: convlab.ConvConfigError) -> list[tuple[str, Any]]:
    """The refusal's nearest fixes that are settings of the refused row, each as the
    phrase that names it and the stack it gives (only those the table can hold)."""
    index = getattr(err, "index", None)
    if index is None or index >= len(stack) or not err.suggestion:
        return []
    kind, args = stack[index]
    out = []
    for name, value in err.suggestion.items():
        key = FIX_KEYS.get(name)
        if key is None or key not in convlab.KINDS.get(kind, (None, "", ""))[1]:  # a block: none
            continue
        given = {k: v for k, v in args if k != key}
        if value is not None:
            given[key] = convlab.planner.table.normal(
                tuple(value) if isinstance(value, (tuple, list)) else value)
        if kind == "upsample" and name == "scale_factor" and value is None:
            given.pop("s", None)
        row = (kind, tuple((k, given[k]) for k in convlab.planner.table.KEYS if k in given))
        new = (*stack[:index], row, *stack[index + 1:])
        try:
            convlab.planner.table.check_stack(new)
        except ValueError:
            continue
        out.append((f"{name}={value!r}", new))
    return out


def _take_stack(page: Frame, stack: Any) -> None:
    page["stack"] = stack
    page["preset"] = "custom"


def code_title(plan: convlab.StackPlan) -> str | None:
    """Which code the reproduce block shows: after a refusal, the stack up to the refused
    layer (running it ends with PyTorch's refusal); the layers after it are left out."""
    if plan.error is None:
        return None
    return t("pl.code_until", index=plan.error.index, layer=plan.error.layer)
