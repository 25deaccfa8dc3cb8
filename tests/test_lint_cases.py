"""Every lint case file under tests/lint/cases/<CODE>/: failing cases are caught on the
marked lines, passing cases give no finding of that rule and no error at all; every
rule's documented Failing/Passing examples behave as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archcalc.lint import LintOptions, Severity, lint_paths
from archcalc.lint.rules import all_rules, by_code

CASES = Path(__file__).resolve().parent / "lint" / "cases"
MARK = re.compile(r"lint-expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
CASE_FILES = sorted(p for p in CASES.glob("*/*") if p.suffix in (".yaml", ".py"))


def _py_front_end() -> bool:
    from archcalc.readers import FRONT_ENDS

    return ".py" in FRONT_ENDS


def _params(files):
    out = []
    for f in files:
        marks = []
        if f.suffix == ".py" and not _py_front_end():
            # the .py cases need archcalc/readers/python/ (the Keras .py front-end)
            marks.append(pytest.mark.skip(reason="needs the .py front-end (archcalc.readers.python)"))
        out.append(pytest.param(f, id=f"{f.parent.name}/{f.name}", marks=marks))
    return out


def expected_marks(path: Path) -> set[tuple[int, str]]:
    out = set()
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        m = MARK.search(line)
        if m:
            out |= {(i, c.strip()) for c in m.group(1).split(",")}
    return out


def lint_one(path: Path, **options):
    # isolated: the repository's own pyproject.toml must not change a case
    result = lint_paths([str(path)], LintOptions(isolated=True, **options))
    assert not result.input_errors, [e.format() for e in result.input_errors]
    return result


@pytest.mark.parametrize("path", _params(f for f in CASE_FILES if f.name.startswith("fail_")))
def test_failing_case_is_caught_on_the_marked_lines(path: Path) -> None:
    code = path.parent.name
    expected = expected_marks(path)
    assert expected, f"{path} has no `# lint-expect: {code}` marker"
    result = lint_one(path)
    got = {(f.line, f.code) for f in result.findings if f.code == code}
    assert got == {(line, c) for line, c in expected if c == code}
    rule = by_code()[code]
    assert all(f.severity is rule.severity for f in result.findings if f.code == code)
    assert result.exit_code == (1 if rule.severity is Severity.ERROR else 0)


@pytest.mark.parametrize("path", _params(f for f in CASE_FILES if f.name.startswith("pass_")))
def test_passing_case_gives_no_finding_of_its_rule_and_no_error(path: Path) -> None:
    result = lint_one(path)
    code = path.parent.name
    assert [f for f in result.findings if f.code == code] == []
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    assert result.exit_code == 0


def test_error_rules_have_a_python_bug_report_case() -> None:
    """Each error-level bug pattern is also written as a small Keras program."""
    for rule in all_rules():
        if rule.severity is Severity.ERROR and rule.code not in ("AC501", "AC502"):
            assert list((CASES / rule.code).glob("fail_*.py")), f"{rule.code} has no fail_*.py case"


def test_every_rule_has_failing_and_passing_cases() -> None:
    for rule in all_rules():
        folder = CASES / rule.code
        assert list(folder.glob("fail_*")), f"no failing case for {rule.code}"
        if rule.code not in ("E001", "E002"):
            assert list(folder.glob("pass_*")), f"no passing case for {rule.code}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_documented_examples(rule, tmp_path: Path) -> None:
    examples = rule.examples()
    assert set(examples) == {"failing", "passing"}, f"{rule.code}: docstring needs Failing:: and Passing::"
    for kind, text in examples.items():
        # an example that imports is a Keras program (legacy-spelling rules need one)
        python = text.startswith(("import ", "from "))
        spec = tmp_path / f"{kind}.{'py' if python else 'yaml'}"
        spec.write_text(text)
        result = lint_one(spec)
        codes = {f.code for f in result.findings}
        if kind == "failing":
            assert rule.code in codes, f"{rule.code}'s Failing example is not reported"
        else:
            assert rule.code not in codes, f"{rule.code}'s Passing example is reported"
            assert not [f for f in result.findings if f.severity is Severity.ERROR]
