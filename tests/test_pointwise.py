"""1x1 convolution as a matrix multiply, against ``F.conv2d``, ``nn.Linear`` and the loop
reference; the cost counts against real modules; the timing sweep; the reproduce script."""

from __future__ import annotations

import ast
import contextlib
import io
import math
import pickle
import subprocess
import sys
from dataclasses import dataclass, replace
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from convlab.correlation.correlate import corr2d_multi_in_out_loop
from convlab.errors import ConvConfigError
from convlab.pointwise.checks import pointwise_checks
from convlab.pointwise.costs import bottleneck_costs, depthwise_separable_costs, pointwise_costs
from convlab.pointwise.layer import (
    MAX_ELEMENTS,
    check_pointwise_shape,
    corr2d_multi_in_out_1x1,
    linear_channels_last,
    pixel_as_linear,
    pointwise_bias,
    pointwise_code,
    pointwise_example,
)
from convlab.pointwise.timing import FORM_IDS, PointwiseTiming, _forms, time_pointwise_forms

# nn.Conv2d's note that padding='same' with an even kernel copies the input: expected here
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

Tensor = torch.Tensor
FAST = settings(max_examples=50, deadline=None)
LOOPS = settings(max_examples=25, deadline=None)  # the Python loop reference is slower
FLOATS = [pytest.param(torch.float64, id="float64"), pytest.param(torch.float32, id="float32")]


@dataclass(frozen=True)
class Case:
    n: int | None  # None: an unbatched (C_in, H, W) input
    c_in: int
    c_out: int
    h: int
    w: int
    bias: bool
    seed: int

    def tensors(self, dtype: torch.dtype) -> tuple[Tensor, Tensor, Tensor | None]:
        """X (N?, C_in, H, W), K (C_out, C_in, 1, 1), bias (C_out,) or None."""
        gen = torch.Generator().manual_seed(self.seed)
        batch = () if self.n is None else (self.n,)
        X = torch.randn(*batch, self.c_in, self.h, self.w, generator=gen, dtype=dtype)
        K = torch.randn(self.c_out, self.c_in, 1, 1, generator=gen, dtype=dtype)
        b = torch.randn(self.c_out, generator=gen, dtype=dtype) if self.bias else None
        return X, K, b


@st.composite
def cases(draw: st.DrawFn, max_size: int = 6) -> Case:
    return Case(draw(st.none() | st.integers(1, 3)), draw(st.integers(1, 5)),
                draw(st.integers(1, 5)), draw(st.integers(1, max_size)),
                draw(st.integers(1, max_size)), draw(st.booleans()), draw(st.integers(0, 2**16)))


def loop_reference(X: Tensor, K: Tensor, b: Tensor | None) -> Tensor:
    """d2l's loop, one image at a time, plus the bias."""
    images = [X] if X.dim() == 3 else list(X)
    Y = torch.stack([corr2d_multi_in_out_loop(x, K) for x in images])
    Y = Y if b is None else Y + b[:, None, None]
    return Y[0] if X.dim() == 3 else Y


# ---- the matmul form against the oracles ---------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@FAST
@given(case=cases())
def test_matmul_form_is_conv2d(case: Case, dtype: torch.dtype) -> None:
    X, K, b = case.tensors(dtype)
    Y, expected = corr2d_multi_in_out_1x1(X, K, b), F.conv2d(X, K, b)
    assert (Y.shape, Y.dtype, Y.device) == (expected.shape, expected.dtype, expected.device)
    torch.testing.assert_close(Y, expected)
    # K given as the (C_out, C_in) matrix is the same layer
    torch.testing.assert_close(corr2d_multi_in_out_1x1(X, K[:, :, 0, 0], b), expected)


@pytest.mark.parametrize("dtype", FLOATS)
@LOOPS
@given(case=cases(max_size=4))
def test_matmul_form_is_loop_reference(case: Case, dtype: torch.dtype) -> None:
    X, K, b = case.tensors(dtype)
    torch.testing.assert_close(corr2d_multi_in_out_1x1(X, K, b), loop_reference(X, K, b))


@FAST
@given(case=cases())
def test_matmul_form_is_einsum_and_channels_last_linear(case: Case) -> None:
    X, K, b = case.tensors(torch.float64)
    Y = corr2d_multi_in_out_1x1(X, K, b)
    Y_einsum = torch.einsum("oc,...chw->...ohw", K[:, :, 0, 0], X)
    torch.testing.assert_close(Y, Y_einsum if b is None else Y_einsum + b[:, None, None])
    Y_linear = linear_channels_last(X, K, b)
    assert Y_linear.shape == Y.shape
    torch.testing.assert_close(Y_linear, F.conv2d(X, K, b))


def test_channels_last_linear_is_a_real_linear_and_leaves_the_rng_alone() -> None:
    X, K, b = Case(2, 4, 3, 5, 6, True, 7).tensors(torch.float32)
    assert b is not None
    layer = nn.Linear(4, 3)
    with torch.no_grad():
        layer.weight.copy_(K[:, :, 0, 0])
        layer.bias.copy_(b)
        expected = layer(X.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
    state = torch.random.get_rng_state()
    torch.testing.assert_close(linear_channels_last(X, K, b), expected)
    assert torch.equal(torch.random.get_rng_state(), state)


def test_matmul_form_keeps_a_channels_last_input_s_values() -> None:
    X, K, b = Case(2, 3, 4, 5, 5, True, 1).tensors(torch.float32)
    X_cl = X.to(memory_format=torch.channels_last)
    torch.testing.assert_close(corr2d_multi_in_out_1x1(X_cl, K, b), F.conv2d(X, K, b))


@FAST
@given(case=cases(), data=st.data())
def test_pixel_as_linear_is_the_output_at_that_pixel(case: Case, data: st.DataObject) -> None:
    X, K, b = case.tensors(torch.float64)
    i, j = data.draw(st.integers(0, case.h - 1)), data.draw(st.integers(0, case.w - 1))
    n = 0 if case.n is None else data.draw(st.integers(0, case.n - 1))
    p = pixel_as_linear(X, K, b, i, j, n=n)
    Y = F.conv2d(X, K, b)
    assert p.x.shape == (case.c_in,) and p.weight.shape == (case.c_out, case.c_in)
    torch.testing.assert_close(p.x, X[:, i, j] if case.n is None else X[n, :, i, j])
    torch.testing.assert_close(p.y, F.linear(p.x, p.weight, p.bias))
    torch.testing.assert_close(p.y, Y[:, i, j] if case.n is None else Y[n, :, i, j])


# ---- d2l's check ---------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 42, 888])
def test_d2l_1x1_equals_the_loop(seed: int) -> None:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        X = torch.normal(0, 1, (3, 3, 3))
        K = torch.normal(0, 1, (2, 3, 1, 1))
    Y1, Y2 = corr2d_multi_in_out_1x1(X, K), corr2d_multi_in_out_loop(X, K)
    assert Y1.shape == (2, 3, 3)
    assert float(torch.abs(Y1 - Y2).sum()) < 1e-6
    # pointwise_example draws the same numbers, without touching the global RNG
    state = torch.random.get_rng_state()
    X_ex, K_ex = pointwise_example(3, 2, 3, 3, seed=seed)
    assert torch.equal(X_ex, X) and torch.equal(K_ex, K)
    assert torch.equal(torch.random.get_rng_state(), state)


@pytest.mark.parametrize("dtype", FLOATS)
@LOOPS
@given(case=cases(max_size=4).filter(lambda c: c.n is not None))
def test_loop_difference_is_measured_against_the_dtype_s_tolerance(case: Case,
                                                                   dtype: torch.dtype) -> None:
    """The total |matmul - loop| against sum(atol + rtol * |loop|), torch.testing's defaults:
    every drawn layer passes, and the tolerance is exactly that sum."""
    X, K, b = case.tensors(dtype)
    r = pointwise_checks(X, K, b)
    loop = loop_reference(X, K, b)
    rtol, atol = {torch.float32: (1.3e-6, 1e-5), torch.float64: (1e-7, 1e-7)}[dtype]
    assert r.dtype == str(dtype).removeprefix("torch.")
    assert math.isclose(r.loop_tolerance, float((atol + rtol * loop.abs()).sum()),
                        rel_tol=1e-9)
    assert math.isclose(r.loop_total_abs_diff, float((r.Y - loop).abs().sum()), abs_tol=1e-12)
    assert r.loop_verdict in ("below_d2l", "within_tolerance")
    assert all(c.passed for c in r.checks)


def test_loop_verdict_words_each_case() -> None:
    """Below d2l's 1e-6; above it (the rgb_to_4 preset's 3.46e-6 over 144 outputs) yet
    within float32 rounding; beyond the tolerance."""
    X, K = pointwise_example(3, 4, 6, 6, n=1, seed=1)
    r = pointwise_checks(X, K, pointwise_bias(4))
    assert 1e-6 < r.loop_total_abs_diff < r.loop_tolerance
    assert r.loop_verdict == "within_tolerance"
    assert pointwise_checks(*pointwise_example(3, 2, 3, 3, n=1)).loop_verdict == "below_d2l"
    wrong = replace(r, loop_total_abs_diff=2 * r.loop_tolerance)
    assert wrong.loop_verdict == "exceeds"
    assert pickle.loads(pickle.dumps(r)).loop_verdict == "within_tolerance"


# ---- refusals ------------------------------------------------------------------------------
REFUSALS = [  # X shape, K shape, bias shape, parameter, suggestion, torch refuses too
    pytest.param((3, 3), (2, 3, 1, 1), None, "X", {"X": (1, 3, 3)}, True, id="X-2d"),
    pytest.param((1, 1, 3, 3, 3), (2, 3, 1, 1), None, "X", None, True, id="X-5d"),
    pytest.param((3, 4, 4), (2, 3, 1), None, "K", None, True, id="K-3d"),
    pytest.param((3, 4, 4), (2, 3, 3, 3), None, "kernel_size", {"kernel_size": 1}, False,
                 id="kernel-3x3"),
    pytest.param((3, 4, 4), (2, 3, 1, 2), None, "kernel_size", {"kernel_size": 1}, False,
                 id="kernel-1x2"),
    pytest.param((4, 4, 4), (2, 3, 1, 1), None, "in_channels", {"in_channels": 4}, True,
                 id="channels"),
    pytest.param((2, 4, 4, 4), (2, 3, 1, 1), None, "in_channels", {"in_channels": 4}, True,
                 id="channels-batched"),
    pytest.param((3, 4, 4), (2, 3, 1, 1), (3,), "bias", {"bias": (2,)}, True, id="bias-length"),
    pytest.param((3, 4, 4), (2, 3, 1, 1), (2, 1), "bias", {"bias": (2,)}, True, id="bias-2d"),
]


@pytest.mark.parametrize("x_shape, k_shape, b_shape, parameter, suggestion, torch_refuses",
                         REFUSALS)
def test_refusals(x_shape: tuple[int, ...], k_shape: tuple[int, ...],
                  b_shape: tuple[int, ...] | None, parameter: str,
                  suggestion: dict[str, Any] | None, torch_refuses: bool) -> None:
    X, K = torch.randn(x_shape), torch.randn(k_shape)
    b = None if b_shape is None else torch.randn(b_shape)
    for fn in (corr2d_multi_in_out_1x1, linear_channels_last):
        with pytest.raises(ConvConfigError) as info:
            fn(X, K, b)
        assert info.value.parameter == parameter and info.value.suggestion == suggestion
        assert "but got" in str(info.value)
    if torch_refuses and K.dim() == 4:
        with pytest.raises(RuntimeError):
            F.conv2d(X, K, b)


@pytest.mark.parametrize("parameter, X, K, b, torch_refuses", [
    pytest.param("K", torch.randn(3, 4, 4), torch.randn(2, 3, 1, 1, dtype=torch.float64), None,
                 True, id="K-dtype"),
    pytest.param("bias", torch.randn(3, 4, 4), torch.randn(2, 3, 1, 1), torch.randn(2).double(),
                 True, id="bias-dtype"),
    # a meta tensor stands in for another device (PyTorch lets meta mix with the CPU)
    pytest.param("K", torch.randn(3, 4, 4), torch.randn(2, 3, 1, 1, device="meta"), None,
                 False, id="K-device"),
])
def test_refuses_mixed_dtypes_and_devices(parameter: str, X: Tensor, K: Tensor,
                                          b: Tensor | None, torch_refuses: bool) -> None:
    with pytest.raises(ConvConfigError) as info:
        corr2d_multi_in_out_1x1(X, K, b)
    assert info.value.parameter == parameter and info.value.suggestion
    if torch_refuses:
        with pytest.raises(RuntimeError):
            F.conv2d(X, K, b)


def test_integers_as_f_conv2d_computes_them() -> None:
    X, K = torch.randint(-5, 6, (2, 3, 4, 4)), torch.randint(-5, 6, (2, 3, 1, 1))
    b = torch.randint(-5, 6, (2,))
    assert torch.equal(corr2d_multi_in_out_1x1(X, K, b), F.conv2d(X, K, b))
    with pytest.raises(ConvConfigError) as info:  # nn.Linear has no integer weights
        linear_channels_last(X, K, b)
    assert info.value.suggestion == {"dtype": "float32"}


@pytest.mark.parametrize("i, j, n, parameter, nearest", [
    (3, 0, None, "i", 2), (-1, 0, None, "i", 0), (0, 4, None, "j", 3), (0, 0, 5, "n", 1)])
def test_pixel_index_off_the_map(i: int, j: int, n: int | None, parameter: str,
                                 nearest: int) -> None:
    X = torch.randn(2, 3, 4) if n is None else torch.randn(2, 2, 3, 4)
    with pytest.raises(ConvConfigError) as info:
        pixel_as_linear(X, torch.randn(5, 2), None, i, j, n=n or 0)
    assert info.value.parameter == parameter and info.value.suggestion == {parameter: nearest}


# ---- cost counts ---------------------------------------------------------------------------
def module_costs(layers: list[nn.Conv2d], h: int, w: int) -> tuple[int, int]:
    """Parameters of the real modules and their MACs as PyTorch's flop counter sees them."""
    block = nn.Sequential(*layers)
    X = torch.zeros(1, layers[0].in_channels, h, w)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        Y = block(X)
    assert Y.shape[-2:] == (h, w)  # every block keeps the map's size
    return sum(p.numel() for p in block.parameters()), counter.get_total_flops() // 2


def check_costs(costs: list[Any], expected: dict[str, list[nn.Conv2d]], h: int, w: int
                ) -> None:
    assert [c.name_id for c in costs] == list(expected)
    for cost in costs:
        assert (cost.params, cost.macs) == module_costs(expected[cost.name_id], h, w)
        if cost.spec is not None:  # a single layer: the spec's own counts
            assert cost.params == cost.spec.num_parameters
            assert cost.macs == cost.spec.macs((1, cost.spec.in_channels, h, w))


channel_counts = st.integers(1, 12)
maps = st.integers(1, 7)
kernels = st.integers(1, 5)


@settings(max_examples=25, deadline=None)
@given(c_in=channel_counts, c_out=channel_counts, h=maps, w=maps, k=kernels,
       bias=st.booleans())
def test_pointwise_costs_are_the_modules(c_in: int, c_out: int, h: int, w: int, k: int,
                                         bias: bool) -> None:
    check_costs(pointwise_costs(c_in, c_out, h, w, k, bias), {
        "conv1x1": [nn.Conv2d(c_in, c_out, 1, bias=bias)],
        "convkxk": [nn.Conv2d(c_in, c_out, k, padding="same", bias=bias)],
    }, h, w)


@settings(max_examples=25, deadline=None)
@given(quarter=st.integers(1, 8), h=maps, w=maps, bias=st.booleans())
def test_bottleneck_costs_are_the_modules(quarter: int, h: int, w: int, bias: bool) -> None:
    c, q = 4 * quarter, quarter
    parts = [nn.Conv2d(c, q, 1, bias=bias), nn.Conv2d(q, q, 3, padding=1, bias=bias),
             nn.Conv2d(q, c, 1, bias=bias)]
    check_costs(bottleneck_costs(c, h, w, bias), {
        "reduce1x1": parts[:1], "conv3x3": parts[1:2], "expand1x1": parts[2:],
        "bottleneck": parts, "standard": [nn.Conv2d(c, c, 3, padding=1, bias=bias)],
    }, h, w)


@settings(max_examples=25, deadline=None)
@given(c_in=channel_counts, c_out=channel_counts, h=maps, w=maps, k=kernels,
       bias=st.booleans())
def test_depthwise_separable_costs_are_the_modules(c_in: int, c_out: int, h: int, w: int,
                                                   k: int, bias: bool) -> None:
    parts = [nn.Conv2d(c_in, c_in, k, padding="same", groups=c_in, bias=bias),
             nn.Conv2d(c_in, c_out, 1, bias=bias)]
    check_costs(depthwise_separable_costs(c_in, c_out, h, w, k, bias), {
        "depthwise": parts[:1], "pointwise": parts[1:], "depthwise_separable": parts,
        "standard": [nn.Conv2d(c_in, c_out, k, padding="same", bias=bias)],
    }, h, w)


def test_textbook_cost_ratios() -> None:
    """Without bias a k x k layer costs k^2 times a 1x1; depthwise-separable 1/C_out + 1/k^2."""
    one, full = pointwise_costs(64, 128, 14, 14, k=3, bias=False)
    assert (full.params, full.macs) == (9 * one.params, 9 * one.macs)
    *_, separable, standard = depthwise_separable_costs(64, 128, 14, 14, k=3, bias=False)
    assert math.isclose(separable.macs / standard.macs, 1 / 128 + 1 / 9)


@pytest.mark.parametrize("channels, nearest", [(6, 8), (5, 4), (2, 4), (0, 4), (-8, 4)])
def test_bottleneck_needs_a_multiple_of_four(channels: int, nearest: int) -> None:
    with pytest.raises(ConvConfigError) as info:
        bottleneck_costs(channels, 4, 4)
    assert info.value.suggestion == {"channels": nearest}


# ---- timing --------------------------------------------------------------------------------
TINY = [(1, 2, 3, 4, 4), (2, 3, 2, 5, 3)]


def test_timing_records_and_progress() -> None:
    seen: list[float] = []
    records = time_pointwise_forms(TINY, repeats=2, warmup=1, progress=seen.append)
    assert seen == [0.5, 1.0]
    assert [(r.shape, r.form_id) for r in records] == [(s, f) for s in TINY for f in FORM_IDS]
    for r in records:
        assert isinstance(r, PointwiseTiming) and r.seconds > 0
        n, c_in, c_out, h, w = r.shape
        assert math.isclose(r.gflops, 2 * n * c_in * c_out * h * w / r.seconds / 1e9)


def test_every_timed_form_computes_the_convolution() -> None:
    X, K, _ = Case(2, 3, 4, 5, 6, False, 3).tensors(torch.float32)
    expected = F.conv2d(X, K)
    with torch.no_grad():
        results = {form_id: fn() for form_id, fn in _forms(X, K).items()}
    assert list(results) == list(FORM_IDS)
    results["linear_channels_last"] = results["linear_channels_last"].permute(0, 3, 1, 2)
    for Y in results.values():
        torch.testing.assert_close(Y, expected)


@pytest.mark.parametrize("shape, parameter", [
    ((1, 2, 3, 4), "shape"), ((0, 2, 3, 4, 4), "n"), ((1, 2, 3, 4, -1), "w"),
    ((1, 2, 3, 4.5, 4), "h"), ((1, 64, 64, 1024, 1024), "shape"), ((1, 2**13, 2**13, 1, 1),
                                                                   "shape")])
def test_timing_refuses_bad_and_huge_shapes(shape: tuple[Any, ...], parameter: str) -> None:
    with pytest.raises(ConvConfigError) as info:
        time_pointwise_forms([TINY[0], shape], repeats=1, warmup=0)
    assert info.value.parameter == parameter


def test_huge_shape_suggests_one_that_fits() -> None:
    with pytest.raises(ConvConfigError) as info:
        check_pointwise_shape((4, 64, 128, 1000, 500))
    assert info.value.suggestion is not None
    n, c_in, c_out, h, w = fit = info.value.suggestion["shape"]
    assert check_pointwise_shape(fit) == fit and max(c_in, c_out) * n * h * w <= MAX_ELEMENTS
    assert 1.8 < h / w < 2.2  # the aspect is kept


@pytest.mark.parametrize("kwargs, parameter", [
    ({"repeats": 0}, "repeats"), ({"warmup": -1}, "warmup"),
    pytest.param({"device": "cuda"}, "device", marks=pytest.mark.skipif(
        torch.cuda.is_available(), reason="this machine has CUDA"))])
def test_timing_refuses_bad_settings(kwargs: dict[str, Any], parameter: str) -> None:
    with pytest.raises(ConvConfigError) as info:
        time_pointwise_forms(TINY, **kwargs)
    assert info.value.parameter == parameter


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_on_cuda() -> None:
    X, K, b = Case(2, 5, 7, 6, 5, True, 11).tensors(torch.float32)
    X, K, b = X.cuda(), K.cuda(), b.cuda()  # type: ignore[union-attr]
    Y = corr2d_multi_in_out_1x1(X, K, b)
    assert Y.device == X.device
    torch.testing.assert_close(Y, F.conv2d(X, K, b))
    torch.testing.assert_close(linear_channels_last(X, K, b), F.conv2d(X, K, b))
    records = time_pointwise_forms(TINY, device="cuda", repeats=2, warmup=1)
    assert len(records) == len(TINY) * len(FORM_IDS) and all(r.seconds > 0 for r in records)


# ---- the reproduce script ------------------------------------------------------------------
@pytest.mark.parametrize("bias", [False, True], ids=["no-bias", "bias"])
@pytest.mark.parametrize("sizes, n, seed", [((3, 2, 3, 3), None, 0), ((4, 5, 2, 3), 2, 888),
                                            ((1, 1, 1, 1), 1, 7)])
def test_script_draws_and_computes_convlab_s_numbers(sizes: tuple[int, int, int, int],
                                                     n: int | None, seed: int, bias: bool
                                                     ) -> None:
    code = pointwise_code(*sizes, n=n, seed=seed, bias=bias)
    imported = {alias.name.split(".")[0] for node in ast.walk(ast.parse(code))
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in getattr(node, "names", [])}
    assert imported == {"torch"}
    namespace: dict[str, Any] = {}
    with torch.random.fork_rng(), contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, "<pointwise_code>", "exec"), namespace)
    X, K = pointwise_example(*sizes, n=n, seed=seed)
    b = pointwise_bias(sizes[1]) if bias else None
    assert torch.equal(namespace["X"], X) and torch.equal(namespace["K"], K)
    if b is not None:
        assert torch.equal(namespace["b"], b)
    torch.testing.assert_close(namespace["Y1"], corr2d_multi_in_out_1x1(X, K, b))
    torch.testing.assert_close(namespace["Y2"], F.conv2d(X, K, b))
    assert float(out.getvalue().split()[-1]) < 1e-5


def test_script_runs_on_its_own() -> None:
    done = subprocess.run([sys.executable, "-c", pointwise_code(3, 2, 3, 3)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.split()[-1]) < 1e-6


@pytest.mark.parametrize("kwargs, parameter", [
    ({"seed": -1}, "seed"), ({"n": 0}, "n"), ({"h": 0}, "h"), ({"c_in": 2.5}, "c_in")])
def test_example_refusals(kwargs: dict[str, Any], parameter: str) -> None:
    args = {"c_in": 3, "c_out": 2, "h": 3, "w": 3, **kwargs}
    for fn in (pointwise_example, pointwise_code):
        with pytest.raises(ConvConfigError) as info:
            fn(**args)
        assert info.value.parameter == parameter
