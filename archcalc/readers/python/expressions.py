"""One handler per expression kind, and the calls of plain Python (builtins, list methods,
the file's own functions).

Arithmetic on an unknown value and a number gives a named symbolic size
(``n_features * 2`` is ``2*n_features``); arithmetic on tensors gives op nodes in the graph;
arithmetic on arrays keeps their shape.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import Any

from archcalc import limits
from archcalc.readers.python import plain
from archcalc.readers.python.calls import CallsMixin
from archcalc.readers.python.operators import OperatorsMixin
from archcalc.readers.python.values import (
    ModuleValue,
    Scope,
    Unknown,
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
            "object", "Exception", "ValueError", "TypeError", "NotImplementedError", "KeyError",
            "ord", "chr"}



_text = plain.text_of
_hashable = plain.hashable
PY_METHODS = plain.PY_METHODS
_plain = plain.is_plain


class ExpressionsMixin(OperatorsMixin, CallsMixin):
    """Expression handlers of the Evaluator."""

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
    ast.BinOp: OperatorsMixin.e_binop,
    ast.UnaryOp: OperatorsMixin.e_unary,
    ast.BoolOp: OperatorsMixin.e_boolop,
    ast.Compare: OperatorsMixin.e_compare,
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
    ast.Call: CallsMixin.e_call,
    ast.Yield: CallsMixin.e_yield,
}
