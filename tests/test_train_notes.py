"""Acceptance for `archcalc train --data auto` (issue 14): each of the course notes' models
trains from its sample on a small generated task and beats that task's baseline.

The margins are the verdict's, restated here so the test checks the numbers itself:
- a classifier's held-out accuracy is at least min(0.2, (1 - chance) / 2) above chance
  (the most common class's share: 1/K for the balanced generated classes);
- any other output's held-out loss is at most halfway from the best constant guess (the
  training targets' mean) to a perfect prediction (0 for mse).
Both can fail: an untrained model sits at chance and at the constant guess (see
test_untrained_model_does_not_beat_the_baseline). Sizes and epochs are kept small so all of
them train together in a few minutes on 2 CPU cores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.keras

ROOT = Path(__file__).resolve().parent.parent
S = ROOT / "samples"

#: sample, extra options (epochs, sizes), the task the trainer must choose
NOTES_MODELS = [
    ("cnn", S / "cnn.yaml", ["--epochs", "10"], "image-classes"),
    ("unet", S / "unet.yaml", ["--set", "size=32", "--samples", "120", "--epochs", "6"], "shape-masks"),
    ("autoencoder", S / "autoencoder.yaml", ["--epochs", "10"], "reconstruction"),
    ("vae", S / "vae" / "vae.yaml", ["--epochs", "10"], "vae-reconstruction"),
    ("simple_rnn", S / "simple_rnn.py", ["--epochs", "20"], "sequence-regression"),
    ("lstm", S / "lstm.py", ["--epochs", "10"], "sequence-regression"),
    ("gru", S / "gru.yaml", ["--epochs", "10"], "sequence-regression"),
    ("bidirectional_lstm", S / "bidirectional_lstm.yaml", ["--epochs", "8"], "sequence-regression"),
    ("sentiment", S / "sentiment.yaml", ["--epochs", "20"], "tokens-classes"),
    ("multi_input", S / "multi_input.yaml", ["--epochs", "10"], "tokens+vector-classes"),
    # batches of 8: four times the steps of 32 for the same work, so the weights settle in 5
    # epochs; the BatchNormalization statistics are then recomputed on the training split
    ("resnet_blocks", S / "resnet_blocks.yaml", ["--samples", "96", "--batch-size", "8", "--epochs", "5"],
     "reconstruction"),
]


def _train(run_cli, tmp_path, spec, *extra):
    out = tmp_path / "model.keras"
    result = run_cli("train", str(spec), "-o", str(out), "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1]), out, result.output


def _check_margins(report):
    checks = report["verdict"]["checks"]
    assert checks
    for c in checks:
        if c["metric"] == "accuracy":
            margin = min(0.2, (1 - c["baseline"]) / 2)
            assert c["value"] >= c["baseline"] + margin, c
        else:
            assert c["value"] <= c["perfect"] + (c["baseline"] - c["perfect"]) / 2, c


@pytest.mark.parametrize("name,spec,extra,task", NOTES_MODELS, ids=[m[0] for m in NOTES_MODELS])
def test_notes_model_learns_its_generated_task(run_cli, tmp_path, name, spec, extra, task):
    report, out, text = _train(run_cli, tmp_path, spec, *extra)
    assert f"task {task} " in text
    _check_margins(report)
    assert report["verdict"]["learns"] is True, report["verdict"]["text"]
    assert report["verdict"]["text"].startswith("learns: loss ")
    assert out.is_file() and out.stat().st_size > 0


def test_saved_model_reads_back_with_the_same_numbers(run_cli, tmp_path):
    report, out, _ = _train(run_cli, tmp_path, S / "cnn.yaml", "--epochs", "1", "--samples", "40")
    spec = json.loads(run_cli("summary", str(S / "cnn.yaml"), "--format", "json").output)
    saved = json.loads(run_cli("summary", str(out), "--format", "json").output)
    for key in ("total_params", "trainable_params", "non_trainable_params"):
        assert saved[key] == spec[key], key
    assert [r["output_shape"] for r in saved["layers"]] == [r["output_shape"] for r in spec["layers"]]


def test_vae_saved_model_loads_in_keras_and_summary_with_its_layers_file(run_cli, tmp_path, monkeypatch):
    import keras

    _, out, _ = _train(run_cli, tmp_path, S / "vae" / "vae.yaml", "--epochs", "1", "--samples", "40")
    model = keras.saving.load_model(out)
    assert model.count_params() == 101_652
    monkeypatch.setenv("ARCHCALC_LAYERS", str(S / "vae" / "archcalc-layers.yaml"))
    saved = json.loads(run_cli("summary", str(out), "--format", "json").output)
    assert saved["total_params"] == 101_652


def test_untrained_model_does_not_beat_the_baseline(run_cli, tmp_path):
    # one step with a zero learning rate: the verdict must say so (the margins can fail)
    text = ("input: [64, 64, 3]\nlayers:\n  - Conv2D(4, 3)\n  - Flatten()\n  - Dense(10, activation='softmax')\n"
            "compile: {optimizer: {class: SGD, learning_rate: 0.0}, loss: sparse_categorical_crossentropy}\n")
    spec = tmp_path / "frozen.yaml"
    spec.write_text(text)
    result = run_cli("train", str(spec), "--epochs", "1", "--samples", "60", "-o", str(tmp_path / "f.keras"),
                     "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["verdict"]["learns"] is False
    assert report["verdict"]["text"].startswith("does not beat its baseline")


def test_plot_is_a_png_and_progress_is_plain_without_a_terminal(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    png = tmp_path / "curves.png"
    result = run_cli("train", str(S / "sentiment.yaml"), "--epochs", "3", "--samples", "60",
                     "-o", str(tmp_path / "s.keras"), "--plot", str(png))
    assert result.exit_code == 0, result.output
    assert "epoch 1/3  " in result.output and "left)" in result.output and "\x1b[" not in result.output
    assert "learning curves: " in result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    import matplotlib.image

    image = matplotlib.image.imread(png)
    assert image.shape[0] > 100 and image.shape[1] > 300
    assert oct(png.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    # --json is quiet: no progress lines, the JSON report last
    result = run_cli("train", str(S / "sentiment.yaml"), "--epochs", "2", "--samples", "60",
                     "-o", str(tmp_path / "s.keras"), "--force", "--json")
    assert "epoch 1/2" not in result.output
    assert json.loads(result.output.strip().splitlines()[-1])["epochs"] == 2


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_train_refuses_a_device_output_and_an_existing_plot(run_cli, tmp_path):
    if os.path.exists("/dev/full"):
        link = tmp_path / "full.keras"  # a .keras name that leads to a device: a link, never written through
        link.symlink_to("/dev/full")
        result = run_cli("train", str(S / "sentiment.yaml"), "-o", str(link), "--force")
        assert result.exit_code == 2 and "it is a symbolic link" in result.output, result.output
        assert os.path.realpath(link) == "/dev/full" and not os.path.isfile("/dev/full")
    png = tmp_path / "c.png"
    png.write_bytes(b"keep")
    result = run_cli("train", str(S / "sentiment.yaml"), "-o", str(tmp_path / "m.keras"), "--plot", str(png))
    assert result.exit_code == 2 and "already exists" in result.output
    assert png.read_bytes() == b"keep" and not (tmp_path / "m.keras").exists()


def test_the_notes_subclassed_vae_trains_whole(run_cli, tmp_path):
    """Issue 23 item 6: the notes' VAE as a keras.Model subclass over an encoder and a decoder,
    with no data of known shape (its input is the encoder's own Input), and its sampling noise
    (tf.random.normal) drawn once: it builds in Keras with the counts archcalc reads, and trains."""
    import keras

    from archcalc.engine import analyze
    from archcalc.readers import load

    text = (ROOT / "tests" / "corpus" / "programs" / "notes_vae.py").read_text()
    text = text.replace("(x_train, _), (x_test, _) = tf.keras.datasets.mnist.load_data()",
                        "import numpy as np\nx_train = np.load('x.npy')\nx_test = x_train")
    spec = tmp_path / "vae.py"
    spec.write_text(text)
    result = analyze(load(spec))
    assert result.output_shapes == [(None, 784)]
    report, out, _ = _train(run_cli, tmp_path, spec, "--epochs", "1", "--samples", "40")
    assert report
    assert keras.models.load_model(out, compile=False).count_params() == result.total_params
