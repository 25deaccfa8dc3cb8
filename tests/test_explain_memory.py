"""`explain --memory` writes out the same training estimate that summary reports."""

from __future__ import annotations

import json
import re

import pytest


@pytest.mark.parametrize("sample, batch", [("cnn.yaml", 32), ("resnet_stages.yaml", 4), ("notes_rnn.yaml", 1)])
def test_memory_formula_matches_summary(run_cli, sample, batch):
    summary = json.loads(run_cli("summary", f"samples/{sample}", "--format", "json",
                                 "--batch-size", str(batch)).output)
    mem = summary["memory"]
    text = run_cli("explain", f"samples/{sample}", "--memory", "--batch-size", str(batch)).output
    text = text.split(f"\nmemory (float32, batch size {batch})\n", 1)[1]
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^  (\w+)\s+= (.*)$", text, re.M)}
    result = {k: int(v.rsplit("= ", 1)[1]) for k, v in lines.items()}
    assert result["weights"] == mem["weights_bytes"]
    assert result["activations"] == mem["activations_bytes"]
    assert result["training"] == mem["training_bytes"]
    assert result["training"] == sum(result[k] for k in ("weights", "gradients", "optimizer", "activations"))
    # the weights term is params x bytes per value
    assert result["weights"] == summary["total_params"] * 4


def test_memory_section_in_latex_and_markdown(run_cli):
    md = run_cli("explain", "samples/cnn.yaml", "--memory", "--format", "markdown").output
    assert "### Memory (float32, batch size 1)" in md and r"\begin{aligned}" in md
    tex = run_cli("explain", "samples/cnn.yaml", "--memory", "--format", "latex").output
    assert r"\subsection*{Memory (float32, batch size 1)}" in tex
