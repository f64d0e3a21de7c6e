"""The transposed-convolution lesson's checks against PyTorch's own layer."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..check import CheckResult, compare, compare_shapes
from .forms import TRANSPOSE_FORMS
from .scatter import overlap_count
from .spec import ConvTranspose2dSpec


def transpose_checks(spec: ConvTranspose2dSpec, input_shape: tuple[int, ...],
                     device: str = "cpu", seed: int = 0) -> list[CheckResult]:
    """Every computation of the lesson against PyTorch, on a random input and weight.

    * ``transpose_formula`` (the output-size formula) against ``nn_conv_transpose2d``;
    * the four forms of :data:`convlab.transpose.forms.TRANSPOSE_FORMS` (zero insertion,
      scatter-add, the unrolled matrix's transpose, the autograd input gradient of ``F.conv2d``) and
      against ``f_conv_transpose2d``; ``overlap_count`` against ``f_conv_transpose2d_ones``
      (``F.conv_transpose2d`` of ones with a kernel of ones).

    Raises:
        ConvConfigError: where the layer refuses the input, or the unrolled matrix would
            be too big.

    >>> checks = transpose_checks(ConvTranspose2dSpec(2, 2, 3, stride=2), (1, 2, 3, 3))
    >>> [(c.what, c.passed) for c in checks][:2]
    [('transpose_formula', True), ('transpose_zero_insertion', True)]
    """
    shape = spec.output_shape(input_shape)
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(input_shape, generator=generator).to(device)
    K = torch.randn(spec.weight_shape, generator=generator).to(device)
    b = torch.randn(spec.out_channels, generator=generator).to(device) if spec.bias else None
    X4 = X if X.dim() == 4 else X[None]
    settings = dict(stride=spec.stride, padding=spec.padding,
                    output_padding=spec.output_padding, groups=spec.groups,
                    dilation=spec.dilation)
    with torch.no_grad():
        module = spec.to_module(device)
        oracle_shape = tuple(module(X).shape)
        Y = F.conv_transpose2d(X4, K, b, **settings)  # type: ignore[arg-type]
    dtype = str(Y.dtype).removeprefix("torch.")
    results = [compare_shapes("transpose_formula", shape, "nn_conv_transpose2d", oracle_shape,
                              str(Y.device), dtype)]
    for what, form in TRANSPOSE_FORMS.items():
        with torch.no_grad():
            results.append(compare(form(X4, K, b, **settings), Y, what=what,
                                   oracle="f_conv_transpose2d"))
    ones_k = torch.ones_like(K[:1, :1])
    with torch.no_grad():
        counts = F.conv_transpose2d(torch.ones_like(X4[:1, :1]), ones_k,
                                    **{**settings, "groups": 1})[0, 0]  # type: ignore[arg-type]
    ours = torch.from_numpy(overlap_count(X4.shape[-2:], spec.kernel_size, spec.stride,
                                          spec.padding, spec.output_padding, spec.dilation))
    results.append(compare(ours.to(counts), counts, what="overlap_count",
                           oracle="f_conv_transpose2d_ones"))
    return results
