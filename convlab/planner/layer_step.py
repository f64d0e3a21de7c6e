"""What one layer does to one input: its :class:`Step` and :class:`Window`, and the
refusal and bounds every layer rule shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from torch import nn

from ..errors import ConvConfigError
from ..params import Pair
from .limits import MAX_CHANNELS, MAX_SIZE


def refuse(parameter: str, value: Any, reason: str, fix: dict[str, Any] | None = None,
            stage: str = "forward", *, code: str = "",
            values: dict[str, Any] | None = None) -> ConvConfigError:
    """A refusal with its reason as a code (``pl_<what>``) and the numbers its wording
    quotes, which ui words in each language; ``reason`` is the English sentence."""
    return ConvConfigError(parameter, value, reason, fix, stage=stage, code=code, values=values)


@dataclass(frozen=True)
class Window:
    """How a layer's output cells read its input along (h, w): effective kernel (dilation
    included), stride and the padding before the first cell (Araujo et al., Distill 2019).
    ``None`` fields: the layer up-samples (``up``) or its windows differ cell to cell."""

    kernel: Pair = (1, 1)
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    note: str | None = None  # why the receptive field cannot be followed past this layer


IDENTITY = Window()


@dataclass(frozen=True)
class Step:
    """One layer applied to one input shape."""

    output_shape: tuple[int, ...]
    window: Window
    params: int
    macs: int


def bounded(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Refuse a feature map larger than the planner follows (an up-sampling run away)."""
    if len(shape) >= 3 and (max(shape[-2:]) > MAX_SIZE or shape[-3] > MAX_CHANNELS):
        raise refuse("output_size", list(shape), "the output is larger than the planner "
                      f"follows (height and width at most {MAX_SIZE}, channels at most "
                      f"{MAX_CHANNELS})", stage="lab", code="pl_too_large",
                      values={"size": MAX_SIZE, "channels": MAX_CHANNELS})
    return shape

def param_count(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())

