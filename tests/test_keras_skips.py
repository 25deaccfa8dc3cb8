"""How tests/conftest.py treats @pytest.mark.keras tests: skipped with a reason where
TensorFlow is missing, never a ModuleNotFoundError; in CI (CI=true, as .ci/run sets) a
missing TensorFlow stops the run and a skipped Keras test is a failure."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

CONFTEST = (Path(__file__).resolve().parent / "conftest.py").read_text(encoding="utf-8")

KERAS_TESTS = """
import pytest

pytestmark = pytest.mark.keras


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def test_imports_keras_itself():
    import keras  # noqa: F401


def test_uses_a_fixture_that_imports_keras(keras):
    assert keras is not None


def test_skips_for_another_reason():
    pytest.skip("no network")
"""

#: the same outcomes without importing Keras in this process (numpy loads once per process)
KERAS_TESTS_LIGHT = """
import pytest

pytestmark = pytest.mark.keras


def test_one():
    assert True


def test_two():
    assert True


def test_skips_for_another_reason():
    pytest.skip("no network")
"""

PLAIN_TEST = """
def test_plain():
    assert 1 + 1 == 2
"""


@pytest.fixture
def project(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nmarkers =\n    keras: builds real models\n")
    pytester.makepyfile(test_plain=PLAIN_TEST)
    return pytester


@pytest.fixture
def no_tensorflow(monkeypatch):
    """This process as a machine without TensorFlow: `import keras` raises ModuleNotFoundError."""
    for name in ("keras", "tensorflow"):
        monkeypatch.setitem(sys.modules, name, None)


def test_keras_tests_skip_with_a_reason_without_tensorflow(project, monkeypatch, no_tensorflow):
    monkeypatch.delenv("CI", raising=False)
    project.makepyfile(test_k=KERAS_TESTS)
    result = project.runpytest_inprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines(["*Keras test: tensorflow is not installed*"])
    result.stdout.no_fnmatch_line("*ModuleNotFoundError*")


def test_ci_refuses_to_start_without_tensorflow(project, monkeypatch, no_tensorflow):
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_k=KERAS_TESTS)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*CI is set but the Keras tests cannot run: tensorflow is not installed*"])


@pytest.mark.keras
def test_ci_turns_a_skipped_keras_test_into_a_failure(project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    project.makepyfile(test_k=KERAS_TESTS_LIGHT)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*a Keras test skipped while CI is set*no network*"])


@pytest.mark.keras
def test_outside_ci_a_keras_test_may_skip(project, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    project.makepyfile(test_k=KERAS_TESTS_LIGHT)
    result = project.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, skipped=1)
