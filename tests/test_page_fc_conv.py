"""AppTest of the fully-connected ≡ convolution page: the study notes' numbers from the
presets, the unrolled matrix, sliding, and the checks."""

from __future__ import annotations

import pytest
from conftest import make_app
from pagekit import (
    EN,
    all_figures,
    assert_clean,
    check_table,
    data_table,
    every_check_passed,
    pictures,
)

FC = "pages/fc_conv.py"


def outputs(at) -> list[list[float]]:
    table = data_table(at)
    return [[round(float(v), 4) for v in table.iloc[:, i]] for i in range(3)]


@pytest.mark.parametrize("preset,expected", [
    ("seed888", [0.2983, 1.4994]),
    ("fixed_relu", [14.9, 19.0]),
])
def test_the_notes_numbers_three_ways(preset, expected):
    at = make_app(FC, {"preset": preset})
    assert_clean(at)
    linear, full, pointwise = outputs(at)
    assert linear == full == pointwise == expected
    assert every_check_passed(at)  # each part's panel


def test_image4x4_gives_two_4x4_kernels():
    at = make_app(FC, {"preset": "image4x4"})
    assert_clean(at)
    mapping = next(p for p in pictures(at) if p[0].title == EN["fc.row_title"].format(r=0))
    assert [f.title for f in mapping] == [
        EN[key].format(r=r, c=0) for r in range(2) for key in ("fc.row_title", "fc.kernel_title")]
    # each weight row (1 x 16) beside the 4 x 4 kernel it becomes, the same numbers
    for row, kernel in zip(mapping[::2], mapping[1::2], strict=True):
        assert (row.rows, row.cols, kernel.rows, kernel.cols) == (1, 16, 4, 4)
        assert row.texts == kernel.texts


def test_unrolled_matrix_has_one_row_per_output_and_a_column_per_input():
    at = make_app(FC, {"h": "4", "kh": "3"})
    assert_clean(at)
    title = EN["fc.unrolled_title"].format(rows=4, cols=16)
    (unrolled,) = [f for f in all_figures(at) if f.title == title]
    assert (unrolled.rows, unrolled.cols) == (4, 16)
    assert "linear_unrolled" not in str(check_table(at, 1))  # part 2's: worded, not ids
    assert every_check_passed(at)  # each part's panel


def test_sliding_checks_every_crop():
    at = make_app(FC, {"extra": "5"})
    assert_clean(at)
    assert EN["fc.check_note"].format(n=36) in [c.value for c in at.caption]
    assert every_check_passed(at)  # each part's panel


def test_predict_the_first_output():
    at = make_app(FC)
    at.text_input(key="fc_conv.guess").input("0.2983").run()
    assert at.success
    at.text_input(key="fc_conv.guess").input("0.5").run()
    assert at.warning
