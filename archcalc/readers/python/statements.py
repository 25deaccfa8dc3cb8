"""One handler per statement kind (a dispatch table over ``ast`` node types).

The rule every handler follows: a statement whose values do not reach the model cannot stop the
read. A value-level failure (:class:`EvalError`) in a statement that builds no part of the
model leaves its targets unknown; a condition or loop that stays unknown only matters when its
body builds part of the model.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from archcalc.errors import ArchcalcError, LimitError
from archcalc.readers.python import modules
from archcalc.readers.python.api import Once, OverData
from archcalc.readers.python.isolation import IsolationMixin
from archcalc.readers.python.values import (
    Break,
    Continue,
    EvalError,
    Instance,
    LibraryValue,
    Mod,
    Return,
    Unknown,
    UserFunc,
    describe,
    is_symbolic,
)

#: a loop over more items than this whose body builds nothing is skipped (a loop over data)
LOOP_SKIP = 256

#: statements whose failure always stops the read (definitions, imports)
_NOT_ISOLATED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)

SPEC_HINT = "describe the model in a YAML spec, or analyse the live model with archcalc.analyze(model)"


class StatementsMixin(IsolationMixin):
    """Statement handlers of the Evaluator (fault isolation: isolation.py)."""

    def block(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        for stmt in body:
            self.stmt(stmt, env)

    def stmt(self, s: ast.stmt, env: dict[str, Any]) -> None:
        self.tick(s)
        handler = STATEMENTS.get(type(s))
        try:
            if handler is None:  # match and anything newer: only an error when it builds the model
                if self.affects_model([s], env):
                    raise self.error(f"`{type(s).__name__}` statements are not supported", s)
                return
            try:
                handler(self, s, env)
            except EvalError:
                if isinstance(s, (ast.FunctionDef, ast.ClassDef)) or self.affects_model([s], env):
                    raise
                self.forget_targets(s, env)
        except LimitError:
            raise
        except ArchcalcError as err:
            if env is not self.globals or isinstance(s, _NOT_ISOLATED):
                raise
            self.isolate(s, env, err)

    # -- handlers -------------------------------------------------------------------------

    def s_import(self, s: ast.Import, env: dict[str, Any]) -> None:
        for a in s.names:
            sibling = self.import_module(a.name, 0, s)
            if a.asname:
                env[a.asname] = sibling if sibling is not None else Mod(modules.normalise(tuple(a.name.split("."))))
            else:
                top = a.name.split(".")[0]
                env[top] = sibling if sibling is not None and "." not in a.name else Mod(modules.normalise((top,)))

    def s_import_from(self, s: ast.ImportFrom, env: dict[str, Any]) -> None:
        sibling = self.import_module(s.module, s.level, s)
        if sibling is not None:
            names = sibling.env
            for a in s.names:
                if a.name == "*":
                    for k, v in names.items():
                        if not k.startswith("_") and k not in ("True", "False", "None"):
                            env[k] = v
                    continue
                if a.name in names:
                    env[a.asname or a.name] = names[a.name]
                else:
                    sub = self.import_module(f"{s.module}.{a.name}" if s.module else a.name, s.level, s)
                    env[a.asname or a.name] = sub if sub is not None else Unknown(a.name, s.lineno, undefined=True)
            return
        if s.level:  # a relative import of a module that is not beside the file
            for a in s.names:
                if a.name != "*":
                    env[a.asname or a.name] = Unknown(f"{a.name} (from a module not found beside the file)", s.lineno)
            return
        mod = modules.normalise(tuple((s.module or "").split(".")))
        for a in s.names:
            if a.name == "*":
                self.api.import_star(mod, env)
                continue
            env[a.asname or a.name] = Mod(modules.normalise((*mod, a.name)))

    def s_assign(self, s: ast.Assign, env: dict[str, Any]) -> None:
        value = self.expr(s.value, env)
        for t in s.targets:
            self.assign(t, value, env, s)

    def s_ann_assign(self, s: ast.AnnAssign, env: dict[str, Any]) -> None:
        if s.value is not None:
            self.assign(s.target, self.expr(s.value, env), env, s)

    def s_aug_assign(self, s: ast.AugAssign, env: dict[str, Any]) -> None:
        if isinstance(s.target, ast.Name):
            cur = self.lookup(s.target.id, env, s.target)
            value = self.binop(s.op, cur, self.expr(s.value, env), s)
            self.assign(s.target, value, env, s)
        else:  # an attribute or an item: shape[-1] *= 2
            cur = self.expr(s.target, env)
            value = self.binop(s.op, cur, self.expr(s.value, env), s)
            self.assign(s.target, value, env, s)

    def s_expr(self, s: ast.Expr, env: dict[str, Any]) -> None:
        self.expr(s.value, env)

    def s_function(self, s: ast.FunctionDef, env: dict[str, Any]) -> None:
        env[s.name] = UserFunc(s, env, self.at, self.path)

    def s_async_function(self, s: ast.AsyncFunctionDef, env: dict[str, Any]) -> None:
        env[s.name] = Unknown(f"async def {s.name}", s.lineno)

    def s_class(self, s: ast.ClassDef, env: dict[str, Any]) -> None:
        env[s.name] = self.api.define_class(s, env)

    def s_return(self, s: ast.Return, env: dict[str, Any]) -> None:
        raise Return(self.expr(s.value, env) if s.value is not None else None)

    def s_if(self, s: ast.If, env: dict[str, Any]) -> None:
        test = self.truth(self.expr(s.test, env))
        if isinstance(test, Unknown):
            if self.affects_model(s.body, env) or self.affects_model(s.orelse, env):
                if self.same_structure(s.body, s.orelse, env):
                    self.block(s.body, env)
                    return
                raise self.error(
                    f"the model depends on a condition that is not known: {test.describe(self.at)}", s.test,
                    "the two branches build different models; pin the value with --set NAME=VALUE, "
                    "or make the condition a literal")
            # neither branch builds the model: names they assign are unknown afterwards
            self.forget_body(s.body + s.orelse, env)
            return
        self.block(s.body if test else s.orelse, env)

    def s_for(self, s: ast.For, env: dict[str, Any]) -> None:
        it = self.api.iterable(self.expr(s.iter, env), s, env)  # a tf.data dataset: its element, take(n) times
        if isinstance(it, Once):  # for layer in base.layers[:-10]: once, on all of them
            self.assign(s.target, it.item, env, s)
            try:
                self.block(s.body, env)
            except (Break, Continue):
                pass
            return
        if isinstance(it, OverData):  # rows of data: as a loop over an unknown value
            it = it.value
            data = True
        else:
            data = isinstance(it, Unknown) or is_symbolic(it)
        if data:
            if self.yielding and yields(s.body):  # a generator's batch loop: its first pass yields
                self.assign(s.target, Unknown(ast.unparse(s.target)[:60], s.lineno), env, s)
                self.first_pass(s.body, env)
            if self.affects_model(s.body, env):
                what = it.describe(self.at) if isinstance(it, Unknown) else describe(it)
                raise self.error(f"the number of layers depends on a loop over {what}", s.iter,
                                 "loop over range(n) with a known n (pin it with --set NAME=VALUE)")
            self.forget_body([s], env)
            return
        if isinstance(it, dict):
            it = list(it)
        if isinstance(it, range) or isinstance(it, (list, tuple, str)):
            items = it
        else:
            if self.affects_model(s.body, env):
                raise self.error(f"cannot loop over {describe(it)}", s.iter)
            self.forget_body([s], env)
            return
        if len(items) > LOOP_SKIP and not self.affects_model(s.body, env):
            self.forget_body([s], env)  # a loop over data: it changes no model
            return
        for v in items:
            self.tick(s)
            self.assign(s.target, v, env, s)
            try:
                self.block(s.body, env)
            except Break:
                return
            except Continue:
                continue
        self.block(s.orelse, env)

    def s_while(self, s: ast.While, env: dict[str, Any]) -> None:
        if self.yielding and yields(s.body):  # `while True:` of a generator: its first pass yields
            self.first_pass(s.body, env)
        if self.affects_model(s.body, env):
            raise self.error("a `while` loop builds part of the model", s,
                             "write it as `for i in range(n)`, or " + SPEC_HINT)
        self.forget_body(s.body, env)

    def first_pass(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        """Run a loop body once, for the value a generator yields (the yield ends the call)."""
        try:
            self.block(body, env)
        except (Break, Continue):
            pass

    def s_with(self, s: ast.With, env: dict[str, Any]) -> None:
        for item in s.items:
            ctx = self.expr(item.context_expr, env)
            if item.optional_vars is not None:
                entered = ctx if isinstance(ctx, Unknown) else self.api.entered(ctx, s)  # open('config.json')
                self.assign(item.optional_vars, Unknown(ast.unparse(item.context_expr)[:60], s.lineno)
                            if entered is None else entered, env, s)
        self.block(s.body, env)

    def s_try(self, s: ast.Try, env: dict[str, Any]) -> None:
        self.block(s.body, env)
        self.block(s.orelse, env)
        self.block(s.finalbody, env)

    def s_break(self, s: ast.stmt, env: dict[str, Any]) -> None:
        raise Break()

    def s_continue(self, s: ast.stmt, env: dict[str, Any]) -> None:
        raise Continue()

    def s_nothing(self, s: ast.stmt, env: dict[str, Any]) -> None:
        return None

    def s_delete(self, s: ast.Delete, env: dict[str, Any]) -> None:
        """``del d['key']``, ``del items[0]``, ``del obj.attr``, ``del name``: the value changes
        (a keyword dict passed on with ``**d`` afterwards no longer holds the key)."""
        for t in s.targets:
            if isinstance(t, ast.Name):
                env.pop(t.id, None)
            elif isinstance(t, ast.Subscript):
                obj = self.expr(t.value, env)
                key = self.subscript_key(t.slice, env)
                if isinstance(obj, dict) and not isinstance(key, Unknown):
                    try:
                        obj.pop(key, None)
                    except TypeError:  # an unhashable key: Python would fail, the dict stays
                        pass
                elif isinstance(obj, list) and isinstance(key, (int, slice)) and not isinstance(key, bool):
                    try:
                        del obj[key]
                    except IndexError:
                        pass
            elif isinstance(t, ast.Attribute):
                obj = self.expr(t.value, env)
                if isinstance(obj, Instance):
                    obj.attrs.pop(t.attr, None)

    def s_raise(self, s: ast.Raise, env: dict[str, Any]) -> None:
        return None  # a raise is an error path of the user's own code; reading goes on

    # -- what a statement does to the model -----------------------------------------------

    def truth(self, v: Any) -> Any:
        """A condition's value: True/False, or Unknown when the reader cannot tell."""
        if isinstance(v, Unknown):
            return v
        if is_symbolic(v):
            try:
                return bool(v)
            except TypeError:
                return Unknown(str(v), 0)
        if isinstance(v, LibraryValue):
            return self.api.truth(v)
        return bool(v)



STATEMENTS: dict[type, Callable[[Any, Any, dict[str, Any]], None]] = {
    ast.Import: StatementsMixin.s_import,
    ast.ImportFrom: StatementsMixin.s_import_from,
    ast.Assign: StatementsMixin.s_assign,
    ast.AnnAssign: StatementsMixin.s_ann_assign,
    ast.AugAssign: StatementsMixin.s_aug_assign,
    ast.Expr: StatementsMixin.s_expr,
    ast.FunctionDef: StatementsMixin.s_function,
    ast.AsyncFunctionDef: StatementsMixin.s_async_function,
    ast.ClassDef: StatementsMixin.s_class,
    ast.Return: StatementsMixin.s_return,
    ast.If: StatementsMixin.s_if,
    ast.For: StatementsMixin.s_for,
    ast.While: StatementsMixin.s_while,
    ast.With: StatementsMixin.s_with,
    ast.Try: StatementsMixin.s_try,
    ast.Break: StatementsMixin.s_break,
    ast.Continue: StatementsMixin.s_continue,
    ast.Raise: StatementsMixin.s_raise,
    ast.Pass: StatementsMixin.s_nothing,
    ast.Global: StatementsMixin.s_nothing,
    ast.Nonlocal: StatementsMixin.s_nothing,
    ast.Assert: StatementsMixin.s_nothing,
    ast.Delete: StatementsMixin.s_delete,
    ast.AsyncFor: StatementsMixin.s_nothing,
    ast.AsyncWith: StatementsMixin.s_nothing,
}
if hasattr(ast, "TryStar"):
    STATEMENTS[ast.TryStar] = StatementsMixin.s_try


def yields(body: list[ast.stmt]) -> bool:
    """Statements that yield (not in a function or class defined among them)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False
