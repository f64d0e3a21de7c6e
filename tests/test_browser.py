"""Headless Chromium against a real ``streamlit run``: every page renders without an
exception; deep links, a number input and a click on the output grid work end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Page, expect

from tests._server import IDLE, page_url
from ui.i18n import TEXT
from ui.registry import PAGES

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
EXCEPTION = "[data-testid='stException']"
CHART = "[data-testid='stVegaLiteChart']"
SKELETON = "[data-testid='stSkeleton']"
MAIN = "[data-testid='stMain']"


@pytest.fixture
def page(browser, streamlit_log) -> Page:
    """A fresh browser context (own cookies and session) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}\nserver log:\n{streamlit_log()[-3000:]}"


def settle(tab: Page) -> None:
    """Wait until the script run is over and every element has drawn.

    Elements whose code loads lazily show an ``stSkeleton`` placeholder for a while after
    the run is over, and a chart draws its SVG later still.
    """
    tab.wait_for_selector(IDLE)
    tab.wait_for_function(
        """([skeleton, chart]) => !document.querySelector(skeleton) &&
               [...document.querySelectorAll(chart)].every(c => c.querySelector('svg, canvas'))""",
        arg=[SKELETON, CHART])
    tab.wait_for_selector(IDLE)


def screenshot(tab: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to it."""
    height = tab.evaluate("s => document.querySelector(s).scrollHeight", MAIN)
    tab.set_viewport_size({"width": 1400, "height": min(max(height, 1000), 8000)})
    settle(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"))


def open_app(tab: Page, url: str) -> None:
    tab.goto(url)
    tab.wait_for_selector("h1")  # the first run has drawn (the idle state is also the start)
    settle(tab)


def assert_no_exception(tab: Page, log) -> None:
    """No exception shown, and no formula KaTeX could not typeset (it shows those as red
    source text)."""
    shown = tab.locator(EXCEPTION)
    assert shown.count() == 0, f"{shown.all_inner_texts()}\nserver log:\n{log()[-3000:]}"
    broken = tab.locator(".katex-error")
    assert broken.count() == 0, [b.get_attribute("title") for b in broken.all()]


@pytest.mark.parametrize("path,title_key", [(p.path, p.title_key) for p in PAGES],
                         ids=[p.stem for p in PAGES])
def test_page_renders(page, streamlit_server, streamlit_log, path, title_key):
    open_app(page, page_url(streamlit_server, path))
    assert_no_exception(page, streamlit_log)
    assert page.locator("h1").first.inner_text().strip()
    # The page's menu entry (its title) is shown, and this is the page the menu marks.
    expect(page.get_by_text(TEXT[title_key]["en"], exact=True).first).to_be_visible()
    screenshot(page, Path(path).stem)


def test_deep_link_with_corrections_in_chinese(page, streamlit_server, streamlit_log):
    open_app(page, f"{streamlit_server}/output_size?h=abc&kh=99&lang=zh")
    assert_no_exception(page, streamlit_log)
    expect(page.locator("h1").first).to_have_text(TEXT["os.title"]["zh"])
    notice = page.get_by_test_id("stAlertContentWarning").first
    expect(notice).to_contain_text(TEXT["url.corrected_title"]["zh"])
    expect(notice).to_contain_text("h=abc")
    expect(notice).to_contain_text("kh=99")
    # The URL now holds the corrected values (kernel 9, width locked to height).
    expect(page).to_have_url(re.compile(r"/output_size\?.*kh=9(&|$)"))
    assert "h=abc" not in page.url and "lang=zh" in page.url


def test_number_input_reruns_and_updates_the_url(page, streamlit_server, streamlit_log):
    open_app(page, f"{streamlit_server}/output_size")
    height = page.get_by_test_id("stNumberInput").filter(has_text=TEXT["conv.h"]["en"])
    height.get_by_test_id("stNumberInputStepUp").click()
    expect(page).to_have_url(re.compile(r"[?&]h=9(&|$)"))
    settle(page)
    assert_no_exception(page, streamlit_log)
    field = height.locator("input")
    field.fill("12")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]h=12(&|$)"))
    settle(page)
    assert_no_exception(page, streamlit_log)
    # (12 + 2*1 - 3) // 2 + 1 = 6, width locked to height
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("1 × 4 × 6 × 6")


def test_click_on_the_output_grid_picks_the_cell(page, streamlit_server, streamlit_log):
    open_app(page, f"{streamlit_server}/output_size")
    grid = page.locator(CHART).filter(has=page.locator("text", has_text=TEXT["os.out_title"]["en"]))
    expect(grid).to_have_count(1)
    # Vega's SVG renderer labels each mark with its encoded fields.
    cell = grid.locator("g.mark-rect path[aria-label*='row: 2'][aria-label*='col: 3']")
    expect(cell).to_have_count(1)
    cell.click()
    expect(page).to_have_url(re.compile(r"oi=2&oj=3"))
    settle(page)
    assert_no_exception(page, streamlit_log)
    sliders = page.get_by_test_id("stSlider")
    expect(sliders.filter(has_text=TEXT["conv.oi"]["en"])).to_contain_text("2")
    expect(sliders.filter(has_text=TEXT["conv.oj"]["en"])).to_contain_text("3")


def test_pictures_keep_their_cells_styles_and_tooltips(page, streamlit_server, streamlit_log):
    """``st.html`` sanitises what it shows: the grid's layout, colours and tooltips survive."""
    open_app(page, f"{streamlit_server}/output_size?h=4&lock=1&kh=3&ph=1")
    grid = page.locator("[data-testid='stHtml'] .clg-grid").first
    expect(grid).to_be_visible()
    assert grid.evaluate("g => getComputedStyle(g).display") == "grid"
    cells = grid.locator("div[title]")
    expect(cells).to_have_count(36)  # a 4 x 4 input padded by 1
    first = cells.first
    assert first.get_attribute("title").startswith(TEXT["chart.row"]["en"])
    colour = first.evaluate("c => getComputedStyle(c).backgroundColor")
    assert colour not in ("", "rgba(0, 0, 0, 0)", "transparent"), colour
    assert_no_exception(page, streamlit_log)


def test_language_survives_navigation(page, streamlit_server, streamlit_log):
    open_app(page, f"{streamlit_server}/")
    page.get_by_test_id("stSelectbox").filter(has_text=TEXT["shell.language"]["en"]).click()
    page.get_by_role("option", name="简体中文").click()
    expect(page.locator("h1").first).to_have_text(TEXT["home.title"]["zh"])
    settle(page)
    page.get_by_test_id("stSidebar").get_by_text(TEXT["nav.output_size"]["zh"]).click()
    expect(page.locator("h1").first).to_have_text(TEXT["os.title"]["zh"])
    settle(page)
    assert_no_exception(page, streamlit_log)
    expect(page).to_have_url(re.compile(r"/output_size\?lang=zh$"))
