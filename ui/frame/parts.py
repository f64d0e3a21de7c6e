"""Parts of a lesson that rerun alone (Streamlit fragments): a part its own widgets change,
and work a learner starts with a button, with its progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
import torch

from ui import shell
from ui.frame.base import PageContext
from ui.i18n import t


def on_demand(page: PageContext, name: str, fn: Callable[..., Any], args: tuple[Any, ...],
              show: Callable[[Any], None]) -> None:
    """Work a learner starts with a button (a timing run), as a fragment: the button, a
    progress bar while it runs, and ``show(result)``, kept for this session until ``args``
    change. A click reruns this part alone.

    ``fn(*args, progress=...)`` receives a callable taking the fraction done.
    """
    slot = page.key(f"_done.{name}")
    label = page.label(name)

    @st.fragment
    def run() -> None:
        if st.button(label, key=page.key(name), icon=":material/play_arrow:"):
            bar = st.progress(0.0, text=t("frame.working"))
            torch.set_num_threads(shell.ALL_THREADS)
            try:
                result = fn(*args, progress=lambda f: bar.progress(
                    min(max(f, 0.0), 1.0), text=t("frame.working")))
            finally:
                torch.set_num_threads(1)
            bar.empty()
            st.session_state[slot] = (args, result)
        done = st.session_state.get(slot)
        if done is not None and done[0] == args:
            show(done[1])

    run()


def part(page: PageContext, draw: Callable[[], None]) -> None:
    """A part of the lesson that changes alone, as a fragment: a widget drawn inside
    ``draw()`` reruns this part only (the URL follows). Its widgets are placed explicitly
    (``container=``): the control column is outside the fragment."""
    @st.fragment
    def run() -> None:
        draw()
        shell.sync_url(page.state)

    run()
