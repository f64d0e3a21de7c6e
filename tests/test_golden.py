"""The textbook numbers learners know (../shared/seeds/README.md), pinned with readable ids.

Each is checked against convlab and against PyTorch itself, so a change in either shows.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import convlab
from convlab import (
    corr2d,
    corr2d_loop,
    corr2d_multi_in,
    corr2d_multi_in_loop,
    corr2d_multi_in_out,
    corr2d_multi_in_out_loop,
)
from convlab.check import compare
from convlab.device import default_device, resolve_device

Tensor = torch.Tensor

# d2l's examples
X_3x3 = torch.tensor([[0.0, 1, 2], [3, 4, 5], [6, 7, 8]])
K_2x2 = torch.tensor([[0.0, 1], [2, 3]])
X_2ch = torch.stack([X_3x3, X_3x3 + 1])  # (2, 3, 3)
K_2ch = torch.stack([K_2x2, K_2x2 + 1])  # (2, 2, 2)
K_3out = torch.stack([K_2ch, K_2ch + 1, K_2ch + 2])  # (3, 2, 2, 2)


def t(rows: list) -> Tensor:
    return torch.tensor(rows, dtype=torch.float32)


# ---- corr2d ----------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [corr2d, corr2d_loop], ids=["corr2d", "corr2d_loop"])
@pytest.mark.parametrize("X, K, expected", [
    pytest.param(X_3x3, K_2x2, [[19, 25], [37, 43]], id="d2l-corr2d-19-25-37-43"),
])
def test_corr2d_golden(fn: Callable[..., Tensor], X: Tensor, K: Tensor, expected: list) -> None:
    torch.testing.assert_close(fn(X, K), t(expected))
    torch.testing.assert_close(F.conv2d(X[None, None], K[None, None])[0, 0], t(expected))


@pytest.mark.parametrize("fn", [corr2d_multi_in, corr2d_multi_in_loop],
                         ids=["corr2d_multi_in", "corr2d_multi_in_loop"])
@pytest.mark.parametrize("X, K, expected", [
    pytest.param(X_2ch, K_2ch, [[56, 72], [104, 120]], id="d2l-multi-in-56-72-104-120"),
])
def test_corr2d_multi_in_golden(fn: Callable[..., Tensor], X: Tensor, K: Tensor,
                                expected: list) -> None:
    torch.testing.assert_close(fn(X, K), t(expected))
    torch.testing.assert_close(F.conv2d(X[None], K[None])[0, 0], t(expected))


@pytest.mark.parametrize("fn", [corr2d_multi_in_out, corr2d_multi_in_out_loop],
                         ids=["corr2d_multi_in_out", "corr2d_multi_in_out_loop"])
@pytest.mark.parametrize("X, K, expected", [
    pytest.param(X_2ch, K_3out, [[[56, 72], [104, 120]], [[76, 100], [148, 172]],
                                 [[96, 128], [192, 224]]], id="d2l-multi-out-K-K1-K2"),
])
def test_corr2d_multi_in_out_golden(fn: Callable[..., Tensor], X: Tensor, K: Tensor,
                                    expected: list) -> None:
    assert tuple(K.shape) == (3, 2, 2, 2)
    torch.testing.assert_close(fn(X, K), t(expected))
    torch.testing.assert_close(F.conv2d(X[None], K)[0], t(expected))


def test_1x1_as_matrix_multiply_golden() -> None:
    """d2l: X (3, 3, 3) ~ N(0, 1), K (2, 3, 1, 1); K @ X reshaped equals the correlation."""
    torch.manual_seed(0)
    X = torch.normal(0, 1, (3, 3, 3))
    K = torch.normal(0, 1, (2, 3, 1, 1))
    Y = (K.reshape(2, 3) @ X.reshape(3, 9)).reshape(2, 3, 3)  # (c_o, c_i) @ (c_i, h*w)
    assert float((corr2d_multi_in_out(X, K) - Y).abs().sum()) < 1e-6
    assert float((corr2d_multi_in_out_loop(X, K) - Y).abs().sum()) < 1e-6


# ---- edge detection --------------------------------------------------------------------
def _edge_image() -> Tensor:
    X = torch.ones(6, 8)
    X[:, 2:6] = 0
    return X


@pytest.mark.parametrize("fn", [corr2d, corr2d_loop], ids=["corr2d", "corr2d_loop"])
def test_edge_detection_golden(fn: Callable[..., Tensor]) -> None:
    X, K = _edge_image(), t([[1, -1]])
    expected = t([[0, 1, 0, 0, 0, -1, 0]] * 6)
    torch.testing.assert_close(fn(X, K), expected)
    torch.testing.assert_close(F.conv2d(X[None, None], K[None, None])[0, 0], expected)


@pytest.mark.parametrize("fn", [corr2d, corr2d_loop], ids=["corr2d", "corr2d_loop"])
def test_edge_detection_transposed_is_blind_golden(fn: Callable[..., Tensor]) -> None:
    Y = fn(_edge_image().T, t([[1, -1]]))
    torch.testing.assert_close(Y, torch.zeros(8, 5))


# ---- fully connected = convolution -------------------------------------------------------
SEEDED_WEIGHT = [[-0.4525, 0.1935, -0.3702, 0.3160], [0.2698, 0.2885, 0.2830, -0.0791]]


def _seeded_linear() -> nn.Linear:
    torch.manual_seed(888)
    return nn.Linear(4, 2)


def test_seeded_linear_golden() -> None:
    fc = _seeded_linear()
    torch.testing.assert_close(fc.weight.detach(), t(SEEDED_WEIGHT), atol=1e-4, rtol=0)
    with torch.no_grad():
        y = fc(t([[1, 2, 3, 4]]))
    torch.testing.assert_close(y, t([[0.2983, 1.4994]]), atol=1e-4, rtol=0)


def _conv_from_linear(fc: nn.Linear, scenario: str) -> tuple[nn.Conv2d, Tensor]:
    """Scenario 1: kernel size = input size; scenario 2: 1x1 kernel on a (1, 4, 1, 1) view."""
    n_out, n_in = fc.weight.shape
    if scenario == "kernel-equals-input":
        conv = nn.Conv2d(1, n_out, kernel_size=2)
        weight = fc.weight.reshape(n_out, 1, 2, 2)  # row r -> kernel r, (1, 2, 2)
    else:
        conv = nn.Conv2d(n_in, n_out, kernel_size=1)
        weight = fc.weight.reshape(n_out, n_in, 1, 1)  # row r -> (4, 1, 1)
    with torch.no_grad():
        conv.weight.copy_(weight)
        conv.bias.copy_(fc.bias)
    return conv, weight.detach()


def _view(x: Tensor, scenario: str) -> Tensor:
    return x.reshape(1, 1, 2, 2) if scenario == "kernel-equals-input" else x.reshape(1, 4, 1, 1)


SCENARIOS = [pytest.param("kernel-equals-input", id="conv-kernel-2x2-on-1x1x2x2"),
             pytest.param("one-by-one", id="conv-1x1-on-1x4x1x1")]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_seeded_linear_as_conv_golden(scenario: str) -> None:
    fc = _seeded_linear()
    conv, weight = _conv_from_linear(fc, scenario)
    x = t([[1, 2, 3, 4]])
    with torch.no_grad():
        y_conv = conv(_view(x, scenario)).reshape(1, 2)
        torch.testing.assert_close(y_conv, fc(x))
    torch.testing.assert_close(y_conv, t([[0.2983, 1.4994]]), atol=1e-4, rtol=0)
    ours = corr2d_multi_in_out(_view(x, scenario)[0], weight).reshape(2) + fc.bias.detach()
    torch.testing.assert_close(ours, y_conv[0])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_learner_linear_with_relu_as_conv_golden(scenario: str) -> None:
    """Linear(4, 2), weight [[1.1..1.4], [1.5..1.8]], bias [1.9, 2.0], input [[1, 2], [3, 4]],
    ReLU -> [14.9, 19.0]: via Linear, Conv2d and convlab."""
    fc = nn.Linear(4, 2)
    with torch.no_grad():
        fc.weight.copy_(t([[1.1, 1.2, 1.3, 1.4], [1.5, 1.6, 1.7, 1.8]]))
        fc.bias.copy_(t([1.9, 2.0]))
    image = t([[1, 2], [3, 4]])
    expected = t([14.9, 19.0])
    conv, weight = _conv_from_linear(fc, scenario)
    with torch.no_grad():
        torch.testing.assert_close(torch.relu(fc(image.reshape(1, 4)))[0], expected)
        torch.testing.assert_close(torch.relu(conv(_view(image, scenario))).reshape(2),
                                   expected)
    ours = corr2d_multi_in_out(_view(image, scenario)[0], weight).reshape(2) + fc.bias.detach()
    torch.testing.assert_close(torch.relu(ours), expected)


# ---- check.compare ---------------------------------------------------------------------
def test_compare_passes_on_the_golden_numbers() -> None:
    r = compare(corr2d(X_3x3, K_2x2), t([[19, 25], [37, 43]]), what="corr2d", oracle="d2l")
    assert r.passed is True
    assert r.max_abs_diff == 0.0
    assert (r.what, r.oracle, r.device, r.dtype) == ("corr2d", "d2l", "cpu", "float32")
    assert r.detail == ""


def test_compare_fails_and_reports_the_difference() -> None:
    wrong = t([[19, 25], [37, 43.5]])
    r = compare(corr2d(X_3x3, K_2x2), wrong, what="corr2d", oracle="d2l")
    assert r.passed is False
    assert r.max_abs_diff == pytest.approx(0.5)
    assert r.detail  # the first line of assert_close's message


def test_compare_tolerance_decides() -> None:
    a, b = t([1.0, 2.0]), t([1.0, 2.001])
    assert not compare(a, b, what="a", oracle="b").passed
    r = compare(a, b, what="a", oracle="b", atol=1e-2, rtol=0)
    assert r.passed and r.max_abs_diff == pytest.approx(1e-3, rel=1e-3)


def test_compare_shape_mismatch_is_infinitely_far() -> None:
    r = compare(torch.ones(2, 2), torch.ones(2, 3), what="a", oracle="b")
    assert r.passed is False and r.max_abs_diff == float("inf")


def test_compare_dtype_mismatch_fails() -> None:
    r = compare(torch.ones(2, dtype=torch.float64), torch.ones(2), what="a", oracle="b")
    assert r.passed is False and r.max_abs_diff == 0.0


# ---- devices ---------------------------------------------------------------------------
def test_resolve_device_falls_back_to_default() -> None:
    assert resolve_device("nonsense") == default_device()
    assert resolve_device(None) == default_device()
    assert resolve_device("cuda:99") == default_device()


def test_resolve_device_keeps_an_available_one() -> None:
    for info in convlab.available_devices():
        assert resolve_device(info.name) == torch.device(info.name)
    assert convlab.available_devices()[-1].name == "cpu"
    assert default_device() == torch.device(convlab.available_devices()[0].name)
