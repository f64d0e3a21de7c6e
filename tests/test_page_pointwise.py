"""AppTest of the 1×1-convolution page: d2l's check, the pixel as nn.Linear, the costs,
the timing panel."""

from __future__ import annotations

import json

from conftest import make_app
from pagekit import EN, assert_clean, check_passed, data_table, pictures, vega_charts

PW = "pages/pointwise.py"


def test_d2l_check_is_shown_and_passes():
    at = make_app(PW)
    assert_clean(at)
    lesson = [s.value for s in at.success if "1e-6" in s.value]
    assert len(lesson) == 1 and lesson[0].startswith(EN["pw.d2l_check.below_d2l"][:20])
    assert "below 1e-6" in lesson[0]  # d2l 7.4's own example: its claim holds
    assert check_passed(at)


def test_a_pass_above_1e6_is_no_error_and_no_false_claim():
    """rgb_to_4 (seed 1): |matmul - loop| sums to about 3.5e-6 over 144 float32 outputs,
    above d2l's 1e-6 yet far within float32 rounding: a pass, worded as one."""
    at = make_app(PW, {"preset": "rgb_to_4"})
    assert_clean(at)
    assert not at.error
    assert check_passed(at)
    lesson = [s.value for s in at.success if "1e-6" in s.value]
    assert len(lesson) == 1
    assert "below 1e-6" not in lesson[0] and "144 outputs" in lesson[0]
    assert "float32" in lesson[0] and "they agree" in lesson[0]


def test_pixel_as_linear_matches_the_convolution():
    at = make_app(PW, {"preset": "batch", "img": "1", "oi": "2", "oj": "3"})
    assert_clean(at)
    table = data_table(at)
    assert table.iloc[:, 1].tolist() == table.iloc[:, 2].tolist()
    assert EN["pw.pixel"].format(i=2, j=3) in [h.value for h in at.subheader]


def test_reshape_picture_has_matching_axis_colours():
    at = make_app(PW)
    k, x, y = next(p for p in pictures(at) if len(p) == 3)  # K @ X = Y
    (k_rows, k_cols), (x_rows, x_cols), (y_rows, y_cols) = k.axes, x.axes, y.axes
    assert k_cols == x_rows  # C_in, the same title in the same colour
    assert k_rows == y_rows  # C_out
    assert x_cols == y_cols  # H·W
    assert len({k_rows, k_cols, x_cols}) == 3
    assert (k.rows, k.cols, x.cols, y.rows) == (2, 3, 9, 2)  # d2l: 3 channels -> 2, 3 x 3


def test_predict_the_shape_as_d2l_asks_it():
    """One image: d2l's unbatched X (3, 3, 3) -> (2, 3, 3), as the preset says."""
    at = make_app(PW)
    box = next(m.value for m in at.markdown if "(3, 3, 3)" in m.value)
    assert "(1, 3, 3, 3)" not in box
    at.text_input(key="pointwise.guess").input("2, 3, 3").run()
    assert at.success and not at.warning
    at.text_input(key="pointwise.guess").input("1, 2, 3, 3").run()
    assert EN["predict.slip.pw_batch_added"] in at.warning[0].value
    at.text_input(key="pointwise.guess").input("3, 3, 3").run()
    assert EN["predict.slip.swapped"] in at.warning[0].value


def test_predict_the_batched_shape():
    at = make_app(PW, {"preset": "batch"})  # X (3, 4, 4, 5), K (2, 4, 1, 1)
    assert any("(3, 4, 4, 5)" in m.value for m in at.markdown)
    at.text_input(key="pointwise.guess").input("3, 2, 4, 5").run()
    assert at.success and not at.warning
    at.text_input(key="pointwise.guess").input("2, 4, 5").run()
    assert EN["predict.slip.no_batch"] in at.warning[0].value


def test_shape_question_leaves_out_slips_that_are_the_answer():
    from ui.lessons.pointwise_view import shape_question

    v = {"n": 1, "cin": 4, "cout": 4, "h": 2, "w": 3}  # C_in = C_out: "swapped" is right
    _, truth, slips = shape_question(v, (1, 4, 2, 3))
    assert truth == (4, 2, 3) and slips == {"pw_batch_added": (1, 4, 2, 3)}


def test_costs_chart_and_timing_on_demand():
    at = make_app(PW)
    assert any(json.loads(c.spec).get("title") == EN["pw.cost_title"] for c in vega_charts(at))
    before = len(vega_charts(at))
    at.button(key="pointwise.run_timing").click().run()
    assert_clean(at)
    assert len(vega_charts(at)) == before + 2  # time and GFLOP/s
    at.run()  # the result stays for the session
    assert len(vega_charts(at)) == before + 2
