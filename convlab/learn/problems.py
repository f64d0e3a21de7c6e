"""The learning problems, every refusal of learn_kernel, and the largest stable learning rate."""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch

from ..correlation.correlate import corr2d
from ..device import available_devices
from ..errors import ConvConfigError
from ..params import to_pair
from .pictures import MAX_KERNEL_SIDE, _require_id, _require_seed, input_image, target_kernel

Tensor = torch.Tensor

MODULES = ("nn", "handwritten")
MAX_EPOCHS = 500
MAX_IMAGE_SIDE = 64
MAX_LR = 100.0
# With |values| <= 1e6 the first loss, at most ~(49 * 1e6)**2 * 64**2 ~ 1e19, is finite in
# float32, so every history has at least its epoch 0.
MAX_ABS_VALUE = 1e6


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
    raise ConvConfigError(name, value, f"{name} must be {what} {bounds}", {name: nearest},
                          code="int_range" if integer else "number_range",
                          values={"low": f"{low:g}", "high": f"{high:g}"})


def _require_picture(name: str, T: Any) -> Tensor:
    try:
        T = torch.as_tensor(T)
    except (TypeError, ValueError, RuntimeError):
        raise ConvConfigError(name, type(T).__name__, f"{name} must be a 2-D array",
                              code="tensor_rank", values={"dims": 2, "layout": "(H, W)"}) from None
    if T.dim() != 2 or T.is_complex() or T.dtype == torch.bool:
        raise ConvConfigError(name, tuple(T.shape), f"{name} must be a 2-D real array (H, W)",
                              code="tensor_rank", values={"dims": 2, "layout": "(H, W)"})
    if min(T.shape) < 1 or max(T.shape) > MAX_IMAGE_SIDE:
        raise ConvConfigError(name, tuple(T.shape),
                              f"{name} sides must be between 1 and {MAX_IMAGE_SIDE}",
                              code="side_range", values={"high": MAX_IMAGE_SIDE})
    T = T.detach().to("cpu", torch.float32)
    # the offending value: a NaN or infinity if there is one, else the largest magnitude
    worst = float(T[~torch.isfinite(T)][0]) if not bool(torch.isfinite(T).all()) \
        else float(T.abs().max())
    if not math.isfinite(worst) or worst > MAX_ABS_VALUE:
        raise ConvConfigError(name, worst, f"{name} values must be finite and at most "
                              f"{MAX_ABS_VALUE:g} in magnitude", code="not_finite",
                              values={"limit": f"{MAX_ABS_VALUE:g}"})
    return T


def _require_kernel_size(kernel_size: Any, X: Tensor) -> tuple[int, int]:
    kh, kw = to_pair("kernel_size", kernel_size)
    H, W = X.shape
    limit = (min(H, MAX_KERNEL_SIDE), min(W, MAX_KERNEL_SIDE))
    if not (1 <= kh <= limit[0] and 1 <= kw <= limit[1]):
        nearest = (min(max(kh, 1), limit[0]), min(max(kw, 1), limit[1]))
        raise ConvConfigError("kernel_size", kernel_size, "kernel_size must be at least 1, "
                              f"at most {MAX_KERNEL_SIDE} and fit inside X {(H, W)}",
                              {"kernel_size": nearest}, code="kernel_fit",
                              values={"high": MAX_KERNEL_SIDE, "size": f"{H} × {W}"})
    return kh, kw


def _require_device(device: Any) -> torch.device:
    names = {d.name for d in available_devices()}
    if torch.cuda.is_available():
        names.add("cuda")
    if str(device) not in names:
        raise ConvConfigError("device", device, f"device must be one of {sorted(names)}",
                              {"device": "cpu"}, code="one_of",
                              values={"choices": ", ".join(sorted(names))})
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
        raise ConvConfigError("bias", bias, "bias must be True or False", {"bias": False},
                              code="not_bool")
    _require_id("module", module, MODULES)
    return X, Y, k, _require_device(device)


# ---- the largest stable learning rate, and whether X pins the kernel down ---------------------
def _windows(X: Any, kernel_size: Any, bias: bool) -> Tensor:
    """The design matrix of the least-squares problem: one row per window of ``X``
    (flattened), and a column of ones for the bias; float64."""
    X = _require_picture("X", X).double()
    kh, kw = _require_kernel_size(kernel_size, X)
    A = X.unfold(0, kh, 1).unfold(1, kw, 1)  # (H_out, W_out, kh, kw): every window
    A = A.reshape(-1, kh * kw)  # (H_out * W_out, kh * kw)
    if bias:
        A = torch.cat([A, torch.ones(A.shape[0], 1, dtype=A.dtype)], dim=1)  # (.., kh*kw + 1)
    return A


def identifiable(X: Any, kernel_size: int | tuple[int, int] = (1, 2), bias: bool = False
                 ) -> bool:
    """Whether ``Y = corr2d(X, K) (+ b)`` determines ``K`` (and ``b``): the windows of ``X``
    (with a 1 for the bias) span as many directions as there are parameters.

    Otherwise many kernels give the same ``Y``: the loss can reach 0 while the learned
    kernel is not ``K``.

    Raises:
        ConvConfigError: for a bad X or kernel size, as :func:`learn_kernel`.

    d2l's stripe pins down [1, -1]; a checkerboard has only two kinds of 3 x 3 window, which
    cannot pin down nine weights:

    >>> identifiable(input_image("stripe"), (1, 2)), identifiable(input_image("checkerboard"), 3)
    (True, False)
    """
    A = _windows(X, kernel_size, bias)
    return int(torch.linalg.matrix_rank(A)) == A.shape[1]


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
    A = _windows(X, kernel_size, bias)  # (H_out * W_out, kh * kw [+ 1])
    lam_max = 2 * float(torch.linalg.eigvalsh(A.T @ A)[-1])  # eigvalsh: ascending
    return 2 / lam_max if lam_max > 0 else math.inf
