"""The Keras bridge without TensorFlow: generated code text, styles, errors, fast imports."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from archcalc.errors import UsageError
from archcalc.keras_bridge.codegen import generate
from archcalc.keras_bridge.codegen_layers import literal
from archcalc.readers.yaml_spec import load_text

CHAIN = """
name: tiny
input: [8]
layers:
  - Dense(10, activation='relu')
  - out: Dense(1, activation='sigmoid')
compile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}
"""

SHARED = """
name: siamese
input: {left: [16], right: [16]}
layers:
  - enc: Dense(8, activation='relu')(left)
  - enc2: enc(right)
  - Subtract()([enc, enc2])
  - Dense(1)
"""


def test_chain_is_sequential_with_compile():
    code = generate(load_text(CHAIN, "tiny.yaml"))
    ast.parse(code)
    assert "model = keras.Sequential(" in code
    assert 'layers.Dense(10, activation="relu"),' in code
    assert 'layers.Dense(1, activation="sigmoid", name="out"),' in code
    assert 'model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])' in code


def test_functional_style_can_be_forced_and_sequential_refused_for_a_graph():
    code = generate(load_text(CHAIN, "tiny.yaml"), style="functional")
    assert "model = keras.Model(inputs=inputs, outputs=out" in code
    with pytest.raises(UsageError, match="not a plain stack"):
        generate(load_text(SHARED, "s.yaml"), style="sequential")


def test_shared_layer_is_one_variable_called_twice():
    code = generate(load_text(SHARED, "s.yaml"))
    assert code.count("layers.Dense(8") == 1
    assert 'enc_layer = layers.Dense(8, activation="relu", name="enc")' in code
    assert "enc = enc_layer(left)" in code
    assert "enc2 = enc_layer(right)" in code
    assert "model = keras.Model(inputs=[left, right], outputs=" in code


def test_auto_names_are_left_to_keras_user_names_are_kept():
    # archcalc skips 'dense_1' (the user's) and calls the third layer dense_2; Keras's own
    # counter would say dense_1 there, so the code spells that name out
    text = "input: [4]\nlayers:\n  - dense_1: Dense(3)\n  - Dense(2)\n  - Dense(1)\n"
    code = generate(load_text(text, "n.yaml"))
    assert 'layers.Dense(3, name="dense_1"),' in code
    assert "layers.Dense(2)," in code  # Keras's first automatic name is 'dense' as well
    assert 'layers.Dense(1, name="dense_2"),' in code


def test_nested_layer_and_literals():
    text = "input: [null, 10]\nlayers:\n  - Bidirectional(LSTM(64, return_sequences=True))\n  - LSTM(8)\n"
    code = generate(load_text(text, "b.yaml"))
    assert "layers.Bidirectional(layers.LSTM(64, return_sequences=True))," in code
    # the inner LSTM took Keras's 'lstm', so the second LSTM (archcalc's 'lstm') is named
    assert 'layers.LSTM(8, name="lstm"),' in code
    assert literal((3,)) == "(3,)" and literal('a"b') == "'a\"b'" and literal(None) == "None"


def test_symbolic_input_sizes_become_none():
    text = "input: [H, W, 1]\nlayers:\n  - Conv2D(4, 3, padding='same')\n"
    code = generate(load_text(text, "s.yaml"))
    assert "keras.Input(shape=(None, None, 1)),  # any H, W" in code


def test_commands_import_without_tensorflow():
    code = ("import sys, archcalc.commands.bridge, archcalc.cli; "
            "from archcalc.cli import main\n"
            "bad = [m for m in ('tensorflow', 'keras', 'numpy', 'sklearn') if m in sys.modules]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_lists_the_bridge_commands(run_cli):
    out = run_cli("--help").output
    for name in ("emit", "verify", "train"):
        assert name in out


def test_emit_writes_file_atomically(run_cli, tmp_path):
    spec = tmp_path / "tiny.yaml"
    spec.write_text(CHAIN)
    out = tmp_path / "model.py"
    result = run_cli("emit", str(spec), "--output", str(out))
    assert result.exit_code == 0
    assert out.read_text() == generate(load_text(CHAIN, str(spec)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py", "tiny.yaml"]  # no temp file left


def test_emit_bad_spec_exits_2(run_cli, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("input: [8]\nlayers:\n  - Dense(10)\n  - Conv2D(3, 3)\n")
    result = run_cli("emit", str(spec))
    assert result.exit_code == 2
    assert "Conv2D" in result.output


def test_train_refuses_existing_output_without_force(run_cli, tmp_path):
    spec = tmp_path / "tiny.yaml"
    spec.write_text(CHAIN)
    out = tmp_path / "model.keras"
    out.write_bytes(b"keep me")
    result = run_cli("train", str(spec), "--output", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert out.read_bytes() == b"keep me"
