"""AppTest of the transposed-convolution page: its golden numbers in both languages (the
conv-arithmetic guide's figures, DCGAN, U-Net, the failing round trip, the checkerboard),
the scatter view's payload against PyTorch, the round-trip table, predict-then-check, the
refusals, and every widget at both ends. (What every page must do is in
test_pages_generic.py.)"""

from __future__ import annotations

from typing import Any

import pytest
import torch
import torch.nn.functional as F
from conftest import make_app
from pagekit import (
    EN,
    ZH,
    all_figures,
    assert_clean,
    check_passed,
    check_table,
    explorers,
    markdown_table,
    metrics,
    open_more,
    open_sections,
)
from streamlit.testing.v1 import AppTest

from ui.lessons import conv_transpose_view as view

CT = "pages/conv_transpose.py"
WORDS = {"en": EN, "zh": ZH}

# preset -> (output shape, weight shape): the numbers the page shows
GOLDEN = {
    "round_trip": ("1 × 1 × 7 × 7", "1 × 1 × 3 × 3"),  # Conv2d(3, 2, 1) took 8 to 4
    "guide_4_1": ("1 × 1 × 4 × 4", "1 × 1 × 3 × 3"),  # i' = 2, k = 3: o' = i' + (k - 1)
    "guide_4_2": ("1 × 1 × 5 × 5", "1 × 1 × 4 × 4"),  # i' = 6, k = 4, p = 2
    "guide_4_3": ("1 × 1 × 5 × 5", "1 × 1 × 3 × 3"),  # half padding: o' = i'
    "guide_4_4": ("1 × 1 × 5 × 5", "1 × 1 × 3 × 3"),  # full padding: i' = 7 -> 5
    "guide_4_5": ("1 × 1 × 5 × 5", "1 × 1 × 3 × 3"),  # s (i' - 1) + k = 2 + 3
    "guide_4_6": ("1 × 1 × 5 × 5", "1 × 1 × 3 × 3"),  # s (i' - 1) + k - 2p
    "guide_4_7": ("1 × 1 × 6 × 6", "1 × 1 × 3 × 3"),  # + a = 1
    "dcgan": ("1 × 2 × 8 × 8", "3 × 2 × 4 × 4"),  # 4 -> 8, weight (C_in, C_out, k, k)
    "unet": ("1 × 1 × 8 × 8", "2 × 1 × 2 × 2"),  # k = 2, s = 2 doubles
    "checkerboard": ("1 × 1 × 11 × 11", "1 × 1 × 3 × 3"),  # 5 -> 11
    "d2l": ("1 × 1 × 3 × 3", "1 × 1 × 2 × 2"),  # d2l 14.10: 2 x 2 input, k = 2
}


def preset(name: str, lang: str = "en") -> AppTest:
    return make_app(CT, {"preset": name, "lang": lang})


def opened(at: AppTest) -> AppTest:
    """The page with its sections open: the X and K editors, the overlap counts, the round
    trip (and More settings)."""
    assert open_sections(at, "conv_transpose") == 4
    return at


@pytest.mark.parametrize("name, section, title", [
    ("checkerboard", "overlap", "ct.overlap_title"), ("round_trip", "round_trip", None)])
def test_a_preset_opens_the_section_it_is_the_point_of(name: str, section: str,
                                                        title: str | None):
    """Closed by default (they run only while open), the overlap and round-trip sections
    open themselves for the checkerboard and round-trip presets, from the box or a link;
    the learner may close them again."""
    at = make_app(CT)
    assert not at.session_state[f"conv_transpose.open.{section}"]
    at.selectbox(key="conv_transpose.preset").set_value(name).run()
    assert at.session_state[f"conv_transpose.open.{section}"]
    linked = preset(name)
    assert linked.session_state[f"conv_transpose.open.{section}"]
    if title:
        assert EN[title] in {f.title for f in all_figures(linked)}
    else:
        assert any(EN["ct.rt.conv_in"] in md.value for md in linked.markdown)
    linked.session_state[f"conv_transpose.open.{section}"] = False
    linked.run()
    assert not linked.session_state[f"conv_transpose.open.{section}"]  # stays closed


def test_default_view_numbers_and_checks():
    at = make_app(CT)
    assert_clean(at)
    assert at.title[0].value == EN["ct.title"]
    m = metrics(at)
    assert m[EN["ct.out_shape"]] == "1 × 3 × 7 × 7"  # (4 - 1) 2 - 2 + 2 + 0 + 1
    assert m[EN["ct.weight_shape"]] == "2 × 3 × 3 × 3"  # (C_in, C_out, kh, kw)
    assert m[EN["count.params"]] == str(2 * 3 * 9 + 3)
    assert m[EN["count.macs"]] == str(2 * 4 * 4 * 3 * 9)
    assert check_passed(at)
    table = check_table(at)
    assert len(table) == 6  # the formula, three computations, autograd, the overlap count
    assert not at.error and not at.warning
    assert dict(at.query_params) == {}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(GOLDEN))
def test_presets_show_the_golden_numbers(name: str, lang: str):
    at = preset(name, lang)
    assert_clean(at)
    words = WORDS[lang]
    out, weight = GOLDEN[name]
    m = metrics(at)
    assert m[words["ct.out_shape"]] == out
    assert m[words["ct.weight_shape"]] == weight
    assert at.selectbox(key="conv_transpose.preset").format_func(name) == (
        words[f"ct.preset.{name}"])
    headline = next(md.value for md in at.markdown if md.value.startswith(
        f"**{words['check.title']}**"))
    assert headline.splitlines()[0].endswith(words["check.all_pass"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_round_trip_table_7_and_8_both_give_4(lang: str):
    """Conv2d(k=3, s=2, p=1) maps 7 and 8 to 4; back gives 7; output_padding 1 gives 8."""
    words = WORDS[lang]
    at = opened(preset("round_trip", lang))
    tables = [markdown_table(md.value) for md in at.markdown if md.value.startswith("| ")
              and words["ct.rt.conv_in"] in md.value]
    assert len(tables) == 1
    rows = tables[0].values.tolist()
    assert rows == [["7 × 7", "7 × 7", "0", words["ct.rt.yes"]],
                    ["8 × 8", "7 × 7", "1", words["ct.rt.no"]]]
    fixed = opened(make_app(CT, {"preset": "round_trip", "oph": "1", "lang": lang}))
    assert metrics(fixed)[words["ct.out_shape"]] == "1 × 1 × 8 × 8"
    rows = [markdown_table(md.value) for md in fixed.markdown
            if words["ct.rt.conv_in"] in md.value][0].values.tolist()
    assert [r[-1] for r in rows] == [words["ct.rt.no"], words["ct.rt.yes"]]


@pytest.mark.parametrize("name, pattern", [
    ("checkerboard", "uneven_overlap"), ("unet", "even"), ("dcgan", "edge_only"),
    ("round_trip", "uneven_overlap")])
def test_overlap_counts_are_transposed_convolutions_of_ones(name: str, pattern: str):
    at = opened(preset(name))
    figs = {f.title: f for f in all_figures(at)}
    counts = figs[EN["ct.overlap_title"]]
    h = at.session_state["conv_transpose.h"]
    v = {k: at.session_state[f"conv_transpose.{k}"] for k in ("kh", "sh", "ph", "oph")}
    ones = F.conv_transpose2d(torch.ones(1, 1, h, h), torch.ones(1, 1, v["kh"], v["kh"]),
                              stride=v["sh"], padding=v["ph"], output_padding=v["oph"])[0, 0]
    assert [int(x) for x in counts.texts] == ones.long().ravel().tolist()
    resized = figs[EN["ct.resize_title"].format(s=v["sh"])]
    assert resized.cols == h * v["sh"]  # nearest upsample, then a 'same' convolution
    captions = [c.value for c in at.caption]
    assert [c for c in captions if c.startswith(EN[f"ct.pattern.{pattern}"][:12])], captions


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("query, pattern, counts", [
    # issue 26: none of these is "the kernel size is not a multiple of the stride"
    ({"h": "5", "kh": "2", "sh": "2", "ph": "0", "dh": "2"}, "holes", "0, 4"),
    ({"h": "2", "kh": "4", "sh": "2", "ph": "0"}, "edge_only", None),
    ({"h": "4", "kh": "3", "sh": "1", "ph": "0", "dh": "2", "oph": "1"}, "edge_only", None),
    ({"h": "5", "kh": "3", "sh": "2", "ph": "0"}, "uneven_overlap", "1, 2, 4"),
])
def test_the_checkerboard_caption_says_what_the_counts_show(query, pattern, counts, lang):
    """The caption is worded from convlab's pattern identifier, with the counts far from the
    border; it blames the kernel size only for a real checkerboard."""
    words = WORDS[lang]
    at = opened(make_app(CT, {**query, "lang": lang}))
    assert_clean(at)
    captions = [c.value for c in at.caption]
    mine = [c for c in captions if c.startswith(words[f"ct.pattern.{pattern}"][:8])]
    assert len(mine) == 1, captions
    others = [k for k in ("uneven_overlap", "holes", "edge_only", "even") if k != pattern]
    assert not any(c.startswith(words[f"ct.pattern.{k}"][:8]) for c in captions for k in others)
    if counts is not None:
        assert f"{counts}" in mine[0]
    blame = "not a multiple of the stride" if lang == "en" else "不是步幅的整数倍"
    assert (blame in mine[0]) == (pattern == "uneven_overlap")


def _colour_name(hex_colour: str) -> str:
    from ui.pictures.charts import OKABE_ITO
    return next(name for name, c in OKABE_ITO.items() if c.lower() == hex_colour.lower())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_scatter_caption_names_the_colours_drawn(lang: str):
    """Issue 26: the caption said grey for the cropped border, which is drawn yellow; grey
    is "no stamp lands here". The caption now names each role's colour as the explorer
    draws it (from the payload's palette and role names)."""
    words = WORDS[lang]
    at = make_app(CT, {"preset": "guide_4_6", "lang": lang})  # p = 1: a cropped border
    (data,) = explorers(at)
    canvas = next(p for row in data["rows"] for p in row if p["id"] == "y")
    colour = {name: _colour_name(c) for name, c in zip(canvas["names"], canvas["palette"],
                                                       strict=True)}
    roles = {role: colour[words[f"ct.role.{role}"]]
             for role in ("output", "cropped", "unstamped")}
    assert roles == {"output": "sky", "cropped": "yellow", "unstamped": "grey"}
    caption = next(md.value for md in at.markdown
                   if md.value.startswith(f"### {words['ct.scatter']}"))
    expected = words["ct.scatter_caption"].format(
        **{role: words[f"ct.colour.{name}"] for role, name in roles.items()})
    assert caption.endswith(expected)
    grey, yellow = words["ct.colour.grey"], words["ct.colour.yellow"]
    assert f"{yellow}" in caption and caption.index(yellow) < caption.index("`padding`")
    assert caption.index(grey) > caption.index("`padding`")  # grey is not the padding


def test_scatter_view_is_the_transposed_convolution():
    """The explorer's uncropped output holds F.conv_transpose2d of the numbered input with
    the tap-numbered kernel, and its stamps field the overlap count."""
    at = preset("guide_4_6")  # i' = 3, k = 3, s = 2, p = 1 -> 5
    (data,) = explorers(at)
    assert data["pick_space"] == "output" and data["spaces"]["output"] == [3, 3]
    assert data["spaces"]["input"] == [7, 7]  # 5 + 2p: the canvas before cropping
    panels = {p["id"]: p for row in data["rows"] for p in row}
    X = torch.arange(1.0, 10.0).view(1, 1, 3, 3)
    K = torch.arange(1.0, 10.0).view(1, 1, 3, 3)
    full = F.conv_transpose2d(X, K, stride=2)[0, 0]  # padding 0: nothing cropped yet
    assert [float(v) for v in panels["y"]["fields"]["value"]] == full.ravel().tolist()
    cropped = F.conv_transpose2d(X, K, stride=2, padding=1)[0, 0]
    assert torch.equal(full[1:-1, 1:-1], cropped)
    stamps = F.conv_transpose2d(torch.ones_like(X), torch.ones_like(K), stride=2)[0, 0]
    assert [int(v) for v in panels["y"]["fields"]["stamps"]] == stamps.long().ravel().tolist()
    assert data["words"]["status_output"] == EN["ct.ex.status_output"]
    # the tap map read the other way: input cell (0, 1) stamps tap (a, b) at (a, 2 + b)
    rows, cols = data["axes"]
    assert rows["index"][:3] == [0, 1, 2] and cols["index"][3:6] == [2, 3, 4]


def test_direct_form_picture_and_its_window():
    at = make_app(CT, {"preset": "guide_4_5", "ri": "4", "rj": "0"})
    fig = next(f for f in all_figures(at) if f.title == EN["ct.direct_title"])
    assert fig.cols == 7  # 2 cells, 1 zero between, 2 zeros around: 3 + 2 * 2
    assert fig.grid()[2] == ["0", "0", "1", "0", "2", "0", "0"]
    assert sorted(fig.highlighted) == [r * 7 + c for r in (4, 5, 6) for c in (0, 1, 2)]


def test_predict_then_check_the_output_size():
    at = preset("guide_4_5")
    box = at.text_input(key="conv_transpose.guess")
    box.input("5").run()
    assert any(EN["predict.right"].format(answer="5 × 5") in s.value for s in at.success)
    box.input("4").run()  # 2 x 2: only multiplied by the stride
    assert any(EN["predict.slip.times_stride"] in w.value for w in at.warning)


@pytest.mark.parametrize("query, parameter", [
    ({"oph": "2"}, "output_padding"),  # not smaller than the stride (2) or dilation (1)
    ({"oph": "-1"}, "output_padding"),
    ({"mode": "reflect"}, "padding_mode"),
    ({"h": "1", "kh": "1", "ph": "2"}, "padding"),  # the output would be empty
    ({"groups": "2"}, "groups"),  # 2 and 3 channels
])
def test_refusals_are_explained_and_pytorch_agrees(query: dict[str, str], parameter: str):
    at = make_app(CT, query)
    assert_clean(at)
    assert len(at.error) == 1
    assert f"`{parameter}`" in at.error[0].value or parameter in at.error[0].value
    assert EN["error.nearest"] in at.error[0].value
    assert check_passed(at)
    assert check_table(at)[EN["check.col_oracle"]].iloc[0] == (
        EN["check.oracle.torch_refuses"].format(module="nn.ConvTranspose2d"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refusal_at_construction_names_the_transposed_layer(lang: str):
    """Issue 26: the groups refusal said PyTorch refuses it when "nn.Conv2d(...)" is built;
    on this page the layer is nn.ConvTranspose2d."""
    words = WORDS[lang]
    at = make_app(CT, {"groups": "2", "lang": lang})  # 2 and 3 channels
    assert_clean(at)
    (box,) = at.error
    assert words["error.stage_construct"].format(module="nn.ConvTranspose2d") in box.value
    assert "`nn.Conv2d(" not in box.value


def test_only_the_paddings_convtranspose2d_accepts_are_offered():
    """'same' and 'valid' are Conv2d's: this page offers numbers only (no padding-kind
    control), and a link asking for 'same' is corrected with a notice, not refused."""
    at = open_more(make_app(CT), "conv_transpose")
    options = [o for w in at.get("segmented_control") for o in w.options]
    options += [o for w in at.selectbox for o in w.options]
    assert "same" not in options and "valid" not in options
    assert "conv_transpose.pad" not in [w.key for w in at.get("segmented_control")]
    linked = make_app(CT, {"pad": "same"})
    assert_clean(linked)
    assert not linked.error
    assert any("pad=same" in w.value for w in linked.warning)
    assert metrics(linked)[EN["ct.out_shape"]] == "1 × 3 × 7 × 7"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_d2l_example_is_a_preset_with_its_golden_output(lang: str):
    """d2l 14.10: X = K = [[0, 1], [2, 3]], nn.ConvTranspose2d(1, 1, kernel_size=2) ->
    [[0, 0, 1], [0, 4, 6], [4, 12, 9]]; the editors open, the link holds X and K."""
    words = WORDS[lang]
    at = preset("d2l", lang)
    assert_clean(at)
    figs = {f.title: f for f in all_figures(at)}
    assert figs[words["ct.y_title"]].grid() == [["0", "0", "1"], ["0", "4", "6"],
                                                ["4", "12", "9"]]
    assert figs[words["ct.kernel_title"]].grid() == [["0", "1"], ["2", "3"]]
    Y = F.conv_transpose2d(torch.tensor([[[[0.0, 1], [2, 3]]]]),
                           torch.tensor([[[[0.0, 1], [2, 3]]]]))[0, 0]
    assert Y.tolist() == [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
    (data,) = explorers(at)  # nothing cropped: the canvas is the output
    canvas = next(p for row in data["rows"] for p in row if p["id"] == "y")
    assert [float(v) for v in canvas["fields"]["value"]] == Y.ravel().tolist()
    assert at.session_state["conv_transpose.open.edit"]
    assert dict(at.query_params)["X"] == "0,1;2,3" == dict(at.query_params)["K"]


def _editor_key(at: AppTest, name: str) -> str:
    """The widget key of the page's data editor ``name`` (it carries a digest of its
    matrix)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        wid = str(getattr(getattr(node, "proto", None), "id", ""))
        if f"conv_transpose.{name}." in wid:
            found.append(wid[wid.index("conv_transpose."):])
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    (key,) = found
    return key


def test_editing_x_in_its_table_changes_the_output_and_the_link():
    """The tensor editor /multichannel uses: an edited cell of X reaches the output Y and
    the URL; a bad cell is refused with a message naming it, keeping the last values."""
    at = preset("d2l")
    at.session_state[_editor_key(at, "edX")] = {
        "edited_rows": {0: {"0": 5}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_clean(at)
    Y = F.conv_transpose2d(torch.tensor([[[[5.0, 1], [2, 3]]]]),
                           torch.tensor([[[[0.0, 1], [2, 3]]]]))[0, 0]
    grid = {f.title: f for f in all_figures(at)}[EN["ct.y_title"]].grid()
    assert grid == [[f"{v:g}" for v in row] for row in Y.tolist()]
    assert dict(at.query_params)["X"] == "5,1;2,3"
    at.session_state[_editor_key(at, "edK")] = {
        "edited_rows": {1: {"1": "x"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_clean(at)
    assert any("K" in w.value for w in at.warning)
    assert dict(at.query_params)["K"] == "0,1;2,3"


def test_edited_x_and_k_in_the_link_are_validated_and_bounded():
    """X and K come from the link as tensor text: fitted to the sizes; unreadable, too
    large or too many numbers fall back to the numbered default with a notice."""
    at = make_app(CT, {"X": "1,-2;0.5,4", "K": "1", "h": "2", "kh": "1", "sh": "1",
                       "ph": "0"})
    assert_clean(at)
    figs = {f.title: f for f in all_figures(at)}
    assert figs[EN["ct.y_title"]].grid() == [["1", "-2"], ["0.50", "4"]]
    for bad in ("1,2;3", "abc", "1e9", ";".join([",".join(["1"] * 11)] * 2)):
        at = make_app(CT, {"X": bad})
        assert_clean(at)
        assert any("`X`" in w.value for w in at.warning), bad
        assert "X" not in dict(at.query_params)  # the numbered default
        assert metrics(at)[EN["ct.out_shape"]] == "1 × 3 × 7 × 7"


def test_every_widget_at_both_ends_with_more_settings_open():
    at = make_app(CT)
    open_more(at, "conv_transpose")
    at.toggle(key="conv_transpose.lock").set_value(False).run()
    seen = 0
    for widget in list(at.number_input):
        key = widget.key or ""
        if not key.startswith("conv_transpose.") or widget.proto.disabled:
            continue
        for value in (widget.min, widget.max):
            at.number_input(key=key).set_value(value).run()
            assert not at.exception, (key, value, [e.value for e in at.exception])
            assert at.metric or at.error
        at.number_input(key=key).set_value(widget.value).run()
        seen += 1
    for widget in list(at.slider):
        key = widget.key or ""
        for value in (widget.min, widget.max):
            at.slider(key=key).set_value(value).run()
            assert not at.exception, (key, value)
        seen += 1
    assert seen >= 15, seen
    assert set(view.BOUNDS) - {"n"} <= {w.key.split(".")[1] for w in at.number_input}
