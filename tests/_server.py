"""A real ``streamlit run`` server and headless Chromium, for the browser tests and benchmarks."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The page has finished its script run (set on the app's root element).
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(timeout: float = 60.0, script: str = "streamlit_app.py",
                 env: Mapping[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run <script>`` (the app by default) on a free loopback port, with
    ``env`` added to its environment (``STREAMLIT_SERVER_COOKIE_SECRET``).

    Returns the process (leader of its own process group) and the base URL, once
    ``/_stcore/health`` answers.

    Raises:
        RuntimeError: if the server exits or does not answer within ``timeout`` seconds.
    """
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script,
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ, **(env or {})})
    proc.log = log  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = server_log(proc)
            stop_server(proc)
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{out}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            pass
        time.sleep(0.2)
    out = server_log(proc)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not answer {base}/_stcore/health in {timeout} s:\n{out}")


def server_log(proc: subprocess.Popen) -> str:
    """What the server has printed so far."""
    log = proc.log  # type: ignore[attr-defined]
    if log.closed:
        return ""
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (SIGKILL if it lingers) and close its log."""
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            except ProcessLookupError:
                pass
    finally:
        proc.log.close()  # type: ignore[attr-defined]


def launch_chromium(playwright):
    """Debian's chromium, headless (``playwright`` is a started sync Playwright).

    Raises:
        FileNotFoundError: if /usr/bin/chromium is missing.
    """
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} not found: install Debian's chromium package "
                                "(apt-get install chromium); CI installs it.")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)


@contextmanager
def checked_tab(browser, log: Callable[[], str] | None = None, width: int = 1280,
                height: int = 800, init_script: str | None = None,
                console_errors: re.Pattern[str] | None = None) -> Iterator[Any]:
    """A page in a fresh browser context (own cookies and session, 30 s timeouts).

    Page errors fail it when the block ends (with the tail of ``log()``, the server's log,
    where given); so do console errors, where ``console_errors`` is given, from any URL
    it does not match (the known, harmless failures). ``init_script`` runs in every
    document before the page's own scripts.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []

    def console(msg) -> None:
        known = console_errors is not None and console_errors.search(msg.location.get("url", ""))
        if msg.type == "error" and not known:
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")

    if init_script is not None:
        context.add_init_script(init_script)
    if console_errors is not None:
        page.on("console", console)
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    try:
        yield page
    finally:
        context.close()
    server = f"\nserver log:\n{log()[-3000:]}" if log is not None else ""
    assert not problems, f"{problems}{server}"


def page_url(base: str, path: str) -> str:
    """URL of a page file: its stem, the home page at ``/``."""
    stem = Path(path).stem
    return f"{base}/" if stem == "home" else f"{base}/{stem}"
