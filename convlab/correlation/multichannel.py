"""The multi-channel lesson in one call: partial maps, their sum, the bias, three checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from ..check import CheckResult, compare
from ..errors import ConvConfigError
from ..shapes import explain_output_size, window_index_map
from .correlate import corr2d_multi_in_out_loop, corr2d_partials

Tensor = torch.Tensor
LOOP_REFERENCE_LIMIT = 20_000  # multiply-adds beyond which the Python loop is skipped


@dataclass(frozen=True)
class MultiChannelResult:
    """A multi-channel correlation taken apart, on the CPU, plus how it was checked.

    Shapes: ``partials`` ``(C_out, C_in // groups, H_out, W_out)``, ``Y`` ``(C_out, H_out, W_out)``
    (bias included), ``padded`` ``(C_in, Hp, Wp)``.
    """

    partials: Tensor
    Y: Tensor
    padded: Tensor
    kernel_used: Tensor  # K, or K flipped for a true convolution
    checks: list[CheckResult]


def multichannel_correlation(X: Tensor, K: Tensor, bias: Tensor | None = None, *,
                             stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                             groups: int = 1, flip: bool = False,
                             device: str | torch.device = "cpu") -> MultiChannelResult:
    """Correlate (or, with ``flip``, convolve) on ``device`` and check it three ways.

    The vectorised :func:`corr2d_partials` computes; the loop reference (for small sizes)
    and ``F.conv2d`` are compared with it.

    Raises:
        ConvConfigError: for shapes or settings PyTorch refuses.

    >>> from convlab.correlation import d2l_two_channel_example
    >>> X, K = d2l_two_channel_example()
    >>> r = multichannel_correlation(X, K[None])
    >>> r.Y.tolist(), all(c.passed for c in r.checks)
    ([[[56.0, 72.0], [104.0, 120.0]]], True)
    """
    dev = torch.device(device)
    Xd, Kd = X.to(dev), K.to(dev)
    Ku = Kd.flip(-2, -1) if flip else Kd  # (C_out, C_in // groups, kh, kw)
    conv = dict(stride=stride, padding=padding, dilation=dilation)
    P = corr2d_partials(Xd, Ku, groups=groups, **conv)  # (C_out, C_in/g, H_out, W_out)
    Y = P.sum(1)  # (C_out, H_out, W_out)
    b = None if bias is None else bias.to(dev, Y.dtype)
    if b is not None:
        if b.shape != (K.shape[0],):
            raise ConvConfigError("bias", tuple(b.shape), f"bias must have one value per output "
                                  f"channel, shape ({K.shape[0]},)", code="bias_shape",
                                  values={"count": K.shape[0]})
        Y = Y + b[:, None, None]
    kind = "conv" if flip else "corr"
    oracle = F.conv2d(Xd[None], Ku, b, groups=groups, **conv)[0]  # (C_out, H_out, W_out)
    oracle_id = "f_conv2d_flipped" if flip else "f_conv2d"
    checks = [compare(Y, oracle, what=f"{kind}_vectorised", oracle=oracle_id,
                      args={"groups": groups})]
    if P.numel() * K.shape[-1] * K.shape[-2] <= LOOP_REFERENCE_LIMIT:
        loop = corr2d_multi_in_out_loop(Xd, Ku, groups=groups, **conv)
        loop = loop if b is None else loop + b[:, None, None]
        checks.append(compare(loop, oracle, what=f"{kind}_loop", oracle=oracle_id,
                              args={"groups": groups}))
    h, w = explain_output_size(tuple(X.shape[-2:]), tuple(K.shape[-2:]), **conv)
    padded = F.pad(X, (w.pad_before, w.pad_after, h.pad_before, h.pad_after))
    return MultiChannelResult(P.cpu(), Y.cpu(), padded.cpu(), Ku.cpu(), checks)


@dataclass(frozen=True)
class Term:
    """One product of an output cell's sum: ``x`` at padded ``(row, col)`` of ``channel``."""

    channel: int
    row: int
    col: int
    x: float
    k: float


def window_terms(X: Tensor, K: Tensor, out_channel: int, i: int, j: int, *, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1) -> list[Term]:
    """Every product that output cell ``(out_channel, i, j)`` sums, in reading order.

    ``K`` is the kernel actually slid (flip it first for a true convolution).

    >>> from convlab.correlation import d2l_two_channel_example
    >>> X, K = d2l_two_channel_example()
    >>> [(t.x, t.k) for t in window_terms(X, K[None], 0, 0, 0)][:4]
    [(0.0, 0.0), (1.0, 1.0), (3.0, 2.0), (4.0, 3.0)]
    """
    h, w = explain_output_size(tuple(X.shape[-2:]), tuple(K.shape[-2:]), stride, padding,
                               dilation)
    Xp = F.pad(X, (w.pad_before, w.pad_after, h.pad_before, h.pad_after))  # (C_in, Hp, Wp)
    idx = window_index_map(tuple(X.shape[-2:]), tuple(K.shape[-2:]), stride, padding,
                           dilation)[i, j]  # (kh, kw, 2)
    per_group_in, per_group_out = K.shape[1], K.shape[0] // groups
    first = (out_channel // per_group_out) * per_group_in
    terms = []
    for c in range(per_group_in):
        for a in range(K.shape[-2]):
            for b in range(K.shape[-1]):
                r, q = (int(v) for v in idx[a, b])
                terms.append(Term(first + c, r, q, float(Xp[first + c, r, q]),
                                  float(K[out_channel, c, a, b])))
    return terms
