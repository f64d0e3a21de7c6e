"""AppTest of the multi-channel page: textbook numbers, extremes, bad URLs, bad tables."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pagekit import EN, check_table, click_explorer, open_more, vega_charts
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from ui.decoders import tensor_text as tt
from ui.lessons import multichannel_view as view

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
P = "multichannel"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page("pages/multichannel.py")
    at.run()
    assert not at.exception, at.exception
    return open_more(at, P)  # stride, padding, groups, bias and flip are drawn there


def arithmetic(at: AppTest) -> str:
    return at.code[0].value


def reproduce(at: AppTest) -> np.ndarray:
    """Run the page's reproduce-in-PyTorch code and return the Y it printed."""
    code = at.code[-1].value
    assert "F.conv2d" in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})  # noqa: S102 - the code the page shows a learner
    numbers = re.findall(r"-?\d+\.?\d*(?:e[+-]?\d+)?", out.getvalue().replace("tensor", ""))
    return np.array([float(n) for n in numbers])


def test_default_is_d2l_two_channel_example():
    at = open_page()
    assert arithmetic(at) == "0×0 + 1×1 + 3×2 + 4×3 + 1×1 + 2×2 + 4×3 + 5×4 = 56"
    np.testing.assert_allclose(reproduce(at), [56, 72, 104, 120])


def test_d2l_first_corr2d_single_channel_19_25_37_43():
    """d2l's very first number: corr2d of X = 0..8 with K = [[0, 1], [2, 3]]."""
    at = open_page({"preset": "d2l_one"})
    assert arithmetic(at) == "0×0 + 1×1 + 3×2 + 4×3 = 19"
    np.testing.assert_allclose(reproduce(at), [19, 25, 37, 43])
    at = open_page({"preset": "d2l_one", "lang": "zh"})
    assert arithmetic(at) == "0×0 + 1×1 + 3×2 + 4×3 = 19"
    np.testing.assert_allclose(reproduce(at), [19, 25, 37, 43])


@pytest.mark.parametrize(("i", "j", "total"), [(0, 1, 72), (1, 0, 104), (1, 1, 120)],
                         ids=["72", "104", "120"])
def test_every_cell_of_56_72_104_120(i, j, total):
    at = open_page()
    click_explorer(at, (i, j))  # a click on Y's cell in the window explorer
    assert arithmetic(at).endswith(f"= {total}")


def test_three_output_channels_stack():
    at = open_page()
    at.selectbox(key=f"{P}.preset").set_value("d2l_three").run()
    np.testing.assert_allclose(reproduce(at), [56, 72, 104, 120, 76, 100, 148, 172,
                                               96, 128, 192, 224])
    at.slider(key=f"{P}.o").set_value(2).run()
    assert arithmetic(at).endswith("= 96")


def test_edge_detection_and_its_transpose():
    at = open_page()
    at.selectbox(key=f"{P}.preset").set_value("edge").run()
    np.testing.assert_allclose(reproduce(at), [0, 1, 0, 0, 0, -1, 0] * 6)
    at.selectbox(key=f"{P}.preset").set_value("edge_t").run()
    assert not at.exception
    np.testing.assert_allclose(reproduce(at), np.zeros(8 * 5))


def test_check_panel_passes_and_names_f_conv2d():
    at = open_page()
    table = check_table(at)
    assert len(table) == 2  # vectorised and loop reference
    assert all("F.conv2d" in str(v) for v in table[EN["check.col_oracle"]])
    assert all("✅" in str(v) for v in table[EN["check.col_result"]])


def test_true_convolution_flips_the_kernel():
    at = open_page()
    at.toggle(key=f"{P}.flip").set_value(True).run()
    # flipped K = [[3, 2], [1, 0]] and [[4, 3], [2, 1]]: 0*3+1*2+3*1+4*0 + 1*4+2*3+4*2+5*1
    assert arithmetic(at).endswith("= 28")
    assert "flip(-2, -1)" in at.code[-1].value


def test_groups_depthwise_draws_wiring_and_checks():
    at = open_page()
    at.number_input(key=f"{P}.cin").set_value(4)
    at.number_input(key=f"{P}.cout").set_value(4)
    at.number_input(key=f"{P}.groups").set_value(4).run()
    assert not at.exception
    assert not at.error
    assert any("groups=4" in str(v) for v in check_table(at)[EN["check.col_oracle"]])
    # The wiring chart: 4 groups, each output channel wired to its one input channel.
    assert EN["mc.wiring"] in [h.value for h in at.subheader]
    title = f"{EN['mc.wiring_in']}  →  {EN['mc.wiring_out']}"
    wiring = [c for c in vega_charts(at) if json.loads(c.spec).get("title") == title]
    assert len(wiring) == 1
    rows = convert_arrow_bytes_to_pandas_df(wiring[0].datasets[0].data.data)
    assert sorted(zip(rows["src"], rows["dst"], strict=True)) == [(c, c) for c in range(4)]


def test_groups_not_dividing_is_explained_not_raised():
    at = open_page()
    at.number_input(key=f"{P}.groups").set_value(3).run()
    assert not at.exception
    assert "groups" in at.error[0].value
    assert "Nearest valid setting" in at.error[0].value


def test_kernel_larger_than_input_is_explained():
    at = open_page()
    at.number_input(key=f"{P}.kh").set_value(5).run()
    assert not at.exception
    assert "kernel_size" in at.error[0].value
    assert any("Kernel size can't be greater" in c.value for c in at.code)


@pytest.mark.parametrize("name", list(view.BOUNDS))
@pytest.mark.parametrize("end", [0, 1], ids=["min", "max"])
def test_every_number_input_at_its_extremes(name, end):
    at = open_page()
    at.number_input(key=f"{P}.{name}").set_value(view.BOUNDS[name][end]).run()
    assert not at.exception


@pytest.mark.parametrize("garbage", ["abc", "1e999", "-5", "", "%%", "9" * 5000, "1,2;3",
                                     "nan", "inf", "0,1;2|3"])
def test_garbage_in_every_url_parameter(garbage):
    query = {p.name: garbage for p in view.PARAMS}
    at = open_page(query)
    assert not at.exception
    assert at.warning, "a corrected URL value must be announced"


def test_url_round_trip_reopens_the_same_view():
    at = open_page()
    at.selectbox(key=f"{P}.preset").set_value("d2l_three").run()
    at.slider(key=f"{P}.o").set_value(1).run()
    query = dict(at.query_params)
    assert query["o"] == "1" and "K" in query
    again = open_page(query)
    assert arithmetic(again) == arithmetic(at)
    assert arithmetic(again).endswith("= 76")


def test_zh_title():
    at = open_page({"lang": "zh"})
    assert at.title[0].value == "多输入多输出通道"


@pytest.mark.parametrize(("cells", "reason"), [
    ([[1.0, None]], "empty"), ([[1.0, float("nan")]], "empty"), ([["x", 2]], "not_a_number"),
    ([[1e9, 2]], "too_large"), ([[float("inf"), 2]], "too_large"), ([[" ", 2]], "empty"),
])
def test_bad_table_cells_are_refused(cells, reason):
    matrix, cell, why = tt.table_to_matrix(pd.DataFrame(cells))
    assert matrix is None and why == reason and cell is not None


def test_good_table_parses():
    matrix, cell, why = tt.table_to_matrix(pd.DataFrame([[1, "2.5"], [-3, 4]]))
    assert cell is None and why == ""
    np.testing.assert_array_equal(matrix, [[1, 2.5], [-3, 4]])


@pytest.mark.parametrize("A", [np.arange(8.0).reshape(2, 2, 2), np.array([[[[1.5, -2e-3]]]]),
                               np.array([0.0, -1.0, 3.25])], ids=["3d", "4d", "1d"])
def test_tensor_text_round_trip(A):
    np.testing.assert_allclose(tt.decode(tt.encode(A), A.ndim, (8, 16, 16, 16)[: A.ndim]), A)


@pytest.mark.parametrize("text", ["1,2;3", "a", "1,2|3,4~5", "inf", "", "1e7"])
def test_tensor_text_refuses_bad_text(text):
    with pytest.raises(ValueError):
        tt.decode(text, 3, (8, 16, 16))


def test_new_random_draws_numbers_for_the_current_shape():
    """"New random numbers" keeps channels, kernel and input size (groups too) and draws
    the next seed's numbers; the link (seed and tensors) reopens the same view."""
    shape = {"cin": "4", "cout": "2", "kh": "3", "kw": "2", "h": "5", "w": "6", "groups": "2"}
    at = open_page(shape)
    at.button(key=f"{P}.reroll").click().run()
    assert not at.exception
    link = dict(at.query_params)
    assert {k: str(at.number_input(key=f"{P}.{k}").value) for k in shape} == shape
    assert link["seed"] == "1"
    X, K = tt.decode(link["X"], 3, view.MAX_X), tt.decode(link["K"], 4, view.MAX_K)
    assert X.shape == (4, 5, 6) and K.shape == (2, 2, 3, 2)  # K: C_in / groups = 2
    want = view.random_tensors({**{k: int(v) for k, v in shape.items()}, "seed": 1}, 2)
    for got, drawn in zip((X, K, tt.decode(link["b"], 1, (8,))), want, strict=True):
        np.testing.assert_array_equal(got, drawn)
    assert len(np.unique(X)) > 10  # random numbers, not the d2l preset fitted with zeros
    y = reproduce(at)
    at.button(key=f"{P}.reroll").click().run()
    assert at.query_params["seed"] == "2" and at.number_input(key=f"{P}.cin").value == 4
    assert at.query_params["X"] != link["X"]
    again = open_page(link)  # the link reproduces the first draw
    np.testing.assert_allclose(reproduce(again), y)


@pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
def test_greyed_padding_box_says_what_same_adds():
    """Under padding='same' the number boxes are greyed and keep their own value (0); their
    labels say the padding PyTorch applies: k = 4 gives 1 before and 2 after."""
    at = open_page({"pad": "same", "kh": "4", "kw": "3", "h": "6", "w": "6"})
    ph, pw = at.number_input(key=f"{P}.ph"), at.number_input(key=f"{P}.pw")
    assert ph.disabled and pw.disabled and ph.value == 0
    assert ph.label == EN["conv.p_applied"].format(label=EN["mc.ph"], mode="'same'",
                                                   before=1, after=2)
    assert "1 before, 1 after" in pw.label
    at = open_page({"pad": "same", "kh": "3", "dh": "2", "kw": "2", "dw": "3"})
    assert "2 before, 2 after" in at.number_input(key=f"{P}.ph").label  # d(k - 1) = 4
    assert "1 before, 2 after" in at.number_input(key=f"{P}.pw").label  # 3
    at = open_page({"pad": "number", "ph": "2"})
    assert at.number_input(key=f"{P}.ph").label == EN["mc.ph"]
