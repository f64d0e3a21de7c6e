"""Predict, then check: what a learner's answer would be after each common slip.

A prediction is compared with the true value, and with the values that the usual
mistakes give, so that a wrong answer can be traced to the step that went wrong. The
slips are identifiers; a user interface words them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from .correlation.multichannel import Term
from .shapes import AxisArithmetic

Tensor = torch.Tensor


def output_size_slips(axes: Sequence[AxisArithmetic]) -> dict[str, tuple[int, ...]]:
    """The output size each common slip of the formula gives, one value per axis.

    Slips: ``no_plus_one`` (the ``+ 1`` forgotten), ``one_side_padding`` (padding added
    once, not on both sides), ``no_dilation`` (the kernel's own size used instead of the
    dilated one), ``ceil`` (rounded up instead of down), ``no_stride`` (not divided by
    the stride). A slip that gives the right answer here is left out.

    >>> from convlab.shapes import explain_output_size
    >>> output_size_slips(explain_output_size(28, 3, stride=2))
    {'no_plus_one': (12, 12), 'ceil': (14, 14), 'no_stride': (26, 26)}
    """
    def slips(a: AxisArithmetic) -> dict[str, int]:
        return {
            "no_plus_one": a.quotient,
            "one_side_padding": (a.size + max(a.pad_before, a.pad_after) - a.effective_kernel)
            // a.stride + 1,
            "no_dilation": (a.padded - a.kernel) // a.stride + 1,
            "ceil": math.ceil(a.span / a.stride) + 1,
            "no_stride": a.span + 1,
        }

    return distinct_slips([slips(a) for a in axes], tuple(a.output for a in axes))


def distinct_slips(per_axis: Sequence[dict[str, int]],
                   truth: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """Per-axis slip values joined into one value per slip, the right answers left out.

    ``per_axis`` holds, for each axis, the value each slip gives; a slip is kept only
    where its joined value differs from ``truth``, in the order of the first axis.

    >>> distinct_slips([{"a": 3, "b": 4}, {"a": 3, "b": 3}], (3, 3))
    {'b': (4, 3)}
    """
    out = {}
    for name in per_axis[0]:
        value = tuple(s[name] for s in per_axis)
        if value != truth:
            out[name] = value
    return out


def cell_value_slips(terms: Sequence[Term], bias: float | None,
                     flipped_kernel: Tensor) -> dict[str, tuple[float]]:
    """What one output cell would be after each common slip of the multi-channel sum.

    Args:
        terms: the products the cell sums (:func:`convlab.window_terms`).
        bias: the output channel's bias, or ``None`` without bias.
        flipped_kernel: this output channel's kernel ``(C_in // groups, kh, kw)``
            flipped, to price the ``flipped`` slip (sliding a convolution's kernel, or
            forgetting to flip it).

    Slips: ``no_bias`` (bias left out), ``one_channel`` (only the first input channel
    summed), ``flipped`` (the kernel flipped), A slip that gives the right answer is left out.

    >>> from convlab.correlation import Term
    >>> terms = [Term(0, 0, 0, 1.0, 2.0), Term(1, 0, 0, 3.0, 4.0)]
    >>> cell_value_slips(terms, 1.0, torch.tensor([[[5.0]], [[6.0]]]))
    {'no_bias': (14.0,), 'one_channel': (3.0,), 'flipped': (24.0,)}
    """
    b = bias or 0.0
    total = sum(t.x * t.k for t in terms) + b
    first = terms[0].channel if terms else 0
    flat = flipped_kernel.flatten().tolist()
    candidates = {
        "no_bias": total - b,
        "one_channel": sum(t.x * t.k for t in terms if t.channel == first) + b,
        "flipped": sum(t.x * k for t, k in zip(terms, flat, strict=False)) + b,
    }
    return {name: (round(v, 6),) for name, v in candidates.items()
            if not math.isclose(v, total, rel_tol=1e-9, abs_tol=1e-9)}


def judge(guess: Sequence[float], truth: Sequence[float],
          slips: dict[str, tuple[float, ...]], tol: float = 1e-3) -> tuple[bool, list[str]]:
    """Whether ``guess`` is ``truth`` (within ``tol``), and else which slips it matches.

    >>> judge((13, 13), (13, 13), {"ceil": (14, 14)})
    (True, [])
    >>> judge((14, 14), (13, 13), {"ceil": (14, 14)})
    (False, ['ceil'])
    """
    def same(a: Sequence[float], b: Sequence[float]) -> bool:
        return len(a) == len(b) and all(math.isclose(x, y, rel_tol=tol, abs_tol=tol)
                                        for x, y in zip(a, b, strict=True))

    if same(guess, truth):
        return True, []
    return False, [name for name, value in slips.items() if same(guess, value)]
