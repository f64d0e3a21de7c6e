"""PyTorch itself as the oracle: build the real layer from raw settings and call it."""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from .errors import ConvConfigError

MAX_ORACLE_ELEMENTS = 4_000_000  # input + output elements one call may allocate (~32 MB fp32)
# The layers whose refusals the lab checks against PyTorch's own.
ORACLE_MODULES: dict[str, type[nn.Module]] = {
    m.__name__: m for m in (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d,
                            nn.ConvTranspose2d, nn.ConvTranspose3d, nn.MaxPool2d, nn.AvgPool2d,
                            nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)}


@dataclass(frozen=True)
class LayerOracle:
    """Which PyTorch layer answers for a setting: ``nn.<module>(**kwargs)`` exactly as given
    (invalid values included) on an input of ``input_shape``. A refusal carries it, so the
    page can ask PyTorch whether it refuses too, whatever the layer.

    >>> oracle = LayerOracle.of("ConvTranspose2d", {"in_channels": 1, "out_channels": 1,
    ...                         "kernel_size": 2, "stride": 2}, (1, 1, 2, 2))
    >>> oracle.name, oracle.verdict().output_shape
    ('nn.ConvTranspose2d', (1, 1, 4, 4))
    """

    module: str
    kwargs: tuple[tuple[str, Any], ...]
    input_shape: tuple[int, ...]

    @classmethod
    def of(cls, module: str, kwargs: Mapping[str, Any],
           input_shape: Sequence[int]) -> LayerOracle:
        return cls(module, tuple(kwargs.items()), tuple(int(v) for v in input_shape))

    @property
    def name(self) -> str:
        return f"nn.{self.module}"

    def verdict(self, device: str = "cpu") -> TorchVerdict:
        """What PyTorch does with it on ``device``. Transposed layers run in float64,
        PyTorch's reference kernels (oneDNN's float32 path lets a few empty outputs through
        that every other path refuses)."""
        dtype = torch.float64 if self.module.startswith("ConvTranspose") else torch.float32
        return run_layer(self.module, dict(self.kwargs), self.input_shape, device, dtype)


@dataclass(frozen=True)
class TorchVerdict:
    """What ``nn.Conv2d(**kwargs)(torch.randn(input_shape))`` did on ``device``."""

    output_shape: tuple[int, ...] | None
    error: str | None  # PyTorch's own message, first line
    stage: str | None  # "construct" or "forward" when it refused
    device: str
    dtype: str
    seconds: float


def run_conv2d(kwargs: dict[str, Any], input_shape: tuple[int, ...], device: str = "cpu",
               dtype: torch.dtype = torch.float32, seed: int = 0) -> TorchVerdict:
    """Build ``nn.Conv2d(**kwargs)`` and run it on a random input, reporting any refusal.

    :func:`run_conv` with ``dims=2``.

    The settings go to PyTorch exactly as given, invalid ones included: this is the
    reference that convlab's arithmetic is checked against.

    Raises:
        ConvConfigError: if the input is larger than the lab allows
            (``MAX_ORACLE_ELEMENTS``), before anything is allocated.

    >>> run_conv2d({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 1, 4, 4))
    ... # doctest: +ELLIPSIS
    TorchVerdict(output_shape=(1, 1, 2, 2), error=None, stage=None, device='cpu', ...)
    >>> run_conv2d({"in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 0},
    ...            (1, 1, 4, 4)).error
    'non-positive stride is not supported'
    """
    return run_conv(kwargs, input_shape, device, dtype, seed, dims=2)


def run_conv(kwargs: dict[str, Any], input_shape: tuple[int, ...], device: str = "cpu",
             dtype: torch.dtype = torch.float32, seed: int = 0, *,
             dims: int = 2, transposed: bool = False) -> TorchVerdict:
    """Build ``nn.Conv1d`` / ``nn.Conv2d`` / ``nn.Conv3d`` (``dims`` spatial dimensions;
    ``nn.ConvTranspose{dims}d`` when ``transposed``) from ``kwargs`` and run it on a random
    input of ``input_shape``, reporting any refusal.

    >>> run_conv({"in_channels": 1, "out_channels": 1, "kernel_size": 3, "stride": 2},
    ...          (1, 1, 16000), dims=1).output_shape
    (1, 1, 7999)
    """
    module = f"ConvTranspose{dims}d" if transposed else f"Conv{dims}d"
    return run_layer(module, kwargs, input_shape, device, dtype, seed)


def run_layer(module: str, kwargs: Mapping[str, Any], input_shape: tuple[int, ...],
              device: str = "cpu", dtype: torch.dtype = torch.float32,
              seed: int = 0) -> TorchVerdict:
    """Build ``nn.<module>(**kwargs)`` (one of :data:`ORACLE_MODULES`) exactly as given and
    run it on a random input of ``input_shape``, reporting any refusal.

    >>> run_layer("MaxPool2d", {"kernel_size": 3, "padding": 2}, (1, 1, 4, 4)).error
    ... # doctest: +ELLIPSIS
    'pad should be at most half of effective kernel size...'
    """
    if module not in ORACLE_MODULES:
        raise ConvConfigError("module", module, "the lab's oracle runs only "
                              f"{', '.join(ORACLE_MODULES)}", code="one_of",
                              values={"choices": ", ".join(ORACLE_MODULES)})
    kwargs = dict(kwargs)
    if math.prod(input_shape) > MAX_ORACLE_ELEMENTS:
        raise ConvConfigError("input_shape", tuple(input_shape), "the input is larger than "
                              f"this lab runs ({MAX_ORACLE_ELEMENTS:,} elements)", stage="lab",
                              code="lab_input", values={"limit": MAX_ORACLE_ELEMENTS})
    start = time.perf_counter()
    generator = torch.Generator().manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Initializing zero-element tensors is a no-op"
        try:
            torch.manual_seed(seed)
            cls = ORACLE_MODULES[module]
            layer = (cls(**kwargs, device=device, dtype=dtype) if module.startswith("Conv")
                     else cls(**kwargs))
        except Exception as err:  # PyTorch's refusal is the data here
            return TorchVerdict(None, _first_line(err), "construct", device, _name(dtype),
                                time.perf_counter() - start)
        try:
            x = torch.randn(input_shape, generator=generator, dtype=dtype).to(device)
            with torch.no_grad():
                y = layer(x)
            if y.numel() > MAX_ORACLE_ELEMENTS:  # only reachable with huge padding
                raise ConvConfigError("padding", kwargs.get("padding"), "the output is larger "
                                      "than this lab runs", stage="lab",
                                      code="lab_output")
            if y.device.type == "cuda":
                torch.cuda.synchronize()
        except ConvConfigError:
            raise
        except Exception as err:
            return TorchVerdict(None, _first_line(err), "forward", device, _name(dtype),
                                time.perf_counter() - start)
    return TorchVerdict(tuple(y.shape), None, None, device, _name(dtype),
                        time.perf_counter() - start)


def require_runnable(input_shape: tuple[int, ...], output_shape: tuple[int, ...]) -> None:
    """Refuse a layer whose input or output is larger than the oracle may allocate
    (``MAX_ORACLE_ELEMENTS`` each), before anything is allocated; the nearest fix keeps
    one sample and halves the first spatial size until it fits.

    >>> require_runnable((4, 16, 16, 64, 64), (4, 16, 16, 64, 64))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    convlab.errors.ConvConfigError: ...nearest valid setting: input_shape=(1, 16, 16, 64, 64)
    """
    worst = max(math.prod(input_shape), math.prod(output_shape))
    if worst <= MAX_ORACLE_ELEMENTS:
        return
    fit = [1, *input_shape[1:]]
    while math.prod(fit) * worst // math.prod(input_shape) > MAX_ORACLE_ELEMENTS and fit[2] > 1:
        fit[2] = (fit[2] + 1) // 2
    raise ConvConfigError("input_shape", tuple(input_shape), "the input or output is larger "
                          f"than this lab runs ({MAX_ORACLE_ELEMENTS:,} elements)",
                          {"input_shape": tuple(fit)}, stage="lab", code="lab_input",
                          values={"limit": MAX_ORACLE_ELEMENTS})


def _first_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")
