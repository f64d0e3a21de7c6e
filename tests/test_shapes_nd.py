"""The output-size law in 1-D and 3-D: convlab's arithmetic gives the shape nn.Conv1d /
nn.Conv3d produce, and refuses exactly the configurations they refuse (hypothesis)."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import convlab
from convlab.reproduce import conv2d_shape_script

MODES = ("zeros", "reflect", "replicate", "circular")


@st.composite
def configs(draw, dims: int):
    def per_axis(lo: int, hi: int):
        return draw(st.one_of(st.integers(lo, hi),
                              st.tuples(*[st.integers(lo, hi)] * dims)))
    padding = draw(st.one_of(st.sampled_from(["same", "valid"]),
                             st.integers(-1, 3), st.tuples(*[st.integers(-1, 3)] * dims)))
    groups = draw(st.integers(1, 3))
    kwargs = {"in_channels": draw(st.integers(1, 3)) * (groups if draw(st.booleans()) else 1),
              "out_channels": groups * draw(st.integers(1, 2)),
              "kernel_size": per_axis(0, 4), "stride": per_axis(0, 3), "padding": padding,
              "dilation": per_axis(0, 2), "groups": groups,
              "padding_mode": draw(st.sampled_from(MODES))}
    sizes = tuple(draw(st.integers(1, 7 if dims == 3 else 12)) for _ in range(dims))
    return kwargs, (1, kwargs["in_channels"], *sizes)


def ours(kwargs: dict, shape: tuple[int, ...], dims: int) -> tuple[int, ...] | None:
    try:
        return convlab.conv_nd_output_shape(
            dims, shape, kwargs["kernel_size"], kwargs.get("stride", 1),
            kwargs.get("padding", 0), kwargs.get("dilation", 1),
            out_channels=kwargs["out_channels"], groups=kwargs.get("groups", 1),
            padding_mode=kwargs.get("padding_mode", "zeros"))
    except convlab.ConvConfigError:
        return None


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_shapes_and_refusals_agree_with_torch(dims):
    @settings(max_examples=150, deadline=None)
    @given(configs(dims))
    def check(case):
        kwargs, shape = case
        verdict = convlab.run_conv(kwargs, shape, dims=dims)
        assert ours(kwargs, shape, dims) == verdict.output_shape, (kwargs, shape, verdict.error)

    check()


@pytest.mark.parametrize("dims,shape,kwargs,out", [
    (1, (1, 1, 16000), {"kernel_size": 3, "stride": 2, "padding": 1}, (1, 1, 8000)),
    (3, (1, 3, 8, 32, 32), {"kernel_size": (3, 3, 3), "padding": 1}, (1, 1, 8, 32, 32)),
    (3, (2, 1, 5, 6, 7), {"kernel_size": 3}, (2, 1, 3, 4, 5)),
], ids=["audio", "video", "valid_3d"])
def test_presets_numbers(dims, shape, kwargs, out):
    full = {"in_channels": shape[1], "out_channels": 1, **kwargs}
    assert ours(full, shape, dims) == out
    assert convlab.run_conv(full, shape, dims=dims).output_shape == out


def test_wrong_length_tuple_is_refused_with_a_fix():
    with pytest.raises(convlab.ConvConfigError) as err:
        convlab.explain_conv_nd(3, (4, 4, 4), (3, 3))
    assert err.value.parameter == "kernel_size" and err.value.suggestion == {"kernel_size": 3}


@pytest.mark.parametrize("dims", [1, 3])
def test_reproduce_script_runs_and_prints_the_shape(dims):
    shape = (1, 2, *(5,) * dims)
    kwargs = {"in_channels": 2, "out_channels": 4, "kernel_size": 3, "stride": 2,
              "padding": 1}
    script = conv2d_shape_script(kwargs, shape, dims)
    assert f"nn.Conv{dims}d(" in script
    printed: list[str] = []
    exec(script, {"print": lambda *a: printed.append(" ".join(map(str, a))), "__name__": "x"})
    expected = convlab.conv_nd_output_shape(dims, shape, 3, 2, 1, out_channels=4)
    assert printed[0] == f"output shape {expected}"
    assert printed[1] == f"weight shape {(4, 2, *(3,) * dims)}"


@pytest.mark.parametrize("dims", [1, 2, 3])
def test_the_lesson_asks_once_and_gets_what_torch_builds(dims):
    """``conv_layer``, the output-size page's one question: its shapes and counts are the
    real layer's, and it refuses exactly what PyTorch refuses."""
    @settings(max_examples=60, deadline=None)
    @given(configs(dims), st.booleans())
    def check(case, bias):
        kwargs, shape = case
        kwargs = {**kwargs, "bias": bias}
        verdict = convlab.run_conv(kwargs, shape, dims=dims)
        try:
            layer = convlab.conv_layer(dims, kwargs, shape)
        except convlab.ConvConfigError:
            assert verdict.output_shape is None, (kwargs, shape)
            return
        assert layer.output_shape == verdict.output_shape, (kwargs, shape, verdict.error)
        module = getattr(torch.nn, f"Conv{dims}d")(**kwargs)
        assert layer.weight_shape == tuple(module.weight.shape)
        assert layer.parameters == sum(p.numel() for p in module.parameters())
        if (plane := layer.plane(96)) is not None:  # the picture's windows: the same sizes
            assert plane.out == ((1,) if dims == 1 else layer.outputs[-2:-1]) + layer.outputs[-1:]

    check()
