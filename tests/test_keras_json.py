"""The Keras model-file front-end (.json from model.to_json(), .keras from model.save()).

Expected numbers come from real Keras models built in the tests (marked `keras`); the
files are stripped of every shape hint (build_config, the shapes of __keras_tensor__
entries) before archcalc reads them, so the engine computes every shape from configs.
Hostile-input tests need no TensorFlow.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.errors import SpecError
from archcalc.readers import load
from archcalc.readers.keras_json import load_config

ROOT = Path(__file__).resolve().parent.parent

# smallest input sizes keras.applications accepts, to keep the builds quick
APPS = {
    "ResNet50": (32, 32, 3),
    "MobileNetV2": (32, 32, 3),
    "DenseNet121": (32, 32, 3),
    "InceptionV3": (75, 75, 3),
    "EfficientNetB0": (32, 32, 3),
    "Xception": (71, 71, 3),
    "ConvNeXtTiny": (32, 32, 3),  # its LayerScale layers ship inside Keras
    "InceptionResNetV2": (75, 75, 3),  # its CustomScaleLayer too
}


def strip_hints(obj):
    """Delete build_config and the shape of every __keras_tensor__ (in place)."""
    if isinstance(obj, dict):
        obj.pop("build_config", None)
        obj.pop("build_input_shape", None) if obj.get("layers") and obj.get("input_layers") else None
        if obj.get("class_name") == "__keras_tensor__":
            obj["config"].pop("shape", None)
        for v in obj.values():
            strip_hints(v)
    elif isinstance(obj, list):
        for v in obj:
            strip_hints(v)
    return obj


def _count(weights) -> int:
    return sum(math.prod(int(d) for d in w.shape) for w in weights)


def _shape(t):
    if isinstance(t, (list, tuple)) and t and not isinstance(t[0], (int, type(None))):
        return [_shape(x) for x in t]
    return tuple(None if d is None else int(d) for d in t.shape)


def keras_rows(model) -> dict:
    """layer name -> (output shape, trainable, non-trainable), from Keras itself."""
    return {
        layer.name: (_shape(layer.output), _count(layer.trainable_weights), _count(layer.non_trainable_weights))
        for layer in model.layers
    }


def assert_matches_keras(model, graph) -> None:
    result = analyze(graph)
    want = keras_rows(model)
    for name, (shape, trainable, non_trainable) in want.items():
        row = result.by_name[name]
        got_shape = row.output_shape if not isinstance(row.output_shape, list) else list(row.output_shape)
        assert (got_shape, row.trainable_params, row.non_trainable_params) == (shape, trainable, non_trainable), name
    assert result.total_params == model.count_params()
    assert result.trainable_params == _count(model.trainable_weights)


def write_stripped(model, path: Path) -> Path:
    path.write_text(json.dumps(strip_hints(json.loads(model.to_json()))))
    return path


# --- keras.applications ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_files(tmp_path_factory):
    keras = pytest.importorskip("keras")
    out = {}
    tmp = tmp_path_factory.mktemp("apps")
    for name, shape in APPS.items():
        model = getattr(keras.applications, name)(weights=None, input_shape=shape)
        out[name] = (model, write_stripped(model, tmp / f"{name}.json"))
    return out


@pytest.mark.keras
@pytest.mark.parametrize("name", list(APPS))
def test_application_matches_keras_layer_by_layer(app_files, name):
    model, path = app_files[name]
    text = path.read_text()
    assert '"build_config"' not in text and '"shape"' not in text.replace('"batch_shape"', "")
    assert_matches_keras(model, load(path))


@pytest.mark.keras
@pytest.mark.parametrize("name", list(APPS))
def test_application_converts_to_an_equivalent_spec(app_files, name):
    from archcalc.readers.to_yaml import to_yaml
    from archcalc.readers.yaml_spec import load_text

    model, path = app_files[name]
    again = analyze(load_text(to_yaml(load(path)), "converted.yaml"))
    assert again.total_params == model.count_params()
    assert again.trainable_params == _count(model.trainable_weights)
    assert again.output_shapes == [_shape(model.output)]


@pytest.mark.keras
def test_reading_applications_imports_no_tensorflow(app_files):
    paths = [str(p) for _, p in app_files.values()]
    code = (
        "import sys\n"
        "from archcalc.readers import load\nfrom archcalc.engine import analyze\n"
        f"for p in {paths!r}:\n    analyze(load(p))\n"
        "bad = [m for m in ('tensorflow', 'keras', 'numpy') if m in sys.modules]\n"
        "assert not bad, bad\nprint('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


# --- nested models, shared layers, several inputs and outputs ---------------------------------


@pytest.mark.keras
def test_nested_shared_multi_io_json_and_keras_archive(tmp_path):
    keras = pytest.importorskip("keras")
    from keras import layers

    a = keras.Input((8,), name="a")
    b = keras.Input((8,), name="b")
    shared = layers.Dense(6, name="shared")
    tower = keras.Sequential([layers.Dense(5), layers.BatchNormalization(), layers.Dense(3)], name="tower")
    frozen = keras.Sequential([keras.Input((6,)), layers.Dense(4)], name="frozen")
    frozen.trainable = False
    xa, xb = tower(shared(a)), tower(shared(b))  # shared layer and shared nested model
    merged = layers.concatenate([xa, xb, frozen(shared(a))], name="merged")
    model = keras.Model({"a": a, "b": b}, {"score": layers.Dense(1, name="score")(merged), "emb": xa})
    graph = load(write_stripped(model, tmp_path / "m.json"))
    assert_matches_keras(model, graph)
    assert graph.inputs == ["a", "b"]
    assert set(graph.nodes) >= {"shared", "tower", "frozen", "merged", "score"}

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.save(tmp_path / "m.keras")
    g2 = load(tmp_path / "m.keras")
    assert analyze(g2).total_params == model.count_params()
    assert g2.compile["optimizer"]["class_name"] == "Adam"
    assert g2.compile["optimizer"]["config"]["learning_rate"] == pytest.approx(1e-3)
    assert g2.compile["loss"] == "mse"


@pytest.mark.keras
def test_sequential_json_keeps_layer_names_and_sequential_flag(tmp_path):
    keras = pytest.importorskip("keras")
    from keras import layers

    keras.backend.clear_session()  # Keras's automatic names ("flatten") count per session
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3, name="c1"), layers.Flatten(),
                              layers.Dense(10, name="head")])
    graph = load(write_stripped(model, tmp_path / "s.json"))
    assert graph.sequential
    assert [n for n in graph.nodes if not graph.nodes[n].is_input] == ["c1", "flatten", "head"]
    assert_matches_keras(model, graph)


# --- custom layers -----------------------------------------------------------------------------


def _custom_config() -> dict:
    def layer(cls, name, cfg, src):
        return {"class_name": cls, "name": name, "config": {"name": name, **cfg},
                "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
                                             "config": {"keras_history": [src, 0, 0]}}], "kwargs": {}}]}
    return {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [None, 16, 16, 3]},
                 "inbound_nodes": []},
                layer("PatchEmbed", "patches", {"patch_size": 4, "dim": 32}, "x"),
                layer("Scale", "scale", {"units": 32}, "patches"),
                layer("MysteryLayer", "mystery", {}, "scale"),
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["mystery", 0, 0]],
        },
    }


def test_unknown_layer_classes_are_listed(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_custom_config()))
    with pytest.raises(SpecError) as e:
        load(path)
    assert "MysteryLayer, PatchEmbed, Scale" in e.value.message
    assert "archcalc-layers.yaml" in e.value.hint


def test_custom_layers_file_declares_shapes_and_weights(tmp_path):
    cfg = _custom_config()
    cfg["config"]["layers"].pop()
    cfg["config"]["output_layers"] = [["scale", 0, 0]]
    (tmp_path / "m.json").write_text(json.dumps(cfg))
    (tmp_path / "archcalc-layers.yaml").write_text(
        "layers:\n"
        "  PatchEmbed:\n"
        "    args: [patch_size, dim]\n"
        "    output: '(input[0], (input[1] // patch_size) * (input[2] // patch_size), dim)'\n"
        "    weights: {kernel: [patch_size, patch_size, 'input[-1]', dim], bias: [dim]}\n"
        "  Scale:\n"
        "    args: [units]\n"
        "    output: input\n"
        "    non_trainable_weights: {gamma: [units]}\n"
    )
    result = analyze(load(tmp_path / "m.json"))
    assert result.by_name["patches"].output_shape == (None, 16, 32)
    assert result.by_name["patches"].trainable_params == 4 * 4 * 3 * 32 + 32
    assert result.by_name["scale"].non_trainable_params == 32
    from archcalc.layers.registry import REGISTRY

    assert "PatchEmbed" not in REGISTRY  # declared only while that model is read


def test_custom_layers_cannot_replace_builtins(tmp_path):
    (tmp_path / "m.json").write_text(json.dumps(_custom_config()))
    (tmp_path / "archcalc-layers.yaml").write_text("layers:\n  Dense:\n    args: []\n    output: input\n")
    with pytest.raises(SpecError, match="built-in"):
        load(tmp_path / "m.json")


# --- hostile and broken files: exit 2, a clear message, quickly -------------------------------


def _cli(*args):
    from click.testing import CliRunner

    from archcalc.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_truncated_json_is_a_clear_error(tmp_path):
    text = json.dumps(_custom_config())
    path = tmp_path / "t.json"
    path.write_text(text[: len(text) // 2])
    r = _cli("summary", str(path))
    assert r.exit_code == 2
    assert "invalid JSON" in r.output and "truncated" in r.output


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    r = _cli("summary", str(path))
    assert r.exit_code == 2
    assert "error:" in r.output


def test_json_that_is_not_a_model(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}')
    r = _cli("summary", str(path))
    assert r.exit_code == 2 and "not a Keras model config" in r.output


def test_zip_bomb_is_refused_without_expanding(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.json", b" " * (20 * 1024 * 1024))  # 20 MB of spaces, ~20 KB zipped
    assert path.stat().st_size < 1024 * 1024
    r = _cli("summary", str(path))
    assert r.exit_code == 2
    assert "too large" in r.output or "zip bomb" in r.output


def test_zip_with_escaping_path_is_refused(tmp_path):
    path = tmp_path / "evil.keras"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", json.dumps(_custom_config()))
        zf.writestr("../../evil.txt", "x")
    r = _cli("summary", str(path))
    assert r.exit_code == 2 and "unsafe path" in r.output
    assert not (tmp_path.parent / "evil.txt").exists()


def test_truncated_archive_is_a_clear_error(tmp_path):
    good = tmp_path / "good.keras"
    with zipfile.ZipFile(good, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.json", json.dumps(_custom_config()) * 3)
    data = good.read_bytes()
    bad = tmp_path / "bad.keras"
    bad.write_bytes(data[: len(data) // 2])
    r = _cli("summary", str(bad))
    assert r.exit_code == 2 and "not a valid .keras archive" in r.output


def test_load_config_accepts_keras2_style_nodes():
    cfg = {
        "class_name": "Functional",
        "config": {
            "name": "old",
            "layers": [
                {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [None, 4]},
                 "inbound_nodes": []},
                {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 3}, "inbound_nodes": [[["in", 0, 0, {}]]]},
            ],
            "input_layers": [["in", 0, 0]],
            "output_layers": [["d", 0, 0]],
        },
    }
    assert analyze(load_config(cfg, "old.json")).total_params == 4 * 3 + 3


@pytest.mark.keras
def test_text_model_with_embedding(tmp_path):
    """Embedding's input_dim is a real argument, not a shape hint to drop."""
    import keras
    from keras import layers

    inp = keras.Input((20,))
    x = layers.Embedding(500, 16)(inp)
    x = layers.Bidirectional(layers.GRU(8))(x)
    model = keras.Model(inp, layers.Dense(1, activation="sigmoid")(x))
    assert_matches_keras(model, load(write_stripped(model, tmp_path / "text.json")))


@pytest.mark.keras
def test_multi_output_layers_read_by_index(tmp_path):
    """keras_history's tensor index picks one output of LSTM(return_state=True)."""
    import keras
    from keras import layers

    inp = keras.Input((None, 10))
    out, h, c = layers.LSTM(32, return_state=True)(inp)
    both = layers.Concatenate()([out, layers.Dense(8)(h), c])
    model = keras.Model(inp, [both, h])
    graph = load(write_stripped(model, tmp_path / "states.json"))
    assert_matches_keras(model, graph)
    assert analyze(graph).output_shapes == [(None, 72), (None, 32)]


@pytest.mark.keras
@pytest.mark.parametrize("suffix", [".json", ".keras"])
def test_rnn_over_cells_and_stacked_cells_reads_like_keras(tmp_path, suffix):
    """Issue 23 item 6: RNN(cell), RNN(StackedRNNCells([...])) and RNN([cells]) in saved files."""
    import keras

    inp = keras.Input((10, 5))
    x = keras.layers.RNN(keras.layers.StackedRNNCells([keras.layers.LSTMCell(8), keras.layers.GRUCell(4)]),
                         return_sequences=True)(inp)
    x = keras.layers.RNN([keras.layers.SimpleRNNCell(6), keras.layers.LSTMCell(3)], return_sequences=True)(x)
    x = keras.layers.RNN(keras.layers.GRUCell(5, reset_after=False))(x)
    model = keras.Model(inp, keras.layers.Dense(2)(x))
    path = tmp_path / f"rnn{suffix}"
    if suffix == ".json":
        path.write_text(model.to_json())
    else:
        model.save(path)
    assert_matches_keras(model, load(path))
