"""The shared parser for Keras call syntax: ``Conv2D(32, (3, 3), activation='relu')``.

Text is parsed with :mod:`ast` and evaluated by a small interpreter that accepts only
literals (numbers, strings, booleans, None, tuples, lists, dicts), arithmetic on numbers,
names bound by the caller (block or spec parameters) and nested layer calls. Nothing is
ever executed.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from archcalc import limits
from archcalc.errors import SpecError

MAX_TEXT = limits.MAX_CALL_TEXT
MAX_INT = limits.MAX_INT


@dataclass
class CallError(Exception):
    """An error at a column (0-based) of the parsed text."""

    message: str
    col: int = 0
    hint: str | None = None


@functools.lru_cache(maxsize=4096)
def parse_expr(text: str) -> ast.expr:
    """Parse one expression; CallError on bad syntax. Cached: repeated entries (a generated
    spec, a block body) parse once; the trees are only read, never changed."""
    if len(text) > MAX_TEXT:
        raise CallError(f"entry is too long ({len(text)} characters)")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        col = (e.offset or 1) - 1
        raise CallError(f"invalid syntax: {e.msg}", col, hint="write the layer as in Python, e.g. Dense(64, activation='relu')") from None
    except (RecursionError, MemoryError, ValueError):
        raise CallError("expression is too deeply nested") from None
    # strip() may have moved columns; account for leading whitespace
    return tree.body


def leading_ws(text: str) -> int:
    return len(text) - len(text.lstrip())


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


def _is_number(v: Any) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool)) or hasattr(v, "free_symbols")


class Evaluator:
    """Evaluates argument expressions.

    ``names`` maps identifiers to values (parameters). ``make_layer(call_node)`` builds a
    nested layer from a Call node (for wrappers such as Bidirectional(LSTM(64))).
    """

    def __init__(
        self,
        names: Mapping[str, Any] | None = None,
        make_layer: Callable[[ast.Call], Any] | None = None,
    ) -> None:
        self.names = names or {}
        self.make_layer = make_layer

    def eval(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float, str, bool)) or node.value is None:
                if isinstance(node.value, int) and abs(node.value) > MAX_INT:
                    raise CallError("number is too large", node.col_offset)
                return node.value
            raise CallError(f"unsupported literal {node.value!r}", node.col_offset)
        if isinstance(node, ast.Tuple):
            return tuple(self.eval(e) for e in node.elts)
        if isinstance(node, ast.List):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                raise CallError("'**' is not supported", node.col_offset)
            return {self.eval(k): self.eval(v) for k, v in zip(node.keys, node.values)}  # type: ignore[arg-type]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = self.eval(node.operand)
            if not _is_number(v):
                raise CallError(f"cannot negate {v!r}", node.col_offset)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            a, b = self.eval(node.left), self.eval(node.right)
            if not (_is_number(a) and _is_number(b)):
                raise CallError("arithmetic is only allowed on numbers", node.col_offset)
            if isinstance(node.op, ast.Pow) and (not isinstance(b, int) or abs(b) > 64 or abs(a) > 2**16):
                raise CallError("exponent too large", node.col_offset)
            try:
                out = _BINOPS[type(node.op)](a, b)
            except ZeroDivisionError:
                raise CallError("division by zero", node.col_offset) from None
            except OverflowError:  # float ** float beyond 1.8e308
                raise CallError("number is too large", node.col_offset) from None
            if not limits.number_ok(out):
                raise CallError("number is too large", node.col_offset)
            return out
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            if node.id in ("true", "false", "null", "none"):
                fix = {"true": "True", "false": "False", "null": "None", "none": "None"}[node.id]
                raise CallError(f"unknown name '{node.id}'", node.col_offset, hint=f"write {fix}")
            from archcalc.errors import did_you_mean

            raise CallError(
                f"unknown name '{node.id}'",
                node.col_offset,
                hint=did_you_mean(node.id, self.names)
                or "values must be literals, or names declared under `params:`",
            )
        if isinstance(node, ast.Call):
            if self.make_layer is None:
                raise CallError("a layer call is not allowed here", node.col_offset)
            return self.make_layer(node)
        raise CallError(f"unsupported expression '{ast.unparse(node)}'", getattr(node, "col_offset", 0))

    def call_args(self, call: ast.Call) -> tuple[list[Any], dict[str, Any]]:
        args = []
        for a in call.args:
            if isinstance(a, ast.Starred):
                raise CallError("'*args' is not supported", a.col_offset)
            args.append(self.eval(a))
        kwargs: dict[str, Any] = {}
        for kw in call.keywords:
            if kw.arg is None:
                raise CallError("'**kwargs' is not supported", kw.value.col_offset)
            kwargs[kw.arg] = self.eval(kw.value)
        return args, kwargs


def func_name(call: ast.Call) -> str | None:
    """'Conv2D' for Conv2D(...), also for layers.Conv2D(...) and keras.layers.Conv2D(...)."""
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        base = f.value
        while isinstance(base, ast.Attribute):
            base = base.value
        # only dotted module paths (keras.layers.Dense), never attributes of call results
        return f.attr if isinstance(base, ast.Name) else None
    return None


def _ref(e: ast.AST) -> tuple[str, int | None]:
    """``a`` -> ("a", None); ``a[1]`` -> ("a", 1): one output of a multi-output layer."""
    if isinstance(e, ast.Name):
        return e.id, None
    if (isinstance(e, ast.Subscript) and isinstance(e.value, ast.Name)
            and isinstance(e.slice, (ast.Constant, ast.UnaryOp))):
        try:
            index = ast.literal_eval(e.slice)
        except ValueError:
            index = None
        if isinstance(index, int) and not isinstance(index, bool):
            return e.value.id, index
    raise CallError("inputs must be layer names, or name[i] for one output of a layer",
                    getattr(e, "col_offset", 0))


def ref_names(node: ast.AST) -> tuple[list[str], list[int | None], bool]:
    """The tensors a layer is called on, ``x``, ``x[1]`` or ``[a, b[0]]``:
    (names, output indices (None: the whole output), was_list)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        refs = [_ref(e) for e in node.elts]
        return [r[0] for r in refs], [r[1] for r in refs], True
    if isinstance(node, (ast.Name, ast.Subscript)):
        name, index = _ref(node)
        return [name], [index], False
    raise CallError(
        "a layer is called on a layer name or a list of names, e.g. Add()([a, b])",
        getattr(node, "col_offset", 0),
    )


def to_spec_error(e: CallError, loc: Any, text_offset: int = 0) -> SpecError:
    """Turn a column-relative CallError into a SpecError at the file location."""
    from archcalc.errors import Location

    if loc is not None and loc.line:
        loc = Location(loc.path, loc.line, loc.column + text_offset + e.col)
    return SpecError(e.message, loc=loc, hint=e.hint)
