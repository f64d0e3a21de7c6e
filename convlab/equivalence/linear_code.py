"""The PyTorch script that rewrites a preset's ``nn.Linear`` as an ``nn.Conv2d`` by hand."""

from __future__ import annotations

from .linear import _recipe
from .validation import _require_mode


def linear_to_conv2d_code(preset_id: str, mode: str = "full") -> str:
    """A self-contained script (torch only) that builds the preset's layer, rewrites it as a
    convolution by hand and prints both outputs.

    Printed lines: ``linear [[...]]``, ``conv [[...]]`` (after the ReLU where the preset has
    one) and ``max_abs_diff 0.0``.

    >>> print(linear_to_conv2d_code("seed888").splitlines()[3:5])
    ['torch.manual_seed(888)', 'linear = nn.Linear(4, 2)']
    """
    r, mode = _recipe(preset_id), _require_mode(mode)
    (C, H, W), n, out = r.input_shape, r.in_features, r.out_features
    lines = ["import torch", "from torch import nn", ""]
    if r.seed is not None:
        lines += [f"torch.manual_seed({r.seed})", f"linear = nn.Linear({n}, {out})"]
    else:
        lines += [f"linear = nn.Linear({n}, {out})", "with torch.no_grad():",
                  f"    linear.weight.copy_(torch.tensor({[list(row) for row in r.weight or ()]}))",
                  f"    linear.bias.copy_(torch.tensor({list(r.bias or ())}))"]
    lines.append(f"x = torch.arange(1.0, {n + 1}.0).view(1, {n})  # (N, in_features)")
    if mode == "full":
        lines += ["", "# one kernel as large as the whole (C, H, W) input",
                  f"conv = nn.Conv2d({C}, {out}, kernel_size=({H}, {W}))"]
        view, layout = f"{C}, {H}, {W}", "(out, C, H, W)"
    else:
        lines += ["", "# every input value its own channel of a 1 x 1 image, a 1 x 1 kernel",
                  f"conv = nn.Conv2d({n}, {out}, kernel_size=1)"]
        view, layout = f"{n}, 1, 1", "(out, C*H*W, 1, 1)"
    lines += ["with torch.no_grad():",
              f"    conv.weight.copy_(linear.weight.view({out}, {view}))  # (out, in) -> {layout}",
              "    conv.bias.copy_(linear.bias)",
              "    y_linear = linear(x)",
              f"    y_conv = conv(x.view(1, {view})).flatten(1)  # (N, out, 1, 1) -> (N, out)"]
    if r.relu:
        lines.append("    y_linear, y_conv = torch.relu(y_linear), torch.relu(y_conv)")
    lines += ['print("linear", y_linear.tolist())', 'print("conv", y_conv.tolist())',
              'print("max_abs_diff", (y_linear - y_conv).abs().max().item())']
    return "\n".join(lines)
