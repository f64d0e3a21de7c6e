"""Learning a kernel from input and output pictures, as d2l does at the end of
"convolutions for images": plain gradient descent on the summed squared error.

Two models learn the same way from the same start: PyTorch's ``nn.Conv2d`` and the
lesson's hand-written ``Conv2D`` built on :func:`convlab.correlation.corr2d`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ..correlation.correlate import corr2d
from ..device import available_devices
from ..errors import ConvConfigError
from ..params import to_pair
from .pictures import (
    MAX_KERNEL_SIDE,
    _require_id,
    _require_seed,
    input_image,
    one_cpu_thread,
    target_kernel,
)

Tensor = torch.Tensor

MODULES = ("nn", "handwritten")
MAX_EPOCHS = 500
MAX_IMAGE_SIDE = 64
MAX_LR = 100.0
# With |values| <= 1e6 the first loss, at most ~(49 * 1e6)**2 * 64**2 ~ 1e19, is finite in
# float32, so every history has at least its epoch 0.
MAX_ABS_VALUE = 1e6


class Conv2D(nn.Module):
    """d2l's hand-written convolution layer: ``corr2d(x, weight) + bias``, one channel.

    Args:
        kernel_size: ``(kh, kw)`` or an int for a square kernel.
        bias: add a learnable bias (d2l's layer always has one).
        generator: where the initial weights are drawn from (the global one by default).

    Shape:
        x ``(H, W)`` -> ``(H - kh + 1, W - kw + 1)``; ``weight`` is ``(kh, kw)``, ``bias``
        ``(1,)`` or ``None``.

    As in d2l the weight starts uniform in [0, 1) and the bias at zero.

    >>> layer = Conv2D((1, 2))
    >>> with torch.no_grad():
    ...     layer.weight[:] = torch.tensor([[1.0, -1.0]])
    >>> layer(torch.tensor([[1.0, 1, 0, 0, 1]]))
    tensor([[ 0.,  1.,  0., -1.]], grad_fn=<AddBackward0>)
    """

    weight: nn.Parameter
    bias: nn.Parameter | None

    def __init__(self, kernel_size: int | tuple[int, int], bias: bool = True,
                 generator: torch.Generator | None = None) -> None:
        super().__init__()
        shape = to_pair("kernel_size", kernel_size)
        self.weight = nn.Parameter(torch.rand(shape, generator=generator))
        if bias:
            self.bias = nn.Parameter(torch.zeros(1))
        else:
            self.register_parameter("bias", None)

    def forward(self, x: Tensor) -> Tensor:
        Y = corr2d(x, self.weight)
        return Y if self.bias is None else Y + self.bias


@dataclass(frozen=True)
class LearnHistory:
    """What one run of :func:`learn_kernel` went through, as plain Python numbers.

    Index ``e`` of ``losses``, ``kernels`` and ``biases`` is the state after ``e`` updates:
    ``kernels[0]`` is the random start and ``losses[e]`` is the loss of ``kernels[e]``, so
    d2l's printed "epoch e" loss (taken before that epoch's update) is ``losses[e - 1]``.
    All three have ``len == epochs + 1``, or ``diverged_at`` entries when training diverged.

    Attributes:
        losses: summed squared error per epoch.
        kernels: the kernel ``(kh, kw)`` as nested lists per epoch.
        biases: the bias per epoch; ``0.0`` throughout when the layer has none.
        prediction: ``Y_hat`` of the last kept kernel, nested lists ``(H_out, W_out)``.
        diverged_at: the first epoch whose loss (or kernel) was not finite, not kept; else
            ``None``. Everything kept is finite.
    """

    losses: list[float]
    kernels: list[list[list[float]]]
    biases: list[float]
    prediction: list[list[float]]
    diverged_at: int | None

    @property
    def final_kernel(self) -> list[list[float]]:
        """The last kept kernel."""
        return self.kernels[-1]


def learning_problem(image_id: str, kernel_id: str, *, image_seed: int = 0,
                     convolution: bool = False) -> tuple[Tensor, Tensor, Tensor]:
    """The lesson's data: input ``X``, target kernel ``K`` and target output ``Y``.

    ``Y = corr2d(X, K)``, or with ``convolution=True`` the true convolution (``K`` flipped
    in both axes), which a layer that cross-correlates can only learn as the flipped kernel.

    Returns:
        ``X (H, W)``, ``K (kh, kw)``, ``Y (H - kh + 1, W - kw + 1)``, float32 on the CPU.

    Raises:
        ConvConfigError: for an unknown id or a bad seed.

    >>> X, K, Y = learning_problem("stripe", "edge")
    >>> Y[0]
    tensor([ 0.,  1.,  0.,  0.,  0., -1.,  0.])
    """
    X, K = input_image(image_id, image_seed), target_kernel(kernel_id)
    return X, K, corr2d(X, K.flip(-2, -1) if convolution else K)


# ---- validation: every refusal of learn_kernel is here --------------------------------------
def _require_number(name: str, value: Any, low: float, high: float, default: float,
                    integer: bool) -> None:
    """An int in ``[low, high]``, or a finite real in ``(low, high]``; bools refused."""
    real = isinstance(value, numbers.Real) and not isinstance(value, bool) \
        and math.isfinite(value)
    if integer:
        ok = real and isinstance(value, numbers.Integral) and low <= float(value) <= high
    else:
        ok = real and low < value <= high
    if ok:
        return
    nearest: float = default
    if real:
        nearest = min(max(float(value), low if integer else default), high)
        nearest = round(nearest) if integer else nearest
    bounds = f"in [{low:g}, {high:g}]" if integer else f"in ({low:g}, {high:g}]"
    what = "an integer" if integer else "a number"
    raise ConvConfigError(name, value, f"{name} must be {what} {bounds}", {name: nearest})


def _require_picture(name: str, T: Any) -> Tensor:
    try:
        T = torch.as_tensor(T)
    except (TypeError, ValueError, RuntimeError):
        raise ConvConfigError(name, type(T).__name__, f"{name} must be a 2-D array") from None
    if T.dim() != 2 or T.is_complex() or T.dtype == torch.bool:
        raise ConvConfigError(name, tuple(T.shape), f"{name} must be a 2-D real array (H, W)")
    if min(T.shape) < 1 or max(T.shape) > MAX_IMAGE_SIDE:
        raise ConvConfigError(name, tuple(T.shape),
                              f"{name} sides must be between 1 and {MAX_IMAGE_SIDE}")
    T = T.detach().to("cpu", torch.float32)
    # the offending value: a NaN or infinity if there is one, else the largest magnitude
    worst = float(T[~torch.isfinite(T)][0]) if not bool(torch.isfinite(T).all()) \
        else float(T.abs().max())
    if not math.isfinite(worst) or worst > MAX_ABS_VALUE:
        raise ConvConfigError(name, worst, f"{name} values must be finite and at most "
                              f"{MAX_ABS_VALUE:g} in magnitude")
    return T


def _require_kernel_size(kernel_size: Any, X: Tensor) -> tuple[int, int]:
    kh, kw = to_pair("kernel_size", kernel_size)
    H, W = X.shape
    limit = (min(H, MAX_KERNEL_SIDE), min(W, MAX_KERNEL_SIDE))
    if not (1 <= kh <= limit[0] and 1 <= kw <= limit[1]):
        nearest = (min(max(kh, 1), limit[0]), min(max(kw, 1), limit[1]))
        raise ConvConfigError("kernel_size", kernel_size, "kernel_size must be at least 1, "
                              f"at most {MAX_KERNEL_SIDE} and fit inside X {(H, W)}",
                              {"kernel_size": nearest})
    return kh, kw


def _require_device(device: Any) -> torch.device:
    names = {d.name for d in available_devices()}
    if torch.cuda.is_available():
        names.add("cuda")
    if str(device) not in names:
        raise ConvConfigError("device", device, f"device must be one of {sorted(names)}",
                              {"device": "cpu"})
    return torch.device(device)


def _validate(X: Any, Y: Any, kernel_size: Any, lr: Any, epochs: Any, seed: Any, bias: Any,
              module: Any, device: Any) -> tuple[Tensor, Tensor, tuple[int, int], torch.device]:
    X = _require_picture("X", X)
    k = _require_kernel_size(kernel_size, X)
    Y = _require_picture("Y", Y)
    expected = (X.shape[0] - k[0] + 1, X.shape[1] - k[1] + 1)
    if tuple(Y.shape) != expected:
        fits = X.shape[0] - Y.shape[0] + 1, X.shape[1] - Y.shape[1] + 1
        ok = all(1 <= f <= MAX_KERNEL_SIDE for f in fits)
        raise ConvConfigError("Y", tuple(Y.shape), f"Y must be {expected}, the size of X "
                              f"{tuple(X.shape)} correlated with a {k} kernel",
                              {"kernel_size": fits} if ok else None)
    _require_number("lr", lr, 0.0, MAX_LR, 3e-2, integer=False)
    _require_number("epochs", epochs, 0, MAX_EPOCHS, 10, integer=True)
    _require_seed(seed)
    if not isinstance(bias, bool):
        raise ConvConfigError("bias", bias, "bias must be True or False", {"bias": False})
    _require_id("module", module, MODULES)
    return X, Y, k, _require_device(device)


# ---- training -------------------------------------------------------------------------------
def initial_parameters(kernel_size: tuple[int, int], bias: bool, seed: int
                       ) -> tuple[Tensor, Tensor | None]:
    """``nn.Conv2d(1, 1, kernel_size, bias=bias)``'s weight and bias after ``torch.manual_seed``.

    Drawn from a private generator, so the global random state is left alone; the values
    equal those of ``torch.manual_seed(seed); nn.Conv2d(...)``.

    Returns:
        weight ``(1, 1, kh, kw)`` and bias ``(1,)`` (or ``None``), on the CPU.
    """
    gen = torch.Generator().manual_seed(seed)
    weight = torch.empty(1, 1, *kernel_size)
    nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=gen)  # as Conv2d.reset_parameters
    if not bias:
        return weight, None
    bound = 1 / math.sqrt(kernel_size[0] * kernel_size[1])  # 1 / sqrt(fan_in)
    return weight, nn.init.uniform_(torch.empty(1), -bound, bound, generator=gen)


def _build(module: str, k: tuple[int, int], bias: bool, seed: int, device: torch.device
           ) -> tuple[nn.Module, Tensor, Tensor | None]:
    """The model and views of its kernel ``(kh, kw)`` and bias ``(1,)`` parameters."""
    weight, b = initial_parameters(k, bias, seed)
    model: nn.Conv2d | Conv2D
    if module == "nn":
        # skip_init: no draw from the global generator; the values are set just below
        model = nn.utils.skip_init(nn.Conv2d, 1, 1, k, bias=bias)
        with torch.no_grad():
            model.weight.copy_(weight)  # (1, 1, kh, kw)
            if model.bias is not None and b is not None:
                model.bias.copy_(b)
    else:
        model = Conv2D(k, bias=bias, generator=torch.Generator())  # overwritten below
        with torch.no_grad():
            model.weight.copy_(weight[0, 0])  # (1, 1, kh, kw) -> (kh, kw)
            if model.bias is not None and b is not None:
                model.bias.copy_(b)
    model = model.to(device)
    bias_param = model.bias
    return model, model.weight.view(k), bias_param


@contextmanager
def _steady(device: torch.device) -> Iterator[None]:
    """Settings under which a seed gives the same numbers every run, quickly.

    On CUDA: cuDNN without autotuning or TF32. On the CPU: one intra-op thread, which also
    fixes the order of every sum; the problems are tiny (at most 64 x 64 and 7 x 7), and on a
    busy 2-core machine nn.Conv2d's epoch went from 0.2 ms to 5-15 ms with two threads.
    """
    if device.type == "cuda":
        with torch.backends.cudnn.flags(enabled=True, benchmark=False, deterministic=True,
                                        allow_tf32=False):
            yield
    elif device.type == "cpu":
        with one_cpu_thread():
            yield
    else:
        yield


def learn_kernel(X: Any, Y: Any, kernel_size: int | tuple[int, int] = (1, 2), lr: float = 3e-2,
                 epochs: int = 10, seed: int = 0, bias: bool = False, module: str = "nn",
                 device: str = "cpu") -> LearnHistory:
    """Learn the kernel that maps ``X`` to ``Y`` by gradient descent, as d2l does.

    The model is ``nn.Conv2d(1, 1, kernel_size, bias=bias)`` (``module="nn"``) or the
    hand-written :class:`Conv2D` (``module="handwritten"``), both starting from the weights
    ``torch.manual_seed(seed); nn.Conv2d(...)`` would have. Each epoch computes
    ``Y_hat``, the loss ``((Y_hat - Y) ** 2).sum()`` and its gradient, then steps
    ``w -= lr * w.grad`` (the bias too). Training stops, without raising, at the first epoch
    whose loss or kernel is not finite (``diverged_at``). Computed in float32.

    Args:
        X: input picture ``(H, W)``, sides at most 64, values finite and at most 1e6.
        Y: target ``(H - kh + 1, W - kw + 1)``.
        kernel_size: ``(kh, kw)`` or an int, sides at most 7 and fitting inside X.
        lr: learning rate in ``(0, 100]``.
        epochs: number of updates, in ``[0, 500]``.
        seed: seed of the initial weights, in ``[0, 2**32 - 1]``.
        bias: learn a bias as well.
        module: ``"nn"`` or ``"handwritten"``.
        device: a device this machine has (``"cpu"``, ``"cuda:0"``, ...).

    Returns:
        The :class:`LearnHistory`.

    Raises:
        ConvConfigError: for any argument out of range, naming it and the nearest valid value.

    d2l's example: the vertical-edge kernel is learned back from its output.

    >>> X, K, Y = learning_problem("stripe", "edge")
    >>> h = learn_kernel(X, Y, kernel_size=(1, 2), lr=3e-2, epochs=10)
    >>> h.losses[0] > 10 > 1 > h.losses[-1], h.diverged_at
    (True, None)
    >>> [[round(k, 1) for k in row] for row in h.final_kernel]
    [[1.0, -1.0]]
    """
    X, Y, k, dev = _validate(X, Y, kernel_size, lr, epochs, seed, bias, module, device)
    model, weight, b = _build(module, k, bias, seed, dev)
    X, Y = X.to(dev), Y.to(dev)
    if module == "nn":
        X, Y = X[None, None], Y[None, None]  # (H, W) -> (1, 1, H, W): batch and channel of 1
    params = list(model.parameters())  # the weight, and the bias if there is one
    losses: list[float] = []
    kernels: list[list[list[float]]] = []
    biases: list[float] = []
    prediction: Tensor | None = None
    diverged_at = None
    with _steady(dev):
        for epoch in range(epochs + 1):
            Y_hat = model(X)
            loss = ((Y_hat - Y) ** 2).sum()
            value = float(loss.item())
            w = weight.detach().cpu()
            if not (math.isfinite(value) and bool(torch.isfinite(w).all())):
                diverged_at = epoch
                break
            losses.append(value)
            kernels.append(w.tolist())
            biases.append(float(b.item()) if b is not None else 0.0)
            prediction = Y_hat.detach()
            if epoch == epochs:
                break
            model.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p.sub_(lr * p.grad)  # type: ignore[operator]  # w -= lr * w.grad
    assert prediction is not None  # epoch 0 is finite: see MAX_ABS_VALUE
    return LearnHistory(losses, kernels, biases, prediction.reshape(Y.shape[-2:]).cpu().tolist(),
                        diverged_at)


def max_stable_lr(X: Any, kernel_size: int | tuple[int, int] = (1, 2), bias: bool = False
                  ) -> float:
    """The learning rate above which :func:`learn_kernel` diverges on ``X``, for any target.

    The loss is quadratic in the parameters: ``||A w - y||**2``, where each row of ``A`` is
    one window of ``X`` (and a 1 for the bias). Its Hessian is ``2 A^T A``; gradient descent
    multiplies the error along an eigenvector of eigenvalue ``lam`` by ``1 - lr * lam`` every
    epoch, so it converges exactly when ``lr < 2 / lam_max``.

    Returns:
        ``2 / lam_max`` (``inf`` for an all-zero X without bias).

    Raises:
        ConvConfigError: for a bad X or kernel size, as :func:`learn_kernel`.

    d2l's stripe: ``A^T A = [[18, 12], [12, 18]]``, ``lam_max = 2 * 30``, so its lr of 3e-2
    is 90% of the limit; with a bias the limit falls to about 0.016.

    >>> X = learning_problem("stripe", "edge")[0]
    >>> round(max_stable_lr(X), 6), round(max_stable_lr(X, bias=True), 4)
    (0.033333, 0.0161)
    """
    X = _require_picture("X", X).double()
    kh, kw = _require_kernel_size(kernel_size, X)
    A = X.unfold(0, kh, 1).unfold(1, kw, 1)  # (H_out, W_out, kh, kw): every window
    A = A.reshape(-1, kh * kw)  # (H_out * W_out, kh * kw)
    if bias:
        A = torch.cat([A, torch.ones(A.shape[0], 1, dtype=A.dtype)], dim=1)  # (.., kh*kw + 1)
    lam_max = 2 * float(torch.linalg.eigvalsh(A.T @ A)[-1])  # eigvalsh: ascending
    return 2 / lam_max if lam_max > 0 else math.inf


# ---- reproduce in PyTorch -------------------------------------------------------------------
