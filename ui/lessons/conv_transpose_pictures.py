"""The transposed-convolution page's secondary pictures: the direct form's zero-inserted
input, the overlap counts and what they show, the shape round trip (pure functions of
convlab's results; words through the translation table)."""

from __future__ import annotations

import html
import itertools

import numpy as np
import pandas as pd

import convlab
from ui.i18n import t
from ui.pictures import grids
from ui.pictures.charts import OKABE_ITO, cell_size, cell_words, fmt_value

# ---- the direct form: zero insertion, padding, the flipped kernel ----------------------------
INSERTED = "#e6e6e6"


def direct_figure(pic: convlab.DirectPicture, X: np.ndarray, cell: tuple[int, int],
                  title: str) -> str:
    """The zero-inserted, padded input (X's cells, inserted zeros, padding) with the window
    that output ``cell`` reads outlined."""
    hp, wp = pic.values.shape
    values = np.where(pic.source >= 0, X.ravel()[np.maximum(pic.source, 0)], 0.0)
    role = pic.role.ravel()
    names = [t("ct.role.input"), t("ct.role.inserted"), t("ct.role.padding")]
    colours = [grids.ROLE_COLOURS[0], INSERTED, grids.ROLE_COLOURS[1]]
    tap = pic.index[cell].reshape(-1, 2)
    texts = [fmt_value(v) for v in values.ravel()]
    words = cell_words()
    escaped = [html.escape(n) for n in names]
    tips = grids.tip_table(words, hp, wp, [(words["value"], texts),
                                       (t("ct.role"), [escaped[k] for k in role])])
    fills = [colours[k] for k in role]
    for r, c in tap:
        fills[r * wp + c] = OKABE_ITO["vermillion"]
    px = cell_size(hp, wp, 420)
    legend = grids.legend([*zip(colours, names, strict=True),
                           (OKABE_ITO["vermillion"], t("ct.role.tap"))])
    return grids.figure(hp, wp, px, fills, tips, texts, title=title,
                        font_px=min(13, px // 2 + 2), highlight=[tuple(x) for x in tap],
                        footer=legend)


# ---- overlap counts -------------------------------------------------------------------------
def counts_figure(counts: np.ndarray, title: str) -> str:
    """How many stamps (or taps) land on each cell, on viridis, numbers in small grids."""
    rows, cols = counts.shape
    flat = counts.ravel().astype(int)
    most = max(int(flat.max()) if flat.size else 0, 1)
    fills = grids.colour_ramp(grids.VIRIDIS, flat / most)
    texts = [str(n) for n in flat]
    words = cell_words()
    tips = grids.tip_table(words, rows, cols, [(t("ct.count"), texts)])
    shown = sorted(set(flat.tolist()))
    foot = grids.legend((grids.colour_ramp(grids.VIRIDIS, np.array([n / most]))[0], str(n))
                        for n in (shown if len(shown) <= 12 else [shown[0], shown[-1]]))
    px = cell_size(rows, cols, 300)
    return grids.figure(rows, cols, px, fills, tips, texts, title=title,
                        font_px=min(13, px // 2 + 2), footer=foot)


def pattern_caption(stamps: convlab.ScatterMap) -> str:
    """What the overlap counts show, worded from convlab's identifier and the counts far
    from the border (:attr:`convlab.ScatterMap.period_counts`)."""
    period = sorted(set(stamps.period_counts.ravel().tolist()))
    return t(f"ct.pattern.{stamps.pattern}", counts=", ".join(map(str, period)),
             n=period[-1], lo=int(stamps.overlap.min()) if stamps.overlap.size else 0)


# ---- the round trip -------------------------------------------------------------------------
def round_trip_table(spec: convlab.ConvTranspose2dSpec, size: tuple[int, int]) -> pd.DataFrame:
    """Every Conv2d input that maps to this layer's input, where the transposed layer
    takes it back with output_padding 0, and the output_padding that returns to it.

    Raises:
        ConvConfigError: when no Conv2d input gives ``size`` with these settings.
    """
    heights, widths = convlab.conv2d_input_sizes(size, spec.kernel_size, spec.stride,
                                                 spec.padding, spec.dilation)
    pairs = (list(zip(heights, widths, strict=False)) if heights == widths
             else list(itertools.product(heights, widths)))
    rows = []
    for n in pairs:
        trip = convlab.round_trip(n, spec.kernel_size, spec.stride, spec.padding,
                                  spec.dilation)
        rows.append([_size(n), _size(trip.back),
                     str(trip.output_padding if len(set(trip.output_padding)) > 1
                         else trip.output_padding[0]),
                     t("ct.rt.yes") if trip.output_padding == spec.output_padding
                     else t("ct.rt.no")])
    columns = [t(f"ct.rt.{k}") for k in ("conv_in", "back", "op", "returns")]
    return pd.DataFrame(rows, columns=columns)


def _size(pair: tuple[int, int]) -> str:
    return f"{pair[0]} × {pair[1]}"
