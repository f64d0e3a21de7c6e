"""Pictures for the kernel lesson: small input images and target kernels by id, a synthetic
scene drawn in code, and a kernel's response on a picture.

Every image and kernel also has the PyTorch source that rebuilds it (``image_code``,
``kernel_code``), so the reproduce script and the page start from the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import torch
import torch.nn.functional as F

from ..errors import ConvConfigError
from ..shapes import applied_padding

Tensor = torch.Tensor

IMAGE_IDS = ("stripe", "stripe_t", "checkerboard", "diagonal", "random")
KERNEL_IDS = ("edge", "edge_t", "sobel_x", "sobel_y", "blur")
APPLY_PADDINGS = ("same", "valid")
APPLY_PADDING_MODES = ("zeros", "replicate")
MAX_KERNEL_SIDE = 7
MAX_PICTURE_SIDE = 1024
SCENE_SIZES = (16, 512)
MAX_SEED = 2**32 - 1

# Each snippet leaves the image in X (float32); tests check it against input_image.
_IMAGE_CODE = {
    "stripe": "X = torch.ones((6, 8))\nX[:, 2:6] = 0",
    "stripe_t": "X = torch.ones((6, 8))\nX[:, 2:6] = 0\nX = X.t().contiguous()",
    "checkerboard": "X = ((torch.arange(8)[:, None] // 2 + torch.arange(8) // 2) % 2).float()",
    "diagonal": "X = torch.tril(torch.ones((8, 8)))",
    "random": "X = torch.rand((8, 8), generator=torch.Generator().manual_seed({seed}))",
}
_KERNEL_CODE = {
    "edge": "K = torch.tensor([[1.0, -1.0]])",
    "edge_t": "K = torch.tensor([[1.0], [-1.0]])",
    "sobel_x": "K = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])",
    "sobel_y": "K = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])",
    "blur": "K = torch.full((3, 3), 1 / 9)",
}


# With OpenMP (the usual CPU build) the intra-op thread count belongs to the calling thread,
# so setting it for one computation touches no other session.
_PER_THREAD_OPENMP = "ATen parallel backend: OpenMP" in torch.__config__.parallel_info()


@contextmanager
def one_cpu_thread() -> Iterator[None]:
    """Run the CPU work inside on one intra-op thread, then restore the count.

    The pictures and training runs here are small (a 512 x 512 scene, a 7 x 7 kernel on
    1024 x 1024 at most), so OpenMP's workers save little when the machine is idle and cost
    a lot when it is busy: measured on a loaded 2-core machine, 10-100x slower with two
    (``synthetic_scene(512)`` 0.8 s instead of 7 ms). A no-op for other parallel backends.
    """
    if not _PER_THREAD_OPENMP:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _require_id(parameter: str, value: Any, known: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in known:
        raise ConvConfigError(parameter, value, f"{parameter} must be one of {known}",
                              {parameter: known[0]}, code="one_of",
                              values={"choices": ", ".join(map(str, known))})
    return value


def _require_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ConvConfigError("seed", seed, f"seed must be an integer in [0, {MAX_SEED}]",
                              {"seed": 0}, code="int_range", values={"low": 0, "high": MAX_SEED})
    return seed


def image_code(image_id: str, seed: int = 0) -> str:
    """PyTorch source that leaves the input image ``image_id`` in ``X``.

    >>> print(image_code("stripe"))
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    """
    _require_id("image_id", image_id, IMAGE_IDS)
    return _IMAGE_CODE[image_id].format(seed=_require_seed(seed))


def kernel_code(kernel_id: str) -> str:
    """PyTorch source that leaves the target kernel ``kernel_id`` in ``K``.

    >>> kernel_code("edge")
    'K = torch.tensor([[1.0, -1.0]])'
    """
    return _KERNEL_CODE[_require_id("kernel_id", kernel_id, KERNEL_IDS)]


def input_image(image_id: str, seed: int = 0) -> Tensor:
    """One of the lesson's small input images, float32 ``(H, W)``.

    ``"stripe"`` is d2l's 6 x 8 image of ones with columns 2..5 zero, ``"stripe_t"`` its
    8 x 6 transpose; ``"checkerboard"`` has 2 x 2 squares, ``"diagonal"`` is ones on and
    below the diagonal, ``"random"`` is uniform in [0, 1) from ``seed`` (the others ignore it).

    Args:
        image_id: one of ``IMAGE_IDS``.
        seed: the random image's seed, in ``[0, 2**32 - 1]``.

    Returns:
        A new float32 tensor on the CPU.

    Raises:
        ConvConfigError: for an unknown id or a bad seed.

    >>> input_image("stripe")[0]
    tensor([1., 1., 0., 0., 0., 0., 1., 1.])
    """
    _require_id("image_id", image_id, IMAGE_IDS)
    seed = _require_seed(seed)
    if image_id in ("stripe", "stripe_t"):
        X = torch.ones((6, 8))
        X[:, 2:6] = 0
        return X.t().contiguous() if image_id == "stripe_t" else X
    if image_id == "checkerboard":
        i = torch.arange(8)
        return ((i[:, None] // 2 + i // 2) % 2).float()  # (8, 1) + (8,) -> (8, 8)
    if image_id == "diagonal":
        return torch.tril(torch.ones((8, 8)))
    return torch.rand((8, 8), generator=torch.Generator().manual_seed(seed))


def target_kernel(kernel_id: str) -> Tensor:
    """One of the lesson's kernels, float32 ``(kh, kw)``.

    ``"edge"`` is d2l's vertical-edge detector ``[[1, -1]]`` and ``"edge_t"`` its transpose
    (horizontal edges); ``"sobel_x"`` responds to changes along the width, ``"sobel_y"``
    along the height; ``"blur"`` is the 3 x 3 box of ``1/9``.

    Raises:
        ConvConfigError: for an unknown id.

    >>> target_kernel("edge")
    tensor([[ 1., -1.]])
    """
    _require_id("kernel_id", kernel_id, KERNEL_IDS)
    if kernel_id in ("edge", "edge_t"):
        K = torch.tensor([[1.0, -1.0]])
        return K.t().contiguous() if kernel_id == "edge_t" else K
    if kernel_id in ("sobel_x", "sobel_y"):
        K = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
        return K.t().contiguous() if kernel_id == "sobel_y" else K
    return torch.full((3, 3), 1 / 9)


def synthetic_scene(size: int = 128) -> Tensor:
    """A grayscale test picture drawn in code: a disc, a rectangle, stripes and letter strokes.

    The shapes give edges in every direction (the disc), long straight ones (the
    rectangle), many close parallel ones (vertical stripes) and thin strokes (the letters
    "CNN" drawn with horizontal, vertical and diagonal bars) on a gentle gradient.

    Args:
        size: side of the square picture, in ``[16, 512]``.

    Returns:
        float32 ``(size, size)`` with values in ``[0, 1]``.

    Raises:
        ConvConfigError: for a size out of range.

    >>> S = synthetic_scene(64)
    >>> S.shape, bool(S.min() >= 0), bool(S.max() <= 1)
    (torch.Size([64, 64]), True, True)
    """
    lo, hi = SCENE_SIZES
    if isinstance(size, bool) or not isinstance(size, int) or not lo <= size <= hi:
        raise ConvConfigError("size", size, f"size must be an integer in [{lo}, {hi}]",
                              {"size": 128})
    with one_cpu_thread():
        return _draw_scene(size)


def _draw_scene(size: int) -> Tensor:
    c = (torch.arange(size, dtype=torch.float32) + 0.5) / size  # pixel centres in (0, 1)
    y, x = c[:, None], c[None, :]  # (size, 1), (1, size): broadcast to (size, size)
    S = 0.15 + 0.2 * x.expand(size, size)  # background: dark on the left, lighter right

    def box(top: float, bottom: float, left: float, right: float) -> Tensor:
        return (y >= top) & (y < bottom) & (x >= left) & (x < right)

    S = torch.where((y - 0.28) ** 2 + (x - 0.27) ** 2 < 0.17**2, 0.9, S)  # disc
    S = torch.where(box(0.58, 0.88, 0.07, 0.42), 0.6, S)  # rectangle
    period = 0.07  # vertical stripes: about 9 pixels a period at size 128
    stripes = torch.remainder(x, period) < period / 2
    S = torch.where(box(0.08, 0.46, 0.55, 0.93), torch.where(stripes, 1.0, 0.05), S)
    # "CNN": a C of three bars, then two Ns of two uprights and a diagonal
    t = max(1.5 / size, 0.025)  # stroke width, at least 1.5 pixels
    top, bottom = 0.6, 0.86
    strokes = box(top, bottom, 0.52, 0.52 + t) | box(top, top + t, 0.52, 0.63)
    strokes |= box(bottom - t, bottom, 0.52, 0.63)
    for left in (0.67, 0.82):
        right = left + 0.11
        strokes |= box(top, bottom, left, left + t) | box(top, bottom, right - t, right)
        # the diagonal from the top of the left upright to the bottom of the right one
        slope = (bottom - top) / (right - t - left)
        dist = (y - top - slope * (x - left)).abs() / math.hypot(1.0, slope)
        strokes |= (dist < t / 2) & box(top, bottom, left, right)
    S = torch.where(strokes, 0.0, S)
    return S.clamp(0.0, 1.0)


def apply_kernel(image: Tensor, kernel: Tensor, *, padding: str = "same",
                 padding_mode: str = "zeros") -> Tensor:
    """The kernel's response on a picture: ``corr2d(image, kernel)``, padded.

    With ``padding="same"`` (the default) the picture is padded as ``F.conv2d`` does for
    ``padding='same'`` (the extra row/column of an even kernel goes to the bottom/right), so
    the response has the picture's size and lines up with it pixel for pixel.
    ``padding="valid"`` pads nothing: ``(H - kh + 1, W - kw + 1)``, d2l's corr2d.
    ``padding_mode="zeros"`` is the lesson's (and ``nn.Conv2d``'s) choice; ``"replicate"``
    repeats the border pixels, which keeps an edge kernel quiet along a picture's frame.

    Args:
        image: ``(H, W)``, sides at most 1024.
        kernel: ``(kh, kw)``, sides at most 7.
        padding: ``"same"`` or ``"valid"``.
        padding_mode: ``"zeros"`` or ``"replicate"``.

    Returns:
        ``(H, W)`` for ``"same"``, ``(H - kh + 1, W - kw + 1)`` for ``"valid"``; float32
        unless the picture is float64, on the picture's device.

    Raises:
        ConvConfigError: for a bad shape, an oversized picture or kernel, a kernel larger
            than a ``"valid"`` picture, or an unknown padding.

    >>> Y = apply_kernel(input_image("stripe"), target_kernel("edge"), padding="valid")
    >>> Y[0]
    tensor([ 0.,  1.,  0.,  0.,  0., -1.,  0.])
    >>> apply_kernel(input_image("stripe"), target_kernel("edge")).shape
    torch.Size([6, 8])
    """
    _require_id("padding", padding, APPLY_PADDINGS)
    _require_id("padding_mode", padding_mode, APPLY_PADDING_MODES)
    _require_plane("image", image, MAX_PICTURE_SIDE)
    _require_plane("kernel", kernel, MAX_KERNEL_SIDE)
    if padding == "valid" and (kernel.shape[0] > image.shape[0]
                               or kernel.shape[1] > image.shape[1]):
        raise ConvConfigError("kernel", tuple(kernel.shape),
                              "kernel must fit inside the picture with padding='valid'",
                              {"padding": "same"})
    dtype = torch.float64 if image.dtype == torch.float64 else torch.float32
    X, K = image.to(dtype), kernel.to(device=image.device, dtype=dtype)
    with one_cpu_thread() if X.device.type == "cpu" else nullcontext():
        if padding == "valid":
            return F.conv2d(X[None, None], K[None, None])[0, 0]
        (top, bottom), (left, right) = applied_padding("same", tuple(K.shape))
        mode = "constant" if padding_mode == "zeros" else "replicate"
        Xp = F.pad(X[None, None], (left, right, top, bottom), mode=mode)  # (1, 1, H+kh-1, W+kw-1)
        return F.conv2d(Xp, K[None, None])[0, 0]  # (1, 1, H, W) -> (H, W)


def _require_plane(name: str, T: Any, max_side: int) -> None:
    if not isinstance(T, torch.Tensor) or T.dim() != 2:
        shape = tuple(T.shape) if isinstance(T, torch.Tensor) else type(T).__name__
        raise ConvConfigError(name, shape, f"{name} must be a 2-D tensor (H, W)")
    if T.is_complex() or T.dtype == torch.bool:
        raise ConvConfigError(name, str(T.dtype), f"{name} must hold real numbers")
    if min(T.shape) < 1 or max(T.shape) > max_side:
        raise ConvConfigError(name, tuple(T.shape),
                              f"{name} sides must be between 1 and {max_side}")
