"""The claims the lint rules make, checked against real Keras (one small process)."""

from __future__ import annotations

import pytest

from archcalc.engine import analyze
from archcalc.readers.yaml_spec import load_text

pytestmark = pytest.mark.keras


@pytest.fixture(scope="module")
def keras():
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


def test_categorical_crossentropy_on_one_unit_is_always_zero(keras) -> None:
    """AC101: the notes' 8-10-1 model compiled with categorical_crossentropy learns nothing."""
    import numpy as np

    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    x = np.random.default_rng(0).normal(size=(16, 8)).astype("float32")
    y = np.random.default_rng(1).integers(0, 2, size=(16, 1)).astype("float32")
    loss = keras.losses.categorical_crossentropy(y, model(x))
    assert float(keras.ops.max(keras.ops.abs(loss))) == 0.0
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert model.evaluate(x, y, verbose=0) == 0.0


def test_softmax_over_one_unit_is_constant(keras) -> None:
    """AC103: Dense(1, activation='softmax') outputs 1.0 (up to rounding) whatever the input."""
    import numpy as np

    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1, activation="softmax")])
    out = np.asarray(model(np.random.default_rng(0).normal(size=(32, 16)).astype("float32")))
    assert np.ptp(out) == 0.0  # the same value for every sample
    assert np.allclose(out, 1.0)


def test_dense_without_flatten_shape_matches_keras(keras) -> None:
    """AC201 reports the output shape Keras builds for a classifier without Flatten."""
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Conv2D(32, (3, 3), activation="relu")(inputs)
    x = keras.layers.MaxPooling2D((2, 2))(x)
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
    spec = ("input: [28, 28, 1]\nlayers:\n  - Conv2D(32, (3, 3), activation='relu')\n"
            "  - MaxPooling2D((2, 2))\n  - Dense(10, activation='softmax')\n")
    assert tuple(model.outputs[0].shape) == analyze(load_text(spec)).output_shapes[0] == (None, 13, 13, 10)


def test_channels_first_parameter_claim(keras) -> None:
    """AC204's documentation: 129,088 weights read channels-last from (3, 224, 224), 1,792
    from (224, 224, 3)."""
    wrong = keras.Sequential([keras.Input((3, 224, 224)), keras.layers.Conv2D(64, 3)])
    right = keras.Sequential([keras.Input((224, 224, 3)), keras.layers.Conv2D(64, 3)])
    assert (wrong.count_params(), right.count_params()) == (129_088, 1_792)


def test_targets_of_another_shape_train_silently(keras) -> None:
    """AC111: Keras fits a one-output regression on per-step targets, and on three target
    columns, without an error: the shapes are broadcast, the loss is not per target."""
    import numpy as np

    rng = np.random.default_rng(0)
    per_step = keras.Sequential([keras.Input((15, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])
    per_step.compile(optimizer="adam", loss="mse")
    history = per_step.fit(rng.random((32, 15, 4)), rng.random((32, 15, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert tuple(per_step.outputs[0].shape) == (None, 1)
    columns = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    columns.compile(optimizer="adam", loss="mse")
    history = columns.fit(rng.random((32, 8)), rng.random((32, 3)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_embedding_weights_of_another_shape_are_refused(keras) -> None:
    """AC211: Keras refuses weights= whose shape differs from the layer's; the same sizes fit."""
    import numpy as np

    with pytest.raises(ValueError, match="not compatible"):
        keras.Sequential([keras.Input((50,)), keras.layers.Embedding(5000, 100, weights=[np.zeros((5001, 100))])])
    layer = keras.layers.Embedding(5001, 100, weights=[np.zeros((5001, 100))])
    keras.Sequential([keras.Input((50,)), layer])
    assert layer.get_weights()[0].shape == (5001, 100)


def test_pooled_features_pass_for_class_scores(keras) -> None:
    """AC112: a model ending in GlobalAveragePooling2D compiles and trains with a sparse
    categorical loss: its 16 features are read as 16 class probabilities."""
    import numpy as np

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
                              keras.layers.GlobalAveragePooling2D()])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    history = model.fit(rng.random((32, 28, 28, 1)), rng.integers(0, 10, size=(32,)), epochs=1, verbose=0)
    assert tuple(model.outputs[0].shape) == (None, 16)
    assert "loss" in history.history


def test_sigmoid_outputs_train_under_categorical_loss_but_are_not_a_distribution(keras) -> None:
    """AC102 (a warning): Keras trains sigmoid units under a categorical loss (it divides
    them by their sum inside the loss), but predict() returns scores that do not sum to 1."""
    import numpy as np

    rng = np.random.default_rng(0)
    centers = rng.normal(size=(4, 8)) * 3
    y = rng.integers(0, 4, size=400)
    x = (centers[y] + rng.normal(size=(400, 8))).astype("float32")
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4, activation="sigmoid")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=20, verbose=0)
    assert history.history["accuracy"][-1] > 0.9  # it learns
    sums = model.predict(x[:20], verbose=0).sum(axis=1)
    assert not np.allclose(sums, 1.0, atol=0.05)  # but its outputs are not probabilities over classes


def test_binary_loss_on_one_hot_labels_trains_detectors_not_a_choice(keras) -> None:
    """AC113: under binary_crossentropy a model answering 'no' for all ten classes scores
    0.9 binary accuracy on one-hot labels (what Keras 2.2 reported as 'accuracy'; Keras 3
    picks categorical accuracy from the label shape), and a trained model's ten outputs are
    independent detectors, not one distribution."""
    import numpy as np

    nothing = keras.Sequential([keras.Input((4,)),
                                keras.layers.Dense(10, activation="sigmoid", kernel_initializer="zeros",
                                                   bias_initializer=keras.initializers.Constant(-20.0))])
    nothing.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy", "accuracy"])
    labels = keras.utils.to_categorical(np.arange(50) % 10, 10)
    scores = nothing.evaluate(np.ones((50, 4), "float32"), labels, verbose=0, return_dict=True)
    assert abs(scores["binary_accuracy"] - 0.9) < 1e-6
    assert scores["accuracy"] < 0.2  # Keras 3's 'accuracy' is categorical accuracy here

    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, size=500)
    x = (rng.normal(size=(10, 16))[y] * 3 + rng.normal(size=(500, 16))).astype("float32")
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(10, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, keras.utils.to_categorical(y, 10), epochs=5, verbose=0)
    sums = model.predict(x[:50], verbose=0).sum(axis=1)
    assert not np.allclose(sums, 1.0, atol=0.05)


def test_dropout_after_the_output_changes_training_predictions_only(keras) -> None:
    """AC315: a Dropout after the output layer zeroes class scores in training; inference
    returns the layer's output untouched."""
    import numpy as np

    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(10, bias_initializer="ones"),
                              keras.layers.Dropout(0.5)])
    x = np.ones((64, 6), "float32")
    train = np.asarray(model(x, training=True))
    infer = np.asarray(model(x, training=False))
    assert (train == 0).mean() > 0.3 and (infer != 0).all()


@pytest.mark.parametrize(("class_mode", "color_mode", "data_format"), [
    ("binary", "grayscale", None), ("categorical", "rgb", None), ("sparse", "rgba", None),
    ("input", "rgb", None), ("categorical", "rgb", "channels_first")])
def test_flow_from_directory_batches_have_the_shapes_the_reader_gives(keras, tmp_path, class_mode, color_mode,
                                                                      data_format) -> None:
    """What the reader infers for ImageDataGenerator(...).flow_from_directory(...) (the
    batches lint compares with the model) is what Keras's directory iterator yields."""
    import numpy as np
    from PIL import Image
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from archcalc.readers.python import data
    from archcalc.readers.python.values import ImageGenerator

    for c in ("cats", "dogs", "birds"):
        (tmp_path / c).mkdir()
        for i in range(2):
            Image.fromarray((np.random.default_rng(i).random((20, 30, 3)) * 255).astype("uint8")).save(
                tmp_path / c / f"{i}.png")
    gen_kwargs = {"data_format": data_format} if data_format else {}
    flow_kwargs = {"target_size": (48, 40), "color_mode": color_mode, "class_mode": class_mode,
                   "classes": ["birds", "cats", "dogs"]}
    x, y = next(ImageDataGenerator(**gen_kwargs).flow_from_directory(str(tmp_path), batch_size=4, **flow_kwargs))
    got = data.image_flow(ImageGenerator(gen_kwargs), "flow_from_directory", [str(tmp_path)], flow_kwargs, 1)
    assert got.x.shape[1:] == x.shape[1:]
    assert got.y.shape[1:] == y.shape[1:]
    assert got.y.onehot == (class_mode == "categorical")


def test_binary_loss_needs_as_many_label_columns_as_units(keras) -> None:
    """AC109 (binary branch): one-hot labels of 30 columns for ten sigmoid units stop fit()."""
    import numpy as np

    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    labels = keras.utils.to_categorical(np.arange(32) % 30, 30)
    with pytest.raises(ValueError, match="same shape"):
        model.fit(np.random.default_rng(0).random((32, 8)), labels, epochs=1, verbose=0)


def test_evaluate_checks_labels_as_fit_does(keras) -> None:
    """AC108 on evaluate()'s labels (a program that never trains): Keras refuses class ids
    under categorical_crossentropy in evaluate() exactly as in fit()."""
    import numpy as np

    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x = np.zeros((12, 5), "float32")
    ids = np.array([0, 1] * 6)
    for run in (lambda: model.evaluate(x, ids, verbose=0), lambda: model.fit(x, ids, epochs=1, verbose=0)):
        with pytest.raises(ValueError, match="shape"):
            run()
    one_hot = keras.utils.to_categorical(ids, 2)
    assert np.isfinite(model.evaluate(x, one_hot, verbose=0))
