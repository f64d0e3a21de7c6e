"""convlab's tap map against PyTorch: ``F.unfold`` for which cells each window reads,
``nn.Conv2d`` (with its own padding modes) for what the taps add up to."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _conv_oracle import as_pair
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import int_or_pair
from torch import nn

import convlab
from convlab.windows import TapMap

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")
TAPS = settings(max_examples=60, deadline=None)
MODES = ("zeros", "reflect", "replicate", "circular")



@st.composite
def layers(draw: st.DrawFn) -> dict[str, Any]:
    """Kernel, dilation, padding, stride and padding mode first, then an input size the
    layer accepts (reflect needs padding < size, circular padding <= size)."""
    kernel = as_pair(draw(int_or_pair(st.integers(1, 4))))
    dilation = as_pair(draw(int_or_pair(st.integers(1, 3))))
    padding = draw(st.one_of(int_or_pair(st.integers(0, 3)), st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(int_or_pair(st.integers(1, 3)))
    mode = draw(st.sampled_from(MODES))
    pads = _pads(padding, kernel, dilation)
    size = []
    for axis in range(2):
        before, after = pads[axis]
        low = max(1, dilation[axis] * (kernel[axis] - 1) + 1 - before - after)
        if mode == "reflect":
            low = max(low, before + 1, after + 1)
        elif mode == "circular":
            low = max(low, before, after)
        size.append(draw(st.integers(low, low + 5)))
    return dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation,
                padding_mode=mode, size=tuple(size))


def _pads(padding: Any, kernel: tuple[int, int],
          dilation: tuple[int, int]) -> list[tuple[int, int]]:
    """Cells added before and after on each axis, as PyTorch documents them."""
    if padding == "valid":
        return [(0, 0), (0, 0)]
    if padding == "same":  # the odd cell goes after
        totals = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        return [(t // 2, t - t // 2) for t in totals]
    p = as_pair(padding)
    return [(p[0], p[0]), (p[1], p[1])]


def _taps(cfg: dict[str, Any]) -> TapMap:
    kwargs = {k: v for k, v in cfg.items() if k != "size"}
    return convlab.tap_map(convlab.Conv2dSpec(1, 1, bias=False, **kwargs), cfg["size"])


def _unfold(grid: torch.Tensor, cfg: dict[str, Any]) -> np.ndarray:
    """``F.unfold`` of one ``(Hp, Wp)`` grid: ``(L, kh * kw)``, one row per output cell."""
    cols = F.unfold(grid[None, None].double(), cfg["kernel_size"], dilation=cfg["dilation"],
                    stride=cfg["stride"])  # (1, kh*kw, L)
    return cols[0].T.round().long().numpy()


@TAPS
@given(layers())
def test_windows_read_what_unfold_reads(cfg: dict[str, Any]) -> None:
    """Each output cell's taps, in kernel order, are the padded cells ``F.unfold`` puts in
    its column; the output and padded shapes are PyTorch's."""
    taps = _taps(cfg)
    (top, bottom), (left, right) = _pads(cfg["padding"], cfg["kernel_size"], cfg["dilation"])
    h, w = cfg["size"]
    hp, wp = h + top + bottom, w + left + right
    assert taps.padded_shape == (hp, wp)
    assert taps.box == (top, left, h, w)
    numbered = torch.arange(hp * wp).reshape(hp, wp)
    expected = _unfold(numbered, cfg)  # (L, kh*kw) padded cell numbers
    n = taps.taps_per_output
    assert expected.shape == (taps.out_shape[0] * taps.out_shape[1], n)
    np.testing.assert_array_equal(taps.cell.reshape(-1, n), expected)
    np.testing.assert_array_equal(taps.out, np.repeat(np.arange(expected.shape[0]), n))
    np.testing.assert_array_equal(taps.tap.reshape(-1, n),
                                  np.tile(np.arange(n), (len(expected), 1)))
    module = nn.Conv2d(1, 1, bias=False, **{k: v for k, v in cfg.items() if k != "size"})
    assert tuple(module(torch.zeros(1, 1, h, w)).shape[-2:]) == taps.out_shape


@TAPS
@given(layers())
def test_sources_are_what_the_padding_mode_copies(cfg: dict[str, Any]) -> None:
    """Through its padded cell, each tap reads the real input cell that ``F.pad`` with the
    layer's mode puts there (-1 for a zero)."""
    taps = _taps(cfg)
    (top, bottom), (left, right) = _pads(cfg["padding"], cfg["kernel_size"], cfg["dilation"])
    h, w = cfg["size"]
    numbered = torch.arange(1.0, h * w + 1).reshape(1, 1, h, w)
    mode = "constant" if cfg["padding_mode"] == "zeros" else cfg["padding_mode"]
    padded = F.pad(numbered, (left, right, top, bottom), mode=mode)[0, 0]
    expected = _unfold(padded, cfg) - 1
    np.testing.assert_array_equal(taps.source[taps.cell].reshape(expected.shape), expected)


@TAPS
@given(layers(), st.integers(0, 2**31 - 1))
def test_taps_add_up_to_nn_conv2d(cfg: dict[str, Any], seed: int) -> None:
    """Summing ``X[source] * K[tap]`` over each output cell's taps is ``nn.Conv2d``'s output
    with its own padding mode."""
    taps = _taps(cfg)
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(*cfg["size"], generator=gen, dtype=torch.float64)
    module = nn.Conv2d(1, 1, bias=False, dtype=torch.float64,
                       **{k: v for k, v in cfg.items() if k != "size"})
    K = module.weight.detach()[0, 0]
    src = torch.from_numpy(taps.source[taps.cell])
    read = torch.where(src >= 0, X.ravel()[src.clamp(min=0)], torch.zeros((), dtype=X.dtype))
    products = read * K.ravel()[torch.from_numpy(taps.tap)]
    Y = torch.zeros(taps.out_shape[0] * taps.out_shape[1], dtype=X.dtype)
    Y.index_add_(0, torch.from_numpy(taps.out), products)
    with torch.no_grad():
        expected = module(X[None, None])[0, 0]
    torch.testing.assert_close(Y.reshape(taps.out_shape), expected)


@TAPS
@given(layers())
def test_both_readings_are_the_same_taps(cfg: dict[str, Any]) -> None:
    """Read by padded cell, the taps are a permutation of the same taps: each cell's slice
    holds exactly the taps that read it, in output order; its length is convlab's coverage."""
    taps = _taps(cfg)
    assert sorted(taps.by_cell.tolist()) == list(range(taps.out.size))
    hp, wp = taps.padded_shape
    assert taps.cell_ptr[0] == 0 and taps.cell_ptr[-1] == taps.out.size
    for p in range(hp * wp):
        mine = taps.by_cell[taps.cell_ptr[p]:taps.cell_ptr[p + 1]]
        np.testing.assert_array_equal(mine, np.flatnonzero(taps.cell == p))
    spec = {k: v for k, v in cfg.items() if k not in ("size", "padding_mode")}
    coverage = convlab.window_coverage(cfg["size"], **spec)
    np.testing.assert_array_equal(np.diff(taps.cell_ptr).reshape(hp, wp), coverage)


@TAPS
@given(layers(), st.data())
def test_reads_and_readers_answer_each_other(cfg: dict[str, Any], data: st.DataObject) -> None:
    """Every cell output (i, j) reads lists (i, j) among its readers, through the same tap."""
    taps = _taps(cfg)
    i = data.draw(st.integers(0, taps.out_shape[0] - 1))
    j = data.draw(st.integers(0, taps.out_shape[1] - 1))
    cells, kernel = taps.reads(i, j)
    for (r, c), ab in zip(cells.tolist(), kernel.tolist(), strict=True):
        outs, through = taps.readers(r, c)
        assert [i, j, *ab] in np.concatenate([outs, through], axis=1).tolist()


def test_notes_example_golden() -> None:
    """The study notes' (1, 1, 4, 4) input and 3 x 3 kernel: output (1, 1) reads rows and
    columns 1..3; input cell (0, 0) is read only by output (0, 0), through tap (0, 0)."""
    taps = convlab.tap_map(convlab.Conv2dSpec(1, 1, 3), (4, 4))
    cells, _ = taps.reads(1, 1)
    assert cells.tolist() == [[r, c] for r in (1, 2, 3) for c in (1, 2, 3)]
    outs, kernel = taps.readers(0, 0)
    assert outs.tolist() == [[0, 0]] and kernel.tolist() == [[0, 0]]
    assert taps.source.tolist() == list(range(16))


def test_refuses_like_the_layer() -> None:
    """A reflect padding as wide as the input is refused, naming the padding."""
    with pytest.raises(convlab.ConvConfigError, match="reflect"):
        convlab.tap_map(convlab.Conv2dSpec(1, 1, 3, padding=2, padding_mode="reflect"), (2, 5))


@TAPS
@given(layers())
def test_axes_multiply_out_to_the_map(cfg: dict[str, Any]) -> None:
    """The 2-D taps are the product of the two axis maps, read either way: output (i, j)'s
    tap (a, b) reads (rows[i, a], cols[j, b]), and a padded cell's readers are the product
    of its row's and its column's readers, in output order."""
    taps = _taps(cfg)
    rows, cols = taps.axes
    (ho, wo), (kh, kw), wp = taps.out_shape, taps.kernel_size, taps.padded_shape[1]
    cell = (rows.index[:, None, :, None] * wp + cols.index[None, :, None, :])  # (Ho, Wo, kh, kw)
    np.testing.assert_array_equal(cell.ravel(), taps.cell)
    for p in range(taps.padded_shape[0] * wp):
        r, c = divmod(p, wp)
        xs = rows.by_cell[rows.cell_ptr[r]:rows.cell_ptr[r + 1]]
        ys = cols.by_cell[cols.cell_ptr[c]:cols.cell_ptr[c + 1]]
        product = [(x // kh * wo + y // kw) * kh * kw + (x % kh) * kw + y % kw
                   for x in xs for y in ys]
        assert product == taps.by_cell[taps.cell_ptr[p]:taps.cell_ptr[p + 1]].tolist()
    assert rows.index.shape == (ho, kh) and cols.index.shape == (wo, kw)

