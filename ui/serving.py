"""Several server processes behind a proxy: a tab that moves to another process reruns its
page there.

Behind nginx (deploy/), a tab whose process died reconnects to another process, which
starts a fresh session for it. The tab keeps showing its page and sends its next change as
a rerun of the lesson's fragment (ui/frame.py), which the fresh session has never run, so
Streamlit drops the request and the page stops answering. :func:`install` therefore runs a
fresh session's first request for a fragment it does not know as the tab's first visit
would be: the whole page, named by its path, entered from the URL the tab shows, which
holds its whole state. The page comes back as it was before that change (the change itself
is not applied: the URL wins on entering a page), now live on the new process; the next
change works as usual. Later requests behave as Streamlit's own.

Installed once per process by :mod:`ui.shell` (deploy/serve.py runs the home page in each
process at start, so it is in place before a tab moves there); if Streamlit's internals
ever move, it leaves them alone. tests/test_deploy.py checks it in a real browser.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

_LOG = logging.getLogger(__name__)
_installed = False
_install_lock = threading.Lock()


def install() -> bool:
    """Put the adjustment in place in this process (idempotent).

    Returns whether it is in place (False where Streamlit's internals differ from the ones
    this was written against: then nothing is changed).
    """
    global _installed
    with _install_lock:
        if _installed:
            return True
        try:
            from streamlit.runtime.app_session import AppSession
        except ImportError:
            return False
        if not all(hasattr(AppSession, name) for name in ("request_rerun", "has_fragment")):
            _LOG.warning("ui.serving: Streamlit's internals changed; left as they are")
            return False
        AppSession.request_rerun = _rerun_whole_page_first(  # type: ignore[method-assign]
            AppSession.request_rerun)
        _installed = True
        return True


def _stems() -> dict[str, str]:
    """Streamlit's page hash -> the name a first visit asks for: the page's URL path (its
    file stem: see STYLE.md), "" for the default page (the first, streamlit_app.py)."""
    from streamlit.util import calc_hash

    from ui.registry import pages

    return {calc_hash(p.stem): p.stem if i else "" for i, p in enumerate(pages())}


def _rerun_whole_page_first(request_rerun: Callable[..., None]) -> Callable[..., None]:
    """``AppSession.request_rerun``, running a fresh session's first fragment request as a
    first visit to the page (see the module's docstring)."""

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
