"""The pooling page's URL parameters, presets, computation and pictures (d2l 7.5)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st
import torch

import convlab

from . import charts, explorer, grids
from .frame import Frame, pick_params, preset_param
from .i18n import t
from .urlstate import BoolParam, ChoiceParam, IntParam

KINDS = convlab.POOL_KINDS
# Inputs up to 3 channels of 10 x 10: every tensor is a few hundred numbers.
BOUNDS = {"c": (1, 3), "h": (1, 10), "w": (1, 10), "kh": (1, 5), "kw": (1, 5), "sh": (1, 5),
          "sw": (1, 5), "ph": (0, 2), "pw": (0, 2), "dh": (1, 3), "dw": (1, 3), "div": (0, 25),
          "oh": (1, 6), "ow": (1, 6)}
MAX_OUT = 12  # 10 + 2 * 2 - 3 + 1 at most, a ceil window more: 12 covers every output side
MORE = ("dh", "dw", "div", "data")
PRESETS = ("d2l_max", "d2l_avg", "d2l_k3", "d2l_k3p1s2", "d2l_rect", "d2l_two", "ceil_added",
           "ceil_dropped", "adaptive_7to3", "global_avg", "custom")
_BASE = {"kind": "max", "data": "arange", "c": 1, "h": 4, "w": 4, "kh": 3, "kw": 3,
         "sdef": True, "sh": 3, "sw": 3, "ph": 0, "pw": 0, "dh": 1, "dw": 1, "ceil": False,
         "cip": True, "div": 0, "oh": 3, "ow": 3, "ch": 0, "oi": 0, "oj": 0}
_PRESET_VALUES: dict[str, dict[str, Any]] = {
    # d2l's pool2d slides one cell at a time over X = 0..8
    "d2l_max": {"h": 3, "w": 3, "kh": 2, "kw": 2, "sdef": False, "sh": 1, "sw": 1},
    "d2l_avg": {"kind": "avg", "h": 3, "w": 3, "kh": 2, "kw": 2, "sdef": False, "sh": 1,
                "sw": 1},
    "d2l_k3": {},  # nn.MaxPool2d(3): the stride defaults to the window
    "d2l_k3p1s2": {"sdef": False, "sh": 2, "sw": 2, "ph": 1, "pw": 1},
    "d2l_rect": {"kh": 2, "kw": 3, "sdef": False, "sh": 2, "sw": 3, "ph": 0, "pw": 1},
    "d2l_two": {"c": 2, "sdef": False, "sh": 2, "sw": 2, "ph": 1, "pw": 1},
    "ceil_added": {"sdef": False, "sh": 2, "sw": 2, "ceil": True},
    "ceil_dropped": {"kh": 2, "kw": 2, "sdef": False, "sh": 3, "sw": 3, "ph": 1, "pw": 1,
                     "ceil": True},
    "adaptive_7to3": {"kind": "adaptive_avg", "h": 7, "w": 7, "oh": 3, "ow": 3},
    "global_avg": {"kind": "adaptive_avg", "oh": 1, "ow": 1},
}
# The picture's colours: the padded input's roles, and the winning cell of a max window.
ROLE_COLOURS = {"input": grids.ROLE_COLOURS[0], "padding": grids.ROLE_COLOURS[1],
                "beyond": charts.OKABE_ITO["purple"], "unread": grids.ROLE_COLOURS[3],
                "winner": charts.OKABE_ITO["green"]}


def preset_values(name: str, current: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of a preset (``custom`` keeps what is there)."""
    if name not in _PRESET_VALUES:
        return {}
    values = {**_BASE, **_PRESET_VALUES[name]}
    if values["sdef"]:
        values["sh"], values["sw"] = values["kh"], values["kw"]
    return values


DEFAULTS = preset_values(PRESETS[0], {})
PARAMS = [
    preset_param(PRESETS),
    ChoiceParam("kind", DEFAULTS["kind"], KINDS),
    ChoiceParam("data", "arange", ("arange", "random")),
    *(IntParam(k, DEFAULTS[k], *BOUNDS[k]) for k in BOUNDS),
    BoolParam("sdef", DEFAULTS["sdef"]),
    BoolParam("ceil", False),
    BoolParam("cip", True),
    IntParam("ch", 0, 0, BOUNDS["c"][1] - 1),
    *pick_params(MAX_OUT, MAX_OUT),
]


def input_tensor(v: Mapping[str, Any]) -> np.ndarray:
    """X ``(C, H, W)``: d2l's arange, channel c shifted by c (X, X + 1, ...), or small
    random whole numbers (ties show which maximum wins)."""
    c, h, w = v["c"], v["h"], v["w"]
    if v["data"] == "random":
        return np.random.default_rng(0).integers(0, 10, (c, h, w)).astype(float)
    return np.arange(h * w, dtype=float).reshape(1, h, w) + np.arange(c).reshape(c, 1, 1)


def layer_kwargs(v: Mapping[str, Any]) -> dict[str, Any]:
    """The layer's keyword arguments, as PyTorch takes them, pairs shown as one int when
    square (``stride=None`` while it follows the kernel)."""
    def pair(a: str, b: str) -> int | tuple[int, int]:
        return v[a] if v[a] == v[b] else (v[a], v[b])

    if v["kind"].startswith("adaptive"):
        return {"output_size": pair("oh", "ow")}
    kw: dict[str, Any] = {"kernel_size": pair("kh", "kw"),
                          "stride": None if v["sdef"] else pair("sh", "sw"),
                          "padding": pair("ph", "pw"), "ceil_mode": v["ceil"]}
    if v["kind"] == "max":
        kw["dilation"] = pair("dh", "dw")
    else:
        kw.update(count_include_pad=v["cip"], divisor_override=v["div"] or None)
    return {k: val for k, val in kw.items() if not (k == "stride" and val is None)}


@st.cache_data(max_entries=128, show_spinner=False)
def compute(x: tuple, shape: tuple[int, int, int], kind: str, kw: tuple,
            device: str) -> convlab.PoolResult:
    """The layer run the lesson's way and PyTorch's, cached on plain values."""
    X = torch.tensor(x, dtype=torch.float32).reshape(shape)
    return convlab.run_pool(X, kind, dict(kw), device)


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


# ---- the arithmetic, the ceil window, adaptive bins, the gradient ------------------------------

def formula(axes: tuple[convlab.PoolAxis, ...]) -> str:
    """Both axes' sizes with the numbers substituted, in LaTeX."""
    lines = []
    for name, a in zip(("H", "W"), axes, strict=True):
        op = r"\left\lceil" if a.ceil_mode else r"\left\lfloor"
        cl = r"\right\rceil" if a.ceil_mode else r"\right\rfloor"
        value = a.rounded_up if a.ceil_mode else a.floor_output
        line = (rf"{name}_{{out}} = {op}\frac{{{a.size} + 2\cdot{a.padding} - {a.dilation}"
                rf"\cdot({a.kernel} - 1) - 1}}{{{a.stride}}}{cl} + 1 = {value}")
        if a.ceil_mode and a.extra == "dropped":
            line += rf" \to {a.output}"
        lines.append(line)
    return r"\begin{array}{l} " + r" \\[4pt] ".join(lines) + r" \end{array}"


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


def attempt(page: Frame, X: np.ndarray, kind: str,
            kw: dict[str, Any]) -> convlab.PoolResult | None:
    """The layer on X, or ``None`` after the refusal is explained (where it is called),
    checked against PyTorch's own pooling layer."""
    oracle = convlab.LayerOracle.of(convlab.pooling.MODULE_NAMES[kind],
                                    convlab.pool_kwargs(kind, kw), (1, *X.shape))
    return page.attempt(compute, tuple(X.ravel().tolist()), X.shape, kind, tuple(kw.items()),
                        page.device, oracle=oracle)


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


def predict_value(page: Frame, question: str, truth: float,
                  slips: Mapping[str, tuple[float, ...]]) -> None:
    """The second question (one output's value), a box of its own."""
    page.predict(question, (truth,), dict(slips), name="guess_value")
