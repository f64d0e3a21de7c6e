"""Predict, then check, that really hides the answer (issue 26, item 4): on every lesson a
link with ?predict=1 holds back the pictures, numbers and checks until the learner answers
or presses "Show me"; the answer box belongs to its question; a wrong answer does not give
the answer away."""

from __future__ import annotations

import pytest
from conftest import make_app
from pagekit import EN

from ui.registry import lessons


def _check_panel_shown(at) -> bool:
    return any(EN["check.title"] in m.value for m in at.markdown)


def _hidden(at) -> bool:
    return any(EN["predict.hidden"] in i.value for i in at.info)


@pytest.mark.parametrize("stem", [p.stem for p in lessons()])
def test_predict_mode_hides_the_answer_until_shown(stem):
    at = make_app(f"pages/{stem}.py", {"predict": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert _hidden(at)
    assert not _check_panel_shown(at)
    assert not [c for c in at.code if c.language == "python"]  # the code prints the answer
    at.button(key=f"{stem}.guess._show").click().run()
    for _ in range(3):  # a page with a second question holds back what answers that one
        if not _hidden(at):
            break
        shown = [b for b in at.button if (b.key or "").endswith("._show")]
        shown[-1].click().run()
    assert not at.exception
    assert not _hidden(at)
    assert _check_panel_shown(at)
    assert any(EN["predict.shown"].split("{")[0] in i.value for i in at.info)


@pytest.mark.parametrize("stem", [p.stem for p in lessons()])
def test_without_predict_mode_nothing_is_held_back(stem):
    at = make_app(f"pages/{stem}.py")
    assert not at.exception
    assert not _hidden(at)
    assert _check_panel_shown(at)


def test_a_right_answer_reveals_and_a_wrong_one_does_not_give_it_away():
    at = make_app("pages/output_size.py", {"preset": "why_13", "predict": "1"})
    assert _hidden(at)
    at.text_input(key="output_size.guess").input("14x14").run()  # the ceil slip
    assert _hidden(at)
    assert "13" not in at.warning[0].value and EN["predict.slip.ceil"] in at.warning[0].value
    at.text_input(key="output_size.guess").input("13").run()
    assert not _hidden(at) and _check_panel_shown(at)
    assert "13 × 13" in at.success[0].value


def test_the_answer_box_belongs_to_its_question():
    at = make_app("pages/output_size.py", {"preset": "why_13"})
    at.text_input(key="output_size.guess").input("13").run()
    assert at.success
    at.number_input(key="output_size.h").set_value(20).run()  # a new question
    assert at.text_input(key="output_size.guess").value == ""
    assert not at.success and not at.warning


def test_preset_names_do_not_carry_the_answer_in_predict_mode():
    at = make_app("pages/output_size.py", {"predict": "1"})
    options = at.selectbox(key="output_size.preset").options
    assert not [o for o in options if "→" in o]
    at = make_app("pages/output_size.py")
    assert [o for o in at.selectbox(key="output_size.preset").options if "→" in o]
