"""The window explorer in headless Chromium: hover, arrow keys, Play and Step answer in the
browser with no script run; a click picks the cell through the server and the URL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests._server import IDLE, checked_tab, start_server, stop_server
from ui.i18n import TEXT

pytestmark = pytest.mark.browser

# Streamlit's own requests that fail on an offline test machine, not the app's: the
# health probe under the page's path and the favicon icon from Google's font server.
KNOWN_FAILURES = re.compile(r"/_stcore/(health|host-config)$|fonts\.gstatic\.com")
# Counts, from before the app loads, what a rerun leaves behind: the app root's
# script-state changes (window.__runs) and every message the browser sends the server
# (window.__sent: a rerun request is one; a fast fragment rerun can leave the root's state
# unchanged, a request cannot go unsent).
COUNT_RUNS = """
window.__runs = 0;
window.__sent = 0;
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  send(...args) { window.__sent += 1; return super.send(...args); }
};
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(records => {
    window.__runs += records.filter(r => r.target.matches("[data-testid='stApp']")).length;
  }).observe(document.body, {attributes: true, subtree: true,
                             attributeFilter: ["data-test-script-state"]});
});
"""
# Two animation frames and a pause: time for a rerun to start if anything had asked for one.
SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => "\
         "setTimeout(r, 250))))"
# (page, URL query, the output cell the page opens picked, output rows, output cols)
PAGES = [("output_size", "h=6&lock=1&kh=3&ph=1&sh=1&oi=1&oj=1", (1, 1), 6, 6),
         ("multichannel", "", (0, 0), 2, 2)]


@pytest.fixture
def tab(browser, streamlit_log) -> Iterator[Page]:
    """A fresh context per test; console errors and page errors fail it."""
    with checked_tab(browser, streamlit_log, init_script=COUNT_RUNS,
                     console_errors=KNOWN_FAILURES) as page:
        yield page


def runs(page: Page) -> tuple[int, int]:
    """(script-state changes, messages sent to the server) so far."""
    page.evaluate(SETTLE)
    return page.evaluate("() => [window.__runs, window.__sent]")


def open_explorer(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)  # a cold server imports torch first
    page.wait_for_selector(IDLE)
    page.wait_for_selector(".cx-root [data-k]")
    page.wait_for_selector(IDLE)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("stem,query,picked,rows,cols", PAGES, ids=[p[0] for p in PAGES])
def test_the_explorer_answers_without_a_rerun(tab, streamlit_server, stem, query, picked,
                                              rows, cols, lang):
    open_explorer(tab, f"{streamlit_server}/{stem}?{query}&lang={lang}".replace("?&", "?"))
    root = tab.locator(".cx-root")
    status = tab.locator(".cx-status")
    out = tab.locator(".cx-grid[data-panel='y']")
    inp = tab.locator(".cx-grid[data-panel^='x']").first
    expect(root).to_have_attribute("data-picked", f"{picked[0]},{picked[1]}")
    before = runs(tab)

    # hover an output cell: its window is outlined in the input, its status in the language
    draws = int(root.get_attribute("data-draws") or 0)
    out.locator(f"[data-k='{cols + 1}']").hover()
    expect(root).to_have_attribute("data-active", "output:1,1")
    assert int(root.get_attribute("data-draws") or 0) > draws
    assert inp.locator(".cx-tap").count() > 0
    expect(status).to_have_text(re.compile(re.escape(
        TEXT["ex.status_output"][lang].split("(")[0].strip())))
    assert runs(tab) == before

    # hover an input cell: every output cell reading it is outlined
    inp.locator("[data-k='0']").hover()
    expect(root).to_have_attribute("data-active", "input:0,0")
    assert out.locator(".cx-tap").count() >= 1
    assert runs(tab) == before

    # focus and arrow keys move the cursor from the picked cell
    out.focus()
    expect(root).to_have_attribute("data-active", f"output:{picked[0]},{picked[1]}")
    tab.keyboard.press("ArrowDown")
    expect(root).to_have_attribute("data-active", f"output:{picked[0] + 1},{picked[1]}")
    tab.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("data-active", f"output:{picked[0] + 1},{picked[1] + 1}")
    assert runs(tab) == before

    # Step moves the window one output on; Play runs through to the last output
    tab.mouse.move(0, 0)
    tab.locator(".cx-step").click()
    expect(root).to_have_attribute("data-steps", "1")
    speed = tab.locator(".cx-speed input")
    speed.fill("60")
    tab.locator(".cx-play").click()
    expect(root).to_have_attribute("data-active", f"output:{rows - 1},{cols - 1}",
                                   timeout=10_000)
    expect(root).to_have_attribute("data-playing", "0")
    assert int(root.get_attribute("data-steps") or 0) > 1
    assert runs(tab) == before

    # a click goes to the server: the URL holds the pick, the page knows it
    out.locator(f"[data-k='{rows * cols - 1}']").click()  # the last cell
    expect(tab).to_have_url(re.compile(rf"[?&]oi={rows - 1}&oj={cols - 1}(&|$)"))
    tab.wait_for_selector(IDLE)
    assert runs(tab)[1] > before[1]
    expect(root).to_have_attribute("data-picked", f"{rows - 1},{cols - 1}")


def test_multichannel_click_recomputes_the_term_by_term_sum(tab, streamlit_server):
    """The one thing the server must answer: the picked cell's sum, term by term."""
    open_explorer(tab, f"{streamlit_server}/multichannel")
    code = tab.get_by_test_id("stCode").filter(has_text="×").first
    expect(code).to_contain_text("= 56")
    tab.locator(".cx-grid[data-panel='y'] [data-k='3']").click()
    expect(code).to_contain_text("= 120")
    expect(tab).to_have_url(re.compile(r"oi=1"))
    expect(tab.locator(".cx-root")).to_have_attribute("data-picked", "1,1")


def test_dark_theme_uses_streamlit_colours(tab, monkeypatch):
    """On a server whose theme is dark, the explorer's words and outlines take the theme's
    light text colour (Streamlit's --st-text-color), not a fixed black."""
    monkeypatch.setenv("STREAMLIT_THEME_BASE", "dark")
    proc, base = start_server(timeout=90)
    try:
        open_explorer(tab, f"{base}/output_size")
        for selector in (".cx-title", ".cx-status"):
            colour = tab.locator(selector).first.evaluate("e => getComputedStyle(e).color")
            channels = [int(v) for v in re.findall(r"\d+", colour)[:3]]
            assert sum(channels) / 3 > 150, (selector, colour)  # light text on dark
        tab.locator(".cx-grid[data-panel='y'] [data-k='0']").hover()
        ring = tab.locator(".cx-on").first.evaluate("e => getComputedStyle(e).boxShadow")
        channels = [int(v) for v in re.findall(r"\d+", ring)[:3]]
        assert sum(channels) / 3 > 150, ring
    finally:
        tab.goto("about:blank")  # leave before the server goes: no reconnect errors
        stop_server(proc)
