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
