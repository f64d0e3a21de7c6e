"""The shape planner page: presets, the stack in the URL, bad cells, refusals, the solver,
both languages."""

from __future__ import annotations

import pytest
from conftest import make_app
from pagekit import EN, ZH, assert_clean, check_passed, check_table, data_table, metrics

import convlab
from ui.planner_view import PRESETS, STACKS, apply_edits, frame_stack, stack_frame

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
    assert rf[1] == "4"  # a stride-1 transposed convolution on 1 x 1 is a 4 x 4 window
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
    {"edited_rows": {"0": {"k": 3}, "2": {"m": "AvgPool2d"}}},
    {"added_rows": [{"m": "ReLU"}], "deleted_rows": [0, 3]},
    {"edited_rows": {"1": {"o": 7}}, "added_rows": [{"m": "Linear", "o": 5}]}])
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
    from ui import planner_results as results
    from ui.planner_view import PRESETS as SHAPES

    plan = convlab.plan_table(STACKS["vgg16"], SHAPES["vgg16"][0])
    words = {"size": "S", "rf": "R", "series": "Q", "layer": "L", "cells": "C"}
    frame = results.chart_frame(plan)
    spec = results.size_rf_chart(frame, "T", words).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["scale"] == {"domain": ["S", "R"], "range": ["#0072B2", "#D55E00"]}
    assert (spec["encoding"]["x"]["title"], spec["encoding"]["y"]["title"]) == ("L", "C")
    rf = frame[frame["name"] == EN["pl.series.rf"]]["cells"].tolist()
    assert rf[0] == 1 and rf[-1] == 212  # the input, then VGG-16's pool5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_cells_show_nothing_not_the_english_none(lang):
    """A setting a layer does not take is an empty cell; the grid's default placeholder for
    it is the English word "None", which a Chinese page must not show."""
    at = make_app(PAGE, {"lang": lang})
    editor = at.data_editor[0].proto
    assert editor.HasField("placeholder") and editor.placeholder == ""
