"""ruff and mypy, run by the test command so that CI fails on a new error."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_is_clean():
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    result = _run("mypy")  # files and settings from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
