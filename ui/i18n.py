"""Every visible string, in English and Simplified Chinese: ``t("key", **values)``.

The table is split by topic in ``ui/text/``: shared words, the Conv2d controls, and one
module per page (a lesson's module holds its menu title ``nav.<stem>`` and its home card
``home.card.<stem>`` too). Every module of the package that defines ``TEXT`` is found and
merged here, in module-name order: adding one needs no edit to this file, and a key
defined in two modules raises. PyTorch's own error messages stay in English (they are
quoted, as a learner would search for them); everything around them is translated.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import streamlit as st

import ui.text

LANGUAGES = {"en": "English", "zh": "简体中文"}


def _merge(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"translation keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


def _tables() -> list[dict[str, dict[str, str]]]:
    """The ``TEXT`` of every module in ``ui.text``, in module-name order (a module without
    one, such as ``code_comments``, holds another table and is left out)."""
    names = sorted(info.name for info in pkgutil.iter_modules(ui.text.__path__))
    modules = [importlib.import_module(f"ui.text.{name}") for name in names]
    return [module.TEXT for module in modules if hasattr(module, "TEXT")]


TEXT = _merge(*_tables())


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
