"""The transposed-convolution page's scatter view in headless Chromium: the window
explorer read the other way. Hovering an input cell outlines where its stamp lands, each
cell badged with the kernel weight stamped there; hovering an output cell outlines the
input cells that sum into it; Play stamps every input cell; none of it reruns the script."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests._server import IDLE, checked_tab
from ui.i18n import TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser, streamlit_log) -> Iterator[Page]:
    """A fresh browser context per test; page errors fail it."""
    with checked_tab(browser, streamlit_log) as page:
        yield page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hover_an_input_cell_shows_where_its_stamp_lands(tab, streamlit_server, lang):
    # the guide's fig. 4.5: a 2 x 2 input, k = 3, s = 2 -> 5 x 5 (nothing cropped)
    tab.goto(f"{streamlit_server}/conv_transpose?preset=guide_4_5&lang={lang}")
    tab.wait_for_selector("h1", timeout=60_000)
    tab.wait_for_selector(IDLE)
    tab.wait_for_selector(".cx-root [data-k]")
    root = tab.locator(".cx-root")
    x = tab.locator(".cx-grid[data-panel='x']")
    y = tab.locator(".cx-grid[data-panel='y']")
    expect(y.locator("[data-k]")).to_have_count(25)

    x.locator("[data-k='1']").hover()  # input cell (0, 1) stamps rows 0-2, columns 2-4
    expect(root).to_have_attribute("data-active", "output:0,1")
    marked = sorted(int(k) for k in y.locator(".cx-tap").evaluate_all(
        "els => els.map(e => e.dataset.k)"))
    assert marked == [r * 5 + c for r in range(3) for c in range(2, 5)]
    badges = y.locator(".cx-tap .cx-w").all_inner_texts()
    assert sorted(badges, key=int) == [str(n) for n in range(1, 10)]  # every tap once
    expect(tab.locator(".cx-status")).to_have_text(
        TEXT["ct.ex.status_output"][lang].format(row=0, col=1, n=9, m=9))

    y.locator("[data-k='2']").hover()  # output (0, 2): the middle column, two stamps
    expect(root).to_have_attribute("data-active", "input:0,2")
    assert x.locator(".cx-tap").count() == 2
    expect(tab.locator(".cx-status")).to_have_text(
        TEXT["ct.ex.status_input"][lang].format(row=0, col=2, m=2))

    tab.mouse.move(0, 0)
    tab.locator(".cx-speed input").fill("60")
    tab.locator(".cx-play").click()  # stamps every input cell, the last one last
    expect(root).to_have_attribute("data-active", "output:1,1", timeout=10_000)
    expect(root).to_have_attribute("data-playing", "0")

    x.locator("[data-k='3']").click()  # a click picks the input cell, through the URL
    expect(tab).to_have_url(re.compile(r"[?&]oi=1&oj=1(&|$)"))
