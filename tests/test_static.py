"""Static checks: the package stays ruff-clean and mypy-clean (config in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=ROOT)


def test_ruff_clean():
    proc = _run("ruff", "check", "archcalc", "tests")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_clean():
    proc = _run("mypy", "archcalc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
