"""Fully-connected = convolution, both ways, against the torch modules themselves: Linear ->
Conv2d (full and pointwise), the sliding full convolution, Conv2d -> Linear for every padding
mode, the shared-weight map, parameter counts, the study notes' numbers and the reproduce
scripts."""

from __future__ import annotations

import ast
import contextlib
import copy
import io
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import int_or_pair
from torch import nn

from convlab.device import available_devices
from convlab.equivalence.linear import (
    FC_PRESETS,
    crops_check,
    equivalence_checks,
    fc_example,
    fc_on_crops,
    linear_to_conv2d,
)
from convlab.equivalence.linear_code import linear_to_conv2d_code
from convlab.equivalence.unroll import (
    LAYERS,
    MAX_UNROLL_ELEMENTS,
    conv2d_to_linear,
    conv2d_to_linear_code,
    conv_example,
    parameter_counts,
    parameter_growth,
    unroll_check,
    unrolled_weight_index,
)
from convlab.equivalence.validation import MODES, check_input_shape
from convlab.errors import ConvConfigError
from convlab.params import PADDING_MODES

# F.conv2d's note that padding='same' with an even kernel copies the input: expected here
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

Tensor = torch.Tensor
HYPO = settings(max_examples=40, deadline=None)
FLOATS = [pytest.param(torch.float64, id="float64"), pytest.param(torch.float32, id="float32")]
MODE_PARAMS = [pytest.param(m, id=m) for m in MODES]
DEVICES = [d.name for d in available_devices()]



def pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)


# ---- Linear -> Conv2d ----------------------------------------------------------------------
@dataclass(frozen=True)
class LinearCase:
    shape: tuple[int, int, int]
    out: int
    bias: bool
    batch: int
    seed: int

    def build(self, dtype: torch.dtype, device: str = "cpu") -> tuple[nn.Linear, Tensor]:
        """The layer and an (N, C, H, W) input."""
        torch.manual_seed(self.seed)
        linear = nn.Linear(math.prod(self.shape), self.out, bias=self.bias, dtype=dtype,
                           device=device)
        X = torch.randn(self.batch, *self.shape, dtype=dtype, device=device)
        return linear, X


linear_cases = st.builds(LinearCase, st.tuples(*[st.integers(1, 4)] * 3), st.integers(1, 5),
                         st.booleans(), st.integers(1, 3), st.integers(0, 2**16))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("mode", MODE_PARAMS)
@HYPO
@given(case=linear_cases)
def test_linear_to_conv2d_computes_the_linear(case: LinearCase, mode: str, dtype: torch.dtype
                                              ) -> None:
    linear, X = case.build(dtype)
    conv = linear_to_conv2d(linear, case.shape, mode)
    C, H, W = case.shape
    view = (C, H, W) if mode == "full" else (C * H * W, 1, 1)
    assert conv.in_channels == view[0] and conv.kernel_size == view[1:]
    assert (conv.bias is None) == (linear.bias is None)
    with torch.no_grad():
        Y = conv(X.view(-1, *view))  # (N, out, 1, 1)
        assert Y.shape == (case.batch, case.out, 1, 1) and Y.dtype == dtype
        torch.testing.assert_close(Y.flatten(1), linear(X.flatten(1)))


@pytest.mark.parametrize("dtype", FLOATS)
@HYPO
@given(case=linear_cases, extra=st.tuples(st.integers(0, 4), st.integers(0, 4)))
def test_full_conv_slides_the_layer_over_every_crop(case: LinearCase, extra: tuple[int, int],
                                                    dtype: torch.dtype) -> None:
    linear, _ = case.build(dtype)
    C, H, W = case.shape
    X = torch.randn(case.batch, C, H + extra[0], W + extra[1], dtype=dtype)
    with torch.no_grad():
        Y = fc_on_crops(linear, case.shape, X)
        assert Y.shape == (case.batch, case.out, extra[0] + 1, extra[1] + 1)
        torch.testing.assert_close(Y, linear_to_conv2d(linear, case.shape)(X))
        i, j = extra[0], extra[1]  # the last crop, taken by hand
        torch.testing.assert_close(Y[:, :, i, j], linear(X[:, :, i:i + H, j:j + W].flatten(1)))


def test_fc_on_crops_is_the_loop_over_crops() -> None:
    linear, _, shape, _ = fc_example("multichannel", dtype=torch.float64)
    X = torch.randn(2, 2, 5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        Y = fc_on_crops(linear, shape, X)
        for i in range(3):
            for j in range(2):
                torch.testing.assert_close(Y[:, :, i, j], linear(X[:, :, i:i + 3, j:j + 3]
                                                                 .flatten(1)))
    assert crops_check(linear, shape, X).passed


# ---- Conv2d -> Linear ----------------------------------------------------------------------
@dataclass(frozen=True)
class ConvCase:
    c_in: int
    c_out: int
    groups: int
    kernel: tuple[int, int]
    stride: Any
    padding: Any
    dilation: Any
    padding_mode: str
    bias: bool
    size: tuple[int, int]
    seed: int

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(in_channels=self.c_in, out_channels=self.c_out, kernel_size=self.kernel,
                    stride=self.stride, padding=self.padding, dilation=self.dilation,
                    groups=self.groups, bias=self.bias, padding_mode=self.padding_mode)

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.c_in, *self.size)

    def build(self, dtype: torch.dtype, device: str = "cpu") -> tuple[nn.Conv2d, Tensor]:
        torch.manual_seed(self.seed)
        conv = nn.Conv2d(**self.kwargs, dtype=dtype, device=device)
        return conv, torch.randn(2, *self.shape, dtype=dtype, device=device)


@st.composite
def conv_cases(draw: st.DrawFn, modes: tuple[str, ...] = PADDING_MODES) -> ConvCase:
    """Kernel, dilation, padding and mode first, then an input size each of them accepts."""
    c_in, c_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    groups = draw(st.sampled_from([g for g in range(1, 5) if c_in % g == 0 == c_out % g]))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = draw(int_or_pair(st.integers(1, 2)))
    padding = draw(st.one_of(int_or_pair(st.integers(0, 2)), st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(int_or_pair(st.integers(1, 3)))
    mode = draw(st.sampled_from(modes))
    size = []
    per_side = (0, 0) if isinstance(padding, str) else pair(padding)
    for k, d, p in zip(kernel, pair(dilation), per_side, strict=True):
        total = d * (k - 1) if padding == "same" else 2 * p
        widest = total - total // 2  # the larger side
        low = max(1, d * (k - 1) + 1 - total)
        low = max(low, widest + 1 if mode == "reflect" else widest if mode == "circular" else 1)
        size.append(draw(st.integers(low, max(low, 6))))
    bias = draw(st.booleans())
    return ConvCase(c_in, c_out, groups, kernel, stride, padding, dilation, mode, bias,
                    (size[0], size[1]), draw(st.integers(0, 2**16)))


def basis_response(conv: nn.Conv2d, shape: tuple[int, int, int]) -> Tensor:
    """The oracle matrix: the bias-free layer applied to each basis image, one per column."""
    probe = copy.deepcopy(conv)
    probe.bias = None
    n = math.prod(shape)
    with torch.no_grad():
        basis = torch.eye(n, dtype=conv.weight.dtype).view(n, *shape)  # (n, C, H, W)
        return probe(basis).flatten(1).T  # (n, out_features) -> (out_features, n)


@pytest.mark.parametrize("dtype", FLOATS)
@HYPO
@given(case=conv_cases())
def test_conv2d_to_linear_computes_the_conv(case: ConvCase, dtype: torch.dtype) -> None:
    conv, X = case.build(dtype)
    linear = conv2d_to_linear(conv, case.shape)
    assert (linear.bias is None) == (conv.bias is None)
    assert linear.weight.dtype == dtype
    with torch.no_grad():
        expected = conv(X)
        assert (linear.out_features, linear.in_features) == (expected[0].numel(),
                                                             math.prod(case.shape))
        torch.testing.assert_close(linear(X.flatten(1)), expected.flatten(1))


@settings(max_examples=50, deadline=None)
@given(case=conv_cases())
def test_unrolled_matrix_is_the_basis_response(case: ConvCase) -> None:
    conv, _ = case.build(torch.float64)
    torch.testing.assert_close(conv2d_to_linear(conv, case.shape).weight.detach(),
                               basis_response(conv, case.shape), rtol=0, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(case=conv_cases(modes=("zeros",)))
def test_weight_index_map_places_the_shared_weights(case: ConvCase) -> None:
    conv, _ = case.build(torch.float64)
    index = unrolled_weight_index(conv, case.shape)
    M = basis_response(conv, case.shape).numpy()
    assert index.dtype == np.int64 and index.shape == M.shape
    assert index.min() >= -1 and index.max() < conv.weight.numel()
    shared = index >= 0
    np.testing.assert_array_equal(M[shared], conv.weight.detach().flatten().numpy()[index[shared]])
    np.testing.assert_array_equal(M[~shared], 0.0)


@settings(max_examples=40, deadline=None)
@given(case=conv_cases(modes=("zeros",)))
def test_each_output_row_holds_one_window_of_the_kernel(case: ConvCase) -> None:
    """Every weight of the output's kernel appears once per window tap that reads a real
    input cell; with no padding that is every tap, so the rows are the locally connected
    layer's kernels."""
    conv, _ = case.build(torch.float64)
    index = unrolled_weight_index(conv, case.shape)
    taps = conv.weight[0].numel()
    per_row = (index >= 0).sum(1)
    assert per_row.max() <= taps
    if case.padding in (0, (0, 0), "valid"):
        assert (per_row == taps).all()
        for row in range(index.shape[0]):  # row o*L + l uses output channel o's kernel
            o = row // (index.shape[0] // case.c_out)
            assert sorted(index[row][index[row] >= 0]) == list(range(o * taps, (o + 1) * taps))


@pytest.mark.parametrize("mode", MODE_PARAMS)
@HYPO
@given(case=linear_cases)
def test_both_ways_round_trip_to_the_same_matrix(case: LinearCase, mode: str) -> None:
    linear, _ = case.build(torch.float64)
    C, H, W = case.shape
    back = conv2d_to_linear(linear_to_conv2d(linear, case.shape, mode),
                            case.shape if mode == "full" else (C * H * W, 1, 1))
    assert torch.equal(back.weight, linear.weight)
    assert (back.bias is None and linear.bias is None) or torch.equal(back.bias, linear.bias)


# ---- device, dtype, random state -----------------------------------------------------------
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64],
                         ids=["float16", "bfloat16", "float32", "float64"])
def test_conversions_keep_device_and_dtype(device: str, dtype: torch.dtype) -> None:
    linear = nn.Linear(12, 5, device=device, dtype=dtype)
    for mode in MODES:
        conv = linear_to_conv2d(linear, (3, 2, 2), mode)
        for p in (conv.weight, conv.bias):
            assert p.device == linear.weight.device and p.dtype == dtype
    conv = nn.Conv2d(2, 4, 3, padding=1, padding_mode="reflect", device=device, dtype=dtype)
    back = conv2d_to_linear(conv, (2, 3, 3))
    for p in (back.weight, back.bias):
        assert p.device == conv.weight.device and p.dtype == dtype
    expected = conv2d_to_linear(conv.to("cpu", torch.float64), (2, 3, 3)).weight
    torch.testing.assert_close(back.weight.cpu().double(), expected,
                               atol=1e-2 if dtype.itemsize == 2 else 1e-6, rtol=1e-2)


def test_conversions_leave_the_global_random_state_alone() -> None:
    state = torch.get_rng_state()
    linear, _, shape, _ = fc_example("multichannel")
    linear_to_conv2d(linear, shape)
    conv, _ = conv_example({"in_channels": 2, "out_channels": 3, "kernel_size": 2}, shape)
    conv2d_to_linear(conv, shape)
    assert torch.equal(torch.get_rng_state(), state)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@settings(max_examples=40, deadline=None)
@given(case=conv_cases(), lcase=linear_cases)
def test_conversions_on_cuda_match_cpu(case: ConvCase, lcase: LinearCase) -> None:
    conv, X = case.build(torch.float64, "cuda")
    linear = conv2d_to_linear(conv, case.shape)
    assert linear.weight.is_cuda
    on_cpu = conv2d_to_linear(copy.deepcopy(conv).cpu(), case.shape)
    torch.testing.assert_close(linear.weight.cpu(), on_cpu.weight)
    with torch.no_grad():
        torch.testing.assert_close(linear(X.flatten(1)), conv(X).flatten(1))
    fc, Xl = lcase.build(torch.float64, "cuda")
    for mode in MODES:
        back = linear_to_conv2d(fc, lcase.shape, mode)
        assert back.weight.is_cuda
        with torch.no_grad():
            Y = back(Xl.view(lcase.batch, -1, *lcase.shape[1:]) if mode == "full"
                     else Xl.view(lcase.batch, -1, 1, 1))
            torch.testing.assert_close(Y.flatten(1), fc(Xl.flatten(1)))


# ---- the study notes' numbers --------------------------------------------------------------
SEED888_WEIGHT = [[-0.4525, 0.1935, -0.3702, 0.3160], [0.2698, 0.2885, 0.2830, -0.0791]]


def four_decimals(T: Tensor, expected: list[Any]) -> None:
    torch.testing.assert_close(T.detach(), torch.tensor(expected), atol=5e-5, rtol=0)


def test_seed888_linear_gives_the_notes_numbers() -> None:
    linear, x, shape, relu = fc_example("seed888")
    assert x.tolist() == [[1.0, 2.0, 3.0, 4.0]] and shape == (1, 2, 2) and not relu
    four_decimals(linear.weight, SEED888_WEIGHT)
    four_decimals(linear(x), [[0.2983, 1.4994]])
    torch.manual_seed(888)  # exactly as the notes build it
    assert torch.equal(nn.Linear(4, 2).weight, linear.weight)


@pytest.mark.parametrize("mode, view", [("full", (1, 1, 2, 2)), ("pointwise", (1, 4, 1, 1))],
                         ids=["scenario1_full_kernel_2x2", "scenario2_pointwise_1x1"])
def test_seed888_scenarios_are_element_wise_equal(mode: str, view: tuple[int, ...]) -> None:
    linear, x, shape, _ = fc_example("seed888")
    conv = linear_to_conv2d(linear, shape, mode)
    assert tuple(conv.weight.shape) == ((2, 1, 2, 2) if mode == "full" else (2, 4, 1, 1))
    assert torch.equal(conv.weight[1].flatten(), linear.weight[1])  # row r is kernel r
    with torch.no_grad():
        y = conv(x.view(view)).flatten(1)
        four_decimals(y, [[0.2983, 1.4994]])
        assert torch.equal(y, linear(x))


@pytest.mark.parametrize("way", ["linear", "conv_full_2x2", "conv_pointwise_1x1"])
def test_fixed_weights_with_relu_give_14_9_and_19(way: str) -> None:
    linear, x, shape, relu = fc_example("fixed_relu")
    assert relu and x.view(2, 2).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with torch.no_grad():
        if way == "linear":
            y = linear(x)
        elif way == "conv_full_2x2":
            y = linear_to_conv2d(linear, shape, "full")(x.view(1, 1, 2, 2)).flatten(1)
        else:
            y = linear_to_conv2d(linear, shape, "pointwise")(x.view(1, 4, 1, 1)).flatten(1)
    torch.testing.assert_close(torch.relu(y), torch.tensor([[14.9, 19.0]]))


def test_image4x4_weights_view_as_a_4x4_kernel() -> None:
    linear, x, shape, _ = fc_example("image4x4")
    assert (linear.in_features, linear.out_features, shape) == (16, 2, (1, 4, 4))
    conv = linear_to_conv2d(linear, shape)
    assert tuple(conv.weight.shape) == (2, 1, 4, 4)
    assert torch.equal(conv.weight, linear.weight.view(2, 1, 4, 4))


def test_multichannel_preset_is_seeded_and_18_to_3() -> None:
    linear, x, shape, _ = fc_example("multichannel")
    assert (linear.in_features, linear.out_features, shape) == (18, 3, (2, 3, 3))
    assert torch.equal(fc_example("multichannel").linear.weight, linear.weight)
    assert tuple(linear_to_conv2d(linear, shape).weight.shape) == (3, 2, 3, 3)


@pytest.mark.parametrize("preset", FC_PRESETS)
def test_every_preset_passes_its_checks(preset: str) -> None:
    linear, x, shape, _ = fc_example(preset, dtype=torch.float64)
    assert all(r.passed for r in equivalence_checks(linear, shape, x))
    X = torch.randn(1, shape[0], shape[1] + 2, shape[2] + 1, dtype=torch.float64)
    assert crops_check(linear, shape, X).passed


def test_notes_4x4_input_3x3_kernel_unrolls_to_4x16() -> None:
    conv, x = conv_example({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 4, 4))
    linear = conv2d_to_linear(conv, (1, 4, 4))
    assert tuple(linear.weight.shape) == (4, 16)
    index = unrolled_weight_index(conv, (1, 4, 4))
    assert index[0].tolist() == [0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, -1, -1, -1, -1]
    assert unroll_check(conv, x).passed


# ---- parameter counts ----------------------------------------------------------------------
def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@settings(max_examples=60, deadline=None)
@given(c_in=st.integers(1, 4), c_out=st.integers(1, 4), h=st.integers(3, 8),
       w=st.integers(3, 8), k=st.integers(1, 3), stride=st.integers(1, 2),
       padding=st.integers(0, 1), bias=st.booleans())
def test_parameter_counts_match_the_modules(c_in: int, c_out: int, h: int, w: int, k: int,
                                            stride: int, padding: int, bias: bool) -> None:
    counts = parameter_counts(c_in, c_out, (h, w), k, stride=stride, padding=padding, bias=bias)
    assert [c.layer for c in counts] == list(LAYERS)
    assert all((c.height, c.width) == (h, w) and type(c.parameters) is int for c in counts)
    fc, local, shared = (c.parameters for c in counts)
    conv = nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, bias=bias, device="meta")
    outputs = conv(torch.empty(1, c_in, h, w, device="meta")).numel()
    assert shared == n_params(conv)
    assert fc == n_params(nn.Linear(c_in * h * w, outputs, bias=bias, device="meta"))
    assert local == outputs * c_in * k * k + (outputs if bias else 0)
    if padding == 0:  # the unshared kernels are the structurally non-zero matrix entries
        index = unrolled_weight_index(conv.to_empty(device="cpu"), (c_in, h, w))
        assert local == int((index >= 0).sum()) + (outputs if bias else 0)
        assert fc >= local >= shared


def test_parameter_growth_keeps_the_convolution_constant() -> None:
    growth = parameter_growth(3, 8, [8, 16, (32, 24)], 3, padding=1)
    by_layer = {layer: [c.parameters for c in growth if c.layer == layer] for layer in LAYERS}
    assert by_layer["convolution"] == [8 * 3 * 9 + 8] * 3
    assert by_layer["fully_connected"][0] == (3 * 64) * (8 * 64) + 8 * 64
    assert by_layer["fully_connected"] == sorted(by_layer["fully_connected"])
    assert [(c.height, c.width) for c in growth[::3]] == [(8, 8), (16, 16), (32, 24)]


# ---- reproduce in PyTorch ------------------------------------------------------------------
def run_script(code: str) -> dict[str, Any]:
    """Exec a generated script as a learner would paste it; parse its ``name value`` lines."""
    assert re.findall(r"^(?:import|from) (\S+)", code, re.M) == ["torch", "torch"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<reproduce>", "exec"), {"__name__": "__reproduce__"})
    printed = {}
    for line in out.getvalue().splitlines():
        name, value = line.split(" ", 1)
        printed[name] = ast.literal_eval(value)
    return printed


@pytest.mark.parametrize("mode", MODE_PARAMS)
@pytest.mark.parametrize("preset", FC_PRESETS)
def test_linear_to_conv2d_script_prints_convlabs_numbers(preset: str, mode: str) -> None:
    printed = run_script(linear_to_conv2d_code(preset, mode))
    linear, x, shape, relu = fc_example(preset)
    view = shape if mode == "full" else (math.prod(shape), 1, 1)
    with torch.no_grad():
        y_linear = linear(x)
        y_conv = linear_to_conv2d(linear, shape, mode)(x.view(1, *view)).flatten(1)
    act = torch.relu if relu else (lambda T: T)
    torch.testing.assert_close(torch.tensor(printed["linear"]), act(y_linear))
    torch.testing.assert_close(torch.tensor(printed["conv"]), act(y_conv))
    assert printed["max_abs_diff"] <= 1e-5


SCRIPT_CONFIGS = {
    "notes_4x4_kernel_3": ({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 4, 4)),
    "stride_padding": ({"in_channels": 2, "out_channels": 3, "kernel_size": (3, 2),
                        "stride": (2, 1), "padding": 1}, (2, 5, 4)),
    "groups_no_bias": ({"in_channels": 4, "out_channels": 2, "kernel_size": 2, "groups": 2,
                        "bias": False}, (4, 3, 3)),
    "dilation_valid": ({"in_channels": 1, "out_channels": 2, "kernel_size": 2, "dilation": 2,
                        "padding": "valid"}, (1, 5, 5)),
    "same_even_kernel": ({"in_channels": 1, "out_channels": 1, "kernel_size": 4,
                          "padding": "same"}, (1, 4, 3)),
    **{f"{mode}_padding": ({"in_channels": 2, "out_channels": 2, "kernel_size": 3, "padding": 2,
                            "padding_mode": mode}, (2, 3, 4))
       for mode in ("reflect", "replicate", "circular")},
}


@pytest.mark.parametrize("name", list(SCRIPT_CONFIGS))
def test_conv2d_to_linear_script_prints_convlabs_numbers(name: str) -> None:
    kwargs, shape = SCRIPT_CONFIGS[name]
    printed = run_script(conv2d_to_linear_code(kwargs, shape, seed=7))
    conv, x = conv_example(kwargs, shape, seed=7)
    linear = conv2d_to_linear(conv, shape)
    assert (printed["in_features"], printed["out_features"]) == (linear.in_features,
                                                                linear.out_features)
    with torch.no_grad():
        torch.testing.assert_close(torch.tensor(printed["conv"]), conv(x).flatten(1))
        torch.testing.assert_close(torch.tensor(printed["linear"]), linear(x.flatten(1)))
    assert printed["max_abs_diff"] <= 1e-5


# ---- refusals ------------------------------------------------------------------------------
def _linear(n: int = 16) -> nn.Linear:
    return nn.Linear(n, 2)


REFUSALS = {
    "product_9_not_16": (lambda: linear_to_conv2d(_linear(), (1, 3, 3)), "input_shape",
                         {"input_shape": (1, 4, 4)}),
    "two_sizes": (lambda: linear_to_conv2d(_linear(), (4, 4)), "input_shape",
                  {"input_shape": (1, 4, 4)}),
    "zero_size": (lambda: linear_to_conv2d(_linear(), (0, 4, 4)), "input_shape",
                  {"input_shape": (1, 4, 4)}),
    "float_size": (lambda: linear_to_conv2d(_linear(), (1, 4.5, 4)), "input_shape",
                   {"input_shape": (1, 4, 4)}),
    "prime_in_features": (lambda: linear_to_conv2d(_linear(7), (2, 2, 2)), "input_shape",
                          {"input_shape": (1, 1, 7)}),
    "bad_mode": (lambda: linear_to_conv2d(_linear(), (1, 4, 4), "dense"), "mode",
                 {"mode": "full"}),
    "not_a_linear": (lambda: linear_to_conv2d(nn.Conv2d(1, 1, 1), (1, 1, 1)), "linear", None),
    "crops_wrong_channels": (lambda: fc_on_crops(_linear(), (1, 4, 4), torch.zeros(1, 2, 5, 5)),
                             "X", None),
    "crops_smaller_than_crop": (lambda: fc_on_crops(_linear(), (1, 4, 4),
                                                    torch.zeros(1, 1, 3, 5)), "X", None),
    "crops_3d": (lambda: fc_on_crops(_linear(), (1, 4, 4), torch.zeros(1, 5, 5)), "X", None),
    "unknown_preset": (lambda: fc_example("seed999"), "preset", {"preset": "seed888"}),
    "not_a_conv": (lambda: conv2d_to_linear(_linear(), (1, 4, 4)), "conv", None),
    "batched_shape": (lambda: conv2d_to_linear(nn.Conv2d(1, 1, 3), (2, 1, 4, 4)), "input_shape",
                      {"input_shape": (1, 4, 4)}),
    "channels_3_not_1": (lambda: conv2d_to_linear(nn.Conv2d(1, 1, 3), (3, 4, 4)), "in_channels",
                         {"in_channels": 3}),
    "kernel_5_on_4x4": (lambda: conv2d_to_linear(nn.Conv2d(1, 1, 5), (1, 4, 4)), "kernel_size",
                        {"kernel_size": 4, "padding": 1}),
    "reflect_4_on_4x4": (lambda: conv2d_to_linear(nn.Conv2d(1, 1, 3, padding=4,
                                                            padding_mode="reflect"), (1, 4, 4)),
                         "padding", {"padding": 3}),
    "matrix_too_big": (lambda: conv2d_to_linear(nn.Conv2d(1, 1, 3, padding=1), (1, 64, 64)),
                       "input_shape", {"input_shape": (1, 44, 44)}),
    "index_map_reflect": (lambda: unrolled_weight_index(nn.Conv2d(1, 1, 3, padding=1,
                                                                  padding_mode="reflect"),
                                                        (1, 4, 4)),
                          "padding_mode", {"padding_mode": "zeros"}),
    "script_bad_groups": (lambda: conv2d_to_linear_code({"in_channels": 4, "out_channels": 4,
                                                         "kernel_size": 1, "groups": 3},
                                                        (4, 2, 2)), "groups", {"groups": 2}),
    "script_bad_mode": (lambda: linear_to_conv2d_code("seed888", "sideways"), "mode",
                        {"mode": "full"}),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refusals_name_the_parameter_and_the_nearest_fix(name: str) -> None:
    call, parameter, suggestion = REFUSALS[name]
    with pytest.raises(ConvConfigError) as info:
        call()
    assert info.value.parameter == parameter
    assert info.value.suggestion == suggestion
    assert "but got" in str(info.value)


def test_shape_refusal_names_both_numbers() -> None:
    with pytest.raises(ConvConfigError) as info:
        check_input_shape((2, 3, 3), 16)
    assert "16" in info.value.reason and "18" in info.value.reason
    assert info.value.suggestion == {"input_shape": (2, 2, 4)}  # channels kept


def test_too_big_suggestion_fits_and_reflect_map_without_padding_is_fine() -> None:
    conv = nn.Conv2d(1, 1, 3, padding=1)
    linear = conv2d_to_linear(conv, (1, 44, 44))
    assert linear.weight.numel() <= MAX_UNROLL_ELEMENTS
    index = unrolled_weight_index(nn.Conv2d(1, 1, 3, padding_mode="reflect"), (1, 4, 4))
    assert index.shape == (4, 16)


@settings(max_examples=60, deadline=None)
@given(kernel=st.integers(1, 5), dilation=st.integers(1, 3), padding=st.integers(0, 3),
       stride=st.integers(1, 2), mode=st.sampled_from(PADDING_MODES), size=st.integers(1, 5),
       channels=st.sampled_from([1, 2]))
def test_refuses_exactly_the_inputs_torch_refuses(kernel: int, dilation: int, padding: int,
                                                  stride: int, mode: str, size: int,
                                                  channels: int) -> None:
    conv = nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation,
                     padding_mode=mode)
    shape = (channels, size, size + 1)
    try:
        with torch.no_grad():
            conv(torch.zeros(1, *shape))
        torch_ok = True
    except (RuntimeError, ValueError):
        torch_ok = False
    try:
        conv2d_to_linear(conv, shape)
        ours_ok = True
    except ConvConfigError:
        ours_ok = False
    assert ours_ok == torch_ok, (conv, shape)


def test_padding_modes_differ_only_where_the_window_reads_padding() -> None:
    """Rows whose window stays inside the input are identical in every padding mode."""
    shape = (1, 5, 5)
    mats = {}
    for mode in PADDING_MODES:
        torch.manual_seed(0)
        conv = nn.Conv2d(1, 1, 3, padding=1, padding_mode=mode, dtype=torch.float64)
        mats[mode] = conv2d_to_linear(conv, shape).weight.detach().view(5, 5, -1)
    inner = (slice(1, 4), slice(1, 4))
    for mode in PADDING_MODES[1:]:
        assert torch.equal(mats[mode][inner], mats["zeros"][inner])
        assert not torch.equal(mats[mode], mats["zeros"])
    # every padding mode but zeros copies real cells: each row still sums to the whole kernel
    kernel_sum = conv.weight.sum()
    for mode in PADDING_MODES[1:]:
        torch.testing.assert_close(mats[mode].sum(-1), kernel_sum.expand(5, 5).detach())
