"""`archcalc train`: the notes' 64-64-10 ANN on scikit-learn's digits, and every way the
data and the model can disagree (exit 2, no file written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("sklearn")

ROOT = Path(__file__).resolve().parent.parent
ANN = str(ROOT / "samples/ann_64_64_10.yaml")


def spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


@pytest.mark.keras
def test_notes_ann_learns_digits_and_saves_a_loadable_model(run_cli, tmp_path):
    import keras

    out = tmp_path / "ann.keras"
    result = run_cli("train", ANN, "--data", "digits", "--epochs", "30", "--output", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    from tests.test_json_schemas import valid

    valid("train", report)  # the published schema (archcalc/schemas/train.schema.json)
    assert report["epochs"] == 30
    assert len(report["history"]["loss"]) == 30 and "val_accuracy" in report["history"]
    assert set(report["evaluation"]) == {"loss", "accuracy"}
    assert report["evaluation"]["accuracy"] >= 0.9
    model = keras.saving.load_model(out)
    assert model.count_params() == 4810
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.keras"]  # no temporary file left


@pytest.mark.keras
def test_defaults_said_aloud_reshape_csv_and_mirrored(run_cli, tmp_path):
    import keras

    # digits as 8 x 8 x 1 images, no compile section: the loss comes from the softmax output
    cnn = spec(tmp_path, "input: [8, 8, 1]\nlayers:\n  - Conv2D(4, 3)\n  - Flatten()\n"
                         "  - Dense(10, activation='softmax')\n")
    out = tmp_path / "cnn.keras"
    result = run_cli("train", cnn, "--data", "digits", "--epochs", "1", "--output", str(out),
                     "--strategy", "mirrored")
    assert result.exit_code == 0, result.output
    assert "sparse_categorical_crossentropy" in result.output and "chosen from the output" in result.output
    assert "reshaped from (64,) to the input (8, 8, 1)" in result.output
    assert "MirroredStrategy" in result.output
    assert keras.saving.load_model(out).count_params() == (9 + 1) * 4 + (6 * 6 * 4 + 1) * 10

    csv = tmp_path / "points.csv"
    rows = ["a,b,kind"] + [f"{i % 7},{(i * 3) % 5},{'yes' if i % 2 else 'no'}" for i in range(60)]
    csv.write_text("\n".join(rows) + "\n")
    binary = spec(tmp_path, "input: [2]\nlayers:\n  - Dense(4, activation='relu')\n"
                            "  - Dense(1, activation='sigmoid')\n", "bin.yaml")
    result = run_cli("train", binary, "--data", str(csv), "--label", "kind", "--epochs", "1",
                     "--output", str(tmp_path / "bin.keras"), "--json")
    assert result.exit_code == 0, result.output
    assert "binary_crossentropy" in result.output
    assert "accuracy" in json.loads(result.output.strip().splitlines()[-1])["evaluation"]


MISMATCHES = [
    ("input: [28, 28, 1]\nlayers:\n  - Flatten()\n  - Dense(10, activation='softmax')\n",
     "digits", "has 64 features per sample but the model's input (28, 28, 1) holds 784"),
    ("input: [64]\nlayers:\n  - Dense(1, activation='sigmoid')\n",
     "digits", "10 classes but the output Dense(1, activation='sigmoid') has a single unit"),
    ("input: [13]\nlayers:\n  - Dense(10, activation='softmax')\n"
     "compile: {optimizer: adam, loss: categorical_crossentropy}\n",
     "wine", "3 classes but the output Dense(10, activation='softmax') has 10 unit(s)"),
    ("input: [64]\nlayers:\n  - Dense(10)\n  - Reshape((5, 2))\n",
     "digits", "needs an output of shape (None, units)"),
]


@pytest.mark.parametrize("text,data,message", MISMATCHES)
def test_data_model_mismatch_is_exit_2_without_output(run_cli, tmp_path, text, data, message):
    out = tmp_path / "m.keras"
    result = run_cli("train", spec(tmp_path, text), "--data", data, "--output", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


@pytest.mark.parametrize("content,message", [
    ("1,2,0\n3,4\n", "row has 2 columns, expected 3"),
    ("1,2,0\n3,oops,1\n", "holds 'oops', which is not a number"),
    ("", "the CSV file is empty"),
])
def test_corrupt_csv_is_exit_2(run_cli, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    out = tmp_path / "m.keras"
    result = run_cli("train", ANN, "--data", str(bad), "--output", str(out))
    assert result.exit_code == 2, result.output
    assert message in result.output and "bad.csv" in result.output
    assert not out.exists()


def test_missing_file_unknown_source_and_bad_npz_are_exit_2(run_cli, tmp_path):
    out = tmp_path / "m.keras"
    for data, message in [(str(tmp_path / "nope.npz"), "does not exist"),
                          ("mnist", "unknown data source 'mnist'")]:
        result = run_cli("train", ANN, "--data", data, "--output", str(out))
        assert result.exit_code == 2 and message in result.output, result.output
    import numpy as np

    npz = tmp_path / "d.npz"
    np.savez(npz, features=np.zeros((4, 64)))
    result = run_cli("train", ANN, "--data", str(npz), "--output", str(out))
    assert result.exit_code == 2 and "no array named 'x', 'y'" in result.output
    assert run_cli("train", str(tmp_path / "missing.yaml"), "--output", str(out)).exit_code == 2
    assert run_cli("train", ANN, "--output", str(tmp_path / "m.h5")).exit_code == 2
    assert not out.exists()


def test_npz_dataset_reads_x_and_y(tmp_path):
    import numpy as np

    from archcalc.keras_bridge.datasets import load

    np.savez(tmp_path / "d.npz", x=np.arange(12, dtype="float64").reshape(4, 3), y=np.array([3, 5, 3, 5]))
    data = load(str(tmp_path / "d.npz"))
    assert data.sample_shape == (3,) and data.classes == [3, 5] and list(data.y) == [0, 1, 0, 1]


def test_auto_data_takes_each_outputs_loss_from_the_spec(tmp_path):
    """compile: loss keyed by output (the one compile reader): that output's loss is the spec's;
    an output the mapping leaves out gets the loss its task and activation call for."""
    from archcalc.keras_bridge.train_data import from_task
    from archcalc.keras_bridge.train_plan import TrainOptions
    from archcalc.readers import load
    from tests.conftest import SAMPLES

    text = (SAMPLES / "multi_input.yaml").read_text() + "compile:\n  loss: {priority: mse}\n"
    spec = tmp_path / "multi.yaml"
    spec.write_text(text)
    prep = from_task(load(spec), TrainOptions(data="auto", samples=64), lambda _: None)
    losses = {t.name: t.loss for t in prep.targets}
    assert losses["priority"] == "mse"
    assert losses["department"] != "mse"
