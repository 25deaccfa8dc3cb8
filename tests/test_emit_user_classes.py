"""emit of models whose layers are the user's own classes (a Keras layer subclass, a Lambda):
the emitted program carries the class's code as the file wrote it, with what it uses (helper
functions, constants, imports), and builds the same model in real Keras. archcalc itself never
runs that code: to_keras refuses, and says to run the emitted file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.readers import load

pytestmark = pytest.mark.keras

TRANSFORMER = """
import keras
from keras import layers

EMBED = 32
HEADS = 2


def feed_forward(dim, hidden):
    return keras.Sequential([layers.Dense(hidden, activation="relu"), layers.Dense(dim)])


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = feed_forward(embed_dim, ff_dim)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn = self.dropout1(self.att(inputs, inputs), training=training)
        out1 = self.layernorm1(inputs + attn)
        return self.layernorm2(out1 + self.ffn(out1))


(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=2000)
inputs = layers.Input(shape=(100,))
x = layers.Embedding(2000, EMBED)(inputs)
x = TransformerBlock(EMBED, HEADS, ff_dim=64)(x)
x = layers.GlobalAveragePooling1D()(x)
model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
model.fit(x_train, y_train, epochs=2)
"""

CLASS_TOKEN = """
import keras
from keras import layers, ops


class ClassToken(layers.Layer):
    def build(self, input_shape):
        self.hidden = input_shape[-1]
        self.cls = self.add_weight(shape=(1, 1, self.hidden), initializer="zeros")

    def call(self, inputs):
        cls = ops.broadcast_to(self.cls, [ops.shape(inputs)[0], 1, self.hidden])
        return ops.concatenate([cls, inputs], 1)


def first_token(v):
    return v[:, 0]


inputs = keras.Input((16, 32))
x = ClassToken()(inputs)
x = layers.MultiHeadAttention(4, 8)(x, x)
x = layers.Lambda(first_token)(x)
x = layers.Lambda(lambda v: ops.expand_dims(v, 1))(x)
model = keras.Model(inputs, layers.Dense(3)(x))
"""


def _emitted_counts(tmp_path: Path, run_cli, source: str) -> tuple[int, list]:
    src = tmp_path / "model.py"
    src.write_text(textwrap.dedent(source))
    out = tmp_path / "emitted.py"
    result = run_cli("emit", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    code = out.read_text() + "\nprint(model.count_params(), [tuple(t.shape) for t in model.outputs])\n"
    out.write_text(code)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    total, shapes = run.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(total), eval(shapes)  # noqa: S307  (the emitted program's own printout)


@pytest.mark.parametrize("source", [TRANSFORMER, CLASS_TOKEN], ids=["transformer_block", "class_token_lambda"])
def test_emitted_user_classes_build_the_same_model(tmp_path, run_cli, source):
    total, shapes = _emitted_counts(tmp_path, run_cli, source)
    analysis = analyze(load(tmp_path / "model.py"))
    assert total == analysis.total_params
    assert shapes == analysis.output_shapes


def test_the_emitted_file_carries_the_class_and_what_it_uses_only(tmp_path, run_cli):
    src = tmp_path / "model.py"
    src.write_text(textwrap.dedent(TRANSFORMER))
    code = run_cli("emit", str(src)).output
    for needed in ("class TransformerBlock(layers.Layer):", "def feed_forward(dim, hidden):",
                   "TransformerBlock(32, 2, ff_dim=64)"):
        assert needed in code
    assert "load_data" not in code and "fit(" not in code and "EMBED = 32" not in code


def test_to_keras_never_runs_the_users_class(tmp_path):
    import archcalc
    from archcalc.errors import UsageError

    src = tmp_path / "model.py"
    src.write_text(textwrap.dedent(CLASS_TOKEN))
    with pytest.raises(UsageError) as e:
        archcalc.to_keras(load(src))
    assert "never runs your code" in e.value.message and "archcalc emit" in (e.value.hint or "")
