"""``tf.data`` pipelines and ``tensorflow_datasets`` loaders: the shapes of their elements, never data.

A :class:`Dataset` holds one element as :class:`~archcalc.readers.python.values.Array` values
(a tuple or dict of them for ``(image, label)`` pairs), the batch axis included once it is
batched. The loaders give it from their arguments (``image_dataset_from_directory(image_size=
(180, 180))``: ``(None, 180, 180, 3)`` images), ``from_tensor_slices((x, y))`` from arrays archcalc
knows, ``tfds.load('mnist')`` from the catalog's feature shapes (``tfds_catalog.py``). Methods
follow Keras and TensorFlow: ``batch`` adds the batch axis, ``unbatch`` removes it, ``map`` runs
the program's function over the element (a few TensorFlow image and tensor functions are
followed on elements: ``ELEMENT_OPS``), ``shuffle``/``prefetch``/``cache``/... keep it.
``model.fit(ds)`` reads the dataset as batches (``as_batches``), as ``fit`` on a generator.

What archcalc cannot follow makes the element unknown (a named size where a layer needs it,
``--set`` pins it), never a guessed shape. The number of images in a folder is never read; the
class names of a directory next to the program are its sub-folders' names (a listing, no file
is opened).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.errors import ArchcalcError, LimitError
from archcalc.readers.python import data
from archcalc.readers.python.config_files import OpenedFile, opened
from archcalc.readers.python.values import (
    Array,
    Batches,
    LayerObj,
    Mod,
    Tensor,
    Unknown,
    is_symbolic,
)

if TYPE_CHECKING:
    from archcalc.readers.python import tfds_catalog
    from archcalc.readers.python.evaluator import Evaluator

#: entries listed for a directory's class names (``image_dataset_from_directory``)
MAX_CLASS_FOLDERS = limits.MAX_ARCHIVE_ENTRIES


@dataclass
class Dataset:
    """A ``tf.data.Dataset``: one element's arrays (their shapes), as TensorFlow's
    ``element_spec`` states them. ``element`` is an Array, a tuple or dict of them, or Unknown."""

    element: Any
    what: str
    batched: bool = False
    #: how many elements a loop over it runs (``ds.take(1)``); None: not known
    count: int | None = None
    #: ``ds.class_names`` (a directory's sub-folders), or an unknown value
    class_names: Any = None

    def __repr__(self) -> str:  # message text, never the dataclass's fields
        return f"the dataset `{self.what}`"


@dataclass(frozen=True)
class DataMethod:
    """A method of a dataset, tfds object or opened file, before it is called."""

    obj: Any
    name: str

    def __repr__(self) -> str:
        return f"the method {self.name}() of {self.obj!r}"


@dataclass
class TfdsInfo:
    """``tfds.load(..., with_info=True)``'s info, or ``tfds.builder(name)`` (``builder``)."""

    name: str
    entry: tfds_catalog.TfdsDataset | None
    builder: bool = False

    def __repr__(self) -> str:
        return f"the tensorflow_datasets info of '{self.name}'"


@dataclass
class TfdsFeature:
    """``info.features['label']``: its shape and number of classes."""

    name: str
    shape: Any
    num_classes: Any = None

    def __repr__(self) -> str:
        return f"`{self.name}`"


@dataclass
class TfdsSplit:
    """``info.splits['train']``: its number of examples (from the catalog, or a named size)."""

    num_examples: Any

    def __repr__(self) -> str:
        return "a tensorflow_datasets split"


#: the values whose attributes and methods this module answers
DATA_VALUES = (Dataset, TfdsInfo, TfdsFeature, TfdsSplit, OpenedFile)

#: the builtins data_builtin answers (for the values of this module, and open())
BUILTINS = {"open", "iter", "next", "len", "list"}

#: Dataset methods that keep the element as it is
SAME_ELEMENT = {"shuffle", "prefetch", "cache", "repeat", "skip", "filter", "with_options", "shard",
                "ignore_errors", "as_numpy_iterator", "apply_options", "concatenate", "take_while",
                "cardinality_unchanged", "__iter__", "sample_from_datasets"}

#: image_dataset_from_directory's color modes: channels per image
CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}

#: TensorFlow functions followed on an element's arrays (inside ``map``): name -> rule
ELEMENT_OPS: dict[str, str] = {
    **{n: "same" for n in (
        "cast", "convert_image_dtype", "identity", "clip_by_value", "random_flip_left_right",
        "random_flip_up_down", "flip_left_right", "flip_up_down", "random_brightness", "random_contrast",
        "random_saturation", "random_hue", "adjust_brightness", "adjust_contrast", "adjust_saturation",
        "adjust_hue", "adjust_gamma", "per_image_standardization", "stateless_random_flip_left_right",
        "stateless_random_flip_up_down", "stateless_random_brightness", "stateless_random_contrast",
        "abs", "sqrt", "exp", "log", "square",
        "saturate_cast", "ensure_shape", "stop_gradient", "random_jpeg_quality", "preprocess_input")},
    "resize": "resize", "resize_images": "resize", "resize_with_pad": "resize_hw",
    "resize_with_crop_or_pad": "resize_hw", "crop_to_bounding_box": "box", "pad_to_bounding_box": "box",
    "random_crop": "random_crop", "rgb_to_grayscale": "gray", "grayscale_to_rgb": "rgb",
    "one_hot": "one_hot", "expand_dims": "expand_dims", "reshape": "reshape", "squeeze": "squeeze",
    "transpose": "transpose", "decode_jpeg": "decode", "decode_png": "decode", "decode_image": "decode",
    "decode_bmp": "decode", "decode_gif": "decode", "read_file": "scalar",
}


def _n(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or is_symbolic(v)


def leaves(el: Any, fn: Callable[[Array], Any]) -> Any:
    """``fn`` applied to each array of an element (a tuple or dict of arrays keeps its form);
    None when the element holds something that is not an array."""
    if isinstance(el, Array):
        return fn(el)
    if isinstance(el, tuple) and el:  # a list is one tensor to tf.data, never a structure
        parts = [leaves(x, fn) for x in el]
        return None if any(p is None for p in parts) else tuple(parts)
    if isinstance(el, dict) and el:
        items = {k: leaves(x, fn) for k, x in el.items()}
        return None if any(p is None for p in items.values()) else items
    return None


def known(el: Any) -> bool:
    return leaves(el, lambda a: a) is not None


def slices(x: Any, what: str) -> Any:
    """The element of ``from_tensor_slices(x)``: each array without its first axis."""
    if isinstance(x, list):  # a list is one tensor: numbers, strings (file names), same-shaped arrays
        x = Array((len(x),), what) if x and all(isinstance(a, str) for a in x) else data.list_array(x, what)
    got = leaves(x, lambda a: replace(a, shape=tuple(a.shape[1:])) if a.shape else None)
    return got if got is not None else Unknown(f"{what} element", 0)


def batched(el: Any, size: Any) -> Any:
    got = leaves(el, lambda a: replace(a, shape=(size, *a.shape)))
    return got if got is not None else el


def unbatched(el: Any) -> Any:
    got = leaves(el, lambda a: replace(a, shape=tuple(a.shape[1:])) if a.shape else None)
    return got if got is not None else el


def as_batches(v: Any) -> Any:
    """``fit(ds)``: a batched dataset as :class:`Batches` (x, y, and any sample weights), as
    Keras reads it; anything else unchanged. An unbatched dataset gives no shapes (Keras would
    take each element as a batch)."""
    if not isinstance(v, Dataset):
        return v
    if not v.batched or not known(v.element):
        return Batches(None, None, v.what, "tf.data")
    el = v.element
    if isinstance(el, tuple) and len(el) in (2, 3):
        x, y = el[0], el[1]
    else:
        x, y = el, None
    return Batches(_batch_view(x), _batch_view(y), v.what, "tf.data")


def _batch_view(v: Any) -> Any:
    """One batch's arrays with the batch axis None (a list for a model of several inputs)."""
    if isinstance(v, Array):
        return replace(v, shape=(None, *v.shape[1:])) if v.shape else None
    if isinstance(v, tuple):
        return [_batch_view(a) for a in v]
    return None


def fit_arguments(args: list[Any], kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any], Any]:
    """``fit()``'s arguments with a dataset read as its batches (``as_batches``), and the data
    whose shapes build a model that has none yet (one batch's arrays)."""
    args = [as_batches(a) for a in args]
    kwargs = {k: as_batches(v) for k, v in kwargs.items()}
    x = args[0] if args else kwargs.get("x")
    return args, kwargs, x.x if isinstance(x, Batches) else x


def iteration(v: Any, line: int = 0) -> Any:
    """What ``for x, y in ds.take(1)`` loops over: the element, ``count`` times (once when the
    count is not known: every pass sees the same shapes, and the first builds what the loop
    builds, as ``model(images)`` in a training step does); an unknown value when the element
    is not known (the loop is then skipped, as a loop over data)."""
    if not isinstance(v, Dataset):
        return v
    if not known(v.element):
        return Unknown(v.what, line)
    if v.count is not None and 0 <= v.count <= limits.MAX_SEQ:
        return [v.element] * v.count
    return [v.element]


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


# -- functions on an element's arrays ------------------------------------------------------


def _image_size(a: Array, h: Any, w: Any) -> Any:
    if len(a.shape) not in (3, 4) or not (_n(h) and _n(w)):
        return None
    return replace(a, shape=(*a.shape[:-3], h, w, a.shape[-1]))


def element_op(name: str, args: list[Any], kwargs: dict[str, Any], line: int,
               named: Callable[[str], Any]) -> Any:
    """A TensorFlow function of ELEMENT_OPS on an element's array: the result's shape, or
    NotImplemented (the call then goes on to the reader's other handlers)."""
    rule = ELEMENT_OPS.get(name)
    first = args[0] if args else next(iter(kwargs.values()), None)
    if rule == "decode":  # any contents: an image of unknown height and width
        if name == "decode_image" and kwargs.get("expand_animations", True) is not False:
            return Unknown(f"{name}(...)", line)  # an animated GIF gives frames: TensorFlow knows no rank
        channels = kwargs.get("channels", args[1] if len(args) > 1 else 0)
        c = channels if _n(channels) and channels else named("channels")
        image = (named("height"), named("width"), 3 if name == "decode_gif" else c)
        return Array((named("frames"), *image) if name == "decode_gif" else image, f"{name}(...)")
    if rule == "scalar":
        return Array((), f"{name}(...)")
    if rule is None or not isinstance(first, Array):
        return NotImplemented
    got = _shape_rule(rule, first, args, kwargs, line)
    return got if got is not None else Unknown(f"{name}(...)", line)


def _shape_rule(rule: str, a: Array, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
    def arg(i: int, key: str, default: Any = None) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    if rule == "same":
        return a
    if rule in _IMAGE_RULES:
        return _image_rule(rule, a, arg)
    return _tensor_rule(rule, a, arg, line)


_IMAGE_RULES = {"resize", "resize_hw", "box", "random_crop", "gray", "rgb"}


def _image_rule(rule: str, a: Array, arg: Callable[..., Any]) -> Any:
    """tf.image functions that change an image's height, width or channels."""
    if rule == "resize":
        if arg(3, "preserve_aspect_ratio", False) is not False:
            return None  # the size is at most (h, w), keeping the image's proportions
        size = arg(1, "size")
        return _image_size(a, *size) if isinstance(size, (list, tuple)) and len(size) == 2 else None
    if rule == "resize_hw":
        return _image_size(a, arg(1, "target_height"), arg(2, "target_width"))
    if rule == "box":
        return _image_size(a, arg(3, "target_height"), arg(4, "target_width"))
    if rule == "random_crop":
        size = arg(1, "size")
        ok = isinstance(size, (list, tuple)) and size and all(_n(d) for d in size)
        return replace(a, shape=tuple(size)) if ok else None
    return replace(a, shape=(*a.shape[:-1], 1 if rule == "gray" else 3)) if a.shape else None


def _tensor_rule(rule: str, a: Array, arg: Callable[..., Any], line: int) -> Any:
    """tf functions that change a tensor's axes (one-hot, expand, reshape, squeeze, transpose)."""
    if rule == "one_hot":
        depth = arg(1, "depth")
        return Array((*a.shape, depth), a.what, classes=depth, onehot=True) if _n(depth) else None
    if rule == "expand_dims":
        return data.expand_dims(a, arg(1, "axis", -1))
    if rule == "reshape":
        got = data.reshape(a, arg(1, "shape"), line)
        return got if isinstance(got, Array) and all(d is not None for d in got.shape) else None
    if rule == "squeeze":
        return _squeeze(a, arg(1, "axis"))
    if rule == "transpose":
        perm = arg(1, "perm")
        if isinstance(perm, (list, tuple)) and sorted(perm) == list(range(len(a.shape))):
            return replace(a, shape=tuple(a.shape[i] for i in perm))
    return None


def _squeeze(a: Array, axis: Any) -> Any:
    if axis is None:
        if any(not isinstance(d, int) for d in a.shape):
            return None
        return replace(a, shape=tuple(d for d in a.shape if d != 1))
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    rank = len(a.shape)
    if not all(isinstance(x, int) and -rank <= x < rank for x in axes):
        return None
    drop = {x % rank for x in axes}
    if any(a.shape[i] != 1 for i in drop):
        return None
    return replace(a, shape=tuple(d for i, d in enumerate(a.shape) if i not in drop))


# -- the reader's side: loaders, methods, attributes ---------------------------------------


class DataPipelineMixin:
    """tf.data and tensorflow_datasets calls of the Interpreter (rows of keras_api's tables)."""

    ev: Evaluator
    notes: list[str]
    named_size: Callable[..., Any]
    loc: Callable[..., Any]
    config_file_method: Callable[..., Any]
    skipped: Callable[..., None]

    # -- loaders: rows of KERAS_CALLS and LIBRARY_CALLS -----------------------------------

    def k_image_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``image_dataset_from_directory(directory, labels='inferred', label_mode='int',
        class_names=None, color_mode='rgb', batch_size=32, image_size=(256, 256), ...)``."""
        directory = args[0] if args else kwargs.get("directory")
        size = kwargs.get("image_size", (256, 256))
        channels = CHANNELS.get(kwargs.get("color_mode", "rgb"))
        what = f"{func.name}({directory!r})" if isinstance(directory, str) else f"{func.name}(...)"
        if not (isinstance(size, (list, tuple)) and len(size) == 2 and all(_n(d) for d in size)) or not channels:
            return self._subsets(Dataset(Unknown(f"{what} element", e.lineno), what), kwargs)
        first = kwargs.get("data_format") == "channels_first"
        x = Array((channels, *size) if first else (*size, channels), what)
        names = self._class_names(directory, kwargs, what, e)
        n = len(names) if isinstance(names, list) else None
        label = _label(kwargs.get("label_mode", "int"), n, what, kwargs.get("labels", "inferred"))
        return self._subsets(self._loaded(x, label, kwargs, what, names), kwargs)

    def k_text_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``text_dataset_from_directory(directory, ..., label_mode='int', batch_size=32)``:
        one string per text (shape ``()``)."""
        directory = args[0] if args else kwargs.get("directory")
        what = f"{func.name}({directory!r})" if isinstance(directory, str) else f"{func.name}(...)"
        names = self._class_names(directory, kwargs, what, e)
        n = len(names) if isinstance(names, list) else None
        label = _label(kwargs.get("label_mode", "int"), n, what, kwargs.get("labels", "inferred"))
        return self._subsets(self._loaded(Array((), what), label, kwargs, what, names), kwargs)

    def k_timeseries_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
        sampling_rate=1, batch_size=128, ...)``: windows of ``sequence_length`` rows, whose length
        TensorFlow's ``element_spec`` does not state (None)."""
        names = ("data", "targets", "sequence_length", "sequence_stride", "sampling_rate", "batch_size")
        given = {**dict(zip(names, args, strict=False)), **kwargs}
        x, y, length = given.get("data"), given.get("targets"), given.get("sequence_length")
        what = f"{func.name}(...)"
        if not (isinstance(x, Array) and x.shape and _n(length)):
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

    def tf_dataset_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
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

    def tf_tensor_spec(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tf.TensorSpec(shape=(None, 28), dtype=...)``: an array of that shape."""
        shape = args[0] if args else kwargs.get("shape")
        if isinstance(shape, (list, tuple)) and all(d is None or _n(d) for d in shape):
            return Array(tuple(shape), "TensorSpec")
        return NotImplemented

    def tf_element_op(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tf.image.resize(x, (224, 224))``, ``tf.one_hot(y, 10)``, ... on an element's arrays."""
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]):
            return NotImplemented  # an operation of the model: an op node (layers/ops.py)
        return element_op(func.name, args, kwargs, e.lineno, lambda s: self.named_size(f"{func.name}.{s}"))

    def k_preprocess_data(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``keras.applications.<model>.preprocess_input(x)`` on data: the same shape."""
        first = args[0] if args else kwargs.get("x")
        return first if isinstance(first, Array) else NotImplemented

    def layer_on_data(self, layer: Any, x: Array, e: ast.Call) -> Any:
        """A layer called on data (``normalization_layer(x)`` inside ``ds.map``): data of the
        layer's output shape where that is sure (the same shape, or a batch of known axis None),
        else unknown, as before."""
        lt = getattr(layer, "layer", None)
        if isinstance(layer, LayerObj) and lt is not None and x.shape:
            try:
                out = lt.output_shape([tuple(x.shape)])
            except (ArchcalcError, ValueError, TypeError, ZeroDivisionError, AttributeError):
                out = None
            if isinstance(out, tuple) and (out == tuple(x.shape) or x.shape[0] is None) and all(
                    d is None or _n(d) for d in out):
                return Array(out, x.what, x.classes, x.onehot)
        return Unknown(f"{getattr(layer, 'name', 'layer')}(...)", e.lineno)

    def tfds_load(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tfds.load(name, split=None, batch_size=None, as_supervised=False, with_info=False)``."""
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            return Unknown("tfds.load(...)", e.lineno)
        info = TfdsInfo(name, self._catalog(name, e))
        got = self._tfds_splits(info, kwargs.get("split", args[1] if len(args) > 1 else None), kwargs, e)
        return (got, info) if kwargs.get("with_info") else got

    def tfds_builder(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            return Unknown("tfds.builder(...)", e.lineno)
        return TfdsInfo(name, self._catalog(name, e), builder=True)

    def tfds_as_numpy(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tfds.as_numpy(ds)``: the same shapes (a dataset, or the arrays of ``batch_size=-1``)."""
        first = args[0] if args else kwargs.get("dataset")
        return first if isinstance(first, Dataset) or known(first) else NotImplemented

    # -- methods and attributes --------------------------------------------------------------

    def data_attribute(self, obj: Any, attr: str, e: ast.AST) -> Any:
        line = getattr(e, "lineno", 0)
        if isinstance(obj, OpenedFile):
            return DataMethod(obj, attr)
        if isinstance(obj, Dataset):
            if attr == "element_spec":
                return obj.element
            if attr == "class_names":
                return obj.class_names if obj.class_names is not None else Unknown(f"{obj.what}.class_names", line)
            return DataMethod(obj, attr)
        if isinstance(obj, TfdsInfo):
            return self._info_attribute(obj, attr, line)
        if isinstance(obj, TfdsFeature):
            if attr in ("shape", "num_classes"):
                value = getattr(obj, attr)
                return value if value is not None else Unknown(f"{obj.name}.{attr}", line)
            return Unknown(f"{obj.name}.{attr}", line)
        if isinstance(obj, TfdsSplit) and attr == "num_examples":
            return obj.num_examples
        return Unknown(f"{type(obj).__name__}.{attr}", line)

    def data_method(self, m: DataMethod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        obj, name = m.obj, m.name
        if isinstance(obj, OpenedFile):
            return self.config_file_method(obj, name, e)
        if isinstance(obj, TfdsInfo):
            if name == "as_dataset":
                return self._tfds_splits(obj, kwargs.get("split", args[0] if args else None), kwargs, e)
            return None if name in ("download_and_prepare",) else Unknown(f"{obj.name}.{name}(...)", e.lineno)
        if isinstance(obj, Dataset):
            return self._dataset_method(obj, name, args, kwargs, e)
        return Unknown(f"{name}(...)", e.lineno)

    def data_iteration(self, it: Any, s: ast.For, env: dict[str, Any]) -> Any:
        """What a ``for`` loop over ``it`` runs on (see ``iteration``). A loop over a dataset runs
        its body once on the element; the models its body trains are also recorded as a skipped
        loop's are (``skipped_uses``: a use inside a call archcalc does not follow, such as
        ``tape.gradient(loss, model.trainable_variables)``, is never evaluated)."""
        items = iteration(it, s.lineno)
        if isinstance(it, Dataset) and isinstance(items, list):
            self.skipped(s.body, env)
        return items

    def data_call(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call this module answers (a method of its values, or a builtin: open, iter, next,
        len, list); NotImplemented for any other."""
        if isinstance(func, DataMethod):
            return self.data_method(func, args, kwargs, e)
        if isinstance(func, tuple) and func[:1] == ("builtin",) and func[1] in BUILTINS:
            return self.data_builtin(func[1], args, e)
        return NotImplemented

    def data_builtin(self, name: str, args: list[Any], e: ast.Call) -> Any:
        """``open('config.json')``, ``iter(ds)``, ``next(iter(ds))``, ``len(ds)``; NotImplemented
        for anything else."""
        if name == "open":
            return opened(self.ev.path, args, e.lineno)
        if not (len(args) >= 1 and isinstance(args[0], Dataset)):
            return NotImplemented
        ds = args[0]
        if name == "iter":
            return ds
        if name == "next":
            return ds.element
        if name == "len":
            return Unknown(f"len({ds.what})", e.lineno)  # the number of batches: data, never read
        if name == "list" and isinstance(iteration(ds), list):
            return iteration(ds)
        return NotImplemented

    def _dataset_method(self, ds: Dataset, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name in SAME_ELEMENT:
            return replace(ds, count=None if name in ("repeat", "filter", "skip") else ds.count)
        if name == "take":
            n = args[0] if args else kwargs.get("count")
            k = n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None
            return replace(ds, count=k if ds.count is None or k is None else min(k, ds.count))
        if name in ("batch", "padded_batch"):
            size = args[0] if args else kwargs.get("batch_size")
            drop = kwargs.get("drop_remainder", args[1] if name == "batch" and len(args) > 1 else False)
            return replace(ds, element=batched(ds.element, size if drop is True and _n(size) else None),
                           batched=True, count=None)
        if name == "unbatch":
            return replace(ds, element=unbatched(ds.element), batched=False, count=None)
        if name == "map":
            fn = args[0] if args else kwargs.get("map_func")
            return replace(ds, element=self._mapped(ds, fn, e))
        if name == "enumerate":
            return replace(ds, element=(Array((), ds.what), ds.element))
        if name == "cardinality":
            return Unknown(f"{ds.what}.cardinality()", e.lineno)
        if name == "apply" and args:
            return self.ev.call_value(args[0], [ds], {}, e)
        return Unknown(f"{ds.what}.{name}(...)", e.lineno)

    def _mapped(self, ds: Dataset, fn: Any, e: ast.Call) -> Any:
        """The element after ``ds.map(fn)``: fn run on the element's arrays (a tuple element is
        passed as separate arguments, as tf.data does); unknown when it cannot be followed."""
        el = ds.element
        line = getattr(e, "lineno", 0)
        if not known(el) or fn is None:
            return Unknown(f"{ds.what}.map(...) element", line)
        args = list(el) if isinstance(el, tuple) else [el]
        try:
            out = self.ev.call_value(fn, args, {}, e)
        except LimitError:
            raise
        except ArchcalcError:
            out = None
        result = leaves(out, lambda a: a) if not isinstance(out, list) else None
        if result is None:
            self.notes.append(f"the elements of {ds.what} after map() at line {line} are not known to archcalc "
                              f"(their shapes come from code it does not follow); a model fitted on them has "
                              f"named input sizes (--set NAME=VALUE pins them)")
            return Unknown(f"{ds.what}.map(...) element", line)
        return result

    # -- helpers ----------------------------------------------------------------------------

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

    def _loaded(self, x: Array, label: Any, kwargs: dict[str, Any], what: str, names: Any) -> Dataset:
        el: Any = x if label is None else (x, label)
        size = kwargs.get("batch_size", 32)
        if size is None:
            return Dataset(el, what, class_names=names)
        return Dataset(batched(el, None), what, batched=True, class_names=names)

    def _subsets(self, ds: Dataset, kwargs: dict[str, Any]) -> Any:
        return (ds, replace(ds)) if kwargs.get("subset") == "both" else ds

    def _catalog(self, name: str, e: ast.Call) -> tfds_catalog.TfdsDataset | None:
        from archcalc.readers.python import tfds_catalog  # the catalog table, on a tfds call only

        entry = tfds_catalog.TFDS.get(name.split(":", 1)[0].strip())
        if entry is None:
            self.notes.append(f"tensorflow_datasets '{name}' (line {e.lineno}) is not in archcalc's table of the "
                              f"catalog's shapes: its features are named sizes (--set NAME=VALUE pins them)")
        return entry

    def _tfds_splits(self, info: TfdsInfo, split: Any, kwargs: dict[str, Any], e: ast.Call) -> Any:
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

    def _info_attribute(self, info: TfdsInfo, attr: str, line: int) -> Any:
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


#: LIBRARY_CALLS rows (keras_api.py): tf.data, TensorFlow functions on elements, tensorflow_datasets
TFDATA_CALLS: dict[tuple[str, str], str] = {
    **{("tensorflow.data.Dataset", n): "tf_dataset_call" for n in (
        "from_tensor_slices", "from_tensors", "range", "zip", "from_generator", "sample_from_datasets",
        "choose_from_datasets")},
    ("tensorflow", "TensorSpec"): "tf_tensor_spec",
    **{(m, n): "tf_element_op" for m in ("tensorflow", "tensorflow.image", "tensorflow.math", "tensorflow.dtypes")
       for n, rule in ELEMENT_OPS.items() if rule not in ("decode", "scalar")},
    **{(m, n): "tf_element_op" for m in ("tensorflow.io", "tensorflow.image")
       for n, rule in ELEMENT_OPS.items() if rule in ("decode", "scalar")},
    ("tensorflow_datasets", "load"): "tfds_load", ("tensorflow_datasets", "builder"): "tfds_builder",
    ("tensorflow_datasets", "as_numpy"): "tfds_as_numpy",
}


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


__all__ = ["DATA_VALUES", "TFDATA_CALLS", "fit_arguments", "DataMethod", "DataPipelineMixin", "Dataset", "OpenedFile", "as_batches", "iteration"]
