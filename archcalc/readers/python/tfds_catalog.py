"""The feature shapes of common ``tensorflow_datasets`` datasets, as their catalog documents them.

Each row is one dataset's default configuration, from its page in the catalog,
``https://www.tensorflow.org/datasets/catalog/<name>`` (the "Features structure" and "Splits"
sections): the shape of each feature of one example (``None``: an axis whose size varies from
example to example, such as the height of a ``tf_flowers`` photo; archcalc names it, and
``--set`` pins it, until a resize fixes it), the classes of its ``ClassLabel`` features, the
``supervised_keys`` that ``as_supervised=True`` gives, and the number of examples of each split.
tensorflow_datasets itself is never imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TfdsDataset:
    features: dict[str, tuple]  # feature -> one example's shape (() for a label or a string)
    classes: dict[str, int]  # ClassLabel features -> their number of classes
    supervised: tuple[str, ...] | None  # as_supervised=True: (input, target)
    splits: dict[str, int] = field(default_factory=dict)  # split -> examples


def _images(shape: tuple, classes: int, splits: dict[str, int]) -> TfdsDataset:
    """An image classification dataset: ``{'image': shape, 'label': ()}``, supervised as
    ``('image', 'label')``."""
    return TfdsDataset({"image": shape, "label": ()}, {"label": classes}, ("image", "label"), splits)


#: name -> its catalog entry (the URL of each: https://www.tensorflow.org/datasets/catalog/<name>)
TFDS: dict[str, TfdsDataset] = {
    # https://www.tensorflow.org/datasets/catalog/mnist
    "mnist": _images((28, 28, 1), 10, {"train": 60000, "test": 10000}),
    # https://www.tensorflow.org/datasets/catalog/fashion_mnist
    "fashion_mnist": _images((28, 28, 1), 10, {"train": 60000, "test": 10000}),
    # https://www.tensorflow.org/datasets/catalog/kmnist
    "kmnist": _images((28, 28, 1), 10, {"train": 60000, "test": 10000}),
    # https://www.tensorflow.org/datasets/catalog/cifar10 (also an 'id' string per example)
    "cifar10": TfdsDataset({"id": (), "image": (32, 32, 3), "label": ()}, {"label": 10}, ("image", "label"),
                           {"train": 50000, "test": 10000}),
    # https://www.tensorflow.org/datasets/catalog/cifar100 ('coarse_label': 20 super-classes)
    "cifar100": TfdsDataset({"coarse_label": (), "id": (), "image": (32, 32, 3), "label": ()},
                            {"label": 100, "coarse_label": 20}, ("image", "label"), {"train": 50000, "test": 10000}),
    # https://www.tensorflow.org/datasets/catalog/imdb_reviews (plain_text: one string per review)
    "imdb_reviews": TfdsDataset({"label": (), "text": ()}, {"label": 2}, ("text", "label"),
                                {"train": 25000, "test": 25000, "unsupervised": 50000}),
    # https://www.tensorflow.org/datasets/catalog/ag_news_subset
    "ag_news_subset": TfdsDataset({"description": (), "label": (), "title": ()}, {"label": 4},
                                  ("description", "label"), {"train": 120000, "test": 7600}),
    # https://www.tensorflow.org/datasets/catalog/tf_flowers (photos of varying size)
    "tf_flowers": _images((None, None, 3), 5, {"train": 3670}),
    # https://www.tensorflow.org/datasets/catalog/horses_or_humans
    "horses_or_humans": _images((300, 300, 3), 2, {"train": 1027, "test": 256}),
    # https://www.tensorflow.org/datasets/catalog/cats_vs_dogs (photos of varying size)
    "cats_vs_dogs": _images((None, None, 3), 2, {"train": 23262}),
    # https://www.tensorflow.org/datasets/catalog/rock_paper_scissors
    "rock_paper_scissors": _images((300, 300, 3), 3, {"train": 2520, "test": 372}),
    # https://www.tensorflow.org/datasets/catalog/beans
    "beans": _images((500, 500, 3), 3, {"train": 1034, "validation": 133, "test": 128}),
    # https://www.tensorflow.org/datasets/catalog/svhn_cropped
    "svhn_cropped": _images((32, 32, 3), 10, {"train": 73257, "test": 26032, "extra": 531131}),
    # https://www.tensorflow.org/datasets/catalog/stl10 (the 'unlabelled' split's labels are -1)
    "stl10": _images((96, 96, 3), 10, {"train": 5000, "test": 8000, "unlabelled": 100000}),
    # https://www.tensorflow.org/datasets/catalog/eurosat (the default 'rgb' configuration; also a 'filename')
    "eurosat": TfdsDataset({"filename": (), "image": (64, 64, 3), "label": ()}, {"label": 10}, ("image", "label"),
                           {"train": 27000}),
    # https://www.tensorflow.org/datasets/catalog/colorectal_histology (also a 'filename')
    "colorectal_histology": TfdsDataset({"filename": (), "image": (150, 150, 3), "label": ()}, {"label": 8},
                                        ("image", "label"), {"train": 5000}),
    # https://www.tensorflow.org/datasets/catalog/oxford_flowers102 (also a 'file_name')
    "oxford_flowers102": TfdsDataset({"file_name": (), "image": (None, None, 3), "label": ()}, {"label": 102},
                                     ("image", "label"), {"train": 1020, "validation": 1020, "test": 6149}),
    # https://www.tensorflow.org/datasets/catalog/malaria
    "malaria": _images((None, None, 3), 2, {"train": 27558}),
    # https://www.tensorflow.org/datasets/catalog/patch_camelyon (also an 'id')
    "patch_camelyon": TfdsDataset({"id": (), "image": (96, 96, 3), "label": ()}, {"label": 2}, ("image", "label"),
                                  {"train": 262144, "validation": 32768, "test": 32768}),
    # https://www.tensorflow.org/datasets/catalog/iris
    "iris": TfdsDataset({"features": (4,), "label": ()}, {"label": 3}, ("features", "label"), {"train": 150}),
}
