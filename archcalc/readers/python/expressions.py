"""One handler per expression kind, and the calls of plain Python (builtins, list methods,
the file's own functions).

Arithmetic on an unknown value and a number gives a named symbolic size
(``n_features * 2`` is ``2*n_features``); arithmetic on tensors gives op nodes in the graph;
arithmetic on arrays keeps their shape.
"""

from __future__ import annotations

import ast
import contextlib
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from archcalc import limits
from archcalc.errors import LimitError, SpecError
from archcalc.readers.python import plain
from archcalc.readers.python.api import LibraryApi
from archcalc.readers.python.statements import yields
from archcalc.readers.python.values import (
    Array,
    EvalError,
    HyperParams,
    Instance,
    LayerObj,
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
    is_symbolic,
)

MAX_SEQ = limits.MAX_SEQ


def _too_long(e: ast.expr, n: int) -> Unknown | None:
    """A list, tuple or dict display of more than ``limits.MAX_LITERAL_ITEMS`` elements is not
    built (data written into the code, which no layer reads): an unknown value that says why."""
    if n <= limits.MAX_LITERAL_ITEMS:
        return None
    return Unknown(f"a literal of {n} elements (archcalc builds literals of up to {limits.MAX_LITERAL_ITEMS})",
                   e.lineno)
MAX_DEPTH = limits.MAX_CALL_DEPTH  # user-function call depth
MAX_INT = limits.MAX_INT
MAX_FLOAT = limits.MAX_FLOAT

BUILTINS = {"range", "len", "int", "float", "str", "min", "max", "abs", "round", "tuple", "list",
            "zip", "enumerate", "sum", "reversed", "bool", "dict", "sorted", "print", "isinstance",
            "super", "getattr", "hasattr", "setattr", "type", "map", "filter", "any", "all", "divmod",
            "open", "input", "format", "repr", "iter", "next", "set", "frozenset", "vars", "id", "hash",
            "object", "Exception", "ValueError", "TypeError", "NotImplementedError", "KeyError"}

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y,
}


_text = plain.text_of
_hashable = plain.hashable
PY_METHODS = plain.PY_METHODS
_plain = plain.is_plain


class ExpressionsMixin:
    """Expression handlers of the Evaluator."""

    #: the library side (Keras, NumPy, the file's classes): see api.py
    api: LibraryApi

    # provided by the Evaluator and StatementsMixin
    error: Callable[..., SpecError]
    tick: Callable[..., None]
    block: Callable[..., None]
    assign: Callable[..., None]
    lookup: Callable[..., Any]
    truth: Callable[..., Any]
    depth: int
    #: inside a generator function called for its batches (its first yield ends the call)
    yielding: bool
    overrides: dict[str, Any]
    used_overrides: set[str]
    at: Any
    path: str

    def expr(self, e: ast.expr, env: Mapping[str, Any]) -> Any:
        self.tick(e)
        handler = EXPRESSIONS.get(type(e))
        if handler is None:
            return Unknown(_text(e), getattr(e, "lineno", 0))
        return handler(self, e, env)  # type: ignore[arg-type]  # a Scope is a dict

    # -- literals and names -----------------------------------------------------------------

    def e_constant(self, e: ast.Constant, env: dict[str, Any]) -> Any:
        v = e.value
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INT:
            raise self.error("number is too large", e, None)
        if isinstance(v, float) and not math.isfinite(v):
            return v
        return v

    def e_name(self, e: ast.Name, env: dict[str, Any]) -> Any:
        return self.lookup(e.id, env, e)

    def e_tuple(self, e: ast.Tuple, env: dict[str, Any]) -> Any:
        return _too_long(e, len(e.elts)) or tuple(self.elements(e.elts, env))

    def e_list(self, e: ast.List, env: dict[str, Any]) -> Any:
        return _too_long(e, len(e.elts)) or list(self.elements(e.elts, env))

    def elements(self, elts: list[ast.expr], env: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        for x in elts:
            if isinstance(x, ast.Starred):
                v = self.expr(x.value, env)
                if isinstance(v, (list, tuple)):
                    out.extend(v)
                else:
                    out.append(Unknown(_text(x), x.lineno))
            else:
                out.append(self.expr(x, env))
        return out

    def e_set(self, e: ast.Set, env: dict[str, Any]) -> Any:
        return Unknown("a set", e.lineno)

    def e_dict(self, e: ast.Dict, env: dict[str, Any]) -> Any:
        if (long := _too_long(e, len(e.keys))) is not None:
            return long
        out: dict[Any, Any] = {}
        for k, v in zip(e.keys, e.values, strict=False):
            if k is None:
                extra = self.expr(v, env)
                if isinstance(extra, dict):
                    out.update(extra)
                    continue
                return Unknown("{**...}", e.lineno)
            key = self.expr(k, env)
            if isinstance(key, (Unknown, list, dict)) or not _hashable(key):
                return Unknown(_text(e), e.lineno)
            out[key] = self.expr(v, env)
        return out

    def e_joined_str(self, e: ast.JoinedStr, env: dict[str, Any]) -> Any:
        parts = []
        for v in e.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
            elif isinstance(v, ast.FormattedValue):
                x = self.expr(v.value, env)
                if isinstance(x, Unknown) or not isinstance(x, (int, float, str)) or isinstance(x, bool):
                    if isinstance(x, bool):
                        parts.append(str(x))
                        continue
                    return Unknown("f-string", e.lineno)
                spec = self.expr(v.format_spec, env) if v.format_spec else ""
                try:
                    parts.append(format(x, spec) if isinstance(spec, str) else str(x))
                except (ValueError, TypeError):
                    return Unknown("f-string", e.lineno)
            else:
                return Unknown("f-string", e.lineno)
        return "".join(parts)

    # -- operators --------------------------------------------------------------------------

    def e_binop(self, e: ast.BinOp, env: dict[str, Any]) -> Any:
        return self.binop(e.op, self.expr(e.left, env), self.expr(e.right, env), e)

    def binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        if isinstance(a, (Tensor, Array)) or isinstance(b, (Tensor, Array)):
            return self.api.operator(op, [a, b], e)  # a tensor op node, or an array's shape
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return self.unknown_binop(op, a, b, e)
        if isinstance(a, (LayerObj, ModelObj, Mod, UserFunc, UserClass, Instance)) or isinstance(
                b, (LayerObj, ModelObj, Mod, UserFunc, UserClass, Instance)):
            return Unknown(_text(e), getattr(e, "lineno", 0))
        fn = _BINOPS.get(type(op))
        if fn is None:
            raise self.eval_error(f"operator {type(op).__name__} is not supported", e)
        if is_symbolic(a) or is_symbolic(b):
            return self.symbolic_binop(op, a, b, e)
        self.check_operands(op, a, b, e)
        if isinstance(op, ast.Mod) and isinstance(a, str):
            try:
                return a % b
            except (TypeError, ValueError, KeyError):
                return Unknown("%-formatting", getattr(e, "lineno", 0))
        try:
            out = fn(a, b)
        except ZeroDivisionError:
            raise self.eval_error("division by zero", e) from None
        except (TypeError, ValueError, OverflowError) as err:
            raise self.eval_error(f"unsupported operation: {err}", e) from None
        return self.checked(out, e)

    def unknown_binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        """An operator with an unknown operand: a size computed from an unknown one and a number
        is a named symbol (``n_features * 2``); anything else is unknown."""
        other = b if isinstance(a, Unknown) else a
        unk = a if isinstance(a, Unknown) else b
        if _number(other) and type(op) in (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv) and not isinstance(other, bool):
            a2 = a.symbol() if isinstance(a, Unknown) else a
            b2 = b.symbol() if isinstance(b, Unknown) else b
            return self.binop(op, a2, b2, e)
        return Unknown(_text(e) if isinstance(e, ast.BinOp) else unk.what, getattr(e, "lineno", 0))

    def check_operands(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> None:
        """The bounds of an operation on plain values: a power, a shift or a repeated sequence
        too large to build stops the read (LimitError)."""
        if isinstance(op, ast.Pow) and _number(a) and _number(b):
            if not isinstance(b, (int, float)) or abs(b) > 64 or abs(a) > 2**16:
                raise self.limit("exponent too large", e)
        if isinstance(op, (ast.LShift,)) and isinstance(b, int) and b > 64:
            raise self.limit("shift too large", e)
        if isinstance(op, ast.Mult):
            for seq, n in ((a, b), (b, a)):
                if isinstance(seq, (list, tuple, str)) and isinstance(n, int) and len(seq) * n > MAX_SEQ:
                    raise self.limit("sequence is too long", e)

    def checked(self, out: Any, e: ast.AST) -> Any:
        if isinstance(out, int) and not isinstance(out, bool) and abs(out) > MAX_INT:
            raise self.limit("number is too large", e)
        if isinstance(out, float) and math.isfinite(out) and abs(out) > MAX_FLOAT:
            raise self.limit("number is too large", e)
        if isinstance(out, (list, tuple, str)) and len(out) > MAX_SEQ:
            raise self.limit("sequence is too long", e)
        return out

    def symbolic_binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        import sympy

        try:
            if isinstance(op, ast.Add):
                return a + b
            if isinstance(op, ast.Sub):
                return a - b
            if isinstance(op, ast.Mult):
                return a * b
            if isinstance(op, ast.FloorDiv):
                return sympy.floor(sympy.sympify(a) / b)
            if isinstance(op, ast.Div):
                return sympy.sympify(a) / b
            if isinstance(op, ast.Pow) and isinstance(b, int) and 0 <= b <= 8:
                return a ** b
            if isinstance(op, ast.Mod):
                return sympy.Mod(a, b)
        except (TypeError, ValueError, ZeroDivisionError):
            pass
        return Unknown(_text(e), getattr(e, "lineno", 0))

    def e_unary(self, e: ast.UnaryOp, env: dict[str, Any]) -> Any:
        v = self.expr(e.operand, env)
        if isinstance(e.op, ast.Not):
            t = self.truth(v)
            return t if isinstance(t, Unknown) else not t
        if isinstance(v, (Tensor, Array)):
            return self.api.operator(e.op, [v], e)
        if isinstance(v, Unknown):
            return v
        if is_symbolic(v):
            return -v if isinstance(e.op, ast.USub) else v
        if isinstance(v, (int, float)):
            ops: dict[type, Callable[[Any], Any]] = {ast.USub: operator.neg, ast.UAdd: operator.pos,
                                                    ast.Invert: operator.invert}
            if isinstance(e.op, ast.Invert) and isinstance(v, float):
                raise self.eval_error("bad operand for ~", e)
            return ops[type(e.op)](v)
        raise self.eval_error(f"cannot apply {type(e.op).__name__} to {describe(v)}", e)

    def e_boolop(self, e: ast.BoolOp, env: dict[str, Any]) -> Any:
        result: Any = None
        for x in e.values:
            result = self.expr(x, env)
            t = self.truth(result)
            if isinstance(t, Unknown):
                return t
            if isinstance(e.op, ast.And) and not t or isinstance(e.op, ast.Or) and t:
                return result
        return result

    def e_compare(self, e: ast.Compare, env: dict[str, Any]) -> Any:
        left = self.expr(e.left, env)
        for op, right_e in zip(e.ops, e.comparators, strict=False):
            right = self.expr(right_e, env)
            ok = self.compare(op, left, right, e)
            if isinstance(ok, Unknown):
                return ok
            if not ok:
                return False
            left = right
        return True

    def compare(self, op: ast.cmpop, a: Any, b: Any, e: ast.AST) -> Any:
        if isinstance(op, (ast.Is, ast.IsNot)):
            if a is None or b is None:
                if isinstance(a, Unknown) or isinstance(b, Unknown):
                    return Unknown(_text(e), getattr(e, "lineno", 0))
                same = a is b
                return same if isinstance(op, ast.Is) else not same
        simple = (int, float, str, bool, type(None), tuple, list, dict, range)
        if not isinstance(a, simple) or not isinstance(b, simple):
            if (is_symbolic(a) or is_symbolic(b)) and not isinstance(op, (ast.In, ast.NotIn)):
                try:
                    r = _COMPARE[type(op)](a, b)
                    return bool(r)
                except TypeError:
                    pass
            if isinstance(op, (ast.Eq, ast.NotEq)) and not isinstance(a, Unknown) and not isinstance(b, Unknown) \
                    and not is_symbolic(a) and not is_symbolic(b):
                same = a is b
                return same if isinstance(op, ast.Eq) else not same
            return Unknown(_text(e), getattr(e, "lineno", 0))
        try:
            return bool(_COMPARE[type(op)](a, b))
        except TypeError as err:
            if isinstance(op, (ast.In, ast.NotIn)):
                return Unknown(_text(e), getattr(e, "lineno", 0))
            raise self.eval_error(f"cannot compare: {err}", e) from None

    def e_ifexp(self, e: ast.IfExp, env: dict[str, Any]) -> Any:
        t = self.truth(self.expr(e.test, env))
        if isinstance(t, Unknown):
            a, b = self.expr(e.body, env), self.expr(e.orelse, env)
            if _plain_equal(a, b):
                return a
            return t
        return self.expr(e.body if t else e.orelse, env)

    def e_named(self, e: ast.NamedExpr, env: dict[str, Any]) -> Any:
        v = self.expr(e.value, env)
        self.assign(e.target, v, env, e)
        return v

    def e_lambda(self, e: ast.Lambda, env: dict[str, Any]) -> Any:
        return UserFunc(e, env, self.at, self.path)

    def e_starred(self, e: ast.Starred, env: dict[str, Any]) -> Any:
        raise self.eval_error("`*` unpacking is not supported here", e)

    # -- subscripts and attributes ----------------------------------------------------------

    def e_subscript(self, e: ast.Subscript, env: dict[str, Any]) -> Any:
        obj = self.expr(e.value, env)
        if isinstance(obj, Unknown):
            return Unknown(_text(e), e.lineno)
        if not _plain(obj):  # a tensor, an array, a table, a model...
            return self.api.subscript(obj, e, env)
        key = self.subscript_key(e.slice, env)
        if isinstance(key, Unknown):
            return Unknown(_text(e), e.lineno)
        return self.index(obj, key, e)

    def index(self, obj: Any, key: Any, e: ast.Subscript) -> Any:
        """``obj[key]`` of a value, with a key the reader knows."""
        if isinstance(obj, tuple) and isinstance(key, int) and not isinstance(key, bool):
            try:
                return obj[key]
            except IndexError:
                raise self.eval_error(f"index {key} is out of range for {describe(obj)}", e) from None
        try:
            return obj[key]
        except (KeyError, IndexError, TypeError, ValueError) as err:
            raise self.eval_error(f"cannot index {describe(obj)} with {describe(key)}: {type(err).__name__}",
                                  e) from None

    def subscript_key(self, s: ast.expr, env: dict[str, Any]) -> Any:
        if isinstance(s, ast.Slice):
            parts = [self.expr(p, env) if p is not None else None for p in (s.lower, s.upper, s.step)]
            if any(isinstance(p, Unknown) or is_symbolic(p) for p in parts):
                return Unknown(_text(s), getattr(s, "lineno", 0))
            if any(p is not None and not isinstance(p, int) for p in parts):
                return Unknown(_text(s), getattr(s, "lineno", 0))
            return slice(*parts)
        if isinstance(s, ast.Tuple):
            out = []
            for x in s.elts:
                k = self.subscript_key(x, env)
                if isinstance(k, Unknown):
                    return k
                out.append(k)
            return tuple(out)
        return self.expr(s, env)


    def e_attribute(self, e: ast.Attribute, env: dict[str, Any]) -> Any:
        return self.attribute_of(self.expr(e.value, env), e)

    def attribute_of(self, obj: Any, e: ast.Attribute) -> Any:
        if isinstance(obj, ModuleValue):  # a sibling module's name
            if e.attr in obj.env:
                return obj.env[e.attr]
            return Unknown(f"{obj.name}.{e.attr}", e.lineno, undefined=True)
        if _plain(obj):
            if isinstance(obj, (list, dict, tuple, str)) and e.attr in PY_METHODS:
                return ("pymethod", obj, e.attr)
            return Unknown(_text(e), e.lineno)
        return self.api.attribute(obj, e.attr, e)

    def e_comprehension(self, e: ast.ListComp | ast.GeneratorExp | ast.SetComp, env: dict[str, Any]) -> Any:
        out: list[Any] = []
        local = Scope({}, env)

        def loop(i: int) -> Any:
            if i == len(e.generators):
                out.append(self.expr(e.elt, local))
                return None
            gen = e.generators[i]
            it = self.expr(gen.iter, local)
            if isinstance(it, dict):
                it = list(it)
            if not isinstance(it, (list, tuple, range, str)):
                return Unknown("comprehension", e.lineno)
            for v in it:
                self.tick(e)
                self.assign(gen.target, v, local, e)
                conds = [self.truth(self.expr(c, local)) for c in gen.ifs]
                if any(isinstance(c, Unknown) for c in conds):
                    return Unknown("comprehension", e.lineno)
                if all(conds):
                    r = loop(i + 1)
                    if isinstance(r, Unknown):
                        return r
                if len(out) > MAX_SEQ:
                    raise self.limit("sequence is too long", e)
            return None

        r = loop(0)
        if isinstance(r, Unknown):
            return r
        return out

    def e_dictcomp(self, e: ast.DictComp, env: dict[str, Any]) -> Any:
        return Unknown("dict comprehension", e.lineno)

    # -- calls ------------------------------------------------------------------------------

    def e_call(self, e: ast.Call, env: dict[str, Any]) -> Any:
        func = self.expr(e.func, env)
        if isinstance(func, Unknown):
            return self.api.call_unknown(func, e, env)
        if isinstance(func, tuple) and func[:1] == ("builtin",) and func[1] == "print":
            return None
        args, kwargs, bad = self.call_args(e, env)
        if bad is not None:
            if isinstance(func, (Mod, LayerObj, ModelObj, UserFunc, UserClass, Instance)):
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
        try:
            if isinstance(f.node, ast.Lambda):
                return self.expr(f.node.body, scope)
            self.block(f.node.body, scope)
        except Return as r:
            return r.value
        except Yielded as y:  # a generator of batches: what its first yield gives
            return self.api.generated(y.value, f"{fname}()")
        finally:
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
                local[p] = HyperParams() if p == "hp" else Unknown(p, getattr(f.node, "lineno", 0))
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

    def limit(self, message: str, e: ast.AST) -> SpecError:
        """A resource bound of the read itself: it always stops the read."""
        return LimitError(message, loc=self.at(getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        return EvalError(message, loc=self.at(getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))


class Yielded(Exception):
    """The first value a generator function yields (see ``e_yield``)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function whose own body yields (not a function or class defined inside it)."""
    return yields(fn.body)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or is_symbolic(v)


def _plain_equal(a: Any, b: Any) -> bool:
    simple = (int, float, str, bool, type(None), tuple)
    return isinstance(a, simple) and isinstance(b, simple) and type(a) is type(b) and a == b


EXPRESSIONS: dict[type, Callable[[Any, Any, dict[str, Any]], Any]] = {
    ast.Constant: ExpressionsMixin.e_constant,
    ast.Name: ExpressionsMixin.e_name,
    ast.Tuple: ExpressionsMixin.e_tuple,
    ast.List: ExpressionsMixin.e_list,
    ast.Set: ExpressionsMixin.e_set,
    ast.Dict: ExpressionsMixin.e_dict,
    ast.JoinedStr: ExpressionsMixin.e_joined_str,
    ast.BinOp: ExpressionsMixin.e_binop,
    ast.UnaryOp: ExpressionsMixin.e_unary,
    ast.BoolOp: ExpressionsMixin.e_boolop,
    ast.Compare: ExpressionsMixin.e_compare,
    ast.IfExp: ExpressionsMixin.e_ifexp,
    ast.NamedExpr: ExpressionsMixin.e_named,
    ast.Lambda: ExpressionsMixin.e_lambda,
    ast.Starred: ExpressionsMixin.e_starred,
    ast.Subscript: ExpressionsMixin.e_subscript,
    ast.Attribute: ExpressionsMixin.e_attribute,
    ast.ListComp: ExpressionsMixin.e_comprehension,
    ast.GeneratorExp: ExpressionsMixin.e_comprehension,
    ast.SetComp: ExpressionsMixin.e_comprehension,
    ast.DictComp: ExpressionsMixin.e_dictcomp,
    ast.Call: ExpressionsMixin.e_call,
    ast.Yield: ExpressionsMixin.e_yield,
}
