"""``ConvTranspose2dSpec``: ``nn.ConvTranspose2d``'s arguments as a value, refusals explained."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ..errors import ConvConfigError
from ..params import _as_int, _show, to_pair
from ..shapes import require_groups
from ..spec import Conv2dSpec
from .sizes import TransposeAxis, _int_padding, explain_transpose_size

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ConvTranspose2dSpec:
    """The arguments of ``torch.nn.ConvTranspose2d`` (in its order), validated as PyTorch
    validates them.

    Building a spec raises what the constructor raises plus the input-independent refusals
    PyTorch reports at the first call; :meth:`output_shape` raises the rest.

    Its weight is ``(in_channels, out_channels // groups, kh, kw)``: the weight of the
    ``nn.Conv2d(out_channels, in_channels, ...)`` whose input gradient this layer computes
    (:attr:`conv2d`).

    The DCGAN generator's up-step, 4 x 4 -> 8 x 8:

    >>> spec = ConvTranspose2dSpec(512, 256, 4, stride=2, padding=1, bias=False)
    >>> spec.weight_shape, spec.output_shape((1, 512, 4, 4)), spec.num_parameters
    ((512, 256, 4, 4), (1, 256, 8, 8), 2097152)
    """

    in_channels: int
    out_channels: int
    kernel_size: Any
    stride: Any = 1
    padding: Any = 0
    output_padding: Any = 0
    groups: int = 1
    bias: bool = True
    dilation: Any = 1
    padding_mode: str = "zeros"

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise once, here
        for name in ("in_channels", "out_channels", "groups"):
            set_(self, name, _as_int(name, getattr(self, name)))
        for name in ("kernel_size", "stride", "output_padding", "dilation"):
            set_(self, name, to_pair(name, getattr(self, name)))
        set_(self, "padding", _int_padding(self.padding))
        set_(self, "bias", bool(self.bias))
        # nn.ConvTranspose2d.__init__'s checks, in its order, then those of the first call
        # that do not depend on the input (an input of 10**6 cells per side always fits).
        if self.groups <= 0:
            require_groups(self.groups, self.in_channels, self.out_channels)
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) <= 0:
                raise ConvConfigError(name, getattr(self, name), f"{name} must be positive",
                                      {name: 1}, stage="construct", code="not_positive")
        require_groups(self.groups, self.in_channels, self.out_channels)
        if self.padding_mode != "zeros":
            raise ConvConfigError("padding_mode", self.padding_mode, "only 'zeros' padding mode "
                                  "is supported for ConvTranspose2d", {"padding_mode": "zeros"},
                                  stage="construct", code="transpose_zeros_only")
        explain_transpose_size(10**6, self.kernel_size, self.stride, self.padding,
                               self.output_padding, self.dilation)

    # ---- shapes and counts -------------------------------------------------------------
    @property
    def weight_shape(self) -> Shape:
        """``(in_channels, out_channels // groups, kh, kw)``: note the order."""
        return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)

    @property
    def num_parameters(self) -> int:
        return math.prod(self.weight_shape) + (self.out_channels if self.bias else 0)

    @property
    def conv2d(self) -> Conv2dSpec:
        """The convolution this layer transposes: ``nn.Conv2d(out_channels, in_channels,
        ...)`` with the same kernel, stride, padding, dilation and groups (no bias)."""
        return Conv2dSpec(self.out_channels, self.in_channels, self.kernel_size, self.stride,
                          self.padding, self.dilation, self.groups, bias=False)

    def explain(self, input_shape: Shape) -> tuple[TransposeAxis, TransposeAxis]:
        """Both axes' arithmetic for an ``(N, C, H, W)`` or ``(C, H, W)`` input.

        Raises:
            ConvConfigError: wherever calling the module on such an input raises.
        """
        shape = self._check_input(input_shape)
        return explain_transpose_size(shape[-2:], self.kernel_size, self.stride, self.padding,
                                      self.output_padding, self.dilation)

    def output_shape(self, input_shape: Shape) -> Shape:
        """The shape ``nn.ConvTranspose2d`` returns for an input of ``input_shape``.

        >>> ConvTranspose2dSpec(8, 3, 3, stride=2, padding=1).output_shape((8, 4, 4))
        (3, 7, 7)
        """
        h, w = self.explain(input_shape)
        return (*tuple(input_shape)[:-3], self.out_channels, h.output, w.output)

    def macs(self, input_shape: Shape) -> int:
        """Multiply-accumulates of one forward pass: every input value times its group's
        ``out_channels // groups`` kernels, ``kh * kw`` stamps each (the cropped ones too,
        as PyTorch computes them; bias additions not counted).

        >>> ConvTranspose2dSpec(1, 1, 3, stride=2).macs((1, 1, 2, 2))
        36
        """
        self.output_shape(input_shape)
        return math.prod(input_shape) * math.prod(self.weight_shape[1:])

    def _check_input(self, input_shape: Shape) -> Shape:
        try:
            shape = tuple(_as_int("input_shape", v) for v in input_shape)
        except TypeError:
            raise ConvConfigError("input_shape", input_shape, "input_shape must be a sequence "
                                  "of ints", code="bad_shape") from None
        if len(shape) not in (3, 4):
            raise ConvConfigError("input_shape", shape, "ConvTranspose2d expects a 3-D "
                                  "(C, H, W) or 4-D (N, C, H, W) input", code="bad_shape")
        if min(shape) <= 0:
            raise ConvConfigError("input_shape", shape, "input sizes must be positive",
                                  {"input_shape": tuple(max(v, 1) for v in shape)},
                                  code="not_positive")
        if shape[-3] != self.in_channels:
            raise ConvConfigError("in_channels", self.in_channels,
                                  f"Given transposed=1, weight of size {list(self.weight_shape)}"
                                  f" expects an input with {self.in_channels} channels, and the "
                                  f"input has {shape[-3]}", {"in_channels": shape[-3]},
                                  code="channels_mismatch",
                                  values={"expected": self.in_channels, "got": shape[-3]})
        return shape

    # ---- PyTorch objects -----------------------------------------------------------------
    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``nn.ConvTranspose2d``, pairs shown as one int when square."""
        return {
            "in_channels": self.in_channels, "out_channels": self.out_channels,
            "kernel_size": _show(self.kernel_size), "stride": _show(self.stride),
            "padding": _show(self.padding), "output_padding": _show(self.output_padding),
            "groups": self.groups, "bias": self.bias, "dilation": _show(self.dilation),
            "padding_mode": self.padding_mode,
        }

    def to_module(self, device: torch.device | str = "cpu",
                  dtype: torch.dtype = torch.float32) -> nn.ConvTranspose2d:
        """The real ``nn.ConvTranspose2d`` with these settings."""
        return nn.ConvTranspose2d(**self.kwargs(), device=device, dtype=dtype)

    def to_code(self) -> str:
        """Python source that builds this layer, omitting arguments left at their defaults.

        >>> ConvTranspose2dSpec(100, 512, 4, bias=False).to_code()
        'nn.ConvTranspose2d(100, 512, kernel_size=4, bias=False)'
        """
        from .script import conv_transpose2d_code

        return conv_transpose2d_code(self.kwargs())
