"""Fault isolation and "does this build a model": the rule by which a statement whose values do
not reach the model cannot stop the read (part of the evaluator).

A value-level failure (:class:`EvalError`) in a statement that builds no part of the model
leaves its targets unknown (``forget_targets``); any other error in a module-level statement
makes the names it binds unknown, each carrying the error, and marks a model it changes as
broken (``isolate``). ``affects_model`` decides what builds a model (layers, models, their
``add``/``compile``/``build``, through the file's own functions); a loop or branch that builds
nothing is skipped (``forget_body``).
"""

from __future__ import annotations

import ast
from collections import ChainMap
from collections.abc import Callable, Mapping
from typing import Any

from archcalc.errors import ArchcalcError
from archcalc.readers.python import modules
from archcalc.readers.python.api import LibraryApi
from archcalc.readers.python.values import (
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
)

#: methods that change a model's structure
BUILD_METHODS = {"add", "compile", "build", "pop"}
#: keras submodules whose calls never build layers
INERT_KERAS = {"losses", "metrics", "callbacks", "utils", "datasets", "preprocessing", "optimizers",
               "backend", "random", "initializers", "regularizers", "constraints", "saving", "models_io",
               "mixed_precision", "config", "visualization", "export", "distribution"}
#: methods that change the object they are called on
MUTATORS = {"append", "extend", "insert", "update", "add", "pop", "remove", "clear", "setdefault",
            "sort", "reverse", "discard"}


class IsolationMixin:
    """Fault isolation of the Evaluator, and what a statement does to the model."""

    api: LibraryApi
    lookup: Callable[..., Any]
    builds_memo: dict[int, bool]
    steps: int
    failures: list[tuple[int, int, list[str], ArchcalcError, bool]]

    def isolate(self, s: ast.stmt, env: dict[str, Any], err: ArchcalcError) -> None:
        """Fault isolation: a module-level statement that fails makes the names it binds unknown,
        each carrying the error (the root cause, when it read a name an earlier failure left),
        and marks a model it changes (``model.add(...)``) as broken; the read goes on, and only
        a model that needs them reports the error (see interpreter.pick_model)."""
        cause = self.failed_cause(s, env) or err
        names = list(dict.fromkeys(_stored_names(s)))
        made = None
        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name):
            made = env.get(s.value.func.id)
        for name in names:
            env[name] = Unknown(name, getattr(s, "lineno", 0), failed=cause,
                                of=made if isinstance(made, UserClass) else None)
        # a model the statement may have changed half-way: model.add(...), add_blocks(model)
        # (reading model.input or model.layers changes nothing)
        for node in ast.walk(s):
            if not isinstance(node, ast.Call):
                continue
            named: list[ast.expr] = []
            if isinstance(node.func, ast.Attribute) and node.func.attr in BUILD_METHODS:
                named.append(node.func.value)
            fn = env.get(node.func.id) if isinstance(node.func, ast.Name) else None
            if isinstance(fn, UserFunc) and isinstance(fn.node, ast.FunctionDef):
                params = [a.arg for a in fn.node.args.args]
                given = [*zip(params, node.args), *((k.arg, k.value) for k in node.keywords if k.arg)]
                named += [value for param, value in given if _adds_layers(fn.node, param)]
            for n in named:
                target = env.get(n.id) if isinstance(n, ast.Name) else None
                if isinstance(target, ModelObj) and target.broken is None:
                    target.broken = cause
        self.failures.append((self.steps, getattr(s, "lineno", 0), names, cause, self.makes_model(s, env)))
        # what the failed statement trains (a sweep's loop rebinding and fitting `model`): a use
        # of its unknown result, so that no earlier model is taken for the one trained last
        self.api.skipped([s], env)

    def makes_model(self, s: ast.stmt, env: Mapping[str, Any]) -> bool:
        """True when a statement makes a model: ``Model(...)``, ``Sequential(...)``, a model
        class of the file, or a function of the file that returns one."""
        for node in ast.walk(s):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("Model", "Sequential"):
                return True
            if name in ("load_model", "model_from_json", "clone_model"):
                return True
            v = env.get(name) if isinstance(f, ast.Name) else None
            if isinstance(v, Mod) and "applications" in v.path:
                return True
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) and f.value.attr == "applications":
                return True
            if isinstance(v, UserClass) and (v.kind == "model" or _builds_in_methods(v)):
                return True
            if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and any(
                    isinstance(n, ast.Call) and (getattr(n.func, "attr", None) or getattr(n.func, "id", None))
                    in ("Model", "Sequential") for n in ast.walk(v.node)):
                return True
        return False

    def failed_cause(self, s: ast.stmt, env: Mapping[str, Any]) -> ArchcalcError | None:
        """The error of the earliest failed statement whose names ``s`` reads."""
        causes = []
        for node in ast.walk(s):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                v = env.get(node.id)
                if isinstance(v, Unknown) and v.failed is not None:
                    causes.append(v.failed)
        if not causes:
            return None
        order = {id(f[3]): i for i, f in enumerate(self.failures)}
        return min(causes, key=lambda c: order.get(id(c), len(order)))

    def forget_targets(self, s: ast.stmt, env: dict[str, Any]) -> None:
        """After a failed statement that does not build the model: its targets are unknown."""
        targets: list[ast.expr] = []
        if isinstance(s, ast.Assign):
            targets = list(s.targets)
        elif isinstance(s, (ast.AnnAssign, ast.AugAssign)):
            targets = [s.target]
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            targets = [s.target]
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    env[n.id] = Unknown(n.id, getattr(s, "lineno", 0))

    def affects_model(self, body: list[ast.stmt], env: Mapping[str, Any]) -> bool:
        """True when statements build part of a model: they make or call layers, make models,
        or call add/compile/build on one (directly or through the file's own functions).
        Training, evaluation, prediction, losses, metrics, data and plotting calls do not."""
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            if isinstance(node, ast.Call) and self.call_builds(node, env):
                return True
        return False

    def call_builds(self, node: ast.Call, env: Mapping[str, Any]) -> bool:
        f = node.func
        if isinstance(f, ast.Call):
            return True  # Dense(8)(x)
        root: ast.expr = f
        while isinstance(root, ast.Attribute):
            root = root.value
        v = self.lookup(root.id, env, root) if isinstance(root, ast.Name) else None
        if isinstance(f, ast.Attribute) and f.attr in BUILD_METHODS:
            if isinstance(v, (ModelObj, Instance, LayerObj)) or (isinstance(v, Unknown) and v.undefined):
                return True
        if isinstance(v, Mod):
            path = modules.normalise(v.path)
            if isinstance(f, ast.Attribute):
                rest = [a.attr for a in _attrs(f)]
                path = modules.normalise((*path, *rest))
            return modules.is_keras(path) and (len(path) < 2 or path[1] not in INERT_KERAS)
        if isinstance(v, (ModelObj, Instance)):
            if isinstance(f, ast.Attribute):
                return f.attr in BUILD_METHODS
            # model(x) composes models only when x is a tensor; model(batch) in a loop is inference
            return any(isinstance(a, ast.Name) and isinstance(self.lookup(a.id, env, a), Tensor)
                       for a in node.args)
        if isinstance(v, LayerObj):
            return True
        if isinstance(v, UserClass):
            return v.kind in ("model", "layer")
        if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) and f is root:
            return self.function_builds(v, v.node)
        if isinstance(v, UserFunc):
            return True  # a lambda or a bound method: assume it may build
        return False

    def function_builds(self, v: UserFunc, node: ast.FunctionDef) -> bool:
        """True when one of the file's functions builds part of a model (remembered per function)."""
        key = id(node)
        memo = self.builds_memo
        if key not in memo:
            memo[key] = False  # a recursive function: decided by the rest of its body
            # its parameters hide the module's names (a parameter `generator` in a file that
            # also defines a builder function generator())
            a = node.args
            params = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if x]
            local = {p: Unknown(p, node.lineno) for p in params}
            memo[key] = self.affects_model(node.body, ChainMap(local, v.closure))  # type: ignore[arg-type]
        return memo[key]

    def forget_body(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        """Statements the reader skips (a loop over data): every name they assign or change
        is unknown afterwards; the models they train are recorded (see LibraryApi.skipped)."""
        self.api.skipped(body, env)
        line = getattr(body[0], "lineno", 0) if body else 0
        for node in ast.walk(ast.Module(body=body, type_ignores=[])):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
                targets = [node.target]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                targets = [node.func.value]
            for t in targets:
                while isinstance(t, (ast.Subscript, ast.Attribute, ast.Starred)):
                    t = t.value
                names = [t] if isinstance(t, ast.Name) else [n for n in ast.walk(t) if isinstance(n, ast.Name)]
                for n in names:
                    if isinstance(n, ast.Name) and not isinstance(self.lookup(n.id, env, n), (ModelObj, LayerObj,
                                                                                             Instance)):
                        env[n.id] = Unknown(n.id, line)

    def same_structure(self, a: list[ast.stmt], b: list[ast.stmt], env: dict[str, Any]) -> bool:
        """True when both branches build the same layers (they differ only in plain values)."""
        return bool(a) and ast.dump(ast.Module(body=a, type_ignores=[])) == ast.dump(
            ast.Module(body=b, type_ignores=[]))


def _attrs(f: ast.Attribute) -> list[ast.Attribute]:
    """The attribute chain of ``a.b.c`` from the root outwards: [a.b, a.b.c]."""
    chain: list[ast.Attribute] = []
    node: ast.expr = f
    while isinstance(node, ast.Attribute):
        chain.append(node)
        node = node.value
    return list(reversed(chain))


def _stored_names(s: ast.stmt) -> list[str]:
    """The names a statement binds (in its nested blocks too, not in functions it defines)."""
    out: list[str] = []
    stack: list[ast.AST] = [s]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not s:
            out.append(node.name)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.append(node.id)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


def _adds_layers(fn: ast.FunctionDef, param: str) -> bool:
    """True when a function changes the model it gets as ``param``: ``param.add(...)``,
    ``param.pop()``, ``param.build(...)`` in its body."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("add", "pop", "build")
               and isinstance(n.func.value, ast.Name) and n.func.value.id == param for n in ast.walk(fn))


def _builds_in_methods(cls: UserClass) -> bool:
    """True when a plain class of the file makes a model in its methods (``self._model =
    Model(inputs, outputs)`` in ``__init__``): making an object of it makes a model."""
    nodes = [cls.node] + [b.node for b in cls.bases if isinstance(b, UserClass)]
    return any(isinstance(n, ast.Call) and (getattr(n.func, "attr", None) or getattr(n.func, "id", None))
               in ("Model", "Sequential") for node in nodes if node is not None for n in ast.walk(node))
