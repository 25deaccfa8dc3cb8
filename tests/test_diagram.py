"""archcalc diagram: golden Mermaid/DOT text, skip-connection detection, Graphviz rendering of
every sample, and the errors when Graphviz is missing.

Regenerate the goldens after an intended change with
``python -m pytest tests/test_diagram.py --overwrite``.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import archcalc
from archcalc.cli import cli
from archcalc.render.diagram import edges, to_dot, to_mermaid
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden" / "diagram"
HAS_DOT = shutil.which("dot") is not None


def _analysis(path: Path):
    return archcalc.analyze(archcalc.load(path))


@pytest.mark.parametrize("spec", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_golden_text(spec, golden):
    analysis = _analysis(spec)
    golden.check(spec.with_suffix(".mmd"), to_mermaid(analysis))
    golden.check(spec.with_suffix(".dot"), to_dot(analysis))


def test_goldens_exist():
    assert sorted(p.stem for p in GOLDEN.glob("*.dot")) == sorted(p.stem for p in GOLDEN.glob("*.yaml"))


def test_skip_connections_and_merges():
    """U-Net: the concatenations read a layer that also reaches them through the
    down/up path (a skip); ResNet: an identity shortcut is a skip, a projection is a branch."""
    unet = {(e.src, e.dst): e for e in edges(_analysis(GOLDEN / "unet.yaml"))}
    assert unet[("c2", "m1")].skip and unet[("c1", "m2")].skip
    assert not unet[("u1", "m1")].skip and not unet[("c1", "p1")].skip
    assert unet[("c2", "m1")].label == "32×32×128"
    res = {(e.src, e.dst): e for e in edges(_analysis(GOLDEN / "residual.yaml"))}
    assert res[("x0", "add1")].skip and not res[("a2", "add1")].skip
    assert not res[("main", "add2")].skip and not res[("proj", "add2")].skip
    skips = [e for e in edges(_analysis(GOLDEN / "two_heads.yaml")) if e.skip]
    assert skips == []


def test_every_edge_label_is_the_source_shape():
    analysis = _analysis(GOLDEN / "unet.yaml")
    dot = to_dot(analysis)
    for e in edges(analysis):
        assert f'label=" {e.label}"' in dot
    assert dot.count("style=dashed") == 2


def test_cli_text_formats(tmp_path):
    runner = CliRunner()
    spec = str(GOLDEN / "unet.yaml")
    result = runner.invoke(cli, ["diagram", spec])
    assert result.exit_code == 0 and result.output.startswith("flowchart TD")
    out = tmp_path / "unet.dot"
    result = runner.invoke(cli, ["diagram", spec, "-o", str(out)])  # format from the suffix
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (GOLDEN / "unet.dot").read_text(encoding="utf-8")


def test_cli_input_errors_exit_2(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text("input: [8]\nlayers:\n  - Conv2D(4, 3)\n")
    result = runner.invoke(cli, ["diagram", str(bad)])
    assert result.exit_code == 2 and "Conv2D" in result.output
    result = runner.invoke(cli, ["diagram", str(GOLDEN / "unet.yaml"), "-o", str(tmp_path / "no" / "x.dot")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_svg_without_graphviz_says_how_to_install(tmp_path):
    out = tmp_path / "u.svg"
    result = CliRunner(env={"PATH": str(tmp_path)}).invoke(
        cli, ["diagram", str(GOLDEN / "unet.yaml"), "--format", "svg", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "Graphviz" in result.output and "apt-get install graphviz" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (CI installs it)")
@pytest.mark.parametrize("spec", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_renders_to_svg(spec, tmp_path):
    out = tmp_path / f"{spec.stem}.svg"
    result = CliRunner().invoke(cli, ["diagram", str(spec), "--format", "svg", "--output", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    for row in _analysis(spec).rows:
        assert row.name in text, f"{row.name} missing from {out.name}"


@pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed (CI installs it)")
def test_png(tmp_path):
    out = tmp_path / "u.png"
    result = CliRunner().invoke(cli, ["diagram", str(GOLDEN / "unet.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_block_calls_are_clusters_nested_as_written():
    """Each YAML block call is a cluster holding its layers (a block calling a block nests);
    the cluster's parameter total is the sum of its layers'."""
    analysis = _analysis(GOLDEN / "blocks.yaml")
    dot = to_dot(analysis)
    assert dot.count("subgraph cluster_nblk") == 6
    assert 'label="stage1 (block)\\n856 params"' in dot
    by_block: dict[str, int] = {}
    for row in analysis.rows:
        for name in row.node.meta.get("block", ()):
            by_block[name] = by_block.get(name, 0) + row.params
    assert by_block == {"stage1": 856, "stage1_conv_bn_1": 248, "stage1_conv_bn_2": 608,
                        "stage2": 3584, "stage2_conv_bn_3": 1216, "stage2_conv_bn_4": 2368}
    mermaid = to_mermaid(analysis)
    assert mermaid.count("subgraph nblk") == 6 and mermaid.count("    end") == 6


def test_python_block_functions_are_clusters(tmp_path):
    """A function of the file called on a tensor is a block; one that builds the whole model
    from its input is the model itself, not a cluster."""
    src = tmp_path / "m.py"
    src.write_text(
        "import keras\n"
        "from keras import layers\n\n"
        "def conv_block(x, filters):\n"
        "    x = layers.Conv2D(filters, 3, padding='same')(x)\n"
        "    return layers.ReLU()(x)\n\n"
        "def body(inputs):\n"
        "    x = conv_block(inputs, 8)\n"
        "    x = conv_block(x, 16)\n"
        "    return layers.Dense(2)(layers.Flatten()(x))\n\n"
        "inputs = keras.Input((8, 8, 1))\n"
        "model = keras.Model(inputs, body(inputs))\n"
    )
    dot = to_dot(_analysis(src))
    assert dot.count("subgraph cluster_") == 2
    assert 'label="conv_block_1 (block)\\n80 params"' in dot
    assert 'label="conv_block_2 (block)\\n1,168 params"' in dot
    assert "body_1" not in dot
