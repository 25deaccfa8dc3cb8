"""The Keras API surface the reader knows: layers, models, inputs, tensor ops, config objects,
backend facts, datasets and the helpers model files use.

Calls are dispatched on the normalised module path (see modules.py): ``keras.layers.X`` makes
a layer, ``keras.ops.X`` / ``tf.X`` on tensors adds an op node, ``keras.datasets.X.load_data``
gives arrays of known shape, ``keras.backend.image_data_format()`` gives Keras's default, and so
on. A call the reader does not know gives an unknown value; it only stops the read if a layer
needs it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.compile_spec import POSITIONAL_NAMES
from archcalc.errors import ArchcalcError, Location, ShapeError, SpecError, did_you_mean
from archcalc.graph import Node
from archcalc.layers import registry
from archcalc.layers.base import REQUIRED
from archcalc.readers.builder import free_name, keras_auto_name, to_snake_case
from archcalc.readers.python import data, facts, modules
from archcalc.readers.python.classes import OpaqueLayer
from archcalc.readers.python.config_files import CONFIG_LOADERS
from archcalc.readers.python.tfdata import TFDATA_CALLS
from archcalc.readers.python.values import (
    AppCut,
    ArgParser,
    Array,
    ConfigObj,
    EvalError,
    HyperParams,
    ImageGenerator,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    UserFunc,
    describe,
    is_symbolic,
    plain,
    symbol,
)

if TYPE_CHECKING:
    from archcalc.readers.python.evaluator import Evaluator

SPEC_HINT = "describe the model in a YAML spec, or analyse the live model with archcalc.analyze(model)"

#: merge helpers in keras.layers -> the layer class they make
HELPERS = {
    "concatenate": "Concatenate", "add": "Add", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "subtract": "Subtract", "dot": "Dot",
}
CONFIG_MODULES = {"optimizers", "losses", "metrics", "regularizers", "initializers", "constraints", "schedules"}
#: keras.<module> functions that are element-wise or shape ops on tensors
OP_MODULES = {"ops", "activations", "backend", "math", "nn", "numpy", "random", "image", "linalg"}


class KerasMixin:
    """Keras calls of the Interpreter."""

    #: the evaluator of the file's Python (interpreter.Interpreter holds it)
    ev: Evaluator
    error: Callable[..., SpecError]
    eval_error: Callable[..., EvalError]
    loc: Callable[..., Location]
    nodes: dict[str, Node]
    counters: dict[str, int]
    block_path: list[str]
    fallbacks: list[str]
    external_calls: dict[tuple[str, int], tuple[str, dict[str, Any]]]
    opaque_made: dict[tuple[str, int], LayerObj]
    notes: list[str]
    set_attrs: dict[tuple[Any, str], Any]
    era: str
    backend: dict[str, Any]
    graph_of: Callable[..., Any]
    model_layer: Callable[..., Any]
    model_io: Callable[..., Any]
    model_attribute: Callable[..., Any]
    array_method: Callable[..., Any]
    instantiate: Callable[..., Any]
    instance_layer: Callable[..., LayerObj]
    self_stack: list[Any]
    layer_on_data: Callable[..., Any]

    # -- names ------------------------------------------------------------------------------

    def uid(self, base: str) -> str:
        """Keras's automatic names: dense, dense_1, ... (a name given by the user is skipped)."""
        return keras_auto_name(base, self.counters)

    def unique(self, base: str) -> str:
        return free_name(base, self.nodes)

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

    def path_exists(self, test: str, name: str) -> bool:
        """``os.path.exists('model.h5')``: as the program finds it when run in its folder (a
        file it writes itself is not there on a first run). Only the name is looked up."""
        import os.path

        here = os.path.dirname(os.path.abspath(self.ev.path)) if self.ev.path and not self.ev.path.startswith("<") else "."
        where = os.path.join(here, os.path.expanduser(name))
        found = {"exists": os.path.exists, "isfile": os.path.isfile, "isdir": os.path.isdir}[test](where)
        self.notes.append(f"os.path.{test}({name!r}) is {found}, as the program finds it in its folder")
        return found

    def sklearn_wrapper(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``KerasClassifier(build_fn=make_model, epochs=10, units=64)`` (Keras 2's scikit-learn
        wrapper, scikeras's ``model=``): the model the wrapper builds when it is fitted, its
        builder called with the wrapper's arguments that the builder takes (as the wrapper does)."""
        fn = kwargs.get("build_fn", kwargs.get("model", args[0] if args else None))
        if not isinstance(fn, UserFunc) or not isinstance(fn.node, ast.FunctionDef):
            return Unknown("KerasClassifier(...)", e.lineno)
        params = {a.arg for a in [*fn.node.args.args, *fn.node.args.kwonlyargs]}
        taken = {k: v for k, v in kwargs.items() if k in params and k not in ("build_fn", "model")}
        return self.ev.call_user(fn, [], taken, e, symbolic_missing=True)

    def named_size(self, name: str) -> Any:
        """The named size ``name``, or the value ``--set name=N`` gives it."""
        overrides = self.ev.overrides
        if name in overrides:
            self.ev.used_overrides.add(name)
            return overrides[name]
        return symbol(name)

    def reused_name(self, name: str, e: ast.AST) -> str:
        """A name an earlier layer already has: Keras allows it in another model (an inference
        model built after the training one); archcalc's one graph of the file shows the later
        layer under a free name, and says so. (In one model Keras refuses it, as the graph does.)"""
        new = self.unique(name)
        first = self.nodes[name].loc
        where = f"line {first.line}" if first is not None and first.line else "earlier"
        self.notes.append(f"two layers are named '{name}' ({where} and line {self.loc(e).line}), as Keras allows in "
                          f"separate models; archcalc shows the later one as '{new}'")
        return new

    # -- dispatch ---------------------------------------------------------------------------

    def library_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call into a library: one row of LIBRARY_CALLS, else the library's family handler
        (Keras, NumPy, scikit-learn, TensorFlow), else an unknown value."""
        path = func.path
        module = ".".join(path[:-1])
        family = "keras" if modules.is_keras(path) else path[0]
        for table in (LIBRARY_CALLS, "keras", LIBRARY_CALLS_AFTER_KERAS, "other", LIBRARY_CALLS_LAST):
            if isinstance(table, str):  # the library's family: Keras first, the others after
                handler = LIBRARY_FAMILIES.get(family) if (family == "keras") == (table == "keras") else None
            else:
                handler = table.get((module, func.name)) or table.get(("*", func.name))
            if handler is not None:
                got = getattr(self, handler)(func, args, kwargs, e)
                if got is not NotImplemented:
                    return got
        u = Unknown(f"{'.'.join(path)}(...)", e.lineno)
        if path[0] not in _DATA_LIBRARIES:  # maybe a layer of another library: see opaque_layer
            self.external_calls[(u.what, u.line)] = (".".join(path), dict(kwargs))
        return u

    # -- the rows of LIBRARY_CALLS: (func, args, kwargs, e) -> value, or NotImplemented ------

    def lib_keras(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.keras_call(func, args, kwargs, e)

    def lib_numpy(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.numpy_call(func.path[1:], args, kwargs, e)

    def lib_sklearn(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        path, name = func.path, func.path[-1]
        if len(path) >= 2 and path[1] == "datasets":
            return data.sklearn_dataset(name, kwargs, e.lineno, args)
        if name == "train_test_split":
            return data.train_test_split(args, kwargs, e.lineno)
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def lib_tensorflow(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        path = func.path
        sub = path[1:]
        if sub[-1:] == ("shape",) and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(sub[-1], args, kwargs, e, source=".".join(path))
        if sub[:1] == ("random",) or sub[-1:] in (("zeros",), ("ones",)):
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        if sub and sub[-1].endswith("_initializer"):  # tf.random_normal_initializer(): called with a shape
            return ("initializer", ".".join(path))
        if sub == ("Variable",):
            return self.tf_variable(args, kwargs, e)
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def tf_variable(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tf.Variable(initial_value=w_init(shape=(784, 128)))``: a tensor of that shape. In a
        layer it is no weight of Keras 3 (which tracks only its own variables): a note says so."""
        value = kwargs.get("initial_value", args[0] if args else None)
        if self.self_stack and isinstance(self.self_stack[-1], Instance) and self.self_stack[-1].cls.kind == "layer":
            self.notes.append(f"{self.self_stack[-1].cls.name} makes its weights with tf.Variable (line "
                              f"{self.loc(e).line}): Keras 3 does not track them, so they add no parameters "
                              f"(tf.keras 2 counted them); self.add_weight(...) makes weights Keras 3 counts")
        return value if isinstance(value, (Array, Tensor)) else Unknown("tf.Variable(...)", e.lineno)

    def lib_sklearn_wrapper(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.sklearn_wrapper(args, kwargs, e)

    def lib_itertools(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
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

    def lib_wandb_init(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``wandb.init(config={...})``: ``wandb.config`` (and the run's ``.config``) hold those
        values, as the tracker gives them back."""
        cfg = kwargs.get("config")
        if not isinstance(cfg, dict) or not all(isinstance(k, str) for k in cfg):
            return NotImplemented
        bunch = data.Bunch(cfg)
        self.set_attrs[(("wandb",), "config")] = bunch
        return data.Bunch(config=bunch)

    def lib_choice(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``random.choice(['relu'])``: a choice among one value is that value."""
        if args and isinstance(args[0], (list, tuple)) and len(args[0]) == 1:
            return args[0][0]
        return NotImplemented

    def lib_get_dummies(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``pd.get_dummies(labels)``: one-hot, one column per class (known when the labels' are)."""
        col = args[0] if args else kwargs.get("data")
        if isinstance(col, Array) and col.classes is not None and len(col.shape) == 1:
            return Array((col.shape[0], col.classes), "get_dummies(...)", classes=col.classes, onehot=True)
        return Array((None, None), "get_dummies(...)", onehot=True)

    def k_image_generator(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``ImageDataGenerator(...)``: its flow methods give batches (data.image_flow)."""
        return ImageGenerator(dict(kwargs))

    def lib_read_csv(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if not (args and isinstance(args[0], str)):
            return NotImplemented
        return self.data_file("csv", args[0], kwargs, e)

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

    def lib_np_load(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if not (args and isinstance(args[0], str)):
            return NotImplemented
        return self.data_file("npy", args[0], kwargs, e)

    def lib_path_exists(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if not (args and isinstance(args[0], str)):
            return NotImplemented
        return self.path_exists(func.name, args[0])

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

    def lib_obtain_input_shape(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.obtain_input_shape(args, kwargs, e)

    def lib_source_inputs(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.source_inputs(args[0] if args else kwargs.get("tensor"), e)

    def lib_partial(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return ("partial", args[0], list(args[1:]), dict(kwargs)) if args else NotImplemented

    def lib_reduce(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.reduce(args[0], args[1], args[2:], e) if len(args) >= 2 else NotImplemented

    def lib_hyperparameters(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return HyperParams()

    def lib_argument_parser(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return ArgParser()

    def lib_to_categorical(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return data.to_categorical(args[0] if args else None, args[1] if len(args) > 1 else kwargs.get(
            "num_classes"), e.lineno)

    def lib_pad_sequences(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return data.pad_sequences(args[0] if args else kwargs.get("sequences"),
                                  kwargs.get("maxlen", args[1] if len(args) > 1 else None), e.lineno)

    def opaque_layer(self, u: Unknown, e: ast.AST) -> LayerObj | None:
        """The layer an unknown value stands for when the model uses it as one (added to a
        Sequential, called on a tensor) and it comes from a call into a library archcalc does not
        read (``hub.KerasLayer(...)``, ``TFBertModel.from_pretrained(...)``); None otherwise."""
        made = self.opaque_made.get((u.what, u.line))
        if made is not None:
            return made
        found = self.external_calls.get((u.source or u.what, u.line))
        if found is None:
            return None
        dotted, kwargs = found
        parts = dotted.split(".")
        class_name = parts[-2] if parts[-1][:1].islower() and len(parts) > 1 else parts[-1]  # X.from_pretrained
        given = kwargs.get("name")
        var = given if isinstance(given, str) else (u.what if u.source else self.uid(to_snake_case(class_name)))
        var = var if var not in self.nodes else self.unique(var)
        key = f"{var}.params"
        if key in self.ev.overrides:
            self.ev.used_overrides.add(key)
        sizes = {k: v for k, v in self.ev.overrides.items() if k.startswith(var + ".")}
        self.ev.used_overrides.update(sizes)
        # critic.trainable = False before the critic is used in the combined model: frozen
        frozen = kwargs.get("trainable", True) is False or getattr(self, "set_attrs", {}).get(
            (u.what, "trainable"), True) is False
        layer = OpaqueLayer(class_name, var, f"{dotted}(...)", trainable=not frozen,
                            params=sizes.get(key, symbol(key)), sizes=sizes)
        obj = LayerObj(layer, var, self.loc(e), {k: v for k, v in kwargs.items() if k in _INPUT_KWARGS})
        self.opaque_made[(u.what, u.line)] = obj
        self.notes.append(f"{var} comes from {dotted}, which archcalc does not read: its parameters "
                          f"({key}) and output size ({var}.out) are named sizes; --set {key}=N pins them")
        return obj

    def opaque_part(self, t: Tensor, key: int | str, e: ast.AST, attribute: bool = False) -> Tensor | None:
        """``bert(ids)[1]``, ``outputs.pooler_output``: a part of an opaque layer's output, as a
        node of its own with a named size and no weights; None when ``t`` is not such an output."""
        node = self.nodes.get(t.node)
        if node is None or not isinstance(node.layer, OpaqueLayer):
            return None
        label = f"output_{key}" if isinstance(key, int) else re.sub(r"\W", "_", key)
        var = self.unique(f"{node.layer.var}_{label}")
        written = f".{key}" if attribute else f"[{key!r}]"
        sizes = {k: v for k, v in self.ev.overrides.items() if k.startswith(var + ".")}
        self.ev.used_overrides.update(sizes)
        part = OpaqueLayer(node.layer.keras_name, var, f"{node.layer.origin}{written}", params=None, sizes=sizes)
        return self.call_layer(LayerObj(part, var, self.loc(e), {}), [t], False, e)

    def reduce(self, fn: Any, items: Any, initial: list[Any], e: ast.Call) -> Any:
        """functools.reduce over a known list (the ``compose(*funcs)`` idiom of model files)."""
        if not isinstance(items, (list, tuple)) or (not items and not initial):
            return Unknown("reduce(...)", e.lineno)
        acc, rest = (initial[0], list(items)) if initial else (items[0], list(items[1:]))
        for x in rest:
            acc = self.ev.call_value(fn, [acc, x], {}, e)
        return acc

    def numpy_call(self, sub: tuple[str, ...], args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``np.<sub>(...)``: arrays made of a given shape, steps on arrays of known shape
        (np_on_array), and the few value functions sizes are computed with (np_on_values)."""
        name = sub[-1] if sub else ""
        first = args[0] if args else None
        if sub[:1] == ("random",) and name in ("rand", "randn"):
            return self.array_of(tuple(args), e)
        if name in ("zeros", "ones", "empty", "full", "random", "normal", "uniform", "randint", "random_sample"):
            shape = kwargs.get("size", kwargs.get("shape", first if name not in ("randint", "normal", "uniform")
                                                  else (args[2] if len(args) > 2 else None)))
            return self.array_of(shape, e)
        if isinstance(first, Array):
            return self.np_on_array(first, name, args, kwargs, e)
        got = _np_on_values(name, first, args, kwargs)
        return got if got is not NotImplemented else Unknown(f"np.{'.'.join(sub)}(...)", e.lineno)

    def np_on_array(self, first: Array, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "expand_dims":
            return data.expand_dims(first, args[1] if len(args) > 1 else kwargs.get("axis", -1))
        if name == "reshape":
            return data.reshape(first, args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape")),
                                e.lineno)
        if name in ("max", "amax") and len(args) == 1 and not kwargs:
            return data.max_label(first, e.lineno)
        if name == "unique":
            return data.unique(first, e.lineno)
        if name in ("argmax",) and first.onehot:
            return Array(first.shape[:-1], first.what, first.classes)
        if name in facts.SHAPE_PRESERVING or name in ("float32", "uint8", "int32"):
            return first
        if name in ("concatenate", "vstack"):
            return Unknown(f"np.{name}(...)", e.lineno)
        return self.array_method(first, name, list(args[1:]), kwargs, e)

    def array_of(self, shape: Any, e: ast.Call) -> Any:
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = (shape,)
        if isinstance(shape, (list, tuple)) and all(isinstance(d, int) or is_symbolic(d) for d in shape):
            return Array(tuple(shape), ast.unparse(e)[:40])
        return Unknown(ast.unparse(e)[:60], e.lineno)

    def keras_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call into Keras (any spelling, normalised to ``keras.*``): a row of KERAS_CALLS by
        (submodule, name), else the submodule's handler in KERAS_MODULES, else unknown."""
        path, name = func.path, func.name
        sub = path[1] if len(path) > 2 else ""
        for handler in (KERAS_CALLS.get((sub, name)), KERAS_CALLS.get(("*", name)), KERAS_MODULES.get(sub)):
            if handler is not None:
                got = getattr(self, handler)(func, args, kwargs, e)
                if got is not NotImplemented:
                    return got
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    # -- the rows of KERAS_CALLS and KERAS_MODULES: (func, args, kwargs, e) -> value ---------

    def k_input(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_input(args, kwargs, e, layer=func.name == "InputLayer")

    def k_sequential(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_sequential(args, kwargs, e)

    def k_functional(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_functional(args, kwargs, e)

    def k_unread_model(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return Unknown(f"keras.models.{func.name}(...)", e.lineno)

    def k_application(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.application(func.name, args, kwargs, e)

    def k_dataset(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return data.keras_dataset(func.path[2], kwargs, e.lineno) if len(func.path) >= 4 else NotImplemented

    def k_to_categorical(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return data.to_categorical(args[0] if args else kwargs.get("y"),
                                   args[1] if len(args) > 1 else kwargs.get("num_classes"), e.lineno)

    def k_config(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        sub, name = func.path[1], func.name
        if sub == "initializers" or not name[:1].isupper() and sub in ("losses", "metrics") and args and any(
                isinstance(a, Tensor) for a in args):
            return Unknown(f"keras.{sub}.{name}(...)", e.lineno)
        return self.config_obj(name, args, kwargs, e, kind=sub)

    def k_backend(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if len(func.path) == 2 and func.name != "backend":
            return NotImplemented
        return self.backend_call(func.name, args, kwargs, e)

    def k_op(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras.ops / backend / activations / tf.math... on tensors: one op node; on arrays of a
        custom layer's weights: their shape."""
        path, name = func.path, func.name
        if name in ("shape", "int_shape", "get_shape") and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(name, args, kwargs, e, source=".".join(path))
        if path[1] == "random":
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        if name in ("zeros", "ones", "zeros_like", "ones_like", "arange", "eye", "full"):
            return self.free_tensor(self.const_shape(name, args, kwargs), e)
        if name == "shape" and args:
            return Unknown("shape(...)", e.lineno)
        if args and isinstance(args[0], Array):  # a layer's weight or a constant, not a tensor yet
            if name in _SHAPE_KEEPING:
                return args[0]
            target = args[1] if len(args) > 1 else kwargs.get("shape")
            if name == "broadcast_to" and isinstance(target, (list, tuple)) and not _has_unknown(target):
                return Array(tuple(target), args[0].what)
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def k_activation_get(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``keras.activations.get('relu')``: the activation function itself (a custom layer
        stores it and applies it in call())."""
        v = args[0] if args else kwargs.get("identifier")
        if v is None:
            return Mod(("keras", "activations", "linear"))
        if isinstance(v, str):
            return Mod(("keras", "activations", v))
        return v if isinstance(v, (Mod, UserFunc)) else NotImplemented

    def k_merge(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.legacy_merge(func.name, args, kwargs, e)

    def k_layer(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras.layers.X(...): a merge helper called on tensors, a Lambda, an RNN over the file's
        own cells, or a layer of the registry (its Keras 1/2 spellings translated)."""
        name, sub = func.name, func.path[1] if len(func.path) > 2 else ""
        if name in HELPERS and (args or "inputs" in kwargs):
            return self.helper(name, args, kwargs, e)
        if name == "Lambda":
            return self.make_lambda(args, kwargs, e)
        if name == "RNN" and _user_cells(args[0] if args else kwargs.get("cell")):
            return self.make_user_rnn(args, kwargs, e)
        if registry.get(name) is not None or sub == "layers" or self.legacy_name(name):
            return self.make_layer(name, args, kwargs, e)
        return NotImplemented

    def blocked(self, v: Unknown, message: str, e: ast.AST) -> SpecError:
        """The read stops at an unknown value the model needs; an undefined name is reported
        where it is written; a value whose statement failed, that statement's error."""
        if v.failed is not None:
            return v.failed
        if v.undefined and v.line:
            return SpecError(f"name '{v.what}' is not defined", loc=self.ev.at(v.line, v.col or 1),
                             hint=self.unknown_hint(v))
        return self.error(f"{message}: it comes from {v.describe(self.ev.at)}", e, self.unknown_hint(v))

    def unknown_hint(self, v: Unknown) -> str:
        if v.undefined:
            names = [*registry.REGISTRY, *HELPERS, *(k for k in getattr(self, "globals", {}) if not k.startswith("_"))]
            return did_you_mean(v.what, names) or "define it above this line, or pin it with --set NAME=VALUE"
        return _unknown_hint(v)

    def application(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``keras.applications.MobileNetV2(...)``: a model of one node, from the table."""
        from archcalc.readers.python import applications as apps

        if name == "preprocess_input" and args and isinstance(args[0], Tensor):
            return args[0]  # element-wise scaling: the shape is unchanged, no weights
        if apps.entry(name) is None:
            return Unknown(f"keras.applications.{name}(...)", e.lineno)
        try:
            given = apps.bind(name, args, kwargs)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        entry = apps.entry(name, given) or {}
        include_top = given.get("include_top", True)
        if not isinstance(include_top, bool):
            raise self.blocked(include_top, "include_top is not known", e) if isinstance(
                include_top, Unknown) else self.error("include_top must be True or False", e)
        classes = self.sizes(given.get("classes", 1000))
        pooling = given.get("pooling")
        tensor = given.get("input_tensor")
        shape = given.get("input_shape")
        default = tuple(entry["default_size"])
        if isinstance(tensor, Tensor):
            full = self.shape_of(tensor, e)
            sources = self.source_input_nodes(tensor)
        else:
            if isinstance(shape, Unknown):
                shape = tuple(self.sizes(Unknown(f"{shape.what}[{i}]", shape.line)) for i in range(3))
            if shape is None:
                shape = (*default, 3) if include_top else (None, None, 3)
            if not isinstance(shape, (list, tuple)) or len(shape) != 3:
                raise self.error(f"{name}: input_shape must be (height, width, channels), got {describe(shape)}", e)
            full = (None, *self.sizes(tuple(shape)))
            sources = []
        if include_top and tuple(full[1:3]) != default:
            raise self.error(f"{name} with include_top=True takes {default[0]}x{default[1]} images, got "
                             f"{describe(tuple(full[1:]))}", e,
                             "pass include_top=False for another input size (Keras's own rule with weights)")
        rows = full[1] if isinstance(full[1], int) else (default[0] if include_top or shape is None else None)
        given_name = given.get("name")
        mname = given_name if isinstance(given_name, str) else apps.model_name(name, rows or default[0], given)
        layer = apps.Application(name, include_top, pooling, classes, mname, given=given)
        m = ModelObj("Application", mname, self.loc(e), class_name="Functional")
        # the node is made where the model is used: base(x) names it, base.output builds it on its input
        m.app = (LayerObj(layer, mname, self.loc(e), {}), tuple(full), tensor if isinstance(tensor, Tensor) else None,
                 sources)
        return m

    def application_io(self, m: ModelObj, e: ast.AST | None) -> None:
        """An application model used by its tensors (base.output): its input and its node."""
        if m.kind != "Application" or m.app is None:
            return
        lo, full, tensor, sources = m.app
        if tensor is None:
            in_name = self.uid("input_layer")
            self.nodes[in_name] = Node(name=in_name, layer=None, shape=full, loc=m.loc)
            tensor, sources = Tensor(in_name), [in_name]
        lo.layer.cfg["trainable"] = m.trainable
        lo.layer.partly_frozen = m.partly_frozen  # type: ignore[attr-defined]
        key = f"{lo.layer.cfg['name']}.trainable_params"
        if m.partly_frozen and key in self.ev.overrides:  # --set resnet50.trainable_params=N
            self.ev.used_overrides.add(key)
            lo.layer.trainable_count = self.ev.overrides[key]  # type: ignore[attr-defined]
        out = self.call_layer(lo, [tensor], False, e or ast.Module(body=[], type_ignores=[]))
        m.kind, m.inputs, m.outputs = "Functional", list(sources), [out.node]
        m.layer_obj = None

    def app_cut(self, m: ModelObj, layer: str, e: ast.Call) -> Any:
        """``base.get_layer('mixed7')`` of a keras.applications model: the model cut there."""
        from archcalc.readers.python import applications as apps

        lo = m.app[0]
        app = lo.layer
        found = apps.cut(app.builder, layer)
        if found is None:
            names = apps.cut_names(app.builder)
            if not names:
                return Unknown(f"{m.name}.get_layer({layer!r})", e.lineno)
            raise self.error(f"{app.builder} has no layer named '{layer}'", e,
                             did_you_mean(layer, names) or f"its layers: {', '.join(names[:8])}, ...")
        if app.entry != apps.entry(app.builder):  # another width (alpha=0.5): other layers
            raise self.error(f"archcalc's table holds the layers of {app.builder} at its default width only", e,
                             "save the model with model.to_json() and run archcalc on the .json")
        return AppCut(m, layer, found[1], found[0])

    def app_cut_output(self, cut: AppCut, e: ast.AST) -> Tensor:
        """The tensor of a cut: one node from the base's input (shared with ``base.input``), or
        from the latest earlier cut of the same base that every later layer is computed from,
        so that a model reading several cuts (a U-Net's skips) counts their layers once."""
        from archcalc.readers.python import applications as apps

        if cut.tensor is not None:
            return cut.tensor
        m = cut.model
        lo, full, tensor, sources = m.app
        if tensor is None:
            in_name = self.uid("input_layer")
            self.nodes[in_name] = Node(name=in_name, layer=None, shape=full, loc=m.loc)
            tensor, sources = Tensor(in_name), [in_name]
            m.app = (lo, full, tensor, sources)
        layer = apps.Application(lo.layer.builder, False, None, 1000, cut.layer, trainable=m.trainable)
        layer.set_cut(cut.record, None)
        layer.partly_frozen = m.partly_frozen  # type: ignore[attr-defined]
        node_name = cut.layer if cut.layer not in self.nodes else self.uid(cut.layer)
        cut.tensor = self.call_layer(LayerObj(layer, node_name, self.loc(e), {}), [tensor], False, e)
        m.cuts.append(cut)
        self.relink_cuts(m, tensor, e)
        return cut.tensor

    def app_cut_attribute(self, cut: AppCut, attr: str, e: ast.AST) -> Any:
        if attr == "output":
            return self.app_cut_output(cut, e)
        if attr == "output_shape":
            return self.shape_of(self.app_cut_output(cut, e), e)
        if attr == "name":
            return cut.layer
        if attr in ("input", "input_shape"):
            return self.model_attribute(cut.model, attr, e)
        return Unknown(f"{cut.model.name}.get_layer({cut.layer!r}).{attr}", getattr(e, "lineno", 0))

    def relink_cuts(self, m: ModelObj, start: Tensor, e: ast.AST) -> None:
        """Each cut of ``m`` computed from the latest earlier cut that all later layers need."""
        from archcalc.readers.python import applications as apps

        cuts = sorted(m.cuts, key=lambda c: c.index)
        base: AppCut | None = None
        for k, c in enumerate(cuts):
            node = self.nodes[c.tensor.node]
            layer = node.layer
            assert isinstance(layer, apps.Application)
            if k and not cuts[k - 1].record[5]:
                raise self.error(
                    f"archcalc cannot combine the output of '{cuts[k - 1].layer}' (a branch of "
                    f"{layer.builder}) with the output of a later layer '{c.layer}'", e,
                    "save the model with model.to_json() and run archcalc on the .json")
            layer.set_cut(c.record, base.record if base is not None else None)
            node.inputs = [base.tensor.node if base is not None else start.node]
            node.input_index = []
            node.meta.pop("_shape", None)
            if c.record[5]:
                base = c

    def source_input_nodes(self, t: Tensor) -> list[str]:
        """The input nodes a tensor is computed from (Keras's get_source_inputs)."""
        out: list[str] = []
        stack, seen = [t.node], set()
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            node = self.nodes[n]
            if node.is_input:
                out.append(n)
            else:
                stack.extend(node.inputs)
        return sorted(out, key=list(self.nodes).index)

    def legacy_merge(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """Keras 1's ``merge([a, b], mode='concat')`` on tensors (see legacy.translate_merge)."""
        from archcalc.readers.python import legacy

        try:
            mc = legacy.translate_merge(name, args, kwargs, self.era)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        layer = self.make_layer(mc.layer, mc.args, mc.kwargs, e)
        layer.legacy = [*mc.changes, *layer.legacy]
        if any(isinstance(x, ModelObj) for x in mc.inputs):
            if not all(isinstance(x, ModelObj) for x in mc.inputs):
                raise self.error(f"{name}() mixes models and tensors", e,
                                 "merge the models' outputs: concatenate([left.output, right.output])")
            return MergedModels(layer, list(mc.inputs))  # Keras 1: Sequential().add(Merge([...]))
        return self.call_layer(layer, self.tensors(mc.inputs, e, "inputs"), True, e)

    def legacy_name(self, name: str) -> bool:
        from archcalc.readers.python import legacy

        return legacy.translate_layer(name, [], {}, self.era).name != name

    # -- backend facts ----------------------------------------------------------------------

    def backend_call(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name in facts.BACKEND_SETTERS and args and isinstance(args[0], str):
            fact = facts.BACKEND_SETTERS[name]
            value = args[0]
            self.backend[fact] = value
            if fact == "image_dim_ordering":
                self.backend["image_data_format"] = facts.DIM_ORDERING.get(value, value)
            elif fact == "image_data_format":
                self.backend["image_dim_ordering"] = "th" if value == "channels_first" else "tf"
            return None
        if name in self.backend and not args:
            return self.backend[name]
        if name == "int_shape" and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if name == "is_keras_tensor" and args:
            return isinstance(args[0], Tensor)
        if name in ("clear_session", "set_learning_phase", "set_session", "manual_variable_initialization"):
            return None
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(name, args, kwargs, e, source=f"keras.backend.{name}")
        if name in ("random_normal", "random_uniform", "truncated_normal", "random_binomial", "random_bernoulli",
                    "zeros", "ones"):  # K.random_normal(shape=(50, 2)): noise of that shape (a fixed batch)
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        return Unknown(f"K.{name}(...)", e.lineno)

    def obtain_input_shape(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras-applications' ``_obtain_input_shape``: the given shape, else the default size."""
        names = ["input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights"]
        given = dict(zip(names, args, strict=False))
        given.update(kwargs)
        shape = given.get("input_shape")
        if isinstance(shape, (list, tuple)):
            return tuple(shape)
        size = given.get("default_size", 224)
        fmt = given.get("data_format", self.backend["image_data_format"])
        require_flatten = given.get("require_flatten", given.get("include_top", True))
        weights = given.get("weights")
        if not isinstance(require_flatten, bool) or require_flatten or weights == "imagenet":
            h = size if isinstance(size, int) else None
        else:
            h = None
        return (3, h, h) if fmt == "channels_first" else (h, h, 3)

    def source_inputs(self, v: Any, e: ast.Call) -> Any:
        if isinstance(v, Tensor):
            return [v]
        if isinstance(v, (list, tuple)):
            return list(v)
        return Unknown("get_source_inputs(...)", e.lineno)

    # -- config objects ---------------------------------------------------------------------

    def config_obj(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call,
                   kind: str = "") -> Any:
        from archcalc.readers.python import legacy

        kwargs, _changes = legacy.translate_config(kind, name, kwargs, self.era)
        config = dict(kwargs)
        table = POSITIONAL_NAMES.get(kind, {})
        if name in table:  # Keras 3's signatures (compile_spec.POSITIONAL_NAMES)
            names = list(table[name])
        else:  # a class Keras 3 does not have (Keras 2's optimizers.Adam spelled otherwise)
            names = ["learning_rate"] if name[:1].isupper() and kind not in ("losses", "metrics") else []
        for i, v in enumerate(args):
            key = names[i] if i < len(names) else f"arg{i}"
            config[key] = v
        if "lr" in config and "learning_rate" not in config and name[:1].isupper():
            config["learning_rate"] = config.pop("lr")  # Keras 1/2's name for the learning rate
        config = {k: v for k, v in config.items() if not isinstance(v, Unknown)}
        if any(isinstance(v, (Tensor, Array, LayerObj, ModelObj)) for v in config.values()):
            return Unknown(f"{name}(...)", e.lineno)
        return ConfigObj(name, config)

    # -- layers -----------------------------------------------------------------------------

    def sizes(self, v: Any) -> Any:
        """An argument with unknown parts as named symbolic sizes."""
        if isinstance(v, Unknown):
            return v.symbol()
        if isinstance(v, tuple):
            return tuple(self.sizes(x) for x in v)
        if isinstance(v, list):
            return [self.sizes(x) for x in v]
        return v

    def make_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> LayerObj:
        translated = self.translated_layer(name, args, kwargs, e)
        name, args, kwargs = translated.name, list(translated.args), dict(translated.kwargs)
        cls = registry.get(name)
        if cls is None:
            raise registry.unknown_layer(name, loc=self.loc(e))
        args, kwargs, unread = self.layer_arguments(name, cls, args, kwargs, e)
        # a wrapped layer's era changes are the wrapper's too (Bidirectional(GRU(...)) in Keras 2)
        inner = [c for v in [*args, *kwargs.values()] if isinstance(v, LayerObj) for c in v.legacy or []]
        if inner:
            translated = replace(translated, changes=[*translated.changes, *inner])
        args = [self.sizes(_arg(v)) for v in args]
        kw = {k: self.sizes(_arg(v)) for k, v in kwargs.items()}
        if isinstance(kw.get("input_shape"), (list, tuple)) is False and "input_shape" in kw and is_symbolic(
                kw["input_shape"]):
            kw.pop("input_shape")
        try:
            layer = cls.bind(args, kw)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        if unread:  # read with Keras's default, which changes no number: lint must not trust it
            layer.unread_args = frozenset(unread)
        given_name = kw.get("name")
        lname = given_name if isinstance(given_name, str) else self.uid(name)
        obj = LayerObj(layer, lname, self.loc(e), kw, legacy=translated.changes, args=args)
        for k in ("input_shape", "batch_input_shape", "input_dim", "input_length"):
            if isinstance(kwargs.get(k), Unknown):
                obj.kwargs[k] = kwargs[k]
        return obj

    def translated_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        """A layer call in the file's era, translated to Keras 3 (legacy.translate_layer), with
        Keras 1/2's batch_input_shape on any layer as Keras 3's input shape and batch size."""
        from archcalc.readers.python import legacy

        try:
            translated = legacy.translate_layer(name, args, kwargs, self.era)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        kwargs = dict(translated.kwargs)
        ambiguous = legacy.kernel_or_strides(translated.name, list(translated.args), kwargs, self.era)
        if ambiguous:
            at = self.loc(e)
            cell = getattr(at, "cell", None)
            self.notes.append(f"{f'cell {cell}, ' if cell else ''}line {at.line}: {ambiguous}")
        batch = kwargs.get("batch_input_shape")
        if self.era in ("keras1", "keras2") and isinstance(batch, (list, tuple)) and batch:
            # Keras 1/2 took the batch shape on any first layer; Keras 3 writes Input(batch_shape=...)
            kwargs.pop("batch_input_shape")
            kwargs["input_shape"], kwargs["batch_size"] = tuple(batch[1:]), batch[0]
            translated = replace(translated, kwargs=kwargs, changes=[*translated.changes, legacy.Change(
                f"batch_input_shape={describe(tuple(batch))}", f"keras.Input(batch_shape={describe(tuple(batch))})")])
        return translated

    def layer_arguments(self, name: str, cls: Any, args: list[Any], kwargs: dict[str, Any],
                        e: ast.AST) -> tuple[list[Any], dict[str, Any], set[str]]:
        """A layer's arguments as its class takes them: a model given to a wrapper as its layer,
        channels_first from the backend, number-free unknowns at their defaults, activations."""
        if cls.wraps_layer:  # TimeDistributed(cnn): a model is a layer too
            if args and isinstance(args[0], ModelObj):
                args[0] = self.model_layer(args[0], e)
            if isinstance(kwargs.get(cls.wraps_layer), ModelObj):
                kwargs[cls.wraps_layer] = self.model_layer(kwargs[cls.wraps_layer], e)
        for v in args:
            if isinstance(v, (Tensor, ModelObj)):
                raise self.error(f"{name}(...) got a tensor as an argument", e,
                                 f"create the layer, then call it: {name}(...)(x)")
        if self.backend["image_data_format"] == "channels_first" and "data_format" not in kwargs \
                and any(a.name == "data_format" for a in cls.ARGS):
            kwargs["data_format"] = "channels_first"
        args, kwargs, unread = self.numberless_fallbacks(name, cls, args, kwargs)
        positional = [a.name for a in cls.ARGS]
        for i, k in enumerate(positional[:len(args)]):
            if k in _ACTIVATION_ARGS:
                args[i] = self.activation_value(name, k, args[i])
        for k in _ACTIVATION_ARGS & set(kwargs):
            kwargs[k] = self.activation_value(name, k, kwargs[k])
        return args, kwargs, unread

    def numberless_fallbacks(self, name: str, cls: Any, args: list[Any],
                             kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any], set[str]]:
        """Values the reader cannot know: sizes become symbols (later); other arguments (an
        activation read from a config file) fall back to their defaults, since they change no
        number. Also returns the names of those arguments (lint must not judge the defaults)."""
        positional = [a.name for a in cls.ARGS]
        first = next((i for i, v in enumerate(args) if _has_unknown(v) and i < len(positional)
                      and positional[i] in _NUMBERLESS), None)
        if first is not None:  # Dropout(args.dropout): by name from there on, so it can fall back
            kwargs = {**dict(zip(positional[first:], args[first:], strict=False)), **kwargs}
            args = args[:first]
        unread: set[str] = set()
        for k in [k for k, v in kwargs.items() if _has_unknown(v)]:
            if k in _NUMBERLESS:
                unread.add(k)
                what = kwargs.pop(k)
                required = next((a for a in cls.ARGS if a.name == k and a.default is REQUIRED), None)
                if required is not None and k in _PLACEHOLDER:
                    kwargs[k] = _PLACEHOLDER[k]  # Dropout(rate) needs a value; any rate gives the same numbers
                    said = what.what if isinstance(what, Unknown) else describe(what)
                    self.fallbacks.append(f"{name}({k}={said}) is read with {k}={_PLACEHOLDER[k]}")
        return args, kwargs, unread

    def activation_value(self, layer: str, arg: str, v: Any) -> Any:
        """An activation given as a layer object (``LeakyReLU(0.2)``) or as a function of the file
        (``relu6``): Keras calls it on the output, which changes no shape and no count. A
        weightless activation layer or a function named like a Keras activation is read as that
        name; any other function as 'linear', with a note."""
        from archcalc.layers.base import ACTIVATIONS

        if isinstance(v, LayerObj):
            applies = getattr(v.layer, "applies_activation", None)
            if applies is None and v.layer.keras_name == "Activation":
                applies = v.layer.cfg.get("activation")
            if isinstance(applies, str) and applies in ACTIVATIONS:
                return applies
            return v
        if isinstance(v, UserFunc):
            fname = v.node.name if isinstance(v.node, ast.FunctionDef) else "a lambda"
            if fname in ACTIVATIONS:
                return fname
            self.fallbacks.append(f"{layer}({arg}={fname}), a function of the file, is read as {arg}='linear'")
            return "linear"
        return v

    def make_user_rnn(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``RNN(MyCell(32))``: a cell of the file's own (or a list of them), built when the
        layer meets its input (see Interpreter.user_rnn_layer_obj)."""
        from archcalc.readers.python.classes import UserRNNLayer

        cells = _user_cells(args[0] if args else kwargs.get("cell"))
        options = dict(zip(("return_sequences", "return_state", "go_backwards", "stateful", "unroll"),
                           args[1:], strict=False))
        options.update({k: v for k, v in kwargs.items() if k != "cell"})
        if options.get("return_state") is True:
            raise self.error("RNN(..., return_state=True) over a cell of the file is not supported", e,
                             "give the states' layer as a YAML spec, or return only the output")
        given_name = options.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("rnn")
        layer = UserRNNLayer(cells, bool(options.get("return_sequences") is True), name, self.loc(e))
        layer.kwargs = {k: options[k] for k in _INPUT_KWARGS if k in options}
        return layer

    def make_lambda(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """Lambda(f, output_shape=...): the given shape; without one, the shape of f applied to
        the input when f is arithmetic or keras.ops (traced when the layer is called)."""
        from archcalc.readers.python.classes import LambdaLayer

        fn = args[0] if args else kwargs.get("function")
        out = kwargs.get("output_shape", args[1] if len(args) > 1 else None)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("Lambda")
        lam = LambdaLayer(fn, out, name, self.loc(e))
        lam.kwargs = {k: kwargs[k] for k in _INPUT_KWARGS if k in kwargs}
        return lam

    def make_input(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call, layer: bool = False) -> Any:
        shape = args[0] if args else kwargs.get("shape", kwargs.get("input_shape"))
        batch = kwargs.get("batch_shape") or kwargs.get("batch_input_shape")
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("input_layer")
        original = name
        if name in self.nodes:
            name = self.reused_name(name, e)
        full, unknown_rank = self.input_shape_of(shape, batch, kwargs, e)
        if full is not None:
            for d in full:
                if d is not None and not is_symbolic(d) and (not isinstance(d, int) or isinstance(d, bool) or d < 0):
                    raise self.error(f"input sizes must be non-negative integers or None, got {describe(full)}", e,
                                     None)
        node = Node(name=name, layer=None, shape=full, loc=self.loc(e))
        if name != original:
            node.meta["given_name"] = original
        if unknown_rank is not None:
            node.meta["unknown_shape"] = unknown_rank.what
        self.nodes[name] = node
        t = Tensor(name)
        return ("input_layer", t) if layer else t

    def input_shape_of(self, shape: Any, batch: Any, kwargs: dict[str, Any],
                       e: ast.Call) -> tuple[Any, Unknown | None]:
        """An Input's full shape (batch first) from ``shape`` or ``batch_shape``, or None and the
        unknown value its shape comes from."""
        unknown_rank: Unknown | None = None
        if batch is not None and not isinstance(batch, Unknown):
            full: Any = tuple(self.sizes(batch)) if isinstance(batch, (list, tuple)) else None
            if full is None:
                raise self.error(f"Input needs a shape such as shape=(28, 28, 1), got {describe(batch)}", e, None)
        else:
            if isinstance(shape, Unknown) or isinstance(batch, Unknown):
                unknown_rank = shape if isinstance(shape, Unknown) else batch
                full = None
            else:
                if (isinstance(shape, int) and not isinstance(shape, bool)) or is_symbolic(shape):
                    shape = (shape,)
                if not isinstance(shape, (list, tuple)):
                    raise self.error(f"Input needs a shape such as shape=(28, 28, 1), got {describe(shape)}", e,
                                     "Input(shape=(64,)) for 64 features")
                full = (kwargs.get("batch_size") if isinstance(kwargs.get("batch_size"), int) else None,
                        *self.sizes(tuple(shape)))
        return full, unknown_rank

    def resolve_rank(self, node: Node, consumer: Any) -> None:
        """An input whose shape is unknown (``x_train.shape[1:]`` of unread data): take its rank
        from the first layer that reads it, the smallest that layer accepts, with one named size
        per axis."""
        what = node.meta.get("unknown_shape")
        if what is None or node.shape is not None:
            return
        base = what[:-4] if what.endswith("[1:]") else what
        inner = getattr(consumer, "graph", None)
        if inner is not None and len(getattr(inner, "inputs", ())) == 1:
            # a model called on it (a subclassed VAE's self.encoder(x)): its own Input's shape,
            # the only one Keras lets through
            own = inner.nodes[inner.inputs[0]].shape
            if own is not None and all(isinstance(d, int) for d in own[1:]):
                node.shape = tuple(own)
                node.meta["shape_from"] = inner.name
                return

        def shape(rank: int) -> tuple:
            return (None, *(self.named_size(f"{base}[{i + 1}]") for i in range(rank)))

        rank = smallest_rank(consumer, shape)
        node.shape = shape(rank or 1)
        if rank is not None:
            node.meta["rank_from"] = getattr(consumer, "keras_name", "") or "the first layer"

    def make_sequential(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        layers = args[0] if args else kwargs.get("layers", [])
        if isinstance(layers, Unknown):
            raise self.blocked(layers, "the layer list is not known", e)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("sequential")
        m = ModelObj("Sequential", name, self.loc(e), trainable=kwargs.get("trainable", True) is not False)
        if layers is None:
            layers = []
        if not isinstance(layers, (list, tuple)):
            raise self.error("Sequential takes a list of layers", e)
        for item in layers:
            self.seq_add(m, item, e)
        return m

    def seq_add(self, m: ModelObj, item: Any, e: ast.AST) -> None:
        if isinstance(item, Unknown):
            opaque = self.opaque_layer(item, e)
            if opaque is None:
                raise self.blocked(item, "the layer is not known", e)
            item = opaque
        if isinstance(item, tuple) and item and item[0] == "input_layer":
            item = item[1]
        item = self.seq_add_deferred(m, item, e)
        if item is _ADDED:
            return
        if not isinstance(item, (LayerObj, ModelObj)):
            raise self.error(f"Sequential layers must be layers, got {describe(item)}", e)
        if isinstance(item, ModelObj) and item is m:
            raise self.error("a model cannot be added to itself", e)
        if not m.layers and m.input_shape is None and m.input_unknown is None and isinstance(item, LayerObj):
            self.sequential_input(m, item.kwargs, e, item.layer.is_embedding)
        limits.check_layers(len(m.layers) + 1, self.loc(e))
        m.layers.append(item)

    def seq_add_deferred(self, m: ModelObj, item: Any, e: ast.AST) -> Any:
        """``model.add(x)`` of an entry other than a layer or model: an Input starts the model; a
        custom layer, a Lambda or a Keras 1 Merge of models is kept to be traced when the model is
        assembled. _ADDED when done, else the layer to add (a custom layer's, once traced)."""
        if isinstance(item, Tensor):
            node = self.nodes[item.node]
            if not node.is_input or m.layers or m.input_shape is not None:
                raise self.error("only keras.Input(...) can start a Sequential model", e)
            m.input_shape, m.input_name = node.shape, node.name
            if node.shape is None:
                m.input_unknown = Unknown(node.meta.get("unknown_shape", "input"), 0)
            return _ADDED
        if isinstance(item, Instance):
            if item.cls.kind == "other":
                raise self.error(f"Sequential layers must be layers, got {describe(item)}", e)
            if item.layer_obj is not None:
                return item.layer_obj
            m.layers.append(item)  # traced when the model is assembled, on the previous shape
            return _ADDED
        from archcalc.readers.python.classes import LambdaLayer

        if isinstance(item, LambdaLayer):
            # traced when the model is assembled, on the previous layer's output shape
            if not m.layers and m.input_shape is None:
                self.sequential_input(m, item.kwargs, e)
            m.layers.append(item)
            return _ADDED
        if isinstance(item, MergedModels):
            if m.layers or m.input_shape is not None:
                raise self.error("a Merge of models can only start a Sequential model", e)
            m.layers.append(item)
            return _ADDED
        return item

    def sequential_input(self, m: ModelObj, kw: dict[str, Any], e: ast.AST, embedding: bool = False) -> None:
        """A Sequential's input from its first layer's input_shape / batch_input_shape / input_dim."""
        if kw.get("input_shape") is not None:
            if isinstance(kw["input_shape"], Unknown):
                m.input_unknown = kw["input_shape"]
            else:
                shape = kw["input_shape"]
                shape = (shape,) if isinstance(shape, int) or is_symbolic(shape) else tuple(shape)
                m.input_shape = (kw.get("batch_size") if isinstance(kw.get("batch_size"), int) else None,
                                 *self.sizes(shape))
        elif kw.get("batch_input_shape") is not None:
            if isinstance(kw["batch_input_shape"], Unknown):
                m.input_unknown = kw["batch_input_shape"]
            else:
                m.input_shape = tuple(self.sizes(tuple(kw["batch_input_shape"])))
        elif kw.get("input_dim") is not None and not embedding:
            m.input_shape = (None, self.sizes(kw["input_dim"]))
        elif embedding and kw.get("input_length") is not None:
            m.input_shape = (None, self.sizes(kw["input_length"]))  # Keras 2's meaning; Keras 3 ignores it

    def make_functional(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        from archcalc.readers.python import legacy

        kwargs, _changes = legacy.translate_model_kwargs(kwargs, self.era)
        inputs = args[0] if args else kwargs.get("inputs", kwargs.get("input"))
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs", kwargs.get("output"))
        if inputs is None or outputs is None:
            raise self.error("Model(inputs, outputs) needs both", e,
                             "a subclassed model defines its layers in __init__ and call(); " + SPEC_HINT)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("functional")
        m = ModelObj("Functional", name, self.loc(e))
        m.inputs = [t.node for t in self.tensors(inputs, e, "inputs")]
        for n in m.inputs:
            if not self.nodes[n].is_input:
                raise self.error(f"Model inputs must come from keras.Input; '{n}' is a layer output", e)
        outs = self.tensors(outputs, e, "outputs")
        m.outputs = [t.node for t in outs]
        m.output_index = [t.index for t in outs] if any(t.index is not None for t in outs) else []
        if isinstance(outputs, dict):
            m.output_keys = [str(k) for k in _sorted_keys(outputs)]
        m.output_list = isinstance(outputs, (list, tuple))
        self.graph_of(m, e)  # check now, so the error points at this line
        return m

    def tensors(self, v: Any, e: ast.AST, what: str) -> list[Tensor]:
        if isinstance(v, Unknown):
            raise self.blocked(v, f"the model's {what} are not known", e)
        if isinstance(v, tuple) and v and v[0] == "input_layer":
            v = v[1]
        if isinstance(v, Tensor):
            return [v]
        if isinstance(v, dict):  # Keras 3 flattens a dict of inputs or outputs in sorted key order
            v = [v[k] for k in _sorted_keys(v)]
        if isinstance(v, (list, tuple)) and v:
            out: list[Tensor] = []
            for x in v:
                out.extend(self.tensors(x, e, what))
            return out
        raise self.error(f"the model's {what} must be tensors (from Input or layer calls), got {describe(v)}", e)

    def helper(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Tensor:
        inputs = args[0] if args else kwargs.get("inputs")
        rest = args[1:]
        kw = {k: v for k, v in kwargs.items() if k != "inputs"}
        if name == "dot" and rest:
            kw["axes"] = rest[0]
            rest = rest[1:]
        if name == "concatenate" and rest:
            kw["axis"] = rest[0]
            rest = rest[1:]
        layer = self.make_layer(HELPERS[name], rest, kw, e)
        return self.call_layer(layer, self.tensors(inputs, e, "inputs"), True, e)

    def call_on(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        x = self.layer_input(layer, args, kwargs, e)
        if isinstance(x, _Result):
            return x.value  # a layer run on data: its result is data too
        is_list = isinstance(x, (list, tuple))
        tensors = self.tensors(x, e, "inputs")
        lt: Any = getattr(layer, "layer", None)
        if getattr(lt, "SEPARATE_INPUTS", False):
            # MultiHeadAttention(query, value, key): the tensors are separate arguments
            extra = [a for a in args[1:] if isinstance(a, Tensor)]
            extra += [kwargs[k] for k in ("value", "key") if isinstance(kwargs.get(k), Tensor)]
            tensors, is_list = [*tensors, *extra], False
        state = kwargs.get("initial_state")
        if state is not None and not isinstance(state, Unknown):
            # an RNN started from another one's states: they are inputs of this call
            tensors = [*tensors, *self.tensors(state, e, "initial states")]
            is_list = False
        call_args = {k: v for k, v in kwargs.items() if k in getattr(lt, "CALL_ARGS", ())}
        if call_args and isinstance(layer, LayerObj) and lt is not None and not layer.calls:
            try:
                layer.layer = type(lt).bind(layer.args, {**layer.kwargs, **call_args})
            except SpecError as err:
                raise err.with_loc(self.loc(e)) from None
        return self.call_layer(layer, tensors, is_list, e)

    def layer_input(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """The first input of a layer call: a tensor (or a list of them), or the call's result
        (_Result) when the layer runs on data (``model(image_batch)``); an unknown input that a
        model needs is an error."""
        if not args:
            first = kwargs.get("inputs", kwargs.get("query"))
            args = [first] if first is not None else []
        if not args:
            raise self.error(f"layer '{layer.name}' is called without inputs", e)
        x = args[0]
        if isinstance(x, Unknown) and x.failed is not None:
            raise x.failed  # the input's own statement failed (fault isolation): its error
        if isinstance(x, Unknown):
            if x.undefined and isinstance(e.args[0] if e.args else None, ast.Name):
                raise self.blocked(x, f"the input of layer '{layer.name}' is not known", e)
            # a layer run on data (model(image_batch)): its result is data too; it matters only
            # if it reaches a model's outputs, which then says where it came from
            return _Result(Unknown(f"{layer.name}(...)", e.lineno))
        if isinstance(x, Array):
            if not self.self_stack or x.shape is None:
                return _Result(self.layer_on_data(layer, x, e))  # a layer run eagerly on data (in ds.map(f))
            # inside a custom layer's call(): a constant tensor (ops.arange(maxlen)) feeds a layer
            name = self.unique("constant")
            self.nodes[name] = Node(name=name, layer=None, shape=tuple(x.shape), loc=self.loc(e),
                                    meta={"constant": True})
            x = Tensor(name)
        if isinstance(x, tuple) and x and x[0] == "input_layer":
            x = x[1]
        return x

    def call_layer(self, layer: LayerObj, tensors: list[Tensor], is_list: bool, e: ast.AST) -> Tensor:
        for t in tensors:
            src = self.nodes.get(t.node)
            if src is not None and src.is_input and src.shape is None:
                self.resolve_rank(src, layer.layer)
            if src is not None and isinstance(src.layer, OpaqueLayer) and src.layer.rank is None:
                resolve_opaque_rank(src.layer, layer.layer)
        if layer.calls:
            # not name_1: that is the automatic name of the next layer of the same class
            node_name = self.unique(f"{layer.name}_call{len(layer.calls)}")
            shared = layer.calls[0]
        else:
            node_name, shared = layer.name, None
            if node_name in self.nodes:
                node_name = self.reused_name(node_name, e)
        meta: dict[str, Any] = {"call_loc": self.loc(e)}
        if self.block_path:
            meta["block"] = tuple(self.block_path)
        if layer.legacy:
            meta["legacy"] = layer.legacy
        limits.check_layers(len(self.nodes) + 1, self.loc(e))
        if node_name != layer.name and shared is None:
            meta["given_name"] = layer.name
        self.nodes[node_name] = Node(
            name=node_name, layer=layer.layer, inputs=[t.node for t in tensors], loc=layer.loc,
            input_index=[t.index for t in tensors] if any(t.index is not None for t in tensors) else [],
            list_input=is_list, shared_with=shared, meta=meta,
        )
        layer.calls.append(node_name)
        return Tensor(node_name)

    # -- tensors ----------------------------------------------------------------------------

    def shape_of(self, t: Tensor, e: ast.AST | None) -> Any:
        """A tensor's shape, batch axis included, computed as the engine would."""
        node = self.nodes.get(t.node)
        if node is None:
            return Unknown(f"{t.node}.shape", getattr(e, "lineno", 0))
        shapes = self.node_shapes(node, e)
        if t.index is not None:
            try:
                return shapes[t.index] if isinstance(shapes, list) else shapes
            except IndexError:
                raise self.error(f"'{t.node}' has no output [{t.index}]", e) from None
        return shapes

    def node_shapes(self, node: Node, e: ast.AST | None) -> Any:
        cached = node.meta.get("_shape")
        if cached is not None:
            return cached
        if node.is_input:
            if node.shape is None:
                return Unknown(f"{node.name}.shape", getattr(e, "lineno", 0))
            return tuple(node.shape)
        ins: list[Any] = []
        for src, idx in node.sources():
            s = self.node_shapes(self.nodes[src], e)
            if isinstance(s, Unknown):
                return s
            if idx is None:
                ins.extend(s if isinstance(s, list) else [s])
            else:
                ins.append(s[idx] if isinstance(s, list) else s)
        assert node.layer is not None
        try:
            out = node.layer.output_shape(ins)
        except ShapeError as err:
            raise err.with_loc(node.loc, node.name) from None
        except (ValueError, TypeError, ZeroDivisionError) as err:
            raise ShapeError(f"{node.layer.keras_name}: {err}", loc=node.loc, layer=node.name) from None
        node.meta["_shape"] = out
        return out

    def tensor_attribute(self, t: Tensor, attr: str, e: ast.AST) -> Any:
        if attr not in ("shape", "ndim", "dtype") and not attr.startswith("_"):
            part = self.opaque_part(t, attr, e, attribute=True)  # outputs.pooler_output of an unread layer
            if part is not None:
                return part
        if attr == "shape":
            return self.shape_of(t, e)
        if attr == "ndim":
            s = self.shape_of(t, e)
            return len(s) if isinstance(s, tuple) else Unknown(f"{t.node}.ndim", getattr(e, "lineno", 0))
        if attr == "dtype":
            return "float32"
        if attr in ("get_shape", "numpy"):
            return ("tensormethod", t, attr)
        if attr == "name":
            return t.node
        if attr == "T":
            return self.tensor_op("transpose", [t], {}, e)
        if attr in ("reshape", "mean", "sum", "max", "min"):
            return ("tensormethod", t, attr)
        return Unknown(f"{t.node}.{attr}", getattr(e, "lineno", 0))

    def tensor_method(self, t: Tensor, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "get_shape":
            return self.shape_of(t, e)
        if name in ("reshape", "mean", "sum", "max", "min"):
            return self.tensor_op(name, [t, *args], kwargs, e)
        return Unknown(f"{t.node}.{name}()", e.lineno)

    def const_shape(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """The shape of ``keras.ops.arange(n)``, ``zeros((a, b))`` and friends."""
        if name == "arange":
            nums = [a for a in args if isinstance(a, int) and not isinstance(a, bool)] or (
                [kwargs["stop"]] if isinstance(kwargs.get("stop"), int) else [])
            if len(nums) == 1:
                return (nums[0],)
            if len(nums) >= 2:
                step = nums[2] if len(nums) > 2 else 1
                return (len(range(nums[0], nums[1], step)),) if step else None
            return None
        shape = kwargs.get("shape", args[0] if args else None)
        return (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape

    def free_tensor(self, shape: Any, e: ast.AST) -> Any:
        """A tensor made from nothing (``keras.random.normal(shape=...)``): its shape only."""
        if isinstance(shape, (list, tuple)):
            return Array(tuple(shape), "random tensor")
        return Unknown("random tensor", getattr(e, "lineno", 0))

    def tensor_op(self, op: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST, source: str = "") -> Any:
        """An operation on tensors (``x + 3.0``, ``keras.ops.mean(x, axis=1)``, ``tf.nn.relu(x)``)
        as an op node, bound by archcalc.layers.ops (``source`` is the spelling as written)."""
        from archcalc.layers import ops

        tensors: list[Tensor] = []

        def mark(v: Any) -> Any:
            if isinstance(v, Tensor):
                tensors.append(v)
                return ops.TensorArg(len(tensors) - 1)
            if isinstance(v, list):
                return [mark(x) for x in v]
            if isinstance(v, tuple):
                return tuple(mark(x) for x in v)
            if isinstance(v, Array):
                return ops.ShapedConstant(tuple(v.shape))
            if isinstance(v, Unknown):
                return self.ev.symbol_for(v)
            return v

        margs = [mark(a) for a in args]
        mkw = {k: mark(v) for k, v in kwargs.items() if k not in ("name",)}
        try:
            if source:
                layer_type, order = ops.bind_spelling(source, margs, mkw)
            else:
                layer_type, order = ops.bind_op(op, margs, mkw)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        given = kwargs.get("name")
        name = given if isinstance(given, str) and given not in self.nodes else self.uid(ops.default_name(layer_type))
        obj = LayerObj(layer_type, name, self.loc(e), {})
        ordered = [tensors[i] for i in order]
        return self.call_layer(obj, ordered, len(ordered) > 1, e)

    def tensor_subscript(self, t: Tensor, key: Any, e: ast.AST) -> Any:
        return self.tensor_op("get_item", [t, key], {}, e)

    def multi_output(self, t: Tensor) -> bool:
        node = self.nodes.get(t.node)
        if node is None or node.is_input:
            return False
        try:
            s = self.node_shapes(node, None)
        except SpecError:
            return True
        return isinstance(s, list)


#: seq_add_deferred: the entry is added
_ADDED = object()


class _Result:
    """layer_input: the value of the whole call (a layer run on data), not an input."""

    def __init__(self, value: Any) -> None:
        self.value = value


class MergedModels:
    """Keras 1's ``Merge([left, right], mode=...)`` of whole models, the first entry of a
    Sequential: the Sequential then has the models' inputs, and the merge reads their outputs."""

    def __init__(self, layer: LayerObj, models: list[ModelObj]) -> None:
        self.layer = layer
        self.models = models


def _arg(v: Any) -> Any:
    """A constructor argument as the layer registry takes it: a nested layer as its type, a
    function passed by name (``activation=tf.nn.relu``) as its name."""
    if isinstance(v, LayerObj):
        return v.layer
    if isinstance(v, Mod) and v.path[0] in _DATA_LIBRARIES:
        # an attribute of a data or tracking library (wandb.config.units): a value archcalc
        # does not know, so a named size where it is a size, never its name as a string
        return Unknown(".".join(v.path), 0)
    if isinstance(v, Mod):
        return v.name
    if isinstance(v, (list, tuple)):
        return type(v)(_arg(x) for x in v)
    return plain(v)


#: Keras calls the reader knows, one row each: (submodule, name) -> KerasMixin method; "*"
#: matches any submodule ("" is ``keras.X`` itself). Tried in order: the exact row, the "*" row,
#: then the submodule's handler (KERAS_MODULES); NotImplemented passes the call on.
KERAS_CALLS: dict[tuple[str, str], str] = {
    ("*", "_obtain_input_shape"): "lib_obtain_input_shape", ("*", "obtain_input_shape"): "lib_obtain_input_shape",
    ("*", "get_source_inputs"): "lib_source_inputs",
    ("*", "Input"): "k_input", ("", "InputLayer"): "k_input", ("layers", "InputLayer"): "k_input",
    ("", "Sequential"): "k_sequential", ("models", "Sequential"): "k_sequential",
    ("", "Model"): "k_functional", ("models", "Model"): "k_functional",
    ("", "Functional"): "k_functional", ("models", "Functional"): "k_functional",
    ("models", "load_model"): "k_unread_model", ("models", "model_from_json"): "k_unread_model",
    ("models", "clone_model"): "k_unread_model",
    ("datasets", "load_data"): "k_dataset",
    ("*", "to_categorical"): "k_to_categorical", ("*", "pad_sequences"): "lib_pad_sequences",
    ("*", "ImageDataGenerator"): "k_image_generator",
    # tf.data loaders (tfdata.py)
    ("*", "image_dataset_from_directory"): "k_image_dataset", ("*", "text_dataset_from_directory"): "k_text_dataset",
    ("*", "timeseries_dataset_from_array"): "k_timeseries_dataset", ("*", "preprocess_input"): "k_preprocess_data",
    ("", "backend"): "k_backend", ("activations", "get"): "k_activation_get",
    ("", "merge"): "k_merge", ("", "Merge"): "k_merge", ("layers", "merge"): "k_merge", ("layers", "Merge"): "k_merge",
}
#: a Keras submodule's calls: configuration objects, the backend, tensor operations, layers
KERAS_MODULES: dict[str, str] = {
    "applications": "k_application", "backend": "k_backend", "layers": "k_layer", "": "k_layer",
    **{m: "k_config" for m in CONFIG_MODULES},
    **{m: "k_op" for m in OP_MODULES - {"backend"}},  # keras.backend has a handler of its own
}

#: library calls the reader knows, one row each: (module, function) -> KerasMixin method; "*"
#: matches any module. Tried in order: LIBRARY_CALLS, the Keras family (LIBRARY_FAMILIES: Keras
#: in all its spellings), LIBRARY_CALLS_AFTER_KERAS, the other families (NumPy, scikit-learn,
#: TensorFlow), LIBRARY_CALLS_LAST; a handler that returns NotImplemented passes the call on.
LIBRARY_CALLS: dict[tuple[str, str], str] = {
    ("*", "KerasClassifier"): "lib_sklearn_wrapper", ("*", "KerasRegressor"): "lib_sklearn_wrapper",
    ("pandas", "read_csv"): "lib_read_csv", ("numpy", "load"): "lib_np_load",
    ("numpy", "loadtxt"): "lib_np_loadtxt", ("numpy", "genfromtxt"): "lib_np_loadtxt",
    ("os.path", "exists"): "lib_path_exists", ("os.path", "isfile"): "lib_path_exists",
    ("os.path", "isdir"): "lib_path_exists",
    ("sys.path", "append"): "lib_sys_path", ("sys.path", "insert"): "lib_sys_path",
    ("random", "choice"): "lib_choice", ("pandas", "get_dummies"): "lib_get_dummies",
    ("wandb", "init"): "lib_wandb_init",
    ("itertools", "product"): "lib_itertools", ("itertools", "combinations"): "lib_itertools",
    ("itertools", "combinations_with_replacement"): "lib_itertools",
    ("itertools", "permutations"): "lib_itertools", ("itertools", "chain"): "lib_itertools",
    **TFDATA_CALLS, **CONFIG_LOADERS,
}
LIBRARY_FAMILIES: dict[str, str] = {
    "keras": "lib_keras", "numpy": "lib_numpy", "sklearn": "lib_sklearn", "tensorflow": "lib_tensorflow",
}
LIBRARY_CALLS_AFTER_KERAS: dict[tuple[str, str], str] = {
    ("*", "_obtain_input_shape"): "lib_obtain_input_shape", ("*", "obtain_input_shape"): "lib_obtain_input_shape",
    ("*", "get_source_inputs"): "lib_source_inputs",
    ("functools", "partial"): "lib_partial", ("functools", "reduce"): "lib_reduce",
}
LIBRARY_CALLS_LAST: dict[tuple[str, str], str] = {
    ("keras_tuner", "HyperParameters"): "lib_hyperparameters", ("kerastuner", "HyperParameters"): "lib_hyperparameters",
    ("argparse", "ArgumentParser"): "lib_argument_parser",
    ("*", "to_categorical"): "lib_to_categorical", ("*", "pad_sequences"): "lib_pad_sequences",
}

#: libraries whose calls give data, never a layer (their unknown results stay plain unknowns)
_DATA_LIBRARIES = {"numpy", "pandas", "sklearn", "scipy", "cv2", "PIL", "matplotlib", "seaborn", "os", "sys",
                   "json", "yaml", "pickle", "math", "random", "time", "datetime", "pathlib", "glob", "re",
                   "collections", "itertools", "csv", "shutil", "requests", "urllib", "zipfile", "tarfile",
                   "h5py", "skimage", "imageio", "torch", "tqdm", "logging", "warnings", "argparse", "io",
                   "string", "typing", "dataclasses", "functools", "builtins", "copy", "wandb", "mlflow"}

#: constructor arguments an opaque layer keeps: they give a Sequential its input
_INPUT_KWARGS = ("input_shape", "batch_input_shape", "input_dim")


def smallest_rank(consumer: Any, shape_of_rank: Callable[[int], tuple]) -> int | None:
    """The smallest rank (1 to 4 axes after the batch) of a tensor whose shape archcalc cannot
    see that ``consumer`` accepts (a Dense takes 1, a Conv2D 3); None when it takes none."""
    for rank in (1, 2, 3, 4):
        try:
            if consumer is not None:
                consumer.output_shape([shape_of_rank(rank)])
        except (ArchcalcError, ValueError, TypeError, ZeroDivisionError):
            continue
        return rank
    return None


def resolve_opaque_rank(opaque: Any, consumer: Any) -> None:
    """An opaque layer's output rank: the smallest its first consumer takes."""
    opaque.rank = smallest_rank(consumer, lambda r: opaque.shape_of_rank(None, r)) or 1


#: layer arguments that take an activation (a name, a function, a weightless layer)
_ACTIVATION_ARGS = {"activation", "recurrent_activation"}

#: layer arguments that change no shape and no parameter count: an unknown value (read from a
#: config file, a command line) falls back to the default
_NUMBERLESS = {"activation", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
               "activity_regularizer", "kernel_constraint", "bias_constraint", "dtype", "recurrent_initializer",
               "recurrent_regularizer", "name", "rate", "recurrent_activation", "dropout", "recurrent_dropout",
               "seed", "alpha", "negative_slope", "momentum", "epsilon", "stddev", "trainable"}

#: a required number-free argument whose value is unknown: the value it is read with
_PLACEHOLDER = {"rate": 0.5, "stddev": 0.1}

#: keras.ops / tf functions whose result has the shape of their first argument
_SHAPE_KEEPING = {"cast", "convert_to_tensor", "identity", "stop_gradient", "abs", "negative", "square",
                  "sqrt", "exp", "log", "tanh", "sigmoid", "relu", "softmax", "clip", "clip_by_value"}


def _has_unknown(v: Any) -> bool:
    if isinstance(v, Unknown):
        return True
    if isinstance(v, (list, tuple)):
        return any(_has_unknown(x) for x in v)
    return False


def _unknown_hint(v: Unknown) -> str:
    if "applications" in v.what:
        return ("keras.applications models are built by Keras code archcalc does not run: save it with "
                "open('model.json', 'w').write(model.to_json()) and run archcalc on the .json")
    if "load_model" in v.what or "model_from_json" in v.what:
        return "run archcalc on the saved model file (.keras or .json) itself"
    if v.undefined:
        return "define it above this line, or pin it with --set NAME=VALUE"
    return "pin the value with --set NAME=VALUE, or " + SPEC_HINT


def _sorted_keys(d: dict[Any, Any]) -> list[Any]:
    """A dict's keys in the order Keras 3 flattens it (sorted; insertion order when unsortable)."""
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def _user_cells(cell: Any) -> list[Instance]:
    """The file's own RNN cells given to ``RNN(...)`` (one, or a list to stack); [] otherwise."""
    cells = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    if cells and all(isinstance(c, Instance) and c.cls.kind == "layer" for c in cells):
        return cells
    return []


def _np_on_values(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.concatenate / stack of arrays of known shape, np.prod of sizes, np.sqrt of a number;
    NotImplemented otherwise (NP_ON_VALUES: one row per function)."""
    fn = NP_ON_VALUES.get(name)
    return fn(name, first, args, kwargs) if fn is not None else NotImplemented


def _np_join(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.concatenate / vstack / stack of arrays of known shape."""
    if not (isinstance(first, (list, tuple)) and first and all(isinstance(a, Array) for a in first)):
        return NotImplemented
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    a0 = first[0]
    if name == "stack":
        return Array((len(first), *a0.shape), a0.what)
    if axis == 0 and all(a.shape[1:] == a0.shape[1:] for a in first):
        n: Any = 0
        for a in first:
            n = n + a.shape[0] if isinstance(a.shape[0], int) and n is not None else None
        return Array((n, *a0.shape[1:]), a0.what, a0.classes, a0.onehot)
    return NotImplemented


def _np_prod(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.prod of sizes (numbers or named sizes)."""
    if not (isinstance(first, (list, tuple)) and all(isinstance(d, int) or is_symbolic(d) for d in first)):
        return NotImplemented
    p: Any = 1
    for d in first:
        p = p * d
    return p


def _np_number(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.float32(3) is 3; np.array of a number is the number, of a list of arrays one more axis."""
    if isinstance(first, (int, float)):
        return first
    if name in ("array", "asarray") and isinstance(first, (list, tuple)):
        stacked = data.list_array(first, f"np.{name}(...)")  # np.array(images): one more axis
        if stacked is not None:
            return stacked
    return NotImplemented


def _np_math(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.sqrt / ceil / floor / log2 of a number (not of a negative one where it has none)."""
    import math

    if not isinstance(first, (int, float)) or isinstance(first, bool):
        return NotImplemented
    if first < 0 and name in ("sqrt", "log2"):
        return NotImplemented
    return {"sqrt": math.sqrt, "ceil": math.ceil, "floor": math.floor, "log2": math.log2}[name](first)


#: NumPy functions computed on values the reader knows: name -> (name, first, args, kwargs) -> value
NP_ON_VALUES: dict[str, Callable[[str, Any, list[Any], dict[str, Any]], Any]] = {
    "concatenate": _np_join, "vstack": _np_join, "stack": _np_join, "prod": _np_prod, "product": _np_prod,
    **{n: _np_number for n in ("float32", "float64", "int32", "int64", "array", "asarray")},
    "sqrt": _np_math, "ceil": _np_math, "floor": _np_math, "log2": _np_math,
}
