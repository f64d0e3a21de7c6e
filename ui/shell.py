"""The shell every page shares: language and compute device in the sidebar and the URL."""

from __future__ import annotations

import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
import torch

import convlab

from .i18n import LANGUAGES, t
from .urlstate import ChoiceParam, PageState, show_notices


# (file, title key, icon): the app's pages, in menu order. A page's URL path is its stem.
PAGES = [
    ("pages/home.py", "nav.home", ":material/home:"),
    ("pages/output_size.py", "nav.output_size", ":material/straighten:"),
    ("pages/multichannel.py", "nav.multichannel", ":material/layers:"),
]


def _global_state() -> PageState:
    names = tuple(d.name for d in convlab.available_devices())
    return PageState("app", [ChoiceParam("lang", "en", tuple(LANGUAGES)),
                             ChoiceParam("device", names[0], names)])


def configure() -> PageState:
    """Page config and the shared values (URL first, on a new session). Draws nothing.

    Safe to call more than once per run.
    """
    st.set_page_config(page_title="ConvLab", page_icon=":material/grid_on:", layout="wide")
    state = _global_state()
    # Read the URL on a new session and whenever a page is entered (a link opened, a page
    # switched); a parameter absent from the URL keeps the session's value.
    ctx = get_script_run_ctx()
    page_id = ctx.page_script_hash if ctx is not None else ""
    entering = st.session_state.get("_app_page") != page_id
    st.session_state["_app_page"] = page_id
    state.load(entering=entering)
    # Each page draws its own sidebar, so on a page switch these are new widgets and
    # Streamlit would reset them to their defaults: carry the values over explicitly.
    for p in state.params:
        st.session_state[state.key(p.name)] = state[p.name]
    if entering:
        st.session_state["_app_notices"] = state.notices
    st.session_state["lang"] = state["lang"]  # t() reads this
    return state


def start() -> None:
    """Top of every page: configure, then draw the sidebar's language and device choice."""
    st.session_state["_run_started"] = time.perf_counter()
    state = configure()
    with st.sidebar:
        # Our own menu (st.navigation is hidden) so it is translated, and identical whether
        # Streamlit runs the page through streamlit_app.py or directly (see that file).
        for path, title, icon in PAGES:
            st.page_link(path, label=t(title), icon=icon)
        st.divider()
        st.selectbox(t("shell.language"), list(LANGUAGES), key=state.key("lang"),
                     format_func=LANGUAGES.get)
        st.session_state["lang"] = state["lang"]
        devices = {d.name: f"{d.label} ({d.name})" if d.kind != "cpu" else d.label
                   for d in convlab.available_devices()}
        st.selectbox(t("shell.device"), list(devices), key=state.key("device"),
                     format_func=devices.get, help=t("shell.device_help"))
        st.caption(t("shell.about"))
    state.notices = st.session_state.get("_app_notices", [])
    show_notices(state)


def finish(page: PageState | None = None) -> None:
    """Bottom of every page: write the URL, record the server-side rerun time."""
    query = _global_state().query()
    if page is not None:
        page.sync(query)
    elif {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    started = st.session_state.get("_run_started")
    if started is not None:  # read by benchmarks/rerun_latency.py; shown nowhere
        st.session_state["_rerun_seconds"] = time.perf_counter() - started


def device() -> torch.device:
    """The device the user picked (falls back to the default if it vanished)."""
    return convlab.resolve_device(st.session_state.get("app.device"))
