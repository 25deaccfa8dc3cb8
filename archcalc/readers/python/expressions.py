"""One handler per expression kind, and the calls of plain Python (builtins, list methods,
the file's own functions).

Arithmetic on an unknown value and a number gives a named symbolic size
(``n_features * 2`` is ``2*n_features``); arithmetic on tensors gives op nodes in the graph;
arithmetic on arrays keeps their shape.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from archcalc import limits
from archcalc.errors import LimitError, SpecError
from archcalc.readers.python import data, frames
from archcalc.readers.python.statements import yields
from archcalc.readers.python.values import (
    AppCut,
    AppLayer,
    AppLayers,
    ArgParser,
    Array,
    EvalError,
    HyperParams,
    ImageGenerator,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Return,
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
            "object", "Exception", "ValueError", "TypeError", "NotImplementedError", "KeyError",
            "ord", "chr"}

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
    ast.LShift: operator.lshift, ast.RShift: operator.rshift,
}
#: Python operators on tensors -> keras.ops function names
TENSOR_OPS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "divide",
              ast.FloorDiv: "floor_divide", ast.Pow: "power", ast.MatMult: "matmul", ast.Mod: "mod"}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y,
}


def _text(e: ast.AST, limit: int = 60) -> str:
    try:
        return ast.unparse(e)[:limit]
    except Exception:  # noqa: BLE001  (unparse of a hostile tree must not stop the read)
        return type(e).__name__


class ExpressionsMixin:
    """Expression handlers of the Interpreter."""

    tensor_method: Callable[..., Any]

    multi_output: Callable[..., bool]

    error: Callable[..., SpecError]
    tick: Callable[..., None]
    block: Callable[..., None]
    assign: Callable[..., None]
    lookup: Callable[..., Any]
    truth: Callable[..., Any]
    keras_call: Callable[..., Any]
    library_call: Callable[..., Any]
    call_on: Callable[..., Any]
    model_layer: Callable[..., Any]
    model_method: Callable[..., Any]
    model_attribute: Callable[..., Any]
    layer_attribute: Callable[..., Any]
    tensor_attribute: Callable[..., Any]
    tensor_op: Callable[..., Any]
    tensor_subscript: Callable[..., Any]
    instantiate: Callable[..., Any]
    instance_attribute: Callable[..., Any]
    call_instance: Callable[..., Any]
    depth: int
    #: inside a generator function called for its batches (its first yield ends the call)
    yielding: bool
    #: the class defining each method being run (see Interpreter.super_method)
    owners: list[Any]
    app_cut_attribute: Callable[..., Any]
    symbol_for: Callable[..., Any]
    block_path: list[str]
    block_uses: dict[str, int]
    hyperparameters: dict[str, Any]
    opaque_layer: Callable[..., Any]
    external_calls: dict[tuple[str, int], Any]
    opaque_made: dict[tuple[str, int], Any]
    opaque_part: Callable[..., Any]
    cli_options: dict[str, Any]
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
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            name = TENSOR_OPS.get(type(op))
            if name is None:
                raise EvalError(f"operator {type(op).__name__} on a tensor is not supported", loc=self.at(
                    getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))
            return self.tensor_op(name, [a, b], {}, e)
        if isinstance(a, Array) or isinstance(b, Array):
            return self.array_binop(op, a, b, e)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            other = b if isinstance(a, Unknown) else a
            unk = a if isinstance(a, Unknown) else b
            if _number(other) and type(op) in (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv) and not isinstance(other, bool):
                # a size computed from an unknown one: carry it as a named symbol
                a2 = self.symbol_for(a) if isinstance(a, Unknown) else a  # --set NAME pins it
                b2 = self.symbol_for(b) if isinstance(b, Unknown) else b
                return self.binop(op, a2, b2, e)
            return Unknown(_text(e) if isinstance(e, ast.BinOp) else unk.what, getattr(e, "lineno", 0))
        if isinstance(a, (LayerObj, ModelObj, Mod, UserFunc, UserClass, Instance)) or isinstance(
                b, (LayerObj, ModelObj, Mod, UserFunc, UserClass, Instance)):
            return Unknown(_text(e), getattr(e, "lineno", 0))
        fn = _BINOPS.get(type(op))
        if fn is None:
            raise self.eval_error(f"operator {type(op).__name__} is not supported", e)
        if is_symbolic(a) or is_symbolic(b):
            return self.symbolic_binop(op, a, b, e)
        if isinstance(op, ast.Pow) and _number(a) and _number(b):
            if not isinstance(b, (int, float)) or abs(b) > 64 or abs(a) > 2**16:
                raise self.limit("exponent too large", e)
        if isinstance(op, (ast.LShift,)) and isinstance(b, int) and b > 64:
            raise self.limit("shift too large", e)
        if isinstance(op, ast.Mult):
            for seq, n in ((a, b), (b, a)):
                if isinstance(seq, (list, tuple, str)) and isinstance(n, int) and len(seq) * n > MAX_SEQ:
                    raise self.limit("sequence is too long", e)
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

    def array_binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        arr = a if isinstance(a, Array) else b
        other = b if arr is a else a
        if isinstance(other, (Array,)) or _number(other) or isinstance(other, Unknown):
            out = data.broadcast(a, b) if isinstance(other, Array) else arr
            return Array(out.shape, arr.what, arr.classes, arr.onehot, arr.ragged, arr.vocab)
        return Unknown(_text(e), getattr(e, "lineno", 0))

    def e_unary(self, e: ast.UnaryOp, env: dict[str, Any]) -> Any:
        v = self.expr(e.operand, env)
        if isinstance(e.op, ast.Not):
            t = self.truth(v)
            return t if isinstance(t, Unknown) else not t
        if isinstance(v, Tensor):
            if isinstance(e.op, ast.USub):
                return self.tensor_op("negative", [v], {}, e)
            if isinstance(e.op, ast.UAdd):
                return v
            raise self.eval_error("`~` on a tensor is not supported", e)
        if isinstance(v, (Unknown, Array)):
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
        if isinstance(obj, AppLayers):  # base.layers[:-10], base.layers[100:]: some of them
            whole = isinstance(e.slice, ast.Slice) and e.slice.lower is None and e.slice.upper is None
            return AppLayers(obj.model, whole and obj.whole) if isinstance(e.slice, ast.Slice) else \
                AppLayer(obj.model, False)
        if isinstance(obj, Unknown):
            return Unknown(_text(e), e.lineno)
        key = self.subscript_key(e.slice, env)
        if isinstance(key, Unknown):
            return Unknown(_text(e), e.lineno)
        if isinstance(obj, (frames.Frame, tuple)):  # a table of a CSV file (df[['a', 'b']], df.iloc[:, 1:])
            got = frames.subscript(obj, key, e.lineno)
            if got is not NotImplemented:
                return got
        if isinstance(obj, Tensor):
            if isinstance(key, (int, str)) and not isinstance(key, bool):
                part = self.opaque_part(obj, key, e)  # bert(ids)[1]: a part of an unread layer's output
                if part is not None:
                    return part
            if obj.index is None and isinstance(key, int) and not isinstance(key, bool) and self.multi_output(obj):
                return Tensor(obj.node, key)  # one output of a layer with several outputs
            return self.tensor_subscript(obj, key, e)
        if isinstance(obj, Array):
            if obj.ragged and isinstance(key, int):
                return Unknown(_text(e), e.lineno)
            return data.index(obj, key, e.lineno)
        if isinstance(obj, (ModelObj, LayerObj, Mod, UserFunc, UserClass)):
            return Unknown(_text(e), e.lineno)
        if isinstance(obj, Instance):
            return Unknown(_text(e), e.lineno)
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
        if isinstance(obj, Mod):
            return obj.attr(e.attr)
        if isinstance(obj, Unknown):
            return Unknown(f"{obj.what}.{e.attr}" if len(obj.what) < 60 else obj.what, obj.line or e.lineno)
        if isinstance(obj, ModelObj):
            return self.model_attribute(obj, e.attr, e)
        if isinstance(obj, LayerObj):
            return self.layer_attribute(obj, e.attr, e)
        if isinstance(obj, AppCut):
            return self.app_cut_attribute(obj, e.attr, e)
        if isinstance(obj, Tensor):
            return self.tensor_attribute(obj, e.attr, e)
        if isinstance(obj, Instance):
            return self.instance_attribute(obj, e.attr, e)
        if isinstance(obj, Array):
            return self.array_attribute(obj, e.attr, e)
        if isinstance(obj, data.Bunch):
            if e.attr in obj:
                return obj[e.attr]
            return Unknown(_text(e), e.lineno)
        if isinstance(obj, (list, dict, tuple, str)) and e.attr in PY_METHODS:
            return ("pymethod", obj, e.attr)
        if isinstance(obj, HyperParams):
            return ("hpmethod", obj, e.attr)
        if isinstance(obj, ImageGenerator):
            return ("imageflow", obj, e.attr)
        if isinstance(obj, ArgParser):
            return ("argparse", obj, e.attr)
        if isinstance(obj, UserClass):
            try:
                return obj.attribute(e.attr)  # CFG.IMG_SIZE: a class-level constant
            except KeyError:
                pass
            fn = obj.method(e.attr)  # LeNet.build(width=28, ...): a static or class method
            if fn is not None:
                owner = obj.owner_of(e.attr) or obj
                return UserFunc(fn, owner.closure or {}, owner.at, owner.path,
                                bound=obj if _is_classmethod(fn) else None, owner=owner)
            return Unknown(_text(e), e.lineno)
        return Unknown(_text(e), e.lineno)

    def array_attribute(self, a: Array, attr: str, e: ast.AST) -> Any:
        if attr == "shape":  # an axis of unknown size is a named size, as X.shape[1] of unread data is
            line = getattr(e, "lineno", 0)
            return tuple(Unknown(f"{a.what}.shape[{i}]", line) if d is None else d for i, d in enumerate(a.shape))
        if attr == "ndim":
            return len(a.shape)
        if attr == "size":
            n: Any = 1
            for d in a.shape:
                if not _number(d):
                    return Unknown(f"{a.what}.size", getattr(e, "lineno", 0))
                n = n * d
            return n
        if attr == "T":
            return Array(tuple(reversed(a.shape)), a.what)
        if attr in ("values", "data"):
            return a
        return ("arraymethod", a, attr)

    def e_comprehension(self, e: ast.ListComp | ast.GeneratorExp | ast.SetComp, env: dict[str, Any]) -> Any:
        from archcalc.readers.python.interpreter import Scope

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
            return self.unknown_call(func, e, env)
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

    def unknown_call(self, func: Unknown, e: ast.Call, env: dict[str, Any]) -> Any:
        """A call into code the reader does not know. Its arguments are still evaluated when
        they hold arrays (``scaler.fit_transform(X)`` keeps X's shape)."""
        if func.undefined and isinstance(e.func, ast.Name):
            # a call of a name the file never defines (a typo, or code elsewhere): used directly
            # it is reported as undefined; assigned, its variable names it
            return Unknown(func.what, func.line, undefined=True, source=f"{func.what}(...)", col=func.col)
        if (func.source or func.what, func.line) in self.external_calls or (func.what, func.line) in self.opaque_made:
            args, kwargs, bad = self.call_args(e, env)
            if bad is None and _reads_tensor(args, kwargs):
                return self.call_value(func, args, kwargs, e)  # a layer of a library archcalc does not read
        name = _text(e.func).rsplit(".", 1)[-1]
        from archcalc.readers.python import facts

        if name in facts.SHAPE_PRESERVING and e.args:
            first = self.expr(e.args[0], env)
            if isinstance(first, Array):
                return first
        if name == "reshape" and isinstance(e.func, ast.Attribute) and e.args:
            # data read elsewhere, reshaped to a known sample shape: x.reshape(-1, 28, 28, 1)
            dims = [self.expr(a, env) for a in e.args]
            if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
                dims = list(dims[0])
            rest = dims[1:]
            if rest and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in rest):
                n = dims[0] if isinstance(dims[0], int) and dims[0] > 0 else None
                return Array((n, *rest), _text(e.func.value))
        return Unknown(_text(e) if len(_text(e, 80)) < 60 else _text(e.func) + "(...)", e.lineno)

    def call_value(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if isinstance(func, tuple) and func and func[0] == "builtin":
            return self.builtin(func[1], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "method":
            return self.model_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "pymethod":
            return self.py_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "hpmethod":
            return self.hyperparameter(func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "imageflow":
            return data.image_flow(func[1], func[2], args, kwargs, e.lineno)
        if isinstance(func, tuple) and func and func[0] == "argparse":
            return self.argparse_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "arraymethod":
            return self.array_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "layermethod":
            return self.layer_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "tensormethod":
            return self.tensor_method(func[1], func[2], args, kwargs, e)
        if isinstance(func, tuple) and func and func[0] == "super":
            return ("superobj", func[1])
        if isinstance(func, Mod):
            return self.library_call(func, args, kwargs, e)
        if isinstance(func, LayerObj):
            return self.call_on(func, args, kwargs, e)
        if isinstance(func, ModelObj):
            out = self.call_on(self.model_layer(func, e), args, kwargs, e)
            if func.output_list and len(func.outputs) == 1 and isinstance(out, Tensor):
                return [out]  # Model(i, [x])(t) is a list of one tensor, as Keras gives it
            return out
        if isinstance(func, UserFunc):
            return self.call_user(func, args, kwargs, e)
        if isinstance(func, UserClass):
            return self.instantiate(func, args, kwargs, e)
        if isinstance(func, Instance):
            return self.call_instance(func, args, kwargs, e)
        if isinstance(func, Unknown) and _reads_tensor(args, kwargs):
            opaque = self.opaque_layer(func, e)  # hub.KerasLayer(...)(x): a layer archcalc cannot read
            if opaque is not None:
                x = args[0] if args else next(iter(kwargs.values()))
                return self.call_on(opaque, [x], {}, e)
        return Unknown(_text(e.func) + "(...)", e.lineno)

    def hyperparameter(self, method: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``hp.Int("units", 32, 512)``: the value Keras Tuner gives a builder by default (Int and
        Float: ``default``, else ``min_value``; Choice: ``default``, else the first of ``values``;
        Boolean: ``default``, else False; Fixed: its value), or the value ``--set units=`` pins."""
        name = args[0] if args else kwargs.get("name")
        params = {"Int": ("min_value", "max_value"), "Float": ("min_value", "max_value"), "Choice": ("values",),
                  "Boolean": (), "Fixed": ("value",)}
        if method not in params or not isinstance(name, str):
            return Unknown(_text(e), e.lineno)  # hp.get, hp.conditional_scope, ...
        if name in self.overrides:
            self.used_overrides.add(name)
            value = self.overrides[name]
        else:
            given = dict(zip(params[method], args[1:], strict=False)) | kwargs
            if method == "Fixed":
                value = given.get("value")
            elif given.get("default") is not None:
                value = given["default"]
            elif method == "Boolean":
                value = False
            elif method == "Choice":
                values = given.get("values")
                value = values[0] if isinstance(values, (list, tuple)) and values else Unknown(name, e.lineno)
            else:
                value = given.get("min_value", Unknown(name, e.lineno))
        self.hyperparameters.setdefault(name, value)
        return value

    def argparse_method(self, parser: ArgParser, method: str, args: list[Any], kwargs: dict[str, Any],
                        e: ast.Call) -> Any:
        """``add_argument("--units", type=int, default=64)`` declares an option; ``parse_args()``
        is a namespace of the defaults, as for the script run without arguments (a string
        default goes through ``type``, as argparse does), each pinned by ``--set DEST=VALUE``.
        A required option, or one without a default, is a named unknown."""
        if method in ("add_argument_group", "add_mutually_exclusive_group"):
            return parser
        if method == "set_defaults":
            for k, v in kwargs.items():
                if k in parser.options:
                    parser.options[k] = v
            return None
        if method == "add_argument":
            flags = [a for a in args if isinstance(a, str)]
            longs = [f for f in flags if f.startswith("--")]
            dest = kwargs.get("dest")
            if not isinstance(dest, str):
                first = longs[0] if longs else (flags[0] if flags else "")
                dest = first.lstrip("-").replace("-", "_")
            if not dest:
                return None
            action = kwargs.get("action")
            if "default" in kwargs:
                value = kwargs["default"]
            else:
                value = {"store_true": False, "store_false": True}.get(action) if isinstance(action, str) else None
            kind = kwargs.get("type")
            if isinstance(value, str) and isinstance(kind, tuple) and kind[:1] == ("builtin",) and \
                    kind[1] in ("int", "float"):
                try:
                    value = int(value) if kind[1] == "int" else float(value)
                except ValueError:
                    value = Unknown(f"args.{dest}", e.lineno)
            if value is None and (kwargs.get("required") is True or not any(f.startswith("-") for f in flags)):
                value = Unknown(f"args.{dest}", e.lineno)  # given on the command line only
            parser.options[dest] = value
            return None
        if method in ("parse_args", "parse_known_args"):
            values = {}
            for dest, value in parser.options.items():
                if dest in self.overrides:
                    self.used_overrides.add(dest)
                    value = self.overrides[dest]
                values[dest] = value
            self.cli_options.update({k: v for k, v in values.items() if not isinstance(v, Unknown)})
            ns = data.Bunch(values)
            return (ns, []) if method == "parse_known_args" else ns
        return Unknown(_text(e), e.lineno)

    def builtin(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "print":
            return None
        if name == "len" and len(args) == 1:
            a = args[0]
            if isinstance(a, Array):
                return a.shape[0] if a.shape and a.shape[0] is not None else Unknown(f"len({a.what})", e.lineno)
            if isinstance(a, Unknown):
                return Unknown(f"len({a.what})", e.lineno)
            if isinstance(a, (list, tuple, str, dict, range)):
                return len(a)
            return Unknown(_text(e), e.lineno)
        if name in ("set", "frozenset") and len(args) == 1 and isinstance(args[0], Array):
            return data.unique(args[0], e.lineno)  # the distinct labels
        if name in ("list", "sorted", "tuple") and len(args) == 1 and isinstance(args[0], Array):
            return args[0]
        if name == "isinstance":
            return _isinstance(args, e)
        if name in ("set", "frozenset") and len(args) <= 1 and not kwargs:
            distinct = _distinct(args[0] if args else ())
            if distinct is not None:
                return distinct  # set(text): its size is known (len(set(sample)) characters)
        if name == "super":
            return ("super", args)
        if name in ("getattr", "hasattr", "setattr", "type", "open", "input", "iter", "next", "vars", "id",
                    "hash", "object", "repr", "format", "map", "filter", "set", "frozenset", "Exception",
                    "ValueError", "TypeError", "NotImplementedError", "KeyError"):
            return Unknown(_text(e), e.lineno)
        vals = [*args, *kwargs.values()]
        if any(isinstance(a, Unknown) for a in vals):
            return Unknown(_text(e), e.lineno)
        if any(isinstance(a, (Array, Tensor, LayerObj, ModelObj, Instance, Mod)) for a in vals):
            return Unknown(_text(e), e.lineno)
        if name in ("int", "round", "float", "abs") and len(args) == 1 and is_symbolic(args[0]):
            return args[0] if name != "round" or len(args) == 1 else Unknown(_text(e), e.lineno)
        if name in ("min", "max") and any(is_symbolic(a) for a in (args[0] if len(args) == 1 and isinstance(
                args[0], (list, tuple)) else args)):
            import sympy

            items = args[0] if len(args) == 1 else args
            return (sympy.Min if name == "min" else sympy.Max)(*items)
        if any(is_symbolic(a) for a in vals):
            return Unknown(_text(e), e.lineno)
        fns: dict[str, Any] = {"range": range, "int": int, "float": float, "str": str, "min": min,
                               "max": max, "abs": abs, "round": round, "tuple": tuple, "list": list, "zip": zip,
                               "enumerate": enumerate, "sum": sum, "reversed": reversed, "bool": bool,
                               "dict": dict, "sorted": sorted, "any": any, "all": all, "divmod": divmod,
                               "ord": ord, "chr": chr}
        if name == "range":
            try:
                r = range(*args)
            except (TypeError, ValueError) as err:
                raise self.eval_error(f"range(): {err}", e) from None
            return r  # lazy: a loop over it is skipped or counted step by step; making it a list is capped
        if any(isinstance(a, range) and len(a) > MAX_SEQ for a in args):
            raise self.limit("range is too long", e)
        if name in ("int", "round") and args and isinstance(args[0], float) and not math.isfinite(args[0]):
            raise self.eval_error(f"{name}() of {args[0]!r}", e)
        if name == "str" and args and isinstance(args[0], int) and abs(args[0]) > MAX_INT:
            raise self.limit("number is too large", e)
        try:
            out = fns[name](*args, **kwargs)
        except (TypeError, ValueError, OverflowError, KeyError) as err:
            raise self.eval_error(f"{name}(): {err}", e) from None
        if name in ("zip", "enumerate", "reversed"):
            out = list(out)
            if len(out) > MAX_SEQ:
                raise self.limit("sequence is too long", e)
        return self.checked(out, e)

    def py_method(self, obj: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if isinstance(obj, list):
            if name == "append":
                obj.append(args[0] if args else None)
                return None
            if name == "extend":
                obj.extend(args[0] if args and isinstance(args[0], (list, tuple)) else [])
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.insert(args[0], args[1])
                return None
            if name == "pop":
                try:
                    return obj.pop(*args[:1])
                except (IndexError, TypeError):
                    raise self.eval_error("pop from an empty list", e) from None
            if name == "index" and args:
                try:
                    return obj.index(args[0])
                except ValueError:
                    return Unknown(_text(e), e.lineno)
            if name == "copy":
                return list(obj)
            if name == "reverse":
                obj.reverse()
                return None
        if isinstance(obj, dict):
            if name in ("keys", "values", "items"):
                return list(getattr(obj, name)())
            if name == "get":
                key = args[0] if args else None
                return obj.get(key, args[1] if len(args) > 1 else None) if _hashable(key) else Unknown(
                    _text(e), e.lineno)
            if name == "update" and args and isinstance(args[0], dict):
                obj.update(args[0])
                return None
            if name == "copy":
                return dict(obj)
            if name == "setdefault" and args and _hashable(args[0]):
                return obj.setdefault(args[0], args[1] if len(args) > 1 else None)
            if name == "pop" and args and _hashable(args[0]):
                return obj.pop(args[0], args[1] if len(args) > 1 else None)
        if isinstance(obj, str):
            if name in ("lower", "upper", "strip", "title", "capitalize") and not args:
                return getattr(obj, name)()
            if name == "format":
                try:
                    return obj.format(*args, **kwargs)
                except (IndexError, KeyError, ValueError, TypeError):
                    return Unknown(_text(e), e.lineno)
            if name in ("startswith", "endswith") and args and isinstance(args[0], (str, tuple)):
                try:
                    return getattr(obj, name)(args[0])
                except TypeError:
                    return Unknown(_text(e), e.lineno)
            if name == "split":
                seps = [a for a in args if isinstance(a, str)]
                return obj.split(seps[0]) if seps else obj.split()
            if name == "join" and args and isinstance(args[0], (list, tuple)) and all(isinstance(x, str) for x in args[0]):
                return obj.join(args[0])
            if name == "replace" and len(args) == 2 and all(isinstance(a, str) for a in args):
                return self.checked(obj.replace(args[0], args[1]), e)
        if isinstance(obj, tuple) and name in ("index", "count") and args:
            try:
                return getattr(obj, name)(args[0])
            except ValueError:
                return Unknown(_text(e), e.lineno)
        return Unknown(f".{name}(...)", e.lineno)

    def array_method(self, a: Array, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "reshape":
            shape = args[0] if len(args) == 1 else tuple(args)
            return data.reshape(a, kwargs.get("newshape", shape), e.lineno)
        if name in ("astype", "copy", "squeeze_none", "clip", "round", "flatten_none", "to_numpy", "numpy"):
            return a
        if name == "flatten" or name == "ravel":
            n: Any = 1
            for d in a.shape:
                if not _number(d):
                    return Array((None,), a.what, a.classes)
                n *= d
            return Array((n,), a.what, a.classes, a.onehot)
        if name == "max" and not args and not kwargs:
            return data.max_label(a, e.lineno)
        if name in ("mean", "std", "min", "sum") and not args and not kwargs:
            return Unknown(f"{a.what}.{name}()", e.lineno)
        if name == "transpose":
            axes = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
            if axes and all(isinstance(x, int) for x in axes) and len(axes) == len(a.shape):
                return Array(tuple(a.shape[i] for i in axes), a.what)
            return Array(tuple(reversed(a.shape)), a.what)
        return Unknown(f"{a.what}.{name}(...)", e.lineno)

    def layer_method(self, layer: LayerObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return Unknown(f"{layer.name}.{name}(...)", e.lineno)


    def call_user(self, f: UserFunc, args: list[Any], kwargs: dict[str, Any], e: ast.AST,
                  symbolic_missing: bool = False) -> Any:
        """Run one of the file's functions (its body, in its own scope)."""
        from archcalc.readers.python.interpreter import Scope

        if self.depth >= MAX_DEPTH:
            raise self.error(f"functions call each other more than {MAX_DEPTH} deep", e, None)
        fa = f.node.args
        fname = f.node.name if isinstance(f.node, ast.FunctionDef) else "lambda"
        params = [a.arg for a in (*fa.posonlyargs, *fa.args)]
        if f.bound is not None:
            args = [f.bound, *args]
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
        scope = Scope(local, f.closure)
        block = isinstance(f.node, ast.FunctionDef) and f.bound is None and _reads_tensor(args, kwargs)
        if block:
            use = self.block_uses.get(fname, 0) + 1
            self.block_uses[fname] = use
            self.block_path.append(f"{fname}_{use}")
        self.depth += 1
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
            return data.batches_of(y.value, f"{fname}()")
        finally:
            self.owners.pop()
            self.yielding = yielding
            self.depth -= 1
            self.at, self.path = outer_at, outer_path
            if block:
                self.block_path.pop()
        return None

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


def _is_classmethod(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "classmethod" for d in fn.decorator_list)


def _reads_tensor(args: list[Any], kwargs: dict[str, Any]) -> bool:
    """True when a call passes a tensor (or a list of them): the function is a block."""
    for v in (*args, *kwargs.values()):
        if isinstance(v, Tensor) or (isinstance(v, (list, tuple)) and any(isinstance(x, Tensor) for x in v)):
            return True
    return False


PY_METHODS = {"append", "keys", "values", "items", "extend", "insert", "pop", "index", "copy", "reverse",
              "get", "update", "setdefault", "lower", "upper", "strip", "title", "capitalize", "format",
              "startswith", "endswith", "split", "join", "replace", "count"}


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or is_symbolic(v)


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


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


#: the builtin types ``isinstance`` is answered for, on plain values
_PLAIN_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int, "float": float, "str": str, "bool": bool, "list": list, "tuple": tuple,
    "dict": dict, "set": (set, frozenset), "frozenset": frozenset, "range": range,
}


def _isinstance(args: list[Any], e: ast.Call) -> Any:
    """``isinstance(value, int)`` / ``(list, tuple)`` / a class of the file, where the value is
    known; anything else (a tensor, a size from data, a library's class) is not known."""
    unknown = Unknown("isinstance(...)", e.lineno)
    if len(args) != 2:
        return unknown
    value, spec = args
    specs = list(spec) if isinstance(spec, tuple) and not (spec and spec[0] == "builtin") else [spec]
    plain = (bool, int, float, str, list, tuple, dict, set, frozenset, range, type(None))
    answer = False
    for one in specs:
        if isinstance(one, tuple) and len(one) == 2 and one[0] == "builtin" and one[1] in _PLAIN_TYPES:
            if type(value) not in plain:
                return unknown
            answer = answer or isinstance(value, _PLAIN_TYPES[one[1]])
        elif isinstance(one, UserClass) and isinstance(value, Instance):
            answer = answer or _subclass_of(value.cls, one)
        elif isinstance(one, UserClass) and type(value) in plain:
            continue  # a plain value is no object of the file's classes
        else:
            return unknown
    return answer


def _subclass_of(cls: UserClass, other: UserClass) -> bool:
    return cls is other or any(isinstance(b, UserClass) and _subclass_of(b, other) for b in cls.bases)


class _Distinct(set):  # noqa: FURB189  (a set whose order is the order items were first seen)
    """``set(...)`` of plain values, iterated in the order its items were first seen: Python's
    own order for strings changes from run to run; sizes (``len``) are the same either way."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self.rank = {x: i for i, x in enumerate(items)}

    def __iter__(self) -> Any:  # items added later come after, in Python's order
        return iter(sorted(set.__iter__(self), key=lambda x: self.rank.get(x, len(self.rank))))


def _distinct(src: Any) -> _Distinct | None:
    if not isinstance(src, (str, list, tuple, range, dict, set, frozenset)):
        return None
    if len(src) > MAX_SEQ:
        return None
    items = list(src)
    if not all(isinstance(x, (str, int, float, bool, type(None), tuple)) for x in items):
        return None
    try:
        return _Distinct(list(dict.fromkeys(items)))
    except TypeError:  # a tuple holding something unhashable
        return None
