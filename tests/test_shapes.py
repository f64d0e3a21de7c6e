"""The shape law: convlab's output size is the size ``nn.Conv2d`` produces, and convlab
refuses exactly the configurations PyTorch refuses, at the same stage.

Also: every refusal names its parameter and suggests a setting that really is valid;
``'same'`` padding is split as PyTorch splits it; the window index map is ``F.unfold``;
and the metamorphic laws of stride and padding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _conv_oracle import as_pair, torch_output_hw
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import int_or_pair

from convlab import (
    ConvConfigError,
    applied_padding,
    conv2d_output_size,
    corr2d_multi_in_out,
    explain_output_size,
    window_coverage,
    window_index_map,
)

# F.conv2d's note that padding='same' with an even kernel copies the input: expected here
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

# Shape-only examples run a one-channel nn.Conv2d on a zeros input of at most ~16 x 16
# cells, so they are cheap: thousands of configurations in a few seconds.
SHAPE_LAW = settings(max_examples=1500, deadline=None)
SHAPE_PROPERTY = settings(max_examples=300, deadline=None)
TENSOR_LAW = settings(max_examples=100, deadline=None)



@st.composite
def valid_configs(draw: st.DrawFn, max_extra: int = 8, allow_same: bool = True,
                  max_stride: int = 4) -> dict[str, Any]:
    """Kernel, dilation and padding first, then an input size the window fits in."""
    kernel = draw(int_or_pair(st.integers(1, 5)))
    dilation = draw(int_or_pair(st.integers(1, 3)))
    paddings = int_or_pair(st.integers(0, 3))
    strings = st.sampled_from(["same", "valid"] if allow_same else ["valid"])
    padding = draw(st.one_of(paddings, strings))
    if padding == "same":
        stride = draw(st.sampled_from([1, (1, 1)]))
    else:
        stride = draw(int_or_pair(st.integers(1, max_stride)))
    per_side = (0, 0) if isinstance(padding, str) else as_pair(padding)
    sizes = []
    for k, d, p in zip(as_pair(kernel), as_pair(dilation), per_side, strict=True):
        effective = d * (k - 1) + 1
        low = 1 if padding == "same" else max(1, effective - 2 * p)
        sizes.append(draw(st.integers(low, low + max_extra)))
    square = sizes[0] == sizes[1] and draw(st.booleans())
    return dict(input_size=sizes[0] if square else tuple(sizes), kernel_size=kernel,
                stride=stride, padding=padding, dilation=dilation)


@st.composite
def any_configs(draw: st.DrawFn) -> dict[str, Any]:
    """Drawn freely, so that many are invalid: zero and negative kernel, stride, dilation;
    negative padding; 'same' with a stride; windows larger than the padded input."""
    padding = draw(st.one_of(int_or_pair(st.integers(-2, 3)),
                             st.sampled_from(["same", "valid"])))
    return dict(input_size=draw(int_or_pair(st.integers(0, 8))),
                kernel_size=draw(int_or_pair(st.integers(-1, 6))),
                stride=draw(int_or_pair(st.integers(-1, 4))),
                padding=padding,
                dilation=draw(int_or_pair(st.integers(-1, 3))))


def assert_shape_law(cfg: dict[str, Any]) -> None:
    """convlab agrees with the real layer: same size, or a refusal at the same stage."""
    verdict = torch_output_hw(**cfg)
    try:
        got = conv2d_output_size(**cfg)
    except ConvConfigError as err:
        assert not verdict.ok, f"convlab refused {cfg} ({err}) but torch gave {verdict.shape}"
        assert err.stage == verdict.stage, (
            f"{cfg}: convlab says stage {err.stage!r} ({err}), torch raised at "
            f"{verdict.stage!r}: {verdict.error}")
    else:
        assert verdict.ok, f"convlab gave {got} for {cfg}, torch raised: {verdict.error}"
        assert verdict.shape is not None
        assert got == verdict.shape[2:], cfg


# ---- the shape law -------------------------------------------------------------------------
@SHAPE_LAW
@given(valid_configs())
def test_output_size_equals_torch_on_valid_configs(cfg: dict[str, Any]) -> None:
    verdict = torch_output_hw(**cfg)
    assert verdict.ok, (cfg, verdict.error)  # the strategy only draws what torch accepts
    assert verdict.shape is not None
    assert conv2d_output_size(**cfg) == verdict.shape[2:]


@SHAPE_LAW
@given(any_configs())
def test_refuses_exactly_what_torch_refuses(cfg: dict[str, Any]) -> None:
    assert_shape_law(cfg)


@SHAPE_PROPERTY
@given(valid_configs(allow_same=False))
def test_output_size_is_the_textbook_formula(cfg: dict[str, Any]) -> None:
    # H_out = floor((H + 2 * padding - dilation * (kernel_size - 1) - 1) / stride + 1)
    pads = (0, 0) if cfg["padding"] == "valid" else as_pair(cfg["padding"])
    expected = tuple(
        math.floor((n + 2 * p - d * (k - 1) - 1) / s + 1)
        for n, k, s, p, d in zip(as_pair(cfg["input_size"]), as_pair(cfg["kernel_size"]),
                                 as_pair(cfg["stride"]), pads, as_pair(cfg["dilation"]),
                                 strict=True))
    assert conv2d_output_size(**cfg) == expected


@SHAPE_PROPERTY
@given(valid_configs())
def test_explain_output_size_is_consistent(cfg: dict[str, Any]) -> None:
    h, w = explain_output_size(**cfg)
    assert (h.output, w.output) == conv2d_output_size(**cfg)
    for axis, size in zip((h, w), as_pair(cfg["input_size"]), strict=True):
        assert axis.size == size
        assert axis.padded == size + axis.pad_before + axis.pad_after
        assert axis.quotient * axis.stride + axis.remainder == axis.span
        assert 0 <= axis.remainder < axis.stride


@SHAPE_PROPERTY
@given(valid_configs())
def test_same_padding_keeps_the_size(cfg: dict[str, Any]) -> None:
    cfg = {**cfg, "padding": "same", "stride": 1}
    assert conv2d_output_size(**cfg) == as_pair(cfg["input_size"])


# ---- malformed arguments -------------------------------------------------------------------
PARAMS = ["kernel_size", "stride", "padding", "dilation"]


@pytest.mark.parametrize("name", PARAMS)
@pytest.mark.parametrize("value", [(), (1, 1, 1), [2, 2, 2], (1, 2, 3, 4)],
                         ids=["empty", "triple", "list-triple", "quadruple"])
def test_tuple_of_wrong_length_is_refused(name: str, value: Any) -> None:
    cfg: dict[str, Any] = dict(input_size=8, kernel_size=3)
    cfg[name] = value
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(**cfg)
    assert info.value.parameter == name
    assert name in str(info.value)
    assert not torch_output_hw(**cfg).ok  # torch refuses these too, only later and vaguer


@pytest.mark.parametrize("name, value", [("kernel_size", (3,)), ("stride", (2,)),
                                         ("padding", (1,)), ("dilation", (2,))])
def test_length_one_tuple_is_refused_although_torch_broadcasts_it(name: str, value: Any) -> None:
    """Documented deviation: PyTorch's conv2d expands a 1-element list to both axes
    (``stride=(2,)`` works, and ``padding=(1,)``); convlab asks for an int or a pair, and
    suggests the int."""
    cfg: dict[str, Any] = dict(input_size=8, kernel_size=3)
    cfg[name] = value
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(**cfg)
    assert info.value.suggestion == {name: value[0]}
    fixed = {**cfg, **info.value.suggestion}
    if name != "kernel_size":  # a 1-element kernel_size makes a 3-D weight: torch fails too
        verdict = torch_output_hw(**cfg)
        assert verdict.ok and verdict.shape is not None
        assert conv2d_output_size(**fixed) == verdict.shape[2:]


@pytest.mark.parametrize("name", PARAMS)
@pytest.mark.parametrize("value", [2.0, 1.5, (1, 2.5), float("nan")],
                         ids=["2.0", "1.5", "pair-with-float", "nan"])
def test_floats_are_refused_like_torch(name: str, value: Any) -> None:
    cfg: dict[str, Any] = dict(input_size=8, kernel_size=3)
    cfg[name] = value
    verdict = torch_output_hw(**cfg)
    assert not verdict.ok
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(**cfg)
    err = info.value
    assert err.parameter == name and name in str(err)
    assert err.stage == verdict.stage, (err, verdict.error)
    if value == value and not isinstance(value, tuple):  # not nan
        assert err.suggestion == {name: round(value)}


@pytest.mark.parametrize("name", PARAMS)
@pytest.mark.parametrize("value", [True, False])
def test_bools_are_refused(name: str, value: bool) -> None:
    """PyTorch reads ``kernel_size=True`` as 1 and refuses a bool stride, padding or
    dilation only when called; convlab refuses every bool at the stage torch would."""
    cfg: dict[str, Any] = dict(input_size=8, kernel_size=3)
    cfg[name] = value
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(**cfg)
    assert info.value.parameter == name and name in str(info.value)
    verdict = torch_output_hw(**cfg)
    if name == "kernel_size" and value:
        assert verdict.ok  # the deviation: torch takes True for 1
    elif name != "kernel_size":
        assert verdict.stage == info.value.stage == "forward"
    if value:
        assert info.value.suggestion == {name: 1}
    # False stands for 0, which a kernel, stride or dilation can't be either: the next
    # refusal then suggests 1. Either way two suggestions at most reach a valid setting.
    for _ in range(2):
        try:
            conv2d_output_size(**cfg)
            break
        except ConvConfigError as err:
            assert err.suggestion
            cfg = {**cfg, **err.suggestion}
    assert conv2d_output_size(**cfg) == torch_output_hw(**cfg).shape[2:]  # type: ignore[index]


@pytest.mark.parametrize("padding", ["full", "SAME", "", "circular"])
def test_unknown_padding_string_is_refused_at_construction(padding: str) -> None:
    verdict = torch_output_hw(8, 3, padding=padding)
    assert verdict.stage == "construct"
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(8, 3, padding=padding)
    assert info.value.parameter == "padding" and info.value.stage == "construct"
    assert info.value.suggestion == {"padding": "valid"}


# ---- the nearest valid setting -------------------------------------------------------------
@st.composite
def single_fault_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid configuration with exactly one thing broken."""
    cfg = draw(valid_configs())
    numeric = ["kernel_size", "stride", "dilation"]
    if not isinstance(cfg["padding"], str):
        numeric.append("padding")
    fault = draw(st.sampled_from(["non_positive", "negative_padding", "same_strided",
                                  "too_small_input", "float", "bool", "wrong_length"]))
    if fault == "non_positive":
        name = draw(st.sampled_from(["kernel_size", "stride", "dilation"]))
        if name == "stride" and cfg["padding"] == "same":
            cfg["padding"] = "valid"
            cfg["input_size"] = tuple(  # make room for the window without padding
                max(n, d * (k - 1) + 1) for n, k, d in zip(
                    as_pair(cfg["input_size"]), as_pair(cfg["kernel_size"]),
                    as_pair(cfg["dilation"]), strict=True))
        bad = draw(st.integers(-2, 0))
        h, w = as_pair(cfg[name])
        cfg[name] = draw(st.sampled_from([bad, (bad, w), (h, bad)]))
    elif fault == "negative_padding" and "padding" in numeric:
        bad = draw(st.integers(-3, -1))
        h, w = as_pair(cfg["padding"])
        cfg["padding"] = draw(st.sampled_from([bad, (bad, w), (h, bad)]))
    elif fault == "same_strided":
        cfg["padding"] = "same"
        cfg["stride"] = draw(int_or_pair(st.integers(2, 3)))
    elif fault == "too_small_input":
        pads = (0, 0) if isinstance(cfg["padding"], str) else as_pair(cfg["padding"])
        if cfg["padding"] == "same":
            cfg["padding"] = "valid"
        sizes = list(as_pair(cfg["input_size"]))
        kernel = list(as_pair(cfg["kernel_size"]))
        axis = draw(st.sampled_from([0, 1]))
        d = as_pair(cfg["dilation"])[axis]
        padded = sizes[axis] + 2 * pads[axis]
        kernel[axis] = (padded - 1) // d + 2 + draw(st.integers(0, 2))  # one too many, or more
        cfg["kernel_size"] = tuple(kernel)
    elif fault == "float":
        name = draw(st.sampled_from(numeric))
        delta = draw(st.sampled_from([-0.4, -0.25, 0.2, 0.4]))
        h, w = as_pair(cfg[name])
        choices = [(h + delta, w), (h, w + delta)] + ([h + delta] if h == w else [])
        cfg[name] = draw(st.sampled_from(choices))
    elif fault == "bool":
        name = draw(st.sampled_from(["kernel_size", "stride", "dilation"]))
        cfg[name] = True
    else:  # wrong_length, or negative_padding where padding is a string
        name = draw(st.sampled_from(numeric))
        h, w = as_pair(cfg[name])
        cfg[name] = (h,) if h == w and draw(st.booleans()) else (h, w, h)
    return cfg


@settings(max_examples=400, deadline=None)
@given(single_fault_configs())
def test_each_suggested_setting_alone_is_valid(cfg: dict[str, Any]) -> None:
    """The refusal names its parameter and the "nearest valid setting" it offers is valid:
    each suggested key applied on its own gives a configuration both convlab and torch take."""
    with pytest.raises(ConvConfigError) as info:
        conv2d_output_size(**cfg)
    err = info.value
    assert err.parameter in str(err)
    assert isinstance(err.suggestion, dict) and err.suggestion, err
    for key, value in err.suggestion.items():
        fixed = {**cfg, key: value}
        try:
            size = conv2d_output_size(**fixed)
        except ConvConfigError as again:
            raise AssertionError(f"{cfg}: suggestion {key}={value!r} still refused: {again}"
                                 ) from None
        verdict = torch_output_hw(**fixed)
        assert verdict.ok and verdict.shape is not None and verdict.shape[2:] == size


@settings(max_examples=300, deadline=None)
@given(any_configs())
def test_following_suggestions_reaches_a_valid_config(cfg: dict[str, Any]) -> None:
    """Several faults at once: taking the first suggestion each time ends at a valid setting."""
    for _ in range(8):
        try:
            size = conv2d_output_size(**cfg)
            break
        except ConvConfigError as err:
            assert err.suggestion, err
            key, value = next(iter(err.suggestion.items()))
            cfg = {**cfg, key: value}
    else:
        raise AssertionError(f"still refused after 8 suggestions: {cfg}")
    verdict = torch_output_hw(**cfg)
    assert verdict.ok and verdict.shape is not None and verdict.shape[2:] == size


# ---- applied padding -----------------------------------------------------------------------
@TENSOR_LAW
@given(kernel=int_or_pair(st.integers(1, 6)), dilation=int_or_pair(st.integers(1, 3)),
       h=st.integers(1, 8), w=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_same_padding_split_matches_torch(kernel: Any, dilation: Any, h: int, w: int,
                                          seed: int) -> None:
    (top, bottom), (left, right) = applied_padding("same", kernel, dilation)
    for (before, after), k, d in zip(((top, bottom), (left, right)), as_pair(kernel),
                                     as_pair(dilation), strict=True):
        total = d * (k - 1)
        assert before + after == total
        assert after - before == total % 2  # the odd cell goes to the bottom / right
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(1, 1, h, w, dtype=torch.float64, generator=gen)
    K = torch.randn(1, 1, *as_pair(kernel), dtype=torch.float64, generator=gen)
    expected = F.conv2d(X, K, padding="same", dilation=dilation)
    torch.testing.assert_close(F.conv2d(F.pad(X, (left, right, top, bottom)), K,
                                        dilation=dilation), expected)


def test_even_kernel_same_padding_is_uneven() -> None:
    assert applied_padding("same", 4) == ((1, 2), (1, 2))
    assert applied_padding("same", (2, 3), dilation=(3, 1)) == ((1, 2), (1, 1))
    X = torch.arange(30.0, dtype=torch.float64).reshape(1, 1, 5, 6) ** 1.5
    K = torch.arange(1.0, 17.0, dtype=torch.float64).reshape(1, 1, 4, 4)
    expected = F.conv2d(X, K, padding="same")
    torch.testing.assert_close(F.conv2d(F.pad(X, (1, 2, 1, 2)), K), expected)
    # and the mirror split (extra cell on top / left) really is a different result
    assert not torch.allclose(F.conv2d(F.pad(X, (2, 1, 2, 1)), K), expected)


@pytest.mark.parametrize("padding, expected", [
    pytest.param(0, ((0, 0), (0, 0)), id="int-0"),
    pytest.param(2, ((2, 2), (2, 2)), id="int-2"),
    pytest.param((2, 1), ((2, 2), (1, 1)), id="pair"),
    pytest.param("valid", ((0, 0), (0, 0)), id="valid"),
])
def test_numeric_padding_is_symmetric(padding: Any, expected: Any) -> None:
    assert applied_padding(padding, (5, 3)) == expected


# ---- the window index map ------------------------------------------------------------------
def _unfold_args(cfg: dict[str, Any]) -> dict[str, Any]:
    return dict(kernel_size=as_pair(cfg["kernel_size"]), dilation=as_pair(cfg["dilation"]),
                stride=as_pair(cfg["stride"]))


@TENSOR_LAW
@given(valid_configs(max_extra=5))
def test_window_index_map_is_unfold(cfg: dict[str, Any]) -> None:
    h, w = explain_output_size(**cfg)
    idx = window_index_map(**cfg)
    assert idx.shape == (h.output, w.output, h.kernel, w.kernel, 2)
    assert idx.dtype == np.int64
    # Cells of the padded input hold their own flat index; unfold reads them back.
    grid = torch.arange(h.padded * w.padded, dtype=torch.float64).reshape(
        1, 1, h.padded, w.padded)
    columns = F.unfold(grid, **_unfold_args(cfg))[0]  # (kh*kw, H_out*W_out)
    flat = idx[..., 0] * w.padded + idx[..., 1]  # (H_out, W_out, kh, kw)
    flat = flat.reshape(h.output * w.output, h.kernel * w.kernel).T  # -> (kh*kw, H_out*W_out)
    torch.testing.assert_close(torch.from_numpy(flat).to(torch.float64), columns,
                               rtol=0, atol=0)


@TENSOR_LAW
@given(valid_configs(max_extra=5))
def test_window_coverage_is_fold_of_ones(cfg: dict[str, Any]) -> None:
    h, w = explain_output_size(**cfg)
    cover = window_coverage(**cfg)
    assert cover.shape == (h.padded, w.padded)
    assert cover.sum() == h.output * w.output * h.kernel * w.kernel
    ones = torch.ones(1, h.kernel * w.kernel, h.output * w.output, dtype=torch.float64)
    expected = F.fold(ones, output_size=(h.padded, w.padded), **_unfold_args(cfg))[0, 0]
    torch.testing.assert_close(torch.from_numpy(cover).to(torch.float64), expected,
                               rtol=0, atol=0)


def _trailing_zero_lines(cover: np.ndarray) -> int:
    """How many lines at the end (bottom rows of ``cover``) no window touches."""
    touched = np.flatnonzero(cover.any(axis=1))
    return cover.shape[0] - 1 - int(touched[-1])


@SHAPE_PROPERTY
@given(valid_configs(max_extra=6))
def test_untouched_trailing_cells_are_the_remainder(cfg: dict[str, Any]) -> None:
    h, w = explain_output_size(**cfg)
    cover = window_coverage(**cfg)
    if h.dilation == 1:
        assert _trailing_zero_lines(cover) == h.remainder
    if w.dilation == 1:
        assert _trailing_zero_lines(cover.T) == w.remainder


# ---- metamorphic laws ----------------------------------------------------------------------
def _random_pair(cfg: dict[str, Any], seed: int, c_in: int = 2, c_out: int = 2
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(1, c_in, *as_pair(cfg["input_size"]), dtype=torch.float64, generator=gen)
    K = torch.randn(c_out, c_in, *as_pair(cfg["kernel_size"]), dtype=torch.float64,
                    generator=gen)
    return X, K


@TENSOR_LAW
@given(valid_configs(allow_same=False), st.integers(0, 2**16))
def test_stride_is_a_slice_of_the_stride_one_output(cfg: dict[str, Any], seed: int) -> None:
    X, K = _random_pair(cfg, seed)
    sh, sw = as_pair(cfg["stride"])
    conv = dict(padding=cfg["padding"], dilation=cfg["dilation"])
    dense = F.conv2d(X, K, stride=1, **conv)
    strided = F.conv2d(X, K, stride=cfg["stride"], **conv)
    torch.testing.assert_close(strided, dense[..., ::sh, ::sw])
    assert tuple(strided.shape[2:]) == conv2d_output_size(**cfg)
    ours_dense = corr2d_multi_in_out(X[0], K, stride=1, **conv)
    torch.testing.assert_close(corr2d_multi_in_out(X[0], K, stride=cfg["stride"], **conv),
                               ours_dense[..., ::sh, ::sw])


@TENSOR_LAW
@given(valid_configs(allow_same=False), st.integers(0, 2**16))
def test_padding_is_explicit_pad_then_none(cfg: dict[str, Any], seed: int) -> None:
    X, K = _random_pair(cfg, seed)
    ph, pw = (0, 0) if cfg["padding"] == "valid" else as_pair(cfg["padding"])
    Xp = F.pad(X, (pw, pw, ph, ph))
    conv = dict(stride=cfg["stride"], dilation=cfg["dilation"])
    padded = F.conv2d(X, K, padding=cfg["padding"], **conv)
    torch.testing.assert_close(padded, F.conv2d(Xp, K, padding=0, **conv))
    assert conv2d_output_size(**cfg) == conv2d_output_size(
        **{**cfg, "input_size": tuple(Xp.shape[2:]), "padding": 0})
    torch.testing.assert_close(corr2d_multi_in_out(X[0], K, padding=cfg["padding"], **conv),
                               corr2d_multi_in_out(Xp[0], K, padding=0, **conv))
