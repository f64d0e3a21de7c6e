"""convlab is a package of its own (issue 23): `pip install .` installs it, and it imports
with neither ui/ nor Streamlit."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT


def test_pyproject_declares_convlab_and_only_convlab():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["build-system"]["build-backend"] == "setuptools.build_meta"
    assert meta["tool"]["setuptools"]["packages"]["find"]["include"] == ["convlab", "convlab.*"]
    assert set(meta["project"]["dependencies"]) == {"torch", "numpy"}


def test_convlab_imports_without_ui_or_streamlit():
    code = ("import sys, convlab, convlab.pooling, convlab.planner; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('ui', 'streamlit', 'altair')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
