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

# d2l 7.4 checks its 1x1 example with ``float(torch.abs(Y1 - Y2).sum()) < 1e-6``: true for
# its 18 outputs, not a law. A larger layer sums more float32 roundings.
D2L_TOTAL_DIFF = 1e-6
# torch.testing.assert_close's default (rtol, atol) per dtype.
DEFAULT_TOLERANCES = {torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5),
                      torch.float32: (1.3e-6, 1e-5), torch.float64: (1e-7, 1e-7)}


@dataclass(frozen=True)
class PointwiseResult:
    """``Y`` and the channels-last ``linear`` output, both ``(N, C_out, H, W)`` on the CPU;
    the checks; and d2l's figure, the total absolute difference between the matmul form and
    the loop reference, with the total it may reach for this dtype and size.

    Attributes:
        loop_total_abs_diff: ``|Y - loop|.sum()``.
        loop_tolerance: ``(atol + rtol * |loop|).sum()`` with ``torch.testing``'s default
            ``atol`` and ``rtol`` for ``Y``'s dtype: the most that element-wise rounding
            allowed by ``assert_close`` can add up to over these elements.
        dtype: ``Y``'s dtype, as ``"float32"``.
    """

    Y: Tensor
    linear: Tensor
    checks: list[CheckResult]
    loop_total_abs_diff: float
    loop_tolerance: float
    dtype: str

    @property
    def loop_verdict(self) -> str:
        """``below_d2l`` (d2l's ``< 1e-6`` holds), ``within_tolerance`` (above 1e-6, within
        the dtype's rounding) or ``exceeds``."""
        if self.loop_total_abs_diff < D2L_TOTAL_DIFF:
            return "below_d2l"
        return "within_tolerance" if self.loop_total_abs_diff <= self.loop_tolerance \
            else "exceeds"


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
    >>> all(c.passed for c in r.checks), r.loop_verdict
    (True, 'below_d2l')
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
    rtol, atol = DEFAULT_TOLERANCES.get(Y.dtype, (0.0, 0.0))
    tolerance = float((atol + rtol * loop.abs()).sum())
    return PointwiseResult(Y.cpu(), lin.cpu(), checks, total, tolerance,
                           str(Y.dtype).removeprefix("torch."))
