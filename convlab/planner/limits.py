"""The planner's bounds and its refusal: how big a stack and a tensor it follows, and
the error that names the layer PyTorch would refuse."""

from __future__ import annotations

from typing import Any

from torch import nn

from ..errors import ConvConfigError

MAX_LAYERS = 64
MAX_SIZE = 8192  # largest height or width the planner follows, input or output
MAX_CHANNELS = 65536  # largest channel or feature count
MAX_BATCH = 1024


class StackConfigError(ConvConfigError):
    """A refusal inside a stack: which layer (``index``, its type ``layer``) and why.

    >>> inner = ConvConfigError("in_features", 4096, "mat1 and mat2 shapes cannot be "
    ...                         "multiplied", {"in_features": 9216})
    >>> err = StackConfigError(15, "Linear", inner)
    >>> err.index, err.layer, err.suggestion
    (15, 'Linear', {'in_features': 9216})
    >>> str(err).split(":")[0]
    'layer 15 (Linear)'
    """

    def __init__(self, index: int, layer: str, err: ConvConfigError) -> None:
        self.index = index
        self.layer = layer
        super().__init__(err.parameter, err.value, err.reason, err.suggestion, stage=err.stage,
                         code=err.code, values=err.values)

    def _compose(self) -> str:
        return f"layer {self.index} ({self.layer}): " + super()._compose()



def _refuse(parameter: str, value: Any, reason: str, fix: dict[str, Any] | None = None,
            stage: str = "forward") -> ConvConfigError:
    return ConvConfigError(parameter, value, reason, fix, stage=stage)


def check_input_shape(shape: Any) -> tuple[int, ...]:
    """``(C, H, W)`` or ``(N, C, H, W)`` within the planner's bounds.

    >>> check_input_shape((1, 3, 224, 224))
    (1, 3, 224, 224)
    """
    try:
        dims = tuple(int(v) for v in shape)
    except (TypeError, ValueError):
        raise _refuse("input_shape", shape, "input_shape must be (C, H, W) or (N, C, H, W)",
                      {"input_shape": (1, 3, 224, 224)}) from None
    if len(dims) not in (3, 4):
        raise _refuse("input_shape", dims, "input_shape must be (C, H, W) or (N, C, H, W)",
                      {"input_shape": (1, *dims[-3:]) if len(dims) > 4 else (1, 3, 224, 224)})
    bounds = ((MAX_BATCH,) if len(dims) == 4 else ()) + (MAX_CHANNELS, MAX_SIZE, MAX_SIZE)
    fixed = tuple(min(max(v, 1), hi) for v, hi in zip(dims, bounds, strict=True))
    if fixed != dims:
        raise _refuse("input_shape", dims, "every input size must be at least 1 and at most "
                      f"the planner's bounds {bounds}", {"input_shape": fixed},
                      stage="lab" if min(dims) >= 1 else "forward")
    return dims


def flatten_layers(layers: Any) -> list[nn.Module]:
    """The leaf modules of ``layers`` (a sequence or ``nn.Sequential``, nested ones opened),
    at most :data:`MAX_LAYERS`."""
    out: list[nn.Module] = []
    for m in layers:
        out.extend(flatten_layers(m) if isinstance(m, nn.Sequential) else [m])
    if len(out) > MAX_LAYERS:
        raise _refuse("layers", len(out), f"a stack may have at most {MAX_LAYERS} layers",
                      {"layers": MAX_LAYERS}, stage="lab")
    return out
