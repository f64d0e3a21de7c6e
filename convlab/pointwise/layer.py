"""1x1 convolution as a matrix multiply: the computation, the per-pixel Linear view, its cost
against larger kernels, how fast each way of writing it runs, and code to reproduce it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from ..errors import ConvConfigError
from ..params import _as_int

Tensor = torch.Tensor
Shape5 = tuple[int, int, int, int, int]  # (N, C_in, C_out, H, W)

MAX_ELEMENTS = 2**24  # per tensor (64 MiB in float32): what one timing or example may allocate


# ---- the layer -----------------------------------------------------------------------------
def _check_pointwise(X: Tensor, K: Tensor, bias: Tensor | None) -> tuple[int, int]:
    """Refuse what ``F.conv2d(X, K, bias)`` refuses for a 1x1 kernel; return (C_out, C_in)."""
    if X.dim() not in (3, 4):
        fix = {"X": (1, *X.shape)} if X.dim() == 2 else None
        raise ConvConfigError("X", tuple(X.shape), "Expected 3D (unbatched) or 4D (batched) "
                              "input to conv2d", fix)
    if K.dim() not in (2, 4):
        raise ConvConfigError("K", tuple(K.shape), "K must be 4-D (C_out, C_in, 1, 1) or 2-D "
                              "(C_out, C_in)")
    if K.dim() == 4 and K.shape[-2:] != (1, 1):
        raise ConvConfigError("kernel_size", tuple(K.shape[-2:]), "kernel_size must be (1, 1) "
                              "for a pointwise convolution", {"kernel_size": 1})
    c_out, c_in = K.shape[0], K.shape[1]
    if X.shape[-3] != c_in:
        raise ConvConfigError("in_channels", c_in, f"Given groups=1, weight of size "
                              f"{list(K.shape)}, expected input{list(X.shape)} to have {c_in} "
                              "channels", {"in_channels": X.shape[-3]})
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != c_out):
        raise ConvConfigError("bias", tuple(bias.shape), f"Given weight of size {list(K.shape)}, "
                              f"expected bias to be 1-dimensional with {c_out} elements",
                              {"bias": (c_out,)})
    for name, T in (("K", K), ("bias", bias)):
        if T is not None and T.dtype != X.dtype:
            raise ConvConfigError(name, _name(T.dtype), f"Input type ({_name(X.dtype)}) and "
                                  f"{name} type should be the same", {"dtype": _name(X.dtype)})
        if T is not None and T.device != X.device:
            raise ConvConfigError(name, str(T.device), f"Input and {name} should be on the same "
                                  "device", {"device": str(X.device)})
    return c_out, c_in


def corr2d_multi_in_out_1x1(X: Tensor, K: Tensor, bias: Tensor | None = None) -> Tensor:
    """A 1x1 convolution computed as one matrix multiply over the channels (d2l's form).

    Every pixel's ``C_in`` values meet the same ``(C_out, C_in)`` matrix, so the whole map is
    one product with the pixels as columns.

    Args:
        X: input, ``(C_in, H, W)`` or batched ``(N, C_in, H, W)``.
        K: kernel, ``(C_out, C_in, 1, 1)`` or already the matrix ``(C_out, C_in)``.
        bias: ``(C_out,)`` or ``None``.

    Returns:
        What ``F.conv2d(X, K, bias)`` returns: same shape, device and dtype.

    Shape:
        ``(C_in, H, W)`` -> ``(C_out, H, W)``; ``(N, C_in, H, W)`` -> ``(N, C_out, H, W)``.

    Raises:
        ConvConfigError: for wrong ranks, a kernel that is not 1x1, a channel mismatch, a
            bias of the wrong length, or K / bias in another dtype or on another device
            (integers are computed, as ``F.conv2d`` computes them on the CPU).

    d2l's two-channel X with weights 1 and 2: ``Y = X[0] + 2 X[1]``.

    >>> from convlab.correlation import d2l_two_channel_example
    >>> X, _ = d2l_two_channel_example()
    >>> corr2d_multi_in_out_1x1(X, torch.tensor([[[[1.]], [[2.]]]]))
    tensor([[[ 2.,  5.,  8.],
             [11., 14., 17.],
             [20., 23., 26.]]])
    """
    c_out, c_in = _check_pointwise(X, K, bias)
    shape = X.shape
    h, w = shape[-2], shape[-1]
    # A batch of one is multiplied as one matrix: a plain mm costs less than a bmm.
    batch = shape[:1] if len(shape) == 4 and shape[0] != 1 else ()
    Xm = X.reshape(*batch, c_in, h * w)  # (N?, C_in, H, W) -> (N?, C_in, H*W)
    Km = K if K.dim() == 2 else K.reshape(c_out, c_in)  # (C_out, C_in, 1, 1) -> (C_out, C_in)
    Y = torch.matmul(Km, Xm)  # (C_out, C_in) @ (N?, C_in, H*W) -> (N?, C_out, H*W)
    if bias is not None:
        Y += bias[:, None]  # (C_out, 1) broadcasts over the pixels
    return Y.reshape(*shape[:-3], c_out, h, w)  # (N?, C_out, H*W) -> (N?, C_out, H, W)


@dataclass(frozen=True)
class PixelLinear:
    """One pixel seen as a Linear layer: ``y = weight @ x + bias``.

    Shapes: ``x`` ``(C_in,)``, ``weight`` ``(C_out, C_in)``, ``bias`` ``(C_out,)`` or ``None``,
    ``y`` ``(C_out,)`` (equal to the convolution's output at that pixel).
    """

    x: Tensor
    weight: Tensor
    bias: Tensor | None
    y: Tensor


def pixel_as_linear(X: Tensor, K: Tensor, bias: Tensor | None, i: int, j: int, *,
                    n: int = 0) -> PixelLinear:
    """The C_in values at pixel ``(i, j)`` (of image ``n`` when batched) through the weight matrix.

    Args:
        X, K, bias: as in :func:`corr2d_multi_in_out_1x1`.
        i, j: the pixel's row and column; n: the image, when X is batched.

    Returns:
        :class:`PixelLinear`: ``x`` ``(C_in,)``, ``weight`` ``(C_out, C_in)``, ``bias``, and
        ``y = weight @ x + bias`` ``(C_out,)``, the output's channels at ``(i, j)``.

    Raises:
        ConvConfigError: as :func:`corr2d_multi_in_out_1x1`, or for an index off the map.

    >>> X = torch.arange(8.).reshape(2, 2, 2)
    >>> pixel_as_linear(X, torch.tensor([[1., 10.]]), None, 1, 0).y
    tensor([62.])
    """
    c_out, c_in = _check_pointwise(X, K, bias)
    sizes = {"n": X.shape[0] if X.dim() == 4 else 1, "i": X.shape[-2], "j": X.shape[-1]}
    for name, index in (("n", n), ("i", i), ("j", j)):
        index, size = _as_int(name, index), sizes[name]
        if not 0 <= index < size:
            raise ConvConfigError(name, index, f"{name} must be an index in [0, {size - 1}]",
                                  {name: min(max(index, 0), size - 1)})
    x = X[n, :, i, j] if X.dim() == 4 else X[:, i, j]  # (C_in,)
    weight = K.reshape(c_out, c_in)  # (C_out, C_in, 1, 1) -> (C_out, C_in)
    y = weight @ x  # (C_out, C_in) @ (C_in,) -> (C_out,)
    return PixelLinear(x, weight, bias, y if bias is None else y + bias)


def linear_channels_last(X: Tensor, K: Tensor, bias: Tensor | None = None) -> Tensor:
    """``nn.Linear(C_in, C_out)`` with K's weights, applied to X laid out channels-last.

    Args:
        X, K, bias: as in :func:`corr2d_multi_in_out_1x1`; X floating-point.

    Returns:
        The layer's output moved back to channels-first: equal to ``F.conv2d(X, K, bias)``.

    Shape:
        ``(..., C_in, H, W)`` -> ``(..., C_out, H, W)``, as :func:`corr2d_multi_in_out_1x1`.

    >>> X = torch.arange(8.).reshape(2, 2, 2)
    >>> linear_channels_last(X, torch.tensor([[1., 10.]]))
    tensor([[[40., 51.],
             [62., 73.]]])
    """
    c_out, c_in = _check_pointwise(X, K, bias)
    if not X.is_floating_point():  # nn.Linear's weight is a Parameter: floats only
        raise ConvConfigError("dtype", _name(X.dtype), "nn.Linear needs a floating-point "
                              "input", {"dtype": "float32"})
    # skip_init: the weights are overwritten, so don't draw (and advance the global RNG).
    layer = nn.utils.skip_init(nn.Linear, c_in, c_out, bias=bias is not None, device=X.device,
                               dtype=X.dtype)
    with torch.no_grad():
        layer.weight.copy_(K.reshape(c_out, c_in))  # (C_out, C_in, 1, 1) -> (C_out, C_in)
        if bias is not None:
            layer.bias.copy_(bias)
        Y = layer(X.movedim(-3, -1))  # (..., H, W, C_in) -> (..., H, W, C_out)
    return Y.movedim(-1, -3)  # (..., H, W, C_out) -> (..., C_out, H, W)


# ---- sizes --------------------------------------------------------------------------------
def check_pointwise_shape(shape: Sequence[int]) -> Shape5:
    """Validate one ``(N, C_in, C_out, H, W)``: positive ints, each tensor within MAX_ELEMENTS.

    Raises:
        ConvConfigError: otherwise; for a tensor too large, the suggestion shrinks H and W.
    """
    if len(shape) != 5:
        raise ConvConfigError("shape", tuple(shape), "shape must be (N, C_in, C_out, H, W)")
    names = ("n", "c_in", "c_out", "h", "w")
    n, c_in, c_out, h, w = (_as_int(name, v) for name, v in zip(names, shape, strict=True))
    for name, v in zip(names, (n, c_in, c_out, h, w), strict=True):
        if v <= 0:
            raise ConvConfigError(name, v, f"{name} must be positive", {name: 1})
    largest = max(n * c_in * h * w, n * c_out * h * w, c_out * c_in)
    if largest > MAX_ELEMENTS:
        # Shrink the map, keeping its aspect; when the weight alone is too large, no map fits.
        scale = math.sqrt(MAX_ELEMENTS / largest)
        h_fit, w_fit = max(1, int(h * scale)), max(1, int(w * scale))
        fits = (max(n * c_in, n * c_out) * h_fit * w_fit <= MAX_ELEMENTS
                and c_out * c_in <= MAX_ELEMENTS)
        raise ConvConfigError("shape", (n, c_in, c_out, h, w), f"each tensor may hold at most "
                              f"{MAX_ELEMENTS} elements, and the largest would hold {largest}",
                              {"shape": (n, c_in, c_out, h_fit, w_fit)} if fits else None)
    return n, c_in, c_out, h, w


# ---- the example, and code that reproduces it ----------------------------------------------
def _check_example(c_in: int, c_out: int, h: int, w: int, n: int | None,
                   seed: int) -> tuple[tuple[int, ...], tuple[int, ...], int]:
    """The X and K sizes for :func:`pointwise_example`, and the seed, validated."""
    n_ = 1 if n is None else n
    _, c_in, c_out, h, w = check_pointwise_shape((n_, c_in, c_out, h, w))
    seed = _as_int("seed", seed)
    if not 0 <= seed < 2**63:
        raise ConvConfigError("seed", seed, "seed must be a non-negative 64-bit integer",
                              {"seed": 0})
    x_size = (c_in, h, w) if n is None else (n_, c_in, h, w)
    return x_size, (c_out, c_in, 1, 1), seed


def pointwise_example(c_in: int, c_out: int, h: int, w: int, n: int | None = None,
                      seed: int = 0) -> tuple[Tensor, Tensor]:
    """X and K drawn as d2l draws them: ``torch.manual_seed(seed)``, then ``torch.normal(0, 1,
    ...)`` for X, then for K (from a private generator: the global RNG is left alone).

    Returns:
        X ``(C_in, H, W)`` (``(N, C_in, H, W)`` when ``n`` is given), K ``(C_out, C_in, 1, 1)``.

    Raises:
        ConvConfigError: for a non-positive size, a tensor over ``MAX_ELEMENTS``, or a seed
            outside ``[0, 2**63)``.

    d2l's check, X (3, 3, 3) and K (2, 3, 1, 1): the matmul form equals the loop.

    >>> from convlab.correlation import corr2d_multi_in_out_loop
    >>> X, K = pointwise_example(3, 2, 3, 3)
    >>> Y1, Y2 = corr2d_multi_in_out_1x1(X, K), corr2d_multi_in_out_loop(X, K)
    >>> float(torch.abs(Y1 - Y2).sum()) < 1e-6
    True
    """
    x_size, k_size, seed = _check_example(c_in, c_out, h, w, n, seed)
    generator = torch.Generator().manual_seed(seed)  # the same stream as torch.manual_seed
    X = torch.normal(0, 1, x_size, generator=generator)
    K = torch.normal(0, 1, k_size, generator=generator)
    return X, K


def pointwise_bias(c_out: int) -> Tensor:
    """A readable bias for examples: ``C_out`` values evenly spaced around 0, 0.5 apart.

    >>> pointwise_bias(3).tolist()
    [-0.5, 0.0, 0.5]
    """
    return (torch.arange(c_out, dtype=torch.float32) - (c_out - 1) / 2) / 2


def pointwise_code(c_in: int, c_out: int, h: int, w: int, n: int | None = None,
                   seed: int = 0, bias: bool = False) -> str:
    """A PyTorch script that draws :func:`pointwise_example`'s X and K and prints the matmul
    form ``Y1``, ``F.conv2d``'s ``Y2`` and ``|Y1 - Y2|.sum()``.

    Args:
        c_in, c_out, h, w, n, seed: as in :func:`pointwise_example`.
        bias: add :func:`pointwise_bias` to both forms.

    Returns:
        The script's source; it imports only torch.

    Raises:
        ConvConfigError: as :func:`pointwise_example`.

    >>> print(pointwise_code(3, 2, 3, 3).splitlines()[4])
    X = torch.normal(0, 1, (3, 3, 3))  # (C_in, H, W)
    """
    x_size, k_size, seed = _check_example(c_in, c_out, h, w, n, seed)
    (c_out, c_in), (h, w) = k_size[:2], x_size[-2:]
    batch, lead = ((x_size[0],), "N, ") if n is not None else ((), "")
    return "\n".join([
        "import torch",
        "import torch.nn.functional as F",
        "",
        f"torch.manual_seed({seed})",
        f"X = torch.normal(0, 1, {x_size})  # ({lead}C_in, H, W)",
        f"K = torch.normal(0, 1, {k_size})  # (C_out, C_in, 1, 1)",
        "# a 1x1 convolution is one matrix multiply: the pixels are the columns",
        f"Y1 = torch.matmul(K.reshape{(c_out, c_in)}, X.reshape{(*batch, c_in, h * w)})"
        f"  # (C_out, C_in) @ ({lead}C_in, H*W) -> ({lead}C_out, H*W)",
        f"Y1 = Y1.reshape{(*batch, c_out, h, w)}  # ({lead}C_out, H*W) -> ({lead}C_out, H, W)",
        *([f"b = (torch.arange({c_out}.0) - {(c_out - 1) / 2!r}) / 2  # (C_out,)",
           "Y1 = Y1 + b[:, None, None]  # one bias per output channel"] if bias else []),
        f"Y2 = F.conv2d(X, K{', b' if bias else ''})  # ({lead}C_out, H, W)",
        "torch.set_printoptions(precision=4, sci_mode=False)",
        "print(Y1)",
        "print(Y2)",
        "print(float(torch.abs(Y1 - Y2).sum()))",
    ])


def _name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")
