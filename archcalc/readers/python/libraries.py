"""Calls into libraries other than Keras and TensorFlow: pandas and NumPy data files next to the
program (headers only: data_files.py, frames.py), scikit-learn's datasets and splits, the
scikit-learn wrappers of a Keras model builder, ``os.path`` and ``sys.path``, ``itertools`` and
``functools``, ``random.choice``, ``wandb``, Keras Tuner, ``argparse``, ``keras.utils``'
``to_categorical`` / ``pad_sequences``, ``ImageDataGenerator``, ``keras.datasets``.

A row of keras_api's tables names its handler, ``(func, args, kwargs, e) -> value`` (or
NotImplemented to pass the call on): a plain function here when the call needs nothing of the
read, else a method of ``LibrariesMixin`` (it reads the program's folder, writes a note, or runs
the file's code through the evaluator). NumPy's calls are numpy_calls.py's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.readers.python import data
from archcalc.readers.python.numpy_calls import numpy_call
from archcalc.readers.python.values import (
    ArgParser,
    Array,
    HyperParams,
    ImageGenerator,
    Mod,
    Unknown,
    UserFunc,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: libraries whose calls give data, never a layer (their unknown results stay plain unknowns)
DATA_LIBRARIES = {"numpy", "pandas", "sklearn", "scipy", "cv2", "PIL", "matplotlib", "seaborn", "os", "sys",
                   "json", "yaml", "pickle", "math", "random", "time", "datetime", "pathlib", "glob", "re",
                   "collections", "itertools", "csv", "shutil", "requests", "urllib", "zipfile", "tarfile",
                   "h5py", "skimage", "imageio", "torch", "tqdm", "logging", "warnings", "argparse", "io",
                   "string", "typing", "dataclasses", "functools", "builtins", "copy", "wandb", "mlflow"}


class LibrariesMixin(_Side):
    """The library calls of the Interpreter that read the program's folder or its code."""

    def lib_numpy(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """NumPy's functions that no row names (numpy_calls.py; an array's own methods are
        library_values.py's ``array_method``)."""
        return numpy_call(func.path[1:], args, kwargs, e, self.array_method)

    # -- data files next to the program -------------------------------------------------------

    def lib_read_csv(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if not (args and isinstance(args[0], str)):
            return NotImplemented
        return self.data_file("csv", args[0], kwargs, e)

    def lib_np_load(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if not (args and isinstance(args[0], str)):
            return NotImplemented
        return self.data_file("npy", args[0], kwargs, e)

    def data_file(self, kind: str, name: str, kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``pd.read_csv('train.csv')`` / ``np.load('x.npy')`` of a file next to the program: a
        table of its header's columns, an array of its header's shape (an .npz: a mapping of
        them). Only headers are read; a file that is not there stays an unknown value."""
        from archcalc.readers.python import data_files
        from archcalc.readers.python.frames import Frame

        what = f"{'pd.read_csv' if kind == 'csv' else 'np.load'}({name!r})"
        self.data_files_read = getattr(self, "data_files_read", 0) + 1
        path = data_files.resolve(self.ev.path, name) if self.data_files_read <= limits.MAX_DATA_FILES else None
        if path is None:
            return Unknown(what, e.lineno)
        if kind == "csv":
            sep = kwargs.get("sep", kwargs.get("delimiter", ","))
            cols = data_files.csv_columns(path, sep, kwargs.get("header", 0))
            if cols is None or "usecols" in kwargs or "index_col" in kwargs or "names" in kwargs:
                return Unknown(what, e.lineno)
            self.notes.append(f"{what}: {len(cols)} columns, from the file's first line")
            return Frame(cols, name.rsplit("/", 1)[-1])
        if name.endswith(".npz"):
            shapes = data_files.npz_shapes(path)
            if shapes is None:
                return Unknown(what, e.lineno)
            self.notes.append(f"{what}: the shapes of its arrays, from their headers")
            return {k: Array(v, f"{name}[{k!r}]") for k, v in shapes.items()}
        shape = data_files.npy_shape(path)
        if shape is None:
            return Unknown(what, e.lineno)
        self.notes.append(f"{what}: shape {shape}, from the file's header")
        return Array(shape, what)

    def lib_np_loadtxt(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``np.loadtxt('data.csv', delimiter=',')`` of a file next to the program: an array of
        its first data line's width (rows: a named size; only that line is read)."""
        from archcalc.readers.python import data_files

        name = args[0] if args else kwargs.get("fname")
        if not isinstance(name, str):
            return NotImplemented
        what = f"np.{func.path[-1]}({name!r})"
        skip = kwargs.get("skiprows", kwargs.get("skip_header", 0))
        if set(kwargs) & {"usecols", "unpack", "max_rows", "names", "converters"} or not isinstance(skip, int):
            return Unknown(what, e.lineno)
        self.data_files_read = getattr(self, "data_files_read", 0) + 1
        path = data_files.resolve(self.ev.path, name) if self.data_files_read <= limits.MAX_DATA_FILES else None
        width = data_files.text_columns(path, kwargs.get("delimiter"), skip) if path is not None else None
        if width is None:
            return Unknown(what, e.lineno)
        self.notes.append(f"{what}: {width} values a row, from the file's first data line")
        return Array((None, width) if width > 1 or kwargs.get("ndmin") == 2 else (None,), what)

    # -- the program's folder -----------------------------------------------------------------

    def lib_path_exists(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``os.path.exists('model.h5')`` (``isfile``, ``isdir``): as the program finds it when run
        in its folder (a file it writes itself is not there on a first run). Only the name is
        looked up."""
        import os.path

        if not (args and isinstance(args[0], str)):
            return NotImplemented
        test, name = func.name, args[0]
        here = os.path.dirname(os.path.abspath(self.ev.path)) if self.ev.path and not self.ev.path.startswith("<") else "."
        where = os.path.join(here, os.path.expanduser(name))
        found = {"exists": os.path.exists, "isfile": os.path.isfile, "isdir": os.path.isdir}[test](where)
        self.notes.append(f"os.path.{test}({name!r}) is {found}, as the program finds it in its folder")
        return found

    def lib_sys_path(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``sys.path.append("..")``: a folder, relative to the program's, whose modules its
        imports then find (read statically, as siblings are)."""
        import os.path
        from pathlib import Path

        folder = args[-1] if args else None
        if not isinstance(folder, str) or os.path.isabs(folder) or self.ev.path.startswith("<"):
            return None
        where = (Path(self.ev.path).resolve().parent / folder).resolve()
        if where.is_dir() and where not in self.ev.sys_path and len(self.ev.sys_path) < limits.MAX_MODULES:
            self.ev.sys_path.append(where)
        return None

    # -- the program's own code and values ----------------------------------------------------

    def lib_sklearn_wrapper(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``KerasClassifier(build_fn=make_model, epochs=10, units=64)`` (Keras 2's scikit-learn
        wrapper, scikeras's ``model=``): the model the wrapper builds when it is fitted, its
        builder called with the wrapper's arguments that the builder takes (as the wrapper does)."""
        fn = kwargs.get("build_fn", kwargs.get("model", args[0] if args else None))
        if not isinstance(fn, UserFunc) or not isinstance(fn.node, ast.FunctionDef):
            return Unknown("KerasClassifier(...)", e.lineno)
        params = {a.arg for a in [*fn.node.args.args, *fn.node.args.kwonlyargs]}
        taken = {k: v for k, v in kwargs.items() if k in params and k not in ("build_fn", "model")}
        return self.ev.call_user(fn, [], taken, e, symbolic_missing=True)

    def lib_reduce(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """functools.reduce over a known list (the ``compose(*funcs)`` idiom of model files)."""
        if len(args) < 2:
            return NotImplemented
        fn, items, initial = args[0], args[1], args[2:]
        if not isinstance(items, (list, tuple)) or (not items and not initial):
            return Unknown("reduce(...)", e.lineno)
        acc, rest = (initial[0], list(items)) if initial else (items[0], list(items[1:]))
        for x in rest:
            acc = self.ev.call_value(fn, [acc, x], {}, e)
        return acc

    def lib_wandb_init(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``wandb.init(config={...})``: ``wandb.config`` (and the run's ``.config``) hold those
        values, as the tracker gives them back."""
        cfg = kwargs.get("config")
        if not isinstance(cfg, dict) or not all(isinstance(k, str) for k in cfg):
            return NotImplemented
        bunch = data.Bunch(cfg)
        self.set_attrs[(("wandb",), "config")] = bunch
        return data.Bunch(config=bunch)


# -- plain handlers: the call needs nothing of the read --------------------------------------


def lib_sklearn(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    path, name = func.path, func.path[-1]
    if len(path) >= 2 and path[1] == "datasets":
        return data.sklearn_dataset(name, kwargs, e.lineno, args)
    if name == "train_test_split":
        return data.train_test_split(args, kwargs, e.lineno)
    return Unknown(f"{'.'.join(path)}(...)", e.lineno)


def lib_itertools(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``itertools.product([0.85, 0.9], [16, 32])`` and its kin over known values: the list
    of what they give (a sweep's loop then runs over it), within the length limit."""
    import itertools
    import math as _math

    name = func.path[-1]
    fn = {"product": itertools.product, "combinations": itertools.combinations,
          "combinations_with_replacement": itertools.combinations_with_replacement,
          "permutations": itertools.permutations, "chain": itertools.chain}.get(name)
    picks = name in ("combinations", "combinations_with_replacement", "permutations")
    seqs = args[:1] if picks else args
    r = args[1] if picks and len(args) > 1 else kwargs.get("r")
    if fn is None or not all(isinstance(a, (list, tuple, range, str)) for a in seqs) or \
            set(kwargs) - {"repeat", "r"} or not all(isinstance(v, int) for v in kwargs.values()) or \
            (picks and (len(args) > 2 or (r is not None and not isinstance(r, int)))):
        return NotImplemented
    sizes = [len(q) for q in seqs]
    if name == "product":
        bound = _math.prod(sizes) ** kwargs.get("repeat", 1)
    elif name == "chain":
        bound = sum(sizes)
    else:  # at most n ** r tuples
        bound = (sizes[0] + 1) ** (sizes[0] if r is None else r) if sizes else 0
    if bound > limits.MAX_SEQ:
        return NotImplemented
    return list(fn(*args, **kwargs))


def lib_choice(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``random.choice(['relu'])``: a choice among one value is that value."""
    if args and isinstance(args[0], (list, tuple)) and len(args[0]) == 1:
        return args[0][0]
    return NotImplemented


def lib_get_dummies(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``pd.get_dummies(labels)``: one-hot, one column per class (known when the labels' are)."""
    col = args[0] if args else kwargs.get("data")
    if isinstance(col, Array) and col.classes is not None and len(col.shape) == 1:
        return Array((col.shape[0], col.classes), "get_dummies(...)", classes=col.classes, onehot=True)
    return Array((None, None), "get_dummies(...)", onehot=True)


def lib_partial(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return ("partial", args[0], list(args[1:]), dict(kwargs)) if args else NotImplemented


def lib_hyperparameters(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return HyperParams()


def lib_argument_parser(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return ArgParser()


def lib_to_categorical(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return data.to_categorical(args[0] if args else None, args[1] if len(args) > 1 else kwargs.get(
        "num_classes"), e.lineno)


def lib_pad_sequences(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return data.pad_sequences(args[0] if args else kwargs.get("sequences"),
                              kwargs.get("maxlen", args[1] if len(args) > 1 else None), e.lineno)


def k_to_categorical(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return data.to_categorical(args[0] if args else kwargs.get("y"),
                               args[1] if len(args) > 1 else kwargs.get("num_classes"), e.lineno)


def k_dataset(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return data.keras_dataset(func.path[2], kwargs, e.lineno) if len(func.path) >= 4 else NotImplemented


def k_image_generator(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``ImageDataGenerator(...)``: its flow methods give batches (data.image_flow)."""
    return ImageGenerator(dict(kwargs))
