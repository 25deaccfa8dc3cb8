"""`archcalc diagram` for nested models: a cluster per nested model holding its layers,
frozen layers marked, activations on request (goldens next to the summary ones;
``python -m pytest --overwrite`` rewrites them)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

import archcalc
from archcalc.cli import cli
from archcalc.render.diagram import to_dot, to_mermaid
from tests.test_summary import GOLDEN, NESTED


def test_nested_goldens(golden):
    analysis = archcalc.analyze(archcalc.load(NESTED))
    golden.check(GOLDEN / "nested.mmd", to_mermaid(analysis, activations=True))
    golden.check(GOLDEN / "nested.dot", to_dot(analysis, activations=True))


def test_cluster_frozen_and_activations():
    analysis = archcalc.analyze(archcalc.load(NESTED))
    dot = to_dot(analysis)
    assert "subgraph cluster_n1 {" in dot and "compound=true;" in dot
    assert 'label="enc_dense\\nDense\\n136 params\\nfrozen"' in dot  # no activation unless asked
    assert "lhead=cluster_n1" in dot and "ltail=cluster_n1" in dot
    assert "relu" in to_dot(analysis, activations=True)
    mermaid = to_mermaid(analysis)
    assert 'subgraph n1["encoder<br/>Sequential<br/>168 params<br/>frozen"]' in mermaid
    assert "class n1_1,n1_2 frozen" in mermaid


def test_a_frozen_layer_outside_a_nested_model(analyze_text):
    a = analyze_text("input: [4]\nlayers:\n  - Dense(3, trainable=False)\n  - Dense(2)\n")
    assert "class n1 frozen" in to_mermaid(a) and "frozen" in to_dot(a)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed (CI installs it)")
def test_nested_svg(tmp_path):
    out = tmp_path / "nested.svg"
    result = CliRunner().invoke(cli, ["diagram", str(NESTED), "--activations", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(ET.parse(out).getroot().itertext())
    for name in ("encoder", "enc_dense", "enc_bn", "bi", "td_head", "relu"):
        assert name in text
