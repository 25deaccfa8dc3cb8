"""pandas tables known by their columns (from a CSV file's header): what a program selects.

A :class:`Frame` is ``pd.read_csv('train.csv')`` with the columns of the file's first line and
a row count that stays a named size. The steps programs take before a model sees the data
(``df.drop('label', axis=1)``, ``df[['a', 'b']]``, ``df.iloc[:, :-1]``, ``.values``) keep
the columns known; anything else gives an unknown value, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archcalc.readers.python.values import Array, LibraryValue, Unknown, symbol

#: methods that give the same columns back
SAME_COLUMNS = {"copy", "dropna", "fillna", "astype", "sample", "reset_index", "head", "tail", "sort_values",
                "replace", "interpolate", "ffill", "bfill", "abs", "clip", "round", "shuffle", "drop_duplicates"}


@dataclass
class Frame(LibraryValue):
    """A table read from a CSV header: its column names and where it came from."""

    columns: list[str]
    what: str

    def rows(self) -> Any:
        return symbol(f"len({self.what})")

    def array(self) -> Array:
        return Array((self.rows(), len(self.columns)), f"{self.what}.values")

    def series(self, column: str) -> Array:
        return Array((self.rows(),), f"{self.what}[{column!r}]")


def attribute(frame: Frame, attr: str, line: int) -> Any:
    if attr == "columns":
        return list(frame.columns)
    if attr == "shape":
        return (frame.rows(), len(frame.columns))
    if attr == "values":
        return frame.array()
    if attr in ("iloc", "loc"):
        return ("frameindexer", frame, attr)
    if attr in SAME_COLUMNS or attr in ("drop", "to_numpy", "pop"):
        return ("framemethod", frame, attr)
    if attr in frame.columns:
        return frame.series(attr)
    return Unknown(f"{frame.what}.{attr}", line)


def method(frame: Frame, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
    if name == "to_numpy":
        return frame.array()
    if name in SAME_COLUMNS:
        return Frame(list(frame.columns), frame.what)
    if name == "pop" and args and args[0] in frame.columns:
        frame.columns.remove(args[0])
        return frame.series(args[0])
    if name == "drop":
        labels = kwargs.get("columns", args[0] if args else kwargs.get("labels"))
        axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
        if "columns" not in kwargs and axis not in (1, "columns"):
            return Frame(list(frame.columns), frame.what)  # rows dropped: the same columns
        names = [labels] if isinstance(labels, str) else labels
        if isinstance(names, (list, tuple)) and all(isinstance(n, str) and n in frame.columns for n in names):
            return Frame([c for c in frame.columns if c not in names], frame.what)
    return Unknown(f"{frame.what}.{name}(...)", line)


def subscript(obj: Any, key: Any, line: int) -> Any:
    """``df['a']``, ``df[['a', 'b']]``, ``df.iloc[:, :-1]``, ``df.loc[:, ['a']]``; NotImplemented
    for other values."""
    if isinstance(obj, Frame):
        if isinstance(key, str) and key in obj.columns:
            return obj.series(key)
        if _names_of(obj, key):
            return Frame(list(key), obj.what)
        return Unknown(f"{obj.what}[...]", line)
    if isinstance(obj, tuple) and len(obj) == 3 and obj[0] == "frameindexer":
        frame, kind = obj[1], obj[2]
        cols = key[1] if isinstance(key, tuple) and len(key) == 2 else slice(None)
        got = _iloc(frame, cols) if kind == "iloc" else _loc(frame, cols)
        return got if got is not None else Unknown(f"{frame.what}.{kind}[...]", line)
    return NotImplemented


def _names_of(frame: Frame, key: Any) -> bool:
    return isinstance(key, list) and all(isinstance(k, str) and k in frame.columns for k in key)


def _iloc(frame: Frame, cols: Any) -> Any:
    if isinstance(cols, slice):
        return Frame(frame.columns[cols], frame.what)
    if isinstance(cols, int) and not isinstance(cols, bool) and -len(frame.columns) <= cols < len(frame.columns):
        return frame.series(frame.columns[cols])
    if isinstance(cols, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in cols) \
            and all(-len(frame.columns) <= i < len(frame.columns) for i in cols):
        return Frame([frame.columns[i] for i in cols], frame.what)
    return None


def _loc(frame: Frame, cols: Any) -> Any:
    if isinstance(cols, str) and cols in frame.columns:
        return frame.series(cols)
    if _names_of(frame, cols):
        return Frame(list(cols), frame.what)
    if isinstance(cols, slice) and cols == slice(None):
        return Frame(list(frame.columns), frame.what)
    return None
