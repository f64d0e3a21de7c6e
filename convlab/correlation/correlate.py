"""The corr2d family of d2l: a readable loop reference and a vectorised form of each.

Cross-correlation slides the kernel as it is; a true convolution flips it first
(``convolve2d_multi_in_out``). Padding here is zeros, as in ``F.conv2d``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from ..errors import ConvConfigError
from ..shapes import AxisArithmetic, explain_output_size, require_groups

Tensor = torch.Tensor


def _require_dim(name: str, T: Tensor, dim: int, layout: str) -> None:
    if T.dim() != dim:
        raise ConvConfigError(name, tuple(T.shape), f"{name} must be {dim}-D {layout}",
                              code="tensor_rank", values={"dims": dim, "layout": layout})


def _plan(X: Tensor, K: Tensor, stride: Any, padding: Any, dilation: Any
          ) -> tuple[Tensor, AxisArithmetic, AxisArithmetic]:
    """Validate sizes, then zero-pad X (..., H, W) as PyTorch would."""
    h, w = explain_output_size(tuple(X.shape[-2:]), tuple(K.shape[-2:]), stride, padding,
                               dilation)
    Xp = F.pad(X, (w.pad_before, w.pad_after, h.pad_before, h.pad_after))
    return Xp, h, w


def _windows(Xp: Tensor, h: AxisArithmetic, w: AxisArithmetic) -> Tensor:
    """Every window of the padded input as a strided view: (..., H_out, W_out, kh, kw)."""
    V = Xp.unfold(-2, h.effective_kernel, h.stride)  # (..., H_out, Wp, ekh)
    V = V.unfold(-2, w.effective_kernel, w.stride)  # (..., H_out, W_out, ekh, ekw)
    return V[..., :: h.dilation, :: w.dilation]  # (..., H_out, W_out, kh, kw)


def _contract(equation: str, A: Tensor, B: Tensor) -> Tensor:
    if A.is_floating_point() or A.is_complex():
        return torch.einsum(equation, A, B)
    # Integer matmul is missing on some backends (CUDA): multiply and sum instead.
    return torch.einsum(equation, A.double(), B.double()).round().to(A.dtype)


# ---- one channel ---------------------------------------------------------------------------
def corr2d_loop(X: Tensor, K: Tensor, *, stride: Any = 1, padding: Any = 0,
                dilation: Any = 1) -> Tensor:
    """2-D cross-correlation, one output cell at a time (the reference).

    Args:
        X: input, shape ``(H, W)``.
        K: kernel, shape ``(kh, kw)``.
        stride, padding, dilation: as in ``F.conv2d`` (padding may be ``'same'``/``'valid'``).

    Returns:
        ``(H_out, W_out)`` on X's device, in X's dtype.

    Raises:
        ConvConfigError: for a kernel that does not fit or a bad setting.

    >>> X = torch.tensor([[0., 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> corr2d_loop(X, torch.tensor([[0., 1], [2, 3]]))
    tensor([[19., 25.],
            [37., 43.]])
    """
    _require_dim("X", X, 2, "(H, W)")
    _require_dim("K", K, 2, "(kh, kw)")
    Xp, h, w = _plan(X, K, stride, padding, dilation)
    Y = torch.zeros((h.output, w.output), dtype=X.dtype, device=X.device)
    for i in range(h.output):
        for j in range(w.output):
            r, c = i * h.stride, j * w.stride
            window = Xp[r: r + h.effective_kernel: h.dilation,
                        c: c + w.effective_kernel: w.dilation]
            Y[i, j] = (window * K).sum()
    return Y


def corr2d(X: Tensor, K: Tensor, *, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1) -> Tensor:
    """2-D cross-correlation, vectorised: windows as a strided view, then one contraction.

    Shape:
        X ``(H, W)``, K ``(kh, kw)`` -> ``(H_out, W_out)``.

    >>> X = torch.tensor([[0., 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> corr2d(X, torch.tensor([[0., 1], [2, 3]]))
    tensor([[19., 25.],
            [37., 43.]])
    """
    _require_dim("X", X, 2, "(H, W)")
    _require_dim("K", K, 2, "(kh, kw)")
    return corr2d_multi_in(X[None], K[None], stride=stride, padding=padding, dilation=dilation)


# ---- several input channels ----------------------------------------------------------------
def _require_channels(X: Tensor, K_in: int, groups: int) -> None:
    if X.shape[0] != K_in * groups:
        raise ConvConfigError("X", tuple(X.shape), f"the kernel expects {K_in * groups} input "
                              f"channels (groups={groups}), and X has {X.shape[0]}",
                              {"in_channels": X.shape[0]}, code="channels_mismatch",
                              values={"expected": K_in * groups, "got": X.shape[0]})


def corr2d_multi_in_loop(X: Tensor, K: Tensor, **conv: Any) -> Tensor:
    """Multi-input correlation, reference: one corr2d per channel, then their sum.

    Shape:
        X ``(C_in, H, W)``, K ``(C_in, kh, kw)`` -> ``(H_out, W_out)``.
    """
    _require_dim("X", X, 3, "(C_in, H, W)")
    _require_dim("K", K, 3, "(C_in, kh, kw)")
    _require_channels(X, K.shape[0], 1)
    return sum(corr2d_loop(x, k, **conv) for x, k in zip(X, K, strict=True))  # type: ignore


def corr2d_multi_in(X: Tensor, K: Tensor, *, stride: Any = 1, padding: Any = 0,
                    dilation: Any = 1) -> Tensor:
    """Multi-input correlation: correlate each channel with its kernel slice, sum the maps.

    Shape:
        X ``(C_in, H, W)``, K ``(C_in, kh, kw)`` -> ``(H_out, W_out)``.

    d2l's two-channel example:

    >>> X = torch.stack([torch.arange(9.).reshape(3, 3), torch.arange(1., 10).reshape(3, 3)])
    >>> K = torch.stack([torch.arange(4.).reshape(2, 2), torch.arange(1., 5).reshape(2, 2)])
    >>> corr2d_multi_in(X, K)
    tensor([[ 56.,  72.],
            [104., 120.]])
    """
    _require_dim("X", X, 3, "(C_in, H, W)")
    _require_dim("K", K, 3, "(C_in, kh, kw)")
    return corr2d_multi_in_out(X, K[None], stride=stride, padding=padding, dilation=dilation)[0]


# ---- several output channels ---------------------------------------------------------------
def corr2d_multi_in_out_loop(X: Tensor, K: Tensor, *, groups: int = 1, **conv: Any) -> Tensor:
    """Multi-output correlation, reference: one multi-input correlation per output channel.

    With ``groups`` > 1, output channel ``o`` only reads its group's input channels.

    Shape:
        X ``(C_in, H, W)``, K ``(C_out, C_in // groups, kh, kw)`` -> ``(C_out, H_out, W_out)``.
    """
    _require_dim("X", X, 3, "(C_in, H, W)")
    _require_dim("K", K, 4, "(C_out, C_in // groups, kh, kw)")
    _require_groups(X, K, groups)
    per_group_in, per_group_out = X.shape[0] // groups, K.shape[0] // groups
    outputs = []
    for o in range(K.shape[0]):
        g = o // per_group_out
        X_g = X[g * per_group_in: (g + 1) * per_group_in]
        outputs.append(corr2d_multi_in_loop(X_g, K[o], **conv))
    return torch.stack(outputs)


def _require_groups(X: Tensor, K: Tensor, groups: int) -> None:
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise ConvConfigError("groups", groups, "groups must be a positive integer", {"groups": 1},
                              code="not_positive")
    require_groups(groups, K.shape[0] if groups <= 0 else K.shape[1] * groups, K.shape[0])
    _require_channels(X, K.shape[1], groups)


def corr2d_partials(X: Tensor, K: Tensor, *, stride: Any = 1, padding: Any = 0,
                    dilation: Any = 1, groups: int = 1) -> Tensor:
    """Each input channel's contribution to each output channel, before the sum.

    Shape:
        X ``(C_in, H, W)``, K ``(C_out, C_in // groups, kh, kw)``
        -> ``(C_out, C_in // groups, H_out, W_out)``; ``.sum(1)`` is the correlation.
    """
    _require_dim("X", X, 3, "(C_in, H, W)")
    _require_dim("K", K, 4, "(C_out, C_in // groups, kh, kw)")
    _require_groups(X, K, groups)
    Xp, h, w = _plan(X, K, stride, padding, dilation)
    V = _windows(Xp, h, w)  # (C_in, H_out, W_out, kh, kw)
    c_in, c_out = K.shape[1], K.shape[0]
    V = V.reshape(groups, c_in, *V.shape[1:])  # (g, C_in/g, H_out, W_out, kh, kw)
    Kg = K.reshape(groups, c_out // groups, c_in, *K.shape[2:])  # (g, C_out/g, C_in/g, kh, kw)
    P = _contract("gchwab,gocab->gochw", V, Kg)  # (g, C_out/g, C_in/g, H_out, W_out)
    return P.reshape(c_out, c_in, h.output, w.output)


def corr2d_multi_in_out(X: Tensor, K: Tensor, *, stride: Any = 1, padding: Any = 0,
                        dilation: Any = 1, groups: int = 1) -> Tensor:
    """Multi-output correlation: one multi-input correlation per output channel, stacked.

    Shape:
        X ``(C_in, H, W)``, K ``(C_out, C_in // groups, kh, kw)`` -> ``(C_out, H_out, W_out)``.

    d2l's stack of K, K + 1, K + 2:

    >>> X = torch.stack([torch.arange(9.).reshape(3, 3), torch.arange(1., 10).reshape(3, 3)])
    >>> K = torch.stack([torch.arange(4.).reshape(2, 2), torch.arange(1., 5).reshape(2, 2)])
    >>> corr2d_multi_in_out(X, torch.stack([K, K + 1, K + 2]))[:, 0, 0]
    tensor([56., 76., 96.])
    """
    # One map per input channel (the partial sums); their sum is the correlation.
    P = corr2d_partials(X, K, stride=stride, padding=padding, dilation=dilation, groups=groups)
    return P.sum(1)  # (C_out, C_in // groups, H_out, W_out) -> (C_out, H_out, W_out)


def convolve2d_multi_in_out(X: Tensor, K: Tensor, **conv: Any) -> Tensor:
    """True 2-D convolution: cross-correlation with the kernel flipped in both axes.

    >>> X = torch.arange(9.).reshape(1, 3, 3)
    >>> convolve2d_multi_in_out(X, torch.tensor([[[[0., 1], [2, 3]]]]))
    tensor([[[ 5., 11.],
             [23., 29.]]])
    """
    return corr2d_multi_in_out(X, K.flip(-2, -1), **conv)


def d2l_two_channel_example() -> tuple[Tensor, Tensor]:
    """d2l's two-channel X ``(2, 3, 3)`` and K ``(2, 2, 2)``; their correlation is 56 72 104 120.

    >>> X, K = d2l_two_channel_example()
    >>> corr2d_multi_in(X, K).tolist()
    [[56.0, 72.0], [104.0, 120.0]]
    """
    X = torch.stack([torch.arange(9.0).reshape(3, 3), torch.arange(1.0, 10.0).reshape(3, 3)])
    K = torch.stack([torch.arange(4.0).reshape(2, 2), torch.arange(1.0, 5.0).reshape(2, 2)])
    return X, K
