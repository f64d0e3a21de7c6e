"""How fast a 1x1 convolution runs four ways on a device: F.conv2d, one matmul, einsum and
channels-last nn.Linear, timed with CUDA events on a GPU."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..device import available_devices
from ..errors import ConvConfigError
from ..params import _as_int
from .layer import Shape5, check_pointwise_shape, corr2d_multi_in_out_1x1

Tensor = torch.Tensor

FORM_IDS = ("conv2d", "matmul", "einsum", "linear_channels_last")
# From a few channels on a tiny map to a wide layer; the whole sweep takes about a second on
# two CPU cores with the default repeats.
DEFAULT_SHAPES: tuple[Shape5, ...] = (
    (1, 16, 16, 8, 8),
    (1, 64, 64, 16, 16),
    (1, 3, 64, 112, 112),
    (1, 512, 512, 7, 7),
    (8, 64, 128, 28, 28),
    (8, 256, 256, 14, 14),
    (8, 128, 128, 56, 56),
)


@dataclass(frozen=True)
class PointwiseTiming:
    """Median seconds of one form on one ``(N, C_in, C_out, H, W)``, and the GFLOP/s it reached
    (``2 N C_in C_out H W`` floating-point operations per call)."""

    shape: Shape5
    form_id: str
    seconds: float
    gflops: float


def _forms(X: Tensor, K: Tensor) -> dict[str, Callable[[], Tensor]]:
    c_out, c_in = K.shape[:2]
    Km = K.reshape(c_out, c_in)  # (C_out, C_in, 1, 1) -> (C_out, C_in)
    linear = nn.utils.skip_init(nn.Linear, c_in, c_out, bias=False, device=X.device,
                                dtype=X.dtype)
    linear.weight.data.copy_(Km)
    # Channels-last data as a transformer stores it: the permute is not part of the timing.
    X_cl = X.permute(0, 2, 3, 1).contiguous()  # (N, C_in, H, W) -> (N, H, W, C_in)
    return {
        "conv2d": lambda: F.conv2d(X, K),
        "matmul": lambda: corr2d_multi_in_out_1x1(X, K),
        "einsum": lambda: torch.einsum("oc,nchw->nohw", Km, X),
        "linear_channels_last": lambda: linear(X_cl),  # (N, H, W, C_in) -> (N, H, W, C_out)
    }


def _median_seconds(fn: Callable[[], Tensor], device: torch.device, repeats: int,
                    warmup: int) -> float:
    """Median seconds per call; each sample runs enough calls to last about a millisecond,
    so that a call of a few microseconds is not lost in the clock's and Python's noise."""
    for _ in range(warmup):
        fn()
    _synchronize(device)
    begin = time.perf_counter()
    fn()
    _synchronize(device)
    number = max(1, min(1000, int(1e-3 / max(time.perf_counter() - begin, 1e-7))))
    samples = []
    for _ in range(repeats):
        if device.type == "cuda":
            # Events time the GPU's work, not the Python calls that only queue it.
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(number):
                fn()
            end.record()
            end.synchronize()
            samples.append(start.elapsed_time(end) / 1e3 / number)
        else:
            begin = time.perf_counter()
            for _ in range(number):
                fn()
            _synchronize(device)
            samples.append((time.perf_counter() - begin) / number)
    return statistics.median(samples)


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def time_pointwise_forms(shapes: Sequence[Sequence[int]] = DEFAULT_SHAPES,
                         device: str | torch.device = "cpu", repeats: int = 5, warmup: int = 2,
                         progress: Callable[[float], object] | None = None,
                         dtype: torch.dtype = torch.float32) -> list[PointwiseTiming]:
    """Time ``F.conv2d`` (1x1), the matmul form, ``torch.einsum`` and channels-last
    ``nn.Linear`` on each ``(N, C_in, C_out, H, W)``, without bias.

    Args:
        shapes: the ``(N, C_in, C_out, H, W)`` to time, all validated before any is timed.
        device: where to run; on CUDA, timed with CUDA events after warm-up.
        repeats, warmup: timed and untimed calls per form; the median is reported.
        progress: called with the fraction done (0 to 1] after each shape.

    Returns:
        One record per shape and form, in the order of ``shapes`` and ``FORM_IDS``.

    Raises:
        ConvConfigError: for a bad shape, one over ``MAX_ELEMENTS``, a bad count, or a
            device this machine lacks.
    """
    checked = [check_pointwise_shape(s) for s in shapes]
    repeats, warmup = _as_int("repeats", repeats), _as_int("warmup", warmup)
    if repeats < 1 or warmup < 0:
        raise ConvConfigError("repeats" if repeats < 1 else "warmup", min(repeats, warmup),
                              "repeats must be positive and warmup non-negative",
                              {"repeats": max(repeats, 1), "warmup": max(warmup, 0)})
    dev = torch.device(device)
    if dev.type not in {d.kind for d in available_devices()}:
        raise ConvConfigError("device", str(device), "device is not available on this machine",
                              {"device": "cpu"})
    with _ONE_AT_A_TIME:
        return _time_all(checked, dev, repeats, warmup, progress, dtype)


# One sweep at a time in a process: each holds up to ~150 MB of tensors (benchmarks/memory.py
# "inputs"), so sessions that start one together wait in turn instead of adding up; and a
# timing taken while another sweep runs would not mean much.
_ONE_AT_A_TIME = threading.Lock()


def _time_all(checked: list[Shape5], dev: torch.device, repeats: int, warmup: int,
              progress: Callable[[float], object] | None,
              dtype: torch.dtype) -> list[PointwiseTiming]:
    records: list[PointwiseTiming] = []
    generator = torch.Generator().manual_seed(0)
    for done, (n, c_in, c_out, h, w) in enumerate(checked, start=1):
        X = torch.randn(n, c_in, h, w, generator=generator, dtype=dtype).to(dev)
        K = torch.randn(c_out, c_in, 1, 1, generator=generator, dtype=dtype).to(dev)
        flops = 2 * n * c_in * c_out * h * w
        with torch.no_grad():
            for form_id, fn in _forms(X, K).items():
                seconds = _median_seconds(fn, dev, repeats, warmup)
                records.append(PointwiseTiming((n, c_in, c_out, h, w), form_id, seconds,
                                               flops / seconds / 1e9 if seconds > 0 else 0.0))
        if progress is not None:
            progress(done / len(checked))
    return records


