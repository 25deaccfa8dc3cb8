"""`archcalc convert MODEL --to yaml`: the spec it writes reads back to the same shapes and
counts (round trips), and the command writes files safely."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.readers import load
from archcalc.readers.to_yaml import to_yaml
from archcalc.readers.yaml_spec import load_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
MODELS = sorted(SAMPLES.glob("*.py")) + sorted(SAMPLES.glob("*.yaml"))


def _same(a, b) -> None:
    assert a.total_params == b.total_params
    assert a.trainable_params == b.trainable_params
    assert a.output_shapes == b.output_shapes


@pytest.mark.parametrize("path", MODELS, ids=[p.name for p in MODELS])
def test_round_trip_every_sample(path):
    graph = load(path)
    text = to_yaml(graph, source=path.name)
    again = load_text(text, "converted.yaml")
    _same(analyze(graph), analyze(again))
    # and the conversion is stable: converting the converted spec changes nothing
    assert to_yaml(again, source=path.name) == text


def test_converted_spec_keeps_names_shared_layers_and_compile(tmp_path):
    src = tmp_path / "siamese.py"
    src.write_text(textwrap.dedent("""
        import keras
        from keras import layers
        a = keras.Input((10,), name="left")
        b = keras.Input((10,), name="right")
        shared = layers.Dense(16, activation="relu", name="embed")
        merged = layers.concatenate([shared(a), shared(b)])
        model = keras.Model([a, b], layers.Dense(1, activation="sigmoid", name="same")(merged))
        model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="binary_crossentropy")
        """))
    text = to_yaml(load(src))
    assert "left: [10]" in text and "right: [10]" in text
    assert "- embed_call1: embed(right)" in text
    again = load_text(text, "c.yaml")
    assert again.compile == {"optimizer": {"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}},
                             "loss": "binary_crossentropy"}
    _same(analyze(load(src)), analyze(again))


def test_nested_models_are_written_flat_with_shared_weights(tmp_path):
    src = tmp_path / "nested.py"
    src.write_text(textwrap.dedent("""
        import keras
        from keras import layers
        tower = keras.Sequential([layers.Dense(8), layers.BatchNormalization()], name="tower")
        frozen = keras.Sequential([keras.Input((8,)), layers.Dense(3)], name="frozen")
        frozen.trainable = False
        a = keras.Input((4,))
        b = keras.Input((4,))
        x = layers.add([tower(a), tower(b)])
        model = keras.Model([a, b], frozen(x))
        """))
    graph = load(src)
    text = to_yaml(graph)
    assert "tower_dense" in text and "trainable=False" in text
    _same(analyze(graph), analyze(load_text(text, "c.yaml")))


def test_cli_convert_stdout_file_and_force(tmp_path, run_cli):
    r = run_cli("convert", str(SAMPLES / "cnn.py"), "--to", "yaml")
    assert r.exit_code == 0
    assert r.output.startswith("# Converted by archcalc from cnn.py")
    out = tmp_path / "cnn.yaml"
    r = run_cli("convert", str(SAMPLES / "cnn.py"), "-o", str(out))
    assert r.exit_code == 0 and out.read_text().startswith("# Converted")
    out.write_text("keep me")
    r = run_cli("convert", str(SAMPLES / "cnn.py"), "-o", str(out))
    assert r.exit_code == 2 and out.read_text() == "keep me"
    r = run_cli("convert", str(SAMPLES / "cnn.py"), "-o", str(out), "--force")
    assert r.exit_code == 0 and out.read_text() != "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["cnn.yaml"]  # no temporary file left behind


def test_cli_convert_error_writes_nothing(tmp_path, run_cli):
    bad = tmp_path / "bad.py"
    bad.write_text("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dens(3)])\n")
    out = tmp_path / "out.yaml"
    r = run_cli("convert", str(bad), "-o", str(out))
    assert r.exit_code == 2 and "unknown layer type 'Dens'" in r.output
    assert not out.exists()


def test_cli_model_option(tmp_path, run_cli):
    src = tmp_path / "two.py"
    src.write_text("from keras import Sequential, Input\nfrom keras.layers import Dense\n"
                   "a = Sequential([Input((2,)), Dense(1)])\nb = Sequential([Input((3,)), Dense(1)])\n")
    assert "input: [3]" in run_cli("convert", str(src)).output
    assert "input: [2]" in run_cli("convert", str(src), "--model", "a").output
    r = run_cli("summary", str(src), "--model", "c")
    assert r.exit_code == 2 and "a, b" in r.output


def test_yaml_and_json_bombs_end_quickly_with_exit_2(tmp_path, run_cli):
    laughs = ["description:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"  a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
               for i in range(1, 10)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(laughs) + "\ninput: [4]\nlayers:\n  - Dense(2)\n")
    r = run_cli("summary", str(bomb))
    assert r.exit_code == 2 and "alias bomb" in r.output
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"class_name": "Functional", "config": {"layers": [[0] * 10] * 1000, "name": "x"}}))
    r = run_cli("summary", str(big))
    assert r.exit_code == 2 and "error:" in r.output
