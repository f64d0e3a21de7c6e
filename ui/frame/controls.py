"""One Conv2d control group for every page: kernel, stride, padding, dilation, groups,
padding_mode, bias and the height/width lock, worded from the ``conv.*`` translations.

A page declares which of these it shows and their bounds with :func:`conv_params`, then
calls ``frame.conv2d(in_channels, out_channels)``; :func:`conv_kwargs` is the one place
that turns widget values into ``nn.Conv2d`` keyword arguments (``nn.Conv1d`` /
``nn.Conv3d`` with ``dims``). The depth axis (``t``, ``kt``, ``st``, ``pt``, ``dt``)
exists for pages that offer 3-D.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import convlab
from ui.urlstate import BoolParam, ChoiceParam, IntParam, Param

PAD_KINDS = ("number", "same", "valid")
# (height setting, width setting): the lock keeps the second equal to the first.
PAIRS = (("h", "w"), ("kh", "kw"), ("sh", "sw"), ("ph", "pw"), ("dh", "dw"))
# (height setting, depth setting): the lock keeps a 3-D layer's depth settings equal to
# its height settings too (the depth of the input, T, stays free: a clip is rarely cubic).
DEPTH_PAIRS = (("kh", "kt"), ("sh", "st"), ("ph", "pt"), ("dh", "dt"))
LOCKED = (*PAIRS, *DEPTH_PAIRS, ("oph", "opw"))  # and a transposed layer's output_padding
INT_FIELDS = ("kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "groups")
DEPTH_FIELDS = ("t", "kt", "st", "pt", "dt")
# Each axis's (size, kernel, stride, padding, dilation) fields, outermost axis first.
AXIS_FIELDS = {"t": ("t", "kt", "st", "pt", "dt"), "h": ("h", "kh", "sh", "ph", "dh"),
               "w": ("w", "kw", "sw", "pw", "dw")}
AXES = {1: ("h",), 2: ("h", "w"), 3: ("t", "h", "w")}
# Usual values, for a page that does not say otherwise.
DEFAULTS: dict[str, Any] = {"kh": 3, "kw": 3, "sh": 1, "sw": 1, "ph": 0, "pw": 0, "dh": 1,
                            "dw": 1, "groups": 1, "pad": "number", "mode": "zeros",
                            "bias": True, "lock": True, "t": 8, "kt": 3, "st": 1, "pt": 0,
                            "dt": 1}
# The settings few learners touch: a page's "More settings" (with the batch size, and
# each width or depth setting that the lock does not tie).
MORE = ("n", "dh", "groups", "mode", "bias", "lock", "kw", "sw", "pw", "dw", "kt", "st",
        "pt", "dt")
# nn.Conv2d's argument -> the settings behind it (which a refusal of it involves).
ARG_FIELDS = {"kernel_size": ("kh", "kw", "kt"), "stride": ("sh", "sw", "st"),
              "padding": ("pad", "ph", "pw", "pt", "mode"), "dilation": ("dh", "dw", "dt"),
              "groups": ("groups",), "padding_mode": ("mode",),
              "in_channels": ("cin", "groups"), "out_channels": ("cout", "groups"),
              "output_padding": ("oph", "opw"),
              "input_size": ("h", "w", "t", "n"), "input_shape": ("n", "cin", "h", "w", "t")}


def conv_params(bounds: Mapping[str, tuple[int, int]], defaults: Mapping[str, Any] | None = None,
                *, mode: bool = False, lock: bool = False, strings: bool = True) -> list[Param]:
    """The URL parameters of the Conv2d group: every int field in ``bounds`` (the depth
    fields too, when bounded), the padding kind, bias, and optionally padding_mode and the
    height/width lock. ``strings=False`` offers numeric padding only (``'same'`` and
    ``'valid'`` are Conv2d's: ``nn.ConvTranspose2d`` has neither)."""
    d = {**DEFAULTS, **(defaults or {})}
    params: list[Param] = [IntParam(k, d[k], *bounds[k]) for k in (*INT_FIELDS, *DEPTH_FIELDS)
                           if k in bounds]
    kinds = PAD_KINDS if strings else PAD_KINDS[:1]
    params += [ChoiceParam("pad", d["pad"], kinds), BoolParam("bias", d["bias"])]
    if mode:
        params.append(ChoiceParam("mode", d["mode"], convlab.PADDING_MODES))
    if lock:
        params.append(BoolParam("lock", d["lock"]))
    return params


def conv_kwargs(v: Mapping[str, Any], in_channels: int, out_channels: int,
                dims: int = 2) -> dict[str, Any]:
    """``nn.Conv{dims}d`` keyword arguments from the group's values (equal axes as one int).

    >>> conv_kwargs({"kh": 3, "kw": 3, "sh": 2, "sw": 1, "pad": "same", "ph": 0, "pw": 0,
    ...              "dh": 1, "dw": 1, "groups": 1, "bias": False}, 1, 2)["stride"]
    (2, 1)
    """
    axes = AXES[dims]

    def joined(slot: int) -> int | tuple[int, ...]:
        values = tuple(v[AXIS_FIELDS[a][slot]] for a in axes)
        return values[0] if len(set(values)) == 1 else values

    padding: Any = v["pad"] if v["pad"] != "number" else joined(3)
    return {"in_channels": in_channels, "out_channels": out_channels,
            "kernel_size": joined(1), "stride": joined(2), "padding": padding,
            "dilation": joined(4), "groups": v["groups"], "bias": v["bias"],
            "padding_mode": v.get("mode", "zeros")}
