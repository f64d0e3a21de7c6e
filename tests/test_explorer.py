"""The window explorer's payload (ui/explorer.py): a pure function tested against convlab's
tap map at generated shapes, and on the pages through AppTest."""

from __future__ import annotations

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
from ui import explorer, grids
from ui.i18n import TEXT

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
PAYLOADS = settings(max_examples=40, deadline=None)


# ---- reading the payload the way explorer.js reads it --------------------------------------------

def js_reads(data: dict[str, Any], i: int, j: int) -> list[tuple[int, int]]:
    """(padded cell, kernel tap) of output (i, j), as explorer.js's ``links("output")``."""
    rows, cols = data["axes"]
    kh, kw = data["spaces"]["kernel"]
    wp = data["spaces"]["input"][1]
    return [(rows["index"][i * kh + a] * wp + cols["index"][j * kw + b], a * kw + b)
            for a in range(kh) for b in range(kw)]


def js_readers(data: dict[str, Any], r: int, c: int) -> list[tuple[int, int]]:
    """(output cell, kernel tap) reading padded cell (r, c), as ``links("input")``."""
    rows, cols = data["axes"]
    kh, kw = data["spaces"]["kernel"]
    wo = data["spaces"]["output"][1]
    out = []
    for x in rows["by_cell"][rows["cell_ptr"][r]:rows["cell_ptr"][r + 1]]:
        for y in cols["by_cell"][cols["cell_ptr"][c]:cols["cell_ptr"][c + 1]]:
            out.append(((x // kh) * wo + y // kw, (x % kh) * kw + y % kw))
    return out


def _build(cfg: dict[str, Any], pick: tuple[int, int] = (0, 0)) -> tuple[convlab.TapMap, dict]:
    kwargs = {k: v for k, v in cfg.items() if k != "size"}
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, bias=False, **kwargs), cfg["size"])
    values = (taps.source + 1).reshape(taps.padded_shape)
    rows = [[explorer.padded_panel("x", taps, values, "X", weights="k"),
             explorer.kernel_panel("k", None, taps.kernel_size, "K"),
             explorer.cells_panel("y", taps.out_shape, "Y")]]
    return taps, explorer.payload(taps, rows, pick=pick, words=explorer.words(),
                                  legend=explorer.legend())


@PAYLOADS
@given(layers())
def test_every_window_read_from_the_payload_is_convlabs(cfg: dict[str, Any]) -> None:
    """For every output cell, the payload's axes give exactly the tap map's window (cells
    and kernel taps, in kernel order); for every padded cell, exactly its readers."""
    taps, data = _build(cfg)
    assert data["spaces"] == {"output": list(taps.out_shape), "input": list(taps.padded_shape),
                              "kernel": list(taps.kernel_size)}
    wo, wp = taps.out_shape[1], taps.padded_shape[1]
    for o in range(taps.out_shape[0] * wo):
        cells, kernel = taps.reads(*divmod(o, wo))
        expected = [(r * wp + c, a * taps.kernel_size[1] + b)
                    for (r, c), (a, b) in zip(cells.tolist(), kernel.tolist(), strict=True)]
        assert js_reads(data, *divmod(o, wo)) == expected
    for p in range(taps.padded_shape[0] * wp):
        outs, kernel = taps.readers(*divmod(p, wp))
        expected = [(i * wo + j, a * taps.kernel_size[1] + b)
                    for (i, j), (a, b) in zip(outs.tolist(), kernel.tolist(), strict=True)]
        assert js_readers(data, *divmod(p, wp)) == expected


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
    """A map's cells hold its numbers and ui.grids' diverging colours; numbers are printed
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

def test_output_size_page_sends_the_explorer() -> None:
    """The default view (8 x 8, kernel 3, stride 2, padding 1): one explorer with the padded
    input, the kernel's taps and the 4 x 4 outputs; the pick comes from the URL."""
    at = make_app("pages/output_size.py", {"oi": "2", "oj": "3"})
    assert_clean(at)
    (data,) = explorers(at)
    assert data["spaces"] == {"output": [4, 4], "input": [10, 10], "kernel": [3, 3]}
    assert data["pick"] == [2, 3]
    assert [p["id"] for p in data["rows"][0]] == ["x", "y", "k"]
    assert js_reads(data, 2, 3)[0] == (4 * 10 + 6, 0)  # rows 4..6, columns 6..8
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


def test_multichannel_page_sends_each_channel_the_sum_and_y() -> None:
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
    window = [panels["x0"]["fields"]["value"][cell] for cell, _ in js_reads(data, 1, 1)]
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
