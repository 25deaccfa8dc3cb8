"""The Keras bridge against real Keras: emitted code, to_keras, verify and live models.

Every sample (globbed at test time, so new samples are covered) must emit code that
passes ruff, runs, and builds a model with archcalc's parameter total and layer names;
``verify`` must pass on it, and fail (exit 1) when a layer rule is broken on purpose.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("keras")

import archcalc  # noqa: E402
from archcalc.engine import analyze  # noqa: E402
from archcalc.errors import SpecError  # noqa: E402
from archcalc.keras_bridge.codegen import generate  # noqa: E402
from archcalc.readers import load  # noqa: E402

pytestmark = pytest.mark.keras

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def _stem(p) -> str:
    return (p.values[0] if hasattr(p, "values") else p).stem


@pytest.fixture(scope="module")
def keras():
    import keras

    return keras


def run_code(keras, code: str, filename: str):
    """Execute generated code from a fresh Keras name state; returns its `model`."""
    keras.backend.clear_session(free_memory=False)
    namespace: dict = {}
    exec(compile(code, filename, "exec"), namespace)
    return namespace["model"]


def layer_names(model) -> list[str]:
    return sorted(lyr.name for lyr in model.layers if type(lyr).__name__ != "InputLayer")


def archcalc_layer_names(graph) -> list[str]:
    return sorted(n.name for n in graph.nodes.values() if not n.is_input and not n.shared_with)


@pytest.mark.parametrize("path", SAMPLES, ids=[_stem(p) for p in SAMPLES])
def test_sample_emits_code_that_builds_the_same_model(keras, path):
    graph = load(path)
    total = analyze(graph).total_params
    code = generate(graph)
    model = run_code(keras, code, str(path))
    assert model.count_params() == total
    assert layer_names(model) == archcalc_layer_names(graph)
    if graph.compile:
        assert model.optimizer is not None and "model.compile(" in code


def test_emitted_code_passes_ruff(tmp_path):
    for path in sorted((ROOT / "samples").glob("*.yaml")):
        for style in ("auto", "functional"):
            (tmp_path / f"{path.stem}_{style}.py").write_text(generate(load(path), style))
    # ruff's defaults, and the project's own stricter rule set
    for args in ([], ["--config", str(ROOT / "pyproject.toml")]):
        result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args, str(tmp_path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_emitted_file_runs_as_a_script(tmp_path, run_cli):
    script = tmp_path / "model.py"
    assert run_cli("emit", str(ROOT / "samples/ann_64_64_10.yaml"), "-o", str(script)).exit_code == 0
    script.write_text(script.read_text() + "\nprint(model.count_params())\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "4810"


@pytest.mark.parametrize("path", SAMPLES, ids=[_stem(p) for p in SAMPLES])
def test_verify_passes_on_every_sample(keras, path):
    from archcalc.keras_bridge.verify import verify

    keras.backend.clear_session(free_memory=False)
    report = verify(load(path))
    assert report.ok, [(c.name, c.archcalc_shape, c.keras_shape, c.archcalc_trainable, c.keras_trainable)
                       for c in report.mismatches]
    assert report.keras_total == report.archcalc_total
    assert "Total params" in report.keras_summary


def test_verify_cli_exit_codes_and_notes(run_cli):
    result = run_cli("verify", str(ROOT / "samples/gru.yaml"))
    assert result.exit_code == 0, result.output
    assert "reset_after" in result.output and "14,592" in result.output and "14,400" in result.output
    assert "Keras's own model.summary()" in result.output and "Total params: 28,992" in result.output
    bn = run_cli("verify", str(ROOT / "samples/resnet_blocks.yaml"))
    assert bn.exit_code == 0 and "non-trainable" in bn.output
    assert run_cli("verify", str(ROOT / "samples/missing.yaml")).exit_code == 2


def test_verify_exits_1_when_a_layer_rule_is_broken(run_cli, monkeypatch):
    import archcalc.layers.core as core

    real = core.Dense.weights

    def no_bias(self, inputs):  # a deliberately wrong rule: forget the bias
        return [w for w in real(self, inputs) if w.name != "bias"]

    monkeypatch.setattr(core.Dense, "weights", no_bias)
    result = run_cli("verify", str(ROOT / "samples/ann_64_64_10.yaml"))
    assert result.exit_code == 1, result.output
    assert "archcalc 4,096" in result.output and "Keras    4,160" in result.output
    assert "disagree" in result.output


def test_verify_explains_a_notes_convention_instead_of_a_mismatch(keras, monkeypatch):
    """If the GRU rule followed the notes (one bias row), verify says so in a note."""
    import archcalc.layers.recurrent as rec
    from archcalc.keras_bridge.verify import verify

    real = rec.GRU.weights

    def notes_gru(self, inputs):
        ws = real(self, inputs)
        return [type(w)(w.name, (w.shape[-1],), w.trainable) if w.name == "bias" else w for w in ws]

    monkeypatch.setattr(rec.GRU, "weights", notes_gru)
    graph = archcalc.load_text("input: [null, 10]\nlayers:\n  - GRU(64)\n", "g.yaml")
    report = verify(graph)
    (check,) = [c for c in report.checks if c.type == "GRU"]
    assert check.archcalc_trainable == 14_400 and check.keras_trainable == 14_592
    assert check.explained and check.ok and "reset_after" in check.note
    assert report.ok


def test_to_keras_returns_a_compiled_model_with_archcalc_names(keras):
    model = archcalc.to_keras(str(ROOT / "samples/unet.yaml"))
    graph = load(ROOT / "samples/unet.yaml")
    assert model.count_params() == analyze(graph).total_params
    assert layer_names(model) == archcalc_layer_names(graph)
    assert model.optimizer is not None
    seq = archcalc.to_keras(load(ROOT / "samples/cnn.yaml"))
    assert isinstance(seq, keras.Sequential)


def test_emit_from_python_and_json_front_ends(keras, tmp_path):
    py = tmp_path / "net.py"
    py.write_text(
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
        "inputs = keras.Input(shape=(32, 32, 3))\n"
        "x = layers.Conv2D(16, 3, activation='relu')(inputs)\n"
        "skip = x\n"
        "x = layers.Conv2D(16, 3, padding='same')(x)\n"
        "x = layers.add([x, skip])\n"
        "x = layers.GlobalAveragePooling2D()(x)\n"
        "outputs = layers.Dense(10, activation='softmax')(x)\n"
        "model = keras.Model(inputs, outputs)\n"
        "model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy')\n"
    )
    graph = load(py)
    model = run_code(keras, generate(graph), str(py))
    assert model.count_params() == analyze(graph).total_params

    keras.backend.clear_session(free_memory=False)
    inp = keras.Input(shape=(None, 8), name="tokens")
    enc = keras.layers.LSTM(16, return_sequences=True, name="enc")
    a = enc(inp)
    b = keras.layers.Bidirectional(keras.layers.GRU(4))(a)
    original = keras.Model(inp, [b, keras.layers.Dense(2)(b)], name="from_json")
    js = tmp_path / "net.json"
    js.write_text(original.to_json())
    graph = load(js)
    model = run_code(keras, generate(graph), str(js))
    assert model.count_params() == original.count_params() == analyze(graph).total_params
    assert layer_names(model) == layer_names(original)


def test_analyze_live_sequential_functional_and_subclassed(keras):
    model = archcalc.to_keras(str(ROOT / "samples/gru.yaml"))  # functional, two outputs
    result = archcalc.analyze(model)
    assert result.total_params == model.count_params() == 28_992
    assert result.by_name["notes_formula"].output_shape == (None, 64)
    seq = archcalc.to_keras(str(ROOT / "samples/lenet5.yaml"))
    assert isinstance(seq, keras.Sequential)
    result = archcalc.analyze(seq)
    assert result.total_params == seq.count_params()
    assert result.by_name["C1"].output_shape == (None, 28, 28, 6)

    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.conv = keras.layers.Conv2D(4, 3, name="conv")
            self.pool = keras.layers.GlobalAveragePooling2D(name="pool")
            self.out = keras.layers.Dense(3, name="out")

        def call(self, x):
            return self.out(self.pool(self.conv(x)))

    import numpy as np

    net = Net()
    net(np.zeros((2, 12, 12, 2), dtype="float32"))  # built by a first call, as in a notebook
    result = archcalc.analyze(net)
    assert result.total_params == net.count_params()
    assert result.by_name["conv"].output_shape == (None, 10, 10, 4)
    assert result.by_name["conv"].rf is not None


def test_analyze_live_unbuilt_or_untraceable_model_explains(keras):
    class Loopy(keras.Model):
        def __init__(self):
            super().__init__(name="loopy")
            self.d = keras.layers.Dense(3)

        def call(self, x):
            if float(keras.ops.sum(x)) > 0:  # needs real values: cannot be traced
                return self.d(x)
            return x

    m = Loopy()
    with pytest.raises(SpecError, match="not built"):
        archcalc.analyze(m)
    import numpy as np

    m(np.ones((1, 5), dtype="float32"))
    with pytest.raises(SpecError, match="cannot recover the layer graph") as e:
        archcalc.analyze(m)
    assert "functional API" in (e.value.hint or "")
    json.dumps(e.value.message)  # plain text


def test_convnext_helper_layers_emit_and_build_with_archcalc_counts(keras, tmp_path):
    """LayerScale and StochasticDepth (ConvNeXt's helpers, read from a saved config) are
    emitted as small classes in the code; the code and to_keras build archcalc's counts."""
    from keras.src.applications.convnext import LayerScale, StochasticDepth

    from archcalc.readers.keras_json import load_config

    keras.backend.clear_session(free_memory=False)
    inputs = keras.Input((8, 8, 16))
    x = keras.layers.Conv2D(16, 3, padding="same")(inputs)
    x = LayerScale(1e-6, 16)(x)
    x = StochasticDepth(0.1)(x)
    x = keras.layers.Add()([x, inputs])
    original = keras.Model(inputs, x)
    graph = load_config(json.loads(original.to_json()), "convnext_block.json")
    analysis = analyze(graph)
    assert analysis.total_params == original.count_params() == 16 * (9 * 16 + 1) + 16
    code = generate(graph)
    assert "class LayerScale(keras.layers.Layer):" in code and "class StochasticDepth(" in code
    assert "layers.LayerScale" not in code
    emitted = run_code(keras, code, "convnext_block.py")
    assert emitted.count_params() == analysis.total_params
    assert [w.shape for w in emitted.get_layer(
        next(n for n in graph.nodes if graph.nodes[n].type == "LayerScale")).weights] == [(16,)]
    built = archcalc.to_keras(graph)
    assert built.count_params() == analysis.total_params
    out = tmp_path / "block.keras"
    built.save(out)
    assert keras.saving.load_model(out).count_params() == analysis.total_params


def test_vae_sample_emits_a_sampling_class_and_verifies(keras, run_cli):
    path = ROOT / "samples/vae/vae.yaml"
    graph = load(path)
    code = generate(graph)
    assert "class Sampling(keras.layers.Layer):" in code
    model = run_code(keras, code, str(path))
    assert model.count_params() == analyze(graph).total_params == 101_652
    result = run_cli("verify", str(path))
    assert result.exit_code == 0, result.output
    assert "all 7 rows agree with Keras" in result.output


def test_custom_layer_without_code_is_a_clear_error(tmp_path):
    (tmp_path / "archcalc-layers.yaml").write_text(
        "layers:\n  Scale:\n    args: [units]\n    output: input\n    weights: {gamma: [units]}\n")
    spec = tmp_path / "m.yaml"
    spec.write_text("input: [4]\nlayers:\n  - Scale(4)\n")
    with pytest.raises(archcalc.errors.UsageError, match="Keras has no layer class 'Scale'"):
        archcalc.to_keras(str(spec))


def test_operation_nodes_emit_and_build(keras, tmp_path, run_cli):
    """x + 3.0 and keras.ops calls read from Python or .json become keras.ops calls in the
    emitted code, and the model they build has every shape and count archcalc gives."""
    py = tmp_path / "ops.py"
    py.write_text(
        "import keras\nfrom keras import layers, ops\n\n"
        "inputs = keras.Input(shape=(16, 8))\n"
        "x = layers.Dense(8)(inputs)\n"
        "x = x * ops.relu6(x + 3.0) / 6.0\n"
        "x = ops.mean(x, axis=1)\n"
        "outputs = layers.Dense(4)(x)\n"
        "model = keras.Model(inputs, outputs)\n"
    )
    for path in (py, ROOT / "samples" / "hard_swish_ops.json"):
        graph = load(path)
        result = analyze(graph)
        code = generate(graph)
        assert "keras.ops." in code, code
        model = run_code(keras, code, str(path))
        assert model.count_params() == result.total_params
        assert [tuple(t.shape) for t in model.outputs] == result.output_shapes
        r = run_cli("verify", str(path))
        assert r.exit_code == 0, r.output


def test_convert_refuses_operation_nodes_clearly(tmp_path, run_cli):
    out = tmp_path / "x.yaml"
    r = run_cli("convert", str(ROOT / "samples" / "hard_swish_ops.json"), "-o", str(out))
    assert r.exit_code == 2 and "operation" in r.output and "Traceback" not in r.output
    assert not out.exists()
