"""AppTest of the pooling page: d2l 7.5's numbers in both languages, the window explorer
(winning cell, 1/n weights, -inf and counted zeros), ceil_mode's window, adaptive bins,
where the gradient goes, predict-then-check and a click."""

from __future__ import annotations

import pytest
from conftest import make_app
from pagekit import (
    EN,
    ZH,
    all_figures,
    assert_clean,
    check_passed,
    click_explorer,
    explorers,
    metrics,
)
from streamlit.testing.v1 import AppTest

from ui.lessons import pooling_pictures as pictures

PAGE = "pages/pooling.py"
# d2l 7.5's examples, exactly, and ceil_mode's window added and dropped
GOLDEN = {
    "d2l_max": [[[4, 5], [7, 8]]],
    "d2l_avg": [[[2, 3], [5, 6]]],
    "d2l_k3": [[[10]]],
    "d2l_k3p1s2": [[[5, 7], [13, 15]]],
    "d2l_rect": [[[5, 7], [13, 15]]],
    "d2l_two": [[[5, 7], [13, 15]], [[6, 8], [14, 16]]],
    "ceil_added": [[[10, 11], [14, 15]]],
    "ceil_dropped": [[[0, 3], [12, 15]]],
    "adaptive_7to3": [[[8, 10, 12], [22, 24, 26], [36, 38, 40]]],
    "global_avg": [[[7.5]]],
}


def shown_output(at: AppTest) -> list[list[list[float]]]:
    """Y as the window explorer draws it: one output panel per channel."""
    data = explorers(at)[0]
    out = []
    for row in data["rows"]:
        for panel in row:
            if panel["id"].startswith("y"):
                values = [float(v) for v in panel["fields"]["value"]]
                cols = panel["cols"]
                out.append([values[r * cols:(r + 1) * cols] for r in range(panel["rows"])])
    return out


def panel(at: AppTest, pid: str) -> dict:
    return next(p for row in explorers(at)[0]["rows"] for p in row if p["id"] == pid)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("preset", sorted(GOLDEN))
def test_d2l_presets_in_both_languages(preset, lang):
    at = make_app(PAGE, {"preset": preset, "lang": lang})
    assert_clean(at)
    assert not at.error
    assert shown_output(at) == GOLDEN[preset]
    words = EN if lang == "en" else ZH
    C = len(GOLDEN[preset])
    H, W = len(GOLDEN[preset][0]), len(GOLDEN[preset][0][0])
    assert metrics(at)[words["pool.out_shape"]] == f"{C} × {H} × {W}"
    headline = next(m.value for m in at.markdown
                    if m.value.startswith(f"**{words['check.title']}**")).splitlines()[0]
    assert headline.endswith(words["check.all_pass"])
    assert at.selectbox(key="pooling.preset").format_func(preset) == words[f"pool.preset.{preset}"]


def test_the_stride_defaults_to_the_window_and_says_so():
    at = make_app(PAGE, {"preset": "d2l_k3"})
    assert at.toggle(key="pooling.sdef").value
    stride = at.number_input(key="pooling.sh")
    assert stride.value == 3 and stride.proto.disabled
    assert EN["pool.stride_default"].format(s=3) in [c.value for c in at.caption]
    assert "nn.MaxPool2d(3, return_indices=True)" in at.code[-1].value
    at.number_input(key="pooling.kh").set_value(2).run()  # the stride follows the window
    at.number_input(key="pooling.kw").set_value(2).run()
    assert at.session_state["pooling.sh"] == at.session_state["pooling.sw"] == 2
    assert shown_output(at) == [[[5, 7], [13, 15]]]


def test_max_marks_the_winner_and_pads_with_minus_infinity():
    at = make_app(PAGE, {"preset": "d2l_k3p1s2"})
    x0 = panel(at, "x0")
    winner = x0["palette"].index(pictures.ROLE_COLOURS["winner"])
    padding = x0["palette"].index(pictures.ROLE_COLOURS["padding"])
    # output (0, 0)'s maximum is input cell (1, 1) = 5: padded cell (2, 2) of a 6 x 6 grid
    assert [k for k, f in enumerate(x0["fill"]) if f == winner] == [2 * 6 + 2]
    assert {x0["fields"]["value"][k] for k, f in enumerate(x0["fill"]) if f == padding} == {"−∞"}
    assert panel(at, "y0")["fields"]["at"] == ["(1, 1)", "(1, 3)", "(3, 1)", "(3, 3)"]
    click_explorer(at, [1, 1])
    assert_clean(at)
    assert metrics(at)[EN["pool.value"].format(i=1, j=1)] == "15"
    x0 = panel(at, "x0")
    assert [k for k, f in enumerate(x0["fill"]) if f == winner] == [4 * 6 + 4]


def test_average_weights_are_one_over_n_and_padding_counts_as_chosen():
    at = make_app(PAGE, {"preset": "d2l_avg"})
    assert set(panel(at, "k")["fields"]["value"]) == {"1/4"}
    assert "(0 + 1 + 3 + 4) / 4 = 2" in [c.value for c in at.code]
    # padding 1 with a 3 x 3 window: the corner window holds 4 input cells of 9
    at = make_app(PAGE, {"kind": "avg", "kh": "3", "kw": "3", "sdef": "0", "sh": "2",
                         "sw": "2", "ph": "1", "pw": "1", "h": "4", "w": "4"})
    assert panel(at, "y0")["fields"]["n"] == ["9", "9", "9", "9"]
    assert panel(at, "x0")["names"][1] == EN["pool.role.pad_avg_on"]
    at.toggle(key="pooling.cip").set_value(False).run()
    assert panel(at, "y0")["fields"]["n"] == ["4", "6", "6", "9"]
    assert panel(at, "k")["fields"]["value"][0] == "1/n"
    assert panel(at, "x0")["names"][1] == EN["pool.role.pad_avg_off"]
    assert "(0 + 0 + 0 + 0 + 0 + 1 + 0 + 4 + 5) / 4 = 2.5" in [c.value for c in at.code]
    assert check_passed(at)


def test_ceil_mode_shows_the_window_it_adds_and_the_one_it_drops():
    at = make_app(PAGE, {"preset": "ceil_added"})
    text = "\n".join(m.value for m in at.markdown)
    assert EN["pool.ceil.added"].format(axis=EN["pool.axis.h"], k=1, start=2, over=1) in text
    assert panel(at, "x0")["rows"] == 5  # the grid reaches one cell past the 4 x 4 input
    strips = [f for f in all_figures(at) if EN["pool.ceil.strip"].split(":")[1].strip() in f.title]
    assert len(strips) == 2 and strips[0].highlighted == [2, 3, 4]
    at = make_app(PAGE, {"preset": "ceil_dropped"})
    text = "\n".join(m.value for m in at.markdown)
    assert EN["pool.ceil.dropped"].format(axis=EN["pool.axis.w"], k=2, start=6, limit=5,
                                          n=2) in text
    strips = [f for f in all_figures(at) if EN["pool.ceil.strip"].split(":")[1].strip() in f.title]
    assert strips[0].highlighted == [6, 7]  # it would start in the right padding and beyond


def test_adaptive_bins_overlap_and_global_average_pooling():
    at = make_app(PAGE, {"preset": "adaptive_7to3"})
    assert "`[(0, 3), (2, 5), (4, 7)]` · `[(0, 3), (2, 5), (4, 7)]`" in [m.value for m in
                                                                         at.markdown]
    bins = [f for f in all_figures(at) if f.title == EN["pool.bins_axis"].format(
        axis=EN["pool.axis.h"], n=7, m=3)]
    filled = [sum(f == pictures.ROLE_COLOURS["input"] for f in bins[0].fills[c::7])
              for c in range(7)]
    assert panel(at, "y0")["fields"]["bin"][4] == "[2, 5) × [2, 5)"
    assert filled == [1, 1, 2, 1, 2, 1, 1]  # cells 2 and 4 belong to two bins
    at = make_app(PAGE, {"preset": "global_avg"})
    assert [i.value for i in at.info] == [EN["pool.global_note"]]
    assert "nn.AdaptiveAvgPool2d(1)" in at.code[-1].value


def test_where_the_gradient_goes():
    at = make_app(PAGE, {"preset": "d2l_k3p1s2"})
    grads = [f for f in all_figures(at) if f.title == "X[0].grad"]
    values = [float(v) for v in grads[0].texts]
    assert sum(values) == 4 and values[5] == values[7] == values[13] == values[15] == 1


def test_predict_the_size_and_a_value_with_their_slips():
    at = make_app(PAGE, {"preset": "d2l_k3"})
    at.text_input(key="pooling.guess").input("2").run()  # stride 1 instead of the window
    assert any(EN["predict.slip.pool_stride_one"] in w.value for w in at.warning)
    at = make_app(PAGE, {"preset": "d2l_k3p1s2"})
    at.text_input(key="pooling.guess_value").input("2.5").run()  # the mean of the window
    assert any(EN["predict.slip.pool_mean"] in w.value for w in at.warning)
    at.text_input(key="pooling.guess_value").input("5").run()
    assert at.success


def test_a_refusal_is_explained_beside_pytorch():
    at = make_app(PAGE, {"ph": "2"})
    assert_clean(at)
    assert "half of kernel size" in at.error[0].value and "`padding=(1, 0)`" in at.error[0].value
    assert check_passed(at)
    at = make_app(PAGE, {"kh": "5", "h": "3", "sdef": "0"})  # an empty output
    assert "Output size is too small" in at.error[0].value
