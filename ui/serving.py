"""Many sessions on one server, and several servers: two adjustments to Streamlit's runtime.

**Fewer wake-ups of the event loop per rerun.**

Streamlit hands every message a script thread produces (each element, each block) to the
server's event loop with its own ``loop.call_soon_threadsafe``: a write to the loop's
self-pipe, so a system call that gives up the GIL, and a wake-up of the loop, which then
wakes once more to flush the message. With dozens of script threads on two cores, py-spy
attached to the server under ``benchmarks/concurrency.py`` put a quarter of the server's time
there (``_write_to_self``), more than the lesson pages' own work.

:func:`install` makes both hand-offs batch: a session's script-runner events go into its own
queue in order, and only the first event of a batch schedules the loop (which then runs the
whole batch, in order); the runtime's "there is data to send" signal is scheduled only when
it is not already set. Same events, same order, a fraction of the wake-ups. Installed once
per process by :mod:`ui.shell`; if Streamlit's internals ever move, it leaves them alone.
``CONVLAB_NO_BATCHING=1`` in the server's environment turns the batching off (to measure
the difference: ``benchmarks/concurrency.py --compare-batching``).

**A tab that moved to another process reruns its page there.** Behind nginx
(deploy/), a tab whose process died reconnects to another process, which starts a fresh
session for it; the tab keeps showing its page and sends its next change as a rerun of the
lesson's fragment, which the fresh session has never run, so Streamlit drops it and the
page stops answering. A fresh session's first request for a fragment it does not know is
therefore run as the tab's first visit would be: the whole page, named by its path, entered
from the URL the tab shows, which holds its whole state. The page comes back as it was
before that change (the change itself is not applied: the URL wins on entering a page),
now live on the new process; the next change works as usual. Later requests behave as
Streamlit's own.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

_LOG = logging.getLogger(__name__)
_installed = False
_batching = False
_install_lock = threading.Lock()


class Batcher:
    """Callbacks from any thread, run on ``loop`` in the order given, with one
    ``call_soon_threadsafe`` per batch rather than per callback.

    Lock-free under the GIL (``deque.append``/``popleft`` and an attribute store are atomic):
    a producer that finds ``scheduled`` set knows the loop has not yet started the batch,
    which then runs its callback too; one that finds it clear schedules a batch itself.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending: deque[Callable[[], None]] = deque()
        self.scheduled = False
        self.wakeups = 0  # batches scheduled so far (tests read it)

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the loop after every callback given before it.

        Raises RuntimeError as ``call_soon_threadsafe`` does when the loop is closed.
        """
        self.pending.append(callback)
        if self.scheduled:
            return
        self.scheduled = True
        self.wakeups += 1
        try:
            self.loop.call_soon_threadsafe(self._drain)
        except RuntimeError:
            self.pending.clear()
            self.scheduled = False
            raise

    def _drain(self) -> None:
        self.scheduled = False  # from here on, a new callback schedules a new batch
        pending = self.pending
        while pending:
            callback = pending.popleft()
            try:
                callback()
            except Exception as error:  # as the loop would: report it, run the rest
                self.loop.call_exception_handler(
                    {"message": "Exception in a batched callback", "exception": error})


def install() -> bool:
    """Both adjustments, in this process (idempotent).

    Returns whether the batching is in place (False where ``CONVLAB_NO_BATCHING=1``, or
    where Streamlit's internals differ from the ones this was written against: then
    nothing is changed).
    """
    global _installed, _batching
    with _install_lock:
        if _installed:
            return _batching
        try:
            from streamlit.runtime.app_session import AppSession
            from streamlit.runtime.runtime import Runtime
        except ImportError:
            return False
        hooks = [getattr(AppSession, name, None) for name in (
            "_call_soon_on_event_loop", "request_rerun", "has_fragment")]
        if None in hooks or not hasattr(Runtime, "_enqueued_some_message") or not hasattr(
                Runtime, "_get_async_objs"):
            _LOG.warning("ui.serving: Streamlit's internals changed; left as they are")
            return False

        def call_soon_batched(self: Any, callback: Callable[[], None]) -> None:
            batcher = self.__dict__.get("_convlab_batcher")
            if batcher is None or batcher.loop is not self._event_loop:
                with _install_lock:  # one batcher per session and loop, whichever thread
                    batcher = self.__dict__.get("_convlab_batcher")
                    if batcher is None or batcher.loop is not self._event_loop:
                        batcher = Batcher(self._event_loop)
                        self.__dict__["_convlab_batcher"] = batcher
            try:
                batcher.call_soon(callback)
            except RuntimeError:  # what the original does with a closed loop: drop it
                if not self._event_loop.is_closed():
                    raise

        def enqueued_some_message(self: Any) -> None:
            objs = self._get_async_objs()
            # Already set: the loop has not yet cleared it, so it will flush every queue,
            # this message included, after it does.
            if not objs.need_send_data.is_set():
                objs.eventloop.call_soon_threadsafe(objs.need_send_data.set)

        AppSession.request_rerun = _rerun_whole_page_first(  # type: ignore[method-assign]
            AppSession.request_rerun)
        _installed = True
        if os.environ.get("CONVLAB_NO_BATCHING") == "1":
            return False
        AppSession._call_soon_on_event_loop = call_soon_batched  # type: ignore[method-assign]
        Runtime._enqueued_some_message = enqueued_some_message  # type: ignore[method-assign]
        _batching = True
        return True


def _stems() -> dict[str, str]:
    """Streamlit's page hash -> the name a first visit asks for: the page's URL path (its
    file stem: see STYLE.md), "" for the default page (the first, streamlit_app.py)."""
    from streamlit.util import calc_hash

    from .registry import PAGES

    return {calc_hash(p.stem): p.stem if i else "" for i, p in enumerate(PAGES)}


def _rerun_whole_page_first(request_rerun: Callable[..., None]) -> Callable[..., None]:
    """``AppSession.request_rerun``, running a fresh session's first fragment request as a
    rerun of the whole page (see the module's docstring)."""

    def rerun(self: Any, client_state: Any = None) -> None:
        if (client_state is not None and client_state.fragment_id
                and not self.__dict__.get("_convlab_ran")
                and not self.has_fragment(client_state.fragment_id)):
            stem = _stems().get(client_state.page_script_hash)
            if stem is not None:
                whole = type(client_state)()
                whole.CopyFrom(client_state)
                whole.ClearField("fragment_id")
                # By name, as a first visit: by hash, a fresh session treats the run as a
                # page switch from its main page and the page does not see the URL.
                whole.ClearField("page_script_hash")
                whole.page_name = stem
                client_state = whole
        self.__dict__["_convlab_ran"] = True
        request_rerun(self, client_state)

    return rerun
