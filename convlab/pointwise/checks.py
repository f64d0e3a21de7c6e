"""The 1×1 lesson checked four ways: matmul, channels-last ``nn.Linear`` and the loop
reference, each against ``F.conv2d`` with the 1×1 kernel, on one device."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..check import CheckResult, compare
from ..correlation.correlate import corr2d_multi_in_out_loop
from .layer import corr2d_multi_in_out_1x1, linear_channels_last

Tensor = torch.Tensor


@dataclass(frozen=True)
class PointwiseResult:
    """``Y`` and the channels-last ``linear`` output, both ``(N, C_out, H, W)`` on the CPU;
    the checks; and d2l's figure, the total absolute difference between the matmul form and
    the loop reference."""

    Y: Tensor
    linear: Tensor
    checks: list[CheckResult]
    loop_total_abs_diff: float


def pointwise_checks(X: Tensor, K: Tensor, bias: Tensor | None = None,
                     device: str | torch.device = "cpu") -> PointwiseResult:
    """Compute a 1×1 convolution as one matrix multiply on ``device`` and check it.

    Args:
        X: ``(N, C_in, H, W)``; K: ``(C_out, C_in, 1, 1)``; bias: ``(C_out,)`` or ``None``.

    Raises:
        ConvConfigError: as :func:`convlab.corr2d_multi_in_out_1x1`.

    >>> from convlab.pointwise import pointwise_example
    >>> X, K = pointwise_example(3, 2, 3, 3, n=1)
    >>> r = pointwise_checks(X, K)
    >>> all(c.passed for c in r.checks), r.loop_total_abs_diff < 1e-6
    (True, True)
    """
    dev = torch.device(device)
    Xd, Kd = X.to(dev), K.to(dev)
    bd = None if bias is None else bias.to(dev)
    Y = corr2d_multi_in_out_1x1(Xd, Kd, bd)  # (N, C_out, H, W)
    with torch.no_grad():
        lin = linear_channels_last(Xd, Kd, bd)
        oracle = F.conv2d(Xd, Kd, bd)
    loop = torch.stack([corr2d_multi_in_out_loop(x, Kd) for x in Xd])  # (N, C_out, H, W)
    if bd is not None:
        loop = loop + bd[:, None, None]
    checks = [compare(Y, oracle, what="matmul", oracle="f_conv2d_1x1"),
              compare(lin, oracle, what="linear_channels_last", oracle="f_conv2d_1x1"),
              compare(loop, oracle, what="loop", oracle="f_conv2d_1x1")]
    total = float((Y - loop).abs().sum())
    return PointwiseResult(Y.cpu(), lin.cpu(), checks, total)
