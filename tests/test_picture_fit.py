"""Pictures that fit their place (issue 26, item 6): the output-size formula one axis under
another, the timing and wiring charts' own heights, and a colour for every shared weight
(check tables: tests/test_check_table_layout.py). The browser measures the drawn sizes
(tests/test_browser.py); these check what the builders send and what each page shows."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import make_app
from hypothesis import given, settings
from hypothesis import strategies as st
from pagekit import EN, all_figures, assert_clean, vega_charts

import convlab
from ui.lessons.output_size_view import formula_block
from ui.pictures import charts, grids

# ---- the output-size formula -------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 5), st.integers(1, 4),
                          st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=3))
def test_formula_block_writes_one_axis_under_another(axes_args):
    """Each line of the worked steps belongs to one axis, the axes in order, in a single
    column: the two axes side by side ran past the column at 1280 px."""
    axes = []
    for size, kernel, stride, pad, dil in axes_args:
        size = max(size, dil * (kernel - 1) + 1 - 2 * pad)  # a size the layer accepts
        (axis,) = convlab.explain_output_size((size, 1), (kernel, 1), (stride, 1),
                                              (pad, 0), (dil, 1))[:1]
        axes.append(axis)
    latex = formula_block(tuple(axes))
    symbols = convlab.AXIS_NAMES[len(axes)]
    assert "&" not in latex and r"\begin{array}{l}" in latex
    body = latex.split(r"\begin{array}{l}", 1)[1].split(r"\end{array}", 1)[0]
    lines = re.split(r"\\\\\[\d+pt\]", body)
    assert len(lines) == 3 * len(axes)
    owners = []
    for line in lines:
        named = {x for x in symbols if re.search(rf"(?<![A-Za-z]){x}_{{|,{x}}}", line)}
        assert len(named) == 1, line  # one axis per line
        owners.append(named.pop())
    assert owners == [x for x in symbols for _ in range(3)]  # H's steps, then W's


# ---- the timing and wiring charts keep their plot's height -------------------------------------


def _timing_spec(log: bool) -> dict:
    forms = ["F.conv2d 1×1", "K @ X (matmul)", "torch.einsum", "nn.Linear, channels-last"]
    frame = pd.DataFrame({"size": [s for s in ("1×16×16×16×16", "16×256×512×28×28")
                                   for _ in forms],
                          "form": forms * 2, "value": [0.01, 0.02, 0.03, 0.04, 1, 2, 3, 4]})
    return charts.spec(charts.timing_chart, frame, "t", "size", "GFLOP/s", "form", log)


@pytest.mark.parametrize("log", [True, False])
def test_timing_chart_keeps_its_plot_and_lists_every_form(log):
    """Streamlit fits a chart with no autosize of its own into its height, legend and
    labels included: the plot was 30-65 px tall and einsum fell out of a one-line legend."""
    spec = _timing_spec(log)
    assert spec["autosize"]["type"] in ("fit-x", "pad")  # not "fit": the height is the plot's
    assert spec["height"] >= 200
    legend = spec["encoding"]["color"]["legend"]
    assert legend["columns"] == 1 and legend["labelLimit"] >= 300  # a form per line, whole
    palette = spec["encoding"]["color"]["scale"]["range"]
    assert len(set(palette)) >= 4  # four forms, four colours
    assert spec["encoding"]["y"]["axis"]["tickCount"] >= 4


@pytest.mark.parametrize("c_in,c_out,groups", [(2, 2, 2), (1, 1, 1), (2, 3, 1), (8, 8, 4),
                                               (8, 2, 2)])
def test_wiring_chart_has_room_for_every_channel(c_in, c_out, groups):
    spec = charts.spec(charts.wiring_chart, charts.wiring_frame(c_in, c_out, groups), c_in,
                       c_out, "in", "out")
    n = max(c_in, c_out)
    assert spec["autosize"]["type"] == "pad"  # the title takes no room from the lines
    assert spec["height"] >= charts.WIRING_MIN_PX >= 120
    assert spec["height"] / n >= 30  # labels a line apart
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    # one label per channel: the connections are aggregated by channel first
    assert [layer["transform"][0]["groupby"] for layer in texts] == [["src"], ["dst"]]


def test_multichannel_wiring_at_d2ls_size():
    at = make_app("pages/multichannel.py", {"cin": "2", "cout": "2", "groups": "2"})
    assert_clean(at)
    (wiring,) = [json.loads(c.spec) for c in vega_charts(at)
                 if EN["mc.wiring_in"] in json.dumps(json.loads(c.spec).get("title", ""))]
    assert wiring["height"] >= 120 and wiring["autosize"]["type"] == "pad"


# ---- fc_conv: every shared weight its own colour -----------------------------------------------


@pytest.mark.parametrize("query,weights", [({}, 9), ({"kh": "4", "kw": "4"}, 16),
                                           ({"cin": "2", "cout": "2", "kh": "4", "kw": "4"},
                                            64)])
def test_fc_conv_colours_each_shared_weight_apart(query, weights):
    """The default 3 x 3 kernel has nine taps: K[0,0,0,0] and K[0,0,2,2] once shared the
    eighth colour of an eight-colour palette. Past DISTINCT_UP_TO a note says so."""
    at = make_app("pages/fc_conv.py", query)
    assert_clean(at)
    (fig,) = [f for f in all_figures(at) if EN["fc.weight"] in f.legend]
    colour: dict[str, set[str]] = {}
    for tip, fill in zip(fig.tips, fig.fills, strict=True):
        name = re.search(rf"{re.escape(EN['fc.weight'])}: (\S+)", tip)
        if name and name.group(1) != "—":
            colour.setdefault(name.group(1), set()).add(fill)
    assert len(colour) == weights
    assert all(len(fills) == 1 for fills in colour.values())  # a weight keeps its colour
    assert len({next(iter(f)) for f in colour.values()}) == weights  # and has its own
    note = EN["fc.crowded"].format(n=weights, limit=grids.DISTINCT_UP_TO)
    assert (note in fig.legend) == (weights > grids.DISTINCT_UP_TO)
