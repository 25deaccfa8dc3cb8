"""Operators in the evaluator: arithmetic on numbers, named symbolic sizes and unknown values,
comparisons, boolean operators; an operator with a tensor or array operand goes to the library
side (``api.operator``). Every result is bounded (``checked``, ``check_operands``). Part of the
evaluator."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.errors import LimitError, SpecError
from archcalc.readers.python import plain
from archcalc.readers.python.values import (
    EvalError,
    LibraryValue,
    Unknown,
    UserFunc,
    describe,
    is_symbolic,
)

if TYPE_CHECKING:
    from archcalc.readers.python.evaluator_side import EvaluatorSide as _Side
else:
    _Side = object

MAX_SEQ = limits.MAX_SEQ
MAX_INT = limits.MAX_INT
MAX_FLOAT = limits.MAX_FLOAT
_text = plain.text_of

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


class OperatorsMixin(_Side):
    """Operator handling of the Evaluator."""

    # -- operators --------------------------------------------------------------------------

    def e_binop(self, e: ast.BinOp, env: dict[str, Any]) -> Any:
        return self.binop(e.op, self.expr(e.left, env), self.expr(e.right, env), e)

    def binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        library = isinstance(a, LibraryValue) or isinstance(b, LibraryValue)
        if library:
            got = self.api.operator(op, [a, b], e)  # a tensor op node, or an array's shape
            if got is not NotImplemented:
                return got
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return self.unknown_binop(op, a, b, e)
        if library or isinstance(a, UserFunc) or isinstance(b, UserFunc):
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
            a2 = self.symbol_for(a) if isinstance(a, Unknown) else a  # --set NAME pins it
            b2 = self.symbol_for(b) if isinstance(b, Unknown) else b
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
        if isinstance(v, LibraryValue):
            got = self.api.operator(e.op, [v], e)
            if got is not NotImplemented:
                return got
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

    def limit(self, message: str, e: ast.AST) -> SpecError:
        """A resource bound of the read itself: it always stops the read."""
        return LimitError(message, loc=self.at(getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        return EvalError(message, loc=self.at(getattr(e, "lineno", 0), getattr(e, "col_offset", 0) + 1))


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or is_symbolic(v)
