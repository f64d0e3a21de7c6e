"""The pooling page's reproduce-in-PyTorch script."""

from __future__ import annotations

from typing import Any

import torch

from ..reproduce import tensor_literal
from .lesson import MODULE_NAMES, pool_kwargs

_DEFAULTS = {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False,
             "count_include_pad": True, "divisor_override": None}


def pool_code(kind: str, kwargs: dict[str, Any]) -> str:
    """``nn.MaxPool2d(...)`` (or the other kinds) source, defaults left out.

    >>> pool_code("max", {"kernel_size": (2, 3), "stride": (2, 3), "padding": (0, 1)})
    'nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1))'
    >>> pool_code("adaptive_avg", {"output_size": 1})
    'nn.AdaptiveAvgPool2d(1)'
    """
    kw = pool_kwargs(kind, kwargs)
    first = "output_size" if kind.startswith("adaptive") else "kernel_size"
    parts = [repr(kw[first])]
    parts += [f"{k}={v!r}" for k, v in kw.items() if k != first and _DEFAULTS.get(k) != v]
    return f"nn.{MODULE_NAMES[kind]}({', '.join(parts)})"


def pool_script(X: torch.Tensor, kind: str, kwargs: dict[str, Any]) -> str:
    """Code that pools ``X`` ``(C, H, W)`` with PyTorch's layer and prints ``Y``; for the
    max kinds also the winning cells and where the gradient goes (``X.grad`` after
    ``Y.sum().backward()``)."""
    is_max = kind in ("max", "adaptive_max")
    lines = ["import torch", "from torch import nn", "",
             "torch.set_printoptions(precision=4, sci_mode=False)",
             f"X = {tensor_literal(X)}  # (C, H, W)"]
    if is_max:
        lines += ["X.requires_grad_(True)",
                  f"pool = {pool_code(kind, kwargs)[:-1]}, return_indices=True)".replace(
                      "(, ", "("),
                  "Y, indices = pool(X)  # (C, H_out, W_out)",
                  "print(Y)",
                  "print(indices)  # each maximum's cell in its channel, i * W + j",
                  "Y.sum().backward()  # every output's gradient is 1",
                  "print(X.grad)  # where the gradient goes: to each window's maximum"]
    else:
        lines += [f"pool = {pool_code(kind, kwargs)}",
                  "Y = pool(X)  # (C, H_out, W_out)",
                  "print(Y)"]
    return "\n".join(lines)
