"""ui.pictures.grids: grids of numbers as HTML cells, read back as the browser gets them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pagekit import Figure, figures

import convlab
from ui.pictures import charts, grids

WORDS = {k: f"<{k}>" for k in ("row", "col", "value", "weight")}
LABELS = {**WORDS, **{k: f"<{k}>" for k in ("input", "padding", "tap", "unread", "coverage",
                                              "role")}}


def one(html: str) -> Figure:
    (fig,) = figures(grids.page([html]))
    return fig


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 30)),
              elements=st.floats(-1e3, 1e3, allow_nan=False, width=32)))
def test_heatmap_draws_every_cell_with_its_value(m):
    fig = one(grids.heatmap(m, "M", WORDS))
    rows, cols = m.shape
    assert (fig.rows, fig.cols) == (rows, cols)
    small = max(rows, cols) <= charts.NUMBERS_UP_TO
    assert fig.indexed == small  # rows and columns numbered on small grids only
    want = [charts.fmt_value(v) for v in m.ravel()]
    assert fig.texts == (want if small else [""] * m.size)  # numbers printed on small grids
    for k, tip in enumerate(fig.tips):  # and always in the tooltip
        assert tip == f"<row>: {k // cols}\n<col>: {k % cols}\n<value>: {want[k]}"


def test_heatmap_colours_diverge_from_zero_to_the_bound():
    fig = one(grids.heatmap(np.array([[-2.0, 0.0, 2.0, 1.0, 9.0]]), "", WORDS, bound=2.0))
    assert fig.fills[:3] == [grids.BLUE_ORANGE[0], grids.BLUE_ORANGE[5], grids.BLUE_ORANGE[-1]]
    assert fig.fills[3] not in grids.BLUE_ORANGE  # between stops, interpolated
    assert fig.fills[4] == grids.BLUE_ORANGE[-1]  # beyond the bound: clipped
    zero = one(grids.heatmap(np.zeros((2, 2)), "", WORDS))  # no magnitude: still drawable
    assert set(zero.fills) == {grids.BLUE_ORANGE[5]}


def test_heatmap_default_bound_is_the_largest_magnitude():
    fig = one(grids.heatmap(np.array([[-7.5, 7.5]]), "", WORDS))
    assert fig.fills == [grids.BLUE_ORANGE[0], grids.BLUE_ORANGE[-1]]


def test_numbers_are_printed_in_a_colour_that_reads_on_their_cell():
    html = grids.heatmap(np.array([[-1.0, 0.0]]), "", WORDS)
    assert "background:#134b85;color:#fff" in html and "background:#f2f0eb;color:#000" in html


def test_heatmap_outlines_highlighted_cells_and_escapes_words():
    fig = one(grids.heatmap(np.arange(6.0).reshape(2, 3), "<b>&", WORDS,
                            highlight=[(1, 0), (0, 2)]))
    assert fig.title == "<b>&"  # shown as text, not markup
    assert sorted(fig.highlighted) == [2, 3]
    assert fig.grid() == [["0", "1", "2"], ["3", "4", "5"]]


def test_axes_name_both_dimensions():
    html = grids.heatmap(np.ones((2, 3)), "", WORDS, axes=grids.Axes("C_out", "#111111",
                                                                     "C_in", "#222222"))
    # rows (left), then columns (above)
    assert one(html).axes == [("C_out", "#111111"), ("C_in", "#222222")]


def test_padded_grid_roles_values_and_legend():
    # a 2 x 2 input padded by 1 under a 3 x 3 kernel: a 4 x 4 grid; the window at (0, 0)
    pic = convlab.Conv2dSpec(1, 1, 3, padding=1).window_picture((2, 2))
    fig = one(grids.padded_grid(pic, (0, 0), LABELS, "grid"))
    assert (fig.rows, fig.cols) == (4, 4)
    colour = dict(zip(grids.ROLE_ORDER, grids.ROLE_COLOURS, strict=True))
    fills = np.array(fig.fills).reshape(4, 4)
    assert (fills[:3, :3] == colour["tap"]).all()  # the picked window's nine taps
    assert fills[3, 3] == colour["padding"] and fills[1, 3] == colour["padding"]
    assert fig.legend == [LABELS[k] for k in grids.ROLE_ORDER]
    assert fig.grid() == [[charts.fmt_value(v) for v in row] for row in pic.values]
    assert fig.tips[5].endswith(f"<coverage>: {pic.coverage[1, 1]}\n<role>: <tap>")
    assert one(grids.padded_grid(pic, (0, 0), LABELS, "", show_legend=False)).legend == []


def test_padded_grid_marks_cells_no_window_reads():
    # stride 2 over 4 with a 1-wide kernel: columns and rows 1 and 3 are never read
    pic = convlab.Conv2dSpec(1, 1, 1, stride=2).window_picture((4, 4))
    fig = one(grids.padded_grid(pic, (0, 0), LABELS, ""))
    unread = [k for k, f in enumerate(fig.fills) if f == grids.ROLE_COLOURS[3]]
    assert len(unread) == 16 - 4 and 0 not in unread


def test_coverage_counts_every_cell():
    pic = convlab.Conv2dSpec(1, 1, 3).window_picture((5, 5))
    fig = one(grids.coverage(pic, "coverage", "windows", WORDS))
    assert fig.grid() == [[str(n) for n in row] for row in pic.coverage]
    assert fig.legend[0] == "windows"
    assert fig.legend[1:] == [str(n) for n in sorted(set(pic.coverage.ravel().tolist()))]


def test_shared_weights_blank_structural_zeros_and_name_each_weight():
    index = np.array([[0, 1, -1], [-1, 0, 1]])
    values = np.array([[2.0, 3.0, 0.0], [0.0, 2.0, 3.0]])
    fig = one(grids.shared_weights(index, values, ["K[0]", "K[1]"], "U", WORDS))
    assert fig.fills[0] == fig.fills[4] != fig.fills[1]  # one colour per shared weight
    assert fig.fills[2] == fig.fills[3] == "#f4f4f4"
    assert fig.legend == ["<weight>", "0 = K[0]", "1 = K[1]"]  # numbered: the cells say which
    assert fig.texts == ["0", "1", "", "", "0", "1"]
    assert "<weight>: K[1]\n<value>: 3" in fig.tips[1]


def test_shared_weights_give_a_3x3_kernels_nine_taps_nine_colours():
    """fc_conv's default (a 3 x 3 kernel on a 4 x 4 input): K[0,0,0,0] and K[0,0,2,2] once
    shared a colour (nine taps, an eight-colour palette)."""
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=3, bias=False)
    u = convlab.unrolled(kwargs, (1, 4, 4), 0, "cpu")
    names = [f"K[{','.join(map(str, i))}]" for i in np.ndindex(*u.weight_shape)]
    fig = one(grids.shared_weights(u.index, u.matrix, names, "U", WORDS))
    colour = {}
    for k, fill in zip(u.index.ravel(), fig.fills, strict=True):
        if k >= 0:
            colour.setdefault(int(k), set()).add(fill)
    assert all(len(fills) == 1 for fills in colour.values())  # a weight keeps its colour
    assert len(colour) == 9 and len({f for (f,) in colour.values()}) == 9
    assert colour[0] != colour[8]  # K[0,0,0,0] vs K[0,0,2,2]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 80))
def test_shared_weights_colour_every_weight_apart_and_say_so_past_the_limit(n):
    """n weights along a diagonal band: n different colours; past DISTINCT_UP_TO a note."""
    index = np.full((n, n + 2), -1)
    for r in range(n):
        index[r, r:r + 3] = (np.arange(3) + r) % n
    names = [f"K[{k}]" for k in range(n)]
    fig = one(grids.shared_weights(index, np.where(index >= 0, 1.0, 0.0), names, "U", WORDS,
                                   crowded="<crowded>"))
    fills = {int(k): f for k, f in zip(index.ravel(), fig.fills, strict=True) if k >= 0}
    assert len(set(fills.values())) == len(fills) == n
    assert ("<crowded>" in fig.legend) == (n > grids.DISTINCT_UP_TO)


def test_page_lays_out_rows_of_figures():
    a, b = (grids.heatmap(np.eye(2), t, WORDS) for t in ("A", "B"))
    html = grids.page([a, b], [a])
    assert html.startswith(grids.STYLE)
    assert [f.title for f in figures(html)] == ["A", "B", "A"]
    assert html.count('class="clg-row"') == 2


@pytest.mark.parametrize("bound", [0.0, 1e-12])
def test_diverging_never_divides_by_zero(bound):
    assert grids.diverging(np.array([0.0, 1.0]), bound)[0] == grids.BLUE_ORANGE[5]
