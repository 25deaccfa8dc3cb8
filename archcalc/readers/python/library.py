"""The library side of the evaluator's interface (api.LibraryApi): what a value that is not plain
Python does when the file calls it, reads or sets its attributes, indexes it, applies an operator
to it, unpacks it; and what binding a name, a star import, a class definition, a skipped loop and
a run of one of the file's functions mean to the models being read.

Each method sorts the value by kind and passes it on: a module's function to the call tables
(``keras_api.CallTablesMixin.library_call``: KERAS_CALLS, LIBRARY_CALLS...), a layer, tensor or
model to its family's module (keras_layers.py, keras_tensors.py, keras_models.py, assemble.py),
a class of the file or its objects to classes.py / instances.py, arrays and tables to data.py
and frames.py, what builds a model to builds.py. The evaluator is ``self.ev``.
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from archcalc.layers import registry
from archcalc.readers.python import data, facts, frames, modules, tfdata
from archcalc.readers.python.api import Once, OverData
from archcalc.readers.python.config_files import OpenedFile
from archcalc.readers.python.facts import HELPERS
from archcalc.readers.python.layer_types import LambdaLayer, UserRNNLayer
from archcalc.readers.python.plain import PY_METHODS
from archcalc.readers.python.plain import text_of as _text
from archcalc.readers.python.values import (
    AppCut,
    AppLayer,
    AppLayers,
    ArgParser,
    Array,
    Batches,
    EvalError,
    HyperParams,
    ImageGenerator,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
    describe,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

UNREAD_MODELS = ("keras.applications.", "load_model", "model_from_json", "model_from_yaml", "clone_model")

#: Python operators on tensors -> keras.ops function names
TENSOR_OPS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide",
              ast.FloorDiv: "floor_divide", ast.Pow: "power", ast.MatMult: "matmul", ast.Mod: "mod"}

def _reads_tensor(args: list[Any], kwargs: dict[str, Any]) -> bool:
    """True when a call passes a tensor (or a list of them): the function is a block."""
    for v in (*args, *kwargs.values()):
        if isinstance(v, Tensor) or (isinstance(v, (list, tuple)) and any(isinstance(x, Tensor) for x in v)):
            return True
    return False




class LibraryMixin(_Side):
    """The Interpreter's side of api.LibraryApi."""

    # -- values -----------------------------------------------------------------------------

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """LibraryApi.call: a callee that is not plain Python, by kind (a bound method of a
        library value by its tag, CALL_TAGS; any other value by its type, CALL_KINDS)."""
        if isinstance(func, tuple) and func and isinstance(func[0], str) and func[0] in CALL_TAGS:
            return getattr(self, CALL_TAGS[func[0]])(func, args, kwargs, e)
        for kind, method in CALL_KINDS:
            if isinstance(func, kind):
                return getattr(self, method)(func, args, kwargs, e)
        return Unknown(_text(e.func) + "(...)", e.lineno)

    def call_bound_method(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``(tag, value, name)``: the method METHOD_TAGS names for the tag."""
        return getattr(self, METHOD_TAGS[func[0]])(func[1], func[2], args, kwargs, e)

    def call_super_method(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``super().name(...)`` in a class of the file: the method of the file's own base class
        run on self, else (a Keras or library base) what ``super().__init__`` is given."""
        base = self.super_method(func[1])
        if base is not None:  # a method of the file's own base class: run it on self
            return self.ev.call_user(base, args, kwargs, e)
        if func[1] == "__init__" and self.self_stack:
            name = kwargs.get("name")
            if isinstance(name, str):
                self.self_stack[-1].name = name
            # a subclass of a Keras layer: what its base is built with (see keras_base)
            self.self_stack[-1].attrs.setdefault("__super_init__", (list(args), dict(kwargs)))
        return None

    def call_initializer(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``w_init(shape=(784, 128))`` of ``tf.random_normal_initializer()``: a tensor of that shape."""
        return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)

    def call_frame_method(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return frames.method(func[1], func[2], args, kwargs, e.lineno)

    def call_partial(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``functools.partial(f, a)(b)`` is ``f(a, b)``."""
        return self.ev.call_value(func[1], [*func[2], *args], {**func[3], **kwargs}, e)

    def call_builtin(self, func: tuple, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``open('config.json')``, ``next(iter(dataset))`` (tfdata.data_call); ``set(labels)`` of
        an array: the distinct labels; NotImplemented: the evaluator's own builtin."""
        got = self.data_call(func, args, kwargs, e)
        if got is not NotImplemented:
            return got
        return self.array_builtin(func[1], args, kwargs, e)

    def array_builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``len(x_train)``: its rows; ``set(labels)``: the distinct labels; ``list(x)``,
        ``tuple(x)``, ``sorted(x)``: the array; NotImplemented for anything else."""
        if len(args) != 1 or kwargs or not isinstance(args[0], Array):
            return NotImplemented
        a = args[0]
        if name == "len":
            return a.shape[0] if a.shape and a.shape[0] is not None else Unknown(f"len({a.what})", e.lineno)
        if name in ("set", "frozenset"):
            return data.unique(a, e.lineno)
        return a if name in ("list", "tuple", "sorted") else NotImplemented

    def call_user_rnn(self, func: UserRNNLayer, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        x = args[0] if args else kwargs.get("inputs")
        tensors = self.tensors(x, e, "inputs")
        obj = self.user_rnn_layer_obj(func, self.shape_of(tensors[0], e), e)
        return self.call_layer(obj, tensors[:1], False, e)

    def call_model(self, func: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``model(x)``: the model as a layer of the model being built."""
        if func.kind == "Sequential" and func.input_shape is None \
                and func.layer_obj is None and args and isinstance(args[0], Tensor) \
                and any(isinstance(item, (Instance, LambdaLayer)) for item in func.layers):
            # a Sequential of the file's own layers (self.blocks.add(InceptionBlk(...))) first
            # called here: its layers are traced on this input's shape, as Keras builds them
            shape = self.shape_of(args[0], e)
            if isinstance(shape, tuple):
                func.input_shape = shape
        out = self.call_on(self.model_layer(func, e), args, kwargs, e)
        if func.output_list and len(func.outputs) == 1 and isinstance(out, Tensor):
            return [out]  # Model(i, [x])(t) is a list of one tensor, as Keras gives it
        return out

    def call_unknown_layer(self, func: Unknown, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``hub.KerasLayer(...)(x)``: a layer archcalc cannot read, called on a tensor."""
        if _reads_tensor(args, kwargs):
            opaque = self.opaque_layer(func, e)
            if opaque is not None:
                x = args[0] if args else next(iter(kwargs.values()))
                return self.call_on(opaque, [x], {}, e)
        return Unknown(_text(e.func) + "(...)", e.lineno)

    def call_unknown(self, func: Unknown, e: ast.Call, env: Mapping[str, Any]) -> Any:
        """LibraryApi.call_unknown: a call into code the reader does not know. Its arguments are
        still evaluated when they hold arrays (``scaler.fit_transform(X)`` keeps X's shape)."""
        if func.undefined and isinstance(e.func, ast.Name):
            # a call of a name the file never defines (a typo, or code elsewhere): used directly
            # it is reported as undefined; assigned, its variable names it
            return Unknown(func.what, func.line, undefined=True, source=f"{func.what}(...)", col=func.col)
        if (func.source or func.what, func.line) in self.external_calls or (func.what, func.line) in self.opaque_made:
            args, kwargs, bad = self.ev.call_args(e, env)  # type: ignore[arg-type]
            if bad is None and _reads_tensor(args, kwargs):
                return self.ev.call_value(func, args, kwargs, e)  # a layer of a library archcalc does not read
        name = _text(e.func).rsplit(".", 1)[-1]
        if name in facts.SHAPE_PRESERVING and e.args:
            first = self.ev.expr(e.args[0], env)
            if isinstance(first, Array):
                return first
        if name == "reshape" and isinstance(e.func, ast.Attribute) and e.args:
            # data read elsewhere, reshaped to a known sample shape: x.reshape(-1, 28, 28, 1)
            dims = [self.ev.expr(a, env) for a in e.args]
            if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
                dims = list(dims[0])
            rest = dims[1:]
            if rest and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in rest):
                n = dims[0] if isinstance(dims[0], int) and dims[0] > 0 else None
                return Array((n, *rest), _text(e.func.value))
        return Unknown(_text(e) if len(_text(e, 80)) < 60 else _text(e.func) + "(...)", e.lineno)

    def attribute(self, obj: Any, name: str, e: ast.Attribute) -> Any:
        """LibraryApi.attribute: a model use is recorded, then the attribute by the value's kind."""
        self.note_use(obj, name, e)
        kept = self.kept_attribute(obj, name, e)
        if kept is not _NONE:
            return kept
        if isinstance(obj, tuple) and obj and obj[0] in ("super", "superobj"):
            return ("supermethod", name)
        if isinstance(obj, LambdaLayer):
            return Unknown(f"{obj.name}.{name}", e.lineno)
        if isinstance(obj, Mod):
            return obj.attr(name)
        if isinstance(obj, Unknown):
            return Unknown(f"{obj.what}.{name}" if len(obj.what) < 60 else obj.what, obj.line or e.lineno)
        for kind, method in ATTRIBUTES:
            if isinstance(obj, kind):
                return getattr(self, method)(obj, name, e)
        if isinstance(obj, data.Bunch):
            if name in obj:
                return obj[name]
            return Unknown(_text(e), e.lineno)
        if isinstance(obj, (list, dict, tuple, str)) and name in PY_METHODS:
            return ("pymethod", obj, name)
        for kind, tag in BOUND_METHODS:
            if isinstance(obj, kind):
                return (tag, obj, name)
        if isinstance(obj, UserClass):
            return self.class_attribute(obj, name, e)
        return Unknown(_text(e), e.lineno)

    def kept_attribute(self, obj: Any, name: str, e: ast.Attribute) -> Any:
        """A table's column, the program's ``os.environ``, or an attribute the program set on a
        value it does not read (``config.units = 64``); _NONE otherwise."""
        if isinstance(obj, frames.Frame):
            return frames.attribute(obj, name, e.lineno)
        if isinstance(obj, tfdata.DATA_VALUES):
            return self.data_attribute(obj, name, e)
        if isinstance(obj, Mod) and obj.path == ("os",) and name == "environ":
            return self.environ  # the program's own settings (os.environ['KERAS_BACKEND'] = ...)
        if isinstance(obj, (Unknown, Mod)) and self.set_attrs:
            key = _attr_key(obj, name)
            if key in self.set_attrs:
                return self.set_attrs[key]
        return _NONE

    def class_attribute(self, obj: UserClass, name: str, e: ast.Attribute) -> Any:
        try:
            return obj.attribute(name)  # CFG.IMG_SIZE: a class-level constant
        except KeyError:
            pass
        fn = obj.method(name)  # LeNet.build(width=28, ...): a static or class method
        if fn is not None:
            owner = obj.owner_of(name) or obj
            return UserFunc(fn, owner.closure or {}, owner.at, owner.path,
                            bound=obj if _is_classmethod(fn) else None, owner=owner)
        return Unknown(_text(e), e.lineno)

    def set_attribute(self, obj: Any, target: ast.Attribute, value: Any, s: ast.AST) -> None:
        """LibraryApi.set_attribute: ``obj.attr = value``: an attribute of the file's own object,
        a layer's or model's trainable flag, or an attribute kept for later reads (wandb's config,
        tf.model)."""
        attr = target.attr
        if isinstance(obj, (Unknown, Mod)):
            # config = wandb.config; config.hidden_size = 128 / tf.model = Sequential(): kept
            # for the reads that follow
            self.set_attrs[_attr_key(obj, attr)] = value
            if _is_model(value):
                self.model_made(ast.unparse(target), value, s)
            return
        if isinstance(obj, Instance):
            self.set_instance_attribute(obj, attr, value)
            if obj.cls.kind == "other" and _is_model(value):
                # a plain class holding models (class DCGAN: self.combined = Model(...))
                self.model_made(f"{obj.cls.name}.{attr}", value, s)
        elif isinstance(obj, AppLayer) and attr == "trainable" and not isinstance(value, Unknown):
            self.set_app_trainable(obj, value, s)
        elif isinstance(obj, (LayerObj, ModelObj)) and attr == "trainable":
            if isinstance(value, Unknown):
                return  # trainable read from elsewhere: Keras's default stays
            if isinstance(obj, LayerObj):
                obj.layer.cfg["trainable"] = bool(value)
            else:
                obj.trainable = bool(value)
                if obj.layer_obj is not None:
                    obj.layer_obj.layer.cfg["trainable"] = bool(value)

    def set_app_trainable(self, obj: AppLayer, value: Any, s: ast.AST) -> None:
        if obj.whole:  # every layer: the model's own flag
            obj.model.trainable = bool(value)
            if obj.model.layer_obj is not None:
                obj.model.layer_obj.layer.cfg["trainable"] = bool(value)
        else:
            line = getattr(s, "lineno", 0)
            obj.model.partly_frozen = f"line {line}"
            self.notes.append(
                f"the file sets trainable on some layers of {obj.model.name} (line {line}); archcalc's "
                f"table of keras.applications holds each model's totals, not its layers, so the trainable "
                f"count of {obj.model.name} is the named size {obj.model.name}.trainable_params "
                f"(--set {obj.model.name}.trainable_params=N pins it)")

    def subscript(self, obj: Any, e: ast.Subscript, env: Mapping[str, Any]) -> Any:
        """LibraryApi.subscript: ``obj[...]`` of a tensor, an array, a table, a model..."""
        if isinstance(obj, AppLayers):  # base.layers[:-10], base.layers[100:]: some of them
            whole = isinstance(e.slice, ast.Slice) and e.slice.lower is None and e.slice.upper is None
            return AppLayers(obj.model, whole and obj.whole) if isinstance(e.slice, ast.Slice) else \
                AppLayer(obj.model, False)
        key = self.ev.subscript_key(e.slice, env)  # type: ignore[arg-type]
        if isinstance(key, Unknown):
            return Unknown(_text(e), e.lineno)
        if isinstance(obj, (frames.Frame, tuple)):  # a table of a CSV file (df[['a', 'b']], df.iloc[:, 1:])
            got = frames.subscript(obj, key, e.lineno)
            if got is not NotImplemented:
                return got
        if isinstance(obj, Tensor):
            if isinstance(key, (int, str)) and not isinstance(key, bool):
                part = self.opaque_part(obj, key, e)  # bert(ids)[1]: a part of an unread layer's output
                if part is not None:
                    return part
            if obj.index is None and isinstance(key, int) and not isinstance(key, bool) and self.multi_output(obj):
                return Tensor(obj.node, key)  # one output of a layer with several outputs
            return self.tensor_subscript(obj, key, e)
        if isinstance(obj, Array):
            if obj.ragged and isinstance(key, int):
                return Unknown(_text(e), e.lineno)
            return data.index(obj, key, e.lineno)
        if isinstance(obj, (ModelObj, LayerObj, Mod, UserFunc, UserClass, Instance)):
            return Unknown(_text(e), e.lineno)
        return self.ev.index(obj, key, e)

    def operator(self, op: ast.operator | ast.unaryop, operands: list[Any], e: ast.AST) -> Any:
        """LibraryApi.operator: ``x + y`` with a tensor is an op node; with an array, an array."""
        if not any(isinstance(v, (Tensor, Array)) for v in operands):
            return NotImplemented  # a model, a layer, a module: the evaluator's unknown value
        if len(operands) == 1:
            v = operands[0]
            if isinstance(v, Array):
                return v
            if isinstance(op, ast.USub):
                return self.tensor_op("negative", [v], {}, e)
            if isinstance(op, ast.UAdd):
                return v
            raise self.eval_error("`~` on a tensor is not supported", e)
        a, b = operands
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            name = TENSOR_OPS.get(type(op))  # type: ignore[arg-type]
            if name is None:
                raise EvalError(f"operator {type(op).__name__} on a tensor is not supported", loc=self.ev.at(
                    getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))
            return self.tensor_op(name, [a, b], {}, e)
        if isinstance(a, Array) or isinstance(b, Array):
            return self.array_binop(op, a, b, e)  # type: ignore[arg-type]
        return NotImplemented

    def unpack(self, value: Any, targets: list[ast.expr], s: ast.AST) -> list[Any]:
        """LibraryApi.unpack: ``out, h, c = LSTM(..., return_state=True)(x)``: one tensor per
        output (the engine checks that the layer has that many)."""
        if isinstance(value, Tensor) and value.index is None:
            if any(isinstance(t, ast.Starred) for t in targets):
                raise self.error("`*` unpacking of layer outputs is not supported", s)
            return [Tensor(value.node, i) for i in range(len(targets))]
        if isinstance(value, Array):
            raise self.eval_error(f"cannot unpack {describe(value)} here", s)
        raise self.eval_error(f"cannot unpack {describe(value)} into {len(targets)} names", s)

    def iterable(self, value: Any, s: ast.For, env: Mapping[str, Any]) -> Any:
        """LibraryApi.iterable: a loop over a tf.data dataset (tfdata.data_iteration), over an
        application's layers (once, on all of them), over an array's rows (data)."""
        if isinstance(value, AppLayers):
            return Once(AppLayer(value.model, value.whole))
        if isinstance(value, Array):
            return OverData(value)
        return self.data_iteration(value, s, env)

    def truth(self, value: Any) -> Any:
        """LibraryApi.truth: a tensor, an array, a model, an object: true, as in Python."""
        return True

    def entered(self, value: Any, s: ast.With) -> Any:
        """LibraryApi.entered: ``with open('config.json') as f``: the opened file."""
        return value if isinstance(value, OpenedFile) else None

    # -- names ------------------------------------------------------------------------------

    def bound(self, name: str, value: Any, s: ast.AST) -> Any:
        """LibraryApi.bound: the value named after its variable (messages name the user's
        variable); a model is recorded as built here."""
        if isinstance(value, Unknown):
            if any(k in value.what for k in UNREAD_MODELS):
                self.unread.append((name, value))
            value = value.named(name)
        elif isinstance(value, Array) and value.what != name:
            value = replace(value, what=name)
        elif isinstance(value, Batches):
            value = data.named(value, name)
        if _is_model(value):
            self.model_made(name, value, s)
        return value

    def model_made(self, name: str, value: Any, s: ast.AST) -> None:
        """A model assigned to ``name`` (one built while a sibling module is imported belongs to
        that module, not to the importing file)."""
        if self.ev.importing:
            return
        self.models.append((name, value, getattr(s, "lineno", 0)))
        self.built_at[id(value)] = self.ev.steps

    def undefined_name(self, name: str) -> Mod | None:
        """LibraryApi.undefined_name: a Keras layer or model class (``Dense``, ``Sequential``), or a
        conventional module alias (``tf``, ``np``); None otherwise."""
        if name in _CONVENTIONAL:
            return Mod(_CONVENTIONAL[name])
        if name in _MODEL_NAMES:
            return Mod(_MODEL_NAMES[name])
        cls = registry.get(name) if name[:1].isupper() else None
        if cls is not None and cls.keras_name == name:
            return Mod(("keras", "layers", name))
        return None

    def import_star(self, mod: tuple[str, ...], env: dict[str, Any]) -> None:
        """LibraryApi.import_star: the names of a Keras module (all eras' layer modules)."""
        from archcalc.readers.python import legacy

        legacy_names = legacy.star_names(mod)
        if legacy_names is not None:
            for name in legacy_names:
                env[name] = Mod(("keras", "layers", name))
        if modules.is_keras(mod) and mod[-1:] == ("layers",) or mod[:2] == ("keras", "layers"):
            for name in registry.REGISTRY:
                env[name] = Mod(("keras", "layers", name))
            for name in HELPERS:
                env[name] = Mod(("keras", "layers", name))
            for name in ("Input", "InputLayer", "Lambda", "Layer"):
                env[name] = Mod(("keras", "layers", name))
            for names in legacy.LEGACY_LAYER_MODULES.values():
                for name in names:
                    env.setdefault(name, Mod(("keras", "layers", name)))
        elif modules.is_keras(mod) and mod[-1:] == ("models",):
            for name in ("Sequential", "Model", "load_model", "model_from_json"):
                env[name] = Mod(("keras", "models", name))
        elif modules.is_keras(mod):
            for name in ("Sequential", "Model", "Input", "layers", "models", "optimizers", "losses",
                         "backend", "utils", "datasets", "ops"):
                env.setdefault(name, Mod((*mod, name)))

    def define_class(self, s: ast.ClassDef, env: dict[str, Any]) -> UserClass:
        """LibraryApi.define_class: see ClassesMixin.classdef."""
        return self.classdef(s, env)

    # -- the program ------------------------------------------------------------------------

    @contextlib.contextmanager
    def running(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Iterator[None]:
        """LibraryApi.running: a function of the file called on a tensor is a block; layers made
        inside carry it as ``meta["block"]`` (diagram clusters)."""
        if not _reads_tensor(args, kwargs):
            yield
            return
        use = self.block_uses.get(name, 0) + 1
        self.block_uses[name] = use
        self.block_path.append(f"{name}_{use}")
        try:
            yield
        finally:
            self.block_path.pop()

    def generated(self, value: Any, what: str) -> Any:
        """LibraryApi.generated: a generator of batches gives what its first yield gives."""
        return data.batches_of(value, what)



#: bound methods of library values, as tagged tuples ``(tag, value, name)``: tag -> the method
#: that runs them, ``(value, name, args, kwargs, e) -> value``
METHOD_TAGS = {
    "instmethod": "instance_method", "method": "model_method", "hpmethod": "hyperparameter",
    "imageflow": "imageflow", "argparse": "argparse_method", "arraymethod": "array_method",
    "layermethod": "layer_method", "tensormethod": "tensor_method",
}
#: calls of tagged tuples (bound methods, super(), functools.partial...): tag -> LibraryMixin method
CALL_TAGS = {
    **{tag: "call_bound_method" for tag in METHOD_TAGS}, "supermethod": "call_super_method",
    "framemethod": "call_frame_method", "partial": "call_partial", "builtin": "call_builtin",
    "initializer": "call_initializer",
}
#: calls of other values, by type (in this order): type -> LibraryMixin method
CALL_KINDS: tuple[tuple[type, str], ...] = (
    (UserRNNLayer, "call_user_rnn"), (LambdaLayer, "call_lambda"), (ModelObj, "call_model"), (Mod, "library_call"),
    (LayerObj, "call_on"), (UserClass, "instantiate"), (Instance, "call_instance"), (Unknown, "call_unknown_layer"),
    (tfdata.DataMethod, "data_method"),
)
#: attributes of library values: (kind, method ``(value, name, e) -> value``), tried in order
ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (ModelObj, "model_attribute"), (LayerObj, "layer_attribute"), (AppCut, "app_cut_attribute"),
    (Tensor, "tensor_attribute"),
    (Instance, "instance_attribute"), (Array, "array_attribute"),
)
#: library values whose every attribute is a method: (kind, tag of the bound method)
BOUND_METHODS: tuple[tuple[type, str], ...] = ((HyperParams, "hpmethod"), (ImageGenerator, "imageflow"),
                                               (ArgParser, "argparse"))

#: the conventional import names: ``tf.keras.layers.Dense`` in a file that never imports tf
_CONVENTIONAL = {"tf": ("tensorflow",), "keras": ("keras",), "layers": ("keras", "layers"),
                 "models": ("keras", "models"), "np": ("numpy",), "K": ("keras", "backend")}
_MODEL_NAMES = {"Sequential": ("keras", "models", "Sequential"), "Model": ("keras", "models", "Model"),
                "Input": ("keras", "layers", "Input")}


#: "no such attribute here" (None is a value)
_NONE = object()


def _is_model(v: Any) -> bool:
    return isinstance(v, ModelObj) or (isinstance(v, Instance) and v.cls.kind == "model")


def _attr_key(obj: Unknown | Mod, attr: str) -> tuple[Any, str]:
    return (obj.path if isinstance(obj, Mod) else obj.what, attr)


def _is_classmethod(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "classmethod" for d in fn.decorator_list)
