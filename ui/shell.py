"""The shell every page shares: language and compute device in the sidebar and the URL."""

from __future__ import annotations

import streamlit as st
import torch

import convlab

from .i18n import LANGUAGES, t
from .urlstate import ChoiceParam, PageState, show_notices


def _global_state() -> PageState:
    names = tuple(d.name for d in convlab.available_devices())
    return PageState("app", [ChoiceParam("lang", "en", tuple(LANGUAGES)),
                             ChoiceParam("device", names[0], names)])


def start() -> None:
    """Read language and device (URL first, on a new session) and draw the sidebar."""
    state = _global_state()
    first = "_app_started" not in st.session_state
    st.session_state["_app_started"] = True
    state.load(entering=first)
    st.session_state["lang"] = state["lang"]  # t() reads this
    with st.sidebar:
        st.selectbox(t("shell.language"), list(LANGUAGES), key=state.key("lang"),
                     format_func=LANGUAGES.get)
        st.session_state["lang"] = state["lang"]
        devices = {d.name: f"{d.label} ({d.name})" if d.kind != "cpu" else d.label
                   for d in convlab.available_devices()}
        st.selectbox(t("shell.device"), list(devices), key=state.key("device"),
                     format_func=devices.get, help=t("shell.device_help"))
    show_notices(state)


def shared_query() -> dict[str, str]:
    """The shell's URL parameters, for a page's :meth:`PageState.sync`."""
    return _global_state().query()


def device() -> torch.device:
    """The device the user picked (falls back to the default if it vanished)."""
    return convlab.resolve_device(st.session_state.get("app.device"))
