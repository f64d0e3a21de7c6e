"""Headless Chromium against a real ``streamlit run``: every page renders without an
exception; deep links and a number input work end to end (a click in the window explorer:
test_browser_explorer.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Page, expect

from tests._server import IDLE, checked_tab, page_url
from ui.i18n import TEXT
from ui.registry import PAGES

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "screenshots"
EXCEPTION = "[data-testid='stException']"
CHART = "[data-testid='stVegaLiteChart']"
SKELETON = "[data-testid='stSkeleton']"
MAIN = "[data-testid='stMain']"


@pytest.fixture
def page(browser, streamlit_log) -> Iterator[Page]:
    """A fresh browser context (own cookies and session) per test; page errors fail it."""
    with checked_tab(browser, streamlit_log, width=1400, height=1000) as tab:
        yield tab


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


def test_pictures_keep_their_cells_styles_and_tooltips(page, streamlit_server, streamlit_log):
    """``st.html`` sanitises what it shows: the grid's layout, colours and tooltips survive."""
    open_app(page, f"{streamlit_server}/multichannel?preset=d2l_three")
    grid = page.locator("[data-testid='stHtml'] .clg-grid").first
    expect(grid).to_be_visible()
    assert grid.evaluate("g => getComputedStyle(g).display") == "grid"
    cells = grid.locator("div[title]")
    expect(cells).to_have_count(4)  # Y[0], 2 x 2 (the window explorer: test_browser_explorer)
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


# ---- the instrument layout: controls and the main picture on one laptop screen ----------------

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
STAGE = ".st-key-stage"  # the frame's picture column (ui/framing/layout.py)
PICTURES = ("[data-testid='stHtml'], [data-testid='stVegaLiteChart'], "
            "[data-testid='stImage'], [data-testid^='stBidiComponent'], iframe")
LESSON_STEMS = [p.stem for p in PAGES if p.stem != "home"]


def _open_at(browser, size: dict[str, int], url: str) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport=size)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    open_app(tab, url)
    return tab, errors


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_main_picture_starts_on_the_first_laptop_screen(browser, streamlit_server,
                                                        streamlit_log, stem, lang):
    """At 1280 x 800 the lesson's main picture (the first picture in the stage, beside the
    controls) has its top edge inside the first 800 px, and a control is there too."""
    tab, errors = _open_at(browser, LAPTOP, f"{streamlit_server}/{stem}?lang={lang}")
    try:
        assert_no_exception(tab, streamlit_log)
        picture = tab.locator(STAGE).locator(PICTURES).first
        expect(picture).to_be_visible()
        box = picture.bounding_box()
        assert box is not None and box["height"] > 0
        assert 0 <= box["y"] < LAPTOP["height"], f"{stem}: the picture starts at {box['y']} px"
        control = tab.locator("[data-testid='stNumberInput'], [data-testid='stSelectbox']")
        first = [b for b in (c.bounding_box() for c in control.all()[:3]) if b]
        assert first and min(b["y"] for b in first) < LAPTOP["height"]
        assert not errors, errors
    finally:
        tab.context.close()


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_no_sideways_scrolling_on_a_phone(browser, streamlit_server, streamlit_log, stem):
    """At 390 x 844 the layout stacks: neither the document nor Streamlit's scrolling main
    block is wider than the screen."""
    tab, errors = _open_at(browser, PHONE, f"{streamlit_server}/{stem}")
    try:
        assert_no_exception(tab, streamlit_log)
        widths = tab.evaluate(
            """main => [document.documentElement, document.querySelector(main)].map(
                   e => [e.scrollWidth, e.clientWidth])""", MAIN)
        for scroll, client in widths:
            assert scroll <= client + 1, f"{stem}: {scroll} px wide on a {client} px screen"
        # stacked: the picture column comes under the controls, not beside them
        stage = tab.locator(STAGE).bounding_box()
        assert stage is not None and stage["width"] > PHONE["width"] * 0.7
        assert not errors, errors
    finally:
        tab.context.close()
