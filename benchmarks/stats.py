"""The figures every benchmark prints: one definition of each.

>>> p90([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]), med([3.0, 1.0, 2.0])
(9.0, 2.0)
"""

from __future__ import annotations

import statistics


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank); NaN for no values."""
    s = sorted(values)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))] if s else float("nan")


def med(values: list[float]) -> float:
    """The median; NaN for no values."""
    return statistics.median(values) if values else float("nan")
