"""The shell every page shares: the translated menu, language and device, in the sidebar
and the URL.

Each page starts the shell itself (through :func:`ui.frame.lesson`) rather than
streamlit_app.py: with a ``pages/`` folder, Streamlit runs a deep-linked page file
directly until the main script has run once in the process, and AppTest always does.
"""

from __future__ import annotations

import time

import streamlit as st
import torch
from streamlit.runtime.scriptrunner import get_script_run_ctx

import convlab
from ui import serving
from ui.i18n import LANGUAGES, t
from ui.registry import pages
from ui.urlstate import ChoiceParam, Notice, PageState, language_changed

_PAGE = "_app_page"  # the page of the previous run: a different one means "entered"
# The lessons' tensors are tiny: one intra-op thread answers fastest, and several sessions
# on a small server do not fight over cores. Timing panels ask for every thread back
# (frame.on_demand), so that they measure what PyTorch does by default.
ALL_THREADS = torch.get_num_threads()
torch.set_num_threads(1)
# Behind a proxy (deploy/): a tab that moves to another process reruns its page there.
serving.install()


def _global_state() -> PageState:
    names = tuple(d.name for d in convlab.available_devices())
    return PageState("app", [ChoiceParam("lang", "en", tuple(LANGUAGES)),
                             ChoiceParam("device", names[0], names)])


def configure(*, record: bool = True) -> tuple[PageState, bool]:
    """Page config and the shared values (read from the URL when a page is entered).

    Returns the shared state and whether this run entered a page. Draws nothing.
    ``record=False`` (streamlit_app.py, before the page runs) leaves the page's own
    call to record which page this run is on: once a process has run the main script,
    every run calls this twice, and only the page's call may say "entering".
    """
    st.set_page_config(page_title="ConvLab", page_icon=":material/grid_on:", layout="wide")
    state = _global_state()
    ctx = get_script_run_ctx()
    page_id = ctx.page_script_hash if ctx is not None else ""
    entering = st.session_state.get(_PAGE) != page_id
    if record:
        st.session_state[_PAGE] = page_id
    state.load(entering=entering)
    # Each page draws its own sidebar, so on a page switch these are new widgets and
    # Streamlit would reset them to their defaults: carry the values over explicitly.
    for p in state.params:
        st.session_state[state.key(p.name)] = state[p.name]
    shown = st.session_state.get("lang")
    if shown is not None and shown != state["lang"]:
        language_changed()
    st.session_state["lang"] = state["lang"]  # t() reads this
    return state, entering


def start() -> tuple[list[Notice], bool]:
    """Configure, then draw the sidebar; returns the shared URL notices and ``entering``."""
    mark_start()
    state, entering = configure()
    with st.sidebar:
        # Our own menu (st.navigation is hidden) so it is translated, and identical whether
        # Streamlit runs the page through streamlit_app.py or directly.
        for page in pages():
            st.page_link(page.path, label=t(page.title_key), icon=page.icon)
        st.divider()
        st.selectbox(t("shell.language"), tuple(LANGUAGES), key=state.key("lang"),
                     format_func=LANGUAGES.__getitem__)
        st.session_state["lang"] = state["lang"]
        devices = {d.name: f"{d.label} ({d.name})" if d.kind != "cpu" else d.label
                   for d in convlab.available_devices()}
        st.selectbox(t("shell.device"), tuple(devices), key=state.key("device"),
                     format_func=devices.__getitem__, help=t("shell.device_help"))
        st.caption(t("shell.about"))
    return state.notices, entering


def mark_start() -> None:
    """A run (of the page, or of a fragment of it) starts now: see :func:`finish`."""
    st.session_state["_run_started"] = time.perf_counter()


def sync_url(page: PageState | None = None) -> None:
    """Write the shared values and ``page``'s own into the URL."""
    query = _global_state().query()
    if page is not None:
        page.sync(query)
    elif {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)


def finish(page: PageState | None = None) -> None:
    """Bottom of every page: write the URL, record the server-side rerun time."""
    sync_url(page)
    started = st.session_state.get("_run_started")
    if started is not None:  # read by benchmarks/rerun_latency.py; shown nowhere
        st.session_state["_rerun_seconds"] = time.perf_counter() - started


def device() -> torch.device:
    """The device the user picked (falls back to the default if it vanished)."""
    return convlab.resolve_device(st.session_state.get("app.device"))
