"""Grids of numbers drawn as HTML cells, one ``st.html`` element per picture.

A matrix reads best as a grid of coloured cells with its numbers in them. As HTML the
browser redraws such a grid in about a third of the time a Vega-Lite chart of the same
cells takes (``python benchmarks/element_costs.py``), and a page redraws its pictures on
every widget move. Vega-Lite stays where it earns its cost: grids one clicks to pick a
cell (``st.html`` sends no events back) and line and bar charts.

Every function returns an HTML string; :func:`page` wraps one or more rows of figures
with the style sheet. Cells carry their tooltip in ``title`` (row, column, value, in the
current language); small grids print their numbers and index their rows and columns.
"""

from __future__ import annotations

import colorsys
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from convlab import WindowPicture
from ui.pictures.charts import HEATMAP_BUDGET, NUMBERS_UP_TO, OKABE_ITO, cell_size, fmt_value

STYLE = (
    "<style>.clg-page{display:flex;flex-direction:column;gap:12px;font-size:13px;"
    "max-width:100%;overflow-x:auto}"
    ".clg-row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}"
    ".clg-fig{display:flex;flex-direction:column;gap:4px}"
    ".clg-title{font-weight:600}"
    ".clg-body{display:flex;align-items:center;gap:4px}"
    ".clg-ytitle{writing-mode:vertical-rl;transform:rotate(180deg);font-size:12px}"
    ".clg-xtitle{font-size:12px;text-align:center}"
    ".clg-grid{display:grid;gap:1px;line-height:1}"
    ".clg-grid>div{display:flex;align-items:center;justify-content:center;overflow:hidden}"
    ".clg-grid>.clg-ix{color:#666;font-size:11px}"
    ".clg-grid>.clg-hl{box-shadow:inset 0 0 0 3px #000}"
    ".clg-leg{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:12px;align-items:center}"
    ".clg-leg i{display:inline-block;width:12px;height:12px;margin-right:4px;"
    "vertical-align:-2px;border:1px solid #ddd}</style>")

# Vega's "blueorange" (diverging, centred on zero) and "viridis" (sequential) schemes,
# sampled at even steps and interpolated linearly.
BLUE_ORANGE = ("#134b85", "#2f78b3", "#5da2cb", "#9dcae1", "#d2e5ef", "#f2f0eb",
               "#fce0ba", "#fbbf74", "#e8932f", "#c5690d", "#994a07")
VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779",
           "#6ece58", "#b5de2b", "#fde725")
ROLE_ORDER = ("input", "padding", "tap", "unread")
ROLE_COLOURS = (OKABE_ITO["sky"], OKABE_ITO["yellow"], OKABE_ITO["vermillion"],
                OKABE_ITO["grey"])


@dataclass(frozen=True)
class Axes:
    """Names of a grid's two dimensions, each in its own colour (matching axes of several
    pictures share a colour)."""

    rows: str
    row_colour: str
    cols: str
    col_colour: str


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def colour_ramp(stops: Sequence[str], f: np.ndarray) -> list[str]:
    """Colours at fractions ``f`` in [0, 1] along ``stops``."""
    table = np.stack([_rgb(s) for s in stops])
    pos = np.clip(np.nan_to_num(f, nan=0.5), 0.0, 1.0) * (len(stops) - 1)
    lo = np.minimum(pos.astype(int), len(stops) - 2)
    frac = (pos - lo)[:, None]
    rgb = np.rint(table[lo] * (1 - frac) + table[lo + 1] * frac).astype(int)
    return ["#{:02x}{:02x}{:02x}".format(*c) for c in rgb]


def ink_for(fills: Sequence[str]) -> list[str]:
    """Black or white text, whichever reads on each fill."""
    packed = np.array([int(f[1:], 16) for f in fills], dtype=np.int64)
    rgb = np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1) / 255
    light = rgb @ np.array([0.2126, 0.7152, 0.0722]) >= 0.45
    return ["#000" if x else "#fff" for x in light]


def diverging(values: np.ndarray, bound: float) -> list[str]:
    """Blue below zero, orange above, white-ish at zero; ``bound`` maps to the ends."""
    return colour_ramp(BLUE_ORANGE, (values.ravel() / max(abs(bound), 1e-9) + 1) / 2)


def tip_table(words: dict[str, str], rows: int, cols: int,
          extra: Sequence[tuple[str, Sequence[str]]] = ()) -> list[str]:
    """Each cell's tooltip, row-major: its row, its column, then ``(word, values)`` lines
    (words are escaped here, once; values are numbers or already-escaped words)."""
    r_word, c_word = html.escape(words["row"]), html.escape(words["col"])
    heads = [f"{html.escape(word)}: " for word, _ in extra]
    columns = [values for _, values in extra]
    return ["\n".join([f"{r_word}: {k // cols}", f"{c_word}: {k % cols}",
                        *(h + col[k] for h, col in zip(heads, columns, strict=True))])
            for k in range(rows * cols)]


def legend(items: Iterable[tuple[str, str]]) -> str:
    """Swatches: ``(colour, label)`` pairs."""
    return '<div class="clg-leg">' + "".join(
        f'<span><i style="background:{c}"></i>{html.escape(label)}</span>'
        for c, label in items) + "</div>"


def figure(rows: int, cols: int, px: int, fills: Sequence[str], tips: Sequence[str],
           texts: Sequence[str] | None = None, *, title: str = "",
           highlight: Iterable[tuple[int, int]] = (), axes: Axes | None = None,
           font_px: int | None = None, footer: str = "") -> str:
    """One grid: ``rows x cols`` cells of ``px`` pixels, row-major ``fills`` and ``tips``
    (already escaped), numbers ``texts`` printed in the cells, ``highlight`` outlined.

    Rows and columns are indexed while the grid's longer side is at most
    :data:`NUMBERS_UP_TO`; ``texts`` are printed under the same condition.
    """
    small = max(rows, cols) <= NUMBERS_UP_TO
    inks = ink_for(fills) if texts is not None and small else None
    marked = {(int(r), int(c)) for r, c in highlight}
    size = font_px or min(12, px // 3 + 3)
    lead = f"{max(14, size + 6)}px " if small else ""
    parts = [f'<div class="clg-grid" style="grid-template-columns:{lead}repeat({cols},{px}px);'
             f'grid-auto-rows:{px}px;font-size:{size}px">']
    if small:
        parts.append("<div></div>" + "".join(f'<div class="clg-ix">{c}</div>'
                                              for c in range(cols)))
    shown = [html.escape(x) for x in texts] if texts is not None and small else None
    for r in range(rows):
        if small:
            parts.append(f'<div class="clg-ix">{r}</div>')
        for k in range(r * cols, (r + 1) * cols):
            cls = ' class="clg-hl"' if marked and (r, k - r * cols) in marked else ""
            ink = f";color:{inks[k]}" if inks else ""
            parts.append(f'<div{cls} title="{tips[k]}" style="background:{fills[k]}{ink}">'
                         f'{shown[k] if shown else ""}</div>')
    parts.append("</div>")
    grid = "".join(parts)
    if axes is not None:
        grid = (f'<div class="clg-xtitle" style="color:{axes.col_colour}">'
                f"{html.escape(axes.cols)}</div>" + grid)
        grid = (f'<div class="clg-body"><div class="clg-ytitle" style="color:'
                f'{axes.row_colour}">{html.escape(axes.rows)}</div><div>{grid}</div></div>')
    head = f'<div class="clg-title">{html.escape(title)}</div>' if title else ""
    return f'<div class="clg-fig">{head}{grid}{footer}</div>'


def page(*rows: Sequence[str]) -> str:
    """Rows of figures, each row wrapping on a narrow screen, with the style sheet."""
    body = "".join(f'<div class="clg-row">{"".join(row)}</div>' for row in rows)
    return f'{STYLE}<div class="clg-page">{body}</div>'


# ---- pictures ----------------------------------------------------------------------------------

def heatmap(matrix: np.ndarray, title: str, words: dict[str, str], *,
            highlight: Iterable[tuple[int, int]] = (), bound: float | None = None,
            px_budget: int = HEATMAP_BUDGET, axes: Axes | None = None) -> str:
    """A matrix on a diverging scale centred on zero (``bound``, default its largest
    magnitude, maps to the darkest colours), numbers in the cells of small ones."""
    m = np.asarray(matrix, dtype=float)
    rows, cols = m.shape
    values = m.ravel()
    top = float(np.abs(values).max()) if bound is None and values.size else abs(bound or 0.0)
    labels = [fmt_value(v) for v in values]
    tips = tip_table(words, rows, cols, [(words["value"], labels)])
    return figure(rows, cols, cell_size(rows, cols, px_budget), diverging(values, top), tips,
                  labels, title=title, highlight=highlight, axes=axes)


def padded_grid(pic: WindowPicture, cell: tuple[int, int], labels: dict[str, str],
                title: str, *, show_legend: bool = True, budget: int = 420) -> str:
    """The padded input: input cells, padding, the picked window's taps, cells no window
    reads; numbers in the cells of small grids."""
    hp, wp = pic.values.shape
    top, left, h, w = pic.box
    rows, cols = np.divmod(np.arange(hp * wp), wp)
    inside = (rows >= top) & (rows < top + h) & (cols >= left) & (cols < left + w)
    cov = pic.coverage.ravel().astype(int)
    role = np.where(inside, 0, 1)  # index into ROLE_ORDER
    role[cov == 0] = 3
    tap = pic.index[cell].reshape(-1, 2)
    role[tap[:, 0] * wp + tap[:, 1]] = 2
    texts = [fmt_value(v) for v in pic.values.ravel()]
    names = [html.escape(labels[k]) for k in ROLE_ORDER]
    fills = [ROLE_COLOURS[k] for k in role]
    tips = tip_table(labels, hp, wp, [(labels["value"], texts),
                                  (labels["coverage"], [str(n) for n in cov]),
                                  (labels["role"], [names[k] for k in role])])
    px = cell_size(hp, wp, budget)
    words = [labels[k] for k in ROLE_ORDER]
    foot = legend(zip(ROLE_COLOURS, words, strict=True)) if show_legend else ""
    return figure(hp, wp, px, fills, tips, texts, title=title, font_px=min(13, px // 2 + 2),
                  footer=foot)


def coverage(pic: WindowPicture, title: str, legend_title: str, words: dict[str, str]) -> str:
    """How many windows read each padded-input cell (0 = never read)."""
    hp, wp = pic.coverage.shape
    cov = pic.coverage.ravel().astype(int)
    most = max(int(cov.max()) if cov.size else 0, 1)
    fills = colour_ramp(VIRIDIS, cov / most)
    counts_text = [str(n) for n in cov]
    tips = tip_table(words, hp, wp, [(legend_title, counts_text)])
    counts = sorted(set(cov.tolist()))
    shown = counts if len(counts) <= 12 else [counts[0], counts[-1]]
    foot = (f'<div class="clg-leg"><span>{html.escape(legend_title)}</span></div>'
            + legend((colour_ramp(VIRIDIS, np.array([n / most]))[0], str(n)) for n in shown))
    px = cell_size(hp, wp)
    return figure(hp, wp, px, fills, tips, counts_text, title=title,
                  font_px=min(13, px // 2 + 2), footer=foot)


# Kelly's colours of maximum contrast (white and black left out): 20 that read apart.
KELLY = ("#F3C300", "#875692", "#F38400", "#A1CAF1", "#BE0032", "#C2B280", "#848482",
         "#008856", "#E68FAC", "#0067A5", "#F99379", "#604E97", "#F6A600", "#B3446C",
         "#DCD300", "#882D17", "#8DB600", "#654522", "#E25822", "#2B3D26")
DISTINCT_UP_TO = len(KELLY)  # past this many, colours differ but not enough to tell apart


def distinct_colours(n: int) -> list[str]:
    """``n`` different colours: Okabe-Ito's eight (colour-blind safe) while they suffice,
    then Kelly's twenty, then hues evenly round the wheel at three lightnesses (all
    different, but neighbours no longer read apart: label what they colour)."""
    if n <= len(OKABE_ITO):
        return list(OKABE_ITO.values())[:n]
    if n <= len(KELLY):
        return list(KELLY[:n])
    out = []
    for k in range(n):
        hue = k / n
        light = (0.40, 0.58, 0.74)[k % 3]
        out.append("#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in colorsys.hls_to_rgb(
            hue, light, 0.85))))
    return out


def shared_weights(index: np.ndarray, values: np.ndarray, names: Sequence[str], title: str,
                   words: dict[str, str], *, crowded: str = "") -> str:
    """An unrolled convolution: blank where the matrix is zero, each shared weight in its
    own colour and, where the cells are large enough, its number (the same weight recurs
    along the diagonals: translation invariance; the blanks are locality).

    Every weight gets a colour of its own (:func:`distinct_colours`); past
    :data:`DISTINCT_UP_TO` weights ``crowded`` is shown under the legend, a note that the
    colours no longer read apart and the numbers (and tooltips) tell the weights apart.
    """
    rows, cols = index.shape
    palette = distinct_colours(len(names))
    flat = index.ravel().astype(int)
    fills = [palette[k] if k >= 0 else "#f4f4f4" for k in flat]
    escaped = [html.escape(n) for n in names]
    tips = tip_table(words, rows, cols, [
        (words["weight"], [escaped[k] if k >= 0 else "—" for k in flat]),
        (words["value"], [fmt_value(v) for v in values.ravel()])])
    px = max(8, min(28, 640 // max(cols, 1), 420 // max(rows, 1)))
    numbered = len(names) > 1 and px >= 14 and max(rows, cols) <= NUMBERS_UP_TO
    texts = [str(k) if k >= 0 else "" for k in flat] if numbered else None
    used = sorted({int(k) for k in index.ravel() if k >= 0})
    foot = (f'<div class="clg-leg"><span>{html.escape(words["weight"])}</span></div>'
            + legend((palette[k], f"{k} = {names[k]}" if numbered else names[k])
                     for k in used))
    if crowded and len(used) > DISTINCT_UP_TO:
        foot += f'<div class="clg-leg"><span>{html.escape(crowded)}</span></div>'
    return figure(rows, cols, px, fills, tips, texts, title=title, footer=foot,
                  font_px=min(12, px // 2 + 2))
