"""One Conv2d control group for every page: kernel, stride, padding, dilation, groups,
padding_mode, bias and the height/width lock, worded from the ``conv.*`` translations.

A page declares which of these it shows and their bounds with :func:`conv_params`, then
calls ``frame.conv2d(in_channels, out_channels)``; :func:`conv_kwargs` is the one place
that turns widget values into ``nn.Conv2d`` keyword arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import convlab

from .urlstate import BoolParam, ChoiceParam, IntParam, Param

PAD_KINDS = ("number", "same", "valid")
# (height setting, width setting): the lock keeps the second equal to the first.
PAIRS = (("h", "w"), ("kh", "kw"), ("sh", "sw"), ("ph", "pw"), ("dh", "dw"))
INT_FIELDS = ("kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups")
# Usual values, for a page that does not say otherwise.
DEFAULTS: dict[str, Any] = {"kh": 3, "kw": 3, "sh": 1, "sw": 1, "ph": 0, "pw": 0, "dh": 1,
                            "dw": 1, "groups": 1, "pad": "number", "mode": "zeros",
                            "bias": True, "lock": True}


def conv_params(bounds: Mapping[str, tuple[int, int]], defaults: Mapping[str, Any] | None = None,
                *, mode: bool = False, lock: bool = False) -> list[Param]:
    """The URL parameters of the Conv2d group: every int field in ``bounds``, the padding
    kind, bias, and optionally padding_mode and the height/width lock."""
    d = {**DEFAULTS, **(defaults or {})}
    params: list[Param] = [IntParam(k, d[k], *bounds[k]) for k in INT_FIELDS if k in bounds]
    params += [ChoiceParam("pad", d["pad"], PAD_KINDS), BoolParam("bias", d["bias"])]
    if mode:
        params.append(ChoiceParam("mode", d["mode"], convlab.PADDING_MODES))
    if lock:
        params.append(BoolParam("lock", d["lock"]))
    return params


def conv_kwargs(v: Mapping[str, Any], in_channels: int, out_channels: int) -> dict[str, Any]:
    """``nn.Conv2d`` keyword arguments from the group's values (square pairs as one int).

    >>> conv_kwargs({"kh": 3, "kw": 3, "sh": 2, "sw": 1, "pad": "same", "ph": 0, "pw": 0,
    ...              "dh": 1, "dw": 1, "groups": 1, "bias": False}, 1, 2)["stride"]
    (2, 1)
    """
    def pair(a: str, b: str) -> int | tuple[int, int]:
        return v[a] if v[a] == v[b] else (v[a], v[b])

    padding: Any = v["pad"] if v["pad"] != "number" else pair("ph", "pw")
    return {"in_channels": in_channels, "out_channels": out_channels,
            "kernel_size": pair("kh", "kw"), "stride": pair("sh", "sw"), "padding": padding,
            "dilation": pair("dh", "dw"), "groups": v["groups"], "bias": v["bias"],
            "padding_mode": v.get("mode", "zeros")}
