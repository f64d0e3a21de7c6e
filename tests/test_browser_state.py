"""A page's state in a real browser (issue 26, items 3 and 5): a choice reads in the new
language after the sidebar switches it, and a page keeps its settings when the learner
leaves it and comes back through the menu or the Back button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests._server import IDLE, checked_tab, page_url
from ui.i18n import TEXT

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, streamlit_server, streamlit_log) -> Iterator[Page]:
    """A fresh tab on a server that has run its main script once (as any server has after
    its first visitor): from then on every run passes through streamlit_app.py first."""
    with checked_tab(browser, streamlit_log, width=1280, height=900) as first:
        first.goto(streamlit_server + "/")
        first.wait_for_selector("h1")
        _idle(first)
    with checked_tab(browser, streamlit_log, width=1280, height=900) as tab:
        yield tab


def _idle(tab: Page) -> None:
    tab.wait_for_timeout(300)
    tab.wait_for_selector(IDLE)


def _expect_numbers(tab: Page, **values: int) -> None:
    """The page's number inputs show these values (waiting for the run that draws them)."""
    for name, value in values.items():
        expect(tab.locator(f".st-key-output_size-{name} input").first).to_have_value(
            str(value), timeout=20_000)


def test_the_chosen_preset_reads_in_the_new_language(page, streamlit_server):
    page.goto(page_url(streamlit_server, "pages/output_size.py") + "?preset=d2l_pad1")
    page.wait_for_selector("h1")
    _idle(page)
    expect(page.locator(".st-key-output_size-preset input").first).to_have_value(
        TEXT["os.preset.d2l_pad1"]["en"], timeout=20_000)
    page.locator(".st-key-app-lang").click()
    page.get_by_role("option", name="简体中文").click()
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('"
                           + TEXT["os.title"]["zh"][:4] + "')")
    _idle(page)
    expect(page.locator(".st-key-output_size-preset input").first).to_have_value(
        TEXT["os.preset.d2l_pad1"]["zh"], timeout=20_000)


def test_settings_survive_the_menu_and_the_back_button(page, streamlit_server):
    page.goto(page_url(streamlit_server, "pages/output_size.py") + "?h=12&kh=5")
    page.wait_for_selector("h1")
    _idle(page)
    _expect_numbers(page, h=12, kh=5)
    page.locator("[data-testid='stSidebar'] a[href='multichannel']").click()
    page.wait_for_url("**/multichannel**")
    _idle(page)
    page.locator("[data-testid='stSidebar'] a[href='output_size']").click()
    page.wait_for_url("**/output_size**")
    _idle(page)
    _expect_numbers(page, h=12, kh=5)
    assert "h=12" in page.url and "kh=5" in page.url  # the URL shows the state
    page.locator("[data-testid='stSidebar'] a[href='multichannel']").click()
    page.wait_for_url("**/multichannel**")
    _idle(page)
    page.go_back()
    page.wait_for_url("**/output_size**")
    page.wait_for_selector(".st-key-output_size-h input")
    _idle(page)
    _expect_numbers(page, h=12, kh=5)
