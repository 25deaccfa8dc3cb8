"""`archcalc train --data` on the user's own data: a folder of images (one subfolder per class,
read by keras.utils.image_dataset_from_directory at the model's size) and a CSV of labelled
texts (read through keras.layers.TextVectorization sized to the model's Embedding). The images
are drawn here with PIL, in tmp_path (no binary file is committed); the texts are
tests/data/reviews.csv. Every way the data and the model can disagree is exit 2 with the
folder's or the file's path, and no model file written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REVIEWS = ROOT / "tests" / "data" / "reviews.csv"
SENTIMENT = ROOT / "samples" / "sentiment.yaml"
ANN = ROOT / "samples" / "ann_64_64_10.yaml"

SMALL_CNN = """input: [16, 16, 1]
layers:
  - Conv2D(8, 3, activation='relu')
  - MaxPooling2D(2)
  - Flatten()
  - Dense({units}, activation='softmax')
"""


def draw_folder(root: Path, per_class: int = 20, size: tuple[int, int] = (24, 20),
                classes: tuple[str, ...] = ("bar", "column", "square"), mode: str = "RGB") -> Path:
    """PNG images of a shape per class (a horizontal bar, a vertical bar, a square) at jittered
    places, on a noisy background, larger than the model's input and in colour."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(0)
    w, h = size
    for c, name in enumerate(classes):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            noise = rng.integers(0, 40, (h, w, 3), dtype="uint8")
            img = Image.fromarray(noise, "RGB")
            pen = ImageDraw.Draw(img)
            x0, y0 = int(rng.integers(2, w // 3)), int(rng.integers(2, h // 3))
            colour = tuple(int(v) for v in rng.integers(160, 256, 3))
            if c % 3 == 0:
                pen.rectangle([x0, y0 + 4, x0 + w // 2, y0 + 7], fill=colour)
            elif c % 3 == 1:
                pen.rectangle([x0 + 4, y0, x0 + 7, y0 + h // 2], fill=colour)
            else:
                pen.rectangle([x0, y0, x0 + w // 3, y0 + w // 3], fill=colour)
            img.convert(mode).save(root / name / f"{i}.png")
    return root


def spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.keras
def test_a_folder_of_images_trains_at_the_models_size_and_channels(run_cli, tmp_path):
    import keras

    folder = draw_folder(tmp_path / "shapes")
    out = tmp_path / "cnn.keras"
    result = run_cli("train", spec(tmp_path, SMALL_CNN.format(units=3)), "--data", str(folder),
                     "--epochs", "10", "--batch-size", "8", "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "data shapes: 60 samples of 16x16x1 images, 3 classes" in text
    assert ("images: keras.utils.image_dataset_from_directory(image_size=(16, 16), color_mode='grayscale'), "
            "labels from the subfolders (bar 20, column 20, square 20)") in text
    assert "labels: bar -> 0, column -> 1, square -> 2" in text
    assert "pixels: divided by 255 (values 0..1)" in text
    assert "48 training samples" in text and "12 held out for the test" in text
    report = last_json(text)
    check = report["verdict"]["checks"][0]
    assert check["metric"] == "accuracy" and check["baseline"] == pytest.approx(1 / 3)
    assert check["value"] >= 1 / 3 + 0.2, report["verdict"]["text"]
    assert report["verdict"]["learns"] is True
    model = keras.saving.load_model(out)
    assert model.input_shape == (None, 16, 16, 1)


@pytest.mark.keras
def test_a_rescaling_first_layer_gets_the_pixels_as_read(tmp_path):
    from archcalc.keras_bridge.train_plan import load_data, plan
    from archcalc.readers import load

    folder = draw_folder(tmp_path / "shapes", per_class=2, mode="L")
    path = spec(tmp_path, "input: [8, 8, 1]\nlayers:\n  - Rescaling(1/255)\n  - Flatten()\n"
                          "  - Dense(3, activation='softmax')\n")
    graph = load(path)
    data = load_data(graph, str(folder))
    assert data.x.shape == (6, 8, 8, 1) and data.x.max() > 100  # 0..255, as Keras reads them
    p = plan(graph, data)
    assert not p.pixels and not p.scale
    assert "pixels: left at 0..255 (the model's first layer is a Rescaling)" in p.decisions


@pytest.mark.keras
@pytest.mark.parametrize("channels,mode", [(1, "grayscale"), (3, "rgb"), (4, "rgba")])
def test_the_inputs_channels_choose_the_colour_mode(tmp_path, channels, mode):
    from archcalc.keras_bridge.train_plan import load_data
    from archcalc.readers import load

    folder = draw_folder(tmp_path / "shapes", per_class=2, mode="L")  # grayscale files, any mode reads them
    graph = load(spec(tmp_path, f"input: [12, 10, {channels}]\nlayers:\n  - Flatten()\n"
                                "  - Dense(3, activation='softmax')\n"))
    data = load_data(graph, str(folder))
    assert data.x.shape == (6, 12, 10, channels) and list(data.y) == [0, 0, 1, 1, 2, 2]
    assert f"color_mode='{mode}'" in data.notes[0] and "image_size=(12, 10)" in data.notes[0]
    if channels == 4:
        assert (data.x[..., 3] == 255).all()  # opaque: the alpha channel of a file without one


def _folder(tmp_path: Path, layout: dict[str, list[str]]) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    for sub, files in layout.items():
        (root / sub).mkdir()
        for f in files:
            (root / sub / f).write_bytes(b"not an image")
    return root


@pytest.mark.parametrize("layout,message", [
    ({}, "the folder is empty"),
    ({"cats": ["1.txt"], "dogs": ["2.txt"]}, "the class folders (cats, dogs) hold no images"),
    ({"cats": ["1.png"]}, "the folder has one class only ('cats'); a classifier needs at least two"),
    ({"cats": ["1.png"], "dogs": []}, "the class folder(s) 'dogs' hold no images"),
])
def test_a_bad_folder_is_exit_2_before_tensorflow(run_cli, tmp_path, layout, message):
    folder = _folder(tmp_path, layout)
    out = tmp_path / "m.keras"
    result = run_cli("train", spec(tmp_path, SMALL_CNN.format(units=2)), "--data", str(folder), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"{folder}: error: {message}" in result.output
    assert "hint:" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_images_without_class_subfolders_are_exit_2(run_cli, tmp_path):
    folder = tmp_path / "flat"
    folder.mkdir()
    (folder / "1.png").write_bytes(b"x")
    result = run_cli("train", spec(tmp_path, SMALL_CNN.format(units=2)), "--data", str(folder),
                     "-o", str(tmp_path / "m.keras"))
    assert result.exit_code == 2
    assert f"{folder}: error: the folder holds 1 image(s) but no class subfolders" in result.output
    assert "one subfolder per class" in result.output


@pytest.mark.parametrize("text,message", [
    ("input: [64]\nlayers:\n  - Dense(2, activation='softmax')\n",
     "a folder of images needs a model whose input is an image (height, width, channels); "
     "the model's input is (64,)"),
    ("input: [null, null, 3]\nlayers:\n  - GlobalAveragePooling2D()\n  - Dense(2, activation='softmax')\n",
     "the model's input (None, None, 3) leaves the image size open"),
    ("input: [8, 8, 2]\nlayers:\n  - Flatten()\n  - Dense(2, activation='softmax')\n",
     "the model's input (8, 8, 2) has 2 channels; images have 1 (grayscale), 3 (rgb) or 4 (rgba)"),
])
def test_a_model_that_cannot_read_images_is_exit_2_at_its_input(run_cli, tmp_path, text, message):
    folder = _folder(tmp_path, {"a": ["1.png"], "b": ["2.png"]})
    path = spec(tmp_path, text)
    result = run_cli("train", path, "--data", str(folder), "-o", str(tmp_path / "m.keras"))
    assert result.exit_code == 2, result.output
    assert f"{path}:1:1: error: {message}" in result.output, result.output


@pytest.mark.keras
def test_classes_that_do_not_match_the_output_units_and_a_broken_image_are_exit_2(run_cli, tmp_path):
    folder = draw_folder(tmp_path / "shapes", per_class=2)
    out = tmp_path / "m.keras"
    result = run_cli("train", spec(tmp_path, SMALL_CNN.format(units=10)), "--data", str(folder), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "error: the data has 3 classes but the output Dense(10, activation='softmax') has 10 unit(s)" \
        in result.output
    assert "hint: make the last layer Dense(3, ...)" in result.output
    broken = folder / "square" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n but then nothing")
    result = run_cli("train", spec(tmp_path, SMALL_CNN.format(units=3)), "--data", str(folder), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"{broken}: error: cannot decode this image" in result.output
    assert "Traceback" not in result.output and not out.exists()


# --- a CSV of labelled texts ----------------------------------------------------------------

@pytest.mark.keras
def test_the_notes_sentiment_model_learns_a_csv_of_reviews(run_cli, tmp_path):
    out = tmp_path / "s.keras"
    result = run_cli("train", str(SENTIMENT), "--data", str(REVIEWS), "--epochs", "30", "--batch-size", "8",
                     "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "data reviews.csv: 48 texts, 2 classes" in text
    assert "texts: column 'text', labels: column 'label'" in text
    assert "labels: negative -> 0, positive -> 1" in text
    # sized to the model: Embedding(100, 16) and input [5]
    assert "TextVectorization(max_tokens=100) adapted on the 38 training texts" in text
    assert "for the Embedding's input_dim 100; each text cut or padded to 5 ids (the input's time axis)" in text
    report = last_json(text)
    check = report["verdict"]["checks"][0]
    assert check["baseline"] == 0.5 and check["value"] >= 0.7, report["verdict"]["text"]
    assert report["verdict"]["learns"] is True
    assert out.is_file()


@pytest.mark.keras
def test_texts_are_vectorised_to_the_embedding_with_the_vocabulary_of_the_training_split(tmp_path):
    import numpy as np

    from archcalc.keras_bridge.train_plan import TrainOptions, load_data, plan, prepare
    from archcalc.readers import load

    csv = tmp_path / "t.csv"
    csv.write_text("id,review,label\n" + "".join(
        f"{i},{'good' if i % 2 else 'bad'} film number{i} again,{i % 2}\n" for i in range(20)))
    graph = load(spec(tmp_path, "input: [3]\nlayers:\n  - Embedding(6, 4)\n  - GlobalAveragePooling1D()\n"
                                "  - Dense(1, activation='sigmoid')\n"))
    data = load_data(graph, str(csv), text_column="review")
    assert data.kind == "texts" and data.notes == ["texts: column 'review', labels: column 'label' (ignored: 'id')"]
    p = plan(graph, data)
    x_tr, x_te, y_tr, y_te = prepare(data, p, TrainOptions(test_split=0.25))
    assert x_tr.shape == (15, 3) and x_te.shape == (5, 3) and x_tr.dtype == np.int64
    # max_tokens=6: padding 0, [UNK] 1 and the 4 most frequent training words (film, again, good,
    # bad); the numbers are out of the vocabulary, and every id stays below the input_dim
    assert x_tr.max() <= 5 and np.all(x_tr[:, 2] == 1)
    first = {int(label): int(word) for word, label in zip(x_tr[:, 0], y_tr, strict=True)}
    assert len(first) == 2 and 1 not in first.values()  # good and bad: one id each, known
    assert all(first[int(label)] == int(word) for word, label in zip(x_te[:, 0], y_te, strict=True))
    assert "6 entries (padding, [UNK] and 4 words)" in p.decisions[-1]
    assert "15 training text(s) cut" in p.decisions[-1]


@pytest.mark.parametrize("content,extra,message", [
    ("text,label\ngood,1\nbad,0\n", ["--text-column", "review"],
     "--text-column 'review' is not a column of"),
    ("a,b,label\ngood film,nice,1\nbad film,poor,0\n", [], "hold text ('a', 'b')"),
    ("text,label\ngood,1\nbad,\n", [], ":3:1: error: the label is empty"),
    ("text,label\ngood,0.5\nbad,0.25\n", [], "the labels of a CSV of texts must be classes"),
])
def test_a_bad_csv_of_texts_is_exit_2(run_cli, tmp_path, content, extra, message):
    csv = tmp_path / "texts.csv"
    csv.write_text(content)
    out = tmp_path / "m.keras"
    result = run_cli("train", str(SENTIMENT), "--data", str(csv), "-o", str(out), *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output and "texts.csv" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_texts_for_a_model_without_an_embedding_are_exit_2(run_cli, tmp_path):
    out = tmp_path / "m.keras"
    result = run_cli("train", str(ANN), "--data", str(REVIEWS), "--text-column", "text", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert (f"{ANN}:" in result.output and "error: a CSV of texts needs a model whose input holds token ids "
            "(input: [T] feeding an Embedding); the model's input is (64,), which feeds no Embedding") \
        in result.output
    # without --text-column the CSV is numbers, and the words are refused with a hint
    result = run_cli("train", str(ANN), "--data", str(REVIEWS), "--label-column", "label", "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "holds 'a great movie', which is not a number" in result.output and "--text-column" in result.output
    assert not out.exists()


# --- .npz: arrays x and y ---------------------------------------------------------------------

@pytest.mark.keras
def test_an_npz_of_images_and_one_of_targets_train_end_to_end(run_cli, tmp_path):
    import numpy as np
    from sklearn.datasets import load_digits

    digits = load_digits()
    npz = tmp_path / "digits.npz"
    np.savez(npz, x=digits.images[..., None], y=digits.target)  # (1797, 8, 8, 1), labels 0..9
    cnn = spec(tmp_path, "input: [8, 8, 1]\nlayers:\n  - Conv2D(8, 3, activation='relu')\n  - Flatten()\n"
                         "  - Dense(10, activation='softmax')\n")
    result = run_cli("train", cnn, "--data", str(npz), "--epochs", "5", "-o", str(tmp_path / "d.keras"), "--json")
    assert result.exit_code == 0, result.output
    assert "data digits.npz: 1797 samples of 8x8x1 features, 10 classes" in result.output
    report = last_json(result.output)
    assert report["evaluation"]["accuracy"] >= 0.85 and report["verdict"]["learns"] is True

    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3)).astype("float32")
    targets = tmp_path / "targets.npz"
    np.savez(targets, x=x, y=x @ np.array([1.5, -2.0, 0.5]) + 0.3 * rng.normal(size=300) + 0.1)
    linear = spec(tmp_path, "input: [3]\nlayers:\n  - Dense(1)\n", "linear.yaml")
    result = run_cli("train", linear, "--data", str(targets), "--epochs", "40", "--batch-size", "16",
                     "-o", str(tmp_path / "l.keras"), "--json")
    assert result.exit_code == 0, result.output
    assert "loss: mse" in result.output and "metrics: mae" in result.output
    check = last_json(result.output)["verdict"]["checks"][0]
    assert check["metric"] == "loss" and check["value"] <= check["baseline"] / 2, check


@pytest.mark.parametrize("arrays,message", [
    ({"x": [[1.0], [2.0], [3.0]], "y": [0, 1]}, "x has 3 samples but y has 2"),
    ({"x": [["a"], ["b"]], "y": [0, 1]}, "x must hold numbers, got dtype <U1"),
    ({"x": [[1.0], [2.0]], "y": [{"a": 1}, {"b": 2}]}, "cannot read the .npz file: Object arrays cannot be loaded"),
])
def test_a_bad_npz_is_exit_2(run_cli, tmp_path, arrays, message):
    import numpy as np

    npz = tmp_path / "bad.npz"
    np.savez(npz, **{k: np.asarray(v) for k, v in arrays.items()})
    out = tmp_path / "m.keras"
    result = run_cli("train", str(ANN), "--data", str(npz), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert f"{npz}: error: {message}" in result.output and not out.exists()


def test_a_file_that_is_not_an_npz_is_exit_2(run_cli, tmp_path):
    npz = tmp_path / "text.npz"
    npz.write_text("x,y\n1,2\n")
    result = run_cli("train", str(ANN), "--data", str(npz), "-o", str(tmp_path / "m.keras"))
    assert result.exit_code == 2, result.output
    assert f"{npz}: error: cannot read the .npz file" in result.output and "Traceback" not in result.output


def test_generated_data_options_and_several_inputs_with_own_data_are_exit_2(run_cli, tmp_path):
    out = tmp_path / "m.keras"
    result = run_cli("train", str(ANN), "--data", "digits", "--samples", "50", "-o", str(out))
    assert result.exit_code == 2
    assert "error: --task and --samples shape the generated data: they apply to --data auto only" in result.output
    folder = _folder(tmp_path, {"a": ["1.png"], "b": ["2.png"]})
    result = run_cli("train", str(ROOT / "samples" / "multi_input.yaml"), "--data", str(folder), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "train supports models with one input and one output" in result.output
    assert not out.exists()
