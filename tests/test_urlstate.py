"""Unit tests of the URL parameter parsers and of the chart builders (no Streamlit run)."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.i18n import TEXT
from ui.lessons.output_size_view import BOUNDS, PARAMS
from ui.lessons.planner_results import size_rf_chart
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

CELLS = alt.NamedData("cells")


def test_cell_size_bounds():
    assert charts.cell_size(1, 1) == 40
    assert charts.cell_size(96, 96) == 10
    assert 10 <= charts.cell_size(20, 5) <= 40
    assert charts.cell_size(0, 0) == 40


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


def _losses(epochs: int = 3, scale: float = 1.0) -> pd.DataFrame:
    """The frame :func:`charts.loss_chart` draws: loss per epoch, the last one marked."""
    epoch = np.arange(1, epochs + 1)
    return pd.DataFrame({"epoch": epoch, "loss": scale / epoch, "now": epoch == epochs})


def _growth() -> pd.DataFrame:
    """The frame :func:`charts.growth_chart` draws: parameters per input side and layer."""
    return pd.DataFrame({"side": [4, 8, 4, 8], "parameters": [160, 640, 9, 9],
                         "layer": ["fc", "fc", "conv", "conv"]})


LOSS_ARGS = ("loss", "epoch", "MSE", False)


def test_spec_swaps_the_data_into_a_cached_template(monkeypatch):
    f1, f2 = _losses(), _losses(scale=2.0)  # new numbers, same shape
    a = charts.spec(charts.loss_chart, f1, *LOSS_ARGS)
    built = _counting_builds(monkeypatch)
    b = charts.spec(charts.loss_chart, f2, *LOSS_ARGS)
    assert built == []  # the second call built nothing
    assert a["datasets"] == {"cells": f1} and a["datasets"]["cells"] is f1
    assert b["datasets"]["cells"] is f2
    assert a["data"] == {"name": "cells"}
    assert a["layer"] == b["layer"]  # one template behind both...
    a["layer"][0]["mark"]["type"] = "point"  # ...but each caller gets its own copy
    assert b["layer"][0]["mark"]["type"] == "line"


@pytest.mark.parametrize("builder,frame,args", [
    (charts.loss_chart, _losses(), LOSS_ARGS),
    (charts.growth_chart, _growth(), ("growth", "side", "parameters", "layer")),
    (size_rf_chart, pd.DataFrame({"layer": [1], "cells": [3], "name": ["s"]}),
     ("plan", {"size": "s", "rf": "r", "series": "S", "layer": "L", "cells": "C"})),
], ids=lambda x: getattr(x, "__name__", ""))
def test_spec_equals_the_builder_with_named_data(builder, frame, args):
    out = charts.spec(builder, frame, *args)
    direct = builder(CELLS, *args).to_dict()
    assert {k: v for k, v in out.items() if k != "datasets"} == direct
    assert out["datasets"]["cells"] is frame


def test_spec_is_keyed_on_the_builder():
    """Two builders called with the same arguments get their own templates."""
    args = ("t", "x", "y", "z")
    growth = charts.spec(charts.growth_chart, _growth(), *args)
    timing = charts.spec(charts.timing_chart, _growth(), *args)
    assert growth["mark"]["type"] == "line" and growth["encoding"]["x"]["field"] == "side"
    assert timing["encoding"]["x"]["field"] == "size"


def test_spec_distinguishes_arguments():
    frame = _losses()
    linear = charts.spec(charts.loss_chart, frame, "loss", "epoch", "MSE", False)
    log = charts.spec(charts.loss_chart, frame, "loss", "epoch", "MSE", True)
    assert linear["layer"][0]["encoding"]["y"]["scale"] == {"type": "linear"}
    assert log["layer"][0]["encoding"]["y"]["scale"] == {"type": "log"}
    # a dict argument (the words) is part of the key, down to a single entry
    words = {"size": "s", "rf": "r", "series": "S", "layer": "L", "cells": "C"}
    plan = pd.DataFrame({"layer": [1], "cells": [3], "name": ["s"]})
    en = charts.spec(size_rf_chart, plan, "plan", words)
    other = charts.spec(size_rf_chart, plan, "plan", {**words, "cells": "x"})
    assert en["encoding"]["y"]["title"] == "C" and other["encoding"]["y"]["title"] == "x"


def test_spec_does_not_let_callers_corrupt_the_template():
    frame = _losses()
    first = charts.spec(charts.loss_chart, frame, *LOSS_ARGS)
    first["autosize"] = {"type": "fit"}  # what st.vega_lite_chart does to its spec
    del first["data"]
    again = charts.spec(charts.loss_chart, frame, *LOSS_ARGS)
    assert "autosize" not in again and again["data"] == {"name": "cells"}


