"""``tf.data`` loaders in the read: Keras's directory loaders (``image_dataset_from_directory``,
``text_dataset_from_directory``: the class names are the sub-folders' names of a directory next
to the program, a listing, no file opened), ``timeseries_dataset_from_array``, the
``tf.data.Dataset`` constructors (``from_tensor_slices``...), ``tf.TensorSpec``, TensorFlow's
functions on elements (element_ops.py), and ``tensorflow_datasets`` (``tfds.load``,
``tfds.builder``: the feature shapes of the catalog, tfds_catalog.py). ``TFDATA_CALLS`` holds
their rows of keras_api's ``LIBRARY_CALLS``; Keras's are rows of its ``KERAS_CALLS``.

A handler that needs nothing of the read is a plain function; the directory loaders and tfds
(a note, the program's folder, a named size) are methods of ``DataLoadersMixin``.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.readers.python.element_ops import ELEMENT_OPS, element_op
from archcalc.readers.python.tfdata import (
    DataMethod,
    Dataset,
    TfdsFeature,
    TfdsInfo,
    TfdsSplit,
    batched,
    is_size,
    known,
    leaves,
    slices,
)
from archcalc.readers.python.values import Array, Mod, Tensor, Unknown

if TYPE_CHECKING:
    from archcalc.readers.python import tfds_catalog
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: entries listed for a directory's class names (``image_dataset_from_directory``)
MAX_CLASS_FOLDERS = limits.MAX_ARCHIVE_ENTRIES

#: image_dataset_from_directory's color modes: channels per image
CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


class DataLoadersMixin(_Side):
    """The tf.data and tensorflow_datasets loaders of the Interpreter that read the program's
    folder, write a note or name a size."""

    def k_image_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``image_dataset_from_directory(directory, labels='inferred', label_mode='int',
        class_names=None, color_mode='rgb', batch_size=32, image_size=(256, 256), ...)``."""
        directory = args[0] if args else kwargs.get("directory")
        size = kwargs.get("image_size", (256, 256))
        channels = CHANNELS.get(kwargs.get("color_mode", "rgb"))
        what = f"{func.name}({directory!r})" if isinstance(directory, str) else f"{func.name}(...)"
        if not (isinstance(size, (list, tuple)) and len(size) == 2 and all(is_size(d) for d in size)) or not channels:
            return _subsets(Dataset(Unknown(f"{what} element", e.lineno), what), kwargs)
        first = kwargs.get("data_format") == "channels_first"
        x = Array((channels, *size) if first else (*size, channels), what)
        names = self._class_names(directory, kwargs, what, e)
        n = len(names) if isinstance(names, list) else None
        label = _label(kwargs.get("label_mode", "int"), n, what, kwargs.get("labels", "inferred"))
        return _subsets(_loaded(x, label, kwargs, what, names), kwargs)

    def k_text_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``text_dataset_from_directory(directory, ..., label_mode='int', batch_size=32)``:
        one string per text (shape ``()``)."""
        directory = args[0] if args else kwargs.get("directory")
        what = f"{func.name}({directory!r})" if isinstance(directory, str) else f"{func.name}(...)"
        names = self._class_names(directory, kwargs, what, e)
        n = len(names) if isinstance(names, list) else None
        label = _label(kwargs.get("label_mode", "int"), n, what, kwargs.get("labels", "inferred"))
        return _subsets(_loaded(Array((), what), label, kwargs, what, names), kwargs)

    def tf_element_op(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tf.image.resize(x, (224, 224))``, ``tf.one_hot(y, 10)``, ... on an element's arrays."""
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]):
            return NotImplemented  # an operation of the model: an op node (layers/ops/)
        return element_op(func.name, args, kwargs, e.lineno, lambda s: self.named_size(f"{func.name}.{s}"))

    def _class_names(self, directory: Any, kwargs: dict[str, Any], what: str, e: ast.Call) -> Any:
        given = kwargs.get("class_names")
        if isinstance(given, (list, tuple)) and all(isinstance(c, str) for c in given):
            return list(given)
        labels = kwargs.get("labels", "inferred")
        if labels != "inferred":
            return Unknown(f"{what}.class_names", e.lineno)
        found = class_folders(self.ev.path, directory)
        if found is None:
            return Unknown(f"{what}.class_names", e.lineno)
        self.notes.append(f"{what}: {len(found)} classes, the names of its sub-folders")
        return found

    # -- tensorflow_datasets ------------------------------------------------------------------

    def tfds_load(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tfds.load(name, split=None, batch_size=None, as_supervised=False, with_info=False)``."""
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            return Unknown("tfds.load(...)", e.lineno)
        info = TfdsInfo(name, self._catalog(name, e))
        got = self.tfds_splits(info, kwargs.get("split", args[1] if len(args) > 1 else None), kwargs, e)
        return (got, info) if kwargs.get("with_info") else got

    def tfds_builder(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            return Unknown("tfds.builder(...)", e.lineno)
        return TfdsInfo(name, self._catalog(name, e), builder=True)

    def _catalog(self, name: str, e: ast.Call) -> tfds_catalog.TfdsDataset | None:
        from archcalc.readers.python import tfds_catalog  # the catalog table, on a tfds call only

        entry = tfds_catalog.TFDS.get(name.split(":", 1)[0].strip())
        if entry is None:
            self.notes.append(f"tensorflow_datasets '{name}' (line {e.lineno}) is not in archcalc's table of the "
                              f"catalog's shapes: its features are named sizes (--set NAME=VALUE pins them)")
        return entry

    def tfds_splits(self, info: TfdsInfo, split: Any, kwargs: dict[str, Any], e: ast.Call) -> Any:
        if isinstance(split, Mod):  # tfds.Split.TRAIN
            split = split.name.lower()
        if split is None:
            entry = info.entry
            return {s: self._tfds_dataset(info, kwargs, e, s) for s in (entry.splits if entry else {})} or \
                Unknown(f"tfds.load({info.name!r})", e.lineno)
        if isinstance(split, (list, tuple)):
            return [self._tfds_dataset(info, kwargs, e, s) for s in split]
        return self._tfds_dataset(info, kwargs, e, split)

    def _tfds_dataset(self, info: TfdsInfo, kwargs: dict[str, Any], e: ast.Call, split: Any) -> Any:
        what = f"tfds.load({info.name!r})"
        entry = info.entry
        if entry is None:
            return Dataset(Unknown(f"{info.name} element", e.lineno), what)
        feats = {k: Array(tuple(self._dim(info.name, k, i, d) for i, d in enumerate(shape)), f"{info.name}[{k!r}]",
                          classes=entry.classes.get(k)) for k, shape in entry.features.items()}
        el: Any = feats
        if kwargs.get("as_supervised") and entry.supervised:
            el = tuple(feats[k] for k in entry.supervised)
        size = kwargs.get("batch_size")
        if size == -1:  # the whole split as tensors
            n = self._examples(info, split)
            return leaves(el, lambda a: replace(a, shape=(n, *a.shape)))
        self.notes.append(f"{what}: the feature shapes of the tensorflow_datasets catalog "
                          f"(https://www.tensorflow.org/datasets/catalog/{info.name.split(':')[0]})")
        if size is not None:
            return Dataset(batched(el, None), what, batched=True)
        return Dataset(el, what)

    def _dim(self, name: str, feature: str, axis: int, d: Any) -> Any:
        """A feature's axis: its size, or (variable in the catalog: None) a named size."""
        if d is not None:
            return d
        return self.named_size(f"{name}.{feature}.{('height', 'width', 'length')[min(axis, 2)]}")

    def _examples(self, info: TfdsInfo, split: Any) -> Any:
        entry = info.entry
        if entry is not None and isinstance(split, str) and split in entry.splits:
            return entry.splits[split]
        return self.named_size(f"{info.name}.{split}.num_examples" if isinstance(split, str) else
                               f"{info.name}.num_examples")

    def tfds_info_attribute(self, info: TfdsInfo, attr: str, line: int) -> Any:
        entry = info.entry
        if attr == "info" and info.builder:
            return info
        if entry is None:
            return Unknown(f"{info.name}.info.{attr}", line)
        if attr == "features":
            return {k: TfdsFeature(f"{info.name}.features[{k!r}]",
                                   tuple(self._dim(info.name, k, i, d) for i, d in enumerate(shape)),
                                   entry.classes.get(k))
                    for k, shape in entry.features.items()}
        if attr == "splits":
            return {s: TfdsSplit(n) for s, n in entry.splits.items()}
        if attr == "supervised_keys":
            return entry.supervised
        if attr == "name":
            return info.name
        return DataMethod(info, attr)


# -- plain handlers: the call needs nothing of the read --------------------------------------


def k_timeseries_dataset(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
    sampling_rate=1, batch_size=128, ...)``: windows of ``sequence_length`` rows, whose length
    TensorFlow's ``element_spec`` does not state (None)."""
    names = ("data", "targets", "sequence_length", "sequence_stride", "sampling_rate", "batch_size")
    given = {**dict(zip(names, args, strict=False)), **kwargs}
    x, y, length = given.get("data"), given.get("targets"), given.get("sequence_length")
    what = f"{func.name}(...)"
    if not (isinstance(x, Array) and x.shape and is_size(length)):
        return Dataset(Unknown(f"{what} element", e.lineno), what, batched=True)
    # TensorFlow's element_spec leaves the window's length unknown (None), as Keras then builds on it
    window = Array((None, *x.shape[1:]), what)
    el: Any = window
    if isinstance(y, Array) and y.shape:
        el = (window, replace(y, shape=tuple(y.shape[1:])))
    elif y is not None:
        el = (window, Unknown(f"{what} targets", e.lineno))
    size = given.get("batch_size", 128)
    return Dataset(batched(el, None) if size is not None else el, what, batched=size is not None)


def tf_dataset_call(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``tf.data.Dataset.from_tensor_slices(...)`` and its kin."""
    name = func.name
    first = args[0] if args else next(iter(kwargs.values()), None)
    what = f"Dataset.{name}(...)"
    if name == "from_tensor_slices":
        return Dataset(slices(first, what), what)
    if name == "from_tensors":
        return Dataset(first if known(first) else Unknown(f"{what} element", e.lineno), what)
    if name == "range":
        return Dataset(Array((), what), what)
    if name == "zip":
        parts = first if isinstance(first, (tuple, list)) else args
        if parts and all(isinstance(d, Dataset) for d in parts):
            return Dataset(tuple(d.element for d in parts), what, batched=all(d.batched for d in parts))
    if name == "from_generator":
        sig = kwargs.get("output_signature")
        return Dataset(sig if known(sig) else Unknown(f"{what} element", e.lineno), what)
    if name in ("sample_from_datasets", "choose_from_datasets") and isinstance(first, list) and first \
            and isinstance(first[0], Dataset):
        return first[0]
    return Unknown(f"{what}", e.lineno)


def tf_tensor_spec(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``tf.TensorSpec(shape=(None, 28), dtype=...)``: an array of that shape."""
    shape = args[0] if args else kwargs.get("shape")
    if isinstance(shape, (list, tuple)) and all(d is None or is_size(d) for d in shape):
        return Array(tuple(shape), "TensorSpec")
    return NotImplemented


def k_preprocess_data(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``keras.applications.<model>.preprocess_input(x)`` on data: the same shape."""
    first = args[0] if args else kwargs.get("x")
    return first if isinstance(first, Array) else NotImplemented


def tfds_as_numpy(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``tfds.as_numpy(ds)``: the same shapes (a dataset, or the arrays of ``batch_size=-1``)."""
    first = args[0] if args else kwargs.get("dataset")
    return first if isinstance(first, Dataset) or known(first) else NotImplemented


def _loaded(x: Array, label: Any, kwargs: dict[str, Any], what: str, names: Any) -> Dataset:
    el: Any = x if label is None else (x, label)
    size = kwargs.get("batch_size", 32)
    if size is None:
        return Dataset(el, what, class_names=names)
    return Dataset(batched(el, None), what, batched=True, class_names=names)


def _subsets(ds: Dataset, kwargs: dict[str, Any]) -> Any:
    return (ds, replace(ds)) if kwargs.get("subset") == "both" else ds


def _label(mode: Any, n: int | None, what: str, labels: Any) -> Any:
    """The labels of a directory dataset: ``int`` (sparse), ``categorical`` (one-hot over the
    classes), ``binary`` (one float), None (no labels)."""
    if mode is None or labels is None:
        return None
    if mode == "int":
        return Array((), what, classes=n)
    if mode == "categorical":
        return Array((n,), what, classes=n, onehot=True)
    if mode == "binary":
        return Array((1,), what, classes=2)
    return Unknown(f"{what} labels", 0)


def class_folders(program: str, directory: Any) -> list[str] | None:
    """The sub-folders of ``directory`` next to the program, sorted (Keras's class names),
    or None when it is not there. Only names are listed, no file is opened."""
    if not isinstance(directory, str) or not directory or "\x00" in directory:
        return None
    base = Path(program).resolve().parent if program and not program.startswith("<") else Path.cwd()
    where = base / os.path.expanduser(directory)
    names: list[str] = []
    try:
        if not where.is_dir():
            return None
        with os.scandir(where) as it:
            for i, entry in enumerate(it):
                if i >= MAX_CLASS_FOLDERS:
                    return None  # a folder of this many entries: not a folder of class folders
                if entry.is_dir() and not entry.name.startswith("."):  # as Keras's index_directory
                    names.append(entry.name)
    except OSError:
        return None
    return sorted(names) or None


#: LIBRARY_CALLS rows (keras_api.py): tf.data, TensorFlow functions on elements, tensorflow_datasets;
#: a handler is a function above or the name of a DataLoadersMixin method
TFDATA_CALLS: dict[tuple[str, str], str | Callable[..., Any]] = {
    **{("tensorflow.data.Dataset", n): tf_dataset_call for n in (
        "from_tensor_slices", "from_tensors", "range", "zip", "from_generator", "sample_from_datasets",
        "choose_from_datasets")},
    ("tensorflow", "TensorSpec"): tf_tensor_spec,
    **{(m, n): "tf_element_op" for m in ("tensorflow", "tensorflow.image", "tensorflow.math", "tensorflow.dtypes")
       for n, rule in ELEMENT_OPS.items() if rule not in ("decode", "scalar")},
    **{(m, n): "tf_element_op" for m in ("tensorflow.io", "tensorflow.image")
       for n, rule in ELEMENT_OPS.items() if rule in ("decode", "scalar")},
    ("tensorflow_datasets", "load"): "tfds_load", ("tensorflow_datasets", "builder"): "tfds_builder",
    ("tensorflow_datasets", "as_numpy"): tfds_as_numpy,
}
