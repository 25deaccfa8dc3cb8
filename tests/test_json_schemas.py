"""Every JSON report has a published schema (archcalc/schemas/*.schema.json, shipped in the
wheel), and real output validates against it: every sample through summary, diff, lint, fit
and rules. One key spelling across reports: the totals diff compares are summary's keys."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from archcalc.cli import cli
from tests.conftest import ROOT, SAMPLES

REPORTS = ("summary", "diff", "lint", "fit", "rules", "train", "calc", "verify")
# train: validated in tests/test_train.py; verify needs TensorFlow (a keras-marked test below)


def schema(name: str) -> Draft202012Validator:
    text = resources.files("archcalc").joinpath(f"schemas/{name}.schema.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc)


def run_json(*args: str) -> object:
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def valid(name: str, doc: object) -> None:
    errors = sorted(schema(name).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_has_a_schema(report: str) -> None:
    assert schema(report).schema["title"].startswith(f"archcalc {report}")


MODELS = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".py", ".ipynb", ".json")
                and p.name != "archcalc-layers.yaml")


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_summary_json_of_every_sample_validates(path: object) -> None:
    valid("summary", run_json("summary", str(path), "--format", "json"))


def test_symbolic_and_multi_output_summaries_validate() -> None:
    valid("summary", run_json("summary", str(SAMPLES / "unet_symbolic.yaml"), "--format", "json"))
    valid("summary", run_json("summary", str(SAMPLES / "lstm_states.yaml"), "--format", "json"))


def test_diff_json_validates_and_shares_summarys_keys() -> None:
    doc = run_json("diff", str(SAMPLES / "cnn.yaml"), str(SAMPLES / "lenet5.yaml"), "--format", "json")
    valid("diff", doc)
    summary = run_json("summary", str(SAMPLES / "cnn.yaml"), "--format", "json")
    assert isinstance(doc, dict) and isinstance(summary, dict)
    top = set(doc["totals"]) - {"activations_bytes", "training_bytes"}
    assert top <= set(summary), top - set(summary)  # weights_bytes in both, not weight_bytes
    assert doc["totals"]["weights_bytes"]["old"] == summary["weights_bytes"]
    assert set(doc["totals"]) - top <= set(summary["memory"])


def test_lint_json_validates_with_findings_cells_and_errors(tmp_path: object) -> None:
    doc = run_json("lint", str(SAMPLES / "sequential_8_10_1.yaml"), str(SAMPLES / "notes_cnn.ipynb"),
                   "--format", "json")
    valid("lint", doc)
    assert isinstance(doc, dict) and {f["code"] for f in doc["findings"]} >= {"AC101", "AC308"}
    bugs = sorted((ROOT / "tests" / "lint" / "bugs").glob("*/bug.py"))[:10]
    valid("lint", run_json("lint", *map(str, bugs), "--format", "json"))
    r = CliRunner().invoke(cli, ["lint", str(SAMPLES / "cnn.yaml"), str(ROOT / "tests" / "golden"),
                                 "--format", "json"])
    if r.exit_code == 2:  # an unreadable file is listed under "errors"
        valid("lint", json.loads(r.stdout))


def test_fit_json_validates() -> None:
    valid("fit", run_json("fit", str(SAMPLES / "cnn.yaml"), "--memory", "8GiB", "--format", "json"))
    valid("fit", run_json("fit", str(SAMPLES / "unet_symbolic.yaml"), "--macs", "1G", "--format", "json"))


def test_rules_json_validates() -> None:
    valid("rules", run_json("rules", "--format", "json"))
    valid("rules", run_json("rules", "AC202", "--format", "json"))


def test_a_wrong_key_fails_the_schema() -> None:
    doc = run_json("summary", str(SAMPLES / "cnn.yaml"), "--format", "json")
    assert isinstance(doc, dict)
    doc["weight_bytes"] = doc.pop("weights_bytes")
    assert list(schema("summary").iter_errors(doc))


@pytest.mark.parametrize("args", [
    ("calc", "conv", "I=32", "K=5", "S=2", "P=1"), ("calc", "conv", "I=32", "O=15", "S=2", "P=1"),
    ("calc", "conv", "I=32", "O=16", "K=5", "P=same"), ("calc", "pool", "I=32", "O=16"),
    ("calc", "transpose", "I=16", "O=33", "K=3", "S=2", "P=?"), ("calc", "transpose", "I=7", "K=3", "S=2"),
    ("calc", "conv", "I=10", "O=1", "K=3", "P=0"), ("calc", "params", "lstm", "units=64", "input_dim=10"),
])
def test_calc_json_validates(args: tuple[str, ...]) -> None:
    r = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    valid("calc", json.loads(r.stdout))


@pytest.mark.keras
def test_verify_json_validates_and_agrees_with_its_exit_status() -> None:
    r = CliRunner().invoke(cli, ["verify", str(SAMPLES / "sequential_8_10_1.yaml"), "--format", "json"],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    valid("verify", doc)
    assert doc["ok"] is True and doc["total_params"] == {"archcalc": 101, "keras": 101}
    assert [row["keras"]["trainable"] for row in doc["rows"]] == [0, 90, 11]
