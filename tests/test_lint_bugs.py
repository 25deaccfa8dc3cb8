"""The bug-report corpus (tests/lint/bugs/<NN_name>/): each folder holds a small program in
the style of a StackOverflow question or GitHub issue (``bug.py``, its bug marked with
``# lint-expect: CODE`` on the line lint must point at) and its corrected twin
(``fixed.py``). Every bug is caught on its line; no corrected twin gets an error, nor the
finding its bug had."""

from __future__ import annotations

from pathlib import Path

import pytest

from archcalc.lint import LintOptions, Severity, lint_paths
from tests.test_lint_cases import expected_marks

BUGS = Path(__file__).resolve().parent / "lint" / "bugs"
PAIRS = sorted(p for p in BUGS.iterdir() if p.is_dir())


def _lint(path: Path):
    result = lint_paths([str(path)], LintOptions(isolated=True))
    assert not result.input_errors, [e.format() for e in result.input_errors]
    return result


def test_the_corpus_has_at_least_40_pairs() -> None:
    assert len(PAIRS) >= 40
    for pair in PAIRS:
        assert (pair / "bug.py").is_file() and (pair / "fixed.py").is_file(), pair


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.name)
def test_bug_is_caught_on_its_line(pair: Path) -> None:
    expected = expected_marks(pair / "bug.py")
    assert expected, f"{pair}/bug.py has no `# lint-expect:` marker"
    got = {(f.line, f.code) for f in _lint(pair / "bug.py").findings}
    assert expected <= got, f"missed {sorted(expected - got)}; reported {sorted(got)}"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p.name)
def test_corrected_twin_has_no_error_and_not_the_bug(pair: Path) -> None:
    codes = {c for _, c in expected_marks(pair / "bug.py")}
    findings = _lint(pair / "fixed.py").findings
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [f for f in findings if f.code in codes] == []
