"""Issue 23 item 5: sizes from data pipelines and config files next to the program.

``tf.data`` pipelines (directory loaders, ``from_tensor_slices``, ``map``, ``batch``, loops over a
dataset, ``fit(ds)``), ``tensorflow_datasets`` loaders (their shapes from the catalog table) and
JSON/YAML config files. The truth is real Keras: each program is run for real on a few tiny
files where TensorFlow can run it (tensorflow_datasets is not a dependency: those models are
built in Keras from the catalog's shapes), and archcalc reads the same text statically.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from archcalc.engine import analyze
from archcalc.readers import load

ROOT = Path(__file__).resolve().parent.parent


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def _run(path: Path, monkeypatch, name: str = "model"):
    """The program run for real in its folder (the test's own text): its model object."""
    import keras

    keras.backend.clear_session()
    monkeypatch.chdir(path.parent)
    ns: dict = {"__name__": "__main__"}
    exec(compile(path.read_text(), str(path), "exec"), ns)  # noqa: S102  (test-owned program)
    monkeypatch.chdir(ROOT)  # archcalc finds the files next to the program, not in the working folder
    return ns[name]


def _same(path: Path, model, **kw) -> None:
    got = analyze(load(path, **kw))
    assert got.total_params == model.count_params()
    assert got.trainable_params == sum(int(w.numpy().size) for w in model.trainable_weights)
    assert got.output_shapes == [tuple(model.outputs[0].shape)]


def _images(folder: Path, classes: list[str], size: tuple[int, int] = (12, 10)) -> None:
    """One tiny PNG per class (Keras's loader needs a file; archcalc reads only the folder names)."""
    import numpy as np
    import tensorflow as tf

    for c in classes:
        (folder / c).mkdir(parents=True)
        png = tf.io.encode_png(np.zeros((*size, 3), dtype="uint8"))
        (folder / c / "a.png").write_bytes(png.numpy())


@pytest.mark.keras
def test_image_dataset_from_directory_gives_the_input_and_the_classes(tmp_path, monkeypatch):
    pytest.importorskip("keras")
    _images(tmp_path / "photos", ["daisy", "roses", "tulips"])
    path = _write(tmp_path, "prog.py", """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "photos", image_size=(48, 40), batch_size=2, color_mode="grayscale")
        class_names = train_ds.class_names
        normalization_layer = layers.Rescaling(1.0 / 255)
        train_ds = train_ds.map(lambda x, y: (normalization_layer(x), y)).cache().prefetch(tf.data.AUTOTUNE)
        model = keras.Sequential([
            layers.Conv2D(4, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(len(class_names)),
        ])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=1, verbose=0)
        """)
    model = _run(path, monkeypatch)
    _same(path, model)
    g = load(path)
    assert any("3 classes, the names of its sub-folders" in n for n in g.extras["notes"])


@pytest.mark.keras
def test_from_tensor_slices_map_batch_and_a_loop_over_take(tmp_path, monkeypatch):
    """Arrays from .npy headers, a file function in map (resize, gray to RGB, one-hot), batch,
    ``for images, labels in ds.take(1)`` and ``labels.shape[-1]`` as a layer size."""
    pytest.importorskip("keras")
    import numpy as np

    np.save(tmp_path / "x.npy", np.zeros((6, 20, 20, 1), dtype="float32"))
    np.save(tmp_path / "y.npy", np.zeros((6,), dtype="int64"))
    path = _write(tmp_path, "prog.py", """
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers, models

        x_train, y_train = np.load("x.npy"), np.load("y.npy")

        def prep(image, label):
            image = tf.image.resize(image, (24, 28))
            image = tf.image.grayscale_to_rgb(image)
            return image, tf.one_hot(label, 7)

        ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).map(prep).shuffle(100).batch(4)
        for images, labels in ds.take(1):
            print(images.shape, labels.shape)
        model = models.Sequential([
            layers.Conv2D(5, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(labels.shape[-1], activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy")
        model.fit(ds, epochs=1, verbose=0)
        """)
    _same(path, _run(path, monkeypatch))
    assert analyze(load(path)).output_shapes == [(None, 7)]


@pytest.mark.keras
def test_a_subclassed_model_built_in_a_training_loop_over_a_dataset(tmp_path, monkeypatch):
    """TensorFlow's 'quickstart for experts' shape: the model is built by its first call in a
    custom training step over ``from_tensor_slices((x, y)).batch(32)``."""
    pytest.importorskip("keras")
    import numpy as np

    np.savez(tmp_path / "d.npz", x=np.zeros((8, 14, 14), dtype="float32"), y=np.zeros((8,), dtype="int64"))
    path = _write(tmp_path, "prog.py", """
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import Model
        from tensorflow.keras.layers import Conv2D, Dense, Flatten

        d = np.load("d.npz")
        x_train = d["x"][..., tf.newaxis].astype("float32")
        train_ds = tf.data.Dataset.from_tensor_slices((x_train, d["y"])).shuffle(100).batch(4)

        class MyModel(Model):
            def __init__(self):
                super().__init__()
                self.conv1 = Conv2D(6, 3, activation="relu")
                self.flatten = Flatten()
                self.d1 = Dense(16, activation="relu")
                self.d2 = Dense(10)

            def call(self, x):
                return self.d2(self.d1(self.flatten(self.conv1(x))))

        model = MyModel()
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam()

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                predictions = model(images, training=True)
                loss = loss_object(labels, predictions)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))

        for epoch in range(2):
            for images, labels in train_ds:
                train_step(images, labels)
        """)
    model = _run(path, monkeypatch)
    got = analyze(load(path))
    assert got.total_params == model.count_params()
    assert got.output_shapes == [(None, 10)]


@pytest.mark.keras
def test_timeseries_windows_and_element_spec(tmp_path, monkeypatch):
    pytest.importorskip("keras")
    import numpy as np

    np.save(tmp_path / "series.npy", np.zeros((50, 3), dtype="float32"))
    path = _write(tmp_path, "prog.py", """
        import numpy as np
        from tensorflow import keras

        series = np.load("series.npy")
        ds = keras.utils.timeseries_dataset_from_array(series[:-12], series[12:, 0], sequence_length=12,
                                                       batch_size=8)
        spec = ds.element_spec[0]
        model = keras.Sequential([keras.Input(spec.shape[1:]), keras.layers.LSTM(6), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(ds, epochs=1, verbose=0)
        """)
    _same(path, _run(path, monkeypatch))


@pytest.mark.keras
def test_tensorflow_datasets_shapes_from_the_catalog(tmp_path):
    """tensorflow_datasets is not installed: the truth is the model built in Keras on the
    catalog's shapes (https://www.tensorflow.org/datasets/catalog/tf_flowers: images of any
    size, 5 classes; .../beans: (500, 500, 3), 3 classes)."""
    pytest.importorskip("keras")
    import keras

    path = _write(tmp_path, "prog.py", """
        import tensorflow as tf
        import tensorflow_datasets as tfds

        (train, val), info = tfds.load("tf_flowers", split=["train[:80%]", "train[80%:]"],
                                       as_supervised=True, with_info=True)
        num_classes = info.features["label"].num_classes

        def resize(image, label):
            image = tf.image.resize(tf.cast(image, tf.float32), (64, 48)) / 255.0
            return image, label

        train = train.map(resize).batch(32)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(num_classes),
        ])
        model.fit(train, epochs=2)

        beans = tfds.builder("beans")
        ds = beans.as_dataset(split="train", as_supervised=True).batch(16)
        small = tf.keras.Sequential([tf.keras.layers.Conv2D(4, 5, strides=5), tf.keras.layers.GlobalMaxPooling2D(),
                                     tf.keras.layers.Dense(beans.info.features["label"].num_classes)])
        small.fit(ds)
        """)
    keras.backend.clear_session()
    want = keras.Sequential([keras.Input((64, 48, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                             keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(5)])
    _same(path, want, model_name="model")
    want = keras.Sequential([keras.Input((500, 500, 3)), keras.layers.Conv2D(4, 5, strides=5),
                             keras.layers.GlobalMaxPooling2D(), keras.layers.Dense(3)])
    _same(path, want, model_name="small")
    g = load(path, model_name="model")
    assert any("datasets/catalog/tf_flowers" in n for n in g.extras["notes"])


def test_a_variable_image_size_stays_named_until_set(tmp_path):
    """cats_vs_dogs' photos have no one size: without a resize the input is a named size."""
    path = _write(tmp_path, "prog.py", """
        import tensorflow as tf
        import tensorflow_datasets as tfds

        ds, info = tfds.load("cats_vs_dogs", split="train", as_supervised=True, with_info=True)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3), tf.keras.layers.GlobalMaxPooling2D(),
                                     tf.keras.layers.Dense(info.features["label"].num_classes)])
        model.fit(ds.batch(8))
        """)
    got = analyze(load(path))
    assert got.total_params == 16 * 27 + 16 + 17 * 2  # the channels (3) and classes (2) are known
    shape = got.rows[1].output_shape
    assert "cats_vs_dogs.image.height" in str(shape[1])
    pinned = analyze(load(path, overrides={"cats_vs_dogs.image.height": 100, "cats_vs_dogs.image.width": 90}))
    assert pinned.rows[1].output_shape == (None, 98, 88, 16)


def test_a_map_archcalc_cannot_follow_leaves_a_named_size(tmp_path):
    path = _write(tmp_path, "prog.py", """
        import numpy as np
        import tensorflow as tf
        import albumentations as A
        from tensorflow import keras

        x = np.zeros((10, 32, 32, 3))
        y = np.zeros((10,))
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (A.augment(a), b)).batch(4)
        model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(3)])
        model.fit(ds)
        """)
    g = load(path)
    assert "sequential.input" in str(analyze(g).total_params)  # never a guess
    assert any("after map() at line 9 are not known" in n and "--set" in n for n in g.extras["notes"])
    # without the map, the element is known: 32 * 32 * 3 inputs
    path.write_text(path.read_text().replace(".map(lambda a, b: (A.augment(a), b))", ""))
    assert analyze(load(path)).total_params == 32 * 32 * 3 * 3 + 3


@pytest.mark.keras
def test_json_and_yaml_config_files_beside_the_program(tmp_path, monkeypatch):
    pytest.importorskip("keras")
    (tmp_path / "config.json").write_text(json.dumps({"n_in": 12, "hidden": [32, 16], "dropout": 0.2}))
    (tmp_path / "model.yaml").write_text("model:\n  units: 24\n  classes: 4\n")
    path = _write(tmp_path, "prog.py", """
        import json
        import yaml
        from tensorflow import keras

        with open("config.json") as f:
            cfg = json.load(f)
        params = yaml.safe_load(open("model.yaml"))["model"]
        model = keras.Sequential([keras.Input((cfg["n_in"],))])
        for units in cfg["hidden"]:
            model.add(keras.layers.Dense(units, activation="relu"))
            model.add(keras.layers.Dropout(cfg["dropout"]))
        model.add(keras.layers.Dense(params["units"]))
        model.add(keras.layers.Dense(params.get("classes", 2), activation="softmax"))
        """)
    _same(path, _run(path, monkeypatch))
    g = load(path)
    assert any("config.json: its values" in n for n in g.extras["notes"])


def test_an_absent_or_bad_config_leaves_named_sizes_with_a_note(tmp_path):
    path = _write(tmp_path, "prog.py", """
        import json
        from tensorflow import keras
        cfg = json.loads(open("config.json").read()) if False else json.load(open("config.json"))
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(cfg["units"])])
        """)
    g = load(path)
    assert str(analyze(g).total_params) == "9*cfg['units']"
    assert any("config.json (line 4) is not next to the program" in n and "--set" in n for n in g.extras["notes"])
    assert analyze(load(path, overrides={"cfg['units']": 5})).total_params == 45
    (tmp_path / "config.json").write_text('{"units": 5')  # not valid JSON: never a guess
    g = load(path)
    assert "cfg['units']" in str(analyze(g).total_params)
    assert any("could not be read as JSON" in n for n in g.extras["notes"])
    (tmp_path / "config.json").write_text('{"units": ' + "9" * 5000 + "}")  # past the number limits
    assert "cfg['units']" in str(analyze(load(path)).total_params)
    (tmp_path / "config.json").write_text('{"units": 6}')
    assert analyze(load(path)).total_params == 54


def test_yaml_config_is_read_safely(tmp_path):
    """A YAML config with a Python tag is never constructed (the safe composer refuses it)."""
    (tmp_path / "c.yaml").write_text("units: !!python/object/apply:os.system ['echo hi']\n")
    path = _write(tmp_path, "prog.py", """
        import yaml
        from tensorflow import keras
        with open("c.yaml") as f:
            cfg = yaml.load(f, Loader=yaml.FullLoader)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(cfg["units"])])
        """)
    g = load(path)
    assert "cfg['units']" in str(analyze(g).total_params)
    (tmp_path / "c.yaml").write_text("base: &b 7\nunits: *b\n")
    assert analyze(load(path)).total_params == 63


PIPELINES = {
    "slices_batch": "ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(8).batch(4)",
    "map_resize_one_hot": "ds = tf.data.Dataset.from_tensor_slices((x, y)).map("
                          "lambda a, b: (tf.image.resize(a, (7, 9)), tf.one_hot(b, 5))).batch(2)",
    "drop_remainder": "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(3, drop_remainder=True).prefetch(1)",
    "unbatch": "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(3).unbatch().cache()",
    "gray_expand_squeeze": "ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.expand_dims("
                           "tf.squeeze(tf.image.rgb_to_grayscale(a), -1), 0))",
    "dict_element": "ds = tf.data.Dataset.from_tensor_slices({'image': x, 'label': y}).map("
                    "lambda d: (tf.cast(d['image'], tf.float32) / 255.0, d['label'])).batch(5)",
    "crop_and_pad": "ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.random_crop("
                    "tf.image.resize_with_crop_or_pad(a, 10, 12), (5, 6, 3)))",
    "rescaling_layer": "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2).map("
                       "lambda a, b: (keras.layers.Rescaling(1 / 255)(a), b))",
    "transpose_reshape": "ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.reshape("
                         "tf.transpose(a, [1, 0, 2]), (-1,)))",
    "zip_padded": "ds = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(x), "
                  "tf.data.Dataset.from_tensor_slices(y))).padded_batch(2)",
    "timeseries": "ds = keras.utils.timeseries_dataset_from_array(x.reshape(6, -1), None, sequence_length=3, "
                  "batch_size=2)",
    "list_is_one_tensor": "ds = tf.data.Dataset.from_tensor_slices([x, x]).batch(2)",
    "file_names": "ds = tf.data.Dataset.from_tensor_slices(['a.png', 'b.png', 'c.png']).map(lambda p: tf.image.resize("
                  "tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (20, 30)))",
    "decode_resize": "ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.resize("
                     "tf.io.decode_png(tf.io.encode_png(tf.cast(a, tf.uint8)), channels=1), [4, 4]))",
}


def _spec_shapes(spec):
    if isinstance(spec, dict):
        return {k: _spec_shapes(v) for k, v in spec.items()}
    if isinstance(spec, (tuple, list)):
        return tuple(_spec_shapes(v) for v in spec)
    return tuple(getattr(spec, "shape", spec))


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(PIPELINES))
def test_pipeline_element_shapes_are_tensorflows(name):
    """Each step's element shape, as TensorFlow's own ``element_spec`` states it."""
    pytest.importorskip("keras")
    from archcalc.readers.python.interpreter import read_module

    text = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n" \
           "x = np.zeros((6, 8, 11, 3), dtype='float32')\ny = np.zeros((6,), dtype='int32')\n" + PIPELINES[name]
    ns: dict = {}
    exec(compile(text, "<pipeline>", "exec"), ns)  # noqa: S102  (test-owned program)
    want = _spec_shapes(ns["ds"].element_spec)
    got = _spec_shapes(read_module(text, "pipeline.py").globals["ds"].element)
    assert got == want


@pytest.mark.keras
def test_text_dataset_vectorized_in_a_map(tmp_path, monkeypatch):
    """TensorFlow's text classification tutorial, in short: texts from folders, TextVectorization
    in a map (its output_sequence_length), a Sequential fitted on the batches."""
    pytest.importorskip("keras")
    for label in ("neg", "pos"):
        (tmp_path / "reviews" / label).mkdir(parents=True)
        (tmp_path / "reviews" / label / "1.txt").write_text(f"a {label} review")
    path = _write(tmp_path, "prog.py", """
        import tensorflow as tf
        from tensorflow.keras import layers

        raw_train_ds = tf.keras.utils.text_dataset_from_directory("reviews", batch_size=2)
        vectorize_layer = layers.TextVectorization(max_tokens=50, output_mode="int", output_sequence_length=12)
        vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x))

        def vectorize_text(text, label):
            text = tf.expand_dims(text, -1)
            return vectorize_layer(text), label

        train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(tf.data.AUTOTUNE)
        model = tf.keras.Sequential([
            layers.Embedding(50, 8),
            layers.GlobalAveragePooling1D(),
            layers.Dense(len(raw_train_ds.class_names) - 1, activation="sigmoid"),
        ])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(train_ds, epochs=1, verbose=0)
        """)
    model = _run(path, monkeypatch)
    _same(path, model)
    assert analyze(load(path)).rows[1].output_shape == (None, 12, 8)


@pytest.mark.keras
def test_tfds_whole_split_as_arrays_and_an_unknown_dataset(tmp_path):
    """``batch_size=-1`` gives the split as arrays (mnist's catalog: 60,000 images of (28, 28, 1));
    a dataset not in the table has named features and a note."""
    pytest.importorskip("keras")
    import keras

    path = _write(tmp_path, "prog.py", """
        import tensorflow_datasets as tfds
        from tensorflow import keras

        x, y = tfds.as_numpy(tfds.load("mnist", split="train", batch_size=-1, as_supervised=True))
        model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Flatten(), keras.layers.Dense(10)])
        n = len(x)
        other = tfds.load("my_private_set", split="train", as_supervised=True)
        model2 = keras.Sequential([keras.layers.Dense(4)])
        model2.fit(other.batch(8))
        """)
    keras.backend.clear_session()
    want = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    _same(path, want, model_name="model")
    from archcalc.readers.python.interpreter import read_module

    assert read_module(path.read_text(), str(path)).globals["n"] == 60000  # the catalog's train split
    g = load(path, model_name="model2")
    assert "sequential_1.input" in str(analyze(g).total_params)
    assert any("'my_private_set'" in n and "not in archcalc's table" in n for n in g.extras["notes"])



def test_a_config_past_the_size_cap_is_not_read(tmp_path):
    """A config file over limits.MAX_CONFIG_BYTES (1 MB) is not read: the sizes stay named."""
    from archcalc import limits

    (tmp_path / "cfg.json").write_text('{"units": 5, "pad": "' + "x" * limits.MAX_CONFIG_BYTES + '"}')
    path = _write(tmp_path, "prog.py", """
        import json
        from tensorflow import keras
        cfg = json.load(open("cfg.json"))
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(cfg["units"])])
        """)
    g = load(path)
    assert "cfg['units']" in str(analyze(g).total_params)
    assert any("could not be read as JSON" in n for n in g.extras["notes"])
    (tmp_path / "cfg.json").write_text('{"units": 5, "pad": "' + "x" * 1000 + '"}')
    assert analyze(load(path)).total_params == 45
