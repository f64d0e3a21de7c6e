"""The shape planner in headless Chromium at 1024 x 768 (a projector): its chart fits its
column, every layer in sight, its legend's words whole (issue 26: once a fixed 520 px that
clipped layers 12-14, the legend cut to "output heigh" and "receptive fie")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import CHART, _wide_open, assert_no_exception

from ui.i18n import TEXT

pytestmark = pytest.mark.browser


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
