"""Altair chart builders: pure functions of plain data, returning ``alt.Chart``: line and
dot charts (grids of numbers that are only looked at are HTML, :mod:`ui.pictures.grids`;
grids one hovers and clicks are the window explorer, :mod:`ui.pictures.explorer`).

Colours come from the Okabe-Ito palette, which stays distinguishable with the common
forms of colour blindness; every colour also has a legend entry.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeAlias

import altair as alt
import pandas as pd

OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#BBBBBB"}
NUMBERS_UP_TO = 24
HEATMAP_BUDGET = 220  # pixels for the longer side of a heatmap (ui.pictures.grids)
WIRING_ROW_PX, WIRING_MIN_PX = 36, 140  # channel wiring: pixels per channel, the least height
# Streamlit fits a chart without its own ``autosize`` into its width *and height*, axes,
# title and legend included, which can leave a plot a few pixels tall: these keep the plot
# its own height ("fit-x": the width given is the whole chart's; "pad": the plot's).
FIT_X = {"type": "fit-x", "contains": "padding"}
PAD = {"type": "pad", "contains": "padding"}
# Numbers are printed in the cells while the grid's longer side is at most NUMBERS_UP_TO.
Data: TypeAlias = pd.DataFrame | alt.NamedData
# What a builder returns: an Altair chart, layered or not (Altair's own types disagree).
AnyChart: TypeAlias = Any


def spec(builder: Callable[..., AnyChart], frame: pd.DataFrame, *args: Any,
         **kwargs: Any) -> dict[str, Any]:
    """A builder's Vega-Lite spec with ``frame`` as its data, fast on every rerun.

    Building Altair objects costs tens of milliseconds per chart, so the spec is built once
    per builder and distinct arguments (dicts frozen recursively to make them a key) with
    a named data source, kept as JSON text nobody can mutate, and only the data is swapped.
    """
    out = json.loads(_template((builder, _freeze(args), _freeze(kwargs))))
    out["datasets"] = {"cells": frame}
    return out


def _build(builder: Callable[..., AnyChart], args: Any, kwargs: Any) -> str:
    return json.dumps(builder(alt.NamedData("cells"), *args, **kwargs).to_dict())


@functools.lru_cache(maxsize=512)
def _template(key: tuple[Any, Any, Any]) -> str:
    builder, args, kwargs = key
    return _build(builder, _thaw(args), _thaw(kwargs))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return ("__dict__", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("__seq__", tuple(_freeze(v) for v in value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value[:1] == ("__dict__",):
        return {k: _thaw(v) for k, v in value[1]}
    if isinstance(value, tuple) and value[:1] == ("__seq__",):
        return [_thaw(v) for v in value[1]]
    return value


def cell_words() -> dict[str, str]:
    """Tooltip titles of a grid cell, in the current language."""
    from ui.i18n import t

    return {k: t(f"chart.{k}") for k in ("row", "col", "value")}


def cell_size(rows: int, cols: int, budget: int = 420) -> int:
    """Pixels per cell so the grid fits in ``budget`` pixels, between 10 and 40."""
    return int(min(40, max(10, budget // max(rows, cols, 1))))


def fmt_value(v: float) -> str:
    """A number as a grid cell prints it: whole numbers bare, others to two places."""
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}"


def role_labels() -> dict[str, str]:
    """The padded grid's role names in the current language."""
    from ui.i18n import t

    return {**{k: t(f"os.role.{k}") for k in ("input", "padding", "tap", "unread", "coverage",
                                              "role")}, **cell_words()}


def wiring_frame(c_in: int, c_out: int, groups: int) -> pd.DataFrame:
    """One row per connection input channel -> output channel of a grouped convolution."""
    per_in, per_out = c_in // groups, c_out // groups
    rows = [{"src": c, "dst": o, "group": o // per_out}
            for o in range(c_out) for c in range((o // per_out) * per_in,
                                                 (o // per_out + 1) * per_in)]
    return pd.DataFrame(rows)


def wiring_chart(frame: Data, c_in: int, c_out: int, in_label: str, out_label: str) -> AnyChart:
    """Input channels on the left, output channels on the right, a line per connection.

    Lines are coloured by group, so each group's block of the weight is visible. Each
    channel is labelled once, :data:`WIRING_ROW_PX` apart and never shorter than
    :data:`WIRING_MIN_PX`; the size is the plot's own (``autosize`` "pad"), so the title
    takes no room from the lines.
    """
    n = max(c_in, c_out)
    height = max(WIRING_MIN_PX, WIRING_ROW_PX * n)
    domain = [-0.5, n - 0.5]
    y_in = alt.Y("src:Q", scale=alt.Scale(domain=domain, reverse=True), axis=None)
    y_out = alt.Y("dst:Q", scale=alt.Scale(domain=domain, reverse=True), axis=None)
    palette = list(OKABE_ITO.values())
    colour = alt.Color("group:N", scale=alt.Scale(range=palette), legend=None)
    lines = alt.Chart(frame).mark_rule(strokeWidth=2).encode(
        x=alt.value(40), x2=alt.value(260), y=y_in, y2="dst:Q", color=colour)
    # One label per channel (a channel read by several outputs is one row of the data each).
    ins = alt.Chart(frame).transform_aggregate(groupby=["src"]).mark_text(
        align="right", dx=-6, fontSize=13).encode(x=alt.value(40), y=y_in,
                                                  text=alt.Text("src:N"))
    outs = alt.Chart(frame).transform_aggregate(groupby=["dst"]).mark_text(
        align="left", dx=6, fontSize=13).encode(x=alt.value(260), y=y_out,
                                                text=alt.Text("dst:N"))
    return alt.layer(lines, ins, outs).properties(
        width=300, height=height, title=f"{in_label}  →  {out_label}", autosize=PAD)


def cost_frame(names: list[str], groups: list[str], params: list[int],
               macs: list[int], measures: tuple[str, str]) -> pd.DataFrame:
    """Long form for :func:`cost_chart`: one row per layer and measure."""
    n = len(names)
    return pd.DataFrame({"layer": names * 2, "group": groups * 2,
                         "measure": [measures[0]] * n + [measures[1]] * n,
                         "count": params + macs})


def cost_chart(frame: Data, title: str, count_title: str, group_title: str) -> AnyChart:
    """Parameters and multiply-accumulates side by side (log scale), one panel per measure,
    bars grouped by comparison."""
    palette = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"],
               OKABE_ITO["vermillion"], OKABE_ITO["purple"], OKABE_ITO["sky"]]
    # Dots, not bars: a bar on a log scale has no zero to start from.
    return alt.Chart(frame, title=title).mark_point(filled=True, size=140).encode(
        y=alt.Y("layer:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("count:Q", title=count_title, scale=alt.Scale(type="log")),
        color=alt.Color("group:N", scale=alt.Scale(range=palette),
                        legend=alt.Legend(title=group_title, orient="bottom", labelLimit=320,
                                          columns=1)),
        column=alt.Column("measure:N", title=None, sort=None),
        tooltip=[alt.Tooltip("layer:N", title=group_title),
                 alt.Tooltip("count:Q", title=count_title, format=",")],
    ).properties(width=260)


def timing_chart(frame: Data, title: str, x_title: str, y_title: str,
                 legend_title: str, log: bool = True) -> AnyChart:
    """Time (or GFLOP/s) of each form against the problem size, one line per form.

    The plot keeps its 240 px (``autosize`` "fit-x"), so the axis shows several ticks,
    and the legend lists one form per line, so none is cut off.
    """
    palette = [OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["green"],
               OKABE_ITO["orange"], OKABE_ITO["purple"]]
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("size:N", title=x_title, sort=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(type="log" if log else "linear"),
                axis=alt.Axis(tickCount=6)),
        color=alt.Color("form:N", scale=alt.Scale(range=palette), sort=None,
                        legend=alt.Legend(title=legend_title, orient="bottom", columns=1,
                                          labelLimit=360)),
        tooltip=[alt.Tooltip("form:N", title=legend_title), alt.Tooltip("size:N", title=x_title),
                 alt.Tooltip("value:Q", title=y_title, format=".3g")],
    ).properties(width=420, height=240, autosize=FIT_X)


def loss_chart(frame: Data, title: str, x_title: str, y_title: str, log: bool) -> AnyChart:
    """The loss per epoch, the scrubbed epoch marked."""
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("epoch:Q", title=x_title),
        y=alt.Y("loss:Q", title=y_title, scale=alt.Scale(type="log" if log else "linear")),
        tooltip=[alt.Tooltip("epoch:Q", title=x_title),
                 alt.Tooltip("loss:Q", title=y_title, format=".4g")])
    line = base.mark_line(color=OKABE_ITO["blue"], point=True)
    now = base.mark_point(size=160, color=OKABE_ITO["vermillion"], filled=True).transform_filter(
        "datum.now")
    return alt.layer(line, now).properties(width=420, height=240)


def growth_chart(frame: Data, title: str, x_title: str, y_title: str,
                 legend_title: str) -> AnyChart:
    """Parameters (log scale) against the input side, one line per kind of layer."""
    palette = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["blue"]]
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("side:Q", title=x_title),
        y=alt.Y("parameters:Q", title=y_title, scale=alt.Scale(type="log")),
        color=alt.Color("layer:N", scale=alt.Scale(range=palette),
                        legend=alt.Legend(title=legend_title, orient="bottom", labelLimit=360,
                                          columns=1)),
        tooltip=[alt.Tooltip("layer:N", title=legend_title),
                 alt.Tooltip("side:Q", title=x_title),
                 alt.Tooltip("parameters:Q", title=y_title, format=",")],
    ).properties(width=420, height=260, autosize=FIT_X)

