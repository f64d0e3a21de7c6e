"""Learning a kernel by gradient descent: d2l's example, the two models step by step, the
flipped-kernel target, divergence, the refusals, and the reproduce script run.

Why the tolerance of d2l's example is 0.1
-----------------------------------------
The loss ``||A w - y||**2`` is quadratic in the kernel ``w``: each row of ``A`` is a
window ``[x_j, x_j+1]`` of the stripe image. Per image row the windows are (1,1), (1,0),
(0,0), (0,0), (0,0), (0,1), (1,1), so over the six rows ``A^T A = [[18, 12], [12, 18]]``
and the Hessian ``2 A^T A`` has eigenvalue 60 along ``u = [1, 1]/sqrt 2`` and 12 along
``v = [1, -1]/sqrt 2``. One step ``w -= lr * grad`` multiplies the error ``w - [1, -1]``
along u by ``1 - 0.03 * 60 = -0.8`` and along v by ``1 - 0.03 * 12 = 0.64``; after 10
epochs by ``0.8**10 = 0.107`` and ``0.64**10 = 0.0115``.

``nn.Conv2d`` starts each weight uniform in ``[-1/sqrt 2, 1/sqrt 2]`` (fan_in 2), so the
initial error is at most 1 along u and ``(2 + sqrt 2) / sqrt 2 = 2.414`` along v. Every
entry of the final kernel is therefore within ``(0.107 * 1 + 0.0115 * 2.414) / sqrt 2
= 0.096`` of ``[1, -1]``, for every seed: the bound is proved, not fitted. Measured over
seeds 0..999 the worst entry is 0.087 (median 0.034). The loss ``30 e_u**2 + 6 e_v**2``
shrinks every epoch (both factors are below 1 in size) and after 10 epochs is at most
``30 * 0.107**2 + 6 * (0.0115 * 2.414)**2 = 0.35`` (measured worst 0.341).
"""

from __future__ import annotations

import ast
import contextlib
import io
import math
import re
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convlab.correlation.correlate import corr2d
from convlab.errors import ConvConfigError
from convlab.learn.pictures import IMAGE_IDS, input_image, target_kernel
from convlab.learn.problems import MAX_EPOCHS, identifiable, learning_problem, max_stable_lr
from convlab.learn.script import learn_kernel_code
from convlab.learn.training import (
    OUTCOMES,
    Conv2D,
    LearnHistory,
    initial_parameters,
    learn_kernel,
    learning_outcome,
)

D2L_TOLERANCE = 0.1  # proved above: 0.096 for any starting kernel nn.Conv2d can draw
D2L_FINAL_LOSS = 0.36  # proved above: 0.35
SEEDS = range(20)


def d2l_problem() -> tuple[torch.Tensor, torch.Tensor]:
    X, _, Y = learning_problem("stripe", "edge")
    return X, Y


def assert_histories_close(a: LearnHistory, b: LearnHistory, **tol: Any) -> None:
    assert len(a.kernels) == len(b.kernels) and a.diverged_at == b.diverged_at
    for epoch, (ka, kb) in enumerate(zip(a.kernels, b.kernels, strict=True)):
        try:
            torch.testing.assert_close(torch.tensor(ka), torch.tensor(kb), **tol)
        except AssertionError as err:
            raise AssertionError(f"kernel at epoch {epoch}: {err}") from None
    torch.testing.assert_close(torch.tensor(a.biases), torch.tensor(b.biases), **tol)
    torch.testing.assert_close(torch.tensor(a.losses), torch.tensor(b.losses), **tol)
    torch.testing.assert_close(torch.tensor(a.prediction), torch.tensor(b.prediction), **tol)


# ---- d2l's example ---------------------------------------------------------------------------
def test_d2l_data() -> None:
    X, Y = d2l_problem()
    assert X.shape == (6, 8) and Y.shape == (6, 7)
    assert Y.tolist() == [[0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]] * 6


@pytest.mark.parametrize("module", ["nn", "handwritten"])
@pytest.mark.parametrize("seed", SEEDS)
def test_d2l_loss_falls_and_kernel_approaches_edge(seed: int, module: str) -> None:
    X, Y = d2l_problem()
    h = learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, epochs=10, seed=seed, module=module)
    assert h.diverged_at is None
    assert len(h.losses) == len(h.kernels) == len(h.biases) == 11
    assert all(a > b for a, b in zip(h.losses, h.losses[1:], strict=False)), h.losses
    assert h.losses[-1] < D2L_FINAL_LOSS
    torch.testing.assert_close(torch.tensor(h.final_kernel), torch.tensor([[1.0, -1.0]]),
                               atol=D2L_TOLERANCE, rtol=0)
    assert h.biases == [0.0] * 11  # bias=False


def test_d2l_steps_follow_the_closed_form() -> None:
    """The error after e epochs is ``(I - lr * 2 A^T A)**e`` times the initial error."""
    X, Y = d2l_problem()
    h = learn_kernel(X, Y, seed=3)
    step = torch.eye(2, dtype=torch.float64) - 3e-2 * 2 * torch.tensor([[18.0, 12], [12, 18]],
                                                                       dtype=torch.float64)
    target = torch.tensor([1.0, -1.0], dtype=torch.float64)
    error = torch.tensor(h.kernels[0][0], dtype=torch.float64) - target
    for epoch, kernel in enumerate(h.kernels):
        torch.testing.assert_close(torch.tensor(kernel[0], dtype=torch.float64),
                                   target + torch.linalg.matrix_power(step, epoch) @ error,
                                   atol=1e-5, rtol=1e-5)


def test_stability_limit_matches_the_hessian() -> None:
    X, Y = d2l_problem()
    assert max_stable_lr(X) == pytest.approx(2 / 60)
    limit = max_stable_lr(X, bias=True)
    # just below the limit the error still shrinks, just above it grows
    slow = learn_kernel(X, Y, lr=0.95 * limit, epochs=300, bias=True)
    fast = learn_kernel(X, Y, lr=1.05 * limit, epochs=300, bias=True)
    assert slow.losses[-1] < 1e-3 * slow.losses[0]
    assert fast.diverged_at is not None or fast.losses[-1] > fast.losses[0]
    assert max_stable_lr(torch.zeros(4, 4)) == math.inf


# ---- the two models --------------------------------------------------------------------------
# lr below each problem's max_stable_lr (0.0333, 0.0161, 0.0146, 0.0084, 0.0167)
CONFIGS: dict[str, dict[str, Any]] = {
    "d2l": dict(image_id="stripe", kernel_id="edge", kernel_size=(1, 2), lr=3e-2, bias=False),
    "d2l_bias": dict(image_id="stripe", kernel_id="edge", kernel_size=(1, 2), lr=1e-2,
                     bias=True),
    "random_sobel": dict(image_id="random", kernel_id="sobel_x", kernel_size=(3, 3), lr=1e-2,
                         bias=False),
    "checker_blur_bias": dict(image_id="checkerboard", kernel_id="blur", kernel_size=3,
                              lr=5e-3, bias=True),
    "diagonal_edge_t": dict(image_id="diagonal", kernel_id="edge_t", kernel_size=(2, 1),
                            lr=1e-2, bias=False),
}


def run_config(name: str, **changes: Any) -> tuple[dict[str, Any], LearnHistory]:
    c = {**CONFIGS[name], **changes}
    X, _, Y = learning_problem(c["image_id"], c["kernel_id"],
                               convolution=c.get("convolution", False))
    h = learn_kernel(X, Y, c["kernel_size"], c["lr"], c.get("epochs", 10), c.get("seed", 0),
                     c["bias"], c.get("module", "nn"))
    return c, h


@pytest.mark.parametrize("name", list(CONFIGS))
def test_handwritten_matches_nn_step_by_step(name: str) -> None:
    _, nn_run = run_config(name, epochs=30)
    _, hand = run_config(name, epochs=30, module="handwritten")
    assert_histories_close(hand, nn_run)


@settings(max_examples=25, deadline=None)
@given(kh=st.integers(1, 3), kw=st.integers(1, 3), h=st.integers(3, 8), w=st.integers(3, 8),
       bias=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_handwritten_matches_nn_on_drawn_problems(kh: int, kw: int, h: int, w: int, bias: bool,
                                                  seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    X = torch.rand(h, w, generator=gen)
    Y = torch.randn(h - kh + 1, w - kw + 1, generator=gen)
    lr = 0.5 * max_stable_lr(X, (kh, kw), bias)
    runs = [learn_kernel(X, Y, (kh, kw), lr, 15, seed, bias, m) for m in ("nn", "handwritten")]
    assert_histories_close(*runs, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("kernel_size", [(1, 2), (3, 3), (2, 5)])
def test_initial_weights_are_torch_manual_seed(kernel_size: tuple[int, int], bias: bool) -> None:
    torch.manual_seed(1234)
    layer = torch.nn.Conv2d(1, 1, kernel_size, bias=bias)
    weight, b = initial_parameters(kernel_size, bias, 1234)
    assert torch.equal(weight, layer.weight.detach())
    assert (b is None) == (layer.bias is None)
    if b is not None and layer.bias is not None:
        assert torch.equal(b, layer.bias.detach())


def test_learning_leaves_the_global_random_state_alone() -> None:
    X, Y = d2l_problem()
    state = torch.get_rng_state()
    learn_kernel(X, Y, seed=5, bias=True)
    learn_kernel(X, Y, seed=5, module="handwritten")
    assert torch.equal(torch.get_rng_state(), state)


def test_deterministic_for_a_seed() -> None:
    X, Y = d2l_problem()
    assert learn_kernel(X, Y, seed=7) == learn_kernel(X, Y, seed=7)
    assert learn_kernel(X, Y, seed=7).kernels[0] != learn_kernel(X, Y, seed=8).kernels[0]


def test_hand_written_module_is_d2l_layer() -> None:
    torch.manual_seed(0)
    layer = Conv2D((2, 3))
    assert layer.weight.shape == (2, 3) and layer.bias is not None
    assert bool((layer.weight >= 0).all() and (layer.weight < 1).all())  # d2l: torch.rand
    assert layer.bias.tolist() == [0.0]
    X = torch.randn(5, 6)
    with torch.no_grad():
        layer.bias.fill_(0.5)
        expected = F.conv2d(X[None, None], layer.weight[None, None], layer.bias)[0, 0]
        torch.testing.assert_close(layer(X), expected)
    assert Conv2D(2, bias=False).bias is None


def test_zero_epochs_keep_the_start() -> None:
    X, Y = d2l_problem()
    h = learn_kernel(X, Y, epochs=0)
    assert len(h.losses) == len(h.kernels) == 1 and h.diverged_at is None
    torch.testing.assert_close(torch.tensor(h.prediction), corr2d(X, torch.tensor(h.kernels[0])))


# ---- what the target decides ---------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_convolution_target_learns_the_flipped_kernel(seed: int) -> None:
    """The same eigen-analysis as d2l's example: the flipped target [-1, 1] is as far from
    any start, so the same 0.1 holds."""
    X, K, Y = learning_problem("stripe", "edge", convolution=True)
    h = learn_kernel(X, Y, seed=seed)
    torch.testing.assert_close(torch.tensor(h.final_kernel), K.flip(-2, -1),
                               atol=D2L_TOLERANCE, rtol=0)


def test_convolution_target_of_an_asymmetric_kernel() -> None:
    """A 2 x 2 kernel that its flip does not merely negate, on a random 8 x 8 image.

    lr is half the stability limit and the epochs are enough for the slowest direction,
    whose error shrinks by ``1 - lr * lam_min`` a step, to fall below 1e-4 of the start.
    """
    X = input_image("random", seed=3)
    K = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    Y = corr2d(X, K.flip(-2, -1))
    A = X.double().unfold(0, 2, 1).unfold(1, 2, 1).reshape(-1, 4)  # (49, 4): the windows
    lam = 2 * torch.linalg.eigvalsh(A.T @ A)  # the Hessian's eigenvalues, ascending
    lr = 1 / float(lam[-1])
    epochs = math.ceil(math.log(1e-4) / math.log(1 - lr * float(lam[0])))
    assert epochs <= MAX_EPOCHS
    h = learn_kernel(X, Y, kernel_size=2, lr=lr, epochs=epochs)
    start = (torch.tensor(h.kernels[0]) - K.flip(-2, -1)).abs().max()
    torch.testing.assert_close(torch.tensor(h.final_kernel), K.flip(-2, -1),
                               atol=1e-4 * float(start) * 2 + 1e-5, rtol=0)
    assert (torch.tensor(h.final_kernel) - K).abs().max() > 2  # not the unflipped kernel


def test_vertical_edge_kernel_on_the_transposed_image_is_zero() -> None:
    X_t, K, Y = learning_problem("stripe_t", "edge")
    assert X_t.shape == (8, 6)
    assert torch.equal(Y, torch.zeros(8, 5))
    # the horizontal-edge kernel finds the edges of the transposed stripe instead
    _, _, Y_t = learning_problem("stripe_t", "edge_t")
    assert torch.equal(Y_t, learning_problem("stripe", "edge")[2].t())
    # learning from an all-zero target: the kernel only has to vanish along the one-windows
    h = learn_kernel(X_t, Y, kernel_size=(1, 2), epochs=100, lr=1e-2)
    assert h.losses[-1] < 1e-6 * h.losses[0]


# ---- what training finds, and whether X can tell --------------------------------------------
@pytest.mark.parametrize("image_id, kernel_size, bias, expected", [
    ("stripe", (1, 2), False, True),  # d2l: the windows (1,1), (1,0), (0,1) span both weights
    ("stripe_t", (1, 2), False, False),  # every window is (a, a): only w0 + w1 is seen
    ("checkerboard", (3, 3), True, False),  # two kinds of window for ten parameters
    ("random", (3, 3), True, True),
])
def test_identifiable_says_whether_two_kernels_can_give_one_y(
        image_id: str, kernel_size: tuple[int, int], bias: bool, expected: bool) -> None:
    """Not identifiable exactly when a second kernel (and bias) gives the same Y as F.conv2d
    computes it: the direction the windows never see, added to K, changes nothing."""
    X = input_image(image_id)
    assert identifiable(X, kernel_size, bias) is expected
    A = X.double().unfold(0, kernel_size[0], 1).unfold(1, kernel_size[1], 1)
    A = A.reshape(-1, kernel_size[0] * kernel_size[1])  # (windows, kh * kw)
    if bias:
        A = torch.cat([A, torch.ones(A.shape[0], 1, dtype=A.dtype)], 1)
    unseen = torch.linalg.svd(A).Vh[-1]  # the direction A stretches least
    K, b = torch.randn(kernel_size, dtype=torch.float64), torch.zeros(1, dtype=torch.float64)
    K2 = K + unseen[:K.numel()].reshape(kernel_size)
    b2 = b + (unseen[-1] if bias else 0.0)
    Y1 = F.conv2d(X.double()[None, None], K[None, None], b if bias else None)
    Y2 = F.conv2d(X.double()[None, None], K2[None, None], b2 if bias else None)
    assert torch.allclose(Y1, Y2, atol=1e-9) is not expected


@pytest.mark.parametrize("image_id, kernel_id, lr, epochs, bias, convolution, outcome", [
    ("stripe", "edge", 3e-2, 10, False, False, "found"),  # d2l
    ("stripe", "edge", 3e-2, 20, False, True, "flipped"),
    ("random", "sobel_x", 1e-2, 100, False, False, "found"),
    ("random", "blur", 3e-3, 200, True, False, "found"),
    ("checkerboard", "blur", 3e-3, 200, True, False, "not_identifiable"),
    ("stripe", "edge", 0.1, 30, False, False, "diverged"),
    ("stripe", "edge", 0.034, 10, False, False, "unstable"),  # just above 1/30
    ("stripe", "edge", 1e-3, 10, False, False, "not_converged"),
    ("random", "blur", 1e-3, 10, False, True, "not_converged"),  # symmetric: its flip is K
])
def test_learning_outcome_says_what_training_found(image_id: str, kernel_id: str, lr: float,
                                                   epochs: int, bias: bool, convolution: bool,
                                                   outcome: str) -> None:
    X, K, Y = learning_problem(image_id, kernel_id, convolution=convolution)
    h = learn_kernel(X, Y, (K.shape[0], K.shape[1]), lr, epochs, 0, bias)
    assert outcome in OUTCOMES
    assert learning_outcome(h, X, K, lr=lr, bias=bias, convolution=convolution) == outcome
    learned = torch.tensor(h.final_kernel)
    found = learned.shape == K.shape and bool(((learned - K).abs() <= 0.05).all())
    assert found is (outcome == "found")


# ---- divergence ------------------------------------------------------------------------------
@pytest.mark.parametrize("module", ["nn", "handwritten"])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("lr", [10.0, 100.0])
def test_divergence_stops_training_with_a_finite_history(lr: float, bias: bool, module: str
                                                         ) -> None:
    X, Y = d2l_problem()
    h = learn_kernel(X, Y, lr=lr, epochs=MAX_EPOCHS, bias=bias, module=module)
    assert h.diverged_at is not None and 1 <= h.diverged_at < MAX_EPOCHS
    assert len(h.losses) == len(h.kernels) == len(h.biases) == h.diverged_at
    numbers = [*h.losses, *h.biases, *(v for k in h.kernels for r in k for v in r),
               *(v for r in h.prediction for v in r)]
    assert all(math.isfinite(v) for v in numbers)
    assert h.losses[-1] > h.losses[0]


def test_d2l_lr_10_diverges_at_epoch_7() -> None:
    """The error grows 1 - 10 * 60 = -599 times an epoch; float32 overflows at ~3.4e38."""
    X, Y = d2l_problem()
    assert learn_kernel(X, Y, lr=10, epochs=10).diverged_at == 7


# ---- refusals --------------------------------------------------------------------------------
X6, Y6 = d2l_problem()
REFUSALS: dict[str, tuple[dict[str, Any], str, dict[str, Any] | None]] = {
    "epochs_too_many": (dict(epochs=MAX_EPOCHS + 1), "epochs", {"epochs": MAX_EPOCHS}),
    "epochs_negative": (dict(epochs=-1), "epochs", {"epochs": 0}),
    "epochs_float": (dict(epochs=10.5), "epochs", {"epochs": 10}),
    "epochs_bool": (dict(epochs=True), "epochs", {"epochs": 10}),
    "lr_zero": (dict(lr=0.0), "lr", {"lr": 3e-2}),
    "lr_nan": (dict(lr=float("nan")), "lr", {"lr": 3e-2}),
    "lr_huge": (dict(lr=1e9), "lr", {"lr": 100.0}),
    "kernel_8": (dict(kernel_size=8, Y=torch.zeros(1, 1)), "kernel_size", {"kernel_size": (6, 7)}),
    "kernel_zero": (dict(kernel_size=(0, 2)), "kernel_size", {"kernel_size": (1, 2)}),
    "kernel_triple": (dict(kernel_size=(1, 2, 3)), "kernel_size", {"kernel_size": (1, 2)}),
    "Y_wrong_shape": (dict(Y=torch.zeros(6, 6)), "Y", {"kernel_size": (1, 3)}),
    "X_too_big": (dict(X=torch.zeros(65, 8)), "X", None),
    "X_3d": (dict(X=torch.zeros(1, 6, 8)), "X", None),
    "X_nan": (dict(X=torch.full((6, 8), float("nan"))), "X", None),
    "X_huge_values": (dict(X=torch.full((6, 8), 1e7)), "X", None),
    "X_text": (dict(X="stripe"), "X", None),
    "seed_negative": (dict(seed=-1), "seed", {"seed": 0}),
    "bias_string": (dict(bias="yes"), "bias", {"bias": False}),
    "module_unknown": (dict(module="keras"), "module", {"module": "nn"}),
    "device_missing": (dict(device="tpu"), "device", {"device": "cpu"}),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_out_of_range_settings_are_refused(name: str) -> None:
    changes, parameter, suggestion = REFUSALS[name]
    kwargs: dict[str, Any] = {"X": X6, "Y": Y6, **changes}
    with pytest.raises(ConvConfigError) as info:
        learn_kernel(**kwargs)
    assert info.value.parameter == parameter
    assert info.value.suggestion == suggestion
    assert parameter in str(info.value)


def test_bad_values_are_named() -> None:
    X = X6.clone()
    X[2, 3] = float("inf")
    with pytest.raises(ConvConfigError) as info:
        learn_kernel(X, Y6)
    assert info.value.value == math.inf
    with pytest.raises(ConvConfigError) as info:
        learn_kernel(X6, Y6 * 2e6)
    assert (info.value.parameter, info.value.value) == ("Y", 2e6)


@pytest.mark.parametrize("name", [n for n, r in REFUSALS.items() if r[2] and r[1] != "Y"
                                  and n != "kernel_8"])
def test_the_suggestion_is_accepted(name: str) -> None:
    changes, _, suggestion = REFUSALS[name]
    learn_kernel(**{"X": X6, "Y": Y6, **changes, **(suggestion or {})})


def test_unknown_cuda_device_refused_without_a_gpu() -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConvConfigError) as info:
        learn_kernel(X6, Y6, device="cuda")
    assert info.value.parameter == "device"


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("module", ["nn", "handwritten"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_cuda_matches_cpu_and_is_deterministic(name: str, module: str) -> None:
    c = {**CONFIGS[name]}
    X, _, Y = learning_problem(c["image_id"], c["kernel_id"])
    args = (X, Y, c["kernel_size"], c["lr"], 30, 0, c["bias"], module)
    on_gpu = learn_kernel(*args, device="cuda")
    assert on_gpu == learn_kernel(*args, device="cuda")
    assert_histories_close(on_gpu, learn_kernel(*args, device="cpu"), atol=1e-4, rtol=1e-4)


# ---- the reproduce script -------------------------------------------------------------------
def run_script(code: str) -> dict[str, Any]:
    """Exec the script as a learner would; collect the losses, the kernel and the bias."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<learn_kernel_code>", "exec"), {"__name__": "__reproduce__"})
    printed: dict[str, Any] = {"losses": [], "diverged_at": None, "bias": None}
    for line in out.getvalue().splitlines():
        if m := re.fullmatch(r"epoch (\d+), loss (.+)", line):
            assert int(m.group(1)) == len(printed["losses"])
            printed["losses"].append(float(m.group(2)))
        elif m := re.fullmatch(r"diverged at epoch (\d+)", line):
            printed["diverged_at"] = int(m.group(1))
        elif m := re.fullmatch(r"(kernel|bias) (.+)", line):
            printed[m.group(1)] = ast.literal_eval(m.group(2))
        else:
            raise AssertionError(f"unexpected output line {line!r}")
    return printed


SCRIPTS: dict[str, dict[str, Any]] = {
    **{name: {**c} for name, c in CONFIGS.items()},
    "d2l_convolution": {**CONFIGS["d2l"], "convolution": True},
    "d2l_seed_9_long": {**CONFIGS["d2l"], "seed": 9, "epochs": 40},
    "d2l_diverging": {**CONFIGS["d2l"], "lr": 10.0, "epochs": 20},
    "random_seed_5": {**CONFIGS["random_sobel"], "image_seed": 5},
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_script_prints_learn_kernels_numbers(name: str) -> None:
    c = SCRIPTS[name]
    code = learn_kernel_code(c["image_id"], c["kernel_id"], c["kernel_size"], c["lr"],
                             c.get("epochs", 10), c.get("seed", 0), c["bias"],
                             image_seed=c.get("image_seed", 0),
                             convolution=c.get("convolution", False))
    assert {line.split()[1] for line in code.splitlines() if line.startswith(("import", "from"))
            } == {"torch"}
    X, _, Y = learning_problem(c["image_id"], c["kernel_id"], image_seed=c.get("image_seed", 0),
                               convolution=c.get("convolution", False))
    h = learn_kernel(X, Y, c["kernel_size"], c["lr"], c.get("epochs", 10), c.get("seed", 0),
                     c["bias"])
    printed = run_script(code)
    assert printed["diverged_at"] == h.diverged_at
    # the script's Y comes from F.conv2d, learn_kernel's from corr2d: a last-bit difference
    torch.testing.assert_close(torch.tensor(printed["losses"]), torch.tensor(h.losses),
                               atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(torch.tensor(printed["kernel"]), torch.tensor(h.final_kernel),
                               atol=1e-5, rtol=1e-5)
    if c["bias"]:
        assert printed["bias"] == pytest.approx(h.biases[-1], abs=1e-5)


def test_script_of_d2l_reads_like_the_book() -> None:
    code = learn_kernel_code("stripe", "edge")
    for line in ["X = torch.ones((6, 8))", "X[:, 2:6] = 0", "K = torch.tensor([[1.0, -1.0]])",
                 "conv2d = nn.Conv2d(1, 1, kernel_size=(1, 2), bias=False)", "lr = 0.03",
                 "torch.manual_seed(0)"]:
        assert line in code.splitlines()


@pytest.mark.parametrize("image_id", IMAGE_IDS)
def test_every_image_has_a_learnable_edge_problem(image_id: str) -> None:
    X, K, Y = learning_problem(image_id, "edge")
    assert torch.equal(K, target_kernel("edge"))
    h = learn_kernel(X, Y, kernel_size=(1, 2), lr=0.5 * max_stable_lr(X), epochs=50)
    assert h.diverged_at is None and h.losses[-1] <= h.losses[0]


def test_script_refuses_what_learn_kernel_refuses() -> None:
    with pytest.raises(ConvConfigError) as info:
        learn_kernel_code("stripe", "blur", kernel_size=(1, 2))  # Y is (4, 6), not (6, 7)
    assert info.value.parameter == "Y" and info.value.suggestion == {"kernel_size": (3, 3)}
    with pytest.raises(ConvConfigError):
        learn_kernel_code("stripe", "edge", epochs=10_000)
