"""The shape planner's results: the size and receptive-field chart, the layer table with
its totals, the refusal and the solver."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import convlab
import convlab.planner.solve
import convlab.planner.table

from . import charts, panels
from .frame import Frame
from .i18n import t
from .planner_view import CLASS_OF

SOLVABLE = ("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d")
SIZES_UP_TO = 512  # the input heights tried for "which sizes does this stack take"
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


def layer_cell(r: convlab.LayerPlan) -> str:
    """A row's layer, with a residual block's shortcut and a forward's flatten marked."""
    text = r.layer
    if r.shortcut is not None:
        text += t("pl.shortcut", layers=" + ".join(r.shortcut) if r.shortcut else
                  t("pl.shortcut.identity"))
    return text + (t("pl.flattened") if r.flattened else "")


def results_table(plan: convlab.StackPlan) -> pd.DataFrame:
    """One row per planned layer (the input first, the totals last), cells as printed."""
    head = [t(f"pl.th.{k}") for k in ("index", "layer", "shape", "rf", "stride", "padding",
                                      "params", "macs", "memory")]
    rows = [["", t("pl.input"), shape_text(plan.input_shape), "1", "1", "0", "", "", ""]]
    over = set(beyond_input(plan))
    for r in plan.rows:
        rf = _pair(r.receptive_field, r.rf_note) + (" *" if r.index in over else "")
        rows.append([str(r.index), layer_cell(r), shape_text(r.output_shape),
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


def refusal(plan: convlab.StackPlan, torch_error: str | None, page: Frame | None = None,
            stack: Any = None) -> None:
    """The first layer that cannot run: which, on what input, why, the nearest fixes (those
    that are the layer's own settings one click away) and PyTorch's own message."""
    err = plan.error
    assert err is not None
    st.markdown(t("pl.refused", index=err.index, layer=err.layer,
                  shape=shape_text(plan.output_shape)))
    panels.error_box(err, torch_error)
    if err.suggestion and "input_size" in err.suggestion:
        h, w = plan.output_shape[-2:] if len(plan.output_shape) >= 3 else ("–", "–")
        st.caption(t("pl.input_size_means", index=err.index, h=h, w=w))
    if page is not None and stack is not None:
        fixes = fixed_stacks(stack, err)
        if fixes:
            box = page.row()
            for i, (what, new) in enumerate(fixes):
                box.button(t("pl.sol.apply", what=what), key=page.key(f"fix.{i}"),
                           on_click=_take_stack, args=(page, new), icon=":material/check:")


# A refusal's suggested argument -> the table's key for it.
FIX_KEYS = {"in_features": "i", "in_channels": "i", "num_features": "i", "out_channels": "o",
            "kernel_size": "k", "stride": "s", "padding": "p", "dilation": "d", "groups": "g",
            "output_padding": "q", "padding_mode": "m", "output_size": "o", "size": "o",
            "scale_factor": "s"}


def fixed_stacks(stack: Any, err: convlab.ConvConfigError) -> list[tuple[str, Any]]:
    """The refusal's nearest fixes that are settings of the refused row, each as the
    phrase that names it and the stack it gives (only those the table can hold)."""
    index = getattr(err, "index", None)
    if index is None or index >= len(stack) or not err.suggestion:
        return []
    kind, args = stack[index]
    out = []
    for name, value in err.suggestion.items():
        key = FIX_KEYS.get(name)
        if key is None or key not in convlab.KINDS.get(kind, (None, "", ""))[1]:  # a block: none
            continue
        given = {k: v for k, v in args if k != key}
        if value is not None:
            given[key] = convlab.planner.table.normal(
                tuple(value) if isinstance(value, (tuple, list)) else value)
        if kind == "upsample" and name == "scale_factor" and value is None:
            given.pop("s", None)
        row = (kind, tuple((k, given[k]) for k in convlab.planner.table.KEYS if k in given))
        new = (*stack[:index], row, *stack[index + 1:])
        try:
            convlab.planner.table.check_stack(new)
        except ValueError:
            continue
        out.append((f"{name}={value!r}", new))
    return out


def _take_stack(page: Frame, stack: Any) -> None:
    page["stack"] = stack
    page["preset"] = "custom"


def code_title(plan: convlab.StackPlan) -> str | None:
    """Which code the reproduce block shows: after a refusal, the stack up to the refused
    layer (running it ends with PyTorch's refusal); the layers after it are left out."""
    if plan.error is None:
        return None
    return t("pl.code_until", index=plan.error.index, layer=plan.error.layer)


def _height(v: Any) -> int:
    """The height component of a setting (an int or an ``(h, w)`` pair)."""
    return int(v[0]) if isinstance(v, tuple) else int(v)


def _with_height(old: Any, new: int | str) -> Any:
    """A setting with its height changed: square stays square (both axes change), a pair
    keeps its width; a word (``'same'``) is the whole setting."""
    if isinstance(new, str) or not isinstance(old, tuple):
        return new
    return (new, old[1]) if new != old[1] else new


def change_text(f: convlab.Solution, square: bool, index: int = 0) -> str:
    """What a solution changes, as one phrase: "padding 1", "padding 'same'",
    "stride 2, padding 1", "input 229 × 229", "layer 3's input height 33"."""
    if not f.changed:
        return t("pl.sol.nothing")
    parts = []
    for c in f.changed:
        if c == "input_size" and index:
            parts.append(t("pl.sol.to_layer_input", index=index, n=f.input_size))
        elif c == "input_size":
            size = f"{f.input_size} × {f.input_size}" if square else str(f.input_size)
            parts.append(t("pl.sol.to_input", n=size))
        elif c == "padding" and f.same:
            parts.append(t("pl.sol.to", name=t("pl.sol.padding"), v="'same'"))
        else:
            value = {"stride": f.stride, "padding": f.padding,
                     "output_padding": f.output_padding}[c]
            parts.append(t("pl.sol.to", name=t(f"pl.sol.{c}"), v=value))
    return ", ".join(parts)


def applied(stack: Any, index: int, f: convlab.Solution) -> Any:
    """The stack with solution ``f`` applied to layer ``index`` (its input size aside)."""
    kind, args = stack[index]
    given = dict(args)
    moves = {"stride": ("s", f.stride), "padding": ("p", "same" if f.same else f.padding),
             "output_padding": ("q", f.output_padding)}
    was = {"s": given.get("k", 1) if kind in ("maxpool", "avgpool") else 1, "p": 0, "q": 0}
    for c in f.changed:
        if c in moves:
            key, value = moves[c]
            given[key] = _with_height(given.get(key, was[key]), value)
    defaults = {"p": 0, "q": 0}
    new_args = tuple((k, v) for k, v in ((k, given[k]) for k in convlab.planner.table.KEYS
                                         if k in given) if defaults.get(k) != v)
    return (*stack[:index], (kind, new_args), *stack[index + 1:])


def solver(page: Frame, plan: convlab.StackPlan, stack: Any) -> None:
    """Paddings, strides, output paddings or input sizes that give the chosen layer the
    target height, the smallest change first, each applied with one click; then which
    input heights the whole stack takes."""
    input_sizes(page, stack, plan)
    solvable = [r.index for r in plan.rows if r.layer in SOLVABLE]
    if plan.error is not None and plan.error.layer in SOLVABLE:
        solvable.append(plan.error.index)  # the refused layer: what would make it fit
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
    before = plan.input_shape if index == 0 else plan.rows[index - 1].output_shape
    kind, args = stack[index]
    a: dict[str, Any] = dict(args)
    pool = kind in ("maxpool", "avgpool")
    k, d = _height(a["k"]), _height(a.get("d", 1))
    s = _height(a.get("s", a["k"] if pool else 1))
    q = _height(a.get("q", 0))
    pad = a.get("p", 0)
    p = (d * (k - 1)) // 2 if pad == "same" else 0 if pad == "valid" else _height(pad)
    n = before[-2]
    current = plan.rows[index].output_shape[-2] if index < len(plan.rows) else 0
    target = convlab.same_target(n, s) if same else (page.number("target", container=box)
                                                      or current or n)
    found = convlab.solve_output(n, k, s, p, d, target=target, transposed=kind == "convt",
                                 keep_stride=same, pool=pool, output_padding=q)
    st.caption(t("pl.solver_caption", index=index, layer=CLASS_OF[kind], n=n, k=k, s=s, p=p,
                 d=d, target=target))
    if not found:
        st.info(t("pl.solver_empty", target=target))
        return
    square = plan.input_shape[-2] == plan.input_shape[-1] and index == 0
    cols = ["changed", "padding", "stride", *(["output_padding"] if kind == "convt" else []),
            "input_size", "output"]
    rows = []
    for f in found:
        cells = {"changed": change_text(f, square, index),
                 "padding": "'same'" if f.same else f.padding,
                 "stride": f.stride, "output_padding": f.output_padding,
                 "input_size": f.input_size, "output": f.output}
        rows.append([cells[c] for c in cols])
    head = [t("pl.sol.input_of", index=index) if c == "input_size" else t(f"pl.sol.{c}")
            for c in cols]
    page.table(pd.DataFrame(rows, columns=head))
    buttons = page.row()
    for i, f in enumerate(found):
        if f.changed and not (index and "input_size" in f.changed):  # the network's input
            buttons.button(t("pl.sol.apply", what=change_text(f, square)),
                           key=page.key(f"apply.{i}"), on_click=_apply,
                           args=(page, stack, index, f, square), icon=":material/check:")


def _apply(page: Frame, stack: Any, index: int, f: convlab.Solution, square: bool) -> None:
    """One click: the solution becomes the stack (and the link), or the input size."""
    if "input_size" in f.changed:  # offered for layer 0 only: its input is the network's
        page["h"] = f.input_size
        if square:
            page["w"] = f.input_size
        page["preset"] = "custom"
        return
    page["stack"] = applied(stack, index, f)
    page["preset"] = "custom"


def input_sizes(page: Frame, stack: Any, plan: convlab.StackPlan) -> None:
    """Which input heights the stack takes (the width kept), and those where no layer's
    floor drops a row, with the nearest of those one click away."""
    sizes = sizes_of(stack, plan.input_shape)
    h = plan.input_shape[-2]
    st.markdown(f"**{t('pl.sizes_title')}**")
    if not sizes.runs:
        st.info(t("pl.sizes_none", hi=sizes.tried[1], w=plan.input_shape[-1]))
        return
    st.markdown(t("pl.sizes_runs", ranges=_ranges(sizes.runs), hi=sizes.tried[1],
                  w=plan.input_shape[-1]))
    if sizes.exact and sizes.exact != sizes.runs:
        near = sorted(sizes.exact, key=lambda n: (abs(n - h), n))[:1]
        shown = ", ".join(map(str, sizes.exact[:16])) + (" …" if len(sizes.exact) > 16 else "")
        st.markdown(t("pl.sizes_exact", sizes=shown))
        if near and near[0] != h:
            st.button(t("pl.sizes_use", n=near[0]), key=page.key("apply.size"),
                      on_click=_use_height, args=(page, near[0]), icon=":material/check:")
        elif near:
            st.caption(t("pl.sizes_exact_here", n=h))


def _use_height(page: Frame, n: int) -> None:
    page["h"] = n
    page["preset"] = "custom"


def _ranges(values: tuple[int, ...]) -> str:
    """``(2, 3, 4, 7, 9, 10)`` as ``2–4, 7, 9–10``."""
    out, start = [], values[0]
    for prev, cur in zip(values, (*values[1:], None), strict=True):
        if cur != prev + 1:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            if cur is not None:
                start = cur
    return ", ".join(out)


@st.cache_data(max_entries=64, show_spinner=False)
def sizes_of(stack: Any, shape: tuple[int, ...]) -> Any:
    """:func:`convlab.planner.solve.input_sizes`, kept per stack and shape."""
    return convlab.planner.solve.input_sizes(stack, shape, hi=SIZES_UP_TO)
