"""Shared fixtures: an AppTest per page, a real ``streamlit run`` server, headless Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the tests import ui/ and convlab/ as the app does
    sys.path.insert(0, str(ROOT))

from tests._server import (  # noqa: E402
    launch_chromium,
    server_log,
    start_server,
    stop_server,
)

APP = ROOT / "streamlit_app.py"
HOME = "pages/home.py"


def make_app(page: str = HOME, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest that has run ``page`` once, entered with ``query`` in its URL.

    The home page runs first (AppTest needs one run of the main script before it can
    switch pages; the shared ``lang`` and ``device`` are read on that first run). Home
    rewrites the URL to the shared parameters only, so the page's own parameters are put
    back before switching: a page reads its URL when it is entered.
    """
    at = AppTest.from_file(str(APP), default_timeout=60)
    query = dict(query or {})
    at.query_params.update(query)
    at.run()
    if page != HOME:
        at.query_params.update(query)
        at.switch_page(page)
        at.run()
    return at


@pytest.fixture(scope="session")
def _server_process():
    proc, base = start_server(timeout=60)
    try:
        yield proc, base
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def streamlit_server(_server_process) -> str:
    """Base URL of a real ``streamlit run streamlit_app.py``, shared by the session."""
    return _server_process[1]


@pytest.fixture(scope="session")
def streamlit_log(_server_process):
    """A function returning what the server has printed so far (for failure messages)."""
    return lambda: server_log(_server_process[0])


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; tests open a fresh context each.

    A missing /usr/bin/chromium fails (never skips) the browser tests: CI installs it.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = launch_chromium(p)
        except FileNotFoundError as err:
            missing = str(err)
        else:
            try:
                yield b
            finally:
                b.close()
            return
    pytest.fail(missing, pytrace=False)
