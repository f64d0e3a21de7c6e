"""``Conv2dSpec``: ``nn.Conv2d``'s arguments as a value, with PyTorch's refusals explained."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .errors import ConvConfigError
from .params import PADDING_MODES, Pair, _as_int, _show, to_padding, to_pair
from .shapes import (
    AxisArithmetic,
    applied_padding,
    axis_windows,
    explain_output_size,
    require_groups,
    require_same_unstrided,
)

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Conv2dSpec:
    """The arguments of ``torch.nn.Conv2d``, validated as PyTorch validates them.

    Building a spec raises what ``nn.Conv2d(...)`` would raise, plus the refusals that
    PyTorch only reports when the layer is first called but that do not depend on the
    input (non-positive kernel, stride, dilation; negative padding). Input-dependent
    refusals come from :meth:`output_shape`.

    Args:
        in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
        padding_mode: as in ``nn.Conv2d``; pairs may be given as one int.

    Raises:
        ConvConfigError: for a configuration PyTorch refuses.

    The (1, 1, 4, 4) input with a 3 x 3 kernel:

    >>> spec = Conv2dSpec(1, 1, 3)
    >>> spec.weight_shape, spec.output_shape((1, 1, 4, 4)), spec.num_parameters
    ((1, 1, 3, 3), (1, 1, 2, 2), 10)
    """

    in_channels: int
    out_channels: int
    kernel_size: Any
    stride: Any = 1
    padding: Any = 0
    dilation: Any = 1
    groups: int = 1
    bias: bool = True
    padding_mode: str = "zeros"

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "in_channels", _as_int("in_channels", self.in_channels))
        set_(self, "out_channels", _as_int("out_channels", self.out_channels))
        set_(self, "groups", _as_int("groups", self.groups))
        set_(self, "kernel_size", to_pair("kernel_size", self.kernel_size))
        set_(self, "stride", to_pair("stride", self.stride))
        set_(self, "dilation", to_pair("dilation", self.dilation))
        set_(self, "padding", to_padding(self.padding))
        set_(self, "bias", bool(self.bias))
        self._validate()

    def _validate(self) -> None:
        # nn.Conv2d.__init__'s checks, in its order.
        if self.groups <= 0:
            require_groups(self.groups, self.in_channels, self.out_channels)
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) <= 0:
                raise ConvConfigError(name, getattr(self, name), f"{name} must be positive",
                                      {name: 1}, stage="construct", code="not_positive")
        require_groups(self.groups, self.in_channels, self.out_channels)
        require_same_unstrided(self.padding, self.stride)
        if self.padding_mode not in PADDING_MODES:
            raise ConvConfigError("padding_mode", self.padding_mode,
                                  f"padding_mode must be one of {PADDING_MODES}",
                                  {"padding_mode": "zeros"}, stage="construct",
                                  code="one_of", values={"choices": ", ".join(PADDING_MODES)})
        # Checked by PyTorch at the first call; the smallest legal input tells us the rest.
        explain_output_size(10**9, self.kernel_size, self.stride,
                            "valid" if self.padding == "same" else self.padding, self.dilation)

    # ---- shapes and counts -------------------------------------------------------------
    @property
    def weight_shape(self) -> Shape:
        """``(out_channels, in_channels // groups, kh, kw)``."""
        kh, kw = self.kernel_size
        return (self.out_channels, self.in_channels // self.groups, kh, kw)

    @property
    def num_parameters(self) -> int:
        return math.prod(self.weight_shape) + (self.out_channels if self.bias else 0)

    @property
    def applied_padding(self) -> tuple[Pair, Pair]:
        """Padding per side, ``((top, bottom), (left, right))``, as the layer applies it."""
        return applied_padding(self.padding, self.kernel_size, self.dilation)

    def explain(self, input_shape: Shape) -> tuple[AxisArithmetic, AxisArithmetic]:
        """The output-size arithmetic for an ``(N, C, H, W)`` or ``(C, H, W)`` input.

        Raises:
            ConvConfigError: wherever calling the module on such an input raises.
        """
        shape = self._check_input(input_shape)
        h, w = shape[-2], shape[-1]
        (top, bottom), (left, right) = self.applied_padding
        if self.padding_mode != "zeros":
            self._check_padding_mode(h, w, (top, bottom, left, right))
        return explain_output_size((h, w), self.kernel_size, self.stride, self.padding,
                                   self.dilation)

    def output_shape(self, input_shape: Shape) -> Shape:
        """The shape ``nn.Conv2d`` returns for an input of ``input_shape``.

        >>> Conv2dSpec(3, 8, 3, stride=2, padding=1).output_shape((2, 3, 13, 14))
        (2, 8, 7, 7)
        """
        h, w = self.explain(input_shape)
        return (*tuple(input_shape)[:-3], self.out_channels, h.output, w.output)

    def macs(self, input_shape: Shape) -> int:
        """Multiply-accumulates of one forward pass (bias additions not counted)."""
        out = self.output_shape(input_shape)
        per_output = (self.in_channels // self.groups) * math.prod(self.kernel_size)
        return math.prod(out) * per_output

    def _check_input(self, input_shape: Shape) -> Shape:
        try:
            shape = tuple(_as_int("input_shape", v) for v in input_shape)
        except TypeError:
            raise ConvConfigError("input_shape", input_shape, "input_shape must be a sequence "
                                  "of ints", code="bad_shape") from None
        if len(shape) not in (3, 4):
            raise ConvConfigError("input_shape", shape, "Conv2d expects a 3-D (C, H, W) or 4-D "
                                  "(N, C, H, W) input", code="bad_shape")
        if min(shape) < 0 or min(shape[-2:]) == 0:
            raise ConvConfigError("input_shape", shape, "input sizes must be non-negative and "
                                  "height and width positive", code="bad_shape")
        if shape[-3] != self.in_channels:
            raise ConvConfigError("in_channels", self.in_channels,
                                  f"Given groups={self.groups}, weight of size "
                                  f"{list(self.weight_shape)} expects an input with "
                                  f"{self.in_channels} channels, and the input has {shape[-3]}",
                                  {"in_channels": shape[-3]}, code="channels_mismatch",
                                  values={"expected": self.in_channels, "got": shape[-3]})
        return shape

    def _check_padding_mode(self, h: int, w: int, pads: tuple[int, int, int, int]) -> None:
        sizes = (h, h, w, w)
        if self.padding_mode == "reflect":
            if any(p >= n for p, n in zip(pads, sizes, strict=True)):
                fit = (min(max(pads[:2]), h - 1), min(max(pads[2:]), w - 1))
                raise ConvConfigError("padding", _show(_pads_shown(pads)),
                                      f"reflect padding must be smaller than the input "
                                      f"({h} x {w}) on every side",
                                      {"padding": _show(fit)} if self.padding != "same"
                                      else {"padding_mode": "zeros"}, code="reflect_too_far",
                                      values={"size": f"{h} × {w}"})
        elif self.padding_mode == "circular":
            if any(p > n for p, n in zip(pads, sizes, strict=True)):
                fit = (min(max(pads[:2]), h), min(max(pads[2:]), w))
                raise ConvConfigError("padding", _show(_pads_shown(pads)),
                                      f"circular padding wraps around more than once: it may "
                                      f"be at most the input size ({h} x {w})",
                                      {"padding": _show(fit)} if self.padding != "same"
                                      else {"padding_mode": "zeros"}, code="circular_too_far",
                                      values={"size": f"{h} × {w}"})

    def padded_example(self, size: tuple[int, int]) -> np.ndarray:
        """A numbered ``H x W`` input (1, 2, ..., H*W) padded the way this layer pads it.

        Zeros for ``padding_mode='zeros'``; mirrored, repeated or wrapped values otherwise.

        >>> Conv2dSpec(1, 1, 3, padding=1, padding_mode="replicate").padded_example((2, 2))[0]
        array([1., 1., 2., 2.])
        """
        h, w = size
        self.explain((self.in_channels, h, w))
        (top, bottom), (left, right) = self.applied_padding
        X = torch.arange(1, h * w + 1, dtype=torch.float64).reshape(1, 1, h, w)
        mode = "constant" if self.padding_mode == "zeros" else self.padding_mode
        Xp = F.pad(X, (left, right, top, bottom), mode=mode)  # (1, 1, Hp, Wp)
        return Xp[0, 0].numpy()

    def window_picture(self, size: tuple[int, int]) -> WindowPicture:
        """Everything a picture of this layer's windows over an ``H x W`` input needs.

        >>> pic = Conv2dSpec(1, 1, 3, padding=1).window_picture((4, 4))
        >>> pic.values.shape, pic.box, pic.index.shape, int(pic.coverage[0, 0])
        ((6, 6), (1, 1, 4, 4), (4, 4, 3, 3, 2), 1)
        """
        h, w = self.explain((self.in_channels, *size))
        index, coverage = axis_windows(h, w)
        return WindowPicture(self.padded_example(size), (h.pad_before, w.pad_before, *size),
                             index, coverage, h, w)

    # ---- PyTorch objects -----------------------------------------------------------------
    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``nn.Conv2d``, pairs shown as one int when square."""
        return {
            "in_channels": self.in_channels, "out_channels": self.out_channels,
            "kernel_size": _show(self.kernel_size), "stride": _show(self.stride),
            "padding": self.padding if isinstance(self.padding, str) else _show(self.padding),
            "dilation": _show(self.dilation), "groups": self.groups, "bias": self.bias,
            "padding_mode": self.padding_mode,
        }

    def to_module(self, device: torch.device | str = "cpu",
                  dtype: torch.dtype = torch.float32) -> nn.Conv2d:
        """The real ``nn.Conv2d`` with these settings."""
        return nn.Conv2d(**self.kwargs(), device=device, dtype=dtype)

    def to_code(self) -> str:
        """Python source that builds this layer, omitting arguments left at their defaults.

        >>> Conv2dSpec(3, 8, (3, 5), padding=(0, 1), stride=(3, 4)).to_code()
        'nn.Conv2d(3, 8, kernel_size=(3, 5), stride=(3, 4), padding=(0, 1))'
        """
        from .reproduce import conv2d_code

        return conv2d_code(self.kwargs())


@dataclass(frozen=True)
class WindowPicture:
    """A numbered input padded as the layer pads it, with its window map.

    ``values`` ``(Hp, Wp)``; ``box`` is ``(top, left, H, W)`` of the real input inside it;
    ``index`` ``(H_out, W_out, kh, kw, 2)`` and ``coverage`` ``(Hp, Wp)`` as in
    :func:`convlab.shapes.axis_windows`; ``h`` and ``w`` the arithmetic of each axis.
    """

    values: np.ndarray
    box: tuple[int, int, int, int]
    index: np.ndarray
    coverage: np.ndarray
    h: AxisArithmetic
    w: AxisArithmetic


def _pads_shown(pads: tuple[int, int, int, int]) -> tuple[int, int]:
    return (max(pads[:2]), max(pads[2:]))
