"""Predict, then check, for the transposed convolution's output size: what each common
slip of the formula gives (identifiers, worded by a user interface)."""

from __future__ import annotations

from collections.abc import Sequence

from ..predict import distinct_slips
from .sizes import TransposeAxis


def transpose_size_slips(axes: Sequence[TransposeAxis]) -> dict[str, tuple[int, ...]]:
    """The output size each common slip gives, one value per axis; slips that give the
    right answer here are left out.

    Slips: ``conv_formula`` (Conv2d's formula, as if the layer shrank its input),
    ``times_stride`` (``H * s``: the size only scaled), ``no_minus_one`` (``H * s``
    instead of ``(H - 1) * s`` in the formula), ``one_side_crop`` (padding cropped
    once), ``no_dilation``, ``no_output_padding``, ``no_plus_one``.

    The guide's strided example (2 -> 5 with k=3, s=2):

    >>> from convlab.transpose.sizes import explain_transpose_size
    >>> slips = transpose_size_slips(explain_transpose_size(2, 3, stride=2))
    >>> slips["conv_formula"], slips["times_stride"], slips["no_minus_one"], len(slips)
    ((0, 0), (4, 4), (7, 7), 4)
    """
    def slips(a: TransposeAxis) -> dict[str, int]:
        return {
            "conv_formula": (a.size + 2 * a.padding - a.effective_kernel) // a.stride + 1,
            "times_stride": a.size * a.stride,
            "no_minus_one": a.output + a.stride,
            "one_side_crop": a.output + a.padding,
            "no_dilation": a.output - (a.dilation - 1) * (a.kernel - 1),
            "no_output_padding": a.output - a.output_padding,
            "no_plus_one": a.output - 1,
        }

    return distinct_slips([slips(a) for a in axes], tuple(a.output for a in axes))
