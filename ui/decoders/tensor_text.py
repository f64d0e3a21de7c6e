"""Small tensors as compact URL text, and edited tables back to numbers.

``X`` ``(C, H, W)`` is written ``0,1,2;3,4,5|1,2,3;4,5,6``: ``,`` between columns,
``;`` between rows, ``|`` between channels, ``~`` between output channels of a 4-D ``K``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

SEPARATORS = ("~", "|", ";", ",")  # outermost first
MAX_ABS = 1e6  # larger magnitudes are refused: the lesson needs readable numbers


def number_text(v: float) -> str:
    """A number as short text: integers without a decimal point."""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:.6g}"


def encode(A: np.ndarray) -> str:
    """``A`` (1-D to 4-D) as compact text.

    >>> encode(np.array([[[0., 1], [2, 3]]]))
    '0,1;2,3'
    """
    seps = SEPARATORS[-A.ndim:]

    def walk(a: np.ndarray, level: int) -> str:
        if a.ndim == 1:
            return seps[-1].join(number_text(float(v)) for v in a)
        return seps[level].join(walk(sub, level + 1) for sub in a)

    return walk(A, 0)


def decode(text: str, ndim: int, max_shape: tuple[int, ...]) -> np.ndarray:
    """Parse :func:`encode`'s text into an ``ndim``-D float array no larger than ``max_shape``.

    Raises:
        ValueError: for ragged rows, non-numbers, non-finite or huge values, or a shape
            beyond ``max_shape``.

    >>> decode("0,1;2,3", 3, (8, 16, 16)).shape
    (1, 2, 2)
    """
    seps = SEPARATORS[-ndim:]

    def walk(s: str, level: int) -> list:
        if level == ndim - 1:
            return [float(v) for v in s.split(seps[-1])]
        return [walk(part, level + 1) for part in s.split(seps[level])]

    if any(ch in text for ch in SEPARATORS[:-ndim]):
        raise ValueError("too many dimensions")
    A = np.array(walk(text.strip(), 0), dtype=np.float64)
    if A.ndim != ndim or A.dtype == object:
        raise ValueError("ragged")
    if any(n > m for n, m in zip(A.shape, max_shape, strict=True)) or A.size == 0:
        raise ValueError("shape")
    if not np.isfinite(A).all() or np.abs(A).max() > MAX_ABS:
        raise ValueError("value")
    return A


def fit(A: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``A`` cropped or zero-extended to ``shape`` (values keep their positions).

    >>> fit(np.ones((1, 2)), (2, 3)).tolist()
    [[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    if A.shape == shape:
        return A
    out = np.zeros(shape, dtype=np.float64)
    if A.ndim == len(shape):
        common = tuple(slice(0, min(a, b)) for a, b in zip(A.shape, shape, strict=True))
        out[common] = A[common]
    return out


def table_to_matrix(frame: pd.DataFrame) -> tuple[np.ndarray | None, tuple[int, int] | None, str]:
    """An edited table as a matrix, or the first bad cell ``(row, col)`` and what is wrong.

    Returns:
        ``(matrix, None, "")`` when every cell is a finite number within ``MAX_ABS``;
        otherwise ``(None, (row, col), reason)`` with reason ``"empty"``, ``"not_a_number"``
        or ``"too_large"``.
    """
    raw = frame.to_numpy(dtype=object)
    out = np.zeros(raw.shape, dtype=np.float64)
    for (r, c), v in np.ndenumerate(raw):
        if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str)
                                                                      and not v.strip()):
            return None, (r, c), "empty"
        try:
            x = float(v)
        except (TypeError, ValueError):
            return None, (r, c), "not_a_number"
        if not math.isfinite(x) or abs(x) > MAX_ABS:
            return None, (r, c), "too_large"
        out[r, c] = x
    return out, None, ""
