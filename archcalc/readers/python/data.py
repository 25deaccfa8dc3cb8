"""Data whose shape the reader can follow: dataset loaders and the usual preparation steps.

``mnist.load_data()`` gives arrays of known shape; ``reshape`` (with -1), ``astype``, ``/ 255``,
``expand_dims``, ``[..., None]``, ``to_categorical``, ``train_test_split``, ``pad_sequences``,
``np.max(y) + 1`` and ``len(np.unique(y))`` keep them known. Anything else gives an unknown
value, which only matters if a layer needs it (then it becomes a named symbolic size).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from archcalc.readers.python import facts
from archcalc.readers.python.values import Array, Batches, ImageGenerator, Mod, Unknown, is_symbolic

_INT = (int,)


def _n(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or is_symbolic(v)


def keras_dataset(name: str, kwargs: dict[str, Any], line: int) -> Any:
    """((x_train, y_train), (x_test, y_test)) of a keras.datasets loader, or Unknown."""
    ds = facts.KERAS_DATASETS.get(name)
    if ds is None:
        return Unknown(f"{name}.load_data()", line)
    train, test, classes = ds.train, ds.test, ds.classes
    split = kwargs.get("test_split")
    total = ds.total
    if name == "california_housing" and kwargs.get("version") == "small":
        total = facts.CALIFORNIA_SMALL
        split = split if split is not None else 0.2
    if total is not None and (split is not None or total != train + test):
        split = 0.2 if split is None else split
        if isinstance(split, (int, float)) and 0 <= split < 1:
            train = int(total * (1 - split))
            test = total - train
    if name == "cifar100" and kwargs.get("label_mode") == "coarse":
        classes = facts.CIFAR100_COARSE
    vocab = kwargs.get("num_words") if _n(kwargs.get("num_words")) else None
    maxlen = kwargs.get("maxlen")

    def x(n: int, part: str) -> Array:
        if ds.ragged:
            return Array((n,), f"x_{part}", ragged=True, vocab=vocab)
        return Array((n, *ds.x), f"x_{part}")

    def y(n: int, part: str) -> Array:
        return Array((n, *ds.y), f"y_{part}", classes=classes)

    if ds.ragged and maxlen is not None:  # maxlen filters long reviews: the counts are unknown
        return ((x(train, "train"), Array((None,), "y_train", classes=classes)),
                (x(test, "test"), Array((None,), "y_test", classes=classes)))
    return (x(train, "train"), y(train, "train")), (x(test, "test"), y(test, "test"))


class Bunch(dict):
    """What scikit-learn's loaders return: ``.data``, ``.target``, ``.images``."""


def sklearn_dataset(name: str, kwargs: dict[str, Any], line: int, args: list[Any] | tuple[Any, ...] = ()) -> Any:
    ds = facts.SKLEARN_DATASETS.get(name)
    if ds is not None:
        x = Array((ds.samples, ds.features), "X")
        y = Array((ds.samples,) if ds.targets == 1 else (ds.samples, ds.targets), "y", classes=ds.classes)
        if kwargs.get("return_X_y"):
            return (x, y)
        b = Bunch(data=x, target=y)
        if ds.images is not None:
            b["images"] = Array((ds.samples, *ds.images), "images")
        return b
    gen = facts.SKLEARN_GENERATORS.get(name)
    if gen is not None:
        given = {**dict(zip(facts.SKLEARN_POSITIONAL.get(name, ()), args, strict=False)), **kwargs}
        vals = {k: given.get(k, d) for k, d in gen.items()}
        n, f = vals["n_samples"], vals["n_features"]
        if name == "make_blobs" and isinstance(n, (list, tuple)) and all(_n(k) for k in n):
            n = sum(n)  # one count per blob
        if not (_n(n) and _n(f)):
            return Unknown(f"{name}(...)", line)
        classes = vals.get("n_classes")
        if name == "make_blobs":
            c = vals.get("centers")
            classes = c if _n(c) else (len(c) if isinstance(c, (list, tuple)) else 3)
        targets = vals.get("n_targets", 1)
        if not _n(targets):
            return (Array((n, f), "X"), Unknown(f"{name}(...)[1]", line))
        y = Array((n,) if targets == 1 else (n, targets), "y", classes=classes)
        return (Array((n, f), "X"), y)
    return Unknown(f"{name}(...)", line)


def _split_sizes(n: Any, test_size: Any, train_size: Any) -> tuple[Any, Any]:
    """train_test_split's sizes (scikit-learn: n_test = ceil(test_size * n) for a fraction)."""
    if not isinstance(n, int):
        return None, None
    if test_size is None and train_size is None:
        test_size = 0.25
    if isinstance(test_size, float):
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, int):
        n_test = test_size
    else:
        n_test = None
    if isinstance(train_size, float):
        n_train = math.floor(train_size * n)
    elif isinstance(train_size, int):
        n_train = train_size
    else:
        n_train = None
    if n_test is None and n_train is not None:
        n_test = n - n_train
    if n_train is None and n_test is not None:
        n_train = n - n_test
    return n_train, n_test


def train_test_split(arrays: list[Any], kwargs: dict[str, Any], line: int) -> Any:
    out: list[Any] = []
    for a in arrays:
        if not isinstance(a, Array):
            out += [Unknown("train_test_split(...)", line)] * 2
            continue
        n_train, n_test = _split_sizes(a.shape[0], kwargs.get("test_size"), kwargs.get("train_size"))
        for n, part in ((n_train, "train"), (n_test, "test")):
            out.append(Array((n, *a.shape[1:]), f"{a.what}_{part}", a.classes, a.onehot, a.ragged, a.vocab))
    return out


def to_categorical(y: Any, num_classes: Any, line: int) -> Any:
    if not isinstance(y, Array):
        if _n(num_classes):  # labels read elsewhere: one row per sample, num_classes columns
            return Array((None, num_classes), "to_categorical(...)", classes=num_classes, onehot=True)
        return Unknown("to_categorical(...)", line)
    n = num_classes if num_classes is not None else y.classes
    if n is None:
        return Unknown("to_categorical(...)", line)
    shape = y.shape[:-1] if len(y.shape) > 1 and y.shape[-1] == 1 else y.shape
    return Array((*shape, n), y.what, classes=n, onehot=True)


def pad_sequences(seqs: Any, maxlen: Any, line: int) -> Any:
    if isinstance(seqs, Array) and maxlen is not None:
        return Array((seqs.shape[0], maxlen), seqs.what, vocab=seqs.vocab)
    if isinstance(seqs, Array):
        return Array((seqs.shape[0], None), seqs.what, vocab=seqs.vocab)
    return Unknown("pad_sequences(...)", line)


def reshape(a: Array, shape: Any, line: int) -> Any:
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (list, tuple)) or not all(_n(d) for d in shape):
        return Unknown(f"{a.what}.reshape(...)", line)
    shape = tuple(shape)
    if -1 in shape:
        known = [d for d in a.shape]
        total = 1
        for d in known:
            if not _n(d):
                return Array(tuple(None if d == -1 else d for d in shape), a.what, a.classes, a.onehot)
            total *= d
        rest = 1
        for d in shape:
            if d != -1:
                rest *= d
        missing = total // rest if isinstance(total, int) and isinstance(rest, int) and rest else total / rest
        shape = tuple(missing if d == -1 else d for d in shape)
    return Array(shape, a.what, a.classes, a.onehot)


def expand_dims(a: Array, axis: Any) -> Array:
    rank = len(a.shape) + 1
    ax = axis + rank if isinstance(axis, int) and axis < 0 else axis
    if not isinstance(ax, int):
        ax = rank - 1
    shape = list(a.shape)
    shape.insert(ax, 1)
    return Array(tuple(shape), a.what, a.classes, a.onehot)


def index(a: Array, key: Any, line: int) -> Any:
    """x[..., None], x[:, :, np.newaxis], x[:1000], x[0], y[:, 0]."""
    keys = key if isinstance(key, tuple) else (key,)
    keys = tuple(None if isinstance(k, Mod) and k.path[-1] == "newaxis" else k for k in keys)  # np.newaxis
    shape = list(a.shape)
    out: list[Any] = []
    i = 0
    n_real = sum(1 for k in keys if k is not None and k is not Ellipsis)
    for k in keys:
        if k is Ellipsis:
            take = len(shape) - i - n_real
            out.extend(shape[i:i + max(take, 0)])
            i += max(take, 0)
            continue
        if k is None:
            out.append(1)
            continue
        n_real -= 1
        if i >= len(shape):
            return Unknown(f"{a.what}[...]", line)
        if isinstance(k, slice):
            d = shape[i]
            out.append(len(range(d)[k]) if isinstance(d, int) else None)
        elif isinstance(k, int) and not isinstance(k, bool):
            pass  # the axis is dropped
        else:
            return Unknown(f"{a.what}[...]", line)
        i += 1
    out.extend(shape[i:])
    return Array(tuple(out), a.what, a.classes if len(out) <= len(a.shape) else a.classes, a.onehot)


def broadcast(a: Any, b: Any) -> Any:
    """The result of element-wise arithmetic between arrays (and numbers)."""
    if not isinstance(a, Array):
        return b
    if not isinstance(b, Array):
        return a
    ra, rb = list(a.shape), list(b.shape)
    n = max(len(ra), len(rb))
    ra = [1] * (n - len(ra)) + ra
    rb = [1] * (n - len(rb)) + rb
    out = [y if x == 1 else x for x, y in zip(ra, rb, strict=True)]
    return Array(tuple(out), a.what)


def max_label(a: Array, line: int) -> Any:
    """np.max(y) / y.max() for labels 0..classes-1."""
    if a.classes is not None and not a.onehot:
        return a.classes - 1
    if a.vocab is not None:
        return a.vocab - 1
    return Unknown(f"max({a.what})", line)


def unique(a: Array, line: int) -> Any:
    if a.classes is not None and not a.onehot:
        return Array((a.classes,), f"unique({a.what})")
    return Unknown(f"unique({a.what})", line)


# -- data given a batch at a time ----------------------------------------------------------


def unbatched(v: Any) -> Any:
    """One batch's array with its batch axis unknown (the dataset's size is not the batch's)."""
    if isinstance(v, Array) and v.shape:
        return Array((None, *v.shape[1:]), v.what, v.classes, v.onehot, v.ragged, v.vocab)
    if isinstance(v, (list, tuple)) and v and all(isinstance(a, Array) for a in v):
        return [unbatched(a) for a in v]
    return None


def batches_of(value: Any, what: str) -> Batches:
    """What a generator yields, ``(x, y)`` or ``(x, y, sample_weight)`` or ``x`` alone."""
    if isinstance(value, tuple) and len(value) in (2, 3):
        return named(Batches(unbatched(value[0]), unbatched(value[1]), what), what)
    return named(Batches(unbatched(value), None, what), what)


def named(b: Batches, name: str) -> Batches:
    """The batches with their arrays named ``name`` (messages name the user's variable)."""
    def rename(v: Any) -> Any:
        if isinstance(v, Array):
            return replace(v, what=name)
        if isinstance(v, list):
            return [rename(a) for a in v]
        return v

    return Batches(rename(b.x), rename(b.y), name, b.source)


#: ImageDataGenerator's color modes: channels per image
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}


def image_flow(gen: ImageGenerator, method: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
    """``datagen.flow(x, y)``, ``flow_from_directory(...)``, ``flow_from_dataframe(...)``:
    the batches Keras's iterators give (shapes from the arguments and Keras's defaults)."""
    what = f"{method}(...)"
    if method == "flow":
        data_x = args[0] if args else kwargs.get("x")
        data_y = args[1] if len(args) > 1 else kwargs.get("y")
        return Batches(unbatched(data_x), unbatched(data_y), what, method)
    if method not in ("flow_from_directory", "flow_from_dataframe"):
        return Unknown(f"{method}(...)", line)
    size = kwargs.get("target_size", (256, 256))
    channels = _CHANNELS.get(kwargs.get("color_mode", "rgb"))
    if not (isinstance(size, (tuple, list)) and len(size) == 2 and all(_n(d) for d in size)) or channels is None:
        return Batches(None, None, what, method)
    first = gen.kwargs.get("data_format") == "channels_first"
    x: Any = Array((None, channels, *size) if first else (None, *size, channels), what)
    classes = kwargs.get("classes")
    n = len(classes) if isinstance(classes, (list, tuple, dict)) and classes else None
    mode = kwargs.get("class_mode", "categorical")
    y: Any
    if mode == "categorical":
        y = Array((None, n), what, classes=n, onehot=True)
    elif mode == "binary":
        y = Array((None,), what, classes=2)
    elif mode == "sparse":
        y = Array((None,), what, classes=n)
    elif mode == "input":
        y = x
    else:  # None (predictions only), 'raw', 'multi_output': not known
        y = None
    return Batches(x, y, what, method)


def _literal_shape(v: Any, depth: int = 0) -> tuple | None:
    """The shape of a rectangular nested list of numbers ([[0], [1]] -> (2, 1)); None otherwise."""
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return ()
    if not isinstance(v, (list, tuple)) or not v or depth > 32:
        return None
    inner = _literal_shape(v[0], depth + 1)
    if inner is None or any(_literal_shape(x, depth + 1) != inner for x in v[1:]):
        return None
    return (len(v), *inner)


def _flat(v: Any) -> list[Any]:
    return [y for x in v for y in _flat(x)] if isinstance(v, (list, tuple)) else [v]


def list_array(items: list[Any] | tuple[Any, ...], what: str) -> Any:
    """``np.array(images)`` of a list of same-shaped arrays: one more axis in front; of a
    nested list of numbers, its shape (integer labels 0..k-1 give k classes)."""
    shape = _literal_shape(items)
    if shape:
        values = _flat(items)
        labels = all(type(x) is int and x >= 0 for x in values) and (len(shape) == 1 or shape[1:] == (1,))
        return Array(shape, what, classes=max(values) + 1 if labels and values else None)
    if not items or not all(isinstance(a, Array) for a in items):
        return None
    shape = items[0].shape
    if any(a.shape != shape for a in items):
        return None
    return Array((len(items), *shape), what)
