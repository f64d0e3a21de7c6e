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
from ui.registry import lessons, pages

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


@pytest.mark.parametrize("path,title_key", [(p.path, p.title_key) for p in pages()],
                         ids=[p.stem for p in pages()])
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
STAGE = ".st-key-stage"  # the frame's picture column (ui/frame/layout.py)
PICTURES = ("[data-testid='stHtml'], [data-testid='stVegaLiteChart'], "
            "[data-testid='stImage'], [data-testid^='stBidiComponent'], iframe")
LESSON_STEMS = [p.stem for p in pages() if p.stem != "home"]


def assert_no_sideways_scroll(tab: Page, stem: str) -> None:
    """Neither the document nor Streamlit's scrolling main block is wider than the screen."""
    widths = tab.evaluate(
        """main => [document.documentElement, document.querySelector(main)].map(
               e => [e.scrollWidth, e.clientWidth])""", MAIN)
    for scroll, client in widths:
        assert scroll <= client + 1, f"{stem}: {scroll} px wide on a {client} px screen"


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
        assert_no_sideways_scroll(tab, stem)
        # stacked: the picture column comes under the controls, not beside them
        stage = tab.locator(STAGE).bounding_box()
        assert stage is not None and stage["width"] > PHONE["width"] * 0.7
        assert not errors, errors
    finally:
        tab.context.close()


# ---- pictures that fit (issue 26, item 6) ------------------------------------------------------

# Content wider than its box where the box hides (or KaTeX scrolls) the rest: the element
# that owns it, its class, content width, box width. Widgets' own ellipses and KaTeX's
# hidden MathML copy are not pictures; a KaTeX line may overhang its box by a glyph's edge.
CUT = """main => {
    const widgets = new Set(["stSelectbox", "stSlider", "stCheckbox", "stToggle",
                             "stMultiSelect", "stNumberInput", "stRadio", "stTextInput"]);
    const cut = [];
    for (const e of document.querySelector(main).querySelectorAll("*")) {
        const katex = e.classList.contains("katex-display");
        const slack = katex ? 3 : 1;
        if (e.clientWidth === 0 || e.scrollWidth <= e.clientWidth + slack) continue;
        const overflow = getComputedStyle(e).overflowX;
        const owner = (e.closest("[data-testid]") || e).getAttribute("data-testid");
        if ((katex || overflow === "hidden" || overflow === "clip") && !widgets.has(owner)
                && !e.classList.contains("katex-mathml")) {
            cut.push([owner, String(e.className).slice(0, 40), e.scrollWidth, e.clientWidth]);
        }
    }
    return cut;
}"""


# Verdict cells of check tables that lie outside the box that shows them (a table wider
# than its column scrolls, and what is past the edge is out of sight) or off the screen.
VERDICTS_HIDDEN = """([main, head]) => {
    const hidden = [];
    for (const table of document.querySelector(main).querySelectorAll("table")) {
        const heads = [...table.querySelectorAll("th")].map(th => th.textContent.trim());
        const col = heads.indexOf(head);
        if (col < 0) continue;
        let view = table.parentElement;
        while (view && getComputedStyle(view).overflowX === "visible") view = view.parentElement;
        const box = (view || document.documentElement).getBoundingClientRect();
        for (const row of table.querySelectorAll("tbody tr")) {
            const b = row.children[col].getBoundingClientRect();
            if (b.left < Math.max(box.left, 0) - 1
                    || b.right > Math.min(box.right, window.innerWidth) + 1) {
                hidden.push([row.children[col].textContent.trim(), b.left, b.right]);
            }
        }
    }
    return hidden;
}"""


def _wide_open(browser, size: dict[str, int], url: str, scale: float = 1.0) -> tuple[Page, list]:
    context = browser.new_context(viewport=size, device_scale_factor=scale)
    context.set_default_timeout(60_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    open_app(tab, url)
    return tab, errors


def test_output_size_formula_fits_its_column_on_a_laptop(browser, streamlit_server,
                                                         streamlit_log):
    """At 1280 x 800 the worked formula shows whole: once the width column ran past its
    column ("W_out = ... = 3 + 1 = <cut>")."""
    tab, errors = _wide_open(browser, LAPTOP, f"{streamlit_server}/output_size")
    try:
        assert_no_exception(tab, streamlit_log)
        shown = tab.locator(f"{MAIN} .katex-display")
        assert shown.count() >= 1
        assert tab.evaluate(CUT, MAIN) == []
        assert not errors, errors
    finally:
        tab.context.close()


def test_pointwise_timing_charts_are_tall_enough_and_list_every_form(page, streamlit_server,
                                                                     streamlit_log):
    """After a timing run: plots of their own 240 px (not squeezed to 30-65 px by the
    legend and labels), several ticks on each axis, and all four forms in each legend."""
    open_app(page, f"{streamlit_server}/pointwise")
    page.get_by_role("button", name=TEXT["pw.run_timing"]["en"]).click()
    charts = page.locator(CHART).filter(has_text=TEXT["pw.timing.gflops_axis"]["en"])
    expect(charts).to_have_count(1, timeout=120_000)
    settle(page)
    assert_no_exception(page, streamlit_log)
    expect(page.get_by_text(TEXT["pw.timing_setup"]["en"].split("{")[0].strip()).first
           ).to_be_visible()
    forms = [TEXT[f"pw.form.{f}"]["en"] for f in ("conv2d", "matmul", "einsum",
                                                   "linear_channels_last")]
    timing = page.locator(CHART).filter(has_text=forms[2])
    expect(timing).to_have_count(2)
    for chart in timing.all():
        chart.scroll_into_view_if_needed()
        found = chart.evaluate("""c => {
            const box = c.getBoundingClientRect();
            const y = [...c.querySelectorAll("g.role-axis")].find(
                a => (a.getAttribute("aria-label") || "").startsWith("Y-axis"));
            const plot = y.querySelector(".role-axis-domain").getBoundingClientRect();
            const labels = [...c.querySelectorAll(".role-legend-label text")].map(t => {
                const b = t.getBoundingClientRect();
                return [t.textContent, b.left >= box.left - 1 && b.right <= box.right + 1
                        && b.bottom <= box.bottom + 1];
            });
            return {plot: plot.height, ticks: y.querySelectorAll(".role-axis-label text").length,
                    labels};
        }""")
        assert found["plot"] >= 200, found
        assert found["ticks"] >= 3, found
        assert sorted(text for text, _ in found["labels"]) == sorted(forms), found
        assert all(inside for _, inside in found["labels"]), found


def test_channel_wiring_at_d2ls_size_is_tall_and_labelled_apart(page, streamlit_server,
                                                                 streamlit_log):
    """cin=2, cout=2, groups=2: once 52 px tall, its channel labels on top of each other."""
    open_app(page, f"{streamlit_server}/multichannel?cin=2&cout=2&groups=2")
    assert_no_exception(page, streamlit_log)
    chart = page.locator(CHART).filter(has_text=TEXT["mc.wiring_in"]["en"])
    expect(chart).to_have_count(1)
    chart.scroll_into_view_if_needed()
    found = chart.evaluate("""c => ({
        height: c.getBoundingClientRect().height,
        labels: [...c.querySelectorAll(".role-mark text")].map(t => {
            const b = t.getBoundingClientRect();
            return [t.textContent, b.left, b.top, b.right, b.bottom];
        })})""")
    assert found["height"] >= 120, found
    labels = found["labels"]
    assert sorted(text for text, *_ in labels) == ["0", "0", "1", "1"], found  # each once
    for i, (_, l1, t1, r1, b1) in enumerate(labels):
        for _, l2, t2, r2, b2 in labels[i + 1:]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, found  # no two overlap


# ---- a projector: 1024 x 768, and the same at 150 % zoom -------------------------------------

# 150 % zoom of 1024 x 768: 683 x 512 CSS pixels, each drawn as 1.5 device pixels.
PROJECTOR = {"1024x768": ({"width": 1024, "height": 768}, 1.0, 1.0),
             "150pct": ({"width": 683, "height": 512}, 1.5, 1.5)}
CONTROLS = ("[data-testid='stNumberInput'], [data-testid='stSelectbox'], "
            "[data-testid='stSlider']")


@pytest.mark.parametrize("size", list(PROJECTOR))
@pytest.mark.parametrize("stem", [p.stem for p in lessons()])
def test_every_lesson_is_usable_on_a_projector(browser, streamlit_server, streamlit_log,
                                               stem, size):
    """No sideways scrolling of the page; the control column and the main picture shown
    whole across (inside the screen, each wide enough to use), the picture starting on the
    first screen at 1024 x 768 and within half a screen more at 150 % zoom (the title and
    intro take a third of a 512 px screen); nothing cut: no picture, table or formula wider
    than a box that hides the rest."""
    viewport, scale, screens = PROJECTOR[size]
    tab, errors = _wide_open(browser, viewport, f"{streamlit_server}/{stem}", scale)
    width, height = viewport["width"], viewport["height"]
    try:
        assert_no_exception(tab, streamlit_log)
        assert_no_sideways_scroll(tab, stem)
        control = tab.locator(MAIN).locator(CONTROLS).first
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        assert box["width"] >= 150 and box["y"] < height, f"{stem}: control at {box}"
        picture = tab.locator(STAGE).locator(PICTURES).first
        expect(picture).to_be_visible()
        pic = picture.bounding_box()
        assert pic is not None and pic["width"] >= 250, f"{stem}: picture at {pic}"
        assert pic["x"] >= 0 and pic["x"] + pic["width"] <= width + 1, f"{stem}: {pic}"
        assert pic["y"] < height * screens, f"{stem}: the picture starts at {pic['y']} px"
        assert tab.evaluate(CUT, MAIN) == [], stem
        hidden = tab.evaluate(VERDICTS_HIDDEN, [MAIN, TEXT["check.col_result"]["en"]])
        assert hidden == [], f"{stem}: check verdicts out of sight {hidden}"
        assert not errors, errors
    finally:
        tab.context.close()
