"""The window explorer's payload (ui/explorer.py): a pure function tested against convlab's
tap map at generated shapes, and on the pages through AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from conftest import make_app
from hypothesis import given, settings
from hypothesis import strategies as st
from pagekit import assert_clean, click_explorer, explorer_words, explorers, tooltip
from test_windows import layers

import convlab
from tests import _explorer_js as explorer_js
from ui.i18n import TEXT
from ui.pictures import explorer, grids

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
PAYLOADS = settings(max_examples=40, deadline=None)


# ---- explorer.js itself, in headless Chromium, reading the payload -----------------------------

@pytest.fixture(scope="module")
def js(browser) -> Iterator[Any]:
    """A blank page with explorer.js loaded (one per module: hypothesis reuses it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    explorer_js.blank(page)
    yield page
    context.close()
    assert not errors, errors


def js_reads(links: dict[str, list], data: dict[str, Any], i: int, j: int
             ) -> list[tuple[int, int]]:
    """(padded cell, kernel tap) of output (i, j), as explorer.js decoded them."""
    k = i * data["spaces"]["output"][1] + j
    return [tuple(x) for x in links["output"][k]["input"]]


def _build(cfg: dict[str, Any], pick: tuple[int, int] = (0, 0)) -> tuple[convlab.TapMap, dict]:
    kwargs = {k: v for k, v in cfg.items() if k != "size"}
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, bias=False, **kwargs), cfg["size"])
    values = (taps.source + 1).reshape(taps.padded_shape)
    rows = [[explorer.padded_panel("x", taps, values, "X", weights="k"),
             explorer.kernel_panel("k", None, taps.kernel_size, "K"),
             explorer.cells_panel("y", taps.out_shape, "Y")]]
    return taps, explorer.payload(taps, rows, pick=pick, words=explorer.words(),
                                  legend=explorer.legend())


@pytest.mark.browser
@settings(max_examples=25, deadline=None)
@given(layers())
def test_explorer_js_decodes_every_window_as_convlab(js, cfg: dict[str, Any]) -> None:
    """explorer.js itself, run in Chromium on the payload: for every output cell its links
    are exactly the tap map's window (cells and kernel taps, in kernel order); for every
    padded cell exactly its readers; for every kernel tap the cell it reads in every
    window, output by output."""
    taps, data = _build(cfg)
    assert data["spaces"] == {"output": list(taps.out_shape), "input": list(taps.padded_shape),
                              "kernel": list(taps.kernel_size)}
    explorer_js.mount(js, data)
    links = explorer_js.all_links(js, data)
    wo, wp = taps.out_shape[1], taps.padded_shape[1]
    kh, kw = taps.kernel_size
    for o in range(taps.out_shape[0] * wo):
        cells, kernel = taps.reads(*divmod(o, wo))
        expected = [[r * wp + c, a * kw + b]
                    for (r, c), (a, b) in zip(cells.tolist(), kernel.tolist(), strict=True)]
        assert links["output"][o]["input"] == expected
        assert links["output"][o]["output"] == [[o, -1]]
    for p in range(taps.padded_shape[0] * wp):
        outs, kernel = taps.readers(*divmod(p, wp))
        expected = [[i * wo + j, a * kw + b]
                    for (i, j), (a, b) in zip(outs.tolist(), kernel.tolist(), strict=True)]
        assert links["input"][p]["output"] == expected
        assert sorted(t for t, _ in links["input"][p]["kernel"]) == sorted(
            {a * kw + b for a, b in kernel.tolist()})
    for tap in range(kh * kw):
        expected = [[int(taps.reads(i, j)[0][tap][0]) * wp + int(taps.reads(i, j)[0][tap][1]),
                     tap] for i in range(taps.out_shape[0]) for j in range(wo)]
        assert links["kernel"][tap]["input"] == expected


@PAYLOADS
@given(layers())
def test_padded_panel_roles_values_and_copies(cfg: dict[str, Any]) -> None:
    """Each padded cell: its role (input inside the box, padding outside, never read where
    no window reaches), the number it holds (input cells numbered 1.. as the layer pads
    them) and, for a padding cell of reflect/replicate/circular, which input cell it copies."""
    taps, data = _build(cfg)
    x = data["rows"][0][0]
    top, left, h, w = taps.box
    coverage = convlab.window_coverage(cfg["size"], cfg["kernel_size"], cfg["stride"],
                                       cfg["padding"], cfg["dilation"]).ravel()
    names = [TEXT[f"os.role.{r}"]["en"] for r in ("input", "padding", "unread")]
    for k in range(x["rows"] * x["cols"]):
        r, c = divmod(k, x["cols"])
        inside = top <= r < top + h and left <= c < left + w
        role = 2 if coverage[k] == 0 else 0 if inside else 1
        assert x["names"][x["fill"][k]] == names[role]
        assert x["palette"][x["fill"][k]] == grids.ROLE_COLOURS[grids.ROLE_ORDER.index(
            ("input", "padding", "unread")[role])]
        source = int(taps.source[k])
        assert x["fields"]["value"][k] == str(source + 1)
        assert x["fields"]["reads"][k] == str(int(coverage[k]))
        copied = source >= 0 and not inside
        assert (x["fields"]["copies"][k] != "") == copied
        if copied:
            assert f"({source // w}, {source % w})" in x["fields"]["copies"][k]
    # zeros padding copies nothing; the other modes hold input numbers in every cell
    if cfg["padding_mode"] != "zeros":
        assert "0" not in x["fields"]["value"]


@PAYLOADS
@given(layers(), st.integers(-5, 200), st.integers(-5, 200))
def test_pick_is_clamped_into_the_output(cfg: dict[str, Any], i: int, j: int) -> None:
    taps, data = _build(cfg, (i, j))
    ho, wo = taps.out_shape
    assert data["pick"] == [min(max(i, 0), ho - 1), min(max(j, 0), wo - 1)]
    assert data["pick_space"] == "output"


def test_panels_must_match_their_space() -> None:
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, 3), (4, 4))
    with pytest.raises(ValueError, match="space 'output'"):
        explorer.payload(taps, [[explorer.map_panel("y", np.zeros((3, 3)), "Y")]], pick=None,
                         words={})


def test_map_and_kernel_panels_carry_values_and_diverging_colours() -> None:
    """A map's cells hold its numbers and ui.pictures.grids' diverging colours; numbers are printed
    only on small grids (tooltips carry them on big ones)."""
    M = np.array([[-2.0, 0.0], [1.5, 2.0]])
    p = explorer.map_panel("m", M, "M")
    assert p["fields"]["value"] == ["-2", "0", "1.50", "2"]
    assert [p["palette"][f] for f in p["fill"]] == grids.diverging(M, 2.0)
    assert p["show"] == "value"
    big = explorer.map_panel("b", np.zeros((32, 32)), "B")
    assert big["show"] is None and len(big["fields"]["value"]) == 1024
    assert big["px"] * 32 <= explorer.BUDGET_PX["output"]
    k = explorer.kernel_panel("k", None, (2, 3), "K")
    assert k["fields"]["value"] == ["0,0", "0,1", "0,2", "1,0", "1,1", "1,2"]


def test_payload_size_stays_small_at_the_largest_output_size_page() -> None:
    """At output_size's bounds (64 x 64 input, padding 16, 9 x 9 kernel: 88 x 88 outputs of
    81 taps, 627 264 taps in all) the payload sends the two axes, not the product."""
    taps, data = _build(dict(kernel_size=(9, 9), stride=1, padding=16, dilation=1,
                             padding_mode="zeros", size=(64, 64)))
    assert taps.out.size == 88 * 88 * 81
    assert explorer.payload_size(data) < 400_000


# ---- on the pages ------------------------------------------------------------------------------

@pytest.mark.browser
def test_output_size_page_sends_the_explorer(js) -> None:
    """The default view (8 x 8, kernel 3, stride 2, padding 1): one explorer with the padded
    input, the kernel's taps and the 4 x 4 outputs; the pick comes from the URL."""
    at = make_app("pages/output_size.py", {"oi": "2", "oj": "3"})
    assert_clean(at)
    (data,) = explorers(at)
    assert data["spaces"] == {"output": [4, 4], "input": [10, 10], "kernel": [3, 3]}
    assert data["pick"] == [2, 3]
    assert [p["id"] for p in data["rows"][0]] == ["x", "y", "k"]
    explorer_js.mount(js, data)
    links = explorer_js.all_links(js, data)
    assert js_reads(links, data, 2, 3)[0] == (4 * 10 + 6, 0)  # rows 4..6, columns 6..8
    assert not at.slider  # the cell sliders are gone
    assert TEXT["ex.play"]["en"] in explorer_words(data)


def test_output_size_pick_is_clamped_when_the_output_shrinks() -> None:
    at = make_app("pages/output_size.py", {"oi": "50", "oj": "1", "h": "4", "lock": "1"})
    assert_clean(at)
    (data,) = explorers(at)
    assert data["pick"] == [data["spaces"]["output"][0] - 1, 1]


def test_output_size_reflect_padding_says_what_it_copies_in_chinese() -> None:
    at = make_app("pages/output_size.py", {"mode": "reflect", "lang": "zh", "h": "4",
                                           "lock": "1", "sh": "1"})
    assert_clean(at)
    (data,) = explorers(at)
    x = data["rows"][0][0]
    corner = tooltip(x, 0)
    assert "复制自输入单元格 (1, 1)" in corner, corner  # reflect: the corner copies (1, 1)
    assert x["fields"]["value"][0] == "6"  # input cell (1, 1) of a 4 x 4 input, numbered 1..
    assert data["words"]["play"] == TEXT["ex.play"]["zh"]


@pytest.mark.browser
def test_multichannel_page_sends_each_channel_the_sum_and_y(js) -> None:
    """d2l's two-channel example: a row per input channel (padded X, K slice, partial map),
    then the sum and Y = [[56, 72], [104, 120]]; each X panel labels taps with its kernel."""
    at = make_app("pages/multichannel.py", {"oi": "1", "oj": "1"})
    assert_clean(at)
    (data,) = explorers(at)
    assert [[p["id"] for p in row] for row in data["rows"]] == [
        ["x0", "k0", "p0"], ["x1", "k1", "p1"], ["sum", "y"]]
    panels = {p["id"]: p for row in data["rows"] for p in row}
    assert panels["y"]["fields"]["value"] == ["56", "72", "104", "120"]
    assert panels["sum"]["fields"]["value"] == ["56", "72", "104", "120"]
    assert panels["k1"]["fields"]["value"] == ["1", "2", "3", "4"]
    assert panels["x0"]["weights"] == "k0" and panels["x1"]["weights"] == "k1"
    assert data["pick"] == [1, 1]
    # output (1, 1) reads X[c][1:3, 1:3]: 4 5 7 8 in channel 0, as the arithmetic below says
    explorer_js.mount(js, data)
    links = explorer_js.all_links(js, data)
    window = [panels["x0"]["fields"]["value"][cell] for cell, _ in js_reads(links, data, 1, 1)]
    assert window == ["4", "5", "7", "8"]


def test_multichannel_partials_add_up_and_match_torch() -> None:
    """Three output channels, flipped kernels, padding and stride: the partial maps the
    explorer shows add up to its sum, and Y is F.conv2d of X with the flipped kernel."""
    query = {"preset": "d2l_three", "o": "2", "ph": "1", "pw": "1", "flip": "1"}
    at = make_app("pages/multichannel.py", query)
    assert_clean(at)
    (data,) = explorers(at)
    panels = {p["id"]: p for row in data["rows"] for p in row}
    ho, wo = data["spaces"]["output"]
    num = lambda p: np.array([float(v) for v in panels[p]["fields"]["value"]])  # noqa: E731
    np.testing.assert_allclose(num("p0") + num("p1"), num("sum"))
    X = torch.stack([torch.arange(9.0).reshape(3, 3), torch.arange(1.0, 10.0).reshape(3, 3)])
    K = torch.stack([torch.arange(4.0).reshape(2, 2), torch.arange(1.0, 5.0).reshape(2, 2)]) + 2
    Y = torch.nn.functional.conv2d(X[None], K.flip(-2, -1)[None], padding=1)[0, 0]
    np.testing.assert_allclose(num("y").reshape(ho, wo), Y.numpy())


def test_a_click_picks_the_cell_into_the_url_and_the_payload() -> None:
    """The component's pick trigger sets oi/oj: the URL and the next payload hold it."""
    at = make_app("pages/output_size.py")
    click_explorer(at, (2, 1))
    assert_clean(at)
    assert dict(at.query_params)["oi"] == "2" and dict(at.query_params)["oj"] == "1"
    assert explorers(at)[0]["pick"] == [2, 1]
    at.run()  # another run (a widget moved) keeps the pick; the click is not replayed
    assert explorers(at)[0]["pick"] == [2, 1]


def test_a_click_recomputes_multichannels_sum_for_that_cell() -> None:
    at = make_app("pages/multichannel.py")
    click_explorer(at, (1, 0))
    assert_clean(at)
    sums = [c.value for c in at.code if " = " in c.value and "×" in c.value]
    assert sums == ["3×0 + 4×1 + 6×2 + 7×3 + 4×1 + 5×2 + 7×3 + 8×4 = 104"]


@pytest.mark.parametrize(("value", "picked"), [
    ([99, 0], [3, 0]), ([-1, 2], [0, 2]),  # out of the 4 x 4 output: the nearest cell
    ([1], [1, 1]), (["1", 0], [1, 1]), ([True, 0], [1, 1]), (None, [1, 1]),  # ignored
])
def test_a_bad_pick_from_the_browser_is_clamped_or_ignored(value: Any, picked: list) -> None:
    """A pick outside the output becomes the nearest cell; one that is not two whole
    numbers changes nothing; neither raises."""
    at = make_app("pages/output_size.py", {"oi": "1", "oj": "1"})
    click_explorer(at, value)
    assert_clean(at)
    assert explorers(at)[0]["pick"] == picked


# ---- what the explorer says and how it prints, run in Chromium ---------------------------------

def _words(lang: str) -> dict[str, str]:
    return {"en": {k: v["en"] for k, v in TEXT.items()},
            "zh": {k: v["zh"] for k, v in TEXT.items()}}[lang]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_status_lines_count_taps_on_the_input_in_input_coordinates(js, lang: str) -> None:
    """Issue 26: padding='same', k=4, d=3 on 6 x 6 (4 rows and columns of padding before
    the input): output (0, 0) has 16 taps, 4 of them on the input; cells are named in the
    input's coordinates (padding above and left is negative), with the right plural."""
    w = _words(lang)
    at = make_app("pages/output_size.py", {"h": "6", "lock": "1", "kh": "4", "sh": "1",
                                           "pad": "same", "dh": "3", "lang": lang})
    assert_clean(at)
    (data,) = explorers(at)
    assert data["boxes"]["input"] == [4, 4, 6, 6]
    explorer_js.mount(js, data)
    status, _ = explorer_js.hover(js, "y", 0)
    assert status == w["ex.status_output"].format(row=0, col=0, n=16, m=4)
    wp = data["spaces"]["input"][1]
    status, tip = explorer_js.hover(js, "x", 0)  # padding, read by output (0, 0) alone
    assert status == w["ex.status_input_outside_one"].format(row=-4, col=-4, n=1)
    assert w["ex.tip_input"].split("{row}")[0] + "-4" in tip
    status, tip = explorer_js.hover(js, "x", 4 * wp + 4)  # input cell (0, 0)
    assert status == w["ex.status_input"].format(row=0, col=0, n=4)  # outputs 1, 4 per axis
    assert tip.startswith(w["ex.tip_input"].split("\n")[0].format(row=0, col=0))
    status, _ = explorer_js.hover(js, "k", 0)  # tap (0, 0): on the input for outputs 4, 5
    assert status == w["ex.status_kernel"].format(row=0, col=0, n=36, q=4)
    if lang == "en":
        assert "Output (0, 0): 16 taps, 4 on the input." == explorer_js.hover(js, "y", 0)[0]
        assert "1 output cell." in w["ex.status_input_outside_one"].format(row=0, col=0, n=1)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_transposed_status_lines_count_stamps_inside_the_output(js, lang: str) -> None:
    """The guide's fig. 4.6 (3 x 3 input, k=3, s=2, p=1: a 7 x 7 canvas, the 5 x 5 output
    inside it): stamps counted inside the output, cells named in the output's coordinates,
    cropped cells as such."""
    w = _words(lang)
    at = make_app("pages/conv_transpose.py", {"preset": "guide_4_6", "lang": lang})
    (data,) = explorers(at)
    assert data["boxes"] == {"output": [0, 0, 3, 3], "input": [1, 1, 5, 5],
                             "kernel": [0, 0, 3, 3]}
    explorer_js.mount(js, data)
    assert explorer_js.hover(js, "x", 0)[0] == w["ct.ex.status_output"].format(
        row=0, col=0, n=9, m=4)  # rows and columns 0..2 of the canvas, 1..2 kept
    assert explorer_js.hover(js, "y", 0)[0] == w["ct.ex.status_input_outside_one"].format(
        row=-1, col=-1, m=1)
    assert explorer_js.hover(js, "y", 7 + 1)[0] == w["ct.ex.status_input_one"].format(
        row=0, col=0, m=1)
    assert explorer_js.hover(js, "y", 2 * 7 + 2)[0] == w["ct.ex.status_input"].format(
        row=1, col=1, m=4)
    assert explorer_js.hover(js, "k", 0)[0] == w["ct.ex.status_kernel"].format(
        row=0, col=0, m=9, q=4)


_FONTS = """() => {
  const sizes = [];
  for (const node of document.querySelectorAll(".cx-grid > div, .cx-w")) {
    const text = [...node.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("");
    if (!text.trim() && !node.classList.contains("cx-w")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const own = node.classList.contains("cx-w") ? node.getBoundingClientRect().width
      : [...node.childNodes].filter(n => n.nodeType === 3).reduce((w, n) => {
          const r = document.createRange(); r.selectNodeContents(n);
          return Math.max(w, r.getBoundingClientRect().width); }, 0);
    sizes.push([parseFloat(getComputedStyle(node).fontSize), own,
                node.classList.contains("cx-w") ? 1e9 : node.clientWidth]);
  }
  return sizes;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page, query", [
    ("output_size", {}), ("output_size", {"h": "6", "lock": "1", "kh": "4", "sh": "1",
                                          "pad": "same", "dh": "3"}),
    ("output_size", {"h": "20", "lock": "1"}), ("output_size", {"h": "12", "lock": "1"}),
    ("conv_transpose", {}), ("conv_transpose", {"h": "10", "lock": "1", "kh": "6"}),
    ("multichannel", {}), ("multichannel", {"preset": "d2l_three", "ph": "1", "pw": "1"}),
])
def test_numbers_and_tap_labels_are_readable_or_left_to_the_tooltip(js, page, query) -> None:
    """Issue 26: tap labels were about 7 px. Every number printed in a cell and every
    weight label a hover adds is at least 10 px and fits its cell; where it would not, the
    cells stay blank and the tooltip carries the number."""
    at = make_app(f"pages/{page}.py", query)
    (data,) = explorers(at)
    explorer_js.mount(js, data)
    panels = [p for row in data["rows"] for p in row]
    pick = next(p for p in panels if p["space"] == data["pick_space"])
    explorer_js.hover(js, pick["id"], 0)
    hovered = explorer_js.hover(js, pick["id"], pick["rows"] * pick["cols"] - 1)
    sizes = js.evaluate(_FONTS)
    assert all(size >= 10 for size, _, _ in sizes), sizes
    assert all(width <= room + 1 for _, width, room in sizes), sizes
    if pick["show"] is None and pick["fields"].get("value"):  # blank cells: the tooltip
        assert pick["fields"]["value"][-1] in hovered[1]
    if page == "output_size" and not query:  # the 10 x 10 padded input has room for labels
        assert sum(room == 1e9 for _, _, room in sizes) == 9
