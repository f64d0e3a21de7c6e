"""Three ways to compute ``F.conv_transpose2d``, each equal to it: zero insertion then an
ordinary correlation, each input cell stamping the kernel, and the transpose of the
convolution's unrolled matrix.

All take ``F.conv_transpose2d``'s arguments: ``X`` ``(N, C_in, H, W)``, ``K``
``(C_in, C_out // groups, kh, kw)``, ``bias`` ``(C_out,)`` or ``None``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch.nn.utils import skip_init

from ..equivalence import conv2d_to_linear
from ..errors import ConvConfigError
from .scatter import scatter_map
from .sizes import TransposeAxis
from .spec import ConvTranspose2dSpec

Tensor = torch.Tensor


def _plan(X: Tensor, K: Tensor, bias: Tensor | None, stride: Any, padding: Any,
          output_padding: Any, groups: int, dilation: Any
          ) -> tuple[ConvTranspose2dSpec, tuple[TransposeAxis, TransposeAxis]]:
    """Validate once: the layer these tensors and settings describe, and its two axes."""
    if X.dim() != 4 or K.dim() != 4:
        raise ConvConfigError("input", tuple(X.shape), "X must be (N, C_in, H, W) and K "
                              "(C_in, C_out // groups, kh, kw)")
    spec = ConvTranspose2dSpec(K.shape[0], K.shape[1] * groups, tuple(K.shape[2:]), stride,
                               padding, output_padding, groups, bias is not None, dilation)
    return spec, spec.explain(tuple(X.shape))


def zero_insert(X: Tensor, stride: tuple[int, int]) -> Tensor:
    """``stride - 1`` zeros between neighbouring cells: ``(N, C, H, W) -> (N, C, (H - 1)
    sh + 1, (W - 1) sw + 1)``.

    >>> zero_insert(torch.tensor([[[[1.0, 2.0]]]]), (1, 3)).tolist()
    [[[[1.0, 0.0, 0.0, 2.0]]]]
    """
    N, C, H, W = X.shape
    sh, sw = stride
    Z = X.new_zeros(N, C, (H - 1) * sh + 1, (W - 1) * sw + 1)
    Z[:, :, ::sh, ::sw] = X
    return Z


def flipped_conv_weight(K: Tensor, groups: int) -> Tensor:
    """The ordinary convolution's weight: channel axes swapped within each group, kernel
    flipped. ``(C_in, C_out/g, kh, kw) -> (C_out, C_in/g, kh, kw)``."""
    Kg = K.unflatten(0, (groups, -1))  # (g, C_in/g, C_out/g, kh, kw)
    return Kg.transpose(1, 2).flatten(0, 1).flip(-2, -1)  # (C_out, C_in/g, kh, kw)


def zero_inserted_input(X: Tensor, h: TransposeAxis, w: TransposeAxis) -> Tensor:
    """The direct form's input: zero-inserted, ``d (k - 1) - p`` zeros on each side (a
    negative count crops), ``output_padding`` more at the bottom and right."""
    Z = zero_insert(X, (h.stride, w.stride))
    return F.pad(Z, (w.edge, w.edge + w.output_padding, h.edge, h.edge + h.output_padding))


def conv_transpose2d_zero_insertion(X: Tensor, K: Tensor, bias: Tensor | None = None,
                                    stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                                    groups: int = 1, dilation: Any = 1) -> Tensor:
    """Zero insertion, padding, then a stride-1 correlation with the flipped kernel.

    >>> X = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> conv_transpose2d_zero_insertion(X, torch.ones(1, 1, 2, 2), stride=2).shape
    torch.Size([1, 1, 4, 4])
    """
    spec, (h, w) = _plan(X, K, bias, stride, padding, output_padding, groups, dilation)
    Z = zero_inserted_input(X, h, w)  # (N, C_in, H_out + d(kh-1), W_out + d(kw-1))
    return F.conv2d(Z, flipped_conv_weight(K, groups), bias, dilation=spec.dilation,
                    groups=groups)


def conv_transpose2d_scatter(X: Tensor, K: Tensor, bias: Tensor | None = None,
                             stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                             groups: int = 1, dilation: Any = 1) -> Tensor:
    """Each input cell stamps its value times the kernel into the output, where
    :func:`convlab.transpose.scatter_map` says; stamps that overlap add up.

    >>> X = torch.tensor([[[[1.0, 2.0]]]])
    >>> conv_transpose2d_scatter(X, torch.tensor([[[[1.0, 10.0, 100.0]]]]), stride=(1, 2))
    tensor([[[[  1.,  10., 102.,  20., 200.]]]])
    """
    spec, (h, w) = _plan(X, K, bias, stride, padding, output_padding, groups, dilation)
    smap = scatter_map(X.shape[-2:], spec.kernel_size, spec.stride, spec.padding,
                       spec.output_padding, spec.dilation)
    N, _, H, W = X.shape
    top, left, H_out, W_out = smap.box
    canvas = X.new_zeros(N, spec.out_channels, top + H_out + top, left + W_out + left)
    Xg = X.unflatten(1, (groups, -1))  # (N, g, C_in/g, H, W)
    Kg = K.unflatten(0, (groups, -1))  # (g, C_in/g, C_out/g, kh, kw)
    index = torch.from_numpy(smap.index)
    for i in range(H):
        for j in range(W):
            # one stamp per input cell: (N, g, C_in/g) x (g, C_in/g, C_out/g, kh, kw)
            stamp = torch.einsum("ngc,gcokl->ngokl", Xg[..., i, j], Kg).flatten(1, 2)
            rows, cols = index[i, j, ..., 0], index[i, j, ..., 1]  # (kh, kw) each
            canvas[:, :, rows, cols] += stamp  # (N, C_out, kh, kw)
    Y = canvas[:, :, top:top + H_out, left:left + W_out]  # crop the padding
    return Y if bias is None else Y + bias.view(1, -1, 1, 1)


def conv_transpose2d_unrolled(X: Tensor, K: Tensor, bias: Tensor | None = None,
                              stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                              groups: int = 1, dilation: Any = 1) -> Tensor:
    """The transpose of the convolution's unrolled matrix: ``Y = M^T x``, where ``M`` is
    ``conv2d_to_linear`` of ``nn.Conv2d(C_out, C_in, k, s, p, d, groups)`` with weight ``K``
    on the transposed layer's output shape.

    Raises:
        ConvConfigError: as :func:`convlab.conv2d_to_linear` when the matrix is too big.

    >>> X = torch.tensor([[[[1.0, 2.0]]]])
    >>> conv_transpose2d_unrolled(X, torch.tensor([[[[1.0, 10.0, 100.0]]]]), stride=(1, 2))
    tensor([[[[  1.,  10., 102.,  20., 200.]]]])
    """
    spec, (h, w) = _plan(X, K, bias, stride, padding, output_padding, groups, dilation)
    c = spec.conv2d
    conv = skip_init(torch.nn.Conv2d, **c.kwargs(), device=K.device, dtype=K.dtype)
    with torch.no_grad():
        conv.weight.copy_(K)  # (C_in, C_out/g, kh, kw) is this conv's (out, in/g, kh, kw)
    out_shape = (spec.out_channels, h.output, w.output)
    M = conv2d_to_linear(conv, out_shape).weight.detach()  # (C_in*H'*W', C_out*H_out*W_out)
    # With output_padding >= stride (dilation > stride) the convolution has extra outputs
    # that no input cell feeds: those rows of M meet zeros.
    _, H2, W2 = c.output_shape(out_shape)
    Xp = F.pad(X, (0, W2 - X.shape[-1], 0, H2 - X.shape[-2]))  # (N, C_in, H', W')
    Y = (Xp.flatten(1) @ M).view(X.shape[0], *out_shape)  # (N, C_in*H'*W') @ M -> (N, ...)
    return Y if bias is None else Y + bias.view(1, -1, 1, 1)


def conv_transpose2d_autograd(X: Tensor, K: Tensor, bias: Tensor | None = None,
                              stride: Any = 1, padding: Any = 0, output_padding: Any = 0,
                              groups: int = 1, dilation: Any = 1) -> Tensor:
    """The gradient of ``F.conv2d`` with respect to its input, by ``torch.autograd``: for a
    convolution from the transposed layer's output shape, ``d <conv2d(Y, K), X> / dY``.

    >>> X = torch.tensor([[[[1.0, 2.0]]]])
    >>> conv_transpose2d_autograd(X, torch.tensor([[[[1.0, 10.0, 100.0]]]]), stride=(1, 2))
    tensor([[[[  1.,  10., 102.,  20., 200.]]]])
    """
    spec, (h, w) = _plan(X, K, bias, stride, padding, output_padding, groups, dilation)
    Y = X.new_zeros(X.shape[0], spec.out_channels, h.output, w.output, requires_grad=True)
    with torch.enable_grad():
        conv = F.conv2d(Y, K, stride=spec.stride, padding=spec.padding,
                        dilation=spec.dilation, groups=groups)  # (N, C_in, H', W')
        grad, = torch.autograd.grad((conv[..., :X.shape[-2], :X.shape[-1]] * X).sum(), Y)
    return grad if bias is None else grad + bias.view(1, -1, 1, 1)


TRANSPOSE_FORMS = {"transpose_zero_insertion": conv_transpose2d_zero_insertion,
         "transpose_scatter": conv_transpose2d_scatter,
         "transpose_unrolled": conv_transpose2d_unrolled,
         "transpose_autograd": conv_transpose2d_autograd}
