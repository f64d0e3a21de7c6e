"""The preset box: a named example that sets many widgets at once, kept in the URL."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.frame.predict import PREDICT
from ui.frame.widgets import WidgetsMixin
from ui.urlstate import ChoiceParam


class PresetsMixin(WidgetsMixin):
    """Copying a preset's settings into the widgets, from the box or from a link."""

    def apply_preset(self) -> None:
        """on_change of the preset box: copy the preset's settings into the widgets."""
        if self._preset_values is None:
            return
        values = self._preset_values(self.state["preset"], self.values)
        for name, value in values.items():
            self.state[name] = value
        self._preset_set(values)

    def _preset_from_url(self) -> set[str]:
        """A link naming a preset opens that preset; parameters also in the link win.
        Returns the settings the preset set."""
        if self._preset_values is None or "preset" not in st.query_params:
            return set()
        given = set(st.query_params)
        values = self._preset_values(self.state["preset"], self.values)
        for name, value in values.items():
            if name not in given:
                self.state[name] = value
        return set(values)

    def _preset_box(self) -> None:
        words = {k: self._word(f"preset.{k}") for k in self.presets}
        if self.has(PREDICT) and self.state[PREDICT]:  # predict mode: no answer in a name
            words = {k: w.split("→")[0].rstrip(" ,，:：") for k, w in words.items()}
        self._primary.selectbox(self._word("preset"), self.presets, key=self.key("preset"),
                                format_func=words.__getitem__, on_change=self.apply_preset)


def preset_param(presets: Sequence[str]) -> ChoiceParam:
    """The preset box's URL parameter: ``presets`` ids, the default first."""
    return ChoiceParam("preset", presets[0], tuple(presets))
