"""Where a model's forward is not a chain: a residual block (main path plus shortcut, added)
and the layer before which a container's ``forward()`` flattens its input.

A printed ResNet lists a block's layers (``conv1, bn1, relu, conv2, bn2, downsample``), but
its forward adds ``downsample(x)`` to the main path's output; planned as a chain, the
``downsample`` would read the main path's output and PyTorch would refuse it. A
:class:`Residual` is that block as one module with its real forward, planned as one row:
its shape, its parameters and cost summed over both paths, its receptive field following
the longer path.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch import nn

from ..errors import ConvConfigError
from .layer_step import IDENTITY, Step, Window, bounded
from .layers import step
from .limits import StackConfigError


class Residual(nn.Module):
    """``after(main(x) + shortcut(x))``, torchvision's ``BasicBlock`` and ``Bottleneck``
    forward: ``shortcut`` is ``None`` for the identity, or the ``downsample`` applied to
    the block's input; ``after`` is the activation applied to the sum (or ``None``).
    ``kind`` names the block on its row (``"BasicBlock"``, ``"Bottleneck"``).

    >>> block = Residual(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.BatchNorm2d(4)),
    ...                  after=nn.ReLU())
    >>> tuple(block(torch.zeros(1, 4, 5, 5)).shape)
    (1, 4, 5, 5)
    """

    def __init__(self, main: nn.Module | Iterable[nn.Module], shortcut: nn.Module | None = None,
                 after: nn.Module | None = None, kind: str = "Residual") -> None:
        super().__init__()
        self.main = main if isinstance(main, nn.Sequential) else nn.Sequential(*main)  # type: ignore[misc]
        self.shortcut = shortcut
        self.after = after
        self.kind = kind

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.main(x)
        identity = x if self.shortcut is None else self.shortcut(x)
        out += identity  # in place, as torchvision: the shortcut broadcasts to the main path
        return out if self.after is None else self.after(out)


class ForwardFlatten(nn.Module):
    """A ``layer`` read from a container whose ``forward()`` is not its print, at the point
    where that forward flattens: a batched feature map ``(N, C, H, W)`` with
    ``C * H * W == features`` (the ``in_features`` of the Linear it leads to) is flattened
    first, as torchvision's ``torch.flatten(x, 1)`` before the classifier; any other input
    goes to ``layer`` as it is.

    >>> m = ForwardFlatten(nn.Dropout(), 36)
    >>> tuple(m(torch.zeros(2, 4, 3, 3)).shape), tuple(m(torch.zeros(2, 5)).shape)
    ((2, 36), (2, 5))
    """

    def __init__(self, layer: nn.Module, features: int) -> None:
        super().__init__()
        self.layer = layer
        self.features = features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if flattens(self, tuple(x.shape)):
            x = x.flatten(1)
        return self.layer(x)

    def extra_repr(self) -> str:
        return f"features={self.features}"


def flattens(m: nn.Module, shape: tuple[int, ...]) -> bool:
    """Whether ``m`` flattens an input of ``shape`` first (see :class:`ForwardFlatten`)."""
    return isinstance(m, ForwardFlatten) and len(shape) == 4 and \
        math.prod(shape[1:]) == m.features


def row_module(m: nn.Module) -> nn.Module:
    """The layer a row plans (a :class:`ForwardFlatten`'s own layer)."""
    return m.layer if isinstance(m, ForwardFlatten) else m


def row_name(m: nn.Module) -> str:
    """The layer's name on its row: the block's kind, else its layer's type name."""
    return m.kind if isinstance(m, Residual) else type(row_module(m)).__name__


@dataclass(frozen=True)
class BlockStep:
    """A row's :class:`Step` with what the chain view leaves out: ``shortcut`` (``None``
    outside a block, ``()`` for the identity, else the downsample's layer names),
    ``flattened`` (its Linear flattened the input first) and ``inner_elements`` (the
    elements of the outputs of the layers inside a block, both paths; the sum is taken in
    place)."""

    step: Step
    shortcut: tuple[str, ...] | None = None
    flattened: bool = False
    inner_elements: int = 0


def any_step(index: int, m: nn.Module, shape: tuple[int, ...]) -> BlockStep:
    """Layer ``index`` on ``shape``: a :class:`Residual`, a :class:`ForwardFlatten` or any layer
    :func:`~convlab.planner.layers.step` plans.

    Raises:
        StackConfigError: naming the row (the block, or ``Linear``) and the nearest fix.
    """
    if isinstance(m, Residual):
        return _block(index, m, shape)
    if isinstance(m, ForwardFlatten):
        name, layer = row_name(m), m.layer
        if flattens(m, shape):
            flat = (shape[0], math.prod(shape[1:]))
            return BlockStep(_named(index, name, layer, flat), flattened=True)
        if isinstance(layer, nn.Linear) and len(shape) == 4 and shape[-1] != m.features:
            found = math.prod(shape[1:])
            err = ConvConfigError("in_features", layer.in_features, "mat1 and mat2 shapes "
                                  f"cannot be multiplied (the input {list(shape)} flattens to "
                                  f"{found} features)", {"in_features": found},
                                  code="flatten_features",
                                  values={"found": found, "shape": list(shape)})
            raise StackConfigError(index, name, err)
        return BlockStep(_named(index, name, layer, shape))
    return BlockStep(step(index, m, shape))


def _named(index: int, name: str, m: nn.Module, shape: tuple[int, ...]) -> Step:
    try:
        return step(index, m, shape)
    except StackConfigError as err:
        raise StackConfigError(index, name, err) from None


def _path(index: int, layers: Iterable[nn.Module], shape: tuple[int, ...],
          ) -> tuple[tuple[int, ...], Window, int, int, int]:
    """A path's output shape, composed window, parameters, MACs and output elements."""
    k, s, p, note = [1, 1], [1, 1], [0, 0], None
    params = macs = elements = 0
    for m in layers:
        one = any_step(index, m, shape)
        w, shape = one.step.window, one.step.output_shape
        if w.note or isinstance(row_module(m), (nn.Linear, nn.Flatten)) or one.flattened:
            note = note or w.note or "not_spatial"
        else:
            for a in range(2):
                p[a] += w.padding[a] * s[a]
                k[a] += (w.kernel[a] - 1) * s[a]
                s[a] *= w.stride[a]
        params += one.step.params
        macs += one.step.macs
        elements += math.prod(shape) + one.inner_elements
    window = Window(note=note) if note else Window((k[0], k[1]), (s[0], s[1]), (p[0], p[1]))
    return shape, window, params, macs, elements


def _block(index: int, m: Residual, shape: tuple[int, ...]) -> BlockStep:
    try:
        out, main_w, params, macs, inner = _path(index, m.main, shape)
        short = [] if m.shortcut is None else (
            list(m.shortcut) if isinstance(m.shortcut, nn.Sequential) else [m.shortcut])
        idn, short_w, p2, c2, e2 = _path(index, short, shape) if short else (
            shape, IDENTITY, 0, 0, 0)
    except StackConfigError as err:
        raise StackConfigError(index, f"{m.kind}.{err.layer}", err) from None
    if not _adds(out, idn):
        fix = {"downsample": f"Conv2d({shape[-3]}, {out[-3]}, kernel_size=1, "
                             f"stride={_stride(shape, out)}, bias=False)"} if (
            len(out) == len(shape) >= 3) else None
        raise StackConfigError(index, m.kind, ConvConfigError(
            "shortcut", list(idn), f"The shortcut's output {list(idn)} must match the main "
            f"path's output {list(out)} to be added", fix, code="shortcut_mismatch",
            values={"main": list(out), "shortcut": list(idn)})) from None
    params += p2 + (sum(p.numel() for p in m.after.parameters()) if m.after else 0)
    final = out
    if m.after is not None:
        try:
            final = any_step(index, m.after, out).step.output_shape
            bounded(final)
        except StackConfigError as err:
            raise StackConfigError(index, f"{m.kind}.{err.layer}", err) from None
        except ConvConfigError as err:
            raise StackConfigError(index, m.kind, err) from None
    names = tuple(row_name(s) for s in short)
    return BlockStep(Step(final, _longer(main_w, short_w), params, macs + c2), names,
                     inner_elements=inner + e2)


def _adds(out: tuple[int, ...], idn: tuple[int, ...]) -> bool:
    """Whether ``out += idn`` runs: ``idn`` broadcasts to ``out``'s shape."""
    return len(idn) <= len(out) and all(b in (a, 1) for a, b in zip(out[::-1], idn[::-1],
                                                                     strict=False))


def _stride(before: tuple[int, ...], after: tuple[int, ...]) -> int:
    return max(1, round(before[-1] / max(after[-1], 1)))


def _longer(a: Window, b: Window) -> Window:
    """Per axis, the window of the path that reads more input cells (its receptive field
    is the block's); a note on either path stops the receptive field."""
    if a.note or b.note:
        return Window(note=a.note or b.note)
    pick = [a if a.kernel[i] >= b.kernel[i] else b for i in range(2)]
    return Window((pick[0].kernel[0], pick[1].kernel[1]), (pick[0].stride[0], pick[1].stride[1]),
                  (pick[0].padding[0], pick[1].padding[1]))
