"""Learning a kernel from input and output pictures, as d2l does at the end of
"convolutions for images": plain gradient descent on the summed squared error.

Two models learn the same way from the same start: PyTorch's ``nn.Conv2d`` and the
lesson's hand-written ``Conv2D`` built on :func:`convlab.correlation.corr2d`. The problems
they learn, and the refusals of :func:`learn_kernel`, are in :mod:`.problems`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ..correlation.correlate import corr2d
from ..params import to_pair
from .pictures import one_cpu_thread
from .problems import _validate, identifiable, max_stable_lr

Tensor = torch.Tensor


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

    >>> from convlab.learn.problems import learning_problem
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


# ---- what the run found ---------------------------------------------------------------------
OUTCOMES = ("found", "flipped", "diverged", "unstable", "not_identifiable", "not_converged")
KERNEL_TOL = 0.05  # d2l's 10 epochs leave about 2% of the start's error on the stripe


def learning_outcome(history: LearnHistory, X: Any, K: Any, *, lr: float,
                     bias: bool = False, convolution: bool = False,
                     tol: float = KERNEL_TOL) -> str:
    """What training found, as one of ``OUTCOMES``.

    ``found``: the last kernel is within ``tol`` of ``K`` in every weight. Otherwise why not:
    ``diverged`` (the loss stopped being finite), ``flipped`` (the target was a true
    convolution, and the layer learned ``K`` flipped), ``unstable`` (``lr`` at or above
    :func:`max_stable_lr`: the error grows), ``not_identifiable`` (``X`` cannot pin the kernel
    down: :func:`identifiable`), else ``not_converged`` (too few epochs for this ``lr``).

    Args:
        history: a run of :func:`learn_kernel` on ``X``.
        X: its input ``(H, W)``; K: the target kernel ``(kh, kw)`` as chosen (before any flip).
        lr, bias: the run's learning rate and whether it learned a bias.
        convolution: whether ``Y`` was made by a true convolution (``K`` flipped).

    >>> from convlab.learn.problems import learning_problem
    >>> X, K, Y = learning_problem("stripe", "edge", convolution=True)
    >>> h = learn_kernel(X, Y, (1, 2), lr=3e-2, epochs=20)
    >>> learning_outcome(h, X, K, lr=3e-2, convolution=True)
    'flipped'
    >>> learning_outcome(learn_kernel(X, Y, (1, 2), lr=0.1, epochs=30), X, K, lr=0.1)
    'diverged'
    """
    K = torch.as_tensor(K, dtype=torch.float64)
    learned = torch.tensor(history.final_kernel, dtype=torch.float64)

    def near(target: Tensor) -> bool:
        return learned.shape == target.shape and bool(((learned - target).abs() <= tol).all())

    if history.diverged_at is not None:
        return "diverged"
    if near(K):
        return "found"
    if convolution and near(K.flip(-2, -1)):
        return "flipped"
    if lr >= max_stable_lr(X, tuple(K.shape), bias):
        return "unstable"
    if not identifiable(X, tuple(K.shape), bias):
        return "not_identifiable"
    return "not_converged"
