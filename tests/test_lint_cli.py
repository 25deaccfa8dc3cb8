"""archcalc lint / archcalc rules from the command line: exit codes for every path,
configuration, suppressions, the output formats, and the samples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.lint import LintOptions, Severity, lint_paths
from archcalc.lint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

CLEAN = """\
input: [8]
layers:
  - Dense(10, activation='relu')
  - Dense(1, activation='sigmoid')
compile: {optimizer: adam, loss: binary_crossentropy}
"""
WARNING_ONLY = """\
input: [20]
layers:
  - Dense(64, activation='relu')
  - Dropout(0.8)
  - Dense(1, activation='sigmoid')
"""
INFO_ONLY = """\
input: [32, 32, 3]
layers:
  - Conv2D(16, 3, padding='same')
  - BatchNormalization()
  - ReLU()
"""
NOTES_BUG = """\
input: [8]
layers:
  - Dense(10, activation='relu')
  - Dense(1, activation='sigmoid')
compile:
  optimizer: adam
  loss: categorical_crossentropy
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the working directory (no pyproject.toml above it
    with [tool.archcalc] unless a test writes one)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text)
    return name


def run(*args: str):
    return CliRunner().invoke(cli, ["lint", *args], catch_exceptions=False)


# -- exit codes ---------------------------------------------------------------------------

def test_exit_0_when_clean(project: Path) -> None:
    r = run(write(project, "ok.yaml", CLEAN))
    assert r.exit_code == 0
    assert r.stdout.strip() == "no problems in 1 file"


def test_exit_0_with_warnings_and_1_with_strict(project: Path) -> None:
    name = write(project, "w.yaml", WARNING_ONLY)
    assert run(name).exit_code == 0
    r = run(name, "--strict")
    assert r.exit_code == 1
    assert "AC302" in r.stdout


def test_info_fails_only_with_strict(project: Path) -> None:
    name = write(project, "i.yaml", INFO_ONLY)
    assert run(name).exit_code == 0
    r = run(name, "--strict")
    assert "AC307" in r.stdout
    assert r.exit_code == 1  # issue 6: "1 when ... (or any with --strict)"


def test_exit_1_on_error_finding(project: Path) -> None:
    r = run(write(project, "bug.yaml", NOTES_BUG))
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0] == (
        "bug.yaml:5:1: AC101 [error] categorical_crossentropy on the one-unit output 'dense_1': over a "
        "single class the loss is always 0 and nothing is learned")


def test_exit_1_on_engine_refusal(project: Path) -> None:
    name = write(project, "shrink.yaml", "input: [4, 4, 1]\nlayers:\n  - Conv2D(8, 5)\n")
    r = run(name)
    assert r.exit_code == 1
    assert r.stdout.startswith("shrink.yaml:3:5: E002 [error] Conv2D: output size would be")


@pytest.mark.parametrize("name, text, message", [
    ("missing.yaml", None, "missing.yaml: error: no such file"),
    ("bad.yaml", "input: [8]\nlayers: [Dense(1)\n", "bad.yaml:3:1: error: invalid YAML"),
    ("bad.py", "model = Sequential(\n", "bad.py:1:19: error: invalid Python"),
    ("model.txt", "Dense(1)\n", "model.txt: error: unsupported file type '.txt'"),
])
def test_exit_2_on_unreadable_input(project: Path, name: str, text: str | None, message: str) -> None:
    if text is not None:
        write(project, name, text)
    r = run(name)
    assert r.exit_code == 2
    assert r.stderr.startswith(message)


def test_exit_2_beats_findings(project: Path) -> None:
    r = run(write(project, "bug.yaml", NOTES_BUG), "missing.yaml")
    assert "AC101" in r.stdout
    assert r.exit_code == 2


@pytest.mark.parametrize("args, message", [
    (["--select", "AC999"], "no rule matches 'AC999'"),
    (["--ignore", "loss.nope"], "no rule matches 'loss.nope'"),
    (["--config", "nope.toml"], "--config nope.toml: no such file"),
])
def test_exit_2_on_usage_errors(project: Path, args: list[str], message: str) -> None:
    r = run(write(project, "ok.yaml", CLEAN), *args)
    assert r.exit_code == 2
    assert message in r.stderr


def test_exit_2_on_bad_configuration(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.archcalc]\nignore = 5\n')
    r = run(write(project, "ok.yaml", CLEAN))
    assert r.exit_code == 2
    assert "`ignore` must be a list of rule codes" in r.stderr
    write(project, "pyproject.toml", '[tool.archcalc.severity]\nAC302 = "fatal"\n')
    r = run("ok.yaml")
    assert r.exit_code == 2
    assert "unknown severity 'fatal'" in r.stderr


def test_no_paths_is_a_usage_error(project: Path) -> None:
    assert run().exit_code == 2


# -- selection and configuration ----------------------------------------------------------

def test_select_and_ignore_on_the_command_line(project: Path) -> None:
    name = write(project, "bug.yaml", NOTES_BUG)
    assert run(name, "--ignore", "AC101").exit_code == 0
    assert run(name, "--select", "loss").exit_code == 1
    assert run(name, "--select", "shape,layer").exit_code == 0
    assert run(name, "--select", "AC1", "--ignore", "loss.categorical-on-one-unit").exit_code == 0


def test_pyproject_select_ignore_severity(project: Path) -> None:
    name = write(project, "w.yaml", WARNING_ONLY)
    write(project, "pyproject.toml", '[tool.archcalc.severity]\nAC302 = "error"\n')
    r = run(name)
    assert r.exit_code == 1 and "AC302" in r.stdout
    write(project, "pyproject.toml", '[tool.archcalc]\nignore = ["AC302"]\n')
    assert "AC302" not in run(name, "--strict").stdout
    write(project, "pyproject.toml", '[tool.archcalc.lint]\nselect = ["AC1"]\n')
    assert run(name, "--strict").exit_code == 0
    # --select replaces the configured selection
    assert run(name, "--strict", "--select", "AC3").exit_code == 1
    write(project, "pyproject.toml", '[tool.archcalc]\nignore = ["AC302"]\n')
    assert run(name, "--strict", "--isolated").exit_code == 1


def test_pyproject_is_found_in_a_parent_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project, "pyproject.toml", '[tool.archcalc]\nignore = ["AC101"]\n')
    sub = project / "models" / "v1"
    sub.mkdir(parents=True)
    write(sub, "bug.yaml", NOTES_BUG)
    monkeypatch.chdir(sub)
    assert run("bug.yaml").exit_code == 0


def test_default_budget_from_pyproject(project: Path) -> None:
    name = write(project, "ok.yaml", CLEAN)
    write(project, "pyproject.toml", '[tool.archcalc.budget]\nparams = 50\n')
    r = run(name)
    assert r.exit_code == 1
    assert ("ok.yaml:1:1: AC502 [error] budget params 50 (default from pyproject.toml) exceeded: "
            "computed 101 (101), limit 50 (50)") in r.stdout
    # a limit in the spec wins over the default
    write(project, "big.yaml", CLEAN + "budget:\n  params: 200\n")
    assert run("big.yaml").exit_code == 0


# -- suppressions --------------------------------------------------------------------------

def test_noqa_suppresses_on_the_finding_line(project: Path) -> None:
    text = NOTES_BUG.replace("compile:", "compile:  # archcalc: noqa: AC101")
    r = run(write(project, "bug.yaml", text))
    assert r.exit_code == 0
    assert "AC101" not in r.stdout
    bare = NOTES_BUG.replace("compile:", "compile:  # archcalc: noqa")
    assert run(write(project, "bug2.yaml", bare)).exit_code == 0


def test_noqa_for_another_code_does_not_suppress(project: Path) -> None:
    text = NOTES_BUG.replace("compile:", "compile:  # archcalc: noqa: AC102")
    r = run(write(project, "bug.yaml", text))
    assert r.exit_code == 1
    assert "AC101" in r.stdout
    assert "AC900 [info] unused suppression: AC102 not reported on this line" in r.stdout


def test_unused_and_unknown_noqa_are_info(project: Path) -> None:
    text = CLEAN.replace("  - Dense(10, activation='relu')", "  - Dense(10, activation='relu')  # archcalc: noqa")
    text = text.replace("  - Dense(1, activation='sigmoid')",
                        "  - Dense(1, activation='sigmoid')  # archcalc: noqa: XY123")
    r = run(write(project, "ok.yaml", text))
    assert r.exit_code == 0
    assert run("ok.yaml", "--strict").exit_code == 1
    assert "ok.yaml:3:35: AC900 [info] unused suppression: nothing is reported on this line" in r.stdout
    assert "AC900 [info] suppression names unknown rule(s) XY123" in r.stdout
    assert "AC900" not in run("ok.yaml", "--ignore", "AC900").stdout


def test_noqa_in_a_python_string_is_not_a_comment(project: Path) -> None:
    from archcalc.lint import noqa

    text = 'x = "# archcalc: noqa"\ny = 1  # archcalc: noqa: AC101, ac102\n'
    marks = noqa.parse(text, python=True)
    assert list(marks) == [2]
    assert marks[2].codes == frozenset({"AC101", "AC102"})


def test_noqa_in_a_python_model(project: Path) -> None:
    from archcalc.readers import FRONT_ENDS

    if ".py" not in FRONT_ENDS:
        pytest.skip("needs the .py front-end (archcalc.readers.python)")
    text = (SAMPLES / "sequential_8_10_1.py").read_text()
    assert run(write(project, "m.py", text)).exit_code == 1
    text = text.replace("# bug kept from the notes", "# archcalc: noqa: AC101")
    assert run(write(project, "m.py", text)).exit_code == 0


# -- folders and the samples ----------------------------------------------------------------

def test_folders_are_searched_for_models(project: Path) -> None:
    (project / "specs").mkdir()
    write(project / "specs", "bug.yaml", NOTES_BUG)
    write(project / "specs", "workflow.yaml", "on: push\njobs: {}\n")  # not a model: skipped
    r = run("specs")
    assert r.exit_code == 1
    assert "1 error in 1 file" in r.stdout


def test_skip_non_models_for_pre_commit(project: Path) -> None:
    write(project, "config.yaml", "key: value\n")
    assert run("config.yaml").exit_code == 1  # linted as a spec: E001
    r = run("config.yaml", "--skip-non-models")
    assert r.exit_code == 0
    assert "in 0 files" in r.stdout


def test_samples_give_no_error_except_the_notes_bug() -> None:
    files = sorted(str(p) for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".py"))
    result = lint_paths(files, LintOptions(isolated=True))
    assert not result.input_errors
    errors = {(Path(f.path).name, f.line, f.code) for f in result.findings if f.severity is Severity.ERROR}
    expected = {("sequential_8_10_1.yaml", 11, "AC101")}
    if (SAMPLES / "sequential_8_10_1.py").exists() and any(f.endswith(".py") for f in result.files):
        expected.add(("sequential_8_10_1.py", 14, "AC101"))
    assert errors == expected


def test_the_notes_bug_sample_says_so() -> None:
    text = (SAMPLES / "sequential_8_10_1.yaml").read_text()
    assert "categorical_crossentropy" in text and "archcalc lint" in text


# -- output formats --------------------------------------------------------------------------

def test_json_format(project: Path) -> None:
    r = run(write(project, "bug.yaml", NOTES_BUG), "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc == {"findings": [{
        "path": "bug.yaml", "line": 5, "column": 1, "code": "AC101", "severity": "error",
        "layer": "dense_1",
        "message": "categorical_crossentropy on the one-unit output 'dense_1': over a single class "
                   "the loss is always 0 and nothing is learned",
        "hint": "for a yes/no target use loss='binary_crossentropy' with one sigmoid unit; for n "
                "classes use Dense(n, activation='softmax')",
        "related": [{"path": "bug.yaml", "line": 4, "column": 5, "message": "the output layer 'dense_1'"}],
    }]}


def test_json_format_lists_input_errors(project: Path) -> None:
    r = run("missing.yaml", "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["findings"] == []
    assert doc["errors"][0]["path"] == "missing.yaml"


def test_github_format(project: Path) -> None:
    r = run(write(project, "w.yaml", WARNING_ONLY), write(project, "bug.yaml", NOTES_BUG),
            "--format", "github")
    lines = r.stdout.splitlines()
    assert lines[0].startswith(
        "::error file=bug.yaml,line=5,col=1,title=AC101::categorical_crossentropy on the one-unit")
    assert lines[1].startswith("::warning file=w.yaml,line=4,col=5,title=AC302::Dropout 'dropout' drops 80%25")
    assert len(lines) == 2


def test_github_escaping() -> None:
    from archcalc.lint.reporters.github import _data, _prop

    assert _data("a%b\nc") == "a%25b%0Ac"
    assert _prop("dir,x:y.yaml") == "dir%2Cx%3Ay.yaml"


def test_text_format_has_hints_and_summary(project: Path) -> None:
    r = run(write(project, "w.yaml", WARNING_ONLY), write(project, "i.yaml", INFO_ONLY))
    assert r.stdout.splitlines() == [
        "i.yaml:3:5: AC307 [info] the bias of Conv2D 'conv2d' (16 parameters) is cancelled by "
        "BatchNormalization 'batch_normalization'",
        "  hint: pass use_bias=False to 'conv2d'",
        "w.yaml:4:5: AC302 [warning] Dropout 'dropout' drops 80% of its inputs at every training step",
        "  hint: use a rate of at most 0.5; if 0.8 was meant as the fraction to keep, write Dropout(0.2)",
        "1 warning, 1 info in 2 files",
    ]


# -- archcalc rules -----------------------------------------------------------------------------

def test_rules_lists_at_least_twenty() -> None:
    r = CliRunner().invoke(cli, ["rules"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(all_rules()) >= 20
    assert lines[0].split()[:3] == ["AC000", "info", "read.not-read"]
    assert lines[1].split()[:3] == ["AC101", "error", "loss.categorical-on-one-unit"]


def test_rules_shows_one_rule() -> None:
    r = CliRunner().invoke(cli, ["rules", "AC103"])
    assert r.exit_code == 0
    assert r.stdout.startswith("AC103 activation.softmax-one-unit (error)\n\nWhat it does\n"
                               "  Softmax over a single unit.")
    # rendered for the terminal: ruff's headings, no reStructuredText markup left
    for heading in ("Why is this bad?", "How to fix it", "Example (reported)", "Use instead"):
        assert f"\n{heading}\n" in r.stdout
    assert "``" not in r.stdout and "::" not in r.stdout
    by_name = CliRunner().invoke(cli, ["rules", "activation.softmax-one-unit"])
    assert by_name.stdout == r.stdout


def test_rules_wrap_to_columns_and_render_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    r = CliRunner().invoke(cli, ["rules", "AC202"])
    prose = [ln for ln in r.stdout.splitlines() if ln.startswith("  ") and not ln.startswith("      ")]
    assert prose and max(len(ln) for ln in prose) <= 60
    md = CliRunner().invoke(cli, ["rules", "AC202", "--format", "markdown"])
    assert md.exit_code == 0 and "## How to fix it" in md.stdout and "`padding='same'`" in md.stdout
    assert "``padding" not in md.stdout


def test_rules_unknown_code_is_exit_2() -> None:
    r = CliRunner().invoke(cli, ["rules", "AC1O1"])
    assert r.exit_code == 2
    assert "did you mean AC101?" in r.stderr


def test_rule_metadata() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.name.count(".") == 1 and r.name == r.name.lower(), r.name
        assert isinstance(r.severity, Severity)
        assert r.summary() and "Fix:" in r.doc(), r.code


# -- speed: the lint path imports no heavy library ------------------------------------------------

def test_lint_imports_no_sympy_numpy_or_tensorflow() -> None:
    code = (
        "import sys\n"
        "from archcalc.cli import main\n"
        "try:\n"
        "    main(['lint', 'samples/cnn.yaml', 'samples/sequential_8_10_1.yaml', 'samples/unet.yaml',"
        " '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sympy', 'numpy', 'tensorflow', 'keras') if m in sys.modules]\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert out.stderr.strip().endswith("[]"), out.stderr


def test_text_format_in_colour(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from archcalc.lint.reporters.text import render

    write(project, "bug.yaml", NOTES_BUG)
    result = lint_paths(["bug.yaml"], LintOptions(isolated=True))
    assert render(result, color=True) is None  # printed by rich
    out = capsys.readouterr().out
    assert "bug.yaml:5:1: AC101 [error] categorical_crossentropy on the one-unit output" in out
    assert out.rstrip().endswith("1 error in 1 file")


# -- issue 19: configuration per file, strict keys, noqa with --ignore, severities ----------

def test_pyproject_is_looked_up_from_the_linted_files_folder(project: Path) -> None:
    """As ruff does: the configuration nearest to the file, not to the working directory."""
    sub = project / "other"
    sub.mkdir()
    write(sub, "pyproject.toml", '[tool.archcalc]\nignore = ["AC101"]\n')
    write(sub, "bug.yaml", NOTES_BUG)
    write(project, "bug.yaml", NOTES_BUG)
    assert run("other/bug.yaml").exit_code == 0  # other/pyproject.toml ignores AC101
    assert run("bug.yaml").exit_code == 1  # the working directory has no configuration
    r = run("bug.yaml", "other/bug.yaml")
    assert r.exit_code == 1 and "other/bug.yaml" not in r.stdout


@pytest.mark.parametrize("toml, message", [
    ('[tool.archcalc]\nignroe = ["AC101"]\n', "unknown key `ignroe` in [tool.archcalc]"),
    ('[tool.archcalc.lint]\nstrict = true\n', "unknown key `strict` in [tool.archcalc.lint]"),
    ('[tool.archcalc.budget]\nparamz = "5M"\n', "unknown key `paramz` in [tool.archcalc.budget]"),
    ('[tool.archcalc.budget]\nparams = "5Q"\n', "[tool.archcalc.budget] params = '5Q'"),
    ('[tool.archcalc]\nlint = 3\n', "[tool.archcalc.lint] must be a table"),
    ('[tool.archcalc]\nselect = [1, 2]\n', "`select` must be a list of rule codes"),
    ('[tool.archcalc]\nseverity = "error"\n', "[tool.archcalc.severity] must map codes to levels"),
    ('[tool.archcalc]\nbudget = 5\n', "[tool.archcalc.budget] must be a table"),
])
def test_unknown_keys_and_wrong_types_are_usage_errors(project: Path, toml: str, message: str) -> None:
    write(project, "pyproject.toml", toml)
    r = run(write(project, "ok.yaml", CLEAN))
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("pyproject.toml:2:1: error: ") or "budget] params" in r.stderr


def test_a_configuration_error_points_at_its_line_once(project: Path) -> None:
    """A stray key in [tool.archcalc.budget] is the configuration's mistake, not each model's:
    one `pyproject.toml:line:col: error:` and exit 2, however many models are linted."""
    write(project, "pyproject.toml", '[tool.archcalc]\nignore = ["AC308"]\n\n[tool.archcalc.budget]\n'
                                     'params = "5M"\nparamz = "5M"\n')
    models = [write(project, f"m{i}.yaml", CLEAN) for i in range(3)]
    r = run(*models)
    assert r.exit_code == 2, r.output
    assert r.stderr.count("error:") == 1 and "AC502" not in r.output
    assert r.stderr.startswith("pyproject.toml:6:1: error: unknown key `paramz` in [tool.archcalc.budget]")
    assert "did you mean params?" in r.stderr
    write(project, "pyproject.toml", '[tool.archcalc]\nbudget = {params = \n')
    r = run(models[0])
    assert r.exit_code == 2 and r.stderr.startswith("pyproject.toml:2:20: error: invalid TOML"), r.stderr


def test_bare_noqa_is_unused_when_ignore_disables_the_rule_it_hides(project: Path) -> None:
    text = WARNING_ONLY.replace("  - Dropout(0.8)", "  - Dropout(0.8)  # archcalc: noqa")
    name = write(project, "w.yaml", text)
    assert "AC900" not in run(name).stdout  # it hides AC302
    r = run(name, "--ignore", "AC302")
    assert "w.yaml:4:19: AC900 [info] unused suppression: nothing is reported on this line" in r.stdout


def test_text_output_shows_each_severity(project: Path) -> None:
    r = run(write(project, "bug.yaml", NOTES_BUG), write(project, "w.yaml", WARNING_ONLY),
            write(project, "i.yaml", INFO_ONLY))
    lines = [ln for ln in r.stdout.splitlines() if not ln.startswith(("  ", "1 error"))]
    assert [ln.split()[2] for ln in lines] == ["[error]", "[info]", "[warning]"]


def test_yaml_positional_learning_rate_is_read(project: Path) -> None:
    text = CLEAN.replace("optimizer: adam", 'optimizer: "keras.optimizers.SGD(10.0)"')
    r = run(write(project, "lr.yaml", text))
    assert "AC401 [warning] learning rate 10 for SGD is outside" in r.stdout


def test_a_folder_without_models_says_so_and_exits_2(project: Path) -> None:
    (project / "empty").mkdir()
    write(project, "notes.yaml", "title: not a model\n")
    r = run("empty")
    assert r.exit_code == 2, r.output
    assert "empty: error: no model files in this folder" in r.stderr
    assert r.stdout.strip() == "no problems in 0 files; 1 input error (exit status 2)"
    assert run(".").exit_code == 2  # notes.yaml is not a model
    # files given one by one and skipped (pre-commit) are not a mistake: nothing to check
    assert run("--skip-non-models", "notes.yaml").exit_code == 0


def test_custom_layer_declarations_are_not_models(project: Path) -> None:
    """The pre-commit hook (`lint --skip-non-models`) passes over archcalc-layers.yaml, and a
    folder walk does not lint it as a model (it was E001 "`layers:` must be a non-empty list")."""
    declarations = (SAMPLES / "vae" / "archcalc-layers.yaml").read_text()
    write(project, "archcalc-layers.yaml", declarations)
    write(project, "layers.yaml", declarations)  # the same declarations under another name
    r = run("--skip-non-models", "archcalc-layers.yaml", "layers.yaml")
    assert r.exit_code == 0 and "E001" not in r.output, r.output
    r = CliRunner().invoke(cli, ["lint", str(SAMPLES / "vae")])
    assert r.exit_code == 0 and "E001" not in r.output and "in 1 file" in r.stdout, r.output


def test_the_hook_on_the_projects_own_samples() -> None:
    """Every sample passes the hook but the notes' first Sequential, which keeps the notes'
    loss bug on purpose (AC101, the documentation's first lint example)."""
    files = sorted(str(p) for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".py", ".ipynb", ".json"))
    r = CliRunner().invoke(cli, ["lint", "--skip-non-models", *files])
    errors = [ln for ln in r.stdout.splitlines() if "[error]" in ln]
    assert [e.split(":")[0] for e in errors] == [str(SAMPLES / "sequential_8_10_1.py"),
                                                 str(SAMPLES / "sequential_8_10_1.yaml")], r.output
    assert all("AC101" in e for e in errors)
    rest = [f for f in files if "sequential_8_10_1" not in f]
    assert CliRunner().invoke(cli, ["lint", "--skip-non-models", *rest]).exit_code == 0
    assert CliRunner().invoke(cli, ["lint", str(SAMPLES)]).exit_code == 1  # the same two errors only
