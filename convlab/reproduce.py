"""Self-contained PyTorch scripts that print a computation's numbers, for learners to run."""

from __future__ import annotations

from typing import Any

import torch

_DEFAULTS = {"stride": 1, "padding": 0, "dilation": 1, "groups": 1, "bias": True,
             "padding_mode": "zeros"}


def conv2d_code(kwargs: dict[str, Any], dims: int = 2) -> str:
    """``nn.Conv2d(...)`` source for these keyword arguments, defaults left out
    (``nn.Conv1d`` / ``nn.Conv3d`` for ``dims`` 1 or 3).

    The arguments are written as given, invalid ones too, so the code fails where
    PyTorch refuses them.

    >>> conv2d_code({"in_channels": 1, "out_channels": 2, "kernel_size": 2, "stride": 1})
    'nn.Conv2d(1, 2, kernel_size=2)'
    """
    parts = [repr(kwargs["in_channels"]), repr(kwargs["out_channels"]),
             f"kernel_size={kwargs['kernel_size']!r}"]
    parts += [f"{k}={kwargs[k]!r}" for k, v in _DEFAULTS.items() if kwargs.get(k, v) != v]
    return f"nn.Conv{dims}d({', '.join(parts)})"


def conv2d_shape_script(kwargs: dict[str, Any], input_shape: tuple[int, ...],
                        dims: int = 2) -> str:
    """Code that builds the layer (``nn.Conv{dims}d``), runs it and prints the shapes and
    counts.

    The printed lines are ``output shape``, ``weight shape`` and ``parameters``.

    >>> print(conv2d_shape_script({"in_channels": 1, "out_channels": 1, "kernel_size": 3},
    ...                          (1, 1, 4, 4)).splitlines()[3])
    layer = nn.Conv2d(1, 1, kernel_size=3)
    """
    return "\n".join([
        "import torch",
        "from torch import nn",
        "",
        f"layer = {conv2d_code(kwargs, dims)}",
        f"x = torch.randn{tuple(input_shape)}",
        "y = layer(x)",
        'print("output shape", tuple(y.shape))',
        'print("weight shape", tuple(layer.weight.shape))',
        'print("parameters", sum(p.numel() for p in layer.parameters()))',
    ])


def tensor_literal(T: torch.Tensor) -> str:
    """A ``torch.tensor(...)`` expression that rebuilds ``T`` exactly (float64 values).

    >>> tensor_literal(torch.tensor([[1.0, 2.5]]))
    'torch.tensor([[1.0, 2.5]])'
    """
    return f"torch.tensor({T.detach().cpu().double().tolist()!r})"


def conv2d_forward_script(X: torch.Tensor, K: torch.Tensor, bias: torch.Tensor | None, *,
                        stride: object, padding: object, dilation: object, groups: int,
                        flip: bool) -> str:
    """Code that computes one ``F.conv2d`` forward pass on explicit tensors and prints ``Y``.

    X is ``(C_in, H, W)`` and K ``(C_out, C_in // groups, kh, kw)``; the script adds the
    batch dimension PyTorch expects and prints ``Y`` of shape ``(C_out, H_out, W_out)``.
    """
    weight = "K.flip(-2, -1)" if flip else "K"
    lines = [
        "import torch",
        "import torch.nn.functional as F",
        "",
        "torch.set_printoptions(precision=4, sci_mode=False)",
        f"X = {tensor_literal(X)}  # (C_in, H, W)",
        f"K = {tensor_literal(K)}  # (C_out, C_in // groups, kh, kw)",
        f"b = {tensor_literal(bias) if bias is not None else None}",
    ]
    if flip:
        lines.append("# a true convolution flips the kernel; F.conv2d cross-correlates")
    lines += [
        f"Y = F.conv2d(X[None], {weight}, b, stride={stride!r}, padding={padding!r}, "
        f"dilation={dilation!r}, groups={groups})[0]  # (C_out, H_out, W_out)",
        "print(Y)",
    ]
    return "\n".join(lines)
