"""Facts the code relies on, as data: dataset shapes, Keras's backend defaults, helper names.

One table per kind of fact; the evaluator looks things up here and never hard-codes them.
Dataset shapes are the documented ones (Keras's ``keras.datasets`` docstrings and loaders,
scikit-learn's dataset documentation); a split such as Reuters' ``test_split=0.2`` is computed
the way the loader computes it (``int(n * (1 - test_split))`` samples for training).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KerasDataset:
    """``keras.datasets.<name>.load_data()``: ((x_train, y_train), (x_test, y_test))."""

    train: int  # samples (with the default split)
    test: int
    x: tuple  # one sample's shape; () for a sequence of variable length (ragged)
    y: tuple  # one label's shape
    classes: int | None  # None: regression
    ragged: bool = False
    total: int | None = None  # for loaders with test_split: all samples
    vocab: int | None = None  # the number of distinct words (imdb, reuters)


#: keras.datasets loaders (Keras 3 docstrings: keras/src/datasets/*.py)
KERAS_DATASETS: dict[str, KerasDataset] = {
    "mnist": KerasDataset(60000, 10000, (28, 28), (), 10),
    "fashion_mnist": KerasDataset(60000, 10000, (28, 28), (), 10),
    "cifar10": KerasDataset(50000, 10000, (32, 32, 3), (1,), 10),
    "cifar100": KerasDataset(50000, 10000, (32, 32, 3), (1,), 100),
    "imdb": KerasDataset(25000, 25000, (), (), 2, ragged=True),
    "reuters": KerasDataset(8982, 2246, (), (), 46, ragged=True, total=11228),
    "boston_housing": KerasDataset(404, 102, (13,), (), None, total=506),
    "california_housing": KerasDataset(16512, 4128, (8,), (), None, total=20640),
}
#: california_housing.load_data(version="small")
CALIFORNIA_SMALL = 600
#: cifar100.load_data(label_mode="coarse")
CIFAR100_COARSE = 20


@dataclass(frozen=True)
class SklearnDataset:
    """``sklearn.datasets.load_<name>()``: samples x features, with the target's classes."""

    samples: int
    features: int
    classes: int | None  # None: regression
    images: tuple | None = None  # load_digits().images: (8, 8)
    targets: int = 1  # load_linnerud has 3 targets


#: scikit-learn's bundled loaders and the documented fetchers (User Guide, "Toy datasets")
SKLEARN_DATASETS: dict[str, SklearnDataset] = {
    "load_iris": SklearnDataset(150, 4, 3),
    "load_digits": SklearnDataset(1797, 64, 10, images=(8, 8)),
    "load_wine": SklearnDataset(178, 13, 3),
    "load_breast_cancer": SklearnDataset(569, 30, 2),
    "load_diabetes": SklearnDataset(442, 10, None),
    "load_linnerud": SklearnDataset(20, 3, None, targets=3),
    "fetch_california_housing": SklearnDataset(20640, 8, None),
    "fetch_covtype": SklearnDataset(581012, 54, 7),
    "fetch_olivetti_faces": SklearnDataset(400, 4096, 40, images=(64, 64)),
}

#: sklearn.datasets.make_* generators: argument -> default (their documented signatures)
SKLEARN_GENERATORS: dict[str, dict[str, Any]] = {
    "make_classification": {"n_samples": 100, "n_features": 20, "n_classes": 2},
    "make_blobs": {"n_samples": 100, "n_features": 2, "centers": None},
    "make_moons": {"n_samples": 100, "n_features": 2, "n_classes": 2},
    "make_circles": {"n_samples": 100, "n_features": 2, "n_classes": 2},
    "make_regression": {"n_samples": 100, "n_features": 100, "n_classes": None, "n_targets": 1},
}
#: the generators' positional parameters (scikit-learn's signatures: the rest are keyword-only)
SKLEARN_POSITIONAL: dict[str, tuple[str, ...]] = {
    "make_classification": ("n_samples", "n_features"),
    "make_blobs": ("n_samples", "n_features"),
    "make_moons": ("n_samples",),
    "make_circles": ("n_samples",),
    "make_regression": ("n_samples", "n_features"),
}

#: keras.backend functions with a fixed answer under Keras 3 on TensorFlow
BACKEND_FACTS: dict[str, Any] = {
    "image_data_format": "channels_last",
    "image_dim_ordering": "tf",  # Keras 1/2's name for the same setting
    "backend": "tensorflow",
    "floatx": "float32",
    "epsilon": 1e-07,
    "learning_phase": 0,
}

#: keras.backend setters: function -> the fact it sets, and how its argument maps
BACKEND_SETTERS: dict[str, str] = {
    "set_image_data_format": "image_data_format",
    "set_image_dim_ordering": "image_dim_ordering",
    "set_floatx": "floatx",
}

#: Keras 1/2 image_dim_ordering values -> image_data_format
DIM_ORDERING = {"th": "channels_first", "tf": "channels_last"}

#: methods of a model that do not change its architecture, and what they give back
MODEL_RESULTS: dict[str, str] = {
    "fit": "history", "fit_generator": "history", "evaluate": "scores",
    "evaluate_generator": "scores", "predict": "predictions", "predict_generator": "predictions",
    "predict_on_batch": "predictions", "train_on_batch": "scores", "test_on_batch": "scores",
    "predict_classes": "predictions", "predict_proba": "predictions",
    "summary": "none", "save": "none", "save_weights": "none", "load_weights": "none",
    "to_json": "text", "to_yaml": "text", "get_config": "config", "count_params": "count",
    "get_layer": "layer", "export": "none", "plot_model": "none", "get_weights": "weights",
    "set_weights": "none", "reset_states": "none", "stop_training": "none",
}

#: functions that return their (first) array argument's shape unchanged
SHAPE_PRESERVING = {
    "astype", "copy", "fit_transform", "transform", "normalize", "scale", "clip", "abs",
    "float32", "float64", "array", "asarray", "ascontiguousarray", "nan_to_num", "squeeze_none",
    "minmax_scale", "shuffle", "sqrt", "log", "exp", "log1p", "round", "flip", "fliplr", "flipud",
    "cast", "convert_to_tensor", "constant", "tanh", "sign",
}

#: merge helpers in keras.layers -> the layer class they make
HELPERS = {
    "concatenate": "Concatenate", "add": "Add", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "subtract": "Subtract", "dot": "Dot",
}
