"""The shape planner in headless Chromium: at 1024 x 768 (a projector) its chart fits its
column, every layer in sight, its legend's words whole (issue 26: once a fixed 520 px that
clipped layers 12-14, the legend cut to "output heigh" and "receptive fie"); a layer name
typed into the table and Enter takes that exact name."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from test_browser import CHART, _wide_open, assert_no_exception, open_app

from tests._server import IDLE, checked_tab
from ui.i18n import TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, streamlit_log) -> Iterator[Page]:
    with checked_tab(browser, streamlit_log, width=1400, height=1000) as tab:
        yield tab


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_fits_a_projector_with_every_layer_and_its_legend_whole(
        browser, streamlit_server, streamlit_log, lang):
    tab, errors = _wide_open(browser, {"width": 1024, "height": 768},
                             f"{streamlit_server}/planner?lang={lang}")
    try:
        assert_no_exception(tab, streamlit_log)
        chart = tab.locator(CHART).filter(has_text=TEXT["pl.series.rf"][lang])
        expect(chart).to_have_count(1)
        chart.scroll_into_view_if_needed()
        found = chart.evaluate("""c => {
            const box = c.getBoundingClientRect();
            const parent = c.parentElement.getBoundingClientRect();
            const inside = b => b.left >= box.left - 1 && b.right <= box.right + 1;
            const x = [...c.querySelectorAll("g.role-axis")].find(
                a => (a.getAttribute("aria-label") || "").startsWith("X-axis"));
            const ticks = [...x.querySelectorAll(".role-axis-label text")].map(
                t => [t.textContent, inside(t.getBoundingClientRect())]);
            const points = [...c.querySelectorAll(".role-mark.marktype-symbol path, "
                                                  + ".mark-symbol path")].map(
                p => inside(p.getBoundingClientRect()));
            const legend = [...c.querySelectorAll(".role-legend-label text")].map(
                t => [t.textContent, inside(t.getBoundingClientRect())]);
            return {width: box.width, column: parent.width, right: box.right,
                    screen: window.innerWidth, ticks, points, legend};
        }""")
        assert found["right"] <= found["screen"] + 1, found
        assert found["width"] >= 0.9 * found["column"], found  # as wide as its column
        words = sorted(TEXT[f"pl.series.{s}"][lang] for s in ("size", "rf"))
        assert sorted(text for text, _ in found["legend"]) == words, found  # never cut
        assert all(ok for _, ok in found["legend"]), found
        assert all(ok for _, ok in found["ticks"]), found
        assert "14" in [text for text, _ in found["ticks"]], found  # AlexNet's last layer
        assert len(found["points"]) >= 2 * 15 and all(found["points"]), found
        assert not errors, errors
    finally:
        tab.context.close()


def _type_layer(tab, url: str, typed: str) -> str:
    """Double-click the first row's layer cell, type ``typed``, press Enter: the link's
    stack after the rerun."""
    open_app(tab, url)
    grid = tab.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    options = tab.locator("[role='listbox'] [role='option']")
    for _ in range(3):  # the editor's code loads on its first use; a click may only focus
        tab.mouse.dblclick(box["x"] + 90, box["y"] + 35 + 17)  # below the header, row 0
        tab.wait_for_timeout(1500)  # the cell's editor opens
        tab.keyboard.type(typed, delay=50)
        try:
            options.first.wait_for(timeout=5000)
            break
        except PlaywrightError:
            tab.keyboard.press("Escape")
    expect(options.first).to_have_text(typed)  # the first match is the exact name
    tab.keyboard.press("Enter")
    tab.wait_for_function("old => !location.href.includes(old)", arg="preset=lenet")
    tab.wait_for_selector(IDLE)
    return parse_qs(urlparse(tab.url).query)["stack"][0]


@pytest.mark.parametrize("typed, start, kind", [("ReLU", "preset=lenet", "relu"),
                                                ("AvgPool2d", "preset=lenet", "avgpool")])
def test_typing_a_layer_name_and_enter_takes_that_exact_name(page, streamlit_server,
                                                             streamlit_log, typed, start,
                                                             kind):
    """The drop-down filters by what is typed and Enter takes the first match: "ReLU"
    once took LeakyReLU, "AvgPool2d" AdaptiveAvgPool2d."""
    stack = _type_layer(page, f"{streamlit_server}/planner?{start}", typed)
    assert stack.split("_")[0].split(".")[0] == kind, stack
    assert_no_exception(page, streamlit_log)
