"""One pooling layer run the lesson's way and PyTorch's, on a device: its output, where
each maximum is, where the gradient goes, and the checks that they agree."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from ..check import CheckResult, compare
from ..errors import ConvConfigError
from .forward import (
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool2d,
    max_pool2d,
    max_pool2d_backward,
)
from .windows import PoolWindows, adaptive_windows, pool_windows

Tensor = torch.Tensor
# The four layers of the lesson, and the arguments each takes (in nn.*'s order).
KINDS = ("max", "avg", "adaptive_avg", "adaptive_max")
MODULE_NAMES = {"max": "MaxPool2d", "avg": "AvgPool2d", "adaptive_avg": "AdaptiveAvgPool2d",
                "adaptive_max": "AdaptiveMaxPool2d"}
ARGUMENTS = {
    "max": ("kernel_size", "stride", "padding", "dilation", "ceil_mode"),
    "avg": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
            "divisor_override"),
    "adaptive_avg": ("output_size",),
    "adaptive_max": ("output_size",),
}


@dataclass(frozen=True)
class PoolResult:
    """One pooling layer on one input.

    Attributes:
        Y: ``(C, H_out, W_out)``, computed from the window map.
        indices: the winning cells (flat ``i * W + j``) for the max kinds, else ``None``.
        grad: the input's gradient when every output's gradient is 1 (max kinds: routed
            to the winners), else ``None``.
        windows: the window map it was computed from.
        checks: against ``F.*`` / ``nn.*`` and autograd, on the device.
    """

    Y: Tensor
    indices: Tensor | None
    grad: Tensor | None
    windows: PoolWindows
    checks: tuple[CheckResult, ...]


def pool_kwargs(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The layer's keyword arguments: ``values`` restricted to those ``kind`` takes.

    >>> pool_kwargs("avg", {"kernel_size": 2, "dilation": 1, "count_include_pad": True})
    {'kernel_size': 2, 'count_include_pad': True}
    """
    if kind not in KINDS:
        raise ConvConfigError("kind", kind, f"kind must be one of {KINDS}", {"kind": "max"})
    return {k: values[k] for k in ARGUMENTS[kind] if k in values}


def pool_module(kind: str, kwargs: dict[str, Any]) -> nn.Module:
    """PyTorch's own layer with these arguments."""
    return getattr(nn, MODULE_NAMES[kind])(**pool_kwargs(kind, kwargs))


def windows_of(kind: str, size: tuple[int, int], kwargs: dict[str, Any]) -> PoolWindows:
    """The window map of the layer over an ``H x W`` input (refusals as PyTorch's)."""
    kw = pool_kwargs(kind, kwargs)
    if kind.startswith("adaptive"):
        return adaptive_windows(size, kw["output_size"])
    return pool_windows(size, kw["kernel_size"], kw.get("stride"), kw.get("padding", 0),
                        kw.get("dilation", 1), kw.get("ceil_mode", False))


def run_pool(X: Tensor, kind: str, kwargs: dict[str, Any], device: str = "cpu") -> PoolResult:
    """Pool ``X`` ``(C, H, W)`` with the layer ``kind`` the lesson's way and PyTorch's.

    Raises:
        ConvConfigError: where PyTorch refuses the layer.

    d2l 7.5's two channels X and X + 1 through ``MaxPool2d(3, padding=1, stride=2)``:

    >>> X = torch.arange(16.0).reshape(1, 4, 4)
    >>> r = run_pool(torch.cat([X, X + 1]), "max", {"kernel_size": 3, "padding": 1, "stride": 2})
    >>> r.Y.tolist(), all(c.passed for c in r.checks)
    ([[[5.0, 7.0], [13.0, 15.0]], [[6.0, 8.0], [14.0, 16.0]]], True)
    """
    kw = pool_kwargs(kind, kwargs)
    win = windows_of(kind, (int(X.shape[-2]), int(X.shape[-1])), kw)
    if kind == "avg" and kw.get("divisor_override") == 0:
        raise ConvConfigError("divisor_override", 0, "divisor must be not zero",
                              {"divisor_override": None})
    Xd = X.to(device)
    module = f"nn.{MODULE_NAMES[kind]}"
    indices = grad = None
    checks: list[CheckResult] = []
    if kind in ("max", "adaptive_max"):
        if kind == "max":
            Y, indices = max_pool2d(Xd, **kw, return_indices=True)  # type: ignore[misc]
            ref, ref_i = F.max_pool2d(Xd, **kw, return_indices=True)
        else:
            Y, indices = adaptive_max_pool2d(Xd, kw["output_size"], return_indices=True)  # type: ignore[misc]
            ref, ref_i = F.adaptive_max_pool2d(Xd, kw["output_size"], return_indices=True)
        checks.append(compare(Y, ref, what="pool_windows", oracle="pool_module",
                              args={"module": module}))
        # the indices are int64; the row names the dtype the layer ran in
        checks.append(replace(compare(indices, ref_i, what="pool_indices",
                                      oracle="return_indices", args={"module": module}),
                              dtype=str(X.dtype).removeprefix("torch.")))
        grad = max_pool2d_backward(torch.ones_like(Y), indices, X.shape[-2:])
        # A dilated window can read padding alone: its index lies outside the plane, and
        # PyTorch's CPU backward would write that output's gradient outside the input's
        # memory (corrupting the server process). Autograd is asked only when every
        # maximum is an input cell.
        plane = int(X.shape[-2]) * int(X.shape[-1])
        if bool(((indices >= 0) & (indices < plane)).all()):
            leaf = Xd.detach().clone().requires_grad_(True)
            out = (F.max_pool2d(leaf, **kw) if kind == "max"
                   else F.adaptive_max_pool2d(leaf, kw["output_size"]))
            out.sum().backward()
            assert leaf.grad is not None  # backward filled it
            checks.append(compare(grad, leaf.grad, what="pool_backward",
                                  oracle="max_pool_autograd", args={"module": module}))
    elif kind == "avg":
        Y = avg_pool2d(Xd, **kw)
        checks.append(compare(Y, F.avg_pool2d(Xd, **kw), what="pool_windows",
                              oracle="pool_module", args={"module": module}))
    else:
        Y = adaptive_avg_pool2d(Xd, kw["output_size"])
        checks.append(compare(Y, F.adaptive_avg_pool2d(Xd, kw["output_size"]),
                              what="pool_windows", oracle="pool_module",
                              args={"module": module}))
    return PoolResult(Y.cpu(), None if indices is None else indices.cpu(),
                      None if grad is None else grad.cpu(), win, tuple(checks))
