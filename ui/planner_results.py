"""The shape planner's results: the size and receptive-field chart, the layer table with
its totals, the refusal and the solver."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import convlab

from . import charts, panels
from .frame import Frame
from .i18n import t
from .planner_view import CLASS_OF

SOLVABLE = ("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d")
SERIES = ("size", "rf")
COLOURS = {"size": charts.OKABE_ITO["blue"], "rf": charts.OKABE_ITO["vermillion"]}


def shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(map(str, shape))


def _pair(v: tuple[int, int] | None, note: str | None) -> str:
    if v is None:
        return t(f"pl.rf_note.{note}") if note else "–"
    return str(v[0]) if v[0] == v[1] else f"{v[0]} × {v[1]}"


def _bytes(n: int) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n} B"


def _macs(n: int) -> str:
    for unit, size in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= size:
            return f"{n / size:,.2f} {unit}"
    return str(n)


def metrics(page: Frame, plan: convlab.StackPlan) -> None:
    """The totals as a row of metrics beside the controls. After a refusal they are the
    totals of the layers before it, and say so: which layer the plan stops before."""
    box = page.row(container=page.aside)
    err = plan.error
    out = t("pl.metric.out") if err is None else t("pl.metric.out_before", index=err.index,
                                                    layer=err.layer)
    box.metric(out, shape_text(plan.output_shape))
    box.metric(t("pl.metric.params"), f"{plan.params:,}")
    box.metric(t("pl.metric.macs"), _macs(plan.macs))
    box.metric(t("pl.metric.memory"), _bytes(plan.activation_bytes))
    if err is not None:
        page.aside.caption(t("pl.metric.partial", index=err.index, layer=err.layer,
                             n=len(plan.rows)))


def beyond_input(plan: convlab.StackPlan) -> list[int]:
    """The layers whose receptive field is larger than the input (on either axis): their
    windows reach into the padding beyond the image."""
    size = plan.input_shape[-2:]
    return [r.index for r in plan.rows if r.receptive_field is not None
            and any(f > n for f, n in zip(r.receptive_field, size, strict=True))]


def rf_note(plan: convlab.StackPlan) -> str | None:
    """A note under the layer table when a receptive field outgrows the input."""
    over = beyond_input(plan)
    if not over:
        return None
    first = next(r for r in plan.rows if r.index == over[0])
    assert first.receptive_field is not None
    h, w = plan.input_shape[-2:]
    return t("pl.rf_beyond", index=first.index, layer=first.layer,
             rf=_pair(first.receptive_field, None), h=h, w=w,
             layers=", ".join(map(str, over)))


def results_table(plan: convlab.StackPlan) -> pd.DataFrame:
    """One row per planned layer (the input first, the totals last), cells as printed."""
    head = [t(f"pl.th.{k}") for k in ("index", "layer", "shape", "rf", "stride", "padding",
                                      "params", "macs", "memory")]
    rows = [["", t("pl.input"), shape_text(plan.input_shape), "1", "1", "0", "", "", ""]]
    over = set(beyond_input(plan))
    for r in plan.rows:
        rf = _pair(r.receptive_field, r.rf_note) + (" *" if r.index in over else "")
        rows.append([str(r.index), r.layer, shape_text(r.output_shape),
                     rf, _pair(r.effective_stride, r.rf_note),
                     _pair(r.effective_padding, r.rf_note), f"{r.params:,}", f"{r.macs:,}",
                     _bytes(r.activation_bytes)])
    rows.append(["", t("pl.total"), "", "", "", "", f"{plan.params:,}", f"{plan.macs:,}",
                 _bytes(plan.activation_bytes)])
    return pd.DataFrame(rows, columns=head)


def chart_frame(plan: convlab.StackPlan) -> pd.DataFrame:
    """Long form: per layer, the output height and the receptive field (height), the input
    as layer -1; a receptive field that is not whole cells is left out."""
    size, rf = t("pl.series.size"), t("pl.series.rf")
    out = [{"layer": -1, "name": size, "cells": plan.input_shape[-2]},
           {"layer": -1, "name": rf, "cells": 1}]
    for r in plan.rows:
        if len(r.output_shape) >= 3:
            out.append({"layer": r.index, "name": size, "cells": r.output_shape[-2]})
        if r.receptive_field is not None:
            out.append({"layer": r.index, "name": rf, "cells": r.receptive_field[0]})
    return pd.DataFrame(out, columns=["layer", "name", "cells"])


def size_rf_chart(frame: charts.Data, title: str, words: dict[str, str]) -> charts.AnyChart:
    """Output height and receptive field per layer, one line each (blue and vermillion,
    Okabe-Ito), a point per layer with its numbers on hover."""
    names = [words[s] for s in SERIES]
    colour = alt.Color("name:N", title=words["series"],
                       scale=alt.Scale(domain=names, range=[COLOURS[s] for s in SERIES]),
                       legend=alt.Legend(orient="bottom", direction="horizontal",
                                         labelLimit=0, titleLimit=0))
    # "container": as wide as its column, so no layer is clipped on a narrow screen; the
    # legend under the plot, its labels never cut ("output heigh").
    return alt.Chart(frame, title=title).mark_line(point=True).encode(
        x=alt.X("layer:Q", title=words["layer"], axis=alt.Axis(tickMinStep=1),
                scale=alt.Scale(nice=False)),
        y=alt.Y("cells:Q", title=words["cells"]),
        color=colour,
        tooltip=[alt.Tooltip("layer:Q", title=words["layer"]),
                 alt.Tooltip("name:N", title=words["series"]),
                 alt.Tooltip("cells:Q", title=words["cells"])],
    ).properties(width="container", height=240)


def chart_words() -> dict[str, str]:
    return {"size": t("pl.series.size"), "rf": t("pl.series.rf"),
            "series": t("pl.series.name"), "layer": t("pl.axis.layer"),
            "cells": t("pl.axis.cells")}


def chart(page: Frame, plan: convlab.StackPlan, container: Any) -> None:
    """The chart, as wide as the stage (``Frame.chart`` draws at the spec's own width)."""
    spec = charts.spec(size_rf_chart, chart_frame(plan), t("pl.chart_title"), chart_words())
    container.vega_lite_chart(spec=spec, key=page.key("chart.size_rf"), width="stretch",
                              theme=None)


def refusal(plan: convlab.StackPlan, torch_error: str | None) -> None:
    """The first layer that cannot run: which, on what input, why, the nearest fix and
    PyTorch's own message."""
    err = plan.error
    assert err is not None
    st.markdown(t("pl.refused", index=err.index, layer=err.layer,
                  shape=shape_text(plan.output_shape)))
    panels.error_box(err, torch_error)
    if err.suggestion and "input_size" in err.suggestion:
        h, w = plan.output_shape[-2:] if len(plan.output_shape) >= 3 else ("–", "–")
        st.caption(t("pl.input_size_means", index=err.index, h=h, w=w))


def code_title(plan: convlab.StackPlan) -> str | None:
    """Which code the reproduce block shows: after a refusal, the stack up to the refused
    layer (running it ends with PyTorch's refusal); the layers after it are left out."""
    if plan.error is None:
        return None
    return t("pl.code_until", index=plan.error.index, layer=plan.error.layer)


def solver(page: Frame, plan: convlab.StackPlan, stack: Any) -> None:
    """Paddings, strides or input heights that give the chosen layer the target height."""
    solvable = [r.index for r in plan.rows if r.layer in SOLVABLE]
    if not solvable:
        st.info(t("pl.solver_none_layers"))
        return
    box = page.row()
    index = page.number("sl", container=box)
    same = page.toggle("same", container=box)
    if index not in solvable:
        layer = plan.rows[index].layer if index < len(plan.rows) else "–"
        st.info(t("pl.solver_pick", index=index, layer=layer,
                  choices=", ".join(map(str, solvable))))
        return
    row = plan.rows[index]
    before = plan.input_shape if index == 0 else plan.rows[index - 1].output_shape
    kind, args = stack[index]
    a: dict[str, int] = dict(args)
    pool = kind in ("maxpool", "avgpool")
    k, s, p, d = a["k"], a.get("s", a["k"] if pool else 1), a.get("p", 0), a.get("d", 1)
    n = before[-2]
    target = convlab.same_target(n, s) if same else (page.number("target", container=box)
                                                      or row.output_shape[-2])
    found = convlab.solve_output(n, k, s, p, d, target=target, transposed=kind == "convt",
                                 keep_stride=same, pool=pool)
    st.caption(t("pl.solver_caption", index=index, layer=CLASS_OF[kind], n=n, k=k, s=s, p=p,
                 d=d, target=target))
    if not found:
        st.info(t("pl.solver_empty", target=target))
        return
    head = [t(f"pl.sol.{c}") for c in ("changed", "padding", "stride", "input_size", "output")]
    page.table(pd.DataFrame([[", ".join(t(f"pl.sol.{c}") for c in f.changed)
                              or t("pl.sol.nothing"), f.padding, f.stride, f.input_size,
                              f.output] for f in found], columns=head))
