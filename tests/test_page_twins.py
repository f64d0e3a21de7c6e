"""The output-size page's "two layers, same arguments" section (study note 004): the notes'
(1, 1, 4, 4) input and 3 x 3 kernel, in both languages, with its exact numbers."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from conftest import make_app
from pagekit import EN, ZH, all_figures, assert_clean, check_table, metrics

import convlab

OS = "pages/output_size.py"
KEY = "output_size.open.twins"
NOTES = {"in_channels": 1, "out_channels": 1, "kernel_size": 3}


def open_twins(lang: str):
    at = make_app(OS, {"preset": "notes_4x4", "lang": lang})
    at.session_state[KEY] = True
    at.run()
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_layers_with_the_same_arguments_differ_then_agree(lang):
    words = EN if lang == "en" else ZH
    at = open_twins(lang)
    m = metrics(at)
    assert m[words["twins.fan_in"]] == "9"
    assert m[words["twins.bound"]] == "0.3333"  # 1 / sqrt(1 * 3 * 3)
    assert m[words["twins.compare"]] == words["twins.differ"]
    tw = convlab.twin_layers(NOTES, (1, 1, 4, 4), seed=0)
    titles = {f.title: f for f in all_figures(at)}
    shown_a = np.array(titles[words["twins.output_a"]].grid(), dtype=float)
    shown_b = np.array(titles[words["twins.output_b"]].grid(), dtype=float)
    assert shown_a.shape == shown_b.shape == (2, 2)
    np.testing.assert_allclose(shown_a, tw.output_a[0, 0], atol=5e-3)
    np.testing.assert_allclose(shown_b, tw.output_b[0, 0], atol=5e-3)
    assert not np.allclose(shown_a, shown_b)
    rows = check_table(at, -1)  # the section's own panel, last
    names = [str(v) for v in rows[words["check.col_what"]]]
    for what in ("twin_loaded", "twin_seeded"):
        assert words[f"check.what.{what}"] in names
    assert any("0.3333" in str(v) for v in rows[words["check.col_oracle"]])
    assert all("✅" in str(v) for v in rows[words["check.col_result"]])


def test_the_sections_code_prints_the_pages_outputs():
    at = open_twins("en")
    code = next(c.value for c in at.code if "load_state_dict" in c.value)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})  # noqa: S102 - the code the page shows a learner
    lines = out.getvalue().splitlines()
    tw = convlab.twin_layers(NOTES, (1, 1, 4, 4), seed=0)
    np.testing.assert_allclose(eval(lines[0].split(" ", 1)[1]),  # noqa: S307
                               tw.output_a.flatten(), atol=1e-6)
    assert lines[2:] == ["equal False", "bound 0.3333 inside True",
                         "equal after load_state_dict True", "equal when seeded alike True"]
