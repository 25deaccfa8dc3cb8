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
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import ArchcalcError, Location, SpecError, did_you_mean
from archcalc.graph import Graph, Node
from archcalc.readers.builder import read_text
from archcalc.readers.python import facts
from archcalc.readers.python.assemble import AssembleMixin
from archcalc.readers.python.builds import BuildsMixin
from archcalc.readers.python.classes import MODEL_USES, ClassesMixin, LambdaLayer, TracedLayer
from archcalc.readers.python.config_files import ConfigFilesMixin
from archcalc.readers.python.evaluator import Evaluator
from archcalc.readers.python.keras_api import SPEC_HINT, KerasMixin, _unknown_hint
from archcalc.readers.python.library import LibraryMixin
from archcalc.readers.python.library_values import ValuesMixin
from archcalc.readers.python.tfdata import DataPipelineMixin
from archcalc.readers.python.uses import UsesMixin
from archcalc.readers.python.values import (
    Array,
    EvalError,
    Instance,
    LayerObj,
    Locator,
    Mod,
    ModelObj,
    ModuleValue,
    Return,
    Scope,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
    describe,
)

MAX_BYTES = limits.MAX_PY_BYTES
USE_WORDS = {2: "trains", 1: "saves or shows"}

__all__ = ["Interpreter", "Locator", "Scope", "MODEL_USES", "load", "load_text", "list_models"]


class Interpreter(LibraryMixin, BuildsMixin, UsesMixin, ValuesMixin, KerasMixin, ClassesMixin, AssembleMixin,
                  DataPipelineMixin, ConfigFilesMixin):
    """The library side of a read: holds the Evaluator (``ev``) that walks the module, and is
    the ``api`` it calls for everything that is not plain Python (see api.py, library.py)."""

    def __init__(self, path: str, text: str, locate: Locator | None = None, era: str = "keras3",
                 overrides: Mapping[str, Any] | None = None) -> None:
        #: the evaluator of the file's Python: statements, expressions, scopes, fault isolation
        self.ev = Evaluator(path, text, self, locate, overrides)
        #: the Keras API the file is written against (see legacy.py)
        self.era = era
        self.nodes: dict[str, Node] = {}  # every layer call in the file
        self.layer_of: dict[str, LayerObj] = {}
        self.counters: dict[str, int] = {}
        self.models: list[tuple[str, Any, int]] = []  # (variable, model, line) assignments
        self.self_stack: list[Instance] = []
        self.backend: dict[str, Any] = dict(facts.BACKEND_FACTS)
        #: models the file gets from code archcalc does not read (keras.applications, load_model)
        self.unread: list[tuple[str, Unknown]] = []
        #: the file's block functions being run (``def conv_block(x, f)`` called on a tensor),
        #: outermost first: layers made inside carry them as ``meta["block"]`` (diagram clusters)
        self.block_path: list[str] = []
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
        #: what the program does with its models, in order: (rank, model, method, line); see MODEL_USES
        self.uses: list[tuple[int, Any, str, int]] = []
        #: id of a model value -> the step it was (last) assigned at
        self.built_at: dict[int, int] = {}
        #: attributes the file sets on values it does not read (wandb's config.units = 64)
        #: or on modules (tf.model = ...), by (what the value is, attribute)
        self.set_attrs: dict[tuple[Any, str], Any] = {}
        #: os.environ as the program sets it (it starts empty: the program run with no settings)
        self.environ: dict[str, Any] = {}
        #: the model the default pick chose and why (see pick_model)
        self.choice: tuple[str, str] | None = None

    # -- the evaluator's services (delegation) ------------------------------------------------

    @property
    def globals(self) -> dict[str, Any]:
        """The module's names (read_module's callers read them after the read)."""
        return self.ev.globals

    def loc(self, node: ast.AST) -> Location:
        return self.ev.loc(node)

    def error(self, message: str, node: ast.AST | None, hint: str | None = SPEC_HINT) -> SpecError:
        return self.ev.error(message, node, hint)

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        return self.ev.eval_error(message, e)

    def sizes(self, v: Any) -> Any:
        if isinstance(v, Unknown):
            return self.ev.symbol_for(v)
        return KerasMixin.sizes(self, v)

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
        # in a Sequential the layer is met when the model is assembled: its own line is the place
        where = self.loc(e) if getattr(e, "lineno", 0) else lam.loc
        out = lam.output_shape
        if isinstance(out, (list, tuple)) and all(isinstance(d, int) or d is None for d in out):
            out_shape: Any = (shapes[0][0] if shapes and isinstance(shapes[0], tuple) and shapes[0] else None, *out)
        elif isinstance(lam.fn, UserFunc):
            before = set(self.nodes)
            fresh = []
            for i, s in enumerate(shapes):
                n = self.unique(f"{lam.name}_input{i}")
                self.nodes[n] = Node(name=n, layer=None, shape=tuple(s), loc=lam.loc)
                fresh.append(Tensor(n))
            arg: Any = fresh if is_list else fresh[0]
            try:
                result = self.ev.call_user(lam.fn, [arg], {}, e)
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
        if self.tree is None or not isinstance(fn, UserFunc) or fn.path not in (None, self.ev.path):
            return None
        if isinstance(fn.node, ast.Lambda):
            found = expression_source(self.tree, self.ev.text, fn.node)
            return {"code": found[0], "function": found[1], "path": self.ev.path} if found else None
        if isinstance(fn.node, ast.FunctionDef):
            code = class_source(self.tree, self.ev.text, fn.node.name)
            return {"code": code, "function": fn.node.name, "path": self.ev.path} if code else None
        return None

    def call_on(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        out = KerasMixin.call_on(self, layer, args, kwargs, e)
        if isinstance(out, Tensor):
            self.layer_of.setdefault(out.node, layer)
        return out


# --- which model -----------------------------------------------------------------------------


def _builders(interp: Interpreter) -> list[tuple[str, UserFunc]]:
    """The module's functions that build a model (they mention Keras models or layers), and
    the static and class methods of its plain classes that do (``LeNet.build``)."""
    out = []
    for name, v in interp.ev.globals.items():
        if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and not name.startswith("_"):
            if interp.ev.affects_model(v.node.body, interp.ev.globals) or _returns_model(v.node):
                out.append((name, v))
        elif isinstance(v, UserClass) and v.kind == "other" and v.node is not None:
            for fn in v.node.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("_"):
                    continue
                decorators = {d.id for d in fn.decorator_list if isinstance(d, ast.Name)}
                if decorators & {"staticmethod", "classmethod"} and (
                        interp.ev.affects_model(fn.body, interp.ev.globals) or _returns_model(fn)):
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
    made = [(k, v) for k, v in interp.ev.globals.items() if isinstance(v, Instance) and _is_hypermodel(v.cls)]
    if made:
        return list(made)
    return [(k, v) for k, v in interp.ev.globals.items() if isinstance(v, UserClass) and _is_hypermodel(v)]


def _build_hypermodel(interp: Interpreter, hyper: UserClass | Instance) -> Any:
    """``build(hp)`` of a HyperModel with the default hyperparameters; a class is made first,
    its required constructor arguments named sizes."""
    if isinstance(hyper, UserClass):
        inst = Instance(hyper, name=hyper.name, loc=Location(interp.ev.path, hyper.line))
        owner = hyper.owner_of("__init__")
        init = owner.method("__init__") if owner is not None else None
        if owner is not None and init is not None:
            interp.self_stack.append(inst)
            try:
                interp.ev.call_user(UserFunc(init, owner.closure or {}, owner.at, owner.path, bound=inst), [], {},
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
        return interp.ev.call_user(UserFunc(build, owner.closure or {}, owner.at, owner.path, bound=hyper), [], {},
                                build, symbolic_missing=True)
    finally:
        interp.self_stack.pop()


def _call_builder(interp: Interpreter, name: str, f: UserFunc) -> Any:
    try:
        return interp.ev.call_user(f, [], {}, f.node, symbolic_missing=True)
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
    if model_name:
        return _named_model(interp, model_name)
    chosen = _default_choice(interp)
    if chosen is not None:
        return chosen
    return _built_model(interp)


def _named_model(interp: Interpreter, model_name: str) -> tuple[str, ModelObj]:
    """``--model NAME``: a model variable or a model's name, a builder function (called with its
    defaults), a model class or a Keras Tuner HyperModel."""
    top = [(var, m) for var, m, _ in interp.models]
    for var, m in reversed(top):
        name = m.name if isinstance(m, (ModelObj, Instance)) else ""
        if var == model_name or name == model_name:
            got = _as_model(interp, m)
            if got is not None:
                return var, got
    f = interp.ev.globals.get(model_name)
    if f is None and "." in model_name:  # --model LeNet.build: a static method
        f = dict(_builders(interp)).get(model_name)
    if isinstance(f, UserFunc):
        got = _as_model(interp, _call_builder(interp, model_name, f))
        if got is None:
            raise SpecError(f"the function '{model_name}' does not return a Keras model",
                            loc=f.at(f.node.lineno, f.node.col_offset + 1) if f.at else Location(interp.ev.path),
                            hint="--model names a model variable or a function that returns a model")
        return model_name, got
    if isinstance(f, UserClass) and f.kind == "model":
        inst = interp.instantiate(f, [], {}, f.node or ast.Module(body=[], type_ignores=[]))
        return model_name, interp.instance_model(inst, None)
    if (isinstance(f, UserClass) and _is_hypermodel(f)) or (isinstance(f, Instance) and _is_hypermodel(f.cls)):
        got = _as_model(interp, _build_hypermodel(interp, f))
        if got is not None:
            return model_name, got
    for _, _, bound, err, builds in reversed(interp.ev.failures):
        if builds and model_name in bound:  # --model NAME of a model whose build failed: why
            raise err
    names = list_models(interp)
    raise SpecError(
        f"no model named '{model_name}'", loc=Location(interp.ev.path),
        hint=("models in the file: " + ", ".join(names)) if names else "the file builds no model",
    )


def _built_model(interp: Interpreter) -> tuple[str, ModelObj]:
    """No model assigned at module level: the last builder function's, else a HyperModel's, else
    the last model class's; else the error that kept the file's models from being read."""
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
    classes = [k for k, v in interp.ev.globals.items() if isinstance(v, UserClass) and v.kind == "model"]
    for name in reversed(classes):
        cls = interp.ev.globals[name]
        try:
            inst = interp.instantiate(cls, [], {}, cls.node or ast.Module(body=[], type_ignores=[]))
            return name, interp.instance_model(inst, None)
        except ArchcalcError as err:
            last_error = err
    if last_error is not None:
        raise last_error
    if interp.ev.failures:
        raise interp.ev.failures[0][3]
    if interp.unread:
        var, u = interp.unread[-1]
        raise SpecError(f"`{var}` is {u.what}, which archcalc does not read from code",
                        loc=interp.ev.at(u.line, 1) if u.line else Location(interp.ev.path), hint=_unknown_hint(u))
    raise SpecError(
        "no Keras model is built in this file", loc=Location(interp.ev.path),
        hint="assign one, e.g. model = Model(inputs, outputs), or define a function that returns one",
    )


def _failure_of(interp: Interpreter, v: Any) -> ArchcalcError | None:
    """The error of the model-building statement that left ``v`` unknown, if one did."""
    if isinstance(v, Unknown) and v.failed is not None:
        for *_, err, builds in interp.ev.failures:
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
        ranked = [u for u in interp.uses if u[0] == rank]
        for _, obj, method, line in reversed(ranked):
            err = _failure_of(interp, obj)
            if err is not None:
                raise err
            if isinstance(obj, Unknown):
                continue
            together = _together(interp, [u for u in ranked if u[3] == line and u[2] == method
                                           and method in ("trainable_variables", "trainable_weights")])
            if len(together) > 1:  # conv_net.trainable_variables + fc_net.trainable_variables
                obj, method = together[0]
            var = _variable_of(interp, obj) or str(getattr(obj, "name", "model"))
            got = _as_model(interp, obj)
            if got is not None:
                interp.choice = (var, f"the model the file {USE_WORDS[rank]} last "
                                      f"({var}.{method}, {_where(interp, line)})")
                if len(together) > 1:
                    others = ", ".join(_variable_of(interp, o) or str(getattr(o, "name", "model"))
                                       for o, _ in together[1:])
                    interp.choice = (var, interp.choice[1] + f", together with {others}: the first "
                                                             "of the models one step trains")
                return var, _check_broken(got)
    last_built = interp.built_at.get(id(interp.models[-1][1]), -1) if interp.models else -1
    failed = [f for f in interp.ev.failures if f[4] and f[0] > last_built]
    if failed:
        raise failed[-1][3]
    if interp.models:
        var, m, line = interp.models[-1]
        got = _as_model(interp, m)
        if got is not None:
            interp.choice = (var, f"the last model the file builds ({_where(interp, line)})")
            return var, _check_broken(got)
    return None


def _together(interp: Interpreter, uses: list[tuple[int, Any, str, int]]) -> list[tuple[Any, str]]:
    """The distinct models used on one line, in the order the line reads them (a custom step
    that trains two models at once: ``a.trainable_variables + b.trainable_variables``)."""
    out: list[tuple[Any, str]] = []
    for _, obj, method, _line in uses:
        if not isinstance(obj, Unknown) and _as_model(interp, obj) is not None and all(o is not obj for o, _ in out):
            out.append((obj, method))
    return out


def _check_broken(m: ModelObj) -> ModelObj:
    if m.broken is not None:
        raise m.broken
    return m


def _where(interp: Interpreter, line: int) -> str:
    loc = interp.ev.at(line, 0)
    cell = getattr(loc, "cell", None)
    return f"cell {cell}, line {loc.line}" if cell else f"line {loc.line}"


def list_models(interp: Interpreter) -> list[str]:
    """What the file builds: model variables, builder functions and model classes."""
    found: list[tuple[int, str, str]] = []  # (line, variable, shown)
    for v, m, line in interp.models:
        broken = getattr(m, "broken", None)
        where = _where(interp, broken.loc.line) if broken is not None and broken.loc else ""
        found.append((line, v, f"{v} (not read: {where}: {broken.message})" if broken else v))
    for _, line, bound, err, builds in interp.ev.failures:
        for name in bound if builds else ():
            found.append((line, name, f"{name} (not read: {_where(interp, line)}: {err.message})"))
    names = _in_order_once(found)
    for name, _ in _builders(interp):
        if name not in names:
            names.append(f"{name}()")
    for k, v in interp.ev.globals.items():
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
        interp.ev.run(tree)
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
    unused = sorted(set(interp.ev.overrides) - interp.ev.used_overrides)
    if unused and unused[0] in interp.ev.globals:
        raise SpecError(f"--set {unused[0]}: the model does not depend on it", loc=Location(path),
                        hint="--set pins the sizes the summary shows as names; leave this one out")
    if unused:
        raise SpecError(f"--set {unused[0]}: the file has no such name", loc=Location(path),
                        hint=did_you_mean(unused[0], [k for k in interp.ev.globals if not k.startswith("__")])
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
    if interp.ev.assumed_imports:
        by_module: dict[str, list[str]] = {}
        for name, dotted in sorted(interp.ev.assumed_imports.items()):
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
    found += [(line, n, f"{n} (not read)") for _, line, bound, _, builds in interp.ev.failures if builds for n in bound]
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


__all__ += ["models_in", "read_module", "Array", "ModuleValue"]


def _in_order_once(found: list[tuple[int, str, str]]) -> list[str]:
    """(line, model name, text shown) -> the texts by line, each model once (its first line)."""
    names: list[str] = []
    seen: set[str] = set()
    for _, v, shown in sorted(found, key=lambda f: f[0]):
        if v not in seen:
            seen.add(v)
            names.append(shown)
    return names
