"""convlab.pooling against PyTorch: output sizes, values, winning cells, refusals and the
max-pool backward, on drawn configurations; d2l 7.5's numbers as golden examples."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn

import convlab
from convlab import ConvConfigError

FAST = settings(deadline=None, max_examples=60)
sizes = st.integers(1, 8)
kernels = st.tuples(st.integers(0, 4), st.integers(0, 4))
strides = st.one_of(st.none(), st.tuples(st.integers(0, 4), st.integers(0, 4)))
pads = st.tuples(st.integers(-1, 3), st.integers(-1, 3))
dilations = st.tuples(st.integers(0, 3), st.integers(0, 3))


def _input(draw: st.DrawFn, h: int, w: int) -> torch.Tensor:
    """Small whole numbers (ties included: which tied cell wins is part of the check)."""
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    seed = draw(st.integers(0, 10_000))
    g = torch.Generator().manual_seed(seed)
    return torch.randint(-3, 4, (n, c, h, w), generator=g).double()


def _torch(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs), None
    except RuntimeError as err:
        return None, err


# ---- the shape law: same size, refused exactly where PyTorch refuses ----------------------------

@FAST
@given(h=sizes, w=sizes, k=kernels, s=strides, p=pads, d=dilations, ceil=st.booleans())
def test_output_size_and_refusals_match_max_pool2d(h, w, k, s, p, d, ceil):
    x = torch.zeros(1, 1, h, w)
    out, err = _torch(F.max_pool2d, x, k, s, p, d, ceil_mode=ceil)
    if err is not None:
        with pytest.raises(ConvConfigError) as ours:
            convlab.pool2d_output_size((h, w), k, s, p, d, ceil)
        assert ours.value.suggestion  # the nearest valid setting is named
        return
    assert convlab.pool2d_output_size((h, w), k, s, p, d, ceil) == tuple(out.shape[-2:])


@FAST
@given(h=sizes, w=sizes, k=kernels, s=strides, p=pads, ceil=st.booleans(), cip=st.booleans(),
       div=st.one_of(st.none(), st.integers(-2, 3)))
def test_avg_pool2d_refuses_exactly_where_pytorch_does(h, w, k, s, p, ceil, cip, div):
    x = torch.zeros(1, 1, h, w)
    kw = {"kernel_size": k, "stride": s, "padding": p, "ceil_mode": ceil,
          "count_include_pad": cip, "divisor_override": div}
    out, err = _torch(F.avg_pool2d, x, **kw)
    if err is not None:
        with pytest.raises(ConvConfigError):
            convlab.avg_pool2d(x, **kw)
        return
    assert convlab.avg_pool2d(x, **kw).shape == out.shape


@FAST
@given(h=sizes, w=sizes, k=kernels, s=strides, p=pads, d=dilations, ceil=st.booleans())
def test_the_suggested_setting_is_accepted_by_pytorch(h, w, k, s, p, d, ceil):
    args = {"kernel_size": k, "stride": s, "padding": p, "dilation": d}
    for _ in range(8):  # each fix may reveal the next refusal, never loops
        try:
            convlab.pool2d_output_size((h, w), ceil_mode=ceil, **args)
            break
        except ConvConfigError as err:
            assert err.suggestion
            args.update(err.suggestion)
    else:
        pytest.fail(f"no valid setting reached from {k, s, p, d}")
    F.max_pool2d(torch.zeros(1, 1, h, w), ceil_mode=ceil, **args)  # PyTorch runs it


# ---- values --------------------------------------------------------------------------------------

@st.composite
def max_cases(draw: st.DrawFn):
    h, w = draw(sizes), draw(sizes)
    k = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    p = tuple(draw(st.integers(0, ki // 2)) for ki in k)
    s = draw(st.one_of(st.none(), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    d = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    return _input(draw, h, w), {"kernel_size": k, "stride": s, "padding": p, "dilation": d,
                                "ceil_mode": draw(st.booleans())}


@FAST
@given(case=max_cases())
def test_max_pool2d_values_and_indices_match_pytorch(case):
    X, kw = case
    ref, err = _torch(F.max_pool2d, X, return_indices=True, **kw)
    if err is not None:
        with pytest.raises(ConvConfigError):
            convlab.max_pool2d(X, **kw)
        return
    Y, idx = convlab.max_pool2d(X, return_indices=True, **kw)
    torch.testing.assert_close(Y, ref[0])
    torch.testing.assert_close(idx, ref[1])  # the first maximum in reading order wins ties


@FAST
@given(case=max_cases())
def test_max_pool2d_backward_routes_to_the_winner_as_autograd_does(case):
    X, kw = case
    if _torch(F.max_pool2d, X, **kw)[1] is not None:
        return
    _, idx = convlab.max_pool2d(X, return_indices=True, **kw)
    # A dilated window can read padding alone (-inf, its index past the plane): PyTorch's
    # CPU backward then writes its gradient outside the input's memory (it corrupts the
    # process: never call it there). Not a lesson.
    assume(bool(((idx >= 0) & (idx < X.shape[-2] * X.shape[-1])).all()))
    leaf = X.clone().requires_grad_(True)
    out = F.max_pool2d(leaf, **kw)
    g = torch.randn(out.shape, dtype=out.dtype, generator=torch.Generator().manual_seed(0))
    out.backward(g)
    torch.testing.assert_close(convlab.max_pool2d_backward(g, idx, X.shape[-2:]), leaf.grad)


@FAST
@given(case=max_cases(), cip=st.booleans(),
       div=st.one_of(st.none(), st.integers(-3, 6)))
def test_avg_pool2d_matches_pytorch(case, cip, div):
    X, kw = case
    kw = {k: v for k, v in kw.items() if k != "dilation"}  # avg_pool2d has none
    kw.update(count_include_pad=cip, divisor_override=div)
    ref, err = _torch(F.avg_pool2d, X, **kw)
    if err is not None:
        with pytest.raises(ConvConfigError):
            convlab.avg_pool2d(X, **kw)
        return
    torch.testing.assert_close(convlab.avg_pool2d(X, **kw), ref)


def test_count_include_pad_and_divisor_override_change_only_the_divisor():
    X = torch.arange(16.0).reshape(1, 1, 4, 4)
    win = convlab.pool_windows(4, 3, stride=2, padding=1)
    assert convlab.pool_divisors(win, True).tolist() == [[9, 9], [9, 9]]
    assert convlab.pool_divisors(win, False).tolist() == [[4, 6], [6, 9]]
    for cip, div in ((True, None), (False, None), (True, 5), (False, -2)):
        torch.testing.assert_close(
            convlab.avg_pool2d(X, 3, 2, 1, count_include_pad=cip, divisor_override=div),
            F.avg_pool2d(X, 3, 2, 1, count_include_pad=cip, divisor_override=div))


def test_an_added_ceil_window_never_counts_the_cells_past_the_padding():
    X = torch.arange(25.0).reshape(1, 1, 5, 5)
    win = convlab.pool_windows(5, 2, ceil_mode=True)
    assert win.axes[0].extra == "added" and win.taps.padded_shape == (6, 6)
    assert convlab.pool_divisors(win).tolist()[-1] == [2, 2, 1]
    torch.testing.assert_close(convlab.avg_pool2d(X, 2, ceil_mode=True),
                               F.avg_pool2d(X, 2, ceil_mode=True))


# ---- adaptive pooling ----------------------------------------------------------------------------

@FAST
@given(n=st.integers(1, 12), out=st.integers(1, 12))
def test_adaptive_bins_average_to_adaptive_avg_pool1d(n, out):
    x = torch.randn(1, 1, n, dtype=torch.float64, generator=torch.Generator().manual_seed(n))
    bins = convlab.adaptive_pool_bins(n, out)
    assert len(bins) == out and bins[0][0] == 0 and bins[-1][1] == n
    ours = torch.stack([x[..., s:e].mean(-1) for s, e in bins], -1)
    torch.testing.assert_close(ours, F.adaptive_avg_pool1d(x, out))


@FAST
@given(h=st.integers(1, 9), w=st.integers(1, 9), oh=st.integers(1, 6), ow=st.integers(1, 6),
       seed=st.integers(0, 1000))
def test_adaptive_pooling_matches_the_modules(h, w, oh, ow, seed):
    X = torch.randint(-3, 4, (2, h, w), generator=torch.Generator().manual_seed(seed)).double()
    torch.testing.assert_close(convlab.adaptive_avg_pool2d(X, (oh, ow)),
                               nn.AdaptiveAvgPool2d((oh, ow))(X))
    Y, idx = convlab.adaptive_max_pool2d(X, (oh, ow), return_indices=True)
    ref, ref_idx = nn.AdaptiveMaxPool2d((oh, ow), return_indices=True)(X)
    torch.testing.assert_close(Y, ref)
    torch.testing.assert_close(idx, ref_idx)


def test_adaptive_bins_overlap_and_global_pooling():
    assert convlab.adaptive_pool_bins(7, 3) == [(0, 3), (2, 5), (4, 7)]  # cells 2 and 4 twice
    assert convlab.adaptive_pool_bins(5, 3) == [(0, 2), (1, 4), (3, 5)]
    assert convlab.adaptive_pool_bins(3, 5) == [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    X = torch.arange(32.0).reshape(2, 4, 4)
    torch.testing.assert_close(convlab.adaptive_avg_pool2d(X, 1), X.mean((-2, -1),
                                                                         keepdim=True))
    with pytest.raises(ConvConfigError, match="greater than or equal to 0"):
        convlab.adaptive_pool_bins(4, -1)
    with pytest.raises(RuntimeError, match="greater than or equal to 0"):
        F.adaptive_avg_pool2d(X, -1)


# ---- refusals worded like PyTorch's --------------------------------------------------------------

@pytest.mark.parametrize(("args", "parameter", "words", "fix"), [
    ({"kernel_size": 3, "padding": 2}, "padding", "half of kernel size", {"padding": 1}),
    ({"kernel_size": 5}, "kernel_size", "Output size is too small",
     {"kernel_size": 4, "padding": 0}),
    ({"kernel_size": 2, "stride": 0}, "stride", "stride should not be zero", {"stride": 1}),
    ({"kernel_size": 0, "stride": 1}, "kernel_size", "kernel size should be greater than zero",
     {"kernel_size": 1}),
    ({"kernel_size": 2, "padding": -1}, "padding", "pad must be non-negative", {"padding": 0}),
    ({"kernel_size": 2, "dilation": 0}, "dilation", "dilation should be greater than zero",
     {"dilation": 1}),
], ids=["pad_over_half", "empty_output", "zero_stride", "zero_kernel", "negative_pad",
        "zero_dilation"])
def test_refusals_name_parameter_reason_and_fix(args, parameter, words, fix):
    with pytest.raises(ConvConfigError) as err:
        convlab.pool2d_output_size(4, **args)
    assert err.value.parameter == parameter and words in err.value.reason
    assert err.value.suggestion == fix
    with pytest.raises(RuntimeError):
        F.max_pool2d(torch.zeros(1, 1, 4, 4), **args)


def test_divisor_zero_is_refused_as_pytorch_refuses_it():
    X = torch.zeros(1, 4, 4)
    with pytest.raises(ConvConfigError, match="divisor must be not zero"):
        convlab.avg_pool2d(X, 2, divisor_override=0)
    oracle = convlab.LayerOracle.of("AvgPool2d", {"kernel_size": 2, "divisor_override": 0},
                                    (1, 1, 4, 4))
    assert "divisor must be not zero" in oracle.verdict().error


# ---- d2l 7.5, exactly ----------------------------------------------------------------------------

X9 = torch.arange(9.0).reshape(1, 3, 3)
X16 = torch.arange(16.0).reshape(1, 4, 4)
GOLDEN = [
    ("d2l_max", X9, "max", {"kernel_size": 2, "stride": 1}, [[[4, 5], [7, 8]]]),
    ("d2l_avg", X9, "avg", {"kernel_size": 2, "stride": 1}, [[[2, 3], [5, 6]]]),
    ("d2l_k3", X16, "max", {"kernel_size": 3}, [[[10]]]),
    ("d2l_k3p1s2", X16, "max", {"kernel_size": 3, "padding": 1, "stride": 2},
     [[[5, 7], [13, 15]]]),
    ("d2l_rect", X16, "max", {"kernel_size": (2, 3), "stride": (2, 3), "padding": (0, 1)},
     [[[5, 7], [13, 15]]]),
    ("d2l_two", torch.cat([X16, X16 + 1]), "max", {"kernel_size": 3, "padding": 1, "stride": 2},
     [[[5, 7], [13, 15]], [[6, 8], [14, 16]]]),
    ("ceil_added", X16, "max", {"kernel_size": 3, "stride": 2, "ceil_mode": True},
     [[[10, 11], [14, 15]]]),
    ("ceil_dropped", X16, "max", {"kernel_size": 2, "stride": 3, "padding": 1,
                                  "ceil_mode": True}, [[[0, 3], [12, 15]]]),
    ("adaptive_7to3", torch.arange(49.0).reshape(1, 7, 7), "adaptive_avg", {"output_size": 3},
     [[[8, 10, 12], [22, 24, 26], [36, 38, 40]]]),
    ("global_avg", X16, "adaptive_avg", {"output_size": 1}, [[[7.5]]]),
]


@pytest.mark.parametrize(("X", "kind", "kwargs", "expected"), [g[1:] for g in GOLDEN],
                         ids=[g[0] for g in GOLDEN])
def test_d2l_presets(X, kind, kwargs, expected):
    result = convlab.run_pool(X, kind, kwargs)
    assert result.Y.tolist() == expected
    assert all(c.passed for c in result.checks) and result.checks


def test_ceil_mode_adds_one_window_and_drops_another():
    added = convlab.explain_pool2d(4, 3, stride=2, ceil_mode=True)[0]
    assert (added.floor_output, added.output, added.extra, added.overflow) == (1, 2, "added", 1)
    dropped = convlab.explain_pool2d(4, 2, stride=3, padding=1, ceil_mode=True)[0]
    assert (dropped.rounded_up, dropped.output, dropped.extra) == (3, 2, "dropped")
    assert dropped.ceil_start == 6 >= dropped.size + dropped.padding  # starts in the padding


def test_the_reproduce_script_prints_the_numbers():
    X = torch.cat([X16, X16 + 1])
    code = convlab.pool_script(X, "max", {"kernel_size": 3, "padding": 1, "stride": 2})
    ns: dict = {}
    exec(compile(code, "<pool>", "exec"), ns)  # noqa: S102
    assert ns["Y"].tolist() == [[[5, 7], [13, 15]], [[6, 8], [14, 16]]]
    assert ns["X"].grad.sum() == 8  # every output's gradient lands on one cell


def test_a_window_of_padding_alone_never_reaches_pytorchs_backward():
    """MaxPool2d(2, padding=1, dilation=2) on a 1x1 input: the only window reads padding
    alone, its index lies past the plane, and PyTorch's CPU backward would write outside
    the input (corrupting the server). The lesson still answers, without that check."""
    X = torch.ones(1, 1, 1)
    kw = {"kernel_size": 2, "padding": 1, "dilation": 2, "stride": 1}
    _, idx = convlab.max_pool2d(X, return_indices=True, **kw)
    assert not bool(((idx >= 0) & (idx < 1)).all())  # the case this guards
    result = convlab.run_pool(X, "max", kw)
    assert "pool_backward" not in [c.what for c in result.checks]
    assert all(c.passed for c in result.checks)
