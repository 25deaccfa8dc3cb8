"""Python's builtins and the methods of lists, dicts, strings and tuples, on the reader's values
(part of the evaluator: plain Python only).

Each is a row in a table and a small function ``(ev, ...) -> value``; ``ev`` is the Evaluator
(its ``eval_error``, ``limit`` and ``checked`` bound what a call may build). A method function
returns NotImplemented when the call is not one the reader follows (``lst.insert(x)`` with one
argument): the call's value is then unknown.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import Any

from archcalc import limits
from archcalc.readers.python.values import (
    Instance,
    LibraryValue,
    Unknown,
    UserClass,
    is_symbolic,
)

MAX_SEQ = limits.MAX_SEQ
MAX_INT = limits.MAX_INT


def text_of(e: ast.AST, limit: int = 60) -> str:
    try:
        return ast.unparse(e)[:limit]
    except Exception:  # noqa: BLE001  (unparse of a hostile tree must not stop the read)
        return type(e).__name__


def hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def is_plain(v: Any) -> bool:
    """A value of plain Python the evaluator handles itself (not a library's subclass of one, not
    a tagged method tuple of the library side)."""
    if type(v) is tuple:
        return not (v and isinstance(v[0], str) and v[0] in LIBRARY_TAGS)
    return type(v) in (int, float, bool, str, type(None), list, dict, range)


#: tagged tuples that stand for a method of a library value (``("method", model, "fit")``)
LIBRARY_TAGS = frozenset({"method", "hpmethod", "imageflow", "argparse", "arraymethod", "layermethod",
                          "tensormethod", "instmethod", "supermethod", "framemethod", "frameindexer", "partial",
                          "super", "superobj", "initializer"})


# -- builtins ---------------------------------------------------------------------------------


def builtin(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``name(*args, **kwargs)`` of a Python builtin."""
    vals = [*args, *kwargs.values()]
    library = any(isinstance(a, LibraryValue) for a in vals)
    if library or name in LIBRARY_BUILTINS:  # open('config.json'), len(x_train): the library side's
        got = ev.api.call(("builtin", name), args, kwargs, e)
        if got is not NotImplemented:
            return got
    special = SPECIAL_BUILTINS.get(name)
    if special is not None:
        got = special(ev, name, args, kwargs, e)
        if got is not NotImplemented:
            return got
    if name in OPAQUE_BUILTINS:
        return Unknown(text_of(e), e.lineno)
    if library or any(isinstance(a, Unknown) for a in vals):
        return Unknown(text_of(e), e.lineno)
    if any(is_symbolic(a) for a in vals) or (name in ("min", "max") and any(is_symbolic(a) for a in _items(args))):
        return _symbolic_builtin(name, args, e)
    return _plain_builtin(ev, name, args, kwargs, e)


def _items(args: list[Any]) -> list[Any]:
    """min / max's items: its one argument's, when that is a list or tuple."""
    return list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else []


def _symbolic_builtin(name: str, args: list[Any], e: ast.Call) -> Any:
    """A builtin of a named size: int(n) is n; min / max are sympy's; anything else unknown."""
    if name in ("int", "round", "float", "abs") and len(args) == 1 and is_symbolic(args[0]):
        return args[0]
    if name in ("min", "max") and any(is_symbolic(a) for a in (args[0] if len(args) == 1 and isinstance(
            args[0], (list, tuple)) else args)):
        import sympy

        items = args[0] if len(args) == 1 else args
        return (sympy.Min if name == "min" else sympy.Max)(*items)
    return Unknown(text_of(e), e.lineno)


def _plain_builtin(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if name == "range":
        try:
            r = range(*args)
        except (TypeError, ValueError) as err:
            raise ev.eval_error(f"range(): {err}", e) from None
        return r  # lazy: a loop over it is skipped or counted step by step; making it a list is capped
    if any(isinstance(a, range) and len(a) > MAX_SEQ for a in args):
        raise ev.limit("range is too long", e)
    if name in ("int", "round") and args and isinstance(args[0], float) and not math.isfinite(args[0]):
        raise ev.eval_error(f"{name}() of {args[0]!r}", e)
    if name == "str" and args and isinstance(args[0], int) and abs(args[0]) > MAX_INT:
        raise ev.limit("number is too large", e)
    try:
        out = PLAIN_BUILTINS[name](*args, **kwargs)
    except (TypeError, ValueError, OverflowError, KeyError) as err:
        raise ev.eval_error(f"{name}(): {err}", e) from None
    if name in ("zip", "enumerate", "reversed"):
        out = list(out)
        if len(out) > MAX_SEQ:
            raise ev.limit("sequence is too long", e)
    return ev.checked(out, e)


def _print(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return None


def _len(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if len(args) != 1:
        return NotImplemented
    a = args[0]
    if isinstance(a, Unknown):
        return Unknown(f"len({a.what})", e.lineno)
    if isinstance(a, (list, tuple, str, dict, range)):
        return len(a)
    return Unknown(text_of(e), e.lineno)


def _set(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if len(args) <= 1 and not kwargs:
        distinct = _distinct(args[0] if args else ())
        if distinct is not None:
            return distinct  # set(text): its size is known (len(set(sample)) characters)
    return NotImplemented


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


def _isinstance(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
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


#: the builtin types ``isinstance`` is answered for, on plain values
_PLAIN_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int, "float": float, "str": str, "bool": bool, "list": list, "tuple": tuple,
    "dict": dict, "set": (set, frozenset), "frozenset": frozenset, "range": range,
}


def _subclass_of(cls: UserClass, other: UserClass) -> bool:
    return cls is other or any(isinstance(b, UserClass) and _subclass_of(b, other) for b in cls.bases)


def _super(ev: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return ("super", args)


Builtin = Callable[[Any, str, list[Any], dict[str, Any], ast.Call], Any]
#: builtins with a meaning of their own on the reader's values (NotImplemented: the general rule)
SPECIAL_BUILTINS: dict[str, Builtin] = {
    "print": _print, "len": _len, "set": _set, "frozenset": _set, "isinstance": _isinstance, "super": _super,
}
#: builtins the library side answers first for its own values (NotImplemented: as here)
LIBRARY_BUILTINS = frozenset({"open", "iter", "next", "len", "list"})
#: builtins whose value the reader never computes
OPAQUE_BUILTINS = frozenset({
    "getattr", "hasattr", "setattr", "type", "open", "input", "iter", "next", "vars", "id", "hash", "object",
    "repr", "format", "map", "filter", "set", "frozenset", "Exception", "ValueError", "TypeError",
    "NotImplementedError", "KeyError"})
#: builtins computed on plain values, as Python does
PLAIN_BUILTINS: dict[str, Any] = {
    "range": range, "int": int, "float": float, "str": str, "min": min, "max": max, "abs": abs, "round": round,
    "tuple": tuple, "list": list, "zip": zip, "enumerate": enumerate, "sum": sum, "reversed": reversed,
    "bool": bool, "dict": dict, "sorted": sorted, "any": any, "all": all, "divmod": divmod,
    "ord": ord, "chr": chr,
}

# -- methods of lists, dicts, strings and tuples ------------------------------------------------


def py_method(ev: Any, obj: Any, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """``obj.name(*args, **kwargs)`` of a list, dict, string or tuple (METHODS)."""
    for kind, table in METHODS:
        if isinstance(obj, kind):
            fn = table.get(name)
            got = fn(ev, obj, name, args, kwargs, e) if fn is not None else NotImplemented
            if got is not NotImplemented:
                return got
    return Unknown(f".{name}(...)", e.lineno)


Method = Callable[[Any, Any, str, list[Any], dict[str, Any], ast.Call], Any]


def _list_append(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    obj.append(args[0] if args else None)
    return None


def _list_extend(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    obj.extend(args[0] if args and isinstance(args[0], (list, tuple)) else [])
    return None


def _list_insert(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if len(args) == 2 and isinstance(args[0], int):
        obj.insert(args[0], args[1])
        return None
    return NotImplemented


def _list_pop(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    try:
        return obj.pop(*args[:1])
    except (IndexError, TypeError):
        raise ev.eval_error("pop from an empty list", e) from None


def _list_index(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if not args:
        return NotImplemented
    try:
        return obj.index(args[0])
    except ValueError:
        return Unknown(text_of(e), e.lineno)


def _list_copy(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return list(obj)


def _list_reverse(ev: Any, obj: list, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    obj.reverse()
    return None


def _dict_view(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return list(getattr(obj, name)())


def _dict_get(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    key = args[0] if args else None
    return obj.get(key, args[1] if len(args) > 1 else None) if hashable(key) else Unknown(text_of(e), e.lineno)


def _dict_update(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if args and isinstance(args[0], dict):
        obj.update(args[0])
        return None
    return NotImplemented


def _dict_copy(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return dict(obj)


def _dict_setdefault(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if args and hashable(args[0]):
        return obj.setdefault(args[0], args[1] if len(args) > 1 else None)
    return NotImplemented


def _dict_pop(ev: Any, obj: dict, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if args and hashable(args[0]):
        return obj.pop(args[0], args[1] if len(args) > 1 else None)
    return NotImplemented


def _str_case(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    return getattr(obj, name)() if not args else NotImplemented


def _str_format(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    try:
        return obj.format(*args, **kwargs)
    except (IndexError, KeyError, ValueError, TypeError):
        return Unknown(text_of(e), e.lineno)


def _str_affix(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if not (args and isinstance(args[0], (str, tuple))):
        return NotImplemented
    try:
        return getattr(obj, name)(args[0])
    except TypeError:
        return Unknown(text_of(e), e.lineno)


def _str_split(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    seps = [a for a in args if isinstance(a, str)]
    return obj.split(seps[0]) if seps else obj.split()


def _str_join(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if args and isinstance(args[0], (list, tuple)) and all(isinstance(x, str) for x in args[0]):
        return obj.join(args[0])
    return NotImplemented


def _str_replace(ev: Any, obj: str, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if len(args) == 2 and all(isinstance(a, str) for a in args):
        return ev.checked(obj.replace(args[0], args[1]), e)
    return NotImplemented


def _tuple_find(ev: Any, obj: tuple, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    if not args:
        return NotImplemented
    try:
        return getattr(obj, name)(args[0])
    except ValueError:
        return Unknown(text_of(e), e.lineno)


#: the methods the reader follows, by the type of the value they are called on (in this order)
METHODS: tuple[tuple[type, dict[str, Method]], ...] = (
    (list, {"append": _list_append, "extend": _list_extend, "insert": _list_insert, "pop": _list_pop,
            "index": _list_index, "copy": _list_copy, "reverse": _list_reverse}),
    (dict, {"keys": _dict_view, "values": _dict_view, "items": _dict_view, "get": _dict_get,
            "update": _dict_update, "copy": _dict_copy, "setdefault": _dict_setdefault, "pop": _dict_pop}),
    (str, {"lower": _str_case, "upper": _str_case, "strip": _str_case, "title": _str_case,
           "capitalize": _str_case, "format": _str_format, "startswith": _str_affix, "endswith": _str_affix,
           "split": _str_split, "join": _str_join, "replace": _str_replace}),
    (tuple, {"index": _tuple_find, "count": _tuple_find}),
)
#: the names of those methods (``x.append`` of a plain value is a method to call later)
PY_METHODS = frozenset(name for _, table in METHODS for name in table)
