"""Shared fixtures: paths, a CLI runner, and spec helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytest_plugins = ["pytester"]

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


def in_ci() -> bool:
    """CI is set (``.ci/run`` sets CI=true): there, Keras tests must run, never skip."""
    import os

    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def keras_missing() -> str | None:
    """Why the Keras tests cannot run here (TensorFlow or Keras not importable), else None."""
    import importlib.util

    for module in ("tensorflow", "keras"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[dev,keras]')"
    return None


def pytest_sessionstart(session):
    """In CI the Keras tests must run, not skip: refuse to start without TensorFlow."""
    missing = keras_missing()
    if in_ci() and missing:
        raise pytest.UsageError(f"CI is set but the Keras tests cannot run: {missing}")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A @pytest.mark.keras test skips, before its fixtures import anything, where
    TensorFlow is missing (outside CI: pytest_sessionstart refuses to start there)."""
    if item.get_closest_marker("keras") is not None:
        missing = keras_missing()
        if missing:
            pytest.skip(f"Keras test: {missing}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped @pytest.mark.keras test is a failure: a skip there would hide that
    the parity check never ran."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and in_ci() and item.get_closest_marker("keras") is not None
            and not hasattr(report, "wasxfail")):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"a Keras test skipped while CI is set ({reason}); CI must run every Keras test"


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
