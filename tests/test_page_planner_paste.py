"""The planner's "Paste your model" box: a printed model or its source replaces the table,
lives in the link, and a text that cannot be read is named at its line, in both languages."""

from __future__ import annotations

from conftest import make_app
from pagekit import EN, ZH, assert_clean, check_passed, data_table, metrics

import convlab
from convlab.planner.presets import PRINTED

PAGE = "pages/planner.py"


def layer_cells(at, words=EN) -> list[str]:
    return data_table(at)[words["pl.th.layer"]].tolist()


def paste(at, text: str):
    at.session_state["planner.open.paste"] = True
    at.run()
    at.text_area(key="planner.paste_text").set_value(text)
    at.button(key="planner.paste_apply").click().run()
    return at


def test_printed_resnet18_preset_plans_its_blocks_with_their_shortcuts():
    at = make_app(PAGE, {"preset": "resnet18"})
    assert_clean(at)
    got = metrics(at)
    assert got[EN["pl.metric.params"]] == "11,689,512"
    assert got[EN["pl.metric.out"]] == "1 × 1000"
    cells = layer_cells(at)
    shortcut = EN["pl.shortcut"].format(layers="Conv2d + BatchNorm2d")
    identity = EN["pl.shortcut"].format(layers=EN["pl.shortcut.identity"])
    assert cells[5] == "BasicBlock" + identity and cells[7] == "BasicBlock" + shortcut
    assert cells[-2] == "Linear" + EN["pl.flattened"]
    assert check_passed(at)
    assert at.query_params.get("model") == convlab.planner.pack_text(PRINTED["resnet18"][1])
    assert any(EN["pl.paste.print_order"].split(":")[0] in i.value for i in at.info)


def test_vgg16_and_alexnet_prints_plan_to_their_published_counts():
    for preset, count in (("vgg16_print", "138,357,544"), ("alexnet_print", "61,100,840")):
        at = make_app(PAGE, {"preset": preset})
        assert_clean(at)
        assert metrics(at)[EN["pl.metric.params"]] == count
        assert check_passed(at)


def test_a_pasted_source_replaces_the_table_and_lives_in_the_link():
    at = make_app(PAGE)
    text = "nn.Sequential(\n    nn.Conv2d(3, 8, 3, stride=2),\n    nn.ReLU(),\n)"
    paste(at, text)
    assert_clean(at)
    assert metrics(at)[EN["pl.metric.out"]] == "1 × 8 × 111 × 111"
    assert at.query_params.get("model") == convlab.planner.pack_text(text)
    assert at.query_params.get("preset") == "custom"
    again = make_app(PAGE, {"model": at.query_params.get("model"), "preset": "custom"})
    assert metrics(again)[EN["pl.metric.out"]] == "1 × 8 × 111 × 111"
    at.button(key="planner.paste_back").click().run()
    assert not at.query_params.get("model")
    assert metrics(at)[EN["pl.metric.out"]] != "1 × 8 × 111 × 111"  # the table plans again


def test_an_unreadable_text_is_named_at_its_line_and_changes_nothing():
    at = make_app(PAGE)
    before = metrics(at)
    paste(at, "nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    __import__('os'),\n)")
    assert_clean(at)
    assert metrics(at) == before and not at.query_params.get("model")
    error = at.error[0].value
    assert EN["pl.paste.error"].format(line=3, column=5) in error
    assert "__import__" in error
    assert any("^" in c.value and "__import__" in c.value for c in at.code)


def test_a_link_with_a_bad_model_says_where_and_plans_the_table():
    bad = convlab.planner.pack_text("Sequential(\n  (0): Conv2d(3, 8, 3)\n  (1): Evil()\n)")
    at = make_app(PAGE, {"model": bad, "preset": "custom"})
    assert_clean(at)
    assert EN["pl.paste.error"].format(line=3, column=8) in at.error[0].value


def test_the_paste_box_in_chinese():
    at = make_app(PAGE, {"preset": "resnet18", "lang": "zh"})
    assert_clean(at)
    assert any(e.label == ZH["pl.paste"] for e in at.expander)
    cells = layer_cells(at, ZH)
    assert cells[-2] == "Linear" + ZH["pl.flattened"]
    at.text_area(key="planner.paste_text").set_value("[nn.Conv2D(3, 8, 3)]")
    at.button(key="planner.paste_apply").click().run()
    error = at.error[0].value
    assert ZH["pl.paste.error"].format(line=1, column=2) in error
    assert ZH["reason.text_unknown_module"].format(text="Conv2D") in error
