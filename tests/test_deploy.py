"""deploy/: nginx in front of two real ``streamlit run`` processes, for real (issue 22).

A Chromium tab opens a page with its state in the URL through nginx; the process serving
it is killed; the tab reconnects through nginx to the other process and shows the same
configuration, and that process answers a change.
"""

from __future__ import annotations

import os
import re
import signal
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from deploy.serve import Deployment, nginx_config, start
from tests._server import IDLE, checked_tab

pytestmark = pytest.mark.browser

# A page whose state is not its defaults (8, 3, 4): height 12, kernel 5, 7 out channels.
QUERY = "h=12&kh=5&cout=7"
VALUES = {"h": 12, "kh": 5, "cout": 7}


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    """Two app processes and nginx in front (deploy/serve.py); nginx missing fails."""
    d = start(2)
    try:
        yield d
    finally:
        d.stop()


def upstream(tab: Page, base: str) -> int:
    """The port of the process nginx sends this tab's requests to (its route cookie)."""
    response = tab.request.get(f"{base}/_stcore/health")
    assert response.ok, response.status
    return int(response.headers["x-convlab-upstream"].rsplit(":", 1)[1])


def expect_numbers(tab: Page, values: dict[str, int]) -> None:
    for name, value in values.items():
        expect(tab.locator(f".st-key-output_size-{name} input").first).to_have_value(
            str(value), timeout=30_000)


def test_config_has_one_server_line_per_process_and_the_websocket_upgrade():
    conf = nginx_config([8601, 8602], "127.0.0.1:8600")
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=1", conf) == ["8601", "8602"]
    assert "listen 127.0.0.1:8600;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "hash $convlab_route consistent;" in conf
    assert "@" not in conf.replace("@SERVERS@", "")  # every placeholder filled


def test_requests_without_a_cookie_spread_and_a_cookie_sticks(deployment):
    """Fresh visitors land on both processes; one visitor's requests all reach one."""
    seen = set()
    for _ in range(16):
        with urllib.request.urlopen(f"{deployment.base}/_stcore/health", timeout=10) as r:
            seen.add(r.headers["X-ConvLab-Upstream"])
            cookies = r.headers.get_all("Set-Cookie") or []
            assert any(c.startswith("convlab_route=") for c in cookies), cookies
    assert len(seen) == 2, seen
    route = {"Cookie": "convlab_route=one-learner"}
    answers = set()
    for _ in range(6):
        req = urllib.request.Request(f"{deployment.base}/_stcore/health", headers=route)
        with urllib.request.urlopen(req, timeout=10) as r:
            answers.add(r.headers["X-ConvLab-Upstream"])
    assert len(answers) == 1, answers


def test_a_killed_process_loses_nothing(browser, deployment):
    base = deployment.base
    with checked_tab(browser, deployment.nginx_log, width=1280, height=900) as tab:
        tab.goto(f"{base}/output_size?{QUERY}")
        tab.wait_for_selector("h1")
        tab.wait_for_selector(IDLE)
        expect_numbers(tab, VALUES)
        port = upstream(tab, base)
        victim = deployment.servers[deployment.ports.index(port)]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)

        # The tab reconnects through nginx to the survivor, a fresh session there. Its
        # next change (h 13) is run as a first visit to the page the tab shows, from its URL
        # (ui/serving.py): the same configuration comes back, served by the survivor.
        survivor = next(p for p in deployment.ports if p != port)
        change_height(tab, 13)
        expect_numbers(tab, VALUES)
        tab.wait_for_selector(IDLE)
        assert upstream(tab, base) == survivor
        assert all(f"{k}={v}" in tab.url for k, v in VALUES.items()), tab.url
        expect(tab.locator("[data-testid='stException']")).to_have_count(0)

        # Live there: a change reruns on the survivor and reaches the URL, the rest kept.
        change_height(tab, 13)
        expect(tab).to_have_url(re.compile(r"[?&]h=13(&|$)"), timeout=30_000)
        expect_numbers(tab, {**VALUES, "h": 13})
        assert "kh=5" in tab.url and "cout=7" in tab.url
        expect(tab.locator("[data-testid='stException']")).to_have_count(0)


def change_height(tab: Page, value: int) -> None:
    field = tab.locator(".st-key-output_size-h input").first
    field.fill(str(value))
    field.press("Enter")



def test_a_fresh_sessions_first_fragment_request_enters_the_page_from_its_url():
    """ui.serving: the first request of a session that took a tab over becomes a first visit
    (page by name, no fragment, the tab's URL); the ones after pass through unchanged."""
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.util import calc_hash

    from ui.serving import _rerun_whole_page_first

    class Session:
        def has_fragment(self, fragment_id: str) -> bool:
            return False

    asked: list[ClientState] = []
    rerun = _rerun_whole_page_first(lambda session, state: asked.append(state))
    tab = ClientState(query_string="h=12&kh=5", fragment_id="f1",
                      page_script_hash=calc_hash("output_size"))
    session = Session()
    rerun(session, tab)
    rerun(session, tab)
    first, second = asked
    assert (first.page_name, first.fragment_id, first.page_script_hash) == ("output_size", "", "")
    assert first.query_string == "h=12&kh=5"
    assert second == tab  # later requests: Streamlit's own handling
