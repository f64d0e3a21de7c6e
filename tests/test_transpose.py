"""Transposed convolution against PyTorch: the size law (equal sizes, the same refusals),
three computations and the autograd identity equal to ``F.conv_transpose2d`` at generated
shapes, the inverse questions, the scatter map as the convolution's window map read the
other way, the overlap count, and the golden numbers (the conv-arithmetic guide's
transposed-convolution relationships and figures, DCGAN, U-Net, the round trip)."""

from __future__ import annotations

import contextlib
import io
import math
import warnings
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
from convlab import ConvConfigError
from convlab.transpose import (
    TRANSPOSE_FORMS,
    ConvTranspose2dSpec,
    conv2d_input_sizes,
    conv_transpose2d_output_size,
    conv_transpose2d_script,
    direct_picture,
    explain_transpose_size,
    output_padding_for,
    overlap_count,
    resize_conv,
    round_trip,
    scatter_map,
    transpose_checks,
    transpose_size_slips,
)

SIZE_LAW = settings(max_examples=250, deadline=None)
TENSOR_LAW = settings(max_examples=60, deadline=None)


def torch_transpose(kwargs: dict[str, Any], input_shape: tuple[int, ...],
                    output_size: Any = None) -> tuple[int, ...] | None:
    """The real ``nn.ConvTranspose2d`` on zeros: its output shape, or ``None`` if refused.

    In float64, PyTorch's reference kernels: in float32 the oneDNN path returns an empty
    output for some configurations whose output size is 0 (k=4, s=4 on a 2 x 2 input with
    padding 5, output_padding 2), which every other path refuses.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            layer = nn.ConvTranspose2d(**kwargs, dtype=torch.float64)
            x = torch.zeros(input_shape, dtype=torch.float64)
            with torch.no_grad():
                return tuple(layer(x, output_size=output_size).shape)
        except Exception:  # PyTorch's refusal is the data here
            return None


# ---- the size law -----------------------------------------------------------------------
@st.composite
def any_transpose(draw: st.DrawFn) -> dict[str, Any]:
    """Drawn freely, so that many are invalid."""
    return dict(input_size=draw(int_or_pair(st.integers(0, 6))),
                kernel_size=draw(int_or_pair(st.integers(-1, 5))),
                stride=draw(int_or_pair(st.integers(-1, 4))),
                padding=draw(int_or_pair(st.integers(-1, 5))),
                output_padding=draw(int_or_pair(st.integers(-1, 3))),
                dilation=draw(int_or_pair(st.integers(0, 3))))


@SIZE_LAW
@given(any_transpose())
def test_output_size_equals_torch_and_refuses_exactly_what_it_refuses(c: dict[str, Any]):
    h, w = as_pair(c["input_size"])
    kwargs = {k: v for k, v in c.items() if k != "input_size"}
    shape = torch_transpose(dict(in_channels=1, out_channels=1, bias=False, **kwargs),
                            (1, 1, h, w))
    try:
        ours = conv_transpose2d_output_size(**c)
    except ConvConfigError as err:
        assert shape is None, (c, shape, str(err))
        # the nearest valid setting clears this refusal (another setting may still be bad)
        assert err.suggestion, str(err)
        name, value = next(iter(err.suggestion.items()))
        with contextlib.suppress(ConvConfigError):
            conv_transpose2d_output_size(**{**c, name: value})
            return
        with pytest.raises(ConvConfigError) as again:
            conv_transpose2d_output_size(**{**c, name: value})
        assert again.value.parameter != err.parameter or again.value.value != err.value, c
        return
    assert shape is not None and shape[2:] == ours, (c, shape, ours)


@pytest.mark.parametrize("kwargs, parameter", [
    ({"padding_mode": "reflect"}, "padding_mode"),
    ({"padding": "same"}, "padding"),
    ({"groups": 2, "in_channels": 2, "out_channels": 3}, "groups"),
    ({"groups": 0}, "groups"),
    ({"out_channels": 0}, "out_channels"),
    ({"stride": 2, "output_padding": 2}, "output_padding"),
    ({"stride": 0}, "stride"),
])
def test_spec_refuses_what_the_layer_refuses(kwargs: dict[str, Any], parameter: str):
    full = {"in_channels": 1, "out_channels": 1, "kernel_size": 3, **kwargs}
    assert torch_transpose(full, (1, full["in_channels"], 4, 4)) is None
    with pytest.raises(ConvConfigError) as info:
        ConvTranspose2dSpec(**full)
    assert info.value.parameter == parameter
    assert info.value.suggestion  # and it is valid:
    fixed = {**full, **info.value.suggestion}
    ConvTranspose2dSpec(**fixed)


def test_output_padding_may_reach_the_dilation():
    """output_padding must be smaller than the stride *or* the dilation (PyTorch's rule)."""
    assert conv_transpose2d_output_size(4, 3, stride=1, output_padding=1, dilation=2) == (9, 9)
    assert torch_transpose(dict(in_channels=1, out_channels=1, kernel_size=3, output_padding=1,
                                dilation=2), (1, 1, 4, 4)) == (1, 1, 9, 9)


@pytest.mark.parametrize("groups, cin, cout", [(1, 3, 5), (2, 4, 6), (3, 3, 3)])
def test_spec_shapes_and_counts_equal_the_module(groups: int, cin: int, cout: int):
    spec = ConvTranspose2dSpec(cin, cout, (3, 2), stride=2, padding=1, output_padding=1,
                               groups=groups)
    layer = spec.to_module()
    assert tuple(layer.weight.shape) == spec.weight_shape == (cin, cout // groups, 3, 2)
    assert spec.num_parameters == sum(p.numel() for p in layer.parameters())
    x = torch.randn(2, cin, 4, 5)
    assert tuple(layer(x).shape) == spec.output_shape(tuple(x.shape))
    # every input value meets its group's C_out/g kernels of kh*kw weights
    assert spec.macs(tuple(x.shape)) == x.numel() * (cout // groups) * 6
    code_layer = eval(spec.to_code(), {"nn": nn})  # noqa: S307
    assert code_layer.kernel_size == layer.kernel_size and code_layer.groups == groups
    assert spec.conv2d.weight_shape == spec.weight_shape  # the conv it transposes


# ---- three computations and the autograd identity --------------------------------------------
@st.composite
def transpose_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Kernel, stride, dilation, padding first, then output_padding and an input size the
    output is positive for; channels divisible by groups."""
    k = as_pair(draw(int_or_pair(st.integers(1, 4))))
    s = as_pair(draw(int_or_pair(st.integers(1, 3))))
    d = as_pair(draw(int_or_pair(st.integers(1, 2))))
    p = as_pair(draw(int_or_pair(st.integers(0, 3))))
    op = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d, strict=True))
    sizes = []
    for ki, si, di, pi, oi in zip(k, s, d, p, op, strict=True):
        # (H - 1) s - 2p + d (k - 1) + op + 1 >= 1
        least = max(1, 1 + math.ceil(max(0, 2 * pi - di * (ki - 1) - oi) / si))
        sizes.append(draw(st.integers(least, least + 3)))
    groups = draw(st.sampled_from([1, 2]))
    return dict(N=draw(st.integers(1, 2)), cin=groups * draw(st.integers(1, 2)),
                cout=groups * draw(st.integers(1, 2)), groups=groups, size=tuple(sizes),
                kernel_size=k, stride=s, padding=p, output_padding=op, dilation=d,
                bias=draw(st.booleans()))


@TENSOR_LAW
@given(transpose_cases(), st.sampled_from(sorted(TRANSPOSE_FORMS)))
def test_every_form_equals_f_conv_transpose2d(c: dict[str, Any], form: str):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(c["N"], c["cin"], *c["size"], generator=g, dtype=torch.float64)
    K = torch.randn(c["cin"], c["cout"] // c["groups"], *c["kernel_size"], generator=g,
                    dtype=torch.float64)
    b = torch.randn(c["cout"], generator=g, dtype=torch.float64) if c["bias"] else None
    settings_ = dict(stride=c["stride"], padding=c["padding"],
                     output_padding=c["output_padding"], groups=c["groups"],
                     dilation=c["dilation"])
    expected = F.conv_transpose2d(X, K, b, **settings_)
    torch.testing.assert_close(TRANSPOSE_FORMS[form](X, K, b, **settings_), expected)


@TENSOR_LAW
@given(transpose_cases())
def test_the_checks_pass_and_the_overlap_count_is_a_transposed_conv_of_ones(c: dict[str, Any]):
    spec = ConvTranspose2dSpec(c["cin"], c["cout"], c["kernel_size"], c["stride"], c["padding"],
                               c["output_padding"], c["groups"], c["bias"], c["dilation"])
    results = transpose_checks(spec, (c["N"], c["cin"], *c["size"]))
    assert [r.what for r in results] == ["transpose_formula", *TRANSPOSE_FORMS, "overlap_count"]
    assert all(r.passed for r in results), [r for r in results if not r.passed]
    ones = F.conv_transpose2d(torch.ones(1, 1, *c["size"]), torch.ones(1, 1, *c["kernel_size"]),
                              stride=c["stride"], padding=c["padding"],
                              output_padding=c["output_padding"], dilation=c["dilation"])
    counts = overlap_count(c["size"], c["kernel_size"], c["stride"], c["padding"],
                           c["output_padding"], c["dilation"])
    assert counts.tolist() == ones[0, 0].long().tolist()


def test_a_wrong_form_fails_its_check():
    """The checks can fail: a kernel left unflipped is caught."""
    X, K = torch.randn(1, 1, 3, 3), torch.randn(1, 1, 3, 3)
    wrong = F.conv2d(F.pad(X, (2, 2, 2, 2)), K)  # correlation with the kernel *unflipped*
    result = convlab.compare(wrong, F.conv_transpose2d(X, K), what="w", oracle="o")
    assert not result.passed and result.max_abs_diff > 1e-3


# ---- the scatter map: the window map read the other way --------------------------------------
@SIZE_LAW
@given(transpose_cases())
def test_scatter_map_is_the_convolutions_window_map(c: dict[str, Any]):
    m = scatter_map(c["size"], c["kernel_size"], c["stride"], c["padding"],
                    c["output_padding"], c["dilation"])
    H, W = c["size"]
    out = (m.h.output, m.w.output)
    windows = convlab.window_index_map(out, c["kernel_size"], c["stride"], c["padding"],
                                       c["dilation"])
    # Conv2d from the transposed output shape maps back to (at least) the input shape
    assert windows.shape[:2] >= (H, W)
    np.testing.assert_array_equal(m.index, windows[:H, :W])
    assert m.box == (*as_pair(c["padding"]), *out)
    if all(o < s for o, s in zip(c["output_padding"], c["stride"], strict=True)):
        coverage = convlab.window_coverage(out, c["kernel_size"], c["stride"], c["padding"],
                                           c["dilation"])
        top, left = m.box[:2]
        np.testing.assert_array_equal(m.overlap, coverage[top:top + out[0], left:left + out[1]])


@pytest.mark.parametrize("k, s, even", [(3, 2, False), (4, 2, True), (2, 2, True),
                                        (5, 3, False), (3, 3, True), (3, 1, True)])
def test_checkerboard_exactly_when_the_kernel_is_not_a_multiple_of_the_stride(k, s, even):
    counts = overlap_count(8, k, stride=s)
    interior = counts[k:-k, k:-k]  # away from the border, where stamps thin out anyway
    assert (interior.min() == interior.max()) == even, counts
    assert scatter_map(8, k, stride=s).uneven == (not even)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 3), st.integers(1, 4))
def test_pattern_is_what_torchs_overlap_counts_show(k: int, s: int, d: int, size: int):
    """The pattern's identifier against F.conv_transpose2d(ones, ones): 'even' exactly when
    every count is equal; otherwise, far from the border of a large input, the counts are
    the period counts, with zeros ('holes'), unequal ('uneven_overlap') or all equal
    ('edge_only')."""
    m = scatter_map(size, k, stride=s, dilation=d)
    ones = F.conv_transpose2d(torch.ones(1, 1, size, size), torch.ones(1, 1, k, k), stride=s,
                              dilation=d)[0, 0].long()
    assert m.overlap.tolist() == ones.tolist()
    assert (m.pattern == "even") == (ones.min() == ones.max()).item()
    big = 4 * s + 2 * d * k  # an input large enough to have an interior
    counts = F.conv_transpose2d(torch.ones(1, 1, big, big), torch.ones(1, 1, k, k), stride=s,
                                dilation=d)[0, 0].long()
    reach = d * (k - 1)
    interior = counts[reach:counts.shape[0] - reach, reach:counts.shape[1] - reach]
    assert sorted(set(interior.ravel().tolist())) == sorted(set(m.period_counts.ravel().tolist()))
    if m.pattern == "holes":
        assert interior.min() == 0
    elif m.pattern == "uneven_overlap":
        assert 0 < interior.min() < interior.max()
    elif m.pattern == "edge_only":
        assert interior.min() == interior.max() > 0


@pytest.mark.parametrize("args, pattern", [
    (dict(input_size=5, kernel_size=3, stride=2), "uneven_overlap"),  # the checkerboard
    (dict(input_size=5, kernel_size=2, stride=2, dilation=2), "holes"),  # issue 26
    (dict(input_size=2, kernel_size=4, stride=2), "edge_only"),  # 4 % 2 == 0: edges only
    (dict(input_size=2, kernel_size=4, stride=2, padding=1), "edge_only"),
    (dict(input_size=4, kernel_size=3, stride=1, dilation=2, output_padding=1), "edge_only"),
    (dict(input_size=4, kernel_size=2, stride=2), "even"),  # U-Net's up-step
])
def test_pattern_of_the_issues_cases(args: dict[str, int], pattern: str):
    assert scatter_map(**args).pattern == pattern


def test_resize_then_convolve_reads_evenly():
    r = resize_conv(4, 3, scale=2)
    ones = F.conv2d(F.interpolate(torch.ones(1, 1, 4, 4), scale_factor=2, mode="nearest"),
                    torch.ones(1, 1, 3, 3), padding="same")
    assert r.count.tolist() == ones[0, 0].long().tolist()
    assert r.count.shape == (8, 8) and set(r.count[1:-1, 1:-1].ravel().tolist()) == {9}


@SIZE_LAW
@given(transpose_cases())
def test_direct_picture_is_the_direct_form(c: dict[str, Any]):
    pic = direct_picture(c["size"], c["kernel_size"], c["stride"], c["padding"],
                         c["output_padding"], c["dilation"])
    X = torch.arange(1.0, math.prod(c["size"]) + 1, dtype=torch.float64).view(1, 1, *c["size"])
    K = torch.randn(1, 1, *c["kernel_size"], dtype=torch.float64)
    direct = F.conv2d(torch.from_numpy(pic.values)[None, None], K.flip(-2, -1),
                      dilation=c["dilation"])
    torch.testing.assert_close(direct, F.conv_transpose2d(
        X, K, stride=c["stride"], padding=c["padding"], output_padding=c["output_padding"],
        dilation=c["dilation"]))
    assert pic.index.shape[:2] == direct.shape[2:]
    shown = sorted(pic.source[pic.source >= 0].tolist())
    if min(pic.h.pad_before, pic.w.pad_before) >= 0:  # nothing cropped: every input cell
        assert shown == list(range(math.prod(c["size"])))
    assert set(shown) <= set(range(math.prod(c["size"])))


# ---- the inverse questions -------------------------------------------------------------------
@SIZE_LAW
@given(k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 3), d=st.integers(1, 2),
       o=st.integers(1, 6))
def test_conv2d_input_sizes_are_exactly_the_inputs_that_give_the_output(k, s, p, d, o):
    try:
        heights, _ = conv2d_input_sizes(o, k, s, p, d)
    except ConvConfigError as err:
        assert err.parameter == "output_size"
        assert all(convlab.conv2d_output_size((n, 1), k, s, p, d)[0] != o
                   for n in range(max(1, d * (k - 1) + 1 - 2 * p), 40))
        return
    found = [n for n in range(1, 40) if _conv_out(n, k, s, p, d) == o]
    assert list(heights) == found
    assert len(heights) == s or heights[0] == 1
    torch_sizes = [n for n in heights if nn.Conv2d(1, 1, k, s, p, d)(
        torch.zeros(1, 1, n, n)).shape[-1] == o]
    assert torch_sizes == list(heights)


def _conv_out(n: int, k: int, s: int, p: int, d: int) -> int | None:
    try:
        return convlab.conv2d_output_size(n, k, s, p, d)[0]
    except ConvConfigError:
        return None


@SIZE_LAW
@given(transpose_cases(), st.integers(-2, 4))
def test_output_padding_for_is_forwards_output_size(c: dict[str, Any], extra: int):
    base = [(n - 1) * si - 2 * pi + di * (ki - 1) + 1 for n, ki, si, pi, di in zip(
        c["size"], c["kernel_size"], c["stride"], c["padding"], c["dilation"], strict=True)]
    target = tuple(b + extra for b in base)
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=c["kernel_size"],
                  stride=c["stride"], padding=c["padding"], dilation=c["dilation"])
    shape = torch_transpose(kwargs, (1, 1, *c["size"]), output_size=list(target))
    try:
        op = output_padding_for(target, c["size"], c["kernel_size"], c["stride"], c["padding"],
                                c["dilation"])
    except ConvConfigError as err:
        assert shape is None and err.parameter == "output_size"
        return
    assert shape is not None and shape[2:] == target
    assert conv_transpose2d_output_size(c["size"], c["kernel_size"], c["stride"], c["padding"],
                                        op, c["dilation"]) == target


# ---- golden numbers --------------------------------------------------------------------------
# Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", chapter 4: each
# figure's direct convolution (i, k, s, p), the transposed input i' and output o' = i, the
# stretched input ĩ', the direct form's padding p' = k - p - 1 and the extra a.
GUIDE = [
    pytest.param(dict(i=4, k=3, s=1, p=0), 2, 2, 2, 0, id="rel8-fig4.1-no-padding-2-to-4"),
    pytest.param(dict(i=5, k=4, s=1, p=2), 6, 6, 1, 0, id="rel9-fig4.2-padding-6-to-5"),
    pytest.param(dict(i=5, k=3, s=1, p=1), 5, 5, 1, 0, id="rel10-fig4.3-half-padding-5-to-5"),
    pytest.param(dict(i=5, k=3, s=1, p=2), 7, 7, 0, 0, id="rel11-fig4.4-full-padding-7-to-5"),
    pytest.param(dict(i=5, k=3, s=2, p=0), 2, 3, 2, 0, id="rel12-fig4.5-strided-2-to-5"),
    pytest.param(dict(i=5, k=3, s=2, p=1), 3, 5, 1, 0, id="rel13-fig4.6-padded-strided-3-to-5"),
    pytest.param(dict(i=6, k=3, s=2, p=1), 3, 5, 1, 1, id="rel14-fig4.7-odd-a1-3-to-6"),
]


@pytest.mark.parametrize("conv, i_t, stretched, p_t, a", GUIDE)
def test_guide_transposed_relationships(conv: dict[str, int], i_t: int, stretched: int,
                                        p_t: int, a: int):
    i, k, s, p = conv["i"], conv["k"], conv["s"], conv["p"]
    assert convlab.conv2d_output_size(i, k, s, p) == (i_t, i_t)  # the direct convolution
    op = output_padding_for(i, i_t, k, s, p)
    assert op == (a, a) == ((i + 2 * p - k) % s,) * 2  # a = (i + 2p - k) mod s
    h, _ = explain_transpose_size(i_t, k, s, p, a)
    assert (h.stretched, h.edge, h.output) == (stretched, p_t, i)
    assert h.output == s * (i_t - 1) + a + k - 2 * p  # the guide's o'
    assert torch_transpose(dict(in_channels=1, out_channels=1, kernel_size=k, stride=s,
                                padding=p, output_padding=a), (1, 1, i_t, i_t)) == (1, 1, i, i)


DCGAN = [(1, 4, 1, 0), (4, 8, 2, 1), (8, 16, 2, 1), (16, 32, 2, 1), (32, 64, 2, 1)]


def test_dcgan_generator_1_4_8_16_32_64():
    layers, size = [], 1
    for n_in, n_out, s, p in DCGAN:
        assert size == n_in
        size = conv_transpose2d_output_size(size, 4, stride=s, padding=p)[0]
        assert size == n_out
        layers.append(nn.ConvTranspose2d(1, 1, 4, s, p, bias=False))
    with torch.no_grad():
        assert tuple(nn.Sequential(*layers)(torch.zeros(1, 1, 1, 1)).shape) == (1, 1, 64, 64)


@pytest.mark.parametrize("size", [1, 5, 16, 32])
def test_unet_up_step_k2_s2_doubles(size: int):
    assert conv_transpose2d_output_size(size, 2, stride=2) == (2 * size, 2 * size)
    assert not overlap_count(size, 2, stride=2).ravel().tolist().count(2)  # no overlaps


def test_round_trip_k3_s2_p1_7_and_8_both_give_4():
    assert convlab.conv2d_output_size(7, 3, 2, 1) == convlab.conv2d_output_size(8, 3, 2, 1)
    assert convlab.conv2d_output_size(8, 3, 2, 1) == (4, 4)
    assert conv2d_input_sizes(4, 3, 2, 1) == ((7, 8), (7, 8))
    assert conv_transpose2d_output_size(4, 3, 2, 1) == (7, 7)
    assert conv_transpose2d_output_size(4, 3, 2, 1, output_padding=1) == (8, 8)
    seven, eight = round_trip(7, 3, 2, 1), round_trip(8, 3, 2, 1)
    assert seven.returns and seven.output_padding == (0, 0)
    assert not eight.returns and eight.back == (7, 7) and eight.output_padding == (1, 1)
    layer = nn.ConvTranspose2d(1, 1, 3, 2, 1)
    assert tuple(layer(torch.zeros(1, 1, 4, 4), output_size=[8, 8]).shape) == (1, 1, 8, 8)


def test_size_slips_name_the_usual_mistakes():
    slips = transpose_size_slips(explain_transpose_size(4, 4, stride=2, padding=1))
    assert slips["conv_formula"] == (2, 2)  # Conv2d's formula shrinks 4 to 2
    assert slips["no_minus_one"] == (10, 10)
    assert "times_stride" not in slips  # 4 * 2 = 8 is right here (DCGAN)


def test_script_prints_the_shapes_and_the_zero_insertion_agrees():
    kwargs = dict(in_channels=2, out_channels=4, kernel_size=(3, 2), stride=(2, 3), padding=1,
                  output_padding=(1, 0), groups=2, bias=True, dilation=(1, 2),
                  padding_mode="zeros")
    out = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(out):
        exec(conv_transpose2d_script(kwargs, (1, 2, 3, 4)), namespace)  # noqa: S102
    printed = out.getvalue()
    spec = ConvTranspose2dSpec(**kwargs)
    assert f"output shape {spec.output_shape((1, 2, 3, 4))}" in printed
    assert f"parameters {spec.num_parameters}" in printed
    assert float(printed.rsplit("max_abs_diff", 1)[1]) < 1e-5


# ---- the page's one question ------------------------------------------------------------------
@SIZE_LAW
@given(any_transpose(), st.integers(1, 2), st.booleans())
def test_transpose_layer_is_what_torch_builds(c: dict[str, Any], cin: int, bias: bool):
    """``transpose_layer``, the page's one question to convlab: its shapes and counts are
    the real layer's, and it refuses exactly what PyTorch refuses."""
    h, w = as_pair(c["input_size"])
    kwargs = dict(in_channels=cin, out_channels=2, bias=bias,
                  **{k: v for k, v in c.items() if k != "input_size"})
    shape = torch_transpose(kwargs, (1, cin, h, w))
    try:
        layer = convlab.transpose_layer(kwargs, (1, cin, h, w))
    except ConvConfigError:
        assert shape is None, c
        return
    assert layer.output_shape == shape, (c, shape)
    module = nn.ConvTranspose2d(**kwargs)
    assert layer.weight_shape == tuple(module.weight.shape)
    assert layer.parameters == sum(p.numel() for p in module.parameters())
    assert layer.macs == cin * h * w * math.prod(module.weight.shape[1:])
    assert layer.slips() == convlab.transpose_size_slips(layer.axes)
