"""The arguments of a pasted layer: literal values checked against the planner's bounds
before any module is built (a ``Linear(10**12, 10)`` is refused here, never allocated)."""

from __future__ import annotations

import math
from typing import Any

from .limits import MAX_CHANNELS, MAX_SIZE
from .text_tree import Item, Node, TextConfigError, Word

# the words an argument takes (a print leaves them unquoted: padding_mode=reflect)
WORDS = {"padding": ("same", "valid"),
         "padding_mode": ("zeros", "reflect", "replicate", "circular"),
         "mode": ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear",
                  "area"),
         "approximate": ("none", "tanh")}
_CHANNELS = ("in_channels", "out_channels", "in_features", "out_features", "num_features",
             "groups", "num_parameters")
_SIZES = {"kernel_size": 1, "stride": 1, "dilation": 1, "padding": 0, "output_padding": 0,
          "output_size": 1, "size": 1, "divisor_override": 1}  # name -> least value
_MAYBE_NONE = ("stride", "output_size", "size", "scale_factor", "momentum", "align_corners",
               "recompute_scale_factor", "divisor_override")
_BOOLS = ("bias", "affine", "track_running_stats", "inplace", "ceil_mode", "count_include_pad",
          "align_corners", "recompute_scale_factor", "return_indices")


def check_upsample(node: Node, kw: dict[str, Any]) -> None:
    """An Upsample's arguments together: a size or a scale factor, corners only where
    PyTorch's interpolation takes them."""
    if (kw.get("size") is None) == (kw.get("scale_factor") is None):
        raise at(node, "argument", "Upsample takes either size or scale_factor",
                 {"scale_factor": 2.0})
    if kw.get("align_corners") is not None and kw.get("mode", "nearest") not in (
            "linear", "bilinear", "bicubic", "trilinear"):
        raise at(node, "argument", "align_corners can only be set with the interpolating "
                 "modes: linear | bilinear | bicubic | trilinear", {"align_corners": None})


def checked(layer: str, name: str, item: Item) -> Any:
    """``item``'s value for argument ``name`` of ``layer``, within the planner's bounds."""

    def no(found: str, reason: str, fix: dict[str, Any] | None = None,
           **more: Any) -> TextConfigError:
        return at(item, found, reason, fix, argument=name, layer=layer, **more)

    v = item.value
    if isinstance(v, Node):
        raise no("call", f"{name} takes a value, not a layer")
    if isinstance(v, str) and len(v) > 32:
        raise no("value", "this string is longer than any argument takes")
    if isinstance(v, str) and name == "padding" and layer != "Conv2d":
        raise no("value", f"{layer}'s padding must be a whole number", {name: 0})
    if isinstance(v, Word):
        if v in WORDS.get(name, ()):
            return str(v)
        raise no("name", f"{v} is a name; {name} takes a literal value")
    if v is None and name in _MAYBE_NONE:
        return v
    if name in _BOOLS:
        if not isinstance(v, bool) or name == "return_indices" and v:
            raise no("value", f"{name} must be True or False" if name !=
                     "return_indices" else "return_indices=True returns indices the next "
                     "layer cannot take", {name: False})
        return v
    if name in WORDS and isinstance(v, str):
        if v not in WORDS[name]:
            raise no("value", f"{name} must be one of {', '.join(WORDS[name])}",
                     {name: WORDS[name][0]})
        return v
    if name in _CHANNELS or name in _SIZES or name in ("start_dim", "end_dim"):
        least, most = (_SIZES[name], MAX_SIZE) if name in _SIZES else (
            (-8, 7) if name.endswith("_dim") else (1, MAX_CHANNELS))
        length = (1, 3) if layer == "Upsample" else (2, 2)
        each = v if isinstance(v, tuple) and name in _SIZES and \
            length[0] <= len(v) <= length[1] else (v,)
        for e in each:
            if e is None and name == "output_size":
                continue
            if isinstance(e, bool) or not isinstance(e, int) or not least <= e <= most:
                whole = isinstance(e, int) and not isinstance(e, bool)
                raise no("value", f"{name} must be a whole number from {least} to {most} "
                         "(the planner's bounds)", {name: min(max(e, least), most)}
                         if whole else None, lo=least, hi=most)
        return v
    each = v if isinstance(v, tuple) and name == "scale_factor" and 1 <= len(v) <= 3 else (v,)
    for e in each:
        if isinstance(e, bool) or not isinstance(e, (int, float)) or not math.isfinite(e) or \
                abs(e) > 1e6 or name == "scale_factor" and not 0 < e <= MAX_SIZE:
            raise no("value", f"{name} must be a finite number" + (
                f" from 0 to {MAX_SIZE}" if name == "scale_factor" else ""))
    return v


def at(where: Node | Item, found: str, reason: str, suggestion: dict[str, Any] | None = None,
       **detail: Any) -> TextConfigError:
    """The refusal at ``where`` (a module or an argument's value)."""
    token = where.name if isinstance(where, Node) else repr(where.value)
    return TextConfigError(found, token, where.line, where.column, reason, suggestion, detail)
