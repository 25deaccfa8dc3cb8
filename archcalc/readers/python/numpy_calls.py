"""NumPy calls in the read, as plain functions: arrays made of a given shape (``np.zeros((60000,
784))``), steps on arrays of known shape (``np.expand_dims``, ``np.reshape``: data.py), and the few
value functions sizes are computed with (``NP_ON_VALUES``: ``np.prod``, ``np.sqrt``...). Methods
of arrays are library_values.py's (``array_method``, passed in).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from archcalc.readers.python import data, facts
from archcalc.readers.python.values import Array, Unknown, is_symbolic


def numpy_call(sub: tuple[str, ...], args: list[Any], kwargs: dict[str, Any], e: ast.Call,
               array_method: Callable[..., Any]) -> Any:
    """``np.<sub>(...)``: arrays made of a given shape, steps on arrays of known shape
    (np_on_array), and the few value functions sizes are computed with (np_on_values)."""
    name = sub[-1] if sub else ""
    first = args[0] if args else None
    if sub[:1] == ("random",) and name in ("rand", "randn"):
        return array_of(tuple(args), e)
    if name in ("zeros", "ones", "empty", "full", "random", "normal", "uniform", "randint", "random_sample"):
        shape = kwargs.get("size", kwargs.get("shape", first if name not in ("randint", "normal", "uniform")
                                              else (args[2] if len(args) > 2 else None)))
        return array_of(shape, e)
    if isinstance(first, Array):
        return np_on_array(first, name, args, kwargs, e, array_method)
    got = _np_on_values(name, first, args, kwargs)
    return got if got is not NotImplemented else Unknown(f"np.{'.'.join(sub)}(...)", e.lineno)


def np_on_array(first: Array, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call,
                array_method: Callable[..., Any]) -> Any:
    """``np.<name>(array, ...)`` of an array of known shape; the array's own method otherwise."""
    if name == "expand_dims":
        return data.expand_dims(first, args[1] if len(args) > 1 else kwargs.get("axis", -1))
    if name == "reshape":
        return data.reshape(first, args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape")),
                            e.lineno)
    if name in ("max", "amax") and len(args) == 1 and not kwargs:
        return data.max_label(first, e.lineno)
    if name == "unique":
        return data.unique(first, e.lineno)
    if name in ("argmax",) and first.onehot:
        return Array(first.shape[:-1], first.what, first.classes)
    if name in facts.SHAPE_PRESERVING or name in ("float32", "uint8", "int32"):
        return first
    if name in ("concatenate", "vstack"):
        return Unknown(f"np.{name}(...)", e.lineno)
    return array_method(first, name, list(args[1:]), kwargs, e)


def array_of(shape: Any, e: ast.Call) -> Any:
    """An array of the given shape (``np.zeros(shape)``), else an unknown value."""
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (list, tuple)) and all(isinstance(d, int) or is_symbolic(d) for d in shape):
        return Array(tuple(shape), ast.unparse(e)[:40])
    return Unknown(ast.unparse(e)[:60], e.lineno)


def _np_on_values(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.concatenate / stack of arrays of known shape, np.prod of sizes, np.sqrt of a number;
    NotImplemented otherwise (NP_ON_VALUES: one row per function)."""
    fn = NP_ON_VALUES.get(name)
    return fn(name, first, args, kwargs) if fn is not None else NotImplemented


def _np_join(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.concatenate / vstack / stack of arrays of known shape."""
    if not (isinstance(first, (list, tuple)) and first and all(isinstance(a, Array) for a in first)):
        return NotImplemented
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    a0 = first[0]
    if name == "stack":
        return Array((len(first), *a0.shape), a0.what)
    if axis == 0 and all(a.shape[1:] == a0.shape[1:] for a in first):
        n: Any = 0
        for a in first:
            n = n + a.shape[0] if isinstance(a.shape[0], int) and n is not None else None
        return Array((n, *a0.shape[1:]), a0.what, a0.classes, a0.onehot)
    return NotImplemented


def _np_prod(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.prod of sizes (numbers or named sizes)."""
    if not (isinstance(first, (list, tuple)) and all(isinstance(d, int) or is_symbolic(d) for d in first)):
        return NotImplemented
    p: Any = 1
    for d in first:
        p = p * d
    return p


def _np_number(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.float32(3) is 3; np.array of a number is the number, of a list of arrays one more axis."""
    if isinstance(first, (int, float)):
        return first
    if name in ("array", "asarray") and isinstance(first, (list, tuple)):
        stacked = data.list_array(first, f"np.{name}(...)")  # np.array(images): one more axis
        if stacked is not None:
            return stacked
    return NotImplemented


def _np_math(name: str, first: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """np.sqrt / ceil / floor / log2 of a number (not of a negative one where it has none)."""
    import math

    if not isinstance(first, (int, float)) or isinstance(first, bool):
        return NotImplemented
    if first < 0 and name in ("sqrt", "log2"):
        return NotImplemented
    return {"sqrt": math.sqrt, "ceil": math.ceil, "floor": math.floor, "log2": math.log2}[name](first)


#: NumPy functions computed on values the reader knows: name -> (name, first, args, kwargs) -> value
NP_ON_VALUES: dict[str, Callable[[str, Any, list[Any], dict[str, Any]], Any]] = {
    "concatenate": _np_join, "vstack": _np_join, "stack": _np_join, "prod": _np_prod, "product": _np_prod,
    **{n: _np_number for n in ("float32", "float64", "int32", "int64", "array", "asarray")},
    "sqrt": _np_math, "ceil": _np_math, "floor": _np_math, "log2": _np_math,
}
