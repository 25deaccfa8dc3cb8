"""The console examples of README.md and docs/ are the real CLI's output (docs/gen_examples.py,
the convention in docs/development.md): CI runs every example and fails on drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "docs" / "gen_examples.py"


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--check", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def test_every_console_example_matches_the_cli() -> None:
    proc = check()
    assert proc.returncode == 0, proc.stderr[-6000:]
    ran = int(proc.stderr.strip().splitlines()[-1].split()[0])
    assert ran >= 50  # the README and the docs pages are all there


@pytest.mark.keras
def test_the_tensorflow_examples_match_the_cli() -> None:
    proc = check("--only-keras")
    assert proc.returncode == 0, proc.stderr[-6000:]
    assert not proc.stderr.strip().splitlines()[-1].startswith("0 example")


def test_the_checker_fails_on_drift_and_honours_its_markers(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ archcalc rules AC103 --format json\n{\n...\n  \"severity\": \"error\",\n...\n```\n\n"
        "<!-- example: unchecked (varies) -->\n```console\n$ archcalc nonsense\nanything\n```\n",
        encoding="utf-8")
    assert check(str(page)).returncode == 0
    page.write_text("```console\n$ archcalc rules AC103 --format json\n{\n  \"code\": \"AC999\"\n...\n```\n",
                    encoding="utf-8")
    proc = check(str(page))
    assert proc.returncode == 1 and '-  "code": "AC999"' in proc.stderr
    page.write_text("```console\narchcalc summary samples/cnn.yaml\n```\n", encoding="utf-8")
    proc = check(str(page))
    assert proc.returncode == 1 and "must start with a `$ ` command line" in proc.stderr


def test_write_refreshes_an_output(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Text.\n\n```console\n$ archcalc samples cnn.yaml\nold output\n```\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCRIPT), "--write", str(page)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert page.read_text(encoding="utf-8") == "Text.\n\n```console\n$ archcalc samples cnn.yaml\nsamples/cnn.yaml\n```\n"
