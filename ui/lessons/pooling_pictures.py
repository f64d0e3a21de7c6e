"""The pooling page's pictures: the window explorer's payload, the picked output written
out with its usual slips, what ceil_mode adds or drops, adaptive bins
and max pooling's gradient (pure functions of convlab's results, words through the
translation table)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

import convlab
from ui.frame import Frame
from ui.i18n import t
from ui.pictures import charts, explorer, grids

# The picture's colours: the padded input's roles, and the winning cell of a max window.
ROLE_COLOURS = {"input": grids.ROLE_COLOURS[0], "padding": grids.ROLE_COLOURS[1],
                "beyond": charts.OKABE_ITO["purple"], "unread": grids.ROLE_COLOURS[3],
                "winner": charts.OKABE_ITO["green"]}


# ---- the window explorer -------------------------------------------------------------------------

def _cell_name(k: int, w: int) -> str:
    return f"({k // w}, {k % w})"


def explorer_data(result: convlab.PoolResult, X: np.ndarray, kind: str, kw: dict[str, Any],
                  cell: tuple[int, int]) -> dict[str, Any]:
    """One row per channel (channels in = channels out): the input as the layer pads it
    (-inf for max, zeros counted or not for average), the window's taps, and Y; for max the
    picked output's winning cell is filled, and every output says where its maximum is."""
    win = result.windows
    taps = win.taps
    is_max = kind in ("max", "adaptive_max")
    H, W = X.shape[-2:]
    reads = np.diff(taps.cell_ptr)
    source = taps.source
    role = np.array(convlab.pooling.ROLES)[win.role]
    role = np.where((role == "input") & (reads == 0), "unread", role)
    pad_word = "−∞" if is_max else "0"
    cip = bool(kw.get("count_include_pad", True))
    Y = result.Y.numpy()
    rows = []
    weights = None
    if not kind.startswith("adaptive"):
        n = pool_divisor_words(result, kw) if not is_max else None
        labels = ([f"{a},{b}" for a in range(taps.kernel_size[0])
                   for b in range(taps.kernel_size[1])]
                  if n is None else [n] * taps.taps_per_output)
        kernel = explorer.panel("k", "kernel", taps.kernel_size,
                                [charts.OKABE_ITO["orange"]] * taps.taps_per_output,
                                t("pool.kernel_title_max" if is_max else "pool.kernel_title_avg"),
                                t("ex.tip_tap"), fields={"value": labels}, show="value")
        weights = None if is_max else "k"
    for c in range(X.shape[0]):
        values = [pad_word if s < 0 and r == "padding" else "" if s < 0
                  else charts.fmt_value(X[c].ravel()[s]) for s, r in zip(source, role, strict=True)]
        fill = role.copy()
        wins = [""] * len(fill)
        at = [""] * Y[c].size
        if is_max and result.indices is not None:
            idx = result.indices[c].numpy().ravel()
            top, left = taps.box[:2]
            for o, k in enumerate(idx.tolist()):
                if 0 <= k < H * W:
                    p = (k // W + top) * taps.padded_shape[1] + k % W + left
                    wins[p] += ("" if not wins[p] else " ") + _cell_name(o, Y.shape[-1])
                    at[o] = _cell_name(k, W)
            o = cell[0] * Y.shape[-1] + cell[1]
            k = int(idx[min(o, idx.size - 1)])
            if 0 <= k < H * W:
                fill[(k // W + taps.box[0]) * taps.padded_shape[1] + k % W + taps.box[1]] = "winner"
        names = list(ROLE_COLOURS)
        padded = explorer.panel(
            f"x{c}", "input", taps.padded_shape, [names.index(f) for f in fill],
            t("pool.x_title", c=c), t("pool.tip_max_input" if is_max else "pool.tip_input"),
            fields={"value": values, "wins": wins}, show="value",
            names=[role_word(r, is_max, cip) for r in names],
            palette=list(ROLE_COLOURS.values()), weights=weights)
        out = explorer.map_panel(f"y{c}", Y[c], t("pool.y_title", c=c),
                                 bound=float(max(np.abs(Y).max(), 1.0)))
        if is_max:
            out["fields"]["at"] = at
            out["tip"] = t("pool.tip_output_max")
        else:
            div = convlab.pool_divisors(win, kw.get("count_include_pad", True),
                                        kw.get("divisor_override"))
            out["fields"]["n"] = [str(int(d)) for d in div.ravel().tolist()]
            out["tip"] = t("pool.tip_output_avg")
        if win.bins is not None:  # adaptive: each output's own bin, rows x columns
            out["fields"]["bin"] = [f"[{a}, {b}) × [{e}, {f})" for a, b in win.bins[0]
                                    for e, f in win.bins[1]]
            out["tip"] += "\n" + t("pool.tip_bin")
        row = [padded] + ([kernel] if c == 0 and not kind.startswith("adaptive") else []) + [out]
        rows.append(row)
    present = set(role.tolist()) | ({"winner"} if is_max else set())
    legend = [[ROLE_COLOURS[r], role_word(r, is_max, cip), "fill"]
              for r in ROLE_COLOURS if r in present]
    legend.append([explorer.WINDOW, t("pool.role.window"), "outline"])
    return explorer.payload(taps, rows, pick=cell, words=explorer.words(), legend=legend)


def role_word(role: str, is_max: bool, cip: bool = True) -> str:
    """A padded cell's role as the pool treats it: padding is -inf for max, a zero counted
    (or not) for average."""
    if role == "padding":
        return t("pool.role.pad_max" if is_max else "pool.role.pad_avg_on" if cip
                 else "pool.role.pad_avg_off")
    return t(f"pool.role.{role}")


def pool_divisor_words(result: convlab.PoolResult, kw: dict[str, Any]) -> str:
    """Each tap's weight in an average window: ``1/n`` when every window divides by the
    same n, else ``1/n`` with n the output's own (its tooltip says which)."""
    div = convlab.pool_divisors(result.windows, kw.get("count_include_pad", True),
                                kw.get("divisor_override"))
    values = set(div.ravel().tolist())
    return f"1/{values.pop()}" if len(values) == 1 else "1/n"


def window_sum(result: convlab.PoolResult, X: np.ndarray, kind: str, kw: dict[str, Any],
               c: int, cell: tuple[int, int]) -> tuple[str, dict[str, tuple[float]]]:
    """The picked output written out (``max(0, 1, 3, 4) = 4`` or ``(0 + 1 + 3 + 4) / 4 =
    2``), and what the usual slips would give for it."""
    win = result.windows
    taps = win.taps
    n = taps.taps_per_output
    o = cell[0] * taps.out_shape[1] + cell[1]
    sl = slice(o * n, (o + 1) * n)
    cells, real = taps.cell[sl], win.genuine[sl]
    src = taps.source[cells]
    role = win.role[cells]
    values = [X[c].ravel()[s] if s >= 0 else None for s in src]
    y = float(result.Y[c, cell[0], cell[1]])
    is_max = kind in ("max", "adaptive_max")
    inputs = [v for v, g in zip(values, real, strict=True) if g and v is not None]
    if is_max:
        shown = [charts.fmt_value(v) if v is not None else "−∞"
                 for v, r, g in zip(values, role, real, strict=True) if g and r < 2]
        slips = {"pool_pad_zero": max([*inputs, 0.0]) if len(shown) > len(inputs) else y,
                 "pool_mean": sum(inputs) / max(len(inputs), 1)}
        text = f"max({', '.join(shown)}) = {y:.4g}"
    else:
        counted = win.counted(kw.get("count_include_pad", True))[sl]
        d = kw.get("divisor_override") or int(counted.sum())
        shown = [charts.fmt_value(v if v is not None else 0.0)
                 for v, r, g in zip(values, role, real, strict=True) if g and r < 2]
        total = sum(inputs)
        other = win.counted(not kw.get("count_include_pad", True))[sl].sum()
        slips = {"pool_sum": total, "pool_other_count": total / max(int(other), 1),
                 "pool_kernel_count": total / (math.prod(taps.kernel_size)
                                               if not kind.startswith("adaptive") else 1)}
        text = f"({' + '.join(shown)}) / {d} = {y:.4g}"
    kept = {k: (round(v, 4),) for k, v in slips.items() if not math.isclose(v, y, abs_tol=1e-4)}
    return text, kept


# ---- the ceil window, adaptive bins, the gradient --------------------------------------------

def ceil_strip(a: convlab.PoolAxis, title: str) -> str:
    """One axis as a strip of cells (padding, input, past the padding) with the window
    ``ceil_mode`` adds or drops outlined."""
    if a.extra == "none":
        return ""
    start = a.ceil_start
    end = start + a.effective_kernel
    n = max(a.padded, end)
    fills, tips = [], []
    for k in range(n):
        r = "input" if a.padding <= k < a.padding + a.size else (
            "padding" if k < a.padded else "beyond")
        fills.append(ROLE_COLOURS[r])
        tips.append(f"{k}: {role_word(r, True)}")
    marked = [(0, start + j * a.dilation) for j in range(a.kernel)]
    return grids.figure(1, n, 28, fills, tips, [str(k) for k in range(n)], title=title,
                        highlight=marked)


def bins_picture(bins: list[tuple[int, int]], size: int, title: str) -> str:
    """Adaptive bins along one axis: a row per output, its cells filled; a column read by
    two rows is an overlap."""
    M = np.zeros((len(bins), size))
    for i, (s, e) in enumerate(bins):
        M[i, s:e] = 1
    words = charts.cell_words()
    tips = [f"{words['row']}: {k // size}\n{words['col']}: {k % size}" for k in range(M.size)]
    fills = [ROLE_COLOURS["input"] if v else "#ffffff" for v in M.ravel()]
    return grids.figure(len(bins), size, charts.cell_size(len(bins), size, 220), fills, tips,
                        title=title)


def gradient_picture(grad: np.ndarray, title: str) -> str:
    """Where max pooling's gradient goes: each input cell's gradient when every output's is 1."""
    return grids.heatmap(grad, title, charts.cell_words(), bound=max(float(grad.max()), 1.0))


def ceil_part(page: Frame, axes: tuple[convlab.PoolAxis, ...]) -> None:
    """What ceil_mode does on each axis: the window it adds (past the padding) or drops
    (it would start in the right padding), drawn as a strip of that axis's cells."""
    lines, strips = [], []
    for name, a in zip(("h", "w"), axes, strict=True):
        axis = t(f"pool.axis.{name}")
        if a.extra == "none":
            lines.append(t("pool.ceil.none", axis=axis, n=a.output))
            continue
        if a.ceil_mode and a.extra == "added":
            lines.append(t("pool.ceil.added", axis=axis, k=a.output - 1, start=a.ceil_start,
                           over=a.overflow))
        elif a.ceil_mode:
            lines.append(t("pool.ceil.dropped", axis=axis, k=a.rounded_up - 1,
                           start=a.ceil_start, limit=a.size + a.padding, n=a.output))
        elif a.extra == "added":
            lines.append(t("pool.ceil.would_add", axis=axis, start=a.ceil_start))
        else:
            lines.append(t("pool.ceil.would_drop", axis=axis, k=a.rounded_up))
        strips.append(ceil_strip(a, t("pool.ceil.strip", axis=axis)))
    st.subheader(t("pool.ceil_title"))
    st.markdown("\n".join(f"- {line}" for line in lines))
    if strips:
        page.picture(strips)


def bins_part(page: Frame, result: convlab.PoolResult, v: Mapping[str, Any]) -> None:
    """Adaptive pooling's bins along each axis, overlaps visible."""
    assert result.windows.bins is not None
    st.subheader(t("pool.bins_title"))
    st.caption(t("pool.bins_caption"))
    figures = [bins_picture(b, n, t("pool.bins_axis", axis=t(f"pool.axis.{name}"), n=n,
                                    m=len(b)))
               for name, b, n in zip(("h", "w"), result.windows.bins, (v["h"], v["w"]),
                                     strict=True)]
    page.picture(figures)
    st.markdown(" · ".join(f"`{b}`" for b in result.windows.bins))
    if (v["oh"], v["ow"]) == (1, 1):
        st.info(t("pool.global_note"), icon=":material/public:")


def gradient_part(page: Frame, result: convlab.PoolResult) -> None:
    """Max pooling's backward: each output's gradient on its window's maximum."""
    assert result.grad is not None
    st.subheader(t("pool.grad_title"))
    st.caption(t("pool.grad_caption"))
    grad = result.grad.numpy()
    page.picture([gradient_picture(grad[c], t("pool.grad_map", c=c))
                  for c in range(grad.shape[0])])
