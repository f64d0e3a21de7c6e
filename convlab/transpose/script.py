"""Self-contained PyTorch scripts for the transposed-convolution lesson."""

from __future__ import annotations

from typing import Any

_DEFAULTS = {"stride": 1, "padding": 0, "output_padding": 0, "groups": 1, "bias": True,
             "dilation": 1, "padding_mode": "zeros"}


def conv_transpose2d_code(kwargs: dict[str, Any]) -> str:
    """``nn.ConvTranspose2d(...)`` source for these keyword arguments, defaults left out.

    Written as given, invalid ones too, so the code fails where PyTorch refuses them.

    >>> conv_transpose2d_code({"in_channels": 4, "out_channels": 2, "kernel_size": 2,
    ...                        "stride": 2, "output_padding": 0})
    'nn.ConvTranspose2d(4, 2, kernel_size=2, stride=2)'
    """
    parts = [repr(kwargs["in_channels"]), repr(kwargs["out_channels"]),
             f"kernel_size={kwargs['kernel_size']!r}"]
    parts += [f"{k}={kwargs[k]!r}" for k, v in _DEFAULTS.items() if kwargs.get(k, v) != v]
    return f"nn.ConvTranspose2d({', '.join(parts)})"


def conv_transpose2d_script(kwargs: dict[str, Any], input_shape: tuple[int, ...],
                            seed: int = 0) -> str:
    """Code that runs the layer on a random input, prints its shapes and counts, and
    recomputes it as zero insertion + padding + correlation with the flipped kernel.

    Printed lines: ``output shape``, ``weight shape``, ``parameters`` and
    ``zero insertion max_abs_diff``.

    >>> print(conv_transpose2d_script({"in_channels": 1, "out_channels": 1, "kernel_size": 3},
    ...                               (1, 1, 2, 2)).splitlines()[5])
    layer = nn.ConvTranspose2d(1, 1, kernel_size=3)
    """
    return "\n".join([
        "import torch",
        "import torch.nn.functional as F",
        "from torch import nn",
        "",
        f"torch.manual_seed({seed})",
        f"layer = {conv_transpose2d_code(kwargs)}",
        f"x = torch.randn{tuple(input_shape)}",
        "y = layer(x)",
        'print("output shape", tuple(y.shape))',
        'print("weight shape", tuple(layer.weight.shape))',
        'print("parameters", sum(p.numel() for p in layer.parameters()))',
        "",
        "# The same numbers as an ordinary convolution: stride - 1 zeros between input cells,",
        "# d(k - 1) - p zeros around them (output_padding more at the bottom and right), then",
        "# a stride-1 correlation with the kernel flipped and its channel axes swapped.",
        "(sh, sw), (ph, pw) = layer.stride, layer.padding",
        "(dh, dw), (kh, kw), (oh, ow) = layer.dilation, layer.kernel_size, layer.output_padding",
        "N, C, H, W = x.shape",
        "z = x.new_zeros(N, C, (H - 1) * sh + 1, (W - 1) * sw + 1)",
        "z[:, :, ::sh, ::sw] = x",
        "eh, ew = dh * (kh - 1) - ph, dw * (kw - 1) - pw  # negative: crop",
        "z = F.pad(z, (ew, ew + ow, eh, eh + oh))",
        "g = layer.groups",
        "w = layer.weight.unflatten(0, (g, -1)).transpose(1, 2).flatten(0, 1)",
        "w = w.flip(-2, -1)  # (C_in, C_out/g, kh, kw) -> (C_out, C_in/g, kh, kw), flipped",
        "direct = F.conv2d(z, w, layer.bias, dilation=layer.dilation, groups=g)",
        'print("zero insertion max_abs_diff", (direct - y).abs().max().item())',
    ])
