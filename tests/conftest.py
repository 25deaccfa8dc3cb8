"""Shared fixtures: paths, a CLI runner, and spec helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def run_cli():
    """Invoke the archcalc CLI in-process; returns the click Result."""
    from archcalc.cli import cli

    def _run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run


@pytest.fixture
def analyze_text():
    """Analyse a YAML spec given as text."""
    from archcalc.engine import analyze
    from archcalc.readers.yaml_spec import load_text

    def _analyze(text: str, path: str = "spec.yaml"):
        return analyze(load_text(text, path))

    return _analyze


def pytest_sessionstart(session):
    """In CI the Keras tests must run, not skip: refuse to start without TensorFlow."""
    import importlib.util
    import os

    if os.environ.get("CI") and importlib.util.find_spec("keras") is None:
        raise pytest.UsageError("CI is set but keras/tensorflow is not installed: "
                                "pip install -e '.[dev,keras]'")


# --- golden files: one switch, `python -m pytest --overwrite`, rewrites them all ---------------

def pytest_addoption(parser):
    parser.addoption("--overwrite", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden from the current output")


class Golden:
    """Compares text with a golden file; with --overwrite, writes the file instead."""

    def __init__(self, overwrite: bool) -> None:
        self.overwrite = overwrite

    def check(self, path: Path, text: str) -> None:
        if self.overwrite:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"{path} is missing: run `python -m pytest --overwrite` to create it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (f"{path.relative_to(ROOT)} differs from the output; after an intended "
                                  "change, rewrite it with `python -m pytest --overwrite`")


@pytest.fixture
def golden(request) -> Golden:
    return Golden(request.config.getoption("--overwrite"))
