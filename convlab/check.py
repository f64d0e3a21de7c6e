"""Compare a convlab result with PyTorch's own, and say how close they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class CheckResult:
    """One comparison: ``what`` against ``oracle``, on ``device`` in ``dtype``.

    ``what`` and ``oracle`` are identifiers (``"corr_vectorised"``, ``"f_conv2d"``), never
    sentences: a user interface words them in its own language, filling its placeholders
    from ``args``.
    """

    what: str
    oracle: str
    device: str
    dtype: str
    max_abs_diff: float
    passed: bool
    detail: str = ""
    args: tuple[tuple[str, Any], ...] = ()


def compare(actual: torch.Tensor, expected: torch.Tensor, *, what: str, oracle: str,
            atol: float | None = None, rtol: float | None = None,
            args: dict[str, Any] | None = None) -> CheckResult:
    """``torch.testing.assert_close`` as a value: never raises, reports the max difference.

    >>> r = compare(torch.ones(2), torch.ones(2), what="a", oracle="b")
    >>> r.passed, r.max_abs_diff
    (True, 0.0)
    """
    detail = ""
    try:
        torch.testing.assert_close(actual, expected, atol=atol, rtol=rtol, check_device=True)
        passed = True
    except AssertionError as err:
        passed, detail = False, str(err).splitlines()[0]
    if actual.shape == expected.shape and actual.numel():
        diff = float((actual.double().cpu() - expected.double().cpu()).abs().max())
    else:
        diff = 0.0 if actual.shape == expected.shape else float("inf")
    return CheckResult(what, oracle, str(expected.device), str(expected.dtype).removeprefix(
        "torch."), diff, passed, detail, tuple(sorted((args or {}).items())))


def compare_shapes(what: str, shape: tuple[int, ...], oracle: str, oracle_shape: tuple[int, ...],
                   device: str, dtype: str, args: dict[str, Any] | None = None) -> CheckResult:
    """A shape computed by convlab against the shape PyTorch produced.

    ``max_abs_diff`` is the largest difference between corresponding sizes; ``args`` carries
    both shapes as ``shape`` and ``oracle_shape``, and any further ``args`` given.

    >>> compare_shapes("formula", (1, 2), "module", (1, 2), "cpu", "float32").passed
    True
    """
    named = tuple(sorted({**(args or {}), "oracle_shape": tuple(oracle_shape),
                          "shape": tuple(shape)}.items()))
    if len(shape) != len(oracle_shape):
        return CheckResult(what, oracle, device, dtype, float("inf"), False, "ranks differ",
                           named)
    diff = max((abs(a - b) for a, b in zip(shape, oracle_shape, strict=True)), default=0)
    return CheckResult(what, oracle, device, dtype, float(diff), diff == 0, "", named)
