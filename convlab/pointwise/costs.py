"""What 1x1 layers save: parameters and multiply-accumulates of a 1x1 against a k x k
layer, a bottleneck block and a depthwise-separable block, counted through Conv2dSpec."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConvConfigError
from ..params import _as_int
from ..spec import Conv2dSpec


@dataclass(frozen=True)
class LayerCost:
    """Parameters and multiply-accumulates (bias additions not counted) of one image's pass.

    ``spec`` is the layer for one layer, ``None`` for a block's total.
    """

    name_id: str
    params: int
    macs: int
    spec: Conv2dSpec | None = None


def _layer(name_id: str, spec: Conv2dSpec, h: int, w: int) -> LayerCost:
    return LayerCost(name_id, spec.num_parameters, spec.macs((spec.in_channels, h, w)), spec)


def _total(name_id: str, parts: list[LayerCost]) -> LayerCost:
    return LayerCost(name_id, sum(p.params for p in parts), sum(p.macs for p in parts))


def pointwise_costs(c_in: int, c_out: int, h: int, w: int, k: int = 3,
                    bias: bool = True) -> list[LayerCost]:
    """``conv1x1`` against ``convkxk``: the same channels, a k x k kernel ('same' padding).

    Args:
        c_in, c_out: channels; h, w: the input map (one image); k: the larger kernel;
        bias: whether the layers have one.

    Returns:
        ``[conv1x1, convkxk]`` as :class:`LayerCost`.

    Raises:
        ConvConfigError: for a setting ``nn.Conv2d`` refuses, or a non-positive map size.

    >>> [(c.name_id, c.params, c.macs) for c in pointwise_costs(64, 64, 8, 8, bias=False)]
    [('conv1x1', 4096, 262144), ('convkxk', 36864, 2359296)]
    """
    return [_layer("conv1x1", Conv2dSpec(c_in, c_out, 1, bias=bias), h, w),
            _layer("convkxk", Conv2dSpec(c_in, c_out, k, padding="same", bias=bias), h, w)]


def bottleneck_costs(channels: int, h: int, w: int, bias: bool = True) -> list[LayerCost]:
    """ResNet's bottleneck C -> C/4 -> C (1x1, 3x3 padding 1, 1x1) against one 3x3 C -> C.

    Args:
        channels: C, a multiple of 4; h, w: the input map (one image); bias: as in nn.Conv2d.

    Returns:
        ``reduce1x1``, ``conv3x3``, ``expand1x1``, their total ``bottleneck``, and
        ``standard``, as :class:`LayerCost`.

    Raises:
        ConvConfigError: when ``channels`` is not a positive multiple of 4.

    >>> [(c.name_id, c.params) for c in bottleneck_costs(256, 14, 14, bias=False)][-2:]
    [('bottleneck', 69632), ('standard', 589824)]
    """
    c = _as_int("channels", channels)
    if c <= 0 or c % 4:
        raise ConvConfigError("channels", c, "channels must be a positive multiple of 4 "
                              "(the bottleneck narrows to channels / 4)",
                              {"channels": max(4, 4 * round(c / 4))})
    parts = [_layer("reduce1x1", Conv2dSpec(c, c // 4, 1, bias=bias), h, w),
             _layer("conv3x3", Conv2dSpec(c // 4, c // 4, 3, padding=1, bias=bias), h, w),
             _layer("expand1x1", Conv2dSpec(c // 4, c, 1, bias=bias), h, w)]
    standard = _layer("standard", Conv2dSpec(c, c, 3, padding=1, bias=bias), h, w)
    return [*parts, _total("bottleneck", parts), standard]


def depthwise_separable_costs(c_in: int, c_out: int, h: int, w: int, k: int = 3,
                              bias: bool = True) -> list[LayerCost]:
    """Depthwise k x k (groups=C_in) then pointwise 1x1, against a standard k x k conv.

    Args:
        c_in, c_out, h, w, k, bias: as in :func:`pointwise_costs`.

    Returns:
        ``depthwise``, ``pointwise``, their total ``depthwise_separable``, and ``standard``,
        as :class:`LayerCost`; every k x k layer with 'same' padding.

    Raises:
        ConvConfigError: for a setting ``nn.Conv2d`` refuses, or a non-positive map size.

    >>> [(c.name_id, c.macs) for c in depthwise_separable_costs(32, 64, 8, 8, bias=False)][-2:]
    [('depthwise_separable', 149504), ('standard', 1179648)]
    """
    parts = [_layer("depthwise", Conv2dSpec(c_in, c_in, k, padding="same", groups=c_in,
                                            bias=bias), h, w),
             _layer("pointwise", Conv2dSpec(c_in, c_out, 1, bias=bias), h, w)]
    standard = _layer("standard", Conv2dSpec(c_in, c_out, k, padding="same", bias=bias), h, w)
    return [*parts, _total("depthwise_separable", parts), standard]


