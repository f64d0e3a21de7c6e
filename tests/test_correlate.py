"""The corr2d family against ``F.conv2d``, plus the metamorphic laws of correlation and
convolution, dtype and device handling, and the refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from _conv_oracle import as_pair
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import int_or_pair

import convlab
from convlab import (
    ConvConfigError,
    convolve2d_multi_in_out,
    corr2d,
    corr2d_loop,
    corr2d_multi_in,
    corr2d_multi_in_loop,
    corr2d_multi_in_out,
    corr2d_multi_in_out_loop,
    corr2d_partials,
)

# F.conv2d's note that padding='same' with an even kernel copies the input: expected here
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

Tensor = torch.Tensor
VECTORISED = settings(max_examples=100, deadline=None)
LOOPS = settings(max_examples=50, deadline=None)  # python loops: slower per example
FLOATS = [pytest.param(torch.float64, id="float64"), pytest.param(torch.float32, id="float32")]



@dataclass(frozen=True)
class Case:
    c_in: int
    c_out: int
    groups: int
    kernel: tuple[int, int]
    stride: Any
    padding: Any
    dilation: Any
    size: tuple[int, int]
    seed: int

    @property
    def conv(self) -> dict[str, Any]:
        """stride, padding, dilation as both convlab and F.conv2d take them."""
        return dict(stride=self.stride, padding=self.padding, dilation=self.dilation)

    def tensors(self, dtype: torch.dtype = torch.float64) -> tuple[Tensor, Tensor]:
        """X (C_in, H, W) and K (C_out, C_in // groups, kh, kw)."""
        gen = torch.Generator().manual_seed(self.seed)
        X = torch.randn(self.c_in, *self.size, generator=gen, dtype=torch.float64)
        K = torch.randn(self.c_out, self.c_in // self.groups, *self.kernel, generator=gen,
                        dtype=torch.float64)
        return X.to(dtype), K.to(dtype)

    def int_tensors(self) -> tuple[Tensor, Tensor]:
        gen = torch.Generator().manual_seed(self.seed)
        X = torch.randint(-5, 6, (self.c_in, *self.size), generator=gen)
        K = torch.randint(-5, 6, (self.c_out, self.c_in // self.groups, *self.kernel),
                          generator=gen)
        return X, K


@st.composite
def cases(draw: st.DrawFn, max_channels: int = 4, grouped: bool = True) -> Case:
    """Kernel, dilation and padding first, then an input size (at most 9 x 9) that fits."""
    c_in = draw(st.integers(1, max_channels))
    c_out = draw(st.integers(1, max_channels))
    common = [g for g in range(1, max_channels + 1) if c_in % g == 0 and c_out % g == 0]
    groups = draw(st.sampled_from(common)) if grouped else 1
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = draw(int_or_pair(st.integers(1, 2)))
    padding = draw(st.one_of(int_or_pair(st.integers(0, 2)),
                             st.sampled_from(["same", "valid"])))
    stride = 1 if padding == "same" else draw(int_or_pair(st.integers(1, 3)))
    per_side = (0, 0) if isinstance(padding, str) else as_pair(padding)
    size = []
    for k, d, p in zip(kernel, as_pair(dilation), per_side, strict=True):
        low = 1 if padding == "same" else max(1, d * (k - 1) + 1 - 2 * p)
        size.append(draw(st.integers(low, 9)))
    return Case(c_in, c_out, groups, kernel, stride, padding, dilation, (size[0], size[1]),
                draw(st.integers(0, 2**16)))


def torch_corr(X: Tensor, K: Tensor, case: Case) -> Tensor:
    """The oracle: (C_in, H, W) x (C_out, C_in // groups, kh, kw) -> (C_out, H_out, W_out)."""
    return F.conv2d(X[None], K, groups=case.groups, **case.conv)[0]


# ---- each member against F.conv2d ----------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS)
@VECTORISED
@given(case=cases())
def test_corr2d_multi_in_out_is_conv2d(case: Case, dtype: torch.dtype) -> None:
    X, K = case.tensors(dtype)
    Y = corr2d_multi_in_out(X, K, groups=case.groups, **case.conv)
    assert Y.dtype == dtype
    torch.testing.assert_close(Y, torch_corr(X, K, case))


@pytest.mark.parametrize("dtype", FLOATS)
@LOOPS
@given(case=cases())
def test_corr2d_multi_in_out_loop_is_conv2d(case: Case, dtype: torch.dtype) -> None:
    X, K = case.tensors(dtype)
    Y = corr2d_multi_in_out_loop(X, K, groups=case.groups, **case.conv)
    assert Y.dtype == dtype
    torch.testing.assert_close(Y, torch_corr(X, K, case))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("fn", [corr2d_multi_in, corr2d_multi_in_loop],
                         ids=["corr2d_multi_in", "corr2d_multi_in_loop"])
@LOOPS
@given(case=cases(grouped=False))
def test_corr2d_multi_in_is_conv2d(fn: Callable[..., Tensor], case: Case, dtype: torch.dtype
                                   ) -> None:
    X, K = case.tensors(dtype)
    Y = fn(X, K[0], **case.conv)  # one output channel: K (C_in, kh, kw)
    assert Y.dtype == dtype and Y.dim() == 2
    torch.testing.assert_close(Y, torch_corr(X, K[:1], case)[0])


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("fn", [corr2d, corr2d_loop], ids=["corr2d", "corr2d_loop"])
@LOOPS
@given(case=cases(max_channels=1))
def test_corr2d_is_conv2d(fn: Callable[..., Tensor], case: Case, dtype: torch.dtype) -> None:
    X, K = case.tensors(dtype)
    Y = fn(X[0], K[0, 0], **case.conv)  # X (H, W), K (kh, kw)
    assert Y.dtype == dtype and Y.dim() == 2
    torch.testing.assert_close(Y, torch_corr(X, K, case)[0])


@LOOPS
@given(case=cases())
def test_partials_are_per_channel_correlations(case: Case) -> None:
    X, K = case.tensors()
    P = corr2d_partials(X, K, groups=case.groups, **case.conv)
    c_in_g, c_out_g = case.c_in // case.groups, case.c_out // case.groups
    assert P.shape[:2] == (case.c_out, c_in_g)
    torch.testing.assert_close(P.sum(1), corr2d_multi_in_out(X, K, groups=case.groups,
                                                             **case.conv))
    for o in range(case.c_out):
        g = o // c_out_g
        X_g = X[g * c_in_g: (g + 1) * c_in_g]  # the input channels output o reads
        # depthwise: channel c of X_g correlated with K[o, c] alone
        expected = F.conv2d(X_g[None], K[o][:, None], groups=c_in_g, **case.conv)[0]
        torch.testing.assert_close(P[o], expected)


@pytest.mark.parametrize("dtype", FLOATS)
@VECTORISED
@given(case=cases())
def test_convolve_is_conv2d_with_flipped_kernel(case: Case, dtype: torch.dtype) -> None:
    X, K = case.tensors(dtype)
    Y = convolve2d_multi_in_out(X, K, groups=case.groups, **case.conv)
    torch.testing.assert_close(Y, torch_corr(X, K.flip(-2, -1), case))


# ---- metamorphic laws ----------------------------------------------------------------------
@VECTORISED
@given(case=cases())
def test_convolution_is_correlation_with_flipped_kernel(case: Case) -> None:
    X, K = case.tensors()
    conv = dict(groups=case.groups, **case.conv)
    torch.testing.assert_close(convolve2d_multi_in_out(X, K, **conv),
                               corr2d_multi_in_out(X, K.flip(-2, -1), **conv))
    torch.testing.assert_close(convolve2d_multi_in_out(X, K.flip(-2, -1), **conv),
                               corr2d_multi_in_out(X, K, **conv))


@settings(max_examples=100, deadline=None)
@given(h=st.integers(1, 5), w=st.integers(1, 5), kh=st.integers(1, 4), kw=st.integers(1, 4),
       seed=st.integers(0, 2**16))
def test_full_convolution_commutes(h: int, w: int, kh: int, kw: int, seed: int) -> None:
    """True convolution is commutative (x * k = k * x with full padding); correlation is not,
    which is how the flip shows."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(1, h, w, generator=gen, dtype=torch.float64)
    K = torch.randn(1, 1, kh, kw, generator=gen, dtype=torch.float64)
    xk = convolve2d_multi_in_out(X, K, padding=(kh - 1, kw - 1))
    kx = convolve2d_multi_in_out(K[0], X[None], padding=(h - 1, w - 1))
    torch.testing.assert_close(xk, kx)
    # correlation instead gives the result rotated by 180 degrees
    torch.testing.assert_close(corr2d_multi_in_out(X, K, padding=(kh - 1, kw - 1)),
                               corr2d_multi_in_out(K[0], X[None], padding=(h - 1, w - 1)
                                                   ).flip(-2, -1))


@VECTORISED
@given(case=cases(), a=st.floats(-3, 3), b=st.floats(-3, 3))
def test_correlation_is_linear(case: Case, a: float, b: float) -> None:
    X, K = case.tensors()
    Y, K2 = Case(**{**case.__dict__, "seed": case.seed + 1}).tensors()
    conv = dict(groups=case.groups, **case.conv)
    torch.testing.assert_close(corr2d_multi_in_out(a * X + b * Y, K, **conv),
                               a * corr2d_multi_in_out(X, K, **conv)
                               + b * corr2d_multi_in_out(Y, K, **conv))
    torch.testing.assert_close(corr2d_multi_in_out(X, a * K + b * K2, **conv),
                               a * corr2d_multi_in_out(X, K, **conv)
                               + b * corr2d_multi_in_out(X, K2, **conv))


@VECTORISED
@given(case=cases(grouped=False), stride=int_or_pair(st.integers(1, 3)))
def test_1x1_kernel_is_einsum(case: Case, stride: Any) -> None:
    X, K = Case(**{**case.__dict__, "kernel": (1, 1)}).tensors()
    sh, sw = as_pair(stride)
    expected = torch.einsum("oc,chw->ohw", K[:, :, 0, 0], X[:, ::sh, ::sw])  # (C_out, H', W')
    torch.testing.assert_close(corr2d_multi_in_out(X, K, stride=stride), expected)


# ---- dtypes and devices --------------------------------------------------------------------
FAMILY: list[tuple[str, Callable[[Tensor, Tensor, Case], Tensor]]] = [
    ("corr2d_loop", lambda X, K, c: corr2d_loop(X[0], K[0, 0], **c.conv)),
    ("corr2d", lambda X, K, c: corr2d(X[0], K[0, 0], **c.conv)),
    ("corr2d_multi_in_loop", lambda X, K, c: corr2d_multi_in_loop(X, K[0], **c.conv)),
    ("corr2d_multi_in", lambda X, K, c: corr2d_multi_in(X, K[0], **c.conv)),
    ("corr2d_multi_in_out_loop", lambda X, K, c: corr2d_multi_in_out_loop(X, K, **c.conv)),
    ("corr2d_multi_in_out", lambda X, K, c: corr2d_multi_in_out(X, K, **c.conv)),
    ("corr2d_partials", lambda X, K, c: corr2d_partials(X, K, **c.conv)),
    ("convolve2d_multi_in_out", lambda X, K, c: convolve2d_multi_in_out(X, K, **c.conv)),
]
FAMILY_PARAMS = [pytest.param(fn, id=name) for name, fn in FAMILY]
FIXED = Case(c_in=2, c_out=3, groups=1, kernel=(2, 3), stride=(1, 2), padding=1, dilation=1,
             size=(5, 6), seed=7)


@pytest.mark.parametrize("fn", FAMILY_PARAMS)
@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64],
                         ids=["float16", "float32", "float64"])
def test_result_keeps_input_dtype(fn: Callable[..., Tensor], dtype: torch.dtype) -> None:
    X, K = FIXED.tensors(dtype)
    Y = fn(X, K, FIXED)
    assert Y.dtype == dtype and Y.device == X.device
    expected = fn(*FIXED.tensors(torch.float64), FIXED)
    tol = {torch.float16: 2e-2, torch.float32: 1e-5, torch.float64: 1e-12}[dtype]
    torch.testing.assert_close(Y.double(), expected, atol=tol, rtol=tol)


@pytest.mark.parametrize("fn", FAMILY_PARAMS)
@settings(max_examples=25, deadline=None)
@given(case=cases(grouped=False))
def test_integer_input_equals_float_result(fn: Callable[..., Tensor], case: Case) -> None:
    X, K = case.int_tensors()
    Y = fn(X, K, case)
    assert Y.dtype == torch.int64
    expected = fn(X.double(), K.double(), case)
    torch.testing.assert_close(Y, expected.round().long(), rtol=0, atol=0)


@pytest.mark.parametrize("device", [d.name for d in convlab.available_devices()])
@pytest.mark.parametrize("fn", FAMILY_PARAMS)
def test_result_stays_on_input_device(fn: Callable[..., Tensor], device: str) -> None:
    X, K = FIXED.tensors(torch.float32)
    Y = fn(X.to(device), K.to(device), FIXED)
    assert Y.device == torch.device(device)
    assert Y.dtype == torch.float32
    torch.testing.assert_close(Y.cpu(), fn(X, K, FIXED), atol=1e-4, rtol=1e-4)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("fn", FAMILY_PARAMS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64],
                         ids=["float32", "float64", "int64"])
def test_family_on_cuda_matches_cpu(fn: Callable[..., Tensor], dtype: torch.dtype) -> None:
    # TF32 may be on for float32 matmuls on the GPU; the tolerance allows for it
    tol = {torch.float32: 2e-3, torch.float64: 1e-10, torch.int64: 0.0}[dtype]
    for seed in range(5):
        case = Case(**{**FIXED.__dict__, "seed": seed})
        X, K = case.int_tensors() if dtype == torch.int64 else case.tensors(dtype)
        Y = fn(X.cuda(), K.cuda(), case)
        assert Y.is_cuda and Y.dtype == dtype
        torch.testing.assert_close(Y.cpu(), fn(X, K, case), atol=tol, rtol=tol)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@settings(max_examples=50, deadline=None)
@given(case=cases())
def test_corr2d_multi_in_out_on_cuda_is_conv2d(case: Case) -> None:
    X, K = (T.cuda() for T in case.tensors(torch.float64))
    Y = corr2d_multi_in_out(X, K, groups=case.groups, **case.conv)
    assert Y.is_cuda
    torch.testing.assert_close(Y, torch_corr(X, K, case))


# ---- refusals ------------------------------------------------------------------------------
def _t(*shape: int) -> Tensor:
    return torch.ones(shape)


REFUSALS = [
    pytest.param(lambda: corr2d_multi_in(_t(2, 5, 5), _t(3, 2, 2)), id="multi_in-channels"),
    pytest.param(lambda: corr2d_multi_in_loop(_t(2, 5, 5), _t(3, 2, 2)),
                 id="multi_in_loop-channels"),
    pytest.param(lambda: corr2d_multi_in_out(_t(2, 5, 5), _t(1, 3, 2, 2)),
                 id="multi_in_out-channels"),
    pytest.param(lambda: corr2d_multi_in_out_loop(_t(2, 5, 5), _t(1, 3, 2, 2)),
                 id="multi_in_out_loop-channels"),
    pytest.param(lambda: corr2d(_t(3, 3), _t(4, 4)), id="corr2d-kernel-too-big"),
    pytest.param(lambda: corr2d_loop(_t(3, 3), _t(4, 2)), id="corr2d_loop-kernel-too-big"),
    pytest.param(lambda: corr2d(_t(3, 3), _t(6, 6), padding=1), id="kernel-too-big-padded"),
    pytest.param(lambda: corr2d(_t(3, 3), _t(2, 2), dilation=3), id="dilated-too-big"),
    pytest.param(lambda: corr2d_multi_in_out(_t(1, 3, 3), _t(1, 1, 2, 2), padding="same",
                                             stride=2), id="same-strided"),
    pytest.param(lambda: corr2d(_t(3, 3), _t(2, 2), stride=0), id="stride-zero"),
    pytest.param(lambda: corr2d(_t(1, 3, 3), _t(2, 2)), id="corr2d-3d-input"),
    pytest.param(lambda: corr2d(_t(3, 3), _t(1, 2, 2)), id="corr2d-3d-kernel"),
    pytest.param(lambda: corr2d_loop(_t(3), _t(2, 2)), id="corr2d_loop-1d-input"),
    pytest.param(lambda: corr2d_multi_in(_t(3, 3), _t(2, 2)), id="multi_in-2d-input"),
    pytest.param(lambda: corr2d_multi_in_out(_t(1, 3, 3), _t(1, 2, 2)),
                 id="multi_in_out-3d-kernel"),
    pytest.param(lambda: corr2d_multi_in_out(_t(1, 1, 3, 3), _t(1, 1, 2, 2)),
                 id="multi_in_out-4d-input"),
    pytest.param(lambda: corr2d_partials(_t(2, 3, 3, 3), _t(1, 2, 2, 2)),
                 id="partials-4d-input"),
    pytest.param(lambda: corr2d_multi_in_out(_t(4, 5, 5), _t(3, 2, 2, 2), groups=2),
                 id="groups-not-dividing-out"),
    pytest.param(lambda: corr2d_multi_in_out(_t(3, 5, 5), _t(2, 1, 2, 2), groups=2),
                 id="groups-not-dividing-in"),
    pytest.param(lambda: corr2d_multi_in_out_loop(_t(3, 5, 5), _t(2, 1, 2, 2), groups=2),
                 id="loop-groups-not-dividing-in"),
    pytest.param(lambda: corr2d_partials(_t(4, 5, 5), _t(3, 2, 2, 2), groups=2),
                 id="partials-groups-not-dividing"),
    pytest.param(lambda: corr2d_multi_in_out(_t(2, 5, 5), _t(2, 2, 2, 2), groups=0),
                 id="groups-zero"),
    pytest.param(lambda: corr2d_multi_in_out(_t(2, 5, 5), _t(2, 2, 2, 2), groups=True),
                 id="groups-bool"),
    pytest.param(lambda: convolve2d_multi_in_out(_t(2, 5, 5), _t(2, 3, 2, 2)),
                 id="convolve-channels"),
]


@pytest.mark.parametrize("call", REFUSALS)
def test_bad_input_raises_conv_config_error(call: Callable[[], Tensor]) -> None:
    with pytest.raises(ConvConfigError) as info:
        call()
    assert info.value.parameter in str(info.value)


@pytest.mark.parametrize("X, K, groups", [
    pytest.param((2, 5, 5), (1, 3, 2, 2), 1, id="channels"),
    pytest.param((1, 3, 3), (1, 1, 4, 4), 1, id="kernel-too-big"),
    pytest.param((4, 5, 5), (3, 2, 2, 2), 2, id="groups-out"),
    pytest.param((3, 5, 5), (2, 1, 2, 2), 2, id="groups-in"),
])
def test_torch_refuses_the_same(X: tuple[int, ...], K: tuple[int, ...], groups: int) -> None:
    with pytest.raises((RuntimeError, ValueError)):
        F.conv2d(_t(*X)[None], _t(*K), groups=groups)
    with pytest.raises(ConvConfigError):
        corr2d_multi_in_out(_t(*X), _t(*K), groups=groups)
