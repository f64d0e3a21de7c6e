"""The shape planner's results at a glance: the totals as metrics and the size and
receptive-field chart."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

import convlab
from ui.frame import Frame, layout
from ui.i18n import t
from ui.pictures import charts

SERIES = ("size", "rf")
COLOURS = {"size": charts.OKABE_ITO["blue"], "rf": charts.OKABE_ITO["vermillion"]}


def shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(map(str, shape))


def bytes_text(n: int) -> str:
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
    box = layout.row(container=page.aside)
    err = plan.error
    out = t("pl.metric.out") if err is None else t("pl.metric.out_before", index=err.index,
                                                    layer=err.layer)
    box.metric(out, shape_text(plan.output_shape))
    box.metric(t("pl.metric.params"), f"{plan.params:,}")
    box.metric(t("pl.metric.macs"), _macs(plan.macs))
    box.metric(t("pl.metric.memory"), bytes_text(plan.activation_bytes))
    if err is not None:
        page.aside.caption(t("pl.metric.partial", index=err.index, layer=err.layer,
                             n=len(plan.rows)))


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
                scale=alt.Scale(nice=False, padding=8)),  # the last layer's dot whole
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
    container.vega_lite_chart(spec=spec, key=page.key("size_rf_chart"), width="stretch",
                              theme=None)
