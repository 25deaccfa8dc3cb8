"""What builds a model: the library side's answers to the evaluator's fault isolation.

The evaluator (``isolation.py``) decides, statement by statement, whether a failure can be
isolated and whether a loop or branch may be skipped; it asks these questions of the values it
does not know (``api.LibraryApi``): does this call build part of a model (a layer, a model,
their ``add`` / ``compile`` / ``build``), does this statement make a model, which models did a
failed statement change half-way, which objects keep their identity through a skipped loop.
The file's own functions are the evaluator's: it follows them itself.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError
from archcalc.readers.python import modules
from archcalc.readers.python.values import (
    HyperParams,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: methods that change a model's structure
BUILD_METHODS = frozenset({"add", "compile", "build", "pop"})
#: keras submodules whose calls never build layers
INERT_KERAS = frozenset({
    "losses", "metrics", "callbacks", "utils", "datasets", "preprocessing", "optimizers", "backend", "random",
    "initializers", "regularizers", "constraints", "saving", "models_io", "mixed_precision", "config",
    "visualization", "export", "distribution"})
#: calls that make a model whatever they are called on
MODEL_MAKERS = frozenset({"Model", "Sequential", "load_model", "model_from_json", "clone_model"})


class BuildsMixin(_Side):
    """The ``call_builds``, ``makes_model``, ``statement_failed``, ``survives_skip`` and
    ``unbound_parameter`` methods of ``api.LibraryApi``."""

    def call_builds(self, value: Any, call: ast.Call, env: Mapping[str, Any]) -> bool:
        """LibraryApi.call_builds: by the kind of the callee's root value."""
        f = call.func
        if isinstance(f, ast.Attribute) and f.attr in BUILD_METHODS and (
                isinstance(value, (ModelObj, Instance, LayerObj)) or (isinstance(value, Unknown) and value.undefined)):
            return True
        if isinstance(value, Mod):
            path = modules.normalise(value.path)
            if isinstance(f, ast.Attribute):
                path = modules.normalise((*path, *_attribute_names(f)))
            return modules.is_keras(path) and (len(path) < 2 or path[1] not in INERT_KERAS)
        if isinstance(value, (ModelObj, Instance)):
            if isinstance(f, ast.Attribute):
                return f.attr in BUILD_METHODS
            # model(x) composes models only when x is a tensor; model(batch) in a loop is inference
            return any(isinstance(a, ast.Name) and isinstance(self.ev.lookup(a.id, env, a), Tensor)
                       for a in call.args)
        if isinstance(value, LayerObj):
            return True
        if isinstance(value, UserClass):
            return value.kind in ("model", "layer")
        return False

    def makes_model(self, s: ast.stmt, env: Mapping[str, Any]) -> bool:
        """LibraryApi.makes_model: ``Model(...)``, ``Sequential(...)``, a loader, an application,
        a model class of the file (or a plain class that makes one in its methods), or a function
        of the file that makes one."""
        for node in ast.walk(s):
            if isinstance(node, ast.Call) and self.call_makes_model(node, env):
                return True
        return False

    def call_makes_model(self, node: ast.Call, env: Mapping[str, Any]) -> bool:
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name in MODEL_MAKERS:
            return True
        v = env.get(name) if isinstance(f, ast.Name) else None
        if isinstance(v, Mod) and "applications" in v.path:
            return True
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) and f.value.attr == "applications":
            return True
        if isinstance(v, UserClass) and (v.kind == "model" or _makes_model_in(_class_nodes(v))):
            return True
        return isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and _makes_model_in([v.node])

    def statement_failed(self, s: ast.stmt, env: Mapping[str, Any], cause: ArchcalcError) -> Any:
        """LibraryApi.statement_failed: a model the statement may have changed half-way
        (``model.add(...)``, ``add_blocks(model)``; reading ``model.input`` or ``model.layers``
        changes nothing) is broken by ``cause``."""
        for node in ast.walk(s):
            if not isinstance(node, ast.Call):
                continue
            for n in _changed_models(node, env):
                target = env.get(n.id) if isinstance(n, ast.Name) else None
                if isinstance(target, ModelObj) and target.broken is None:
                    target.broken = cause
        made = None
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name):
            made = env.get(s.value.func.id)
        return made if isinstance(made, UserClass) else None

    def survives_skip(self, value: Any) -> bool:
        """LibraryApi.survives_skip: models, layers and objects of the file's classes."""
        return isinstance(value, (ModelObj, LayerObj, Instance))

    def unbound_parameter(self, name: str, line: int) -> Any:
        """LibraryApi.unbound_parameter: Keras Tuner's ``def build_model(hp)`` read without a
        call: ``hp`` gives each hyperparameter's default."""
        return HyperParams() if name == "hp" else None


def _attribute_names(f: ast.Attribute) -> list[str]:
    """The attribute names of ``a.b.c`` from the root outwards: ['b', 'c']."""
    names: list[str] = []
    node: ast.expr = f
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    return list(reversed(names))


def _changed_models(node: ast.Call, env: Mapping[str, Any]) -> list[ast.expr]:
    """The expressions a call changes the model of: ``model`` in ``model.add(...)``, and the
    arguments a function of the file changes (``add_blocks(model)``)."""
    named: list[ast.expr] = []
    if isinstance(node.func, ast.Attribute) and node.func.attr in BUILD_METHODS:
        named.append(node.func.value)
    fn = env.get(node.func.id) if isinstance(node.func, ast.Name) else None
    if isinstance(fn, UserFunc) and isinstance(fn.node, ast.FunctionDef):
        params = [a.arg for a in fn.node.args.args]
        given = [*zip(params, node.args), *((k.arg, k.value) for k in node.keywords if k.arg)]
        named += [value for param, value in given if _adds_layers(fn.node, param)]
    return named


def _adds_layers(fn: ast.FunctionDef, param: str) -> bool:
    """True when a function changes the model it gets as ``param``: ``param.add(...)``,
    ``param.pop()``, ``param.build(...)`` in its body."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("add", "pop", "build")
               and isinstance(n.func.value, ast.Name) and n.func.value.id == param for n in ast.walk(fn))


def _class_nodes(cls: UserClass) -> list[ast.AST]:
    """A class of the file and its direct bases of the file."""
    nodes = [cls.node] + [b.node for b in cls.bases if isinstance(b, UserClass)]
    return [n for n in nodes if n is not None]


def _makes_model_in(nodes: list[ast.AST]) -> bool:
    """True when code calls ``Model(...)`` or ``Sequential(...)`` (a plain class that sets
    ``self._model = Model(inputs, outputs)`` in ``__init__``: making an object makes a model)."""
    return any(isinstance(n, ast.Call) and (getattr(n.func, "attr", None) or getattr(n.func, "id", None))
               in ("Model", "Sequential") for node in nodes for n in ast.walk(node))
