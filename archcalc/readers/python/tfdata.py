"""``tf.data`` datasets as the shapes of their elements, never data: the values and the functions
on elements that the loaders (tfdata_loaders.py) and the pipeline's methods (tfdata_pipeline.py)
share.

A :class:`Dataset` holds one element as :class:`~archcalc.readers.python.values.Array` values
(a tuple or dict of them for ``(image, label)`` pairs), the batch axis included once it is
batched. The loaders give it from their arguments (``image_dataset_from_directory(image_size=
(180, 180))``: ``(None, 180, 180, 3)`` images), ``from_tensor_slices((x, y))`` from arrays archcalc
knows, ``tfds.load('mnist')`` from the catalog's feature shapes (``tfds_catalog.py``). Methods
follow Keras and TensorFlow: ``batch`` adds the batch axis, ``unbatch`` removes it, ``map`` runs
the program's function over the element (a few TensorFlow image and tensor functions are
followed on elements: element_ops.py's ``ELEMENT_OPS``), ``shuffle``/``prefetch``/``cache``/...
keep it (tfdata_pipeline.py).
``model.fit(ds)`` reads the dataset as batches (``as_batches``), as ``fit`` on a generator.

What archcalc cannot follow makes the element unknown (a named size where a layer needs it,
``--set`` pins it), never a guessed shape. The number of images in a folder is never read; the
class names of a directory next to the program are its sub-folders' names (a listing, no file
is opened).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.readers.python import data
from archcalc.readers.python.config_files import OpenedFile
from archcalc.readers.python.values import Array, Batches, LibraryValue, Unknown, is_symbolic

if TYPE_CHECKING:
    from archcalc.readers.python import tfds_catalog


@dataclass
class Dataset(LibraryValue):
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
class DataMethod(LibraryValue):
    """A method of a dataset, tfds object or opened file, before it is called."""

    obj: Any
    name: str

    def __repr__(self) -> str:
        return f"the method {self.name}() of {self.obj!r}"


@dataclass
class TfdsInfo(LibraryValue):
    """``tfds.load(..., with_info=True)``'s info, or ``tfds.builder(name)`` (``builder``)."""

    name: str
    entry: tfds_catalog.TfdsDataset | None
    builder: bool = False

    def __repr__(self) -> str:
        return f"the tensorflow_datasets info of '{self.name}'"


@dataclass
class TfdsFeature(LibraryValue):
    """``info.features['label']``: its shape and number of classes."""

    name: str
    shape: Any
    num_classes: Any = None

    def __repr__(self) -> str:
        return f"`{self.name}`"


@dataclass
class TfdsSplit(LibraryValue):
    """``info.splits['train']``: its number of examples (from the catalog, or a named size)."""

    num_examples: Any

    def __repr__(self) -> str:
        return "a tensorflow_datasets split"


#: the values whose attributes and methods this module answers
DATA_VALUES = (Dataset, TfdsInfo, TfdsFeature, TfdsSplit, OpenedFile)


def is_size(v: Any) -> bool:
    """A size: an int (not a bool) or a named size."""
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


def dataset_batch(v: Any) -> int | None:
    """The batch axis of a batched dataset's input element, when it is a size
    (``batch(128, drop_remainder=True)``: 128), else None."""
    if not isinstance(v, Dataset) or not v.batched:
        return None
    el = v.element[0] if isinstance(v.element, tuple) and v.element else v.element
    first = el.shape[0] if isinstance(el, Array) and el.shape else None
    return first if isinstance(first, int) and not isinstance(first, bool) else None


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


__all__ = ["DATA_VALUES", "DataMethod", "Dataset", "OpenedFile", "TfdsFeature", "TfdsInfo", "TfdsSplit", "as_batches",
           "batched", "fit_arguments", "is_size", "iteration", "known", "leaves", "slices", "unbatched"]
