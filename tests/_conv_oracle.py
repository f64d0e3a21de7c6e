"""PyTorch as the oracle for the tests: build the real layer, call it, record what happened.

Kept independent of ``convlab`` on purpose: nothing here normalises or validates arguments,
so a convlab bug cannot leak into the expected values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class Verdict:
    """What ``nn.Conv2d(**kwargs)(torch.zeros(input_shape))`` did."""

    shape: tuple[int, ...] | None  # the output shape when it worked
    stage: str | None  # "construct" or "forward" when PyTorch refused
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.stage is None


def torch_conv2d(kwargs: dict[str, Any], input_shape: tuple[int, ...]) -> Verdict:
    """Run the real ``nn.Conv2d`` on zeros; never raises."""
    with warnings.catch_warnings():
        # zero-element weights warn at initialisation; the verdict is what matters here
        warnings.simplefilter("ignore")
        try:
            module = nn.Conv2d(**kwargs)
        except Exception as err:  # torch raises RuntimeError, ValueError, TypeError, ...
            return Verdict(None, "construct", err)
        try:
            with torch.no_grad():
                out = module(torch.zeros(input_shape))
        except Exception as err:
            return Verdict(None, "forward", err)
    return Verdict(tuple(out.shape), None)


def torch_output_hw(input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                    dilation: Any = 1) -> Verdict:
    """The verdict of a one-channel ``nn.Conv2d`` on a ``(1, 1, H, W)`` input."""
    h, w = input_size if isinstance(input_size, tuple) else (input_size, input_size)
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=kernel_size, stride=stride,
                  padding=padding, dilation=dilation, bias=False)
    return torch_conv2d(kwargs, (1, 1, h, w))


def as_pair(value: Any) -> tuple[Any, Any]:
    """``v -> (v, v)``; pairs pass through (the tests' own tiny ``_pair``)."""
    return tuple(value) if isinstance(value, tuple) else (value, value)  # type: ignore[return-value]
