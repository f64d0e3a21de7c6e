"""The preset box: a named example that sets many widgets at once, kept in the URL."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.frame.base import PageContext
from ui.frame.layout import Slots, preset_set
from ui.urlstate import ChoiceParam


def apply_preset(page: PageContext) -> None:
    """on_change of the preset box: copy the preset's settings into the widgets."""
    fill = page.record.preset_values
    if fill is None:
        return
    values = fill(page["preset"], page.values)
    for name, value in values.items():
        page[name] = value
    preset_set(page, values)


def preset_from_url(page: PageContext) -> set[str]:
    """A link naming a preset opens that preset; parameters also in the link win.
    Returns the settings the preset set."""
    fill = page.record.preset_values
    if fill is None or "preset" not in st.query_params:
        return set()
    given = set(st.query_params)
    values = fill(page["preset"], page.values)
    for name, value in values.items():
        if name not in given:
            page[name] = value
    return set(values)


def preset_box(page: PageContext, slots: Slots) -> None:
    """The preset box at the top of the control column (names without their answer in
    predict mode)."""
    words = {k: page.word(f"preset.{k}") for k in page.presets}
    if page.in_predict_mode():  # predict mode: no answer in a name
        words = {k: w.split("→")[0].rstrip(" ,，:：") for k, w in words.items()}
    slots.controls.selectbox(page.word("preset"), page.presets, key=page.key("preset"),
                             format_func=words.__getitem__, on_change=apply_preset,
                             args=(page,))


def preset_param(presets: Sequence[str]) -> ChoiceParam:
    """The preset box's URL parameter: ``presets`` ids, the default first."""
    return ChoiceParam("preset", presets[0], tuple(presets))
