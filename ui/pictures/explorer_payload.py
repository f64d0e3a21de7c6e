"""The window explorer's payload: the panels, words and legend it draws, as plain JSON-ready
values built by pure functions of convlab's tap map (no Streamlit;
:mod:`ui.pictures.explorer` mounts it).

Every highlight is a lookup into convlab's tap map (:class:`convlab.windows.TapMap`):
tap ``t`` says output cell ``out[t]`` multiplies padded-input cell ``cell[t]`` by kernel
tap ``tap[t]``. The same arrays are read both ways, each reading a slice:

* "output cell ``o`` reads these input cells with these weights": taps
  ``o * kh * kw`` up to ``(o + 1) * kh * kw`` (sorted by output, then tap);
* "input cell ``p`` is read by (stamps into) these output cells": taps
  ``by_cell[cell_ptr[p]:cell_ptr[p + 1]]``.

A 2-D window is a row window times a column window, so the payload carries the map's two
axes (:class:`convlab.windows.AxisTaps`, the same two readings per axis) rather than the
product, which reaches 600 000 taps at the output-size page's bounds: the browser reads
output ``(i, j)``'s tap ``(a, b)`` as padded cell ``(rows.index[i, a], cols.index[j, b])``
and padded cell ``(r, c)``'s readers as row ``r``'s readers times column ``c``'s.

``rows`` is a list of rows of panels, each panel one grid in one of three coordinate
spaces of the tap map, built by:

* :func:`padded_panel` (space ``"input"``): the padded input, cells coloured by role
  (input, padding, never read: Okabe-Ito, as in :mod:`ui.pictures.grids`), with the value each
  cell holds and, for reflect/replicate/circular padding, which input cell it copies;
* :func:`kernel_panel` (space ``"kernel"``): the weights (or, with ``K=None``, the tap
  indices) on a diverging scale;
* :func:`map_panel` (space ``"output"`` by default, or any space): a matrix of values in
  that space's shape (an output map, a partial sum, a channel of X) on a diverging scale;
* :func:`cells_panel`: positions with no values, one colour; :func:`panel`: the general
  form (any fills, fields and tooltip template) the others fill in.

A panel may name a kernel panel as its ``weights``: when a hover outlines its cells
(the window of an output cell in an input panel, or the readers of an input cell in an
output panel) each outlined cell is labelled with the weight that links it. Several panels may
share a space (multichannel: one padded input per channel, one kernel slice each, then
partial maps, their sum and Y in the output space): a hover in any panel outlines the
matching cells in all of them.

Other readings for other pages: the transposed-convolution page draws the same tap map
with its input in the ``"output"`` space and its (uncropped) output in the ``"input"``
space, and ``pick_space="output"``: hovering one of its input cells then outlines every
output cell it stamps into, each with the kernel weight it is stamped with.

The payload (a JSON-ready dict of lists, ints and strings; see :func:`payload`)::

    {"spaces": {"output": [Ho, Wo], "input": [Hp, Wp], "kernel": [kh, kw]},
     "axes": [{"index": [...Ho*kh], "by_cell": [...Ho*kh], "cell_ptr": [...Hp+1]},
              {... the same for the width ...}],
     "rows": [[panel, ...], ...],
     "pick": [i, j] | None, "pick_space": "output",
     "words": {...already translated: buttons, hint, status-line templates...},
     "legend": [[colour, label, "fill" | "outline"], ...]}
    panel = {"id": str, "space": str, "rows": int, "cols": int, "px": cell pixels,
             "title": str, "palette": [hex], "ink": [hex],
             "fill": [palette index per cell], "names": [str per palette entry] | None,
             "fields": {name: [str per cell]}, "show": field printed in cells | None,
             "tip": "template: {row} {col} {role} and {<field>} placeholders",
             "weights": id of a kernel panel | None}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from convlab.windows import TapMap
from ui.i18n import t
from ui.pictures.charts import NUMBERS_UP_TO, OKABE_ITO, fmt_value
from ui.pictures.grids import ROLE_COLOURS, ROLE_ORDER, diverging, ink_for

SPACES = ("output", "input", "kernel")
# Pixels for a panel's longer side; cells between MIN_PX and MAX_PX. The padded input and
# the output fit side by side in the picture column of a laptop screen (about 540 px);
# hover works on any size, printed numbers need room.
BUDGET_PX = {"input": 270, "output": 230, "kernel": 120}
MIN_PX, MAX_PX = 4, 36
# Numbers printed in cells (and the weight labels a hover puts on them) are at least
# MIN_FONT_PX; where a panel's numbers would not fit at that size its cells stay blank and
# the tooltip and status line carry them. A digit is about 0.58 em wide.
MIN_FONT_PX, MAX_FONT_PX, BADGE_PX, EM_PER_CHAR = 10, 13, 10, 0.58
# The role of each padded cell as a fill; the window itself is drawn as an outline.
FILL_ROLES = ("input", "padding", "unread")
WINDOW = OKABE_ITO["vermillion"]
# status lines: "<key>_one" where the first count is 1, "<key>_outside" for a cell outside
# its space's box (padding; a cropped cell), as explorer.js picks them
STATUS_KEYS = ("status_output", "status_output_one", "status_input", "status_input_one",
               "status_input_outside", "status_input_outside_one", "status_kernel",
               "status_kernel_one")
WORD_KEYS = ("play", "pause", "step", "speed", "speed_value", "hint", *STATUS_KEYS)


def words() -> dict[str, str]:
    """The component's own words (buttons, status lines, tooltip templates), translated.

    Templates keep their ``{placeholders}`` for the browser to fill: ``{row}``, ``{col}``,
    ``{n}`` and any panel field name.
    """
    return {k: t(f"ex.{k}") for k in WORD_KEYS}


def cell_px(rows: int, cols: int, budget: int) -> int:
    """Pixels per cell so the longer side, 1 px gaps included, fits ``budget``; between
    MIN_PX and MAX_PX.

    >>> cell_px(32, 32, 230), cell_px(2, 2, 230), cell_px(96, 96, 230)
    (6, 36, 4)
    """
    n = max(rows, cols, 1)
    return int(min(MAX_PX, max(MIN_PX, (budget - n + 1) // n)))


def text_font(px: int, texts: Sequence[str]) -> int | None:
    """The font size (px) at which the longest of ``texts`` fits a ``px`` cell, at most
    MAX_FONT_PX; ``None`` where that is under MIN_FONT_PX (the cells then stay blank).

    >>> text_font(36, ["1", "12"]), text_font(17, ["12"]), text_font(12, ["1"])
    (13, 11, None)
    >>> text_font(20, ["-1.50"])
    """
    longest = max((len(s) for s in texts), default=1) or 1
    font = min(MAX_FONT_PX, px - 6, int((px - 2) / (EM_PER_CHAR * longest)))
    return font if font >= MIN_FONT_PX else None


def _palette(fills: Sequence[str]) -> tuple[list[str], list[int]]:
    """Distinct colours and each cell's index into them (a 96 x 96 grid sends ~20 colours
    and 9216 small ints, not 9216 colour strings)."""
    palette: dict[str, int] = {}
    index = [palette.setdefault(f, len(palette)) for f in fills]
    return list(palette), index


def panel(pid: str, space: str, shape: tuple[int, int], fills: Sequence[str] | Sequence[int],
          title: str,
          tip: str, *, fields: Mapping[str, Sequence[str]] | None = None,
          show: str | None = None, names: Sequence[str] | None = None,
          palette: Sequence[str] | None = None, weights: str | None = None) -> dict[str, Any]:
    """One grid of the explorer (the general form the other builders fill in).

    Args:
        pid: the panel's id, unique in the payload.
        space: ``"output"``, ``"input"`` or ``"kernel"``: which tap-map coordinates it is in.
        shape: ``(rows, cols)``, that space's shape.
        fills: each cell's colour, row-major; or, with ``palette``, each cell's index into it.
        title, tip: translated; ``tip`` is the tooltip template (``{row}``, ``{col}``,
            ``{role}`` and ``{<field>}`` placeholders).
        fields: per-cell strings by name (``"value"``: the number a cell holds).
        show: the field printed in the cells (dropped on grids over NUMBERS_UP_TO a side).
        names: a name per palette entry, ``{role}`` in the tooltip.
        weights: for an input panel, the id of the kernel panel whose ``value`` field holds
            the weight each tap multiplies by.

    >>> p = panel("y", "output", (1, 2), ["#fff", "#fff"], "Y", "{row},{col}",
    ...           fields={"value": ["1", "12"]}, show="value")
    >>> p["palette"], p["fill"], p["px"], p["font"]
    (['#fff'], [0, 0], 36, 13)
    """
    rows, cols = shape
    if palette is None:
        pal, fill = _palette([str(f) for f in fills])
    else:
        pal, fill = list(palette), [int(f) for f in fills]
    px = cell_px(rows, cols, BUDGET_PX.get(space, 300))
    texts = {k: [str(v) for v in vs] for k, vs in (fields or {}).items()}
    font = text_font(px, texts[show]) if show and max(rows, cols) <= NUMBERS_UP_TO else None
    return {"id": pid, "space": space, "rows": int(rows), "cols": int(cols), "title": title,
            "tip": tip, "palette": pal, "ink": ink_for(pal) if pal else [], "fill": fill,
            "names": list(names) if names is not None else None, "fields": texts,
            "show": show if font is not None else None, "font": font or MIN_FONT_PX,
            "weights": weights, "badges": False, "px": px}


def padded_panel(pid: str, taps: TapMap, values: np.ndarray, title: str, *,
                 weights: str | None = None) -> dict[str, Any]:
    """The padded input: cells coloured input / padding / never read, holding ``values``
    (``(Hp, Wp)``); a padded cell that copies an input cell (reflect, replicate,
    circular) says which."""
    hp, wp = taps.padded_shape
    top, left, h, w = taps.box
    rows, cols = np.divmod(np.arange(hp * wp), wp)
    inside = (rows >= top) & (rows < top + h) & (cols >= left) & (cols < left + w)
    reads = np.diff(taps.cell_ptr)
    role = np.where(inside, 0, 1)
    role[reads == 0] = 2
    copies = [t("ex.copies", row=int(s) // w, col=int(s) % w) if s >= 0 and not inside[k]
              else "" for k, s in enumerate(taps.source.tolist())]
    names = [t(f"os.role.{r}") for r in FILL_ROLES]
    colours = [ROLE_COLOURS[ROLE_ORDER.index(r)] for r in FILL_ROLES]
    return panel(pid, "input", (hp, wp), role.tolist(), title, t("ex.tip_input"),
                 fields={"value": [fmt_value(v) for v in np.asarray(values).ravel()],
                         "reads": [str(n) for n in reads.tolist()], "copies": copies},
                 show="value", names=names, palette=colours, weights=weights)


def map_panel(pid: str, M: np.ndarray, title: str, *, space: str = "output",
              bound: float | None = None) -> dict[str, Any]:
    """A matrix in ``space``'s shape on the diverging scale of :mod:`ui.pictures.grids` (``bound``,
    default its largest magnitude, maps to the darkest colours)."""
    m = np.asarray(M, dtype=float)
    top = float(np.abs(m).max()) if bound is None and m.size else abs(bound or 0.0)
    return panel(pid, space, m.shape, diverging(m, top), title,
                 t("ex.tip_kernel" if space == "kernel" else "ex.tip_output"),
                 fields={"value": [fmt_value(v) for v in m.ravel()]}, show="value")


def kernel_panel(pid: str, K: np.ndarray | None, kernel_size: tuple[int, int],
                 title: str) -> dict[str, Any]:
    """The kernel: its weights (``K``, ``(kh, kw)``) on the diverging scale, or, with
    ``K=None`` (a layer with no weights chosen), each tap's ``(a, b)`` index."""
    if K is not None:
        return map_panel(pid, K, title, space="kernel", bound=max(float(np.abs(K).max()), 1.0))
    kh, kw = kernel_size
    labels = [f"{a},{b}" for a in range(kh) for b in range(kw)]
    return panel(pid, "kernel", (kh, kw), [OKABE_ITO["orange"]] * (kh * kw), title,
                 t("ex.tip_tap"), fields={"value": labels}, show="value")


def cells_panel(pid: str, shape: tuple[int, int], title: str, *, space: str = "output",
                colour: str = OKABE_ITO["green"]) -> dict[str, Any]:
    """Cells with no values, one colour (the output positions of a layer with no weights
    chosen)."""
    rows, cols = shape
    return panel(pid, space, shape, [0] * (rows * cols), title, t("ex.tip_cell"),
                 palette=[colour])


def legend() -> list[list[str]]:
    """The padded input's roles (fills) and the window (an outline), translated."""
    fills = [[ROLE_COLOURS[ROLE_ORDER.index(r)], t(f"os.role.{r}"), "fill"] for r in FILL_ROLES]
    return [*fills, [WINDOW, t("os.role.tap"), "outline"]]


def payload(taps: TapMap, rows: Sequence[Sequence[dict[str, Any]]], *,
            pick: tuple[int, int] | None, words: Mapping[str, str],
            pick_space: str = "output", legend: Sequence[Sequence[str]] = (),
            boxes: Mapping[str, Sequence[int]] | None = None) -> dict[str, Any]:
    """Everything the component draws, as plain JSON-ready values.

    Args:
        taps: convlab's tap map; its two :class:`convlab.windows.AxisTaps` are sent as they
            are (``O(H_out * kh + W_out * kw + Hp + Wp)`` numbers, where the 2-D arrays
            would be ``H_out * W_out * kh * kw`` each).
        rows: rows of panels (:func:`padded_panel`, :func:`kernel_panel`, :func:`map_panel`,
            :func:`panel`), each panel's shape that of its space.
        pick: the picked cell of ``pick_space`` (clamped into it), or ``None``.
        words: :func:`words`, or the caller's own set of the same keys.
        pick_space: the space whose cells are picked, played over and moved by keys.
        legend: ``(colour, label, "fill" | "outline")`` entries.
        boxes: ``space -> (top, left, rows, cols)`` overriding the default boxes: the
            input inside its padding (``taps.box``), the whole output, the whole kernel.
            Status lines and tooltips count rows and columns from a box's corner and tell
            the cells inside it from those outside.

    Raises:
        ValueError: a panel whose shape is not its space's (a bug in the page, not input).

    >>> import convlab
    >>> taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, 2), (3, 3))
    >>> data = payload(taps, [[map_panel("y", np.zeros((2, 2)), "Y")]], pick=(5, 0), words={})
    >>> data["spaces"], data["pick"], data["axes"][0]["index"], data["boxes"]["input"]
    ({'output': [2, 2], 'input': [3, 3], 'kernel': [2, 2]}, [1, 0], [0, 1, 1, 2], [0, 0, 3, 3])
    """
    spaces = {"output": list(taps.out_shape), "input": list(taps.padded_shape),
              "kernel": list(taps.kernel_size)}
    for row in rows:
        for p in row:
            if [p["rows"], p["cols"]] != spaces[p["space"]]:
                raise ValueError(f"panel {p['id']!r} is {p['rows']} x {p['cols']}, its space "
                                 f"{p['space']!r} is {spaces[p['space']]}")
    panels = {p["id"]: p for row in rows for p in row}
    rows = [[_with_badges(p, panels) for p in row] for row in rows]
    box = {"output": [0, 0, *spaces["output"]], "input": [int(v) for v in taps.box],
           "kernel": [0, 0, *spaces["kernel"]]}
    box.update({k: [int(v) for v in b] for k, b in (boxes or {}).items()})
    cell = None
    if pick is not None:
        limit = spaces[pick_space]
        cell = [min(max(int(v), 0), n - 1) for v, n in zip(pick, limit, strict=True)]
    return {"spaces": spaces,
            "axes": [{"index": a.index.ravel().tolist(), "by_cell": a.by_cell.tolist(),
                      "cell_ptr": a.cell_ptr.tolist()} for a in taps.axes],
            "rows": [list(row) for row in rows], "pick": cell, "pick_space": pick_space,
            "boxes": box,
            "words": dict(words), "legend": [list(item) for item in legend]}



def _with_badges(p: dict[str, Any], panels: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """``p`` with ``badges``: whether a hover labels its linked cells with the weights of
    its ``weights`` panel (only where the longest weight fits the cell at BADGE_PX)."""
    kernel = panels.get(p["weights"]) if p["weights"] else None
    if kernel is None:
        return p
    longest = max((len(v) for v in kernel["fields"].get("value", [])), default=0)
    fits = 0 < longest and EM_PER_CHAR * BADGE_PX * longest + 4 <= p["px"]
    return {**p, "badges": bool(fits and p["px"] >= 2 * BADGE_PX)}


def payload_size(data: Mapping[str, Any]) -> int:
    """Bytes of JSON the browser receives (benchmarks and tests keep it bounded)."""
    return len(json.dumps(data, separators=(",", ":")))
