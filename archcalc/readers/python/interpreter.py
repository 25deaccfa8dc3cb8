"""The Keras Python front-end: reads model code statically, never runs it.

The file is parsed with :mod:`ast` and a small interpreter walks the statements,
evaluating only a safe subset: imports of keras / tensorflow.keras (any aliasing),
literals and arithmetic, ``Sequential([...])`` and ``model.add(...)``, ``Input(...)``,
functional calls ``Layer(...)(x)``, the merge helpers (``concatenate``, ``add``, ...),
``Model(inputs, outputs)`` with lists and dicts, ``model.compile(...)``, user functions
(``def residual_block(x, filters): ... return x``), ``for`` loops over known values and
``if`` on known values. Nothing from the file is imported or executed: other calls
(data loading, ``fit``, ``print``, plotting) give *unknown* values, and statements that
only produce unknown values are skipped. Using an unknown value where it changes the
model (a layer size read from a file) is an error naming the line.

Which model is "the" model: the last ``Sequential``/``Model`` assigned to a variable,
unless ``model_name`` (the CLI's ``--model``) names the variable.

``Graph.compile`` holds ``model.compile``'s arguments by keyword. Strings stay strings;
optimizer, loss and metric objects use Keras's own serialisation form, which
``keras.optimizers.get`` / ``keras.losses.get`` accept and lint can read::

    {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
     "loss": {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}},
     "metrics": ["accuracy"]}
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.errors import ArchcalcError, Location, SpecError, did_you_mean
from archcalc.graph import Graph, Node
from archcalc.layers import registry
from archcalc.layers.base import LayerType
from archcalc.layers.nested import NestedModel
from archcalc.readers.builder import read_text, to_snake_case

MAX_BYTES = 5 * 1024 * 1024
MAX_STEPS = 2_000_000  # evaluated expressions, loops included
MAX_SEQ = 100_000  # longest list/str built by arithmetic
MAX_DEPTH = 60  # user-function call depth
MAX_INT = 2**62

#: (line, column) -> Location
Locator = Callable[[int, int], Location]

SPEC_HINT = "describe the model in a YAML spec, or analyse the live model with archcalc.analyze(model)"

#: merge helpers in keras.layers -> (layer class, keyword arguments they pass on)
HELPERS = {
    "concatenate": "Concatenate", "add": "Add", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "subtract": "Subtract", "dot": "Dot",
}
#: positional parameters of the optimizer/loss constructors users call positionally
POSITIONAL = {
    "SGD": ["learning_rate", "momentum", "nesterov"],
    "Adam": ["learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"],
    "AdamW": ["learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad"],
    "RMSprop": ["learning_rate", "rho", "momentum", "epsilon", "centered"],
    "BinaryCrossentropy": ["from_logits", "label_smoothing"],
    "CategoricalCrossentropy": ["from_logits", "label_smoothing"],
    "SparseCategoricalCrossentropy": ["from_logits", "ignore_class"],
    "BinaryFocalCrossentropy": ["apply_class_balancing", "alpha", "gamma", "from_logits"],
    "l1": ["l1"], "l2": ["l2"], "L1": ["l1"], "L2": ["l2"], "l1_l2": ["l1", "l2"],
}
COMPILE_ARGS = ["optimizer", "loss", "loss_weights", "metrics", "weighted_metrics"]
#: model methods that do not change the architecture
SKIPPED_METHODS = {
    "fit", "evaluate", "predict", "summary", "save", "save_weights", "load_weights", "to_json",
    "get_config", "count_params", "fit_generator", "train_on_batch", "test_on_batch",
    "predict_on_batch", "get_layer", "export", "plot_model",
}
BUILTINS = {"range", "len", "int", "float", "str", "min", "max", "abs", "round", "tuple", "list",
            "zip", "enumerate", "sum", "reversed", "bool", "dict", "sorted", "print", "isinstance"}


# --- values the interpreter handles -----------------------------------------------------


@dataclass(frozen=True)
class Unknown:
    """A value archcalc does not compute (data, a call into another library)."""

    what: str
    line: int
    undefined: bool = False  # a name the file never defines (data loaded elsewhere, or a typo)

    def describe(self) -> str:
        if self.undefined:
            return f"the name '{self.what}', which is not defined in the file (line {self.line})"
        return f"`{self.what}` (line {self.line})"


@dataclass(frozen=True)
class Mod:
    """A keras module or name path, normalised: ('keras', 'layers', 'Dense')."""

    path: tuple[str, ...]

    def attr(self, name: str) -> Mod:
        return Mod((*self.path, name))

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass
class Tensor:
    """A symbolic tensor: the output of graph node ``node`` (output ``index`` of a layer with
    several outputs, e.g. ``out, h, c = LSTM(..., return_state=True)(x)``)."""

    node: str
    index: int | None = None


@dataclass
class LayerObj:
    """A layer instance; ``calls`` lists the graph nodes of its calls (shared weights)."""

    layer: LayerType
    name: str
    loc: Location
    kwargs: dict[str, Any]
    calls: list[str] = field(default_factory=list)
    #: legacy (Keras 1/2) spellings of the constructor call, with their Keras 3 forms
    legacy: list[Any] = field(default_factory=list)


@dataclass
class ModelObj:
    """A Sequential (layers list) or Functional (inputs/outputs) model object."""

    kind: str  # "Sequential" | "Functional"
    name: str
    loc: Location
    layers: list[Any] = field(default_factory=list)  # Sequential: LayerObj / ModelObj / Input tensors
    input_shape: tuple | None = None
    input_name: str | None = None
    inputs: list[str] = field(default_factory=list)  # Functional: input node names
    outputs: list[str] = field(default_factory=list)
    output_index: list[int | None] = field(default_factory=list)
    output_keys: list[str] | None = None
    compile: dict[str, Any] | None = None
    compile_loc: Location | None = None
    layer_obj: LayerObj | None = None  # the NestedModel layer, once used as a layer
    trainable: bool = True


@dataclass
class ConfigObj:
    """keras.optimizers.Adam(1e-3), keras.losses.X(...), keras.regularizers.l2(...)."""

    class_name: str
    config: dict[str, Any]

    def serialize(self) -> dict[str, Any]:
        return {"class_name": self.class_name, "config": _plain(self.config)}


@dataclass
class UserFunc:
    node: ast.FunctionDef
    closure: dict[str, Any]


@dataclass
class UserClass:
    name: str
    kind: str  # "model" | "layer" | "other"
    line: int


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def _plain(v: Any) -> Any:
    if isinstance(v, ConfigObj):
        return v.serialize()
    if isinstance(v, (list, tuple)):
        return type(v)(_plain(x) for x in v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _normalise(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """('tensorflow', 'keras', 'layers') -> ('keras', 'layers'); None outside keras."""
    if path[:2] == ("tensorflow", "keras"):
        path = ("keras", *path[2:])
    elif path[:1] == ("tensorflow",):
        return ("tensorflow", *path[1:])
    if path[:1] != ("keras",):
        return None
    # keras.src.layers.core.dense -> keras.layers ; keras.api.layers -> keras.layers
    rest = [p for p in path[1:] if p not in ("src", "api", "_tf_keras", "keras")]
    return ("keras", *rest)


# --- the interpreter -------------------------------------------------------------------


class Interpreter:
    """Walks a module's statements and builds layer graphs."""

    def __init__(self, path: str, text: str, locate: Locator | None = None, era: str = "keras3") -> None:
        self.path = path
        self.text = text
        #: the Keras API the file is written against (see legacy.py)
        self.era = era
        #: (line, column) in ``text`` -> the Location to report (a notebook maps it to its cell)
        self.at: Locator = locate or (lambda line, col: Location(path, line, col))
        self.nodes: dict[str, Node] = {}  # every layer call in the file
        self.counters: dict[str, int] = {}
        self.models: list[tuple[str, ModelObj, int]] = []  # (variable, model, line) assignments
        self.steps = 0
        self.depth = 0
        self.globals: dict[str, Any] = {"__name__": "__main__", "True": True, "False": False, "None": None}

    # -- helpers ----------------------------------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        return self.at(getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1)

    def error(self, message: str, node: ast.AST | None, hint: str | None = SPEC_HINT) -> SpecError:
        return SpecError(message, loc=self.loc(node) if node is not None else Location(self.path), hint=hint)

    def uid(self, base: str) -> str:
        """Keras's automatic names: dense, dense_1, ... (a name given by the user is skipped)."""
        base = to_snake_case(base)
        n = self.counters.get(base, 0)
        self.counters[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def tick(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise self.error("the file takes too many steps to read (a very long loop?)", node,
                             "archcalc follows loops over range() of model sizes, not training loops over data")

    def known(self, v: Any, node: ast.AST, what: str = "this value") -> Any:
        """v, or an error when it is unknown."""
        if isinstance(v, Unknown) and v.undefined:
            names = [*registry.REGISTRY, *HELPERS, *self.globals]
            raise SpecError(
                f"name '{v.what}' is not defined", loc=self.at(v.line, 0) if v.line else self.loc(node),
                hint=did_you_mean(v.what, names) or "define it above this line",
            )
        if isinstance(v, Unknown):
            raise self.error(
                f"{what} is not known without running the code: it comes from {v.describe()}", node,
                "write the value as a literal (e.g. num_classes = 10); " + SPEC_HINT,
            )
        return v

    # -- statements -------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        self.block(tree.body, self.globals)

    def block(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        for stmt in body:
            self.stmt(stmt, env)

    def stmt(self, s: ast.stmt, env: dict[str, Any]) -> None:
        self.tick(s)
        if isinstance(s, ast.Import):
            for a in s.names:
                norm = _normalise(tuple(a.name.split(".")))
                if a.asname:
                    env[a.asname] = Mod(norm) if norm else Unknown(f"import {a.name}", s.lineno)
                else:
                    top = a.name.split(".")[0]
                    n = _normalise((top,))
                    env[top] = Mod(n) if n else Unknown(f"import {top}", s.lineno)
        elif isinstance(s, ast.ImportFrom):
            mod = _normalise(tuple((s.module or "").split("."))) if not s.level else None
            for a in s.names:
                if a.name == "*":
                    if mod and mod[-1] == "layers":
                        for name in registry.REGISTRY:
                            env[name] = Mod((*mod, name))
                        for name in HELPERS:
                            env[name] = Mod((*mod, name))
                        env["Input"] = Mod(("keras", "Input"))
                    continue
                target = a.asname or a.name
                env[target] = Mod((*mod, a.name)) if mod else Unknown(f"{s.module}.{a.name}", s.lineno)
        elif isinstance(s, ast.Assign):
            value = self.expr(s.value, env)
            for t in s.targets:
                self.assign(t, value, env, s)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign(s.target, self.expr(s.value, env), env, s)
        elif isinstance(s, ast.AugAssign):
            if isinstance(s.target, ast.Name):
                cur = env.get(s.target.id, self.globals.get(s.target.id))
                value = self.binop(s.op, cur, self.expr(s.value, env), s)
                self.assign(s.target, value, env, s)
        elif isinstance(s, ast.Expr):
            self.expr(s.value, env)
        elif isinstance(s, ast.FunctionDef):
            env[s.name] = UserFunc(s, env)
        elif isinstance(s, ast.AsyncFunctionDef):
            env[s.name] = Unknown(f"async def {s.name}", s.lineno)
        elif isinstance(s, ast.ClassDef):
            env[s.name] = self.classdef(s, env)
        elif isinstance(s, ast.Return):
            raise _Return(self.expr(s.value, env) if s.value is not None else None)
        elif isinstance(s, ast.If):
            test = self.expr(s.test, env)
            if isinstance(test, Unknown):
                if self.affects_model(s.body + s.orelse, env):
                    raise self.error(f"the model depends on a condition that is not known: {test.describe()}",
                                     s.test, "make the condition a literal, or " + SPEC_HINT)
                return
            self.block(s.body if test else s.orelse, env)
        elif isinstance(s, ast.For):
            self.for_loop(s, env)
        elif isinstance(s, ast.While):
            if self.affects_model(s.body, env):
                raise self.error("a `while` loop builds part of the model", s,
                                 "write it as `for i in range(n)`, or " + SPEC_HINT)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, Unknown(ast.unparse(item.context_expr), s.lineno), env, s)
            self.block(s.body, env)
        elif isinstance(s, ast.Try):
            self.block(s.body, env)
            self.block(s.orelse, env)
            self.block(s.finalbody, env)
        elif isinstance(s, (ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.Assert,
                            ast.Delete, ast.Raise)):
            if isinstance(s, (ast.Break, ast.Continue)):
                raise self.error(f"`{type(s).__name__.lower()}` is not supported", s)
        else:  # match and anything newer: only an error when it builds the model
            if self.affects_model([s], env):
                raise self.error(f"`{type(s).__name__}` statements are not supported", s)

    def classdef(self, s: ast.ClassDef, env: dict[str, Any]) -> UserClass:
        kind = "other"
        for b in s.bases:
            try:
                base = self.expr(b, env)
            except ArchcalcError:
                continue
            if isinstance(base, Mod) and base.name in ("Model", "Sequential", "Functional"):
                kind = "model"
            elif isinstance(base, Mod) and (base.name == "Layer" or (_normalise(base.path) or ())[:2] == ("keras", "layers")):
                kind = "layer"
            elif isinstance(base, UserClass):
                kind = base.kind
        return UserClass(s.name, kind, s.lineno)

    def affects_model(self, body: list[ast.stmt], env: dict[str, Any]) -> bool:
        """True when statements call layers, models or their add/compile/build methods."""
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in ("add", "compile", "build"):
                return True
            if isinstance(f, ast.Call):
                return True
            root = f
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                v = env.get(root.id, self.globals.get(root.id))
                if isinstance(v, (Mod, LayerObj, ModelObj, UserFunc)):
                    return True
        return False

    def for_loop(self, s: ast.For, env: dict[str, Any]) -> None:
        it = self.expr(s.iter, env)
        if isinstance(it, Unknown):
            if self.affects_model(s.body, env):
                raise self.error(f"a loop over {it.describe()} builds part of the model", s.iter,
                                 "loop over range(n) or a literal tuple, or " + SPEC_HINT)
            return
        if isinstance(it, dict):
            it = list(it)
        if not isinstance(it, (list, tuple, str, range)):
            raise self.error(f"cannot loop over {type(it).__name__}", s.iter)
        for v in it:
            self.tick(s)
            self.assign(s.target, v, env, s)
            self.block(s.body, env)
        self.block(s.orelse, env)

    def assign(self, target: ast.expr, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
            if isinstance(value, ModelObj):
                self.models.append((target.id, value, getattr(s, "lineno", 0)))
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, Unknown):
                for t in target.elts:
                    self.assign(t.value if isinstance(t, ast.Starred) else t, value, env, s)
                return
            if isinstance(value, Tensor) and value.index is None:
                # out, h, c = LSTM(..., return_state=True)(x): one tensor per output; the
                # engine checks that the layer has that many
                if any(isinstance(t, ast.Starred) for t in target.elts):
                    raise self.error("`*` unpacking of layer outputs is not supported", s)
                value = [Tensor(value.node, i) for i in range(len(target.elts))]
            if not isinstance(value, (list, tuple)) or any(isinstance(t, ast.Starred) for t in target.elts):
                raise self.error(f"cannot unpack {type(value).__name__} here", s)
            if len(value) != len(target.elts):
                raise self.error(f"cannot unpack {len(value)} values into {len(target.elts)} names", s)
            for t, v in zip(target.elts, value, strict=False):
                self.assign(t, v, env, s)
        elif isinstance(target, ast.Attribute):
            obj = self.expr(target.value, env)
            if isinstance(obj, (LayerObj, ModelObj)) and target.attr == "trainable":
                flag = self.known(value, target, "`trainable`")
                if isinstance(obj, LayerObj):
                    obj.layer.cfg["trainable"] = bool(flag)
                else:
                    obj.trainable = bool(flag)
                    if obj.layer_obj is not None:
                        obj.layer_obj.layer.cfg["trainable"] = bool(flag)
        # subscript targets (dicts of hyper-parameters) are ignored: they never name a model

    # -- expressions ------------------------------------------------------------------

    def lookup(self, name: str, env: dict[str, Any], node: ast.AST) -> Any:
        if name in env:
            return env[name]
        if name in self.globals:
            return self.globals[name]
        if name in BUILTINS:
            return ("builtin", name)
        # snippets often use data defined elsewhere (X_train): an error only if the model needs it
        return Unknown(name, getattr(node, "lineno", 0), undefined=True)

    def expr(self, e: ast.expr, env: dict[str, Any]) -> Any:
        self.tick(e)
        if isinstance(e, ast.Constant):
            if isinstance(e.value, int) and not isinstance(e.value, bool) and abs(e.value) > MAX_INT:
                raise self.error("number is too large", e, None)
            return e.value
        if isinstance(e, ast.Name):
            return self.lookup(e.id, env, e)
        if isinstance(e, ast.Tuple):
            return tuple(self.expr(x, env) for x in e.elts)
        if isinstance(e, ast.List):
            return [self.expr(x, env) for x in e.elts]
        if isinstance(e, ast.Set):
            return Unknown("a set", e.lineno)
        if isinstance(e, ast.Dict):
            out = {}
            for k, v in zip(e.keys, e.values, strict=False):
                if k is None:
                    return Unknown("{**...}", e.lineno)
                key = self.expr(k, env)
                if isinstance(key, (Unknown, list, dict)):
                    return Unknown(ast.unparse(e)[:60], e.lineno)
                out[key] = self.expr(v, env)
            return out
        if isinstance(e, ast.JoinedStr):
            parts = []
            for v in e.values:
                if isinstance(v, ast.Constant):
                    parts.append(str(v.value))
                else:
                    x = self.expr(v.value, env) if isinstance(v, ast.FormattedValue) else Unknown("f-string", e.lineno)
                    if isinstance(x, Unknown):
                        return x
                    assert isinstance(v, ast.FormattedValue)  # anything else gave Unknown above
                    parts.append(format(x, self.expr(v.format_spec, env)) if v.format_spec else str(x))
            return "".join(parts)
        if isinstance(e, ast.BinOp):
            return self.binop(e.op, self.expr(e.left, env), self.expr(e.right, env), e)
        if isinstance(e, ast.UnaryOp):
            v = self.expr(e.operand, env)
            if isinstance(v, Unknown):
                return v
            if isinstance(e.op, ast.Not):
                return not v
            if isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, bool):
                unary: dict[type[ast.unaryop], Callable[[Any], Any]] = {
                    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
                return unary[type(e.op)](v)
            raise self.error(f"cannot apply {type(e.op).__name__} to {type(v).__name__}", e)
        if isinstance(e, ast.BoolOp):
            result: Any = None
            for x in e.values:
                result = self.expr(x, env)
                if isinstance(result, Unknown):
                    return result
                if isinstance(e.op, ast.And) and not result or isinstance(e.op, ast.Or) and result:
                    return result
            return result
        if isinstance(e, ast.Compare):
            left = self.expr(e.left, env)
            for op, right_e in zip(e.ops, e.comparators, strict=False):
                right = self.expr(right_e, env)
                if isinstance(left, Unknown) or isinstance(right, Unknown):
                    return left if isinstance(left, Unknown) else right
                ok = self.compare(op, left, right, e)
                if not ok:
                    return False
                left = right
            return True
        if isinstance(e, ast.IfExp):
            t = self.expr(e.test, env)
            if isinstance(t, Unknown):
                return t
            return self.expr(e.body if t else e.orelse, env)
        if isinstance(e, ast.Subscript):
            return self.subscript(e, env)
        if isinstance(e, ast.Attribute):
            return self.attribute(e, env)
        if isinstance(e, ast.Call):
            return self.call(e, env)
        if isinstance(e, (ast.ListComp, ast.GeneratorExp)):
            return self.listcomp(e, env)
        if isinstance(e, ast.Starred):
            raise self.error("`*` unpacking is not supported here", e)
        return Unknown(ast.unparse(e)[:60], getattr(e, "lineno", 0))

    def compare(self, op: ast.cmpop, a: Any, b: Any, e: ast.AST) -> bool:
        ops = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
               ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
               ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y}
        try:
            return bool(ops[type(op)](a, b))
        except TypeError as err:
            raise self.error(f"cannot compare: {err}", e, None) from None

    def binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            cls = {ast.Add: "Add", ast.Sub: "Subtract", ast.Mult: "Multiply"}.get(type(op))
            if cls and isinstance(a, Tensor) and isinstance(b, Tensor):
                layer = self.make_layer(cls, [], {}, e)
                return self.call_layer(layer, [a, b], True, e)
            raise self.error("arithmetic on tensors other than a + b, a - b, a * b is not supported", e,
                             "use a layer (Rescaling, Add, Multiply), or " + SPEC_HINT)
        fn = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow}.get(type(op))
        if fn is None:
            raise self.error(f"operator {type(op).__name__} is not supported", e, None)
        if isinstance(op, ast.Pow) and (not isinstance(b, int) or abs(b) > 64 or abs(a) > 2**16):
            raise self.error("exponent too large", e, None)
        if isinstance(op, ast.Mult):
            for seq, n in ((a, b), (b, a)):
                if isinstance(seq, (list, tuple, str)) and isinstance(n, int) and len(seq) * n > MAX_SEQ:
                    raise self.error("sequence is too long", e, None)
        if isinstance(op, ast.Mod) and isinstance(a, str):
            return Unknown("%-formatting", getattr(e, "lineno", 0))
        try:
            out = fn(a, b)
        except ZeroDivisionError:
            raise self.error("division by zero", e, None) from None
        except TypeError as err:
            raise self.error(f"unsupported operation: {err}", e, None) from None
        if isinstance(out, int) and abs(out) > MAX_INT:
            raise self.error("number is too large", e, None)
        if isinstance(out, (list, tuple, str)) and len(out) > MAX_SEQ:
            raise self.error("sequence is too long", e, None)
        return out

    def subscript(self, e: ast.Subscript, env: dict[str, Any]) -> Any:
        obj = self.expr(e.value, env)
        if isinstance(obj, Unknown):
            return obj
        if isinstance(e.slice, ast.Slice):
            parts = [self.expr(p, env) if p is not None else None for p in (e.slice.lower, e.slice.upper, e.slice.step)]
            if any(isinstance(p, Unknown) for p in parts):
                return Unknown(ast.unparse(e), e.lineno)
            key: Any = slice(*parts)
        else:
            key = self.expr(e.slice, env)
        if isinstance(key, Unknown):
            return key
        if isinstance(obj, Tensor) and obj.index is None and isinstance(key, int) and not isinstance(key, bool):
            return Tensor(obj.node, key)  # one output of a layer with several outputs
        if isinstance(obj, ModelObj) or isinstance(obj, Tensor):
            raise self.error("indexing a model or tensor is not supported", e)
        try:
            return obj[key]
        except (KeyError, IndexError, TypeError) as err:
            raise self.error(f"cannot index: {err!r}", e, None) from None

    def attribute(self, e: ast.Attribute, env: dict[str, Any]) -> Any:
        obj = self.expr(e.value, env)
        if isinstance(obj, Mod):
            return obj.attr(e.attr)
        if isinstance(obj, Unknown):
            return Unknown(f"{obj.what}.{e.attr}", obj.line)
        if isinstance(obj, ModelObj):
            if e.attr in ("input", "inputs", "output", "outputs"):
                return self.model_io(obj, e.attr, e)
            if e.attr in ("add", "compile", "build", "trainable", "name") or e.attr in SKIPPED_METHODS:
                return ("method", obj, e.attr)
            return Unknown(ast.unparse(e), e.lineno)
        if isinstance(obj, LayerObj):
            if e.attr in ("output", "input"):
                if not obj.calls:
                    raise self.error(f"layer '{obj.name}' has not been called yet", e)
                return Tensor(obj.calls[-1])
            return Unknown(ast.unparse(e), e.lineno)
        if isinstance(obj, Tensor):
            if e.attr == "shape":
                return Unknown(ast.unparse(e), e.lineno)
            return Unknown(ast.unparse(e), e.lineno)
        if isinstance(obj, (list, dict, tuple, str)) and e.attr in ("append", "keys", "values", "items", "extend"):
            return ("pymethod", obj, e.attr)
        return Unknown(ast.unparse(e)[:60], e.lineno)

    def listcomp(self, e: ast.ListComp | ast.GeneratorExp, env: dict[str, Any]) -> Any:
        if len(e.generators) != 1 or e.generators[0].is_async:
            return Unknown("comprehension", e.lineno)
        gen = e.generators[0]
        it = self.expr(gen.iter, env)
        if isinstance(it, Unknown):
            return it
        local = _Scope({}, env)
        out = []
        for v in it:
            self.tick(e)
            self.assign(gen.target, v, local, e)
            conds = [self.expr(c, local) for c in gen.ifs]
            if any(isinstance(c, Unknown) for c in conds):
                return Unknown("comprehension", e.lineno)
            if all(conds):
                out.append(self.expr(e.elt, local))
        return out

    # -- calls ------------------------------------------------------------------------

    def call(self, e: ast.Call, env: dict[str, Any]) -> Any:
        func = self.expr(e.func, env)
        if isinstance(func, Unknown):
            # arguments are not evaluated: this call is not run, so nothing in it matters yet
            return func if func.undefined else Unknown(ast.unparse(e.func)[:60] + "(...)", e.lineno)
        if isinstance(func, tuple) and func[:1] == ("method",) and func[2] in SKIPPED_METHODS:
            return None
        if func == ("builtin", "print"):
            return None
        if isinstance(func, Mod):
            norm = _normalise(func.path)
            if norm is None or norm[0] != "keras":
                return Unknown(".".join(func.path) + "(...)", e.lineno)
            func = Mod(norm)
        args: list[Any] = []
        for a in e.args:
            if isinstance(a, ast.Starred):
                v = self.expr(a.value, env)
                if isinstance(v, Unknown):
                    return v
                if not isinstance(v, (list, tuple)):
                    raise self.error("`*` needs a list or tuple", a)
                args.extend(v)
            else:
                args.append(self.expr(a, env))
        kwargs: dict[str, Any] = {}
        for kw in e.keywords:
            v = self.expr(kw.value, env)
            if kw.arg is None:
                if isinstance(v, dict):
                    kwargs.update(v)
                    continue
                return Unknown("**" + ast.unparse(kw.value), e.lineno)
            kwargs[kw.arg] = v
        if isinstance(func, tuple) and func and func[0] == "builtin":
            return self.builtin(func[1], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "method":
            return self.model_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "pymethod":
            return self.py_method(func[1], func[2], args, e)
        if isinstance(func, Mod):
            return self.keras_call(func, args, kwargs, e)
        if isinstance(func, LayerObj):
            return self.call_on(func, args, e)
        if isinstance(func, ModelObj):
            return self.call_on(self.model_layer(func, e), args, e)
        if isinstance(func, UserFunc):
            return self.call_user(func, args, kwargs, e)
        if isinstance(func, UserClass):
            if func.kind == "model":
                raise self.error(
                    f"'{func.name}' (line {func.line}) subclasses keras.Model: its layers are built by code "
                    "archcalc does not run", e)
            if func.kind == "layer":
                return self.make_layer(func.name, args, kwargs, e)
            return Unknown(f"{func.name}(...)", e.lineno)
        return Unknown(ast.unparse(e.func)[:60] + "(...)", e.lineno)

    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "print":
            return None
        if any(isinstance(a, Unknown) for a in args):
            return next(a for a in args if isinstance(a, Unknown))
        fns: dict[str, Any] = {"range": range, "len": len, "int": int, "float": float, "str": str, "min": min,
                               "max": max, "abs": abs, "round": round, "tuple": tuple, "list": list, "zip": zip,
                               "enumerate": enumerate, "sum": sum, "reversed": reversed, "bool": bool,
                               "dict": dict, "sorted": sorted}
        if name == "isinstance":
            return Unknown("isinstance(...)", e.lineno)
        if name == "range":
            r = range(*args)
            if len(r) > MAX_SEQ:
                raise self.error("range is too long", e, None)
            return r
        try:
            out = fns[name](*args, **kwargs)
        except (TypeError, ValueError) as err:
            raise self.error(f"{name}(): {err}", e, None) from None
        if name in ("zip", "enumerate", "reversed"):
            out = list(out)
        return out

    def py_method(self, obj: Any, name: str, args: list[Any], e: ast.Call) -> Any:
        if name == "append" and isinstance(obj, list):
            obj.append(args[0] if args else None)
            return None
        if name == "extend" and isinstance(obj, list):
            obj.extend(args[0] if args else [])
            return None
        if isinstance(obj, dict) and name in ("keys", "values", "items"):
            return list(getattr(obj, name)())
        return Unknown(f".{name}(...)", e.lineno)

    def call_user(self, f: UserFunc, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if self.depth >= MAX_DEPTH:
            raise self.error(f"functions call each other more than {MAX_DEPTH} deep", e, None)
        fa = f.node.args
        params = [a.arg for a in (*fa.posonlyargs, *fa.args)]
        local: dict[str, Any] = {}
        defaults = fa.defaults
        for p, d in zip(params[len(params) - len(defaults):], defaults, strict=False):
            local[p] = self.expr(d, f.closure)
        for a, kd in zip(fa.kwonlyargs, fa.kw_defaults, strict=False):
            if kd is not None:
                local[a.arg] = self.expr(kd, f.closure)
        if len(args) > len(params):
            if fa.vararg is None:
                raise self.error(f"{f.node.name}() takes {len(params)} positional argument(s), got {len(args)}", e, None)
            local[fa.vararg.arg] = tuple(args[len(params):])
        elif fa.vararg is not None:
            local[fa.vararg.arg] = ()
        for p, v in zip(params, args, strict=False):
            local[p] = v
        extra = {}
        for k, v in kwargs.items():
            if k in params or k in [a.arg for a in fa.kwonlyargs]:
                local[k] = v
            elif fa.kwarg is not None:
                extra[k] = v
            else:
                raise self.error(f"{f.node.name}() got an unexpected keyword argument '{k}'", e, None)
        if fa.kwarg is not None:
            local[fa.kwarg.arg] = extra
        missing = [p for p in params + [a.arg for a in fa.kwonlyargs] if p not in local]
        if missing:
            raise self.error(f"{f.node.name}() is missing the argument '{missing[0]}'", e, None)
        # the function's own globals (closure) are visible; assignments stay local
        scope = _Scope(local, f.closure)
        self.depth += 1
        try:
            self.block(f.node.body, scope)  # type: ignore[arg-type]
        except _Return as r:
            return r.value
        finally:
            self.depth -= 1
        return None

    # -- keras ------------------------------------------------------------------------

    def keras_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        path, name = func.path, func.name
        if path[0] != "keras":
            return Unknown(".".join(path) + "(...)", e.lineno)
        sub = path[1] if len(path) > 2 else ""
        if name == "Input" or (name == "InputLayer" and sub in ("", "layers")):
            return self.make_input(args, kwargs, e, layer=name == "InputLayer")
        if name in ("Sequential",) and sub in ("", "models"):
            return self.make_sequential(args, kwargs, e)
        if name in ("Model", "Functional") and sub in ("", "models"):
            return self.make_functional(args, kwargs, e)
        if sub == "applications":
            raise self.error(
                f"keras.applications.{name} is built by Keras code archcalc does not run", e,
                f"save it with open('{name.lower()}.json', 'w').write(model.to_json()) and run archcalc on the .json",
            )
        if sub in ("optimizers", "losses", "metrics", "regularizers", "initializers", "constraints", "schedules"):
            return self.config_obj(name, args, kwargs, e)
        if sub == "layers" or sub == "":
            if name in HELPERS:
                return self.helper(name, args, kwargs, e)
            if name == "Lambda":
                raise self.error(
                    "a Lambda layer runs Python code: archcalc cannot know its output shape", e,
                    "replace it with a built-in layer (Reshape, Rescaling, Activation, ...), or " + SPEC_HINT,
                )
            if sub == "layers" or registry.get(name) is not None:
                return self.make_layer(name, args, kwargs, e)
        return Unknown(".".join(path) + "(...)", e.lineno)

    def config_obj(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ConfigObj:
        config = dict(kwargs)
        names = POSITIONAL.get(name, ["learning_rate"] if name[:1].isupper() else [])
        for i, v in enumerate(args):
            key = names[i] if i < len(names) else f"arg{i}"
            config[key] = v
        for k, v in config.items():
            self.known(v, e, f"argument '{k}' of {name}")
        return ConfigObj(name, config)

    def make_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> LayerObj:
        from archcalc.readers import custom_layers
        from archcalc.readers.python import legacy

        translated = legacy.translate_layer(name, args, kwargs, self.era)
        name, args, kwargs = translated.name, translated.args, translated.kwargs
        cls = registry.get(name) or custom_layers.get(name)
        if cls is None:
            raise self.error(f"unknown layer type '{name}'", e,
                             did_you_mean(name, registry.REGISTRY)
                             or "declare custom layers in archcalc-layers.yaml (see the README); "
                                "`archcalc layers` lists the built-in ones")
        for i, v in enumerate(args):
            self.known(v, e, f"argument {i + 1} of {name}")
            if isinstance(v, (Tensor, ModelObj)):
                raise self.error(f"{name}(...) got a tensor as an argument", e,
                                 f"create the layer, then call it: {name}(...)(x)")
        for k, v in kwargs.items():
            self.known(v, e, f"argument '{k}' of {name}")
        args = [v.layer if isinstance(v, LayerObj) else _plain(v) for v in args]
        kw = {k: (v.layer if isinstance(v, LayerObj) else _plain(v)) for k, v in kwargs.items()}
        try:
            layer = cls.bind(args, kw)
        except SpecError as err:
            raise SpecError(err.message, loc=self.loc(e), hint=err.hint) from None
        given_name = kw.get("name")
        lname = given_name if isinstance(given_name, str) else self.uid(name)
        return LayerObj(layer, lname, self.loc(e), kw, legacy=translated.changes)

    def make_input(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call, layer: bool = False) -> Any:
        shape = args[0] if args else kwargs.get("shape", kwargs.get("input_shape"))
        batch = kwargs.get("batch_shape") or kwargs.get("batch_input_shape")
        shape = self.known(shape, e, "the input shape")
        batch = self.known(batch, e, "the input shape")
        if batch is not None:
            full = tuple(batch)
        else:
            if isinstance(shape, int) and not isinstance(shape, bool):
                shape = (shape,)
            if not isinstance(shape, (list, tuple)):
                raise self.error(f"Input needs a shape such as shape=(28, 28, 1), got {shape!r}", e,
                                 "Input(shape=(64,)) for 64 features")
            full = (kwargs.get("batch_size"), *shape)
        for d in full:
            if d is not None and (not isinstance(d, int) or isinstance(d, bool) or d < 0):
                raise self.error(f"input sizes must be non-negative integers or None, got {full!r}", e, None)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("input_layer")
        if name in self.nodes:
            raise self.error(f"the name '{name}' is already used by another layer", e, "give each layer a unique name")
        self.nodes[name] = Node(name=name, layer=None, shape=full, loc=self.loc(e))
        t = Tensor(name)
        return ("input_layer", t) if layer else t

    def make_sequential(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        layers = args[0] if args else kwargs.get("layers", [])
        layers = self.known(layers, e, "the layer list")
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
        item = self.known(item, e, "the layer")
        if isinstance(item, tuple) and item and item[0] == "input_layer":
            item = item[1]
        if isinstance(item, Tensor):
            node = self.nodes[item.node]
            if not node.is_input or m.layers or m.input_shape is not None:
                raise self.error("only keras.Input(...) can start a Sequential model", e)
            m.input_shape, m.input_name = node.shape, node.name
            return
        if not isinstance(item, (LayerObj, ModelObj)):
            raise self.error(f"Sequential layers must be layers, got {type(item).__name__}", e)
        if not m.layers and m.input_shape is None and isinstance(item, LayerObj):
            kw = item.kwargs
            if kw.get("input_shape") is not None:
                m.input_shape = (kw.get("batch_size"), *tuple(kw["input_shape"]))
            elif kw.get("batch_input_shape") is not None:
                m.input_shape = tuple(kw["batch_input_shape"])
            elif kw.get("input_dim") is not None and item.layer.keras_name != "Embedding":
                m.input_shape = (None, kw["input_dim"])
            elif item.layer.keras_name == "Embedding" and kw.get("input_length") is not None:
                m.input_shape = (None, kw["input_length"])  # Keras 2's meaning; Keras 3 ignores it
        m.layers.append(item)

    def make_functional(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        inputs = args[0] if args else kwargs.get("inputs")
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
        if inputs is None or outputs is None:
            raise self.error("Model(inputs, outputs) needs both", e,
                             "subclassed models are not supported: " + SPEC_HINT)
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
            m.output_keys = [str(k) for k in outputs]
        self.functional_graph(m, e)  # check now, so the error points at this line
        return m

    def tensors(self, v: Any, e: ast.AST, what: str) -> list[Tensor]:
        v = self.known(v, e, f"the model's {what}")
        if isinstance(v, tuple) and v and v[0] == "input_layer":
            v = v[1]
        if isinstance(v, Tensor):
            return [v]
        if isinstance(v, dict):
            v = list(v.values())
        if isinstance(v, (list, tuple)) and v:
            out: list[Tensor] = []
            for x in v:
                out.extend(self.tensors(x, e, what))
            return out
        raise self.error(f"the model's {what} must be tensors (from Input or layer calls), got {v!r}", e)

    def helper(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Tensor:
        inputs = args[0] if args else kwargs.pop("inputs", None)
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

    def call_on(self, layer: LayerObj, args: list[Any], e: ast.Call) -> Tensor:
        if not args:
            raise self.error(f"layer '{layer.name}' is called without inputs", e)
        x = self.known(args[0], e, "the layer's input")
        if isinstance(x, tuple) and x and x[0] == "input_layer":
            x = x[1]
        is_list = isinstance(x, (list, tuple))
        tensors = self.tensors(x, e, "inputs")
        return self.call_layer(layer, tensors, is_list, e)

    def call_layer(self, layer: LayerObj, tensors: list[Tensor], is_list: bool, e: ast.AST) -> Tensor:
        if layer.calls:
            # not name_1: that is the automatic name of the next layer of the same class
            node_name = self.unique(f"{layer.name}_call{len(layer.calls)}")
            shared = layer.calls[0]
        else:
            node_name, shared = layer.name, None
            if node_name in self.nodes:
                raise self.error(f"the name '{node_name}' is already used by another layer", e,
                                 "give each layer a unique name")
        self.nodes[node_name] = Node(
            name=node_name, layer=layer.layer, inputs=[t.node for t in tensors], loc=layer.loc,
            input_index=[t.index for t in tensors] if any(t.index is not None for t in tensors) else [],
            list_input=is_list, shared_with=shared,
            meta={"call_loc": self.loc(e), **({"legacy": layer.legacy} if layer.legacy else {})},
        )
        layer.calls.append(node_name)
        return Tensor(node_name)

    def unique(self, base: str) -> str:
        name, i = base, 1
        while name in self.nodes:
            i += 1
            name = f"{base}_{i}"
        return name

    def model_method(self, m: ModelObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "add":
            if m.kind != "Sequential":
                raise self.error("only Sequential models have add()", e)
            if not args:
                raise self.error("add() needs a layer", e)
            self.seq_add(m, args[0], e)
            m.layer_obj = None
            return None
        if name == "build":
            shape = self.known(args[0] if args else kwargs.get("input_shape"), e, "the build shape")
            if isinstance(shape, (list, tuple)) and m.kind == "Sequential":
                m.input_shape = tuple(shape)
            return None
        if name == "compile":
            comp: dict[str, Any] = {}
            for i, v in enumerate(args):
                if i < len(COMPILE_ARGS):
                    comp[COMPILE_ARGS[i]] = v
            comp.update(kwargs)
            out = {}
            for k, v in comp.items():
                if isinstance(v, Unknown):
                    if k in ("optimizer", "loss", "metrics"):
                        self.known(v, e, f"compile's {k}")
                    continue
                out[k] = _plain(v)
            m.compile, m.compile_loc = out, self.loc(e)
            return None
        return None  # fit, summary, save, ...: they do not change the architecture

    def model_layer(self, m: ModelObj, e: ast.AST | None) -> LayerObj:
        """The NestedModel layer of a model used as a layer (one object: shared weights)."""
        if m.layer_obj is None:
            graph = self.graph_of(m, e, nested=True)
            layer = NestedModel.of(graph, m.kind, trainable=m.trainable)
            m.layer_obj = LayerObj(layer, m.name, m.loc, {})
        return m.layer_obj

    def model_io(self, m: ModelObj, attr: str, e: ast.AST) -> Any:
        if m.kind == "Functional":
            names = m.inputs if attr.startswith("input") else m.outputs
        else:
            g = self.graph_of(m, e)
            names = g.inputs if attr.startswith("input") else g.outputs
            for n, node in g.nodes.items():
                self.nodes.setdefault(n, node)
        ts = [Tensor(n) for n in names]
        if attr in ("input", "output"):
            return ts[0] if len(ts) == 1 else ts
        return ts

    # -- graphs -----------------------------------------------------------------------

    def graph_of(self, m: ModelObj, e: ast.AST | None, nested: bool = False) -> Graph:
        if m.kind == "Sequential":
            return self.sequential_graph(m, e, nested)
        return self.functional_graph(m, e)

    def sequential_graph(self, m: ModelObj, e: ast.AST | None, nested: bool) -> Graph:
        g = Graph(name=m.name, path=self.path, sequential=True)
        if m.input_shape is None and not nested:
            raise SpecError(
                f"the Sequential model '{m.name}' has no input shape", loc=m.loc,
                hint="add keras.Input(shape=...) as its first layer, input_shape= on the first layer, "
                     "or call model.build((None, ...))",
            )
        in_name = m.input_name or f"{m.name}_input"
        g.add(Node(name=in_name, layer=None, shape=m.input_shape, loc=m.loc))
        prev = in_name
        for item in m.layers:
            lo = self.model_layer(item, e) if isinstance(item, ModelObj) else item
            name = lo.name if lo.name not in g.nodes else f"{lo.name}_{len(g.nodes)}"
            g.add(Node(name=name, layer=lo.layer, inputs=[prev], loc=lo.loc,
                       meta={"legacy": lo.legacy} if lo.legacy else {}))
            prev = name
        g.outputs = [prev] if m.layers else []
        if not m.layers:
            raise SpecError(f"the Sequential model '{m.name}' has no layers", loc=m.loc,
                            hint="add layers with model.add(...)")
        return g

    def functional_graph(self, m: ModelObj, e: ast.AST | None) -> Graph:
        g = Graph(name=m.name, path=self.path)
        needed: list[str] = []
        seen: set[str] = set()
        stack = list(m.outputs)
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            needed.append(n)
            node = self.nodes[n]
            if node.is_input and n not in m.inputs:
                raise SpecError(
                    f"the model '{m.name}' needs the input '{n}', which is not in its inputs",
                    loc=m.loc, hint=f"add {n} to Model(inputs=[...])",
                )
            if not node.is_input:
                stack.extend(node.inputs)
        for n in m.inputs:
            if n not in seen:
                needed.append(n)
        order = {n: i for i, n in enumerate(self.nodes)}
        for n in sorted(needed, key=order.__getitem__):
            g.add(self.nodes[n])
        g.inputs = list(m.inputs)
        g.outputs = list(m.outputs)
        g.output_index = list(m.output_index)
        if m.output_keys:
            g.extras["output_keys"] = m.output_keys
        # a shared layer whose first call is outside this model: its first call here owns the weights
        for node in g.nodes.values():
            if node.shared_with and node.shared_with not in g.nodes:
                g.nodes[node.name] = Node(**{**node.__dict__, "shared_with": None})
        return g


class _Scope(dict):
    """A function's locals, falling back to the module's names for reads."""

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


# --- entry points ----------------------------------------------------------------------


def pick_model(interp: Interpreter, model_name: str | None) -> tuple[str, ModelObj]:
    """The model to analyse: the last one assigned, or the one named."""
    models = interp.models
    names = list(dict.fromkeys(v for v, _, _ in models))
    if model_name:
        for var, m, _ in reversed(models):
            if var == model_name or m.name == model_name:
                return var, m
        raise SpecError(
            f"no model named '{model_name}'", loc=Location(interp.path),
            hint=("models in the file: " + ", ".join(names)) if names else "the file assigns no model",
        )
    if not models:
        funcs = [k for k, v in interp.globals.items() if isinstance(v, UserFunc)]
        raise SpecError(
            "no Keras model is assigned in this file", loc=Location(interp.path),
            hint=("assign one, e.g. model = Model(inputs, outputs)"
                  + (f"; the file defines {', '.join(funcs)} but no model is built from them" if funcs else "")),
        )
    var, m, _ = models[-1]
    return var, m


def load_text(text: str, path: str = "<python>", model_name: str | None = None,
              locate: Locator | None = None, era: str | None = None) -> Graph:
    """Read Python source into the Graph of its model.

    ``locate`` maps a (line, column) of ``text`` to the Location to report; a notebook reader
    passes one that names the cell.
    """
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as e:
        at = locate or (lambda line, col: Location(path, line, col))
        raise SpecError(f"invalid Python: {e.msg}", loc=at(e.lineno or 0, e.offset or 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise SpecError("the file is nested too deeply to read", loc=Location(path)) from None
    from archcalc.readers.python import legacy

    era, why = (era, "given") if era else legacy.detect_era(tree, text)
    interp = Interpreter(path, text, locate, era)
    try:
        interp.run(tree)
    except _Return:
        raise SpecError("`return` outside a function", loc=Location(path)) from None
    except RecursionError:
        raise SpecError("the code is nested too deeply to read", loc=Location(path), hint=SPEC_HINT) from None
    var, m = pick_model(interp, model_name)
    graph = interp.graph_of(m, None)
    graph.name = m.name
    graph.extras["variable"] = var
    graph.extras["era"] = {"era": era, "reason": why}
    graph.extras["models"] = list(dict.fromkeys(v for v, _, _ in interp.models))
    if m.compile is not None:
        graph.compile, graph.compile_loc = m.compile, m.compile_loc
    return graph


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, model_name: str | None = None,
         era: str | None = None, **options: Any) -> Graph:
    """Read a Keras Python file (statically) into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "Python file")
    if overrides:
        raise SpecError("--set works on YAML specs only", loc=Location(str(path)),
                        hint="edit the value in the Python file, or convert it: archcalc convert FILE --to yaml")
    return load_text(text, str(path), model_name, era=era)
