"""The app's pages, in menu order: one registry drives the menu, the home cards and the
generic page tests.

A page's URL path is its file stem (see STYLE.md); its title is ``nav.<stem>``, its home
card text ``home.card.<stem>``, and its own words live under its ``ns`` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    stem: str  # file name in pages/ and URL path
    ns: str  # translation prefix of the page's own words
    icon: str
    lesson: bool = True  # False for the home page: no card, no lesson frame

    @property
    def path(self) -> str:
        return f"pages/{self.stem}.py"

    @property
    def title_key(self) -> str:
        return f"nav.{self.stem}"


PAGES: tuple[PageInfo, ...] = (
    PageInfo("home", "home", ":material/home:", lesson=False),
    PageInfo("output_size", "os", ":material/straighten:"),
    PageInfo("conv_transpose", "ct", ":material/open_in_full:"),
    PageInfo("multichannel", "mc", ":material/layers:"),
    PageInfo("pointwise", "pw", ":material/grid_view:"),
    PageInfo("fc_conv", "fc", ":material/swap_horiz:"),
    PageInfo("learn_kernel", "lk", ":material/school:"),
    PageInfo("pooling", "pool", ":material/filter_center_focus:"),
    PageInfo("planner", "pl", ":material/account_tree:"),
)
BY_STEM = {p.stem: p for p in PAGES}
LESSONS = tuple(p for p in PAGES if p.lesson)
