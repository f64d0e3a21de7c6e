"""Unit tests of the URL parameter parsers and of the chart builders (no Streamlit run)."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.i18n import TEXT
from ui.lessons.output_size_view import BOUNDS, PARAMS
from ui.pictures import charts
from ui.urlstate import BoolParam, ChoiceParam, IntParam, TextParam

H = IntParam("h", 8, 1, 64)
PAD = IntParam("ph", 1, -1, 16)
MODE = ChoiceParam("mode", "zeros", ("zeros", "reflect", "replicate", "circular"))
BIAS = BoolParam("bias", True)


# ---- IntParam ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("12", (12, None)), (" 7 ", (7, None)), ("+4", (4, None)), ("64", (64, None)),
    ("1", (1, None)), ("8.0", (8, None)),
    ("65", (64, "url.out_of_range")), ("0", (1, "url.out_of_range")),
    ("-5", (1, "url.out_of_range")), ("1e3", (64, "url.out_of_range")),
    ("99999999999999999999", (64, "url.out_of_range")),
    ("2.6", (3, "url.rounded")), ("9.4", (9, "url.rounded")),
    ("abc", (8, "url.not_a_number")), ("", (8, "url.not_a_number")),
    ("%%", (8, "url.not_a_number")), ("0x10", (8, "url.not_a_number")),
    ("1e999", (8, "url.not_a_number")), ("-1e999", (8, "url.not_a_number")),
    ("inf", (8, "url.not_a_number")), ("nan", (8, "url.not_a_number")),
    ("NaN", (8, "url.not_a_number")), ("12px", (8, "url.not_a_number")),
])
def test_int_param_parse(raw, expected):
    assert H.parse(raw) == expected


def test_int_param_negative_lower_bound():
    assert PAD.parse("-1") == (-1, None)
    assert PAD.parse("-2") == (-1, "url.out_of_range")
    assert PAD.parse("17") == (16, "url.out_of_range")


def test_int_param_rounding_then_clamping_reports_the_clamp():
    assert H.parse("64.7") == (64, "url.out_of_range")
    assert H.parse("0.2") == (1, "url.out_of_range")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_int_param_never_raises_and_stays_in_range(raw):
    value, reason = H.parse(raw)
    assert isinstance(value, int) and 1 <= value <= 64
    assert reason is None or reason in TEXT


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_int_param_any_float_text(x):
    value, reason = H.parse(repr(x))
    assert 1 <= value <= 64
    if not math.isfinite(x):
        assert (value, reason) == (8, "url.not_a_number")
    elif 1 <= x <= 64 and x == int(x):
        assert (value, reason) == (int(x), None)
    else:
        assert reason in ("url.rounded", "url.out_of_range")


@pytest.mark.parametrize("param", [p for p in PARAMS if isinstance(p, IntParam)],
                         ids=lambda p: p.name)
def test_every_int_value_round_trips(param):
    for value in range(param.lo, param.hi + 1):
        assert param.parse(param.format(value)) == (value, None)


def test_output_size_int_params_use_the_page_bounds():
    for p in PARAMS:
        if p.name in BOUNDS:
            assert (p.lo, p.hi) == BOUNDS[p.name]
            assert p.lo <= p.default <= p.hi


# ---- ChoiceParam, BoolParam, TextParam ---------------------------------------------------------

@pytest.mark.parametrize("raw,expected", [
    ("reflect", ("reflect", None)), (" circular ", ("circular", None)),
    ("Reflect", ("zeros", "url.unknown_choice")), ("", ("zeros", "url.unknown_choice")),
    ("reflect;drop", ("zeros", "url.unknown_choice")), ("1e999", ("zeros", "url.unknown_choice")),
])
def test_choice_param_parse(raw, expected):
    assert MODE.parse(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("1", (True, None)), ("0", (False, None)), ("true", (True, None)), ("False", (False, None)),
    (" yes ", (True, None)), ("off", (False, None)), ("ON", (True, None)),
    ("2", (True, "url.not_a_bool")), ("", (True, "url.not_a_bool")),
    ("nan", (True, "url.not_a_bool")), ("%%", (True, "url.not_a_bool")),
])
def test_bool_param_parse(raw, expected):
    assert BIAS.parse(raw) == expected


def test_bool_param_formats_as_1_and_0():
    assert (BIAS.format(True), BIAS.format(False)) == ("1", "0")
    assert BIAS.parse(BIAS.format(False)) == (False, None)


def _decode_pair(raw: str) -> tuple[int, int]:
    a, b = raw.split("x")  # ValueError on the wrong number of parts
    return int(a), int(b)


PAIR = TextParam("size", (4, 4), decode=_decode_pair, encode=lambda v: f"{v[0]}x{v[1]}")


@pytest.mark.parametrize("raw,expected", [
    ("3x5", ((3, 5), None)), ("3x", ((4, 4), "url.unreadable")), ("x", ((4, 4), "url.unreadable")),
    ("3x5x7", ((4, 4), "url.unreadable")), ("", ((4, 4), "url.unreadable")),
    ("ax1", ((4, 4), "url.unreadable")),
])
def test_text_param_parse(raw, expected):
    assert PAIR.parse(raw) == expected


def test_text_param_round_trip_and_overflow():
    assert PAIR.parse(PAIR.format((2, 9))) == ((2, 9), None)
    big = TextParam("big", 0.0, decode=lambda r: float(int(r)))
    assert big.parse("9" * 400) == (0.0, "url.unreadable")  # OverflowError is caught


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_no_parser_raises(raw):
    for param in (H, PAD, MODE, BIAS, PAIR, *PARAMS):
        value, reason = param.parse(raw)
        assert reason is None or reason in TEXT


@pytest.mark.parametrize("reason", ["url.not_a_number", "url.out_of_range", "url.rounded",
                                    "url.unknown_choice", "url.not_a_bool", "url.unreadable",
                                    "url.too_long"])
def test_every_reason_formats_its_notice(reason):
    for lang in ("en", "zh"):
        text = TEXT[reason][lang].format(name="h", raw="abc", value="8")
        assert "`h" in text


# ---- chart builders ----------------------------------------------------------------------------

WORDS = {k: f"<{k}>" for k in ("row", "col", "value")}
CELLS = alt.NamedData("cells")


def _layers(d: dict) -> list[dict]:
    return d["layer"] if "layer" in d else [d]


def _marks(d: dict) -> list[str]:
    return [layer["mark"]["type"] for layer in _layers(d)]


@pytest.mark.parametrize("size,marks", [(2, ["rect", "text"]), (25, ["rect"])])
def test_heatmap_diverging_scale_centred_on_zero(size, marks):
    d = charts.heatmap(CELLS, size, size, "Y", WORDS).to_dict()
    assert _marks(d) == marks
    scale = _layers(d)[0]["encoding"]["color"]["scale"]
    assert scale == {"domain": [-1, 1], "scheme": "blueorange"}
    assert "params" not in d and "params" not in _layers(d)[0]
    zero = charts.heatmap_frame(np.zeros((2, 2)))
    assert zero["z"].tolist() == [0.0] * 4  # an all-zero matrix still gets a usable scale
    frame = charts.heatmap_frame(np.array([[-7.5, 3.0]]))
    assert frame["z"].tolist() == [-1.0, 0.4]  # colour position: value / largest magnitude
    assert charts.heatmap_frame(np.array([[3.0]]), bound=6.0)["z"].tolist() == [0.5]


def test_heatmap_selects_nothing():
    """Picking a cell is the window explorer's (ui/explorer.py): no chart selects."""
    d = charts.heatmap(CELLS, 2, 2, "Y", WORDS).to_dict()
    assert "params" not in d and _marks(d) == ["rect", "text"]


def test_cell_size_bounds():
    assert charts.cell_size(1, 1) == 40
    assert charts.cell_size(96, 96) == 10
    assert 10 <= charts.cell_size(20, 5) <= 40
    assert charts.cell_size(0, 0) == 40


def test_heatmap_frame_labels():
    frame = charts.heatmap_frame(np.array([[56.0, 72.0], [104.0, 120.5]]), [(0, 1)])
    assert frame["label"].tolist() == ["56", "72", "104", "120.50"]
    assert frame["hl"].tolist() == [False, True, False, False]


# ---- charts.spec: cached templates with swapped data -------------------------------------------

def _counting_builds(monkeypatch) -> list[Any]:
    """Record every Altair build :func:`charts.spec` makes from now on."""
    built: list[Any] = []
    real = charts._build

    def build(builder, args, kwargs):
        built.append((builder, args))
        return real(builder, args, kwargs)

    monkeypatch.setattr(charts, "_build", build)
    return built


def _cells(rows: int = 3, cols: int = 3) -> Any:
    return charts.heatmap_frame(np.arange(rows * cols, dtype=float).reshape(rows, cols))


def test_spec_swaps_the_data_into_a_cached_template(monkeypatch):
    f1, f2 = _cells(), _cells() * 2
    a = charts.spec(charts.heatmap, f1, 3, 3, "out", WORDS)
    built = _counting_builds(monkeypatch)
    b = charts.spec(charts.heatmap, f2, 3, 3, "out", WORDS)
    assert built == []  # the second call built nothing
    assert a["datasets"] == {"cells": f1} and a["datasets"]["cells"] is f1
    assert b["datasets"]["cells"] is f2
    assert a["data"] == {"name": "cells"}
    assert a["layer"] == b["layer"]  # one template behind both...
    a["layer"][0]["mark"]["type"] = "point"  # ...but each caller gets its own copy
    assert b["layer"][0]["mark"]["type"] == "rect"


GRID_BUILDERS = [
    (charts.heatmap, ("map", WORDS)),
]


@pytest.mark.parametrize("builder,rest", GRID_BUILDERS, ids=lambda x: getattr(x, "__name__", ""))
@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 120), cols=st.integers(1, 120))
def test_a_grid_template_of_another_size_equals_a_fresh_build(builder, rest, rows, cols):
    """A grid builder's template is shared across sizes: the copy, resized, must be exactly
    what the builder draws at this size."""
    frame = _cells(1, 1)
    out = charts.spec(builder, frame, rows, cols, *rest)
    direct = builder(CELLS, rows, cols, *rest).to_dict()
    assert {k: v for k, v in out.items() if k != "datasets"} == direct


def test_a_new_grid_size_with_the_same_cells_builds_nothing(monkeypatch):
    monkeypatch.setattr(charts, "_SIZED", {})  # whatever other tests built is not counted
    frame = _cells(1, 1)
    charts.spec(charts.heatmap, frame, 3, 3, "map", WORDS)  # 220 // 3: 73 -> 40 px
    built = _counting_builds(monkeypatch)
    out = charts.spec(charts.heatmap, frame, 5, 4, "map", WORDS)  # also 40 px
    assert built == [] and (out["width"], out["height"]) == (4 * 40, 5 * 40)
    charts.spec(charts.heatmap, frame, 30, 30, "map", WORDS)  # 10 px, no labels
    assert len(built) == 1


def test_spec_equals_the_builder_with_named_data():
    frame = _cells()
    out = charts.spec(charts.heatmap, frame, 3, 3, "grid", WORDS)
    direct = charts.heatmap(CELLS, 3, 3, "grid", WORDS).to_dict()
    assert {k: v for k, v in out.items() if k != "datasets"} == direct
    # the template is keyed on the builder itself, not its name
    line = charts.spec(charts.loss_chart, frame, "grid", "x", "y", False)
    assert line != out


def test_spec_distinguishes_arguments():
    frame = _cells(2, 2)
    small = charts.spec(charts.heatmap, frame, 2, 2, "out", WORDS)
    big = charts.spec(charts.heatmap, frame, 30, 30, "out", WORDS)
    assert small["width"] != big["width"]
    en = charts.spec(charts.heatmap, frame, 2, 2, "out", WORDS)
    other = charts.spec(charts.heatmap, frame, 2, 2, "out", {**WORDS, "row": "x"})
    assert en["layer"][0]["encoding"]["tooltip"] != other["layer"][0]["encoding"]["tooltip"]


def test_spec_does_not_let_callers_corrupt_the_template():
    frame = _cells(2, 2)
    first = charts.spec(charts.heatmap, frame, 5, 5, "t", WORDS)
    first["autosize"] = {"type": "fit"}  # what st.vega_lite_chart does to its spec
    del first["data"]
    again = charts.spec(charts.heatmap, frame, 5, 5, "t", WORDS)
    assert "autosize" not in again and again["data"] == {"name": "cells"}


