"""The Keras Python front-end: reads model code statically, never runs it.

The file is parsed with :mod:`ast` and an abstract interpreter walks it. Every value is known,
unknown, or a named symbolic size (see values.py). Statements whose values do not reach a layer
cannot fail the read: training, evaluation, plotting and data code simply give unknown values.
What cannot be known but determines a size becomes a symbol named after its source
(``x_train.shape[1]``, ``n_features``); ``--set NAME=VALUE`` pins it.

The pieces, one job each:

- values.py: the value model; facts.py: dataset shapes, backend defaults (data tables);
- data.py: numpy / scikit-learn / keras.utils steps on arrays of known shape;
- modules.py: which imports are Keras, and sibling-module files;
- statements.py / expressions.py: one handler per syntax node (dispatch tables);
- keras_api.py: layers, inputs, models, tensor ops, config objects, backend calls;
- classes.py: subclassed models and custom layers; assemble.py: model methods and graphs;
- legacy.py: Keras 1/2 spellings, translated with their era's meaning;
- this module: the Interpreter that joins them, and the entry points.

Which model is "the" model: the one ``--model`` names (a variable, a model's name, or a builder
function, which is then called with its defaults); else the last model assigned at module
level; else the last model a builder function of the file returns when called with its defaults
(its required parameters become named sizes).

``Graph.compile`` holds ``model.compile``'s arguments by keyword. Strings stay strings;
optimizer, loss and metric objects use Keras's own serialisation form, which
``keras.optimizers.get`` / ``keras.losses.get`` accept and lint can read::

    {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
     "loss": {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}},
     "metrics": ["accuracy"]}
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import ArchcalcError, LimitError, Location, SpecError, did_you_mean
from archcalc.graph import Graph, Node
from archcalc.layers import registry
from archcalc.readers.builder import read_text
from archcalc.readers.python import data, facts, frames, modules, tfdata
from archcalc.readers.python.assemble import AssembleMixin
from archcalc.readers.python.classes import ClassesMixin, LambdaLayer, UserRNNLayer
from archcalc.readers.python.config_files import ConfigFilesMixin
from archcalc.readers.python.expressions import BUILTINS, ExpressionsMixin, _hashable
from archcalc.readers.python.keras_api import HELPERS, SPEC_HINT, KerasMixin
from archcalc.readers.python.statements import StatementsMixin
from archcalc.readers.python.values import (
    AppLayer,
    Array,
    Batches,
    EvalError,
    Instance,
    LayerObj,
    Locator,
    Mod,
    ModelObj,
    Return,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
    describe,
    symbol,
)

MAX_BYTES = limits.MAX_PY_BYTES
MAX_STEPS = limits.MAX_STEPS  # evaluated expressions, loops included
MAX_MODULE_BYTES = limits.MAX_MODULE_BYTES
UNREAD_MODELS = ("keras.applications.", "load_model", "model_from_json", "model_from_yaml", "clone_model")

#: what a program does with a model, ranked for the default pick: the model it trains last (2),
#: else the one it saves or shows last (1), else the last one built
MODEL_USES = {"fit": 2, "fit_generator": 2, "train_on_batch": 2, "trainable_variables": 2, "trainable_weights": 2,
              "save": 1, "save_weights": 1, "summary": 1, "export": 1, "to_json": 1}
USE_WORDS = {2: "trains", 1: "saves or shows"}
#: how deep skipped_uses follows the file's own functions a skipped loop calls
SKIPPED_CALL_DEPTH = 4

__all__ = ["Interpreter", "Locator", "load", "load_text", "list_models"]


@dataclass
class ModuleValue:
    """A sibling module read statically: its names."""

    name: str
    env: dict[str, Any]


class Interpreter(StatementsMixin, ExpressionsMixin, KerasMixin, ClassesMixin, AssembleMixin, tfdata.DataPipelineMixin,
                  ConfigFilesMixin):
    """Walks a module's statements and builds layer graphs."""

    def __init__(self, path: str, text: str, locate: Locator | None = None, era: str = "keras3",
                 overrides: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self.text = text
        #: (line, column) in ``text`` -> the Location to report (a notebook maps it to its cell)
        self.at: Locator = locate or (lambda line, col: Location(path, line, col))
        #: the Keras API the file is written against (see legacy.py)
        self.era = era
        self.overrides = dict(overrides or {})
        self.used_overrides: set[str] = set()
        self.nodes: dict[str, Node] = {}  # every layer call in the file
        self.layer_of: dict[str, LayerObj] = {}
        self.counters: dict[str, int] = {}
        self.models: list[tuple[str, Any, int]] = []  # (variable, model, line) assignments
        self.steps = 0
        self.depth = 0
        self.yielding = False
        self.self_stack: list[Instance] = []
        #: the class defining each method being run, innermost last (None: a plain function)
        self.owners: list[UserClass | None] = []
        self.builds_memo: dict[int, bool] = {}
        self.backend: dict[str, Any] = dict(facts.BACKEND_FACTS)
        self.globals: dict[str, Any] = {"__name__": "__main__", "True": True, "False": False, "None": None}
        self.modules_read: dict[str, ModuleValue | None] = {}
        #: models the file gets from code archcalc does not read (keras.applications, load_model)
        self.unread: list[tuple[str, Unknown]] = []
        self.module_bytes = 0
        #: the file's block functions being run (``def conv_block(x, f)`` called on a tensor),
        #: outermost first: layers made inside carry them as ``meta["block"]`` (diagram clusters)
        self.block_path: list[str] = []
        #: names the file uses and never defines or imports, read as Keras's (``Dense`` ->
        #: keras.layers.Dense, ``tf`` -> tensorflow): name -> what it was read as
        self.assumed_imports: dict[str, str] = {}
        #: Keras Tuner hyperparameters the builder asked for, with the value each was read with
        self.hyperparameters: dict[str, Any] = {}
        #: unknown values of number-free layer arguments that a placeholder stands for
        self.fallbacks: list[str] = []
        #: argparse options parse_args() gave, with their values (defaults, or --set)
        self.cli_options: dict[str, Any] = {}
        #: what the summary should say about how the file was read
        self.notes: list[str] = []
        #: calls into libraries archcalc does not read, by (text, line): (dotted name, kwargs);
        #: one used as a layer becomes an OpaqueLayer (see KerasMixin.opaque_layer), made once
        self.external_calls: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {}
        self.opaque_made: dict[tuple[str, int], LayerObj] = {}
        #: the module's syntax tree (the source of the user's layer classes, for emit)
        self.tree: ast.Module | None = None
        self.block_uses: dict[str, int] = {}
        #: module-level statements that failed: (step, line, names bound, error, builds a model)
        self.failures: list[tuple[int, int, list[str], ArchcalcError, bool]] = []
        #: what the program does with its models, in order: (rank, model, method, line); see MODEL_USES
        self.uses: list[tuple[int, Any, str, int]] = []
        #: id of a model value -> the step it was (last) assigned at
        self.built_at: dict[int, int] = {}
        #: attributes the file sets on values it does not read (wandb's config.units = 64)
        #: or on modules (tf.model = ...), by (what the value is, attribute)
        self.set_attrs: dict[tuple[Any, str], Any] = {}
        #: folders the program adds to sys.path (sys.path.append(".."): a shared lib folder)
        self.sys_path: list[Path] = []
        #: os.environ as the program sets it (it starts empty: the program run with no settings)
        self.environ: dict[str, Any] = {}
        #: the model the default pick chose and why (see pick_model)
        self.choice: tuple[str, str] | None = None

    # -- helpers ----------------------------------------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        return self.at(getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1)

    def error(self, message: str, node: ast.AST | None, hint: str | None = SPEC_HINT) -> SpecError:
        return SpecError(message, loc=self.loc(node) if node is not None else Location(self.path), hint=hint)

    def tick(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitError("the file takes too many steps to read (a very long loop?)", loc=self.loc(node),
                             hint="archcalc follows loops over range() of model sizes, not training loops over data")

    def lookup(self, name: str, env: Mapping[str, Any], node: ast.AST) -> Any:
        if name in env:
            return env[name]
        if name in self.globals:
            return self.globals[name]
        if name in self.overrides:
            self.used_overrides.add(name)
            return self.overrides[name]
        if name in BUILTINS:
            return ("builtin", name)
        assumed = _assumed_import(name)
        if assumed is not None:
            # a cell or an excerpt of a longer program: its imports are elsewhere
            self.assumed_imports.setdefault(name, assumed.dotted)
            return assumed
        # snippets often use data defined elsewhere (X_train): an error only if the model needs it
        return Unknown(name, getattr(node, "lineno", 0), undefined=True, col=getattr(node, "col_offset", 0) + 1)

    def symbol_for(self, u: Unknown) -> Any:
        if u.what in self.overrides:
            self.used_overrides.add(u.what)
            return self.overrides[u.what]
        return symbol(u.what)

    def sizes(self, v: Any) -> Any:
        if isinstance(v, Unknown):
            return self.symbol_for(v)
        return KerasMixin.sizes(self, v)

    def assign(self, target: ast.expr, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        if isinstance(target, ast.Name):
            if env is self.globals and target.id in self.overrides:
                self.used_overrides.add(target.id)
                value = self.overrides[target.id]
            if isinstance(value, Unknown):
                if any(k in value.what for k in UNREAD_MODELS):
                    self.unread.append((target.id, value))
                value = value.named(target.id)
            elif isinstance(value, Array) and value.what != target.id:
                value = replace(value, what=target.id)  # messages name the user's variable
            elif isinstance(value, Batches):
                value = data.named(value, target.id)
            env[target.id] = value
            if isinstance(value, ModelObj) or (isinstance(value, Instance) and value.cls.kind == "model"):
                self.models.append((target.id, value, getattr(s, "lineno", 0)))
                self.built_at[id(value)] = self.steps
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value, env, s)
        elif isinstance(target, ast.Attribute):
            self.assign_attribute(target, value, env, s)
        elif isinstance(target, ast.Subscript):
            obj = self.expr(target.value, env)
            if isinstance(obj, (list, dict)):
                key = self.subscript_key(target.slice, env)
                try:
                    if isinstance(key, (Unknown,)) or (isinstance(obj, dict) and not _hashable(key)):
                        return
                    obj[key] = value
                except (IndexError, TypeError, KeyError):
                    raise self.eval_error(f"cannot assign to {describe(obj)}[{describe(key)}]", s) from None
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, env, s)

    def assign_attribute(self, target: ast.Attribute, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        """``obj.attr = value``: an attribute of the file's own object, a layer's or model's
        trainable flag, or an attribute kept for later reads (wandb's config, tf.model)."""
        obj = self.expr(target.value, env)
        if isinstance(obj, (Unknown, Mod)):
            # config = wandb.config; config.hidden_size = 128 / tf.model = Sequential(): kept
            # for the reads that follow
            self.set_attrs[_attr_key(obj, target.attr)] = value
            if isinstance(value, ModelObj) or (isinstance(value, Instance) and value.cls.kind == "model"):
                self.models.append((ast.unparse(target), value, getattr(s, "lineno", 0)))
                self.built_at[id(value)] = self.steps
            return
        if isinstance(obj, Instance):
            self.set_instance_attribute(obj, target.attr, value)
            if obj.cls.kind == "other" and (isinstance(value, ModelObj) or (
                    isinstance(value, Instance) and value.cls.kind == "model")):
                # a plain class holding models (class DCGAN: self.combined = Model(...))
                self.models.append((f"{obj.cls.name}.{target.attr}", value, getattr(s, "lineno", 0)))
                self.built_at[id(value)] = self.steps
        elif isinstance(obj, AppLayer) and target.attr == "trainable" and not isinstance(value, Unknown):
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
        elif isinstance(obj, (LayerObj, ModelObj)) and target.attr == "trainable":
            if isinstance(value, Unknown):
                return  # trainable read from elsewhere: Keras's default stays
            if isinstance(obj, LayerObj):
                obj.layer.cfg["trainable"] = bool(value)
            else:
                obj.trainable = bool(value)
                if obj.layer_obj is not None:
                    obj.layer_obj.layer.cfg["trainable"] = bool(value)

    def unpack(self, target: ast.Tuple | ast.List, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        elts = target.elts
        if isinstance(value, Unknown):
            for t in elts:
                self.assign(t.value if isinstance(t, ast.Starred) else t, value, env, s)
            return
        if isinstance(value, Tensor) and value.index is None:
            # out, h, c = LSTM(..., return_state=True)(x): one tensor per output; the engine
            # checks that the layer has that many
            if any(isinstance(t, ast.Starred) for t in elts):
                raise self.error("`*` unpacking of layer outputs is not supported", s)
            value = [Tensor(value.node, i) for i in range(len(elts))]
        if isinstance(value, (range, str)):
            value = list(value)
        if isinstance(value, Array):
            raise self.eval_error(f"cannot unpack {describe(value)} here", s)
        if not isinstance(value, (list, tuple)):
            raise self.eval_error(f"cannot unpack {describe(value)} into {len(elts)} names", s)
        star = [i for i, t in enumerate(elts) if isinstance(t, ast.Starred)]
        if star:
            i = star[0]
            after = len(elts) - i - 1
            if len(value) < len(elts) - 1:
                raise self.eval_error(f"cannot unpack {len(value)} values into {len(elts)} names", s)
            head, mid, tail = value[:i], list(value[i:len(value) - after]), value[len(value) - after:]
            for t, v in zip(elts[:i], head, strict=True):
                self.assign(t, v, env, s)
            self.assign(elts[i], mid, env, s)
            for t, v in zip(elts[i + 1:], tail, strict=True):
                self.assign(t, v, env, s)
            return
        if len(value) != len(elts):
            raise self.eval_error(f"cannot unpack {len(value)} values into {len(elts)} names", s)
        for t, v in zip(elts, value, strict=True):
            self.assign(t, v, env, s)

    # -- modules ----------------------------------------------------------------------------

    def import_module(self, module: str | None, level: int, s: ast.AST) -> ModuleValue | None:
        """A sibling module of the file, read statically (None when it is not beside the file)."""
        if not level and module and modules.normalise(tuple(module.split(".")))[0] in (
                "keras", "tensorflow", "numpy", "sklearn", "pandas", "matplotlib", "scipy", "torch"):
            return None
        file = modules.find_sibling(self.path, module, level, tuple(self.sys_path))
        if file is None:
            return None
        key = str(file)
        if key in self.modules_read:
            return self.modules_read[key]
        if len(self.modules_read) >= modules.MAX_MODULES:
            raise LimitError(f"the file imports more than {modules.MAX_MODULES} sibling modules", loc=self.loc(s))
        self.modules_read[key] = None  # a cycle reads as an empty module
        text = read_text(file, MAX_BYTES, "Python module")
        self.module_bytes += len(text)
        if self.module_bytes > MAX_MODULE_BYTES:
            raise LimitError("the sibling modules are too large to read together", loc=self.loc(s))
        limits.check_python_text(text, key)
        try:
            tree = ast.parse(text, filename="<archcalc>")
        except SyntaxError as err:
            raise SpecError(f"invalid Python: {err.msg}", loc=Location(key, err.lineno or 0, err.offset or 0)) from None
        except (RecursionError, MemoryError, ValueError):
            raise SpecError("the file is nested too deeply to read", loc=Location(key)) from None
        env: dict[str, Any] = {"__name__": module or "", "True": True, "False": False, "None": None}
        outer = (self.at, self.path, self.globals)
        self.at = lambda line, col: Location(key, line, col)
        self.path = key
        self.globals = env
        models_before = len(self.models)
        try:
            self.block(tree.body, env)
        except Return:
            pass
        finally:
            self.at, self.path, self.globals = outer
        # models built at import time belong to the module, not to the importing file
        del self.models[models_before:]
        value = ModuleValue(module or "", env)
        self.modules_read[key] = value
        return value

    def star_import(self, mod: tuple[str, ...], env: dict[str, Any]) -> None:
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

    # -- calls the mixins route here --------------------------------------------------------

    def call_value(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if isinstance(func, tuple) and func and func[0] == "instmethod":
            return self.instance_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "supermethod":
            base = self.super_method(func[1])
            if base is not None:  # a method of the file's own base class: run it on self
                return self.call_user(base, args, kwargs, e)
            if func[1] == "__init__" and self.self_stack:
                name = kwargs.get("name")
                if isinstance(name, str):
                    self.self_stack[-1].name = name
                # a subclass of a Keras layer: what its base is built with (see keras_base)
                self.self_stack[-1].attrs.setdefault("__super_init__", (list(args), dict(kwargs)))
            return None
        if isinstance(func, tuple) and func and func[0] == "initializer":  # w_init(shape=(784, 128))
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        if isinstance(func, tuple) and func and func[0] == "framemethod":
            return frames.method(func[1], func[2], args, kwargs, e.lineno)
        got = self.data_call(func, args, kwargs, e)  # ds.map(f), info.features, open('config.json'), next(iter(ds))
        if got is not NotImplemented:
            return got
        if isinstance(func, tuple) and func and func[0] == "partial":
            return self.call_value(func[1], [*func[2], *args], {**func[3], **kwargs}, e)
        if isinstance(func, UserRNNLayer):
            x = args[0] if args else kwargs.get("inputs")
            tensors = self.tensors(x, e, "inputs")
            obj = self.user_rnn_layer_obj(func, self.shape_of(tensors[0], e), e)
            return self.call_layer(obj, tensors[:1], False, e)
        if isinstance(func, LambdaLayer):
            return self.call_lambda(func, args, kwargs, e)
        if isinstance(func, ModelObj) and func.kind == "Sequential" and func.input_shape is None \
                and func.layer_obj is None and args and isinstance(args[0], Tensor) \
                and any(isinstance(item, (Instance, LambdaLayer)) for item in func.layers):
            # a Sequential of the file's own layers (self.blocks.add(InceptionBlk(...))) first
            # called here: its layers are traced on this input's shape, as Keras builds them
            shape = self.shape_of(args[0], e)
            if isinstance(shape, tuple):
                func.input_shape = shape
        if isinstance(func, ModuleValue):
            return Unknown(f"{func.name}(...)", e.lineno)
        return ExpressionsMixin.call_value(self, func, args, kwargs, e)

    def super_method(self, name: str) -> UserFunc | None:
        """``super().name`` inside a method of the file's class: the method of the next class of
        the file in self's method order that defines it (None: a Keras or library base)."""
        owner = self.owners[-1] if self.owners else None
        if owner is None or not self.self_stack:
            return None
        inst = self.self_stack[-1]
        order = _method_order(inst.cls) if isinstance(inst, Instance) else []
        at = next((i for i, c in enumerate(order) if c is owner), None)
        if at is None:
            return None
        for cls in order[at + 1:]:
            if cls.node is not None and any(isinstance(s, ast.FunctionDef) and s.name == name
                                            for s in cls.node.body):
                fn = cls.method(name)
                if fn is not None:
                    return UserFunc(fn, cls.closure or {}, cls.at, cls.path, bound=inst, owner=cls)
        return None

    def attribute_of(self, obj: Any, e: ast.Attribute) -> Any:
        rank = MODEL_USES.get(e.attr)
        if isinstance(obj, Unknown) and isinstance(obj.of, UserClass) and not rank:
            # a method of an object whose making failed (net.training(...)): it uses the
            # model the object holds as its body does (self.model.fit(...))
            rank = _method_use(obj.of, e.attr)
        if rank and (isinstance(obj, (ModelObj, Unknown)) or (isinstance(obj, Instance) and obj.cls.kind == "model")):
            self.uses.append((rank, obj, e.attr, e.lineno))
        if isinstance(obj, frames.Frame):
            return frames.attribute(obj, e.attr, e.lineno)
        if isinstance(obj, tfdata.DATA_VALUES):
            return self.data_attribute(obj, e.attr, e)
        if isinstance(obj, Mod) and obj.path == ("os",) and e.attr == "environ":
            return self.environ  # the program's own settings (os.environ['KERAS_BACKEND'] = ...)
        if isinstance(obj, (Unknown, Mod)) and self.set_attrs:
            key = _attr_key(obj, e.attr)
            if key in self.set_attrs:
                return self.set_attrs[key]
        if isinstance(obj, ModuleValue):
            if e.attr in obj.env:
                return obj.env[e.attr]
            return Unknown(f"{obj.name}.{e.attr}", e.lineno, undefined=True)
        if isinstance(obj, tuple) and obj and obj[0] in ("super", "superobj"):
            return ("supermethod", e.attr)
        if isinstance(obj, LambdaLayer):
            return Unknown(f"{obj.name}.{e.attr}", e.lineno)
        return ExpressionsMixin.attribute_of(self, obj, e)

    def skipped_uses(self, body: list[ast.stmt], env: Mapping[str, Any], depth: int = 0,
                     seen: set[int] | None = None) -> None:
        """A loop the reader skips (over data, or ``while``) still says which model the program
        trains: ``self.combined.train_on_batch(...)``, ``model.fit(...)`` inside it are recorded
        (their receivers looked up, nothing evaluated), and so are those in the file's own
        functions and methods it calls (``self.train_step(batch)``: a custom loop's
        ``tape.gradient(loss, disc.trainable_variables)``), a few calls deep."""
        seen = set() if seen is None else seen
        found = [n for n in ast.walk(ast.Module(body=body, type_ignores=[]))
                 if (isinstance(n, ast.Attribute) and n.attr in MODEL_USES) or isinstance(n, ast.Call)]
        # in the order the program runs them: the last one in the loop's body is the last one run
        for node in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(node, ast.Call):
                if depth < SKIPPED_CALL_DEPTH:
                    self._skipped_call(node, env, depth, seen)
                continue
            obj = self.static_value(node.value, env)
            if isinstance(obj, ModelObj) or (isinstance(obj, Instance) and obj.cls.kind == "model") or (
                    isinstance(obj, Unknown) and obj.failed is not None):
                self.uses.append((MODEL_USES[node.attr], obj, node.attr, node.lineno))

    def _skipped_call(self, call: ast.Call, env: Mapping[str, Any], depth: int, seen: set[int]) -> None:
        """The uses in a file function or method a skipped loop calls (each function once)."""
        fn: ast.FunctionDef | None = None
        scope: dict[str, Any] = {}
        if isinstance(call.func, ast.Name):
            f = self.static_value(call.func, env)
            if isinstance(f, UserFunc) and isinstance(f.node, ast.FunctionDef):
                fn = f.node
                scope = dict(f.closure or {})
                params = [a.arg for a in fn.args.args]
                if f.bound is not None and params:
                    scope[params.pop(0)] = f.bound
                # the arguments it is given (train(model, x, y)), looked up without evaluating
                given = [*zip(params, call.args), *((k.arg, k.value) for k in call.keywords if k.arg)]
                for param, arg in given:
                    value = self.static_value(arg, env)
                    if value is not None:
                        scope[param] = value
        elif isinstance(call.func, ast.Attribute):
            owner = self.static_value(call.func.value, env)
            if isinstance(owner, Instance):
                fn = owner.cls.method(call.func.attr)
                if fn is not None and fn.args.args:
                    scope[fn.args.args[0].arg] = owner
        if fn is None or id(fn) in seen:
            return
        seen.add(id(fn))
        self.skipped_uses(fn.body, scope, depth + 1, seen)

    def static_value(self, e: ast.expr, env: Mapping[str, Any]) -> Any:
        """A name or an attribute chain's value, looked up without evaluating anything."""
        if isinstance(e, ast.Name):
            return env.get(e.id, self.globals.get(e.id)) if e.id in env or e.id in self.globals else None
        if isinstance(e, ast.Attribute):
            base = self.static_value(e.value, env)
            return base.attrs.get(e.attr) if isinstance(base, Instance) else None
        return None

    def call_lambda(self, lam: LambdaLayer, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A Lambda layer called on tensors: one Lambda node whose shape is the given
        output_shape, or that of its function traced on the input."""

        x = args[0] if args else kwargs.get("inputs")
        tensors = self.tensors(x, e, "inputs")
        shapes = [self.shape_of(t, e) for t in tensors]
        obj = self.lambda_layer_obj(lam, shapes, isinstance(x, (list, tuple)), e)
        return self.call_layer(obj, tensors, isinstance(x, (list, tuple)), e)

    def lambda_layer_obj(self, lam: LambdaLayer, shapes: list[Any], is_list: bool, e: ast.AST) -> LayerObj:
        """The layer of one call of a Lambda on inputs of the given shapes (in a Sequential, on
        the previous layer's output shape)."""
        from archcalc.readers.python.classes import TracedLayer

        # in a Sequential the layer is met when the model is assembled: its own line is the place
        where = self.loc(e) if getattr(e, "lineno", 0) else lam.loc
        out = lam.output_shape
        if isinstance(out, (list, tuple)) and all(isinstance(d, int) or d is None for d in out):
            out_shape: Any = (shapes[0][0] if shapes and isinstance(shapes[0], tuple) else None, *out)
        elif isinstance(lam.fn, UserFunc):
            before = set(self.nodes)
            fresh = []
            for i, s in enumerate(shapes):
                n = self.unique(f"{lam.name}_input{i}")
                self.nodes[n] = Node(name=n, layer=None, shape=tuple(s), loc=lam.loc)
                fresh.append(Tensor(n))
            arg: Any = fresh if is_list else fresh[0]
            try:
                result = self.call_user(lam.fn, [arg], {}, e)
                res_shape = self.shape_of(result, e) if isinstance(result, Tensor) else None
            finally:
                for n in [n for n in self.nodes if n not in before]:
                    self.nodes.pop(n, None)
            if res_shape is None or isinstance(res_shape, Unknown):
                raise SpecError("cannot work out the output shape of this Lambda layer", loc=where,
                                hint="give Lambda(..., output_shape=(...)) or use built-in layers")
            out_shape = res_shape
        else:
            raise SpecError("cannot work out the output shape of this Lambda layer: its function is "
                            f"{describe(lam.fn)}", loc=where, hint="give Lambda(..., output_shape=(...))")
        layer = TracedLayer("Lambda", out_shape, [], origin=self.lambda_origin(lam))
        obj = LayerObj(layer, lam.name if not lam.calls else self.unique(lam.name), lam.loc, {})
        lam.calls.append(obj.name)
        return obj

    def lambda_origin(self, lam: LambdaLayer) -> dict[str, Any] | None:
        """What emit needs to write a Lambda layer: its function's text (a lambda, or a function
        of this file) and the code that needs; None when its output shape was given instead."""
        from archcalc.readers.python.user_source import class_source, expression_source

        fn = lam.fn
        if self.tree is None or not isinstance(fn, UserFunc) or fn.path not in (None, self.path):
            return None
        if isinstance(fn.node, ast.Lambda):
            found = expression_source(self.tree, self.text, fn.node)
            return {"code": found[0], "function": found[1], "path": self.path} if found else None
        if isinstance(fn.node, ast.FunctionDef):
            code = class_source(self.tree, self.text, fn.node.name)
            return {"code": code, "function": fn.node.name, "path": self.path} if code else None
        return None

    def call_on(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        out = KerasMixin.call_on(self, layer, args, kwargs, e)
        if isinstance(out, Tensor):
            self.layer_of.setdefault(out.node, layer)
        return out

    def run(self, tree: ast.Module) -> None:
        self.block(tree.body, self.globals)


class Scope(dict):
    """A function's locals, falling back to the enclosing names for reads."""

    def __init__(self, local: dict[str, Any], outer: Mapping[str, Any]) -> None:
        super().__init__(local)
        self.outer = outer

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.outer

    def __getitem__(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.outer[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default


#: the conventional import names: ``tf.keras.layers.Dense`` in a file that never imports tf
_CONVENTIONAL = {"tf": ("tensorflow",), "keras": ("keras",), "layers": ("keras", "layers"),
                 "models": ("keras", "models"), "np": ("numpy",), "K": ("keras", "backend")}
_MODEL_NAMES = {"Sequential": ("keras", "models", "Sequential"), "Model": ("keras", "models", "Model"),
                "Input": ("keras", "layers", "Input")}


def _method_order(cls: UserClass) -> list[UserClass]:
    """The file's classes in ``cls``'s method resolution order (Python's C3 order for the
    single and simple multiple inheritance files use; library bases left out)."""
    order: list[UserClass] = []

    def walk(c: UserClass) -> None:
        order[:] = [o for o in order if o is not c]  # a shared base comes after its subclasses
        order.append(c)
        for b in c.bases:
            if isinstance(b, UserClass):
                walk(b)

    walk(cls)
    return order


def _method_use(cls: UserClass, name: str, depth: int = 0) -> int:
    """How a method of a file class uses a model (MODEL_USES's rank: 2 trains, 1 saves or
    shows, 0 neither), read from its body and the methods of ``self`` it calls."""
    fn = cls.method(name)
    if fn is None or depth > SKIPPED_CALL_DEPTH:
        return 0
    rank = 0
    for n in ast.walk(fn):
        if isinstance(n, ast.Attribute) and n.attr in MODEL_USES:
            rank = max(rank, MODEL_USES[n.attr])
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                and n.func.value.id == "self" and n.func.attr != name:
            rank = max(rank, _method_use(cls, n.func.attr, depth + 1))
    return rank


def _attr_key(obj: Unknown | Mod, attr: str) -> tuple[Any, str]:
    return (obj.path if isinstance(obj, Mod) else obj.what, attr)


def _assumed_import(name: str) -> Mod | None:
    """What an undefined name most likely is: a Keras layer or model class (``Dense``,
    ``Sequential``), or a conventional module alias (``tf``, ``np``); None otherwise."""
    if name in _CONVENTIONAL:
        return Mod(_CONVENTIONAL[name])
    if name in _MODEL_NAMES:
        return Mod(_MODEL_NAMES[name])
    cls = registry.get(name) if name[:1].isupper() else None
    if cls is not None and cls.keras_name == name:
        return Mod(("keras", "layers", name))
    return None


# --- which model -----------------------------------------------------------------------------


def _builders(interp: Interpreter) -> list[tuple[str, UserFunc]]:
    """The module's functions that build a model (they mention Keras models or layers), and
    the static and class methods of its plain classes that do (``LeNet.build``)."""
    out = []
    for name, v in interp.globals.items():
        if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and not name.startswith("_"):
            if interp.affects_model(v.node.body, interp.globals) or _returns_model(v.node):
                out.append((name, v))
        elif isinstance(v, UserClass) and v.kind == "other" and v.node is not None:
            for fn in v.node.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                decorators = {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}
                if decorators & {"staticmethod", "classmethod"} and (
                        interp.affects_model(fn.body, interp.globals) or _returns_model(fn)):
                    out.append((f"{name}.{fn.name}", UserFunc(fn, v.closure or {}, v.at, v.path,
                                                              bound=v if "classmethod" in decorators else None)))
    return out


def _returns_model(fn: ast.FunctionDef) -> bool:
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            f = n.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("Model", "Sequential"):
                return True
    return False


def _is_hypermodel(cls: UserClass) -> bool:
    """A Keras Tuner ``HyperModel`` subclass (its ``build(self, hp)`` makes the model)."""
    for b in cls.bases:
        if isinstance(b, Mod) and b.name == "HyperModel" and b.path[0] in ("keras_tuner", "kerastuner"):
            return True
        if isinstance(b, UserClass) and _is_hypermodel(b):
            return True
    return False


def _hypermodels(interp: Interpreter) -> list[tuple[str, UserClass | Instance]]:
    """The file's HyperModel objects (``hypermodel = MyHyperModel(num_classes=10)``), else its
    HyperModel classes."""
    made = [(k, v) for k, v in interp.globals.items() if isinstance(v, Instance) and _is_hypermodel(v.cls)]
    if made:
        return list(made)
    return [(k, v) for k, v in interp.globals.items() if isinstance(v, UserClass) and _is_hypermodel(v)]


def _build_hypermodel(interp: Interpreter, hyper: UserClass | Instance) -> Any:
    """``build(hp)`` of a HyperModel with the default hyperparameters; a class is made first,
    its required constructor arguments named sizes."""
    if isinstance(hyper, UserClass):
        inst = Instance(hyper, name=hyper.name, loc=Location(interp.path, hyper.line))
        owner = hyper.owner_of("__init__")
        init = owner.method("__init__") if owner is not None else None
        if owner is not None and init is not None:
            interp.self_stack.append(inst)
            try:
                interp.call_user(UserFunc(init, owner.closure or {}, owner.at, owner.path, bound=inst), [], {},
                                 init, symbolic_missing=True)
            finally:
                interp.self_stack.pop()
        hyper = inst
    owner = hyper.cls.owner_of("build")
    build = owner.method("build") if owner is not None else None
    if owner is None or build is None:
        return None
    interp.self_stack.append(hyper)
    try:
        return interp.call_user(UserFunc(build, owner.closure or {}, owner.at, owner.path, bound=hyper), [], {},
                                build, symbolic_missing=True)
    finally:
        interp.self_stack.pop()


def _call_builder(interp: Interpreter, name: str, f: UserFunc) -> Any:
    try:
        return interp.call_user(f, [], {}, f.node, symbolic_missing=True)
    except EvalError:
        raise


def _as_model(interp: Interpreter, v: Any) -> ModelObj | None:
    if isinstance(v, ModelObj):
        return v
    if isinstance(v, Instance) and v.cls.kind == "model":
        return interp.instance_model(v, None)
    if isinstance(v, (list, tuple)):
        models = [m for m in (_as_model(interp, x) for x in v) if m is not None]
        return models[-1] if models else None
    return None


def pick_model(interp: Interpreter, model_name: str | None) -> tuple[str, ModelObj]:
    """The model to analyse: the one named, else the last one assigned, else a builder's."""
    models = interp.models
    top = [(var, m) for var, m, _ in models]
    if model_name:
        for var, m in reversed(top):
            name = m.name if isinstance(m, (ModelObj, Instance)) else ""
            if var == model_name or name == model_name:
                got = _as_model(interp, m)
                if got is not None:
                    return var, got
        f = interp.globals.get(model_name)
        if f is None and "." in model_name:  # --model LeNet.build: a static method
            f = dict(_builders(interp)).get(model_name)
        if isinstance(f, UserFunc):
            got = _as_model(interp, _call_builder(interp, model_name, f))
            if got is None:
                raise SpecError(f"the function '{model_name}' does not return a Keras model",
                                loc=f.at(f.node.lineno, f.node.col_offset + 1) if f.at else Location(interp.path),
                                hint="--model names a model variable or a function that returns a model")
            return model_name, got
        if isinstance(f, UserClass) and f.kind == "model":
            inst = interp.instantiate(f, [], {}, f.node or ast.Module(body=[], type_ignores=[]))
            return model_name, interp.instance_model(inst, None)
        if (isinstance(f, UserClass) and _is_hypermodel(f)) or (isinstance(f, Instance) and _is_hypermodel(f.cls)):
            got = _as_model(interp, _build_hypermodel(interp, f))
            if got is not None:
                return model_name, got
        for _, _, bound, err, builds in reversed(interp.failures):
            if builds and model_name in bound:  # --model NAME of a model whose build failed: why
                raise err
        names = list_models(interp)
        raise SpecError(
            f"no model named '{model_name}'", loc=Location(interp.path),
            hint=("models in the file: " + ", ".join(names)) if names else "the file builds no model",
        )
    chosen = _default_choice(interp)
    if chosen is not None:
        return chosen
    builders = _builders(interp)
    last_error: ArchcalcError | None = None
    for name, f in reversed(builders):
        try:
            got = _as_model(interp, _call_builder(interp, name, f))
        except ArchcalcError as err:
            last_error = last_error or err
            continue
        if got is not None:
            return name, got
    if last_error is not None:
        raise last_error
    for name, hyper in reversed(_hypermodels(interp)):
        got = _as_model(interp, _build_hypermodel(interp, hyper))
        if got is not None:
            return name, got
    classes = [k for k, v in interp.globals.items() if isinstance(v, UserClass) and v.kind == "model"]
    for name in reversed(classes):
        cls = interp.globals[name]
        try:
            inst = interp.instantiate(cls, [], {}, cls.node or ast.Module(body=[], type_ignores=[]))
            return name, interp.instance_model(inst, None)
        except ArchcalcError as err:
            last_error = err
    if last_error is not None:
        raise last_error
    if interp.failures:
        raise interp.failures[0][3]
    if interp.unread:
        var, u = interp.unread[-1]
        from archcalc.readers.python.keras_api import _unknown_hint

        raise SpecError(f"`{var}` is {u.what}, which archcalc does not read from code",
                        loc=interp.at(u.line, 1) if u.line else Location(interp.path), hint=_unknown_hint(u))
    raise SpecError(
        "no Keras model is built in this file", loc=Location(interp.path),
        hint="assign one, e.g. model = Model(inputs, outputs), or define a function that returns one",
    )


def _failure_of(interp: Interpreter, v: Any) -> ArchcalcError | None:
    """The error of the model-building statement that left ``v`` unknown, if one did."""
    if isinstance(v, Unknown) and v.failed is not None:
        for *_, err, builds in interp.failures:
            if err is v.failed and builds:
                return err
    return None


def _variable_of(interp: Interpreter, obj: Any) -> str | None:
    for var, m, _ in reversed(interp.models):
        if m is obj:
            return var
    return None


def _default_choice(interp: Interpreter) -> tuple[str, ModelObj] | None:
    """The model the program trains last, else the one it saves or shows last, else the last
    one it builds; a model whose build failed there is its error. Records why in
    ``interp.choice``."""
    for rank in (2, 1):
        for _, obj, method, line in reversed([u for u in interp.uses if u[0] == rank]):
            err = _failure_of(interp, obj)
            if err is not None:
                raise err
            if isinstance(obj, Unknown):
                continue
            var = _variable_of(interp, obj) or str(getattr(obj, "name", "model"))
            got = _as_model(interp, obj)
            if got is not None:
                interp.choice = (var, f"the model the file {USE_WORDS[rank]} last "
                                      f"({var}.{method}, {_where(interp, line)})")
                return var, _check_broken(got)
    last_built = interp.built_at.get(id(interp.models[-1][1]), -1) if interp.models else -1
    failed = [f for f in interp.failures if f[4] and f[0] > last_built]
    if failed:
        raise failed[-1][3]
    if interp.models:
        var, m, line = interp.models[-1]
        got = _as_model(interp, m)
        if got is not None:
            interp.choice = (var, f"the last model the file builds ({_where(interp, line)})")
            return var, _check_broken(got)
    return None


def _check_broken(m: ModelObj) -> ModelObj:
    if m.broken is not None:
        raise m.broken
    return m


def _where(interp: Interpreter, line: int) -> str:
    loc = interp.at(line, 0)
    cell = getattr(loc, "cell", None)
    return f"cell {cell}, line {loc.line}" if cell else f"line {loc.line}"


def list_models(interp: Interpreter) -> list[str]:
    """What the file builds: model variables, builder functions and model classes."""
    found: list[tuple[int, str, str]] = []  # (line, variable, shown)
    for v, m, line in interp.models:
        broken = getattr(m, "broken", None)
        where = _where(interp, broken.loc.line) if broken is not None and broken.loc else ""
        found.append((line, v, f"{v} (not read: {where}: {broken.message})" if broken else v))
    for _, line, bound, err, builds in interp.failures:
        for name in bound if builds else ():
            found.append((line, name, f"{name} (not read: {_where(interp, line)}: {err.message})"))
    names = _in_order_once(found)
    for name, _ in _builders(interp):
        if name not in names:
            names.append(f"{name}()")
    for k, v in interp.globals.items():
        if isinstance(v, UserClass) and v.kind == "model" and k not in names:
            names.append(f"{k} (class)")
    for k, _ in _hypermodels(interp):
        if k not in names:
            names.append(f"{k} (hypermodel)")
    return names


#: the last tree parse_checked() made, with its text: the reader takes it instead of parsing
#: the same file a second time (lint checks the syntax first, then reads the model)
_checked: list[tuple[str, ast.Module]] = []


def parse_checked(text: str) -> ast.Module:
    """``ast.parse(text)`` (its errors included), kept for the read of the same text that follows;
    SpecError for a text over the limits (:func:`limits.check_python_text`)."""
    limits.check_python_text(text, "<python>")
    tree = ast.parse(text)
    _checked[:] = [(text, tree)]
    return tree


def _parse(text: str, path: str, at: Locator) -> ast.Module:
    if _checked:
        (seen, tree), = _checked
        _checked.clear()
        if seen == text:
            return tree
    limits.check_python_text(text, path, at)  # before the parse: its memory grows with the terms
    try:
        # not the real file name: Python would re-read the file to place the error (a BOM shifts it)
        return ast.parse(text, filename="<archcalc>")
    except SyntaxError as e:
        raise SpecError(f"invalid Python: {e.msg}", loc=at(e.lineno or 0, e.offset or 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise SpecError("the file is nested too deeply to read", loc=Location(path)) from None


def read_module(text: str, path: str = "<python>", locate: Locator | None = None, era: str | None = None,
                overrides: Mapping[str, Any] | None = None) -> Interpreter:
    """Run the reader over a module's text; the Interpreter holds what it built."""
    from archcalc.readers.python import legacy

    at = locate or (lambda line, col: Location(path, line, col))
    tree = _parse(text, path, at)
    era_, why = legacy.detect_era(tree, text, forced=era)
    interp = Interpreter(path, text, locate, era_, overrides)
    interp.backend.update(legacy.backend_facts(era_))
    interp.era_reason = why  # type: ignore[attr-defined]
    try:
        interp.tree = tree
        interp.run(tree)
    except Return:
        raise SpecError("`return` outside a function", loc=Location(path)) from None
    except RecursionError:
        raise SpecError("the code is nested too deeply to read", loc=Location(path), hint=SPEC_HINT) from None
    return interp


def load_text(text: str, path: str = "<python>", model_name: str | None = None,
              locate: Locator | None = None, era: str | None = None,
              overrides: Mapping[str, Any] | None = None) -> Graph:
    """Read Python source into the Graph of its model.

    ``locate`` maps a (line, column) of ``text`` to the Location to report; a notebook reader
    passes one that names the cell.
    """
    interp = read_module(text, path, locate, era, overrides)
    try:
        var, m = pick_model(interp, model_name)
        graph = interp.graph_of(m, None)
    except RecursionError:
        raise SpecError("the code is nested too deeply to read", loc=Location(path), hint=SPEC_HINT) from None
    unused = sorted(set(interp.overrides) - interp.used_overrides)
    if unused and unused[0] in interp.globals:
        raise SpecError(f"--set {unused[0]}: the model does not depend on it", loc=Location(path),
                        hint="--set pins the sizes the summary shows as names; leave this one out")
    if unused:
        raise SpecError(f"--set {unused[0]}: the file has no such name", loc=Location(path),
                        hint=did_you_mean(unused[0], [k for k in interp.globals if not k.startswith("__")])
                        or "--set pins a module-level name or a named unknown size")
    graph.name = m.name
    graph.extras["variable"] = var
    graph.extras["era"] = {"era": interp.era, "reason": getattr(interp, "era_reason", "")}
    graph.extras["models"] = list_models(interp)
    _note_choice(interp, graph)
    for values, said in ((interp.hyperparameters, "Keras Tuner hyperparameters take the defaults "
                          "keras_tuner.HyperParameters() gives a builder"),
                         (interp.cli_options, "command-line options take their argparse defaults")):
        if values:
            shown = [f"{k}={v!r}" for k, v in list(values.items())[:8]]
            more = len(values) - len(shown)
            graph.extras.setdefault("notes", []).append(
                f"{said}: " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")
                + "; --set NAME=VALUE picks another")
    for note in dict.fromkeys(interp.notes):
        graph.extras.setdefault("notes", []).append(note)
    if interp.fallbacks:
        graph.extras.setdefault("notes", []).append(
            "; ".join(dict.fromkeys(interp.fallbacks)) + " (the value changes no shape or parameter count)")
    if interp.assumed_imports:
        by_module: dict[str, list[str]] = {}
        for name, dotted in sorted(interp.assumed_imports.items()):
            module = dotted.rsplit(".", 1)[0] if dotted.endswith("." + name) else dotted
            by_module.setdefault(module, []).append(name)
        said = ", ".join(f"{m} ({', '.join(n)})" for m, n in by_module.items())
        graph.extras.setdefault("notes", []).append(f"the file uses names it never imports, read as {said}")
    if m.class_name:
        graph.extras["model_class"] = m.class_name
    if m.compile is not None:
        graph.compile, graph.compile_loc = m.compile, m.compile_loc
    if len(m.compiles) > 1:
        graph.extras["compiles"] = [{"settings": c, "loc": str(loc)} for c, loc in m.compiles]
    if m.fits:
        graph.extras["fit_calls"] = list(m.fits)
    return graph


def _note_choice(interp: Interpreter, graph: Graph) -> None:
    """Which model the summary shows, of how many, and why (when the file builds several)."""
    if interp.choice is None:
        return
    var, why = interp.choice
    found = [(line, v, v) for v, _, line in interp.models]
    found += [(line, n, f"{n} (not read)") for _, line, bound, _, builds in interp.failures if builds for n in bound]
    names = _in_order_once(found)
    graph.extras["choice"] = {"model": var, "why": why, "of": names}
    if len(names) > 1:
        graph.extras.setdefault("notes", []).append(
            f"of the {len(names)} models in the file ({', '.join(names)}), archcalc reads `{var}`: {why}; "
            "--model NAME picks another, --list-models lists them")


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, model_name: str | None = None,
         era: str | None = None, **options: Any) -> Graph:
    """Read a Keras Python file (statically) into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "Python file")
    return load_text(text, str(path), model_name, era=era, overrides=overrides)


def models_in(path: str | Path, text: str | None = None, locate: Locator | None = None) -> list[str]:
    """`--list-models`: what a Python file builds."""
    if text is None:
        text = read_text(path, MAX_BYTES, "Python file")
    interp = read_module(text, str(path), locate)
    totals: dict[str, str] = {}
    for var, m, _ in interp.models:
        totals[var] = _model_total(interp, m)
    return [f"{name}  ({totals[name]})" if totals.get(name) else name for name in list_models(interp)]


def _model_total(interp: Interpreter, m: Any) -> str:
    """`--list-models`: a model's parameter total, or why it cannot be read."""
    from archcalc.engine import analyze

    try:
        got = _as_model(interp, m)
        if got is None:
            return ""
        result = analyze(interp.graph_of(_check_broken(got), None))
    except ArchcalcError as err:
        where = f"{_where(interp, err.loc.line)}: " if err.loc and err.loc.line else ""
        return f"not read: {where}{err.message}"
    except RecursionError:
        return "not read: the code is nested too deeply"
    total = result.total_params
    return f"{total:,} params" if isinstance(total, int) else f"{total} params"


__all__ += ["models_in", "read_module", "Array"]


def _in_order_once(found: list[tuple[int, str, str]]) -> list[str]:
    """(line, model name, text shown) -> the texts by line, each model once (its first line)."""
    names: list[str] = []
    seen: set[str] = set()
    for _, v, shown in sorted(found, key=lambda f: f[0]):
        if v not in seen:
            seen.add(v)
            names.append(shown)
    return names
