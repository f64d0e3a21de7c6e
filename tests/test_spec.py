"""``Conv2dSpec`` against the real ``nn.Conv2d``: the same refusals at the same stage, the
same output shape, weight shape and parameter count, and a module / code that rebuild it."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest
import torch
from _conv_oracle import as_pair, torch_conv2d
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import int_or_pair
from torch import nn

from convlab import PADDING_MODES, Conv2dSpec, ConvConfigError

SPEC_LAW = settings(max_examples=1000, deadline=None)

# Mostly valid values with a few bad ones mixed in, so that both branches of the law
# (same shape / same refusal) get thousands of hits between them.
KERNELS = st.sampled_from([1, 1, 2, 2, 3, 3, 4, 0, -1])
STRIDES = st.sampled_from([1, 1, 1, 2, 2, 3, 0])
DILATIONS = st.sampled_from([1, 1, 1, 2, 2, 0, -1])
ZEROS_PADDINGS = st.sampled_from([0, 0, 1, 1, 2, 3, -1])
MODE_PADDINGS = st.sampled_from([0, 0, 1, 1, 2, 3])  # see test_negative_padding_... below



@st.composite
def spec_cases(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[int, ...]]:
    """``nn.Conv2d`` keyword arguments and an input shape, valid or not."""
    in_channels = draw(st.integers(1, 6))
    out_channels = draw(st.integers(1, 6))
    common = [g for g in range(1, 7) if in_channels % g == 0 and out_channels % g == 0]
    groups = draw(st.one_of(st.sampled_from(common), st.integers(1, 6)))
    padding_mode = draw(st.sampled_from(PADDING_MODES))
    paddings = ZEROS_PADDINGS if padding_mode == "zeros" else MODE_PADDINGS
    padding = draw(st.one_of(int_or_pair(paddings), st.sampled_from(["same", "valid"])))
    kwargs = dict(in_channels=in_channels, out_channels=out_channels,
                  kernel_size=draw(int_or_pair(KERNELS)), stride=draw(int_or_pair(STRIDES)),
                  padding=padding, dilation=draw(int_or_pair(DILATIONS)), groups=groups,
                  bias=draw(st.booleans()), padding_mode=padding_mode)
    channels = draw(st.one_of(st.just(in_channels), st.just(in_channels),
                              st.integers(1, 6)))  # sometimes not in_channels
    batch = draw(st.sampled_from([(), (0,), (1,), (2,)]))  # (C, H, W) or (N, C, H, W)
    shape = (*batch, channels, draw(st.integers(1, 9)), draw(st.integers(1, 9)))
    return kwargs, shape


def _module(kwargs: dict[str, Any]) -> nn.Conv2d:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nn.Conv2d(**kwargs)


@SPEC_LAW
@given(spec_cases())
def test_spec_refuses_exactly_what_torch_refuses(case: tuple[dict[str, Any], tuple[int, ...]]
                                                 ) -> None:
    kwargs, shape = case
    verdict = torch_conv2d(kwargs, shape)
    if len(shape) == 4 and shape[0] == 0 and 0 in as_pair(kwargs["dilation"]):
        # torch's empty-batch shortcut skips the dilation check (see the deviation test)
        with pytest.raises(ConvConfigError):
            Conv2dSpec(**kwargs).output_shape(shape)
        return
    try:
        spec = Conv2dSpec(**kwargs)
        got = spec.output_shape(shape)
    except ConvConfigError as err:
        assert not verdict.ok, f"convlab refused {kwargs} on {shape} ({err}), torch did not"
        assert err.stage == verdict.stage, (
            f"{kwargs} on {shape}: convlab stage {err.stage!r} ({err}), torch raised at "
            f"{verdict.stage!r}: {verdict.error}")
        return
    assert verdict.ok, f"convlab gave {got} for {kwargs} on {shape}; torch: {verdict.error}"
    assert got == verdict.shape
    module = _module(kwargs)
    assert spec.weight_shape == tuple(module.weight.shape)
    assert spec.num_parameters == sum(p.numel() for p in module.parameters())
    kh, kw = module.kernel_size
    assert spec.macs(shape) == math.prod(got) * (kwargs["in_channels"] // kwargs["groups"]
                                                 ) * kh * kw


@st.composite
def valid_specs(draw: st.DrawFn) -> dict[str, Any]:
    in_channels = draw(st.integers(1, 6))
    out_channels = draw(st.integers(1, 6))
    common = [g for g in range(1, 7) if in_channels % g == 0 and out_channels % g == 0]
    padding = draw(st.one_of(int_or_pair(st.integers(0, 3)),
                             st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(int_or_pair(st.integers(1, 3)))
    return dict(in_channels=in_channels, out_channels=out_channels,
                kernel_size=draw(int_or_pair(st.integers(1, 5))), stride=stride,
                padding=padding, dilation=draw(int_or_pair(st.integers(1, 3))),
                groups=draw(st.sampled_from(common)), bias=draw(st.booleans()),
                padding_mode=draw(st.sampled_from(PADDING_MODES)))


ATTRIBUTES = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
              "groups", "padding_mode")


def assert_same_layer(built: nn.Conv2d, expected: nn.Conv2d) -> None:
    for name in ATTRIBUTES:
        assert getattr(built, name) == getattr(expected, name), name
    assert built.weight.shape == expected.weight.shape
    assert (built.bias is None) == (expected.bias is None)


@settings(max_examples=200, deadline=None)
@given(valid_specs())
def test_to_module_is_the_same_layer(kwargs: dict[str, Any]) -> None:
    spec = Conv2dSpec(**kwargs)
    module = spec.to_module()
    expected = _module(kwargs)
    assert isinstance(module, nn.Conv2d)
    assert repr(module) == repr(expected)
    assert_same_layer(module, expected)
    assert module.weight.dtype == torch.float32


@settings(max_examples=200, deadline=None)
@given(valid_specs())
def test_to_code_rebuilds_the_layer(kwargs: dict[str, Any]) -> None:
    code = Conv2dSpec(**kwargs).to_code()
    assert code.startswith("nn.Conv2d(")
    module = eval(code, {"nn": nn})  # the code shown to users, run as they would run it
    assert_same_layer(module, _module(kwargs))
    assert repr(module) == repr(_module(kwargs))


def test_to_module_takes_dtype_and_device() -> None:
    module = Conv2dSpec(2, 4, 3, groups=2).to_module(device="cpu", dtype=torch.float64)
    assert module.weight.dtype == torch.float64 and module.weight.device.type == "cpu"
    out = module(torch.zeros(1, 2, 5, 5, dtype=torch.float64))
    assert tuple(out.shape) == Conv2dSpec(2, 4, 3, groups=2).output_shape((1, 2, 5, 5))


# ---- refusals at construction --------------------------------------------------------------
@pytest.mark.parametrize("kwargs, parameter", [
    pytest.param(dict(in_channels=6, out_channels=4, kernel_size=3, groups=4), "groups",
                 id="groups-not-dividing-in"),
    pytest.param(dict(in_channels=4, out_channels=6, kernel_size=3, groups=4), "groups",
                 id="groups-not-dividing-out"),
    pytest.param(dict(in_channels=4, out_channels=4, kernel_size=3, groups=0), "groups",
                 id="groups-zero"),
    pytest.param(dict(in_channels=1, out_channels=1, kernel_size=3, padding="full"), "padding",
                 id="padding-string"),
    pytest.param(dict(in_channels=1, out_channels=1, kernel_size=3, padding="same", stride=2),
                 "padding", id="same-with-stride"),
    pytest.param(dict(in_channels=1, out_channels=1, kernel_size=3, padding_mode="mirror"),
                 "padding_mode", id="padding-mode"),
    pytest.param(dict(in_channels=1, out_channels=1, kernel_size=-2), "kernel_size",
                 id="negative-kernel"),
])
def test_construction_refusals_have_stage_construct(kwargs: dict[str, Any], parameter: str
                                                    ) -> None:
    shape = (1, kwargs["in_channels"], 8, 8)
    assert torch_conv2d(kwargs, shape).stage == "construct"
    with pytest.raises(ConvConfigError) as info:
        Conv2dSpec(**kwargs)
    err = info.value
    assert err.stage == "construct"
    assert err.parameter == parameter and parameter in str(err)
    assert err.suggestion
    for key, value in err.suggestion.items():  # each suggested setting alone is accepted
        fixed = {**kwargs, key: value}
        assert Conv2dSpec(**fixed).output_shape(shape) == torch_conv2d(fixed, shape).shape


@pytest.mark.parametrize("kwargs, shape, parameter", [
    pytest.param(dict(stride=0), (1, 1, 8, 8), "stride", id="stride-zero"),
    pytest.param(dict(kernel_size=0), (1, 1, 8, 8), "kernel_size", id="kernel-zero"),
    pytest.param(dict(dilation=(1, 0)), (1, 1, 8, 8), "dilation", id="dilation-zero"),
    pytest.param(dict(padding=-1), (1, 1, 8, 8), "padding", id="padding-negative"),
    pytest.param(dict(kernel_size=9), (1, 1, 8, 8), "kernel_size", id="kernel-too-big"),
    pytest.param(dict(), (1, 2, 8, 8), "in_channels", id="channel-mismatch"),
    pytest.param(dict(padding=8, padding_mode="reflect"), (1, 1, 8, 8), "padding",
                 id="reflect-too-wide"),
    pytest.param(dict(padding=9, padding_mode="circular"), (1, 1, 8, 8), "padding",
                 id="circular-wraps-twice"),
])
def test_call_refusals_have_stage_forward(kwargs: dict[str, Any], shape: tuple[int, ...],
                                          parameter: str) -> None:
    kwargs = {"in_channels": 1, "out_channels": 1, "kernel_size": 3, **kwargs}
    assert torch_conv2d(kwargs, shape).stage == "forward"
    with pytest.raises(ConvConfigError) as info:
        Conv2dSpec(**kwargs).output_shape(shape)
    assert info.value.stage == "forward"
    assert info.value.parameter == parameter and parameter in str(info.value)


@pytest.mark.parametrize("shape", [(8, 8), (1, 1, 1, 8, 8), ()], ids=["2d", "5d", "0d"])
def test_input_of_wrong_rank_is_refused(shape: tuple[int, ...]) -> None:
    with pytest.raises(ConvConfigError) as info:
        Conv2dSpec(1, 1, 3).output_shape(shape)
    assert info.value.parameter == "input_shape"


# ---- documented deviations from torch ------------------------------------------------------
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_negative_padding_is_refused_in_every_mode(mode: str) -> None:
    """Documented deviation: with a non-zeros padding_mode, nn.Conv2d runs F.pad, which
    *crops* for a negative pad, so torch accepts ``padding=-1`` there. convlab refuses
    negative padding in every mode, as it is in zeros mode ("negative padding is not
    supported"), since cropping is not padding."""
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=3, padding=-1, padding_mode=mode)
    verdict = torch_conv2d(kwargs, (1, 1, 8, 8))
    assert verdict.ok and verdict.shape == (1, 1, 4, 4)  # 8 -> cropped to 6 -> 4
    assert torch_conv2d({**kwargs, "padding_mode": "zeros"}, (1, 1, 8, 8)).stage == "forward"
    with pytest.raises(ConvConfigError) as info:
        Conv2dSpec(**kwargs)
    assert info.value.parameter == "padding" and info.value.suggestion == {"padding": 0}


def test_zero_channels_are_refused_at_construction() -> None:
    """Documented deviation: torch builds ``nn.Conv2d(0, 1, 3)`` and even runs it on a
    (N, 0, H, W) input; ``out_channels=0`` only fails when called. convlab refuses both
    when the spec is built: a layer without channels is no lesson."""
    assert torch_conv2d(dict(in_channels=0, out_channels=1, kernel_size=3), (1, 0, 5, 5)).ok
    assert torch_conv2d(dict(in_channels=1, out_channels=0, kernel_size=3),
                        (1, 1, 5, 5)).stage == "forward"
    for kwargs in (dict(in_channels=0, out_channels=1), dict(in_channels=1, out_channels=0)):
        with pytest.raises(ConvConfigError) as info:
            Conv2dSpec(**kwargs, kernel_size=3)
        assert info.value.stage == "construct"


def test_zero_dilation_is_refused_even_on_an_empty_batch() -> None:
    """Documented deviation: on a batch of zero samples torch skips its dilation check and
    returns a shape computed with dilation 0; convlab refuses dilation 0 whatever the batch."""
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=3, dilation=(1, 0))
    assert torch_conv2d(kwargs, (0, 1, 8, 8)).shape == (0, 1, 6, 8)
    assert torch_conv2d(kwargs, (1, 1, 8, 8)).stage == "forward"
    with pytest.raises(ConvConfigError) as info:
        Conv2dSpec(**kwargs)
    assert info.value.parameter == "dilation" and info.value.suggestion == {"dilation": 1}


# ---- the seeds' numbers --------------------------------------------------------------------
def test_seed_4x4_input_with_3x3_kernel() -> None:
    spec = Conv2dSpec(1, 1, 3)
    assert spec.weight_shape == (1, 1, 3, 3)
    assert spec.output_shape((1, 1, 4, 4)) == (1, 1, 2, 2)
    module = spec.to_module()
    assert tuple(module.weight.shape) == (1, 1, 3, 3)
    assert tuple(module(torch.zeros(1, 1, 4, 4)).shape) == (1, 1, 2, 2)


@pytest.mark.parametrize("kwargs, expected", [
    pytest.param(dict(kernel_size=3, padding=1), (8, 8), id="d2l-k3-p1-8x8"),
    pytest.param(dict(kernel_size=(5, 3), padding=(2, 1)), (8, 8), id="d2l-k5x3-p2x1-8x8"),
    pytest.param(dict(kernel_size=3, padding=1, stride=2), (4, 4), id="d2l-k3-p1-s2-4x4"),
    pytest.param(dict(kernel_size=(3, 5), padding=(0, 1), stride=(3, 4)), (2, 2),
                 id="d2l-k3x5-p0x1-s3x4-2x2"),
])
def test_seed_d2l_padding_and_strides(kwargs: dict[str, Any], expected: tuple[int, int]) -> None:
    shape = (1, 1, 8, 8)
    assert Conv2dSpec(1, 1, **kwargs).output_shape(shape) == (1, 1, *expected)
    assert torch_conv2d(dict(in_channels=1, out_channels=1, **kwargs), shape).shape == (
        1, 1, *expected)
