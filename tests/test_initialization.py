"""Two layers with the same arguments (study note 004): convlab's draws against PyTorch's own
constructors after ``torch.manual_seed``, the default bound, and the reproduce script."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from convlab.initialization import default_init_bound, twin_layers, twin_layers_code

MODULES = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}


@st.composite
def layers(draw):
    dims = draw(st.sampled_from([1, 2, 3]))
    groups = draw(st.integers(1, 2))
    cin = groups * draw(st.integers(1, 2))
    cout = groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    size = tuple(k + draw(st.integers(0, 3)) for k in kernel)
    kwargs = {"in_channels": cin, "out_channels": cout, "kernel_size": kernel,
              "groups": groups, "bias": draw(st.booleans())}
    return kwargs, (draw(st.integers(1, 2)), cin, *size), draw(st.integers(0, 9999))


def torch_twins(kwargs, shape, seed):
    """What a learner's script does: seed the global generator, draw, build twice."""
    module = MODULES[len(shape) - 2]
    torch.manual_seed(seed)
    X = torch.rand(shape)
    a, b = module(**kwargs), module(**kwargs)
    with torch.no_grad():
        return a.weight.clone(), b.weight.clone(), a(X), b(X)


@settings(deadline=None, max_examples=40)
@given(layers())
def test_the_draws_are_pytorchs_own_after_manual_seed(case):
    kwargs, shape, seed = case
    tw = twin_layers(kwargs, shape, seed)
    wa, wb, ya, yb = torch_twins(kwargs, shape, seed)
    torch.testing.assert_close(torch.from_numpy(tw.weight_a), wa, rtol=0, atol=0)
    torch.testing.assert_close(torch.from_numpy(tw.weight_b), wb, rtol=0, atol=0)
    torch.testing.assert_close(torch.from_numpy(tw.output_a), ya)
    torch.testing.assert_close(torch.from_numpy(tw.output_b), yb)
    assert all(c.passed for c in tw.checks)
    fan_in = kwargs["in_channels"] // kwargs["groups"] * math.prod(kwargs["kernel_size"])
    assert tw.fan_in == fan_in
    assert tw.bound == pytest.approx(default_init_bound(kwargs["in_channels"],
                                                        kwargs["kernel_size"], kwargs["groups"]))
    assert np.abs(tw.weight_a).max() <= tw.bound


def test_the_notes_layer_twins_differ_then_agree():
    """Note 004's (1, 1, 4, 4) input and 3 x 3 kernel: bound 1/3, outputs differ, then equal."""
    tw = twin_layers({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 1, 4, 4))
    assert tw.output_a.shape == tw.output_b.shape == (1, 1, 2, 2)
    assert tw.outputs_differ and not np.array_equal(tw.weight_a, tw.weight_b)
    assert f"{tw.bound:.4f}" == "0.3333"
    assert [c.what for c in tw.checks] == ["twin_loaded", "twin_seeded", "init_bound"]
    assert [c.passed for c in tw.checks] == [True, True, True]


def test_the_bound_is_kaiming_uniform_with_a_sqrt5():
    """1/sqrt(fan_in) is what kaiming_uniform_(a=sqrt(5)) gives: gain * sqrt(3 / fan_in)."""
    fan_in = 3 * 5 * 5
    gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    assert default_init_bound(3, (5, 5)) == pytest.approx(gain * math.sqrt(3 / fan_in))


@pytest.mark.parametrize("shape", [(1, 1, 4, 4), (2, 2, 9), (1, 2, 3, 4, 5)],
                         ids=["2d", "1d", "3d"])
def test_the_script_prints_the_same_numbers(shape):
    kwargs = {"in_channels": shape[1], "out_channels": 2, "kernel_size": 2}
    tw = twin_layers(kwargs, shape, seed=7)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(twin_layers_code(kwargs, shape, seed=7), {})  # noqa: S102 - the page's code
    lines = out.getvalue().splitlines()
    a = np.array(eval(lines[0].split(" ", 1)[1]))  # noqa: S307 - a list literal printed above
    b = np.array(eval(lines[1].split(" ", 1)[1]))  # noqa: S307
    np.testing.assert_allclose(a, tw.output_a.flatten(), atol=1e-6)
    np.testing.assert_allclose(b, tw.output_b.flatten(), atol=1e-6)
    assert lines[2:] == ["equal False", f"bound {round(tw.bound, 4)} inside True",
                         "equal after load_state_dict True", "equal when seeded alike True"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_twins_on_cuda_match_the_cpu():
    kwargs = {"in_channels": 2, "out_channels": 3, "kernel_size": 3}
    cpu = twin_layers(kwargs, (1, 2, 6, 6), device="cpu")
    gpu = twin_layers(kwargs, (1, 2, 6, 6), device="cuda")
    np.testing.assert_allclose(gpu.output_a, cpu.output_a, atol=1e-5)
    assert all(c.passed for c in gpu.checks) and gpu.checks[0].device.startswith("cuda")
