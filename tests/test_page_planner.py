"""The shape planner page: presets, the stack in the URL, bad cells, refusals, the solver,
both languages."""

from __future__ import annotations

import re

import pytest
from conftest import make_app
from hypothesis import given, settings
from hypothesis import strategies as st
from pagekit import EN, ZH, assert_clean, check_passed, check_table, data_table, metrics

import convlab
from ui.lessons.planner_params import PRESETS, STACKS
from ui.lessons.planner_view import apply_edits, frame_stack, stack_frame

PAGE = "pages/planner.py"
ALEXNET = PRESETS["alexnet"][1]


def shapes(at) -> list[str]:
    return data_table(at)[EN["pl.th.shape"]].tolist()


def test_default_is_alexnet_features_256x6x6_then_9216_into_its_linear():
    at = make_app(PAGE)
    assert_clean(at)
    table = data_table(at)
    assert shapes(at)[13] == "1 × 256 × 6 × 6"  # row 0 is the input: layer 12 is row 13
    assert shapes(at)[14] == "1 × 9216"
    assert table[EN["pl.th.rf"]].tolist()[13] == "195"  # the Distill table's alexnet
    assert metrics(at)[EN["pl.metric.params"]] == "40,222,528"
    assert check_passed(at)
    assert len(check_table(at)) == 2  # shapes on meta, receptive field by autograd
    assert not at.error and not at.warning


@pytest.mark.parametrize("preset", [p for p in PRESETS if p != "alexnet"])
def test_every_preset_runs_clean_checked_and_keeps_in_the_url(preset):
    at = make_app(PAGE, {"preset": preset})
    assert_clean(at)
    assert check_passed(at)
    assert not at.error
    assert at.query_params.get("stack") == convlab.encode_stack(STACKS[preset])
    n = len(STACKS[preset])
    assert len(shapes(at)) == n + 2  # input, every layer, totals


def test_preset_numbers():
    """Published numbers: d2l's LeNet, VGG-16's features, DCGAN's 3 x 64 x 64."""
    got = {p: metrics(make_app(PAGE, {"preset": p})) for p in ("lenet", "vgg16", "dcgan")}
    assert got["lenet"][EN["pl.metric.params"]] == "61,706"
    assert got["vgg16"][EN["pl.metric.params"]] == "14,714,688"
    assert got["vgg16"][EN["pl.metric.out"]] == "1 × 512 × 7 × 7"
    assert got["dcgan"][EN["pl.metric.out"]] == "1 × 3 × 64 × 64"


def test_after_up_sampling_the_receptive_field_is_marked_not_numbered():
    at = make_app(PAGE, {"preset": "dcgan"})
    rf = data_table(at)[EN["pl.th.rf"]].tolist()
    assert rf[1] == "4 *"  # a stride-1 transposed convolution on 1 x 1: a 4 x 4 window,
    # larger than the 1 x 1 input (marked)
    assert rf[4] == EN["pl.rf_note.upsampled"]  # the first stride-2 one


def test_a_link_reproduces_a_stack_and_bad_links_are_named():
    at = make_app(PAGE, {"stack": "conv.o8k3s2_relu_flatten", "c": "1", "h": "9", "w": "9"})
    assert_clean(at)
    assert shapes(at)[1:-1] == ["1 × 8 × 4 × 4", "1 × 8 × 4 × 4", "1 × 128"]
    again = make_app(PAGE, dict(at.query_params))
    assert metrics(again) == metrics(at) and shapes(again) == shapes(at)
    for bad in ("conv.o8k0", "conv.k3", "nope", "_".join(["relu"] * 65)):
        at = make_app(PAGE, {"stack": bad})
        assert_clean(at)
        notes = [w.value for w in at.warning if EN["url.corrected_title"] in w.value]
        assert len(notes) == 1 and "`stack`" in notes[0], bad
        assert at.session_state["planner.stack"] == STACKS["alexnet"]


def test_a_wrong_linear_names_the_layer_and_the_right_in_features():
    stack = ALEXNET.replace("linear.o4096", "linear.i4096o10")
    at = make_app(PAGE, {"stack": stack})
    assert_clean(at)
    assert len(at.error) == 1
    body = at.error[0].value
    assert "`in_features=9216`" in body and body.startswith("**PyTorch refuses in_features")
    assert any(m.value.startswith("Layer 14 (Linear) cannot run") for m in at.markdown)
    assert EN["error.torch_says"] in [m.value for m in at.markdown]
    assert check_passed(at)  # PyTorch refuses the same layer
    assert len(shapes(at)) == 14 + 2


def test_a_kernel_larger_than_its_input_suggests_padding_and_input_size():
    at = make_app(PAGE, {"stack": "conv.o4k3_maxpool.k2_conv.o4k5", "c": "1", "h": "8",
                         "w": "8"})
    body = at.error[0].value
    assert "`padding=1`" in body and "`input_size=5`" in body
    # the fixes are alternatives, and read as such; input_size names its layer
    assert "`padding=1`" + EN["error.or"] + "`input_size=5`" in body
    assert EN["pl.input_size_means"].format(index=2, h=3, w=3) in [c.value for c in at.caption]
    assert check_passed(at)


def _edit(at, edit: dict) -> None:
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edit}
    at.run()


def test_an_edited_cell_becomes_the_stack_and_the_link():
    at = make_app(PAGE, {"preset": "lenet"})
    _edit(at, {"edited_rows": {"0": {"k": 3}}})
    assert_clean(at)
    assert at.session_state["planner.stack"][0] == ("conv", (("o", 6), ("k", 3), ("p", 2)))
    assert at.query_params["stack"].startswith("conv.o6k3p2_sigmoid")
    assert shapes(at)[1] == "1 × 6 × 30 × 30"
    at.run()  # the browser's callback takes the edit before the rerun; AppTest runs it after
    _edit(at, {"deleted_rows": [1]})  # a second edit, on the fresh editor
    assert at.session_state["planner.stack"][1][0] == "avgpool"


@pytest.mark.parametrize("edit, key", [
    ({"edited_rows": {"0": {"k": 0}}}, "pl.cell.out_of_range"),
    ({"edited_rows": {"0": {"o": None}}}, "pl.cell.required"),
    ({"added_rows": [{"k": 3}]}, "pl.cell.unknown_kind"),
    ({"deleted_rows": list(range(15))}, "pl.cell.empty")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_cell_is_named_in_words_and_the_stack_is_kept(edit, key, lang):
    at = make_app(PAGE, {"lang": lang})
    _edit(at, edit)
    assert_clean(at)
    words = (EN if lang == "en" else ZH)[key].split("{")[0]
    assert any(w.value.startswith(words) for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["planner.stack"] == STACKS["alexnet"]


@pytest.mark.parametrize("edit", [
    {"edited_rows": {"0": {"k": 3}, "2": {"t": "AvgPool2d"}}},
    {"added_rows": [{"t": "ReLU"}], "deleted_rows": [0, 3]},
    {"edited_rows": {"1": {"o": 7}}, "added_rows": [{"t": "Linear", "o": 5}]}])
def test_the_callback_applies_edits_as_the_editor_shows_them(edit):
    """The editor's callback rebuilds the edited table from its edit state: it must be
    the table Streamlit itself returns for that state."""
    at = make_app(PAGE, {"preset": "lenet"})
    base = stack_frame(STACKS["lenet"])
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edit}
    at.run()
    ours = frame_stack(apply_edits(base, at.session_state[key]))
    assert ours[1] is None and ours[0] == at.session_state["planner.stack"]


def test_the_table_reads_back_to_its_stack():
    for stack in STACKS.values():
        assert frame_stack(stack_frame(stack)) == (stack, None)


def test_the_solver_lists_settings_that_reach_the_target():
    at = make_app(PAGE, {"preset": "resnet", "open.solver": "1"})
    at.session_state["planner.open.solver"] = True
    at.run()
    at.number_input(key="planner.target").set_value(112).run()  # the stem conv, on 224
    assert_clean(at)
    table = data_table(at, 1)  # after the layer table
    assert table[EN["pl.sol.changed"]].iloc[0] == EN["pl.sol.nothing"]  # 7x7 s2 p3: 112
    assert set(table[EN["pl.sol.output"]]) == {"112"}
    at.toggle(key="planner.same").set_value(True).run()
    assert data_table(at, 1)[EN["pl.sol.padding"]].iloc[0] == "3"
    at.number_input(key="planner.sl").set_value(1).run()  # a BatchNorm2d: not solvable
    assert any("0, 3" in m.value for m in at.info)


def test_chinese_run_has_no_english_words_of_its_own():
    at = make_app(PAGE, {"lang": "zh", "preset": "dcgan"})
    assert_clean(at)
    assert at.title[0].value == ZH["pl.title"]
    head = data_table(at).columns.tolist()
    assert head[2] == ZH["pl.th.shape"]
    assert ZH["pl.rf_note.upsampled"] in data_table(at)[ZH["pl.th.rf"]].tolist()


def test_the_chart_builder_has_explicit_colours_and_the_given_words():
    from ui.lessons import planner_results as results
    from ui.lessons.planner_params import PRESETS as SHAPES

    plan = convlab.plan_table(STACKS["vgg16"], SHAPES["vgg16"][0])
    words = {"size": "S", "rf": "R", "series": "Q", "layer": "L", "cells": "C"}
    frame = results.chart_frame(plan)
    spec = results.size_rf_chart(frame, "T", words).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["scale"] == {"domain": ["S", "R"], "range": ["#0072B2", "#D55E00"]}
    assert (spec["encoding"]["x"]["title"], spec["encoding"]["y"]["title"]) == ("L", "C")
    rf = frame[frame["name"] == EN["pl.series.rf"]]["cells"].tolist()
    assert rf[0] == 1 and rf[-1] == 212  # the input, then VGG-16's pool5
    # as wide as its column (never a fixed 520 px that clips layers 12-14 at 1024 x 768),
    # its legend under the plot with labels never cut ("output heigh")
    assert spec["width"] == "container"
    legend = colour["legend"]
    assert legend["orient"] == "bottom" and legend["labelLimit"] == 0


def test_the_chart_is_drawn_as_wide_as_the_stage():
    at = make_app(PAGE)
    import json

    from pagekit import vega_charts
    chart = vega_charts(at)[0]
    assert json.loads(chart.spec)["width"] == "container"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_cells_show_nothing_not_the_english_none(lang):
    """A setting a layer does not take is an empty cell; the grid's default placeholder for
    it is the English word "None", which a Chinese page must not show."""
    at = make_app(PAGE, {"lang": lang})
    editor = at.data_editor[0].proto
    assert editor.HasField("placeholder") and editor.placeholder == ""


# ---- issue 26: after a refusal, receptive fields past the input, the table's arguments ----

WRONG = {"preset": "custom", "n": "4", "c": "1", "h": "28", "w": "28",
         "stack": PRESETS["lenet"][1].replace("linear.o120", "linear.i300o120")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_after_a_refusal_the_totals_say_which_layer_they_stop_before(lang):
    at = make_app(PAGE, {"lang": lang, **WRONG})
    assert_clean(at)
    words = EN if lang == "en" else ZH
    got = metrics(at)
    label = words["pl.metric.out_before"].format(index=7, layer="Linear")
    assert got[label] == "4 × 400"  # the flattened map, before the refused Linear
    assert words["pl.metric.out"] not in got
    partial = words["pl.metric.partial"].format(index=7, layer="Linear", n=7)
    assert partial in [c.value for c in at.caption]


def test_after_a_refusal_the_code_stops_at_the_refused_layer_and_says_so():
    at = make_app(PAGE, {**WRONG})
    code = next(c.value for c in at.code if "nn.Sequential" in c.value)
    assert "in_features=400, out_features=84" not in code  # never invented
    assert "nn.Linear(in_features=300, out_features=120),  # 7" in code
    assert "# 8" not in code
    title = EN["code.title"] + ": " + EN["pl.code_until"].format(index=7, layer="Linear")
    assert title in [e.label for e in at.expander]


def test_a_receptive_field_larger_than_the_input_is_marked_and_explained():
    at = make_app(PAGE)  # AlexNet on 224: its Linear reads a 355-cell window
    rf = data_table(at)[EN["pl.th.rf"]].tolist()
    assert rf[13] == "195" and rf[15] == "355 *"  # pool5 fits, the Linear does not
    note = EN["pl.rf_beyond"].format(index=14, layer="Linear", rf="355", h=224, w=224,
                                     layers="14")
    assert note in [c.value for c in at.caption]


def test_an_input_size_fix_says_which_layers_input_it_means():
    at = make_app(PAGE, {"stack": "conv.o4k3_maxpool.k2_conv.o4k5", "c": "1", "h": "8",
                         "w": "8"})
    assert EN["pl.input_size_means"].format(index=2, h=3, w=3) in [c.value for c in at.caption]


def test_the_stack_table_pins_its_layer_column_and_offers_exact_names_first():
    import json

    from ui.lessons.planner_view import kind_options
    at = make_app(PAGE)
    columns = json.loads(at.data_editor[0].proto.columns)
    assert columns["t"]["pinned"] is True
    options = kind_options()
    assert options == columns["t"]["type_config"]["options"]
    for name in options:  # the drop-down filters by what is typed; Enter takes the first
        first = next(o for o in options if name.lower() in o.lower())
        assert first == name, (name, first)
    assert options.index("ReLU") < options.index("LeakyReLU")
    assert options.index("AvgPool2d") < options.index("AdaptiveAvgPool2d")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_link_format_is_explained_on_the_page(lang):
    at = make_app(PAGE, {"lang": lang})
    words = EN if lang == "en" else ZH
    assert words["pl.format"] in [e.label for e in at.expander]
    body = words["pl.format_body"].split("{")[0]
    assert any(m.value.startswith(body) for m in at.markdown)


def test_every_argument_can_be_typed_into_the_table():
    """Rectangular kernels, padding='same', padding_mode, output_padding, ceil_mode and
    Upsample's size and mode: typed as text, they become the stack and its link, and the
    plan agrees with PyTorch."""
    at = make_app(PAGE, {"preset": "custom", "stack": "conv.o8k3_convt.o4k3s2p1_maxpool.k3s2_"
                         "upsample.s2", "c": "3", "h": "9", "w": "9"})
    _edit(at, {"edited_rows": {
        "0": {"k": "(1, 7)", "p": "same", "m": "reflect"},
        "1": {"q": "1"},
        "2": {"c": True, "p": "1 x 0"},
        "3": {"s": None, "o": 20, "m": "bilinear"}}})
    assert_clean(at)
    assert at.query_params["stack"] == ("conv.o8k1x7psamemreflect_convt.o4k3s2p1q1_"
                                        "maxpool.k3s2p1x0c1_upsample.o20mbilinear")
    assert shapes(at)[1:-1] == ["1 × 8 × 9 × 9", "1 × 4 × 18 × 18", "1 × 4 × 10 × 9",
                                "1 × 4 × 20 × 20"]
    assert check_passed(at)


@pytest.mark.parametrize("cells, key", [
    ({"0": {"p": "same!"}}, "pl.cell.not_integer"),
    ({"0": {"m": "bilinear"}}, "pl.cell.not_a_choice"),
    ({"3": {"s": None}}, "pl.cell.scale_or_size")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_new_cell_is_named(cells, key, lang):
    at = make_app(PAGE, {"lang": lang, "preset": "custom", "stack": "conv.o8k3_convt.o4k3s2p1_"
                         "maxpool.k3s2_upsample.s2", "c": "3", "h": "9", "w": "9"})
    _edit(at, {"edited_rows": cells})
    assert_clean(at)
    words = (EN if lang == "en" else ZH)[key].split("{")[0]
    assert any(w.value.startswith(words) for w in at.warning), [w.value for w in at.warning]


def test_every_old_link_opens_the_same_view():
    """Links written before pairs and words existed read back to the same stack."""
    for text in ("conv.o64k3p1_relu_maxpool.k2s2", "conv.o8k3s2_relu_flatten",
                 *(text for _, text in PRESETS.values())):
        assert convlab.encode_stack(convlab.decode_stack(text)) == text
        assert all(isinstance(v, int) for _, args in convlab.decode_stack(text)
                   for _, v in args)


# ---- the solver: the smallest change first, one click, which input sizes ------------------

def _solver(query: dict, sl: int = 0, target: int = 0):
    at = make_app(PAGE, {"preset": "custom", **query})
    at.session_state["planner.open.solver"] = True
    at.run()
    at.number_input(key="planner.sl").set_value(sl).run()
    if target:
        at.number_input(key="planner.target").set_value(target).run()
    assert_clean(at)
    return at


def _click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()
    assert_clean(at)


def test_a_solution_is_applied_with_one_click():
    at = _solver({"stack": "conv.o8k3_relu", "c": "1", "h": "32", "w": "32"}, target=32)
    table = data_table(at, 1)
    assert table[EN["pl.sol.changed"]].tolist()[:2] == ["padding 1", "network input 34 × 34"]
    _click(at, EN["pl.sol.apply"].format(what="padding 1"))
    assert at.query_params["stack"] == "conv.o8k3p1_relu"
    assert shapes(at)[1] == "1 × 8 × 32 × 32"


def test_an_input_size_solution_is_applied_to_both_sides_of_a_square_input():
    at = _solver({"stack": "conv.o8k3_relu", "c": "1", "h": "32", "w": "32"}, target=32)
    _click(at, EN["pl.sol.apply"].format(what="network input 34 × 34"))
    assert (at.session_state["planner.h"], at.session_state["planner.w"]) == (34, 34)
    assert shapes(at)[1] == "1 × 8 × 32 × 32"


def test_a_transposed_convolution_is_offered_output_padding_on_the_page():
    at = _solver({"stack": "convt.o4k3s2p1", "c": "2", "h": "4", "w": "4"}, target=8)
    first = data_table(at, 1)[EN["pl.sol.changed"]].iloc[0]
    assert first == "output padding 1"
    _click(at, EN["pl.sol.apply"].format(what=first))
    assert at.query_params["stack"] == "convt.o4k3s2p1q1"
    assert shapes(at)[1] == "1 × 4 × 8 × 8"
    assert check_passed(at)


def test_an_even_kernel_is_offered_same_padding_on_the_page():
    at = _solver({"stack": "conv.o4k4", "c": "1", "h": "8", "w": "8"}, target=8)
    first = data_table(at, 1)[EN["pl.sol.changed"]].iloc[0]
    assert first == "padding 'same'"
    _click(at, EN["pl.sol.apply"].format(what=first))
    assert at.query_params["stack"] == "conv.o4k4psame"
    assert shapes(at)[1] == "1 × 4 × 8 × 8"


def test_a_layer_after_the_first_names_whose_input_it_changes():
    at = _solver({"stack": "conv.o4k3p1_conv.o4k3", "c": "1", "h": "8", "w": "8"}, sl=1,
                 target=8)
    table = data_table(at, 1)
    assert EN["pl.sol.input_of"].format(index=1) in table.columns
    assert EN["pl.sol.to_layer_input"].format(index=1, n=10) in table[EN["pl.sol.changed"]].tolist()
    assert not any("10" in b.label for b in at.button)  # not the network's input: no click


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_solver_says_which_input_heights_a_unet_takes(lang):
    at = _solver({"lang": lang, "stack": PRESETS["unet"][1], "c": "64", "h": "63", "w": "64"})
    words = EN if lang == "en" else ZH
    assert any(m.value == words["pl.sizes_runs"].format(ranges="2–512", hi=512, w=64)
               for m in at.markdown)
    exact = words["pl.sizes_exact"].split("{")[0] + "2, 4, 6, 8"
    assert any(m.value.startswith(exact) for m in at.markdown)
    _click(at, words["pl.sizes_use"].format(n=62))  # the nearest even height
    assert at.session_state["planner.h"] == 62
    out = data_table(at)[words["pl.th.shape"]].tolist()[-2]
    assert out.endswith("62 × 64")  # the way up meets the way down


REFUSED = ["conv.o2k3p3mreflect", "conv.o2k3p4mcircular", "convt.o2k3s2p1q2", "convt.o2k1p3",
           "maxpool.k2p2", "maxpool.k5", "conv.i5o2k3", "flatten_bn", "flatten_linear.i5o2",
           "upsample.s2o4", "flatten_upsample.s2", "flatten_adaptive.o2", "conv.o2k9",
           "conv.o2k3s2psame", "_".join(["upsample.s8"] * 5)]


@pytest.mark.parametrize("text", REFUSED)
def test_every_planner_refusal_is_worded_in_both_languages(text):
    """convlab gives each refusal a reason code and its numbers; ui words it (never the
    English sentence on the Chinese page, never the generic "cannot be this value")."""
    from ui.i18n import TEXT
    err = convlab.plan_table(convlab.decode_stack(text), (1, 1, 3, 4)).error
    assert err is not None and err.code and f"reason.{err.code}" in TEXT, (text, err)
    for lang in ("en", "zh"):
        worded = TEXT[f"reason.{err.code}"][lang].format(
            parameter=err.parameter, value=repr(err.value), **err.values)
        assert "{" not in worded


def test_a_padding_mode_refusal_in_chinese():
    at = make_app(PAGE, {"lang": "zh", "preset": "custom", "stack": "conv.o2k3p3mreflect",
                         "c": "1", "h": "3", "w": "4"})
    assert_clean(at)
    body = at.error[0].value
    assert ZH["reason.pl_pad_reflect"].format(pad=[3, 3], size=[3, 4]) in body


def test_a_refusals_fix_is_applied_with_one_click():
    """LeNet with a Linear written for 300 features: one click on in_features=400 and the
    whole stack plans, to d2l's 10 classes."""
    at = make_app(PAGE, {**WRONG})
    _click(at, EN["pl.sol.apply"].format(what="in_features=400"))
    assert not at.error
    assert at.query_params["stack"].endswith("linear.i400o120_sigmoid_linear.o84_sigmoid_"
                                             "linear.o10")
    assert metrics(at)[EN["pl.metric.out"]] == "4 × 10"


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 6), st.integers(1, 3), st.integers(0, 2),
       st.integers(1, 30), st.sampled_from(["conv", "convt", "maxpool"]))
def test_every_applied_solution_gives_its_layer_the_target(n, k, s, p, target, kind):
    """One click's stack, planned (and so checked against PyTorch by the page): the solved
    layer's output height is the target; the width keeps its own settings."""
    from ui.lessons.planner_solver import applied
    if kind == "maxpool":
        p = min(p, k // 2)
    row = (kind, (("o", 2),) * (kind != "maxpool") + (("k", k), ("s", s), ("p", p)))
    stack = convlab.check_stack([row])
    found = convlab.solve_output(n, k, s, p, target=target, transposed=kind == "convt",
                                 pool=kind == "maxpool")
    for f in found:
        if "input_size" in f.changed:
            continue
        plan = convlab.plan_table(applied(stack, 0, f), (1, 1, n, n))
        assert plan.error is None and plan.rows[0].output_shape[-2] == target, (f, plan)


# ---- a residual block as one row of the table --------------------------------------------------

def test_a_block_row_is_typed_into_the_table_and_kept_in_the_link():
    """A BasicBlock with its downsample added as one row: its main path, shortcut and the
    ReLU after the sum typed as small stacks; the link keeps it, the plan shows one row with
    its shortcut and agrees with PyTorch."""
    at = make_app(PAGE, {"preset": "custom", "stack": "conv.o8k3p1_bn_relu", "c": "3",
                         "h": "16", "w": "16"})
    main = "conv.o16k3s2p1b0_bn_relu_conv.o16k3p1b0_bn"
    _edit(at, {"added_rows": [{"t": "Residual", "rm": main, "rs": "conv.o16k1s2b0_bn",
                               "ra": "relu"}]})
    assert_clean(at)
    link = f"conv.o8k3p1_bn_relu_res({main})(conv.o16k1s2b0_bn)(relu)"
    assert at.query_params["stack"] == link
    stack = at.session_state["planner.stack"]
    assert stack == convlab.decode_stack(link) and stack[-1][0] == "res"
    assert shapes(at)[-2] == "1 × 16 × 8 × 8"  # the last is the total
    assert check_passed(at)
    # the link opens the same view, the table shows the block in its columns
    again = make_app(PAGE, {"preset": "custom", "stack": link, "c": "3", "h": "16",
                            "w": "16"})
    assert_clean(again)
    assert again.session_state["planner.stack"] == stack
    frame = stack_frame(stack)
    assert frame.iloc[-1]["t"] == "Residual" and frame.iloc[-1]["rm"] == main
    assert frame.iloc[-1]["rs"] == "conv.o16k1s2b0_bn" and frame.iloc[-1]["ra"] == "relu"
    assert frame_stack(frame) == (stack, None)


@pytest.mark.parametrize("cells, why", [
    ({"rm": "conv.o8k3_(relu)"}, "pl.block.nested"),
    ({"rm": ""}, "pl.block.empty"),
    ({"rm": "conv.o8k0"}, "pl.block.out_of_range"),
    ({"rm": "conv.k3"}, "pl.block.required"),
    ({"rm": "relu", "ra": "relu_relu"}, "pl.block.one_layer"),
    ({"rm": "blob"}, "pl.block.unknown_kind"),
    ({"rm": "relu", "rs": "conv.o8k3%"}, "pl.block.unreadable"),
    ({"rm": "_".join(["relu"] * 70)}, "pl.block.too_many")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_block_cell_is_named_in_words_and_the_stack_is_kept(cells, why, lang):
    at = make_app(PAGE, {"lang": lang, "preset": "lenet"})
    _edit(at, {"added_rows": [{"t": "Residual", **cells}]})
    assert_clean(at)
    words = EN if lang == "en" else ZH
    start = words["pl.cell.block"].split("{")[0]
    reason = max(re.split(r"\{[^}]*\}|`", words[why]), key=len)  # its longest fixed words
    assert len(reason) >= 3
    assert any(w.value.startswith(start) and reason in w.value for w in at.warning), [
        w.value for w in at.warning]
    assert at.session_state["planner.stack"] == STACKS["lenet"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_too_many_layers_inside_blocks_are_named(lang):
    at = make_app(PAGE, {"lang": lang, "preset": "lenet"})
    block = {"t": "Residual", "rm": "_".join(["relu"] * 30)}
    _edit(at, {"added_rows": [block, block]})
    assert_clean(at)
    words = (EN if lang == "en" else ZH)["pl.cell.too_many"].split("{")[0]
    assert any(w.value.startswith(words) for w in at.warning)
    assert at.session_state["planner.stack"] == STACKS["lenet"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_block_format_is_explained_on_the_page(lang):
    at = make_app(PAGE, {"lang": lang})
    words = EN if lang == "en" else ZH
    assert any(m.value == words["pl.format_block"] for m in at.markdown)


def test_a_stack_with_blocks_reads_in_chinese():
    """The plan's rows, checks, notes and code comments of a stack with blocks: no English
    words of the page's own (the block cells hold the link's code)."""
    from pagekit import english_words
    link = ("conv.o8k3p1_res(conv.o8k3p1b0_bn_relu_conv.o8k3p1b0_bn)()(relu)_"
            "res(conv.o16k3s2p1b0_bn_relu_conv.o16k3p1b0_bn)(conv.o16k1s2b0_bn)(relu)")
    at = make_app(PAGE, {"lang": "zh", "preset": "custom", "stack": link, "c": "3",
                         "h": "16", "w": "16"})
    assert_clean(at)
    strings = [e.value for kind in (at.markdown, at.caption, at.warning, at.info, at.error)
               for e in kind]
    assert any("Residual" in s and "BatchNorm2d" in s for s in strings)  # the block's row
    assert not sorted({w for s in strings for w in english_words(s)})
    comments = [line.split("# ", 1)[1] for c in at.code for line in c.value.split("\n")
                if "# " in line]
    assert not sorted({c for c in comments if english_words(f"`{c}`")})
