"""Calls in the evaluator: the arguments of a call, plain Python's callees (builtins, methods of
lists, dicts and strings: plain.py) and the file's own functions, run in their own scope; any
other callee goes to the library side (``api.call``). Part of the evaluator."""

from __future__ import annotations

import ast
import contextlib
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.readers.python import plain
from archcalc.readers.python.statements import yields
from archcalc.readers.python.values import (
    LibraryValue,
    Locator,
    ModuleValue,
    Return,
    Scope,
    Unknown,
    UserFunc,
)

if TYPE_CHECKING:
    from archcalc.readers.python.evaluator_side import EvaluatorSide as _Side
else:
    _Side = object

MAX_SEQ = limits.MAX_SEQ
MAX_DEPTH = limits.MAX_CALL_DEPTH  # user-function call depth
_text = plain.text_of


class CallsMixin(_Side):
    """Call handling of the Evaluator."""

    # declared in evaluator_side.EvaluatorSide; repeated here because call_user assigns them, and
    # mypy loses a Protocol attribute's type when a subclass method assigns it (mypy issue 19862)
    at: Locator
    path: str
    yielding: bool

    # -- calls ------------------------------------------------------------------------------

    def e_call(self, e: ast.Call, env: dict[str, Any]) -> Any:
        func = self.expr(e.func, env)
        if isinstance(func, Unknown):
            return self.api.call_unknown(func, e, env)
        if isinstance(func, tuple) and func[:1] == ("builtin",) and func[1] == "print":
            return None
        args, kwargs, bad = self.call_args(e, env)
        if bad is not None:
            if isinstance(func, (LibraryValue, UserFunc)):
                # `f(*unknown)` on a model-building call: the arguments matter
                raise self.error(f"the arguments of this call are not known: {bad.describe(self.at)}", e)
            return bad
        return self.call_value(func, args, kwargs, e)

    def call_args(self, e: ast.Call, env: dict[str, Any]) -> tuple[list[Any], dict[str, Any], Unknown | None]:
        args: list[Any] = []
        for a in e.args:
            if isinstance(a, ast.Starred):
                v = self.expr(a.value, env)
                if isinstance(v, (list, tuple)):
                    args.extend(v)
                elif isinstance(v, range) and len(v) <= MAX_SEQ:
                    args.extend(v)
                else:
                    return [], {}, v if isinstance(v, Unknown) else Unknown(_text(a), a.lineno)
            else:
                args.append(self.expr(a, env))
        kwargs: dict[str, Any] = {}
        for kw in e.keywords:
            v = self.expr(kw.value, env)
            if kw.arg is None:
                if isinstance(v, dict) and all(isinstance(k, str) for k in v):
                    kwargs.update(v)
                    continue
                return [], {}, v if isinstance(v, Unknown) else Unknown("**" + _text(kw.value), e.lineno)
            kwargs[kw.arg] = v
        return args, kwargs, None

    def call_value(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call of a value: plain Python here (builtins, methods of lists, dicts and strings,
        the file's functions), anything else on the library side (LibraryApi.call)."""
        if isinstance(func, tuple) and func and func[0] == "builtin":
            return self.builtin(func[1], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "pymethod":
            return self.py_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "super":
            return ("superobj", func[1])
        if isinstance(func, UserFunc):
            return self.call_user(func, args, kwargs, e)
        if isinstance(func, ModuleValue):
            return Unknown(f"{func.name}(...)", e.lineno)
        return self.api.call(func, args, kwargs, e)

    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return plain.builtin(self, name, args, kwargs, e)

    def py_method(self, obj: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return plain.py_method(self, obj, name, args, kwargs, e)

    def call_user(self, f: UserFunc, args: list[Any], kwargs: dict[str, Any], e: ast.AST,
                  symbolic_missing: bool = False) -> Any:
        """Run one of the file's functions (its body, in its own scope)."""
        if self.depth >= MAX_DEPTH:
            raise self.error(f"functions call each other more than {MAX_DEPTH} deep", e, None)
        fname = f.node.name if isinstance(f.node, ast.FunctionDef) else "lambda"
        if f.bound is not None:
            args = [f.bound, *args]
        scope = Scope(self.bind_arguments(f, fname, args, kwargs, e, symbolic_missing), f.closure)
        running = self.api.running(fname, args, kwargs) if isinstance(f.node, ast.FunctionDef) and f.bound is None \
            else contextlib.nullcontext()
        running.__enter__()
        self.depth += 1
        outer_at, outer_path = self.at, self.path
        if f.at is not None:
            self.at, self.path = f.at, f.path or self.path
        generator = isinstance(f.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_generator(f.node)
        yielding, self.yielding = self.yielding, generator
        self.owners.append(f.owner)
        try:
            if isinstance(f.node, ast.Lambda):
                return self.expr(f.node.body, scope)
            self.block(f.node.body, scope)
        except Return as r:
            return r.value
        except Yielded as y:  # a generator of batches: what its first yield gives
            return self.api.generated(y.value, f"{fname}()")
        finally:
            self.owners.pop()
            self.yielding = yielding
            self.depth -= 1
            self.at, self.path = outer_at, outer_path
            running.__exit__(None, None, None)
        return None

    def bind_arguments(self, f: UserFunc, fname: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST,
                       symbolic_missing: bool) -> dict[str, Any]:
        """A call's arguments bound to the function's parameters, as Python binds them (defaults
        evaluated in the function's own file); with ``symbolic_missing``, a parameter not given
        is a named unknown size (a builder read without a call)."""
        fa = f.node.args
        params = [a.arg for a in (*fa.posonlyargs, *fa.args)]
        local = self.parameter_defaults(f, params)
        if len(args) > len(params):
            if fa.vararg is None:
                raise self.eval_error(f"{fname}() takes {len(params)} positional argument(s), got {len(args)}", e)
            local[fa.vararg.arg] = tuple(args[len(params):])
        elif fa.vararg is not None:
            local[fa.vararg.arg] = ()
        for p, v in zip(params, args, strict=False):
            local[p] = v
        extra = {}
        kwonly = [a.arg for a in fa.kwonlyargs]
        for k, v in kwargs.items():
            if k in params or k in kwonly:
                local[k] = v
            elif fa.kwarg is not None:
                extra[k] = v
            else:
                raise self.eval_error(f"{fname}() got an unexpected keyword argument '{k}'", e)
        if fa.kwarg is not None:
            local[fa.kwarg.arg] = extra
        missing = [p for p in params + kwonly if p not in local]
        if missing:
            if not symbolic_missing:
                raise self.eval_error(f"{fname}() is missing the argument '{missing[0]}'", e)
            for p in missing:  # a builder read without a call: its required parameters are unknown
                # (Keras Tuner's ``def build_model(hp)``: hp gives each hyperparameter's default)
                line = getattr(f.node, "lineno", 0)
                given = self.api.unbound_parameter(p, line)
                local[p] = Unknown(p, line) if given is None else given
        return local

    def parameter_defaults(self, f: UserFunc, params: list[str]) -> dict[str, Any]:
        """The values of a function's parameter defaults, evaluated where it is defined."""
        fa = f.node.args
        local: dict[str, Any] = {}
        outer_at, outer_path = self.at, self.path
        if f.at is not None:
            self.at, self.path = f.at, f.path or self.path
        try:
            defaults = fa.defaults
            for p, d in zip(params[len(params) - len(defaults):], defaults, strict=False):
                local[p] = self.expr(d, f.closure)
            for a, kd in zip(fa.kwonlyargs, fa.kw_defaults, strict=False):
                if kd is not None:
                    local[a.arg] = self.expr(kd, f.closure)
        finally:
            self.at, self.path = outer_at, outer_path
        return local

    def e_yield(self, e: ast.Yield, env: dict[str, Any]) -> Any:
        """Inside a generator called for its batches, the first yield ends the call."""
        value = self.expr(e.value, env) if e.value is not None else None
        if self.yielding:
            raise Yielded(value)
        return Unknown(_text(e), e.lineno)


class Yielded(Exception):
    """The first value a generator function yields (see ``e_yield``)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function whose own body yields (not a function or class defined inside it)."""
    return yields(fn.body)
