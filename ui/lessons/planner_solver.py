"""The shape planner's solver: the paddings, strides or input sizes that give a layer the
target height, and which input heights the whole stack takes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import convlab
import convlab.planner.solve
import convlab.planner.table
from ui.frame import Frame, layout
from ui.i18n import t
from ui.lessons.planner_view import CLASS_OF

SOLVABLE = ("Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d")
SIZES_UP_TO = 512  # the input heights tried for "which sizes does this stack take"


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
    box = layout.row()
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
    buttons = layout.row()
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
