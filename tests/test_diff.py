"""archcalc diff: two samples, and a file against its git revision (a budget newly exceeded)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from tests.conftest import SAMPLES


def test_diff_of_two_samples_layer_by_layer_and_totals():
    result = CliRunner().invoke(cli, ["diff", str(SAMPLES / "cnn.yaml"), str(SAMPLES / "lenet5.yaml"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["totals"]["total_params"] == {"old": 3938570, "new": 61706, "delta": 61706 - 3938570,
                                           "percent": round(100 * (61706 - 3938570) / 3938570, 2)}
    assert {r["name"] for r in d["removed"]} == {"conv2d", "max_pooling2d", "dense", "dense_1"}
    c1 = next(r for r in d["added"] if r["name"] == "C1")
    assert c1["macs"] == 28 * 28 * 6 * 25  # LeNet-5's C1: 5 x 5 kernels on one channel
    flat = next(r for r in d["changed"] if r["name"] == "flatten")
    assert flat["changes"]["output_shape"] == {"old": [None, 30752], "new": [None, 400]}
    assert d["budget_newly_exceeded"] == []
    md = CliRunner().invoke(cli, ["diff", str(SAMPLES / "cnn.yaml"), str(SAMPLES / "lenet5.yaml"),
                                  "--format", "markdown"]).output
    assert "| total_params | 3,938,570 | 61,706 | -3,876,864 (-98.43%) |" in md
    text = CliRunner().invoke(cli, ["diff", str(SAMPLES / "cnn.yaml"), str(SAMPLES / "cnn.yaml")]).output
    assert "No layer changed." in text


OLD = """input: [32, 32, 3]
layers:
  - Conv2D(8, 3, activation='relu')
  - GlobalAveragePooling2D()
  - Dense(10)
budget:
  params: 1k
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_against_a_git_revision_exits_1_when_a_budget_is_newly_exceeded(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    model = tmp_path / "model.yaml"
    model.write_text(OLD)
    git("add", "model.yaml")
    git("commit", "-qm", "small")
    model.write_text(OLD.replace("Conv2D(8, 3", "Conv2D(64, 3"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["diff", "HEAD:model.yaml", "model.yaml", "--format", "json"])
    assert result.exit_code == 1, result.output
    d = json.loads(result.output)
    assert d["budget_newly_exceeded"] == ["params"]
    conv = d["changed"][0]
    # Conv2D(8, 3) on 3 channels: 8 x 28 params -> 64 x 28; MACs 30 x 30 x 8 x 27 -> x 64
    assert conv["changes"]["params"] == {"old": 224, "new": 1792, "delta": 1568}
    assert conv["changes"]["macs"]["new"] == 30 * 30 * 64 * 27
    # unchanged file at HEAD: nothing newly exceeded, exit 0
    git("commit", "-qam", "big")
    assert CliRunner().invoke(cli, ["diff", "HEAD:model.yaml", "model.yaml"]).exit_code == 0
    bad = CliRunner().invoke(cli, ["diff", "nosuchrev:model.yaml", "model.yaml"])
    assert bad.exit_code == 2 and "error" in bad.output and "Traceback" not in bad.output


def test_symbolic_sizes_read_as_the_notes_write_them():
    """Text and Markdown show ⌊H/2⌋ and ×; JSON keeps the machine-readable floor(H/2)."""
    from click.testing import CliRunner

    from archcalc.cli import cli

    args = ["diff", str(SAMPLES / "unet.yaml"), str(SAMPLES / "unet_symbolic.yaml")]
    for fmt in ("text", "markdown"):
        out = CliRunner().invoke(cli, [*args, "--format", fmt]).output
        assert "⌊H/2⌋" in out and "576 × H × W" in out
        assert "floor(" not in out and "*H" not in out
    assert "floor(H/2)" in CliRunner().invoke(cli, [*args, "--format", "json"]).output
