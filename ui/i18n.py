"""Every visible string, in English and Simplified Chinese: ``t("key", **values)``.

The table is split by topic in ``ui/text/``: shared words, the Conv2d controls, and one
module per page. PyTorch's own error messages stay in English (they are quoted, as a
learner would search for them); everything around them is translated.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.text import (
    common,
    conv,
    conv_transpose,
    explorer,
    fc_conv,
    home,
    learn_kernel,
    multichannel,
    output_size,
    planner,
    planner_reasons,
    pointwise,
    pooling,
    reasons,
    twins,
)

LANGUAGES = {"en": "English", "zh": "简体中文"}


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"translation keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


TEXT = _merge(common.TEXT, conv.TEXT, home.TEXT, output_size.TEXT, multichannel.TEXT,
              fc_conv.TEXT, pointwise.TEXT, learn_kernel.TEXT, twins.TEXT,
              explorer.TEXT, conv_transpose.TEXT, planner.TEXT, planner_reasons.TEXT, pooling.TEXT,
              reasons.TEXT)


def language() -> str:
    lang = st.session_state.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, **values: Any) -> str:
    """The text for ``key`` in the current language, with ``values`` filled in.

    A missing key shows as the key itself (and fails the translation tests), never raises.
    """
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(language()) or entry["en"]
    return text.format(**values) if values else text


def reason(err: Any) -> str:
    """Why a ``ConvConfigError`` refuses, in the current language, from its reason code.

    An error convlab raised without a code keeps its own (English) sentence in English and
    reads as a plain "cannot be this value here" in Chinese: never English on that page.
    """
    code = getattr(err, "code", "") or ""
    values = {"parameter": err.parameter, "value": repr(err.value), **err.values}
    if f"reason.{code}" in TEXT:
        try:
            return t(f"reason.{code}", **values)
        except (KeyError, IndexError, ValueError):  # a value missing: the plain wording
            pass
    own = str(getattr(err, "reason", "") or "")
    if language() == "en" and own:
        return own
    return t("reason.generic", **values)
