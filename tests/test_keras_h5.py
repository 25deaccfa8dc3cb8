"""HDF5 model files (``model.save('model.h5')``: Keras 2's default format and Keras 3's legacy
one): the ``model_config`` attribute is the model, ``training_config`` its compile settings; the
weights are never read. Expected numbers come from the real Keras models the tests save."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.engine import analyze
from archcalc.readers import load

DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.keras  # h5py comes with TensorFlow (the keras extra)


def _summary_json(path: Path) -> dict:
    result = CliRunner().invoke(cli, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_keras_h5_file_reads_as_keras_built_it(tmp_path):
    import keras

    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(),
                              keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    path = tmp_path / "model.h5"
    model.save(path)
    analysis = analyze(load(path))
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    assert (analysis.total_params, analysis.trainable_params) == (model.count_params(), trainable)
    assert analysis.non_trainable_params == model.count_params() - trainable
    assert [r.output_shape for r in analysis.rows[1:]] == [tuple(layer.output.shape) for layer in model.layers]
    comp = analysis.graph.compile
    assert comp["optimizer"]["class_name"] == "SGD" and comp["optimizer"]["config"]["momentum"] == 0.9
    assert comp["loss"] == "sparse_categorical_crossentropy"
    assert _summary_json(path)["memory"]["optimizer"] == "sgd"


def test_a_keras_2_h5_file_reads_as_its_json(tmp_path):
    """A tf.keras 2 model config (tests/data/tf_keras2_ops.json, written by tf_keras 2.21 with
    the counts tf_keras reported) in an HDF5 file as Keras 2 saves it, with a Keras 2
    training_config (``Custom>SGD``, metrics in MeanMetricWrapper)."""
    import h5py

    fixture = json.loads((DATA / "tf_keras2_ops.json").read_text())
    config = json.dumps(fixture["model"])
    training = {"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper",
                                               "config": {"name": "mae", "dtype": "float32", "fn": "mae"}}]],
                "weighted_metrics": None, "loss_weights": None,
                "optimizer_config": {"class_name": "Custom>SGD", "config": {"name": "SGD", "learning_rate": 0.01,
                                                                            "momentum": 0.9}}}
    path = tmp_path / "k2.h5"
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = config
        f.attrs["training_config"] = json.dumps(training)
    from_h5 = analyze(load(path))
    assert (from_h5.trainable_params, from_h5.non_trainable_params) == \
        (fixture["trainable_params"], fixture["non_trainable_params"])
    for name, shape in fixture["expected_shapes"].items():
        assert list(from_h5.by_name[name].output_shape) == shape
    comp = from_h5.graph.compile
    assert comp["optimizer"]["class_name"] == "SGD" and comp["metrics"] == ["mae"]


def _one_error(path: Path, *words: str) -> None:
    result = CliRunner().invoke(cli, ["summary", str(path)])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    for w in words:
        assert w in errors[0], result.output


def test_a_weights_only_file_says_what_it_holds(tmp_path):
    import h5py

    path = tmp_path / "w.weights.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=[1.0, 2.0])
    _one_error(path, "holds weights but no model config")


@pytest.mark.parametrize("data", [b"not an hdf5 file\n", b"\x89HDF\r\n\x1a\n" + b"\x00" * 40])
def test_a_damaged_h5_file_is_a_clear_error(tmp_path, data):
    path = tmp_path / "bad.h5"
    path.write_bytes(data)
    _one_error(path, "not a readable HDF5 model file")


def test_an_h5_model_config_of_the_wrong_type_is_a_clear_error(tmp_path):
    import h5py

    path = tmp_path / "odd.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = '{"class_name": "Sequential", "config": [1]}'
    _one_error(path, "has no config")
