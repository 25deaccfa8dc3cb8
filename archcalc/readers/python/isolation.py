"""Fault isolation and "does this build a model": the rule by which a statement whose values do
not reach the model cannot stop the read (part of the evaluator).

A value-level failure (:class:`EvalError`) in a statement that builds no part of the model
leaves its targets unknown (``forget_targets``); any other error in a module-level statement
makes the names it binds unknown, each carrying the error, and marks a model it changes as
broken (``isolate``). ``affects_model`` decides what builds a model: it follows the file's own
functions itself and asks the library side about every other callee (``api.call_builds``:
layers, models, their ``add``/``compile``/``build``); a loop or branch that builds nothing is
skipped (``forget_body``).
"""

from __future__ import annotations

import ast
from collections import ChainMap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError
from archcalc.readers.python.values import LibraryValue, Unknown, UserFunc

if TYPE_CHECKING:
    from archcalc.readers.python.evaluator_side import EvaluatorSide as _Side
else:
    _Side = object

#: methods that change the object they are called on
MUTATORS = {"append", "extend", "insert", "update", "add", "pop", "remove", "clear", "setdefault",
            "sort", "reverse", "discard"}


class IsolationMixin(_Side):
    """Fault isolation of the Evaluator, and what a statement does to the model."""

    def isolate(self, s: ast.stmt, env: dict[str, Any], err: ArchcalcError) -> None:
        """Fault isolation: a module-level statement that fails makes the names it binds unknown,
        each carrying the error (the root cause, when it read a name an earlier failure left),
        and marks a model it changes (``model.add(...)``) as broken; the read goes on, and only
        a model that needs them reports the error (see model_choice.pick_model)."""
        cause = self.failed_cause(s, env) or err
        names = list(dict.fromkeys(_stored_names(s)))
        made = self.api.statement_failed(s, env, cause)  # models it changed half-way are broken
        for name in names:
            env[name] = Unknown(name, getattr(s, "lineno", 0), failed=cause, of=made)
        self.failures.append((self.steps, getattr(s, "lineno", 0), names, cause, self.api.makes_model(s, env)))
        # what the failed statement trains (a sweep's loop rebinding and fitting `model`): a use
        # of its unknown result, so that no earlier model is taken for the one trained last
        self.api.skipped([s], env)

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
        if isinstance(v, UserFunc):  # the file's own function: does its body build?
            if isinstance(v.node, ast.FunctionDef) and f is root:
                return self.function_builds(v, v.node)
            return True  # a lambda or a bound method: assume it may build
        if isinstance(v, (LibraryValue, Unknown)):
            return self.api.call_builds(v, node, env)
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
                    if isinstance(n, ast.Name) and not self.api.survives_skip(self.lookup(n.id, env, n)):
                        env[n.id] = Unknown(n.id, line)

    def same_structure(self, a: list[ast.stmt], b: list[ast.stmt], env: dict[str, Any]) -> bool:
        """True when both branches build the same layers (they differ only in plain values)."""
        return bool(a) and ast.dump(ast.Module(body=a, type_ignores=[])) == ast.dump(
            ast.Module(body=b, type_ignores=[]))


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
