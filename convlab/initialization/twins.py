"""Two layers with the same arguments: different weights, different outputs, then equal."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.modules.conv import _ConvNd

from ..check import CheckResult, compare
from ..errors import ConvConfigError
from ..oracle import MAX_ORACLE_ELEMENTS
from ..reproduce import conv2d_code

_MODULES: dict[int, type[_ConvNd]] = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}


@dataclass(frozen=True)
class TwinLayers:
    """Layers ``a`` and ``b`` built one after the other with the same arguments.

    Weights ``(C_out, C_in // groups, *kernel)`` and outputs ``(N, C_out, *out)`` as NumPy,
    ``b``'s as drawn (before it is given ``a``'s state dict); ``bound`` is
    ``1 / sqrt(fan_in)``, the default limit of every weight and bias; ``checks`` compare the
    outputs once the weights are made equal, and the weights with the bound.
    """

    weight_a: np.ndarray
    weight_b: np.ndarray
    output_a: np.ndarray
    output_b: np.ndarray
    fan_in: int
    bound: float
    outputs_differ: bool
    checks: tuple[CheckResult, ...]


def default_init_bound(in_channels: int, kernel_size: tuple[int, ...], groups: int = 1) -> float:
    """PyTorch's default bound on a convolution's weights and bias: ``1 / sqrt(fan_in)``.

    ``reset_parameters`` draws the weight with ``kaiming_uniform_(w, a=sqrt(5))``, whose bound
    ``gain * sqrt(3 / fan_in)`` with ``gain = sqrt(2 / (1 + 5))`` is ``1 / sqrt(fan_in)``, and
    the bias uniformly in the same range; ``fan_in = in_channels // groups * prod(kernel)``.

    >>> round(default_init_bound(1, (3, 3)), 4)
    0.3333
    """
    fan_in = in_channels // groups * math.prod(kernel_size)
    return 1.0 / math.sqrt(fan_in)


def twin_layers(conv_kwargs: dict[str, Any], input_shape: tuple[int, ...], seed: int = 0,
                device: str = "cpu") -> TwinLayers:
    """Seed, draw an input ``torch.rand(input_shape)``, build two layers with ``conv_kwargs``.

    The draws come from a generator of the layers' own, in exactly the order the reproduce
    script (:func:`twin_layers_code`) makes them after ``torch.manual_seed(seed)``, so the
    numbers agree and no other session's draws can interleave. Then ``b`` gets ``a``'s
    state dict, and two layers built each right after seeding are compared.

    Args:
        conv_kwargs: ``nn.Conv{1,2,3}d`` keyword arguments (validated by the caller).
        input_shape: ``(N, C_in, *spatial)``; 1, 2 or 3 spatial dimensions pick the module.
        seed: the seed before the input and the layers are drawn.
        device: where the layers run.

    Raises:
        ConvConfigError: for an input or output larger than the oracle may allocate.

    >>> tw = twin_layers({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 1, 4, 4))
    >>> tw.outputs_differ, round(tw.bound, 4), [c.passed for c in tw.checks]
    (True, 0.3333, [True, True, True])
    """
    if math.prod(input_shape) > MAX_ORACLE_ELEMENTS:
        raise ConvConfigError("input_shape", tuple(input_shape), "the input is larger than "
                              f"this lab runs ({MAX_ORACLE_ELEMENTS:,} elements)", stage="lab",
                              code="lab_input", values={"limit": MAX_ORACLE_ELEMENTS})
    module = _MODULES[len(input_shape) - 2]
    g = torch.Generator().manual_seed(seed)
    X = torch.rand(input_shape, generator=g)
    a, b = _build(module, conv_kwargs, g), _build(module, conv_kwargs, g)
    weight_b = b.weight.detach().clone()
    c = _build(module, conv_kwargs, torch.Generator().manual_seed(seed))
    d = _build(module, conv_kwargs, torch.Generator().manual_seed(seed))
    dev = torch.device(device)
    Xd = X.to(dev)
    with torch.no_grad():
        for m in (a, b, c, d):
            m.to(dev)  # in place: a module moves its own parameters
        ya, yb = a(Xd), b(Xd)
        if ya.numel() > MAX_ORACLE_ELEMENTS:
            raise ConvConfigError("padding", conv_kwargs.get("padding"),
                                  "the output is larger than this lab runs", stage="lab",
                                  code="lab_output")
        b.load_state_dict(a.state_dict())
        yb_loaded, yc, yd = b(Xd), c(Xd), d(Xd)
    w = a.weight.detach().cpu()
    fan_in = w[0].numel()
    bound = 1.0 / math.sqrt(fan_in)
    drawn = [w.flatten()] + ([a.bias.detach().cpu()] if a.bias is not None else [])
    largest = float(torch.cat(drawn).abs().max())
    checks = (
        compare(yb_loaded, ya, what="twin_loaded", oracle="twin_a"),
        compare(yd, yc, what="twin_seeded", oracle="twin_c"),
        CheckResult("init_bound", "kaiming_uniform", str(dev), "float32",
                    max(largest - bound, 0.0), largest <= bound,
                    args=(("bound", f"{bound:.4f}"), ("fan_in", fan_in))),
    )
    return TwinLayers(w.numpy(), weight_b.numpy(), ya.cpu().numpy(), yb.cpu().numpy(),
                      fan_in, bound, not torch.equal(ya, yb), checks)


def _build(module: type[_ConvNd], kwargs: dict[str, Any], g: torch.Generator) -> _ConvNd:
    """``module(**kwargs)`` initialised as its ``reset_parameters`` does, drawing from ``g``
    (the weight first, then the bias, as PyTorch does)."""
    with torch.device("meta"):
        layer = module(**kwargs)
    layer = layer.to_empty(device="cpu")
    w = layer.weight
    with torch.no_grad():
        nn.init.kaiming_uniform_(w, a=math.sqrt(5), generator=g)
        if layer.bias is not None:
            fan_in = w[0].numel()
            bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            nn.init.uniform_(layer.bias, -bound, bound, generator=g)
    return layer


def twin_layers_code(conv_kwargs: dict[str, Any], input_shape: tuple[int, ...],
                     seed: int = 0) -> str:
    """A script that prints what :func:`twin_layers` computes, drawing in the same order.

    Its lines print: the two outputs, whether they are equal, the bound, whether every
    weight and bias is within it, equality after ``load_state_dict`` and after seeding.

    >>> print(twin_layers_code({"in_channels": 1, "out_channels": 1, "kernel_size": 3},
    ...                        (1, 1, 4, 4)).splitlines()[4])
    x = torch.rand(1, 1, 4, 4)
    """
    dims = len(input_shape) - 2
    layer = conv2d_code(conv_kwargs).replace("nn.Conv2d", f"nn.Conv{dims}d")
    return "\n".join([
        "import torch",
        "from torch import nn",
        "",
        f"torch.manual_seed({seed})",
        f"x = torch.rand{tuple(input_shape)}",
        f"a = {layer}",
        f"b = {layer}  # the same arguments, its own random weights",
        "with torch.no_grad():",
        '    print("a(x)", a(x).flatten().tolist())',
        '    print("b(x)", b(x).flatten().tolist())',
        '    print("equal", torch.equal(a(x), b(x)))  # False: different weights',
        "    bound = 1 / a.weight[0].numel() ** 0.5  # 1 / sqrt(fan_in)",
        "    drawn = torch.cat([p.flatten() for p in a.parameters()])",
        '    print("bound", round(bound, 4), "inside", bool(drawn.abs().max() <= bound))',
        "    b.load_state_dict(a.state_dict())",
        '    print("equal after load_state_dict", torch.equal(a(x), b(x)))',
        f"    torch.manual_seed({seed}); c = {layer}",
        f"    torch.manual_seed({seed}); d = {layer}",
        '    print("equal when seeded alike", torch.equal(c(x), d(x)))',
    ])
