"""The one interface between the Python evaluator and the library side.

The evaluator (``evaluator.py`` with ``statements.py`` and ``expressions.py``) runs plain Python:
numbers, strings, lists, tuples, dicts, ranges, named symbolic sizes, unknown values, the
file's own functions and sibling modules, scopes, loops, conditions and fault isolation. It
imports nothing of Keras, NumPy, pandas or the reader's tables. Whatever is not plain Python
(a module's function, a layer, a tensor, a model, an array, a class of the file and its objects,
a method of one of them) it hands to the object below, which the library side
(``interpreter.Interpreter``: the call tables of ``keras_api.py`` and the families' modules)
implements; that side holds the evaluator and calls back into it (``ev.expr``,
``ev.call_user``, ``ev.error``...).

Every method gets the syntax node it is about (for locations and messages). Values are those of
``values.py``. A method returns the value of the expression; none of them may run the user's
code other than through the evaluator.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from archcalc.errors import ArchcalcError
from archcalc.readers.python.values import Mod, Unknown


@dataclass(frozen=True)
class Once:
    """``LibraryApi.iterable``'s answer for a loop whose body runs once, on one value that
    stands for every item (``for layer in base.layers[:-10]: layer.trainable = False``)."""

    item: Any


@dataclass(frozen=True)
class OverData:
    """``LibraryApi.iterable``'s answer for a loop over data of unknown length (the rows of an
    array): the evaluator treats it as a loop over an unknown value (skipped unless it builds)."""

    value: Any


class LibraryApi(Protocol):
    """What the evaluator asks of the library side."""

    # -- values ---------------------------------------------------------------------------

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``func(*args, **kwargs)`` for any callee that is not plain Python: a module's function
        (``Mod``: the call tables of keras_api.py), a layer, a model, a class of the file or one
        of its objects, a bound method of a library value (a tagged tuple such as
        ``("method", model, "add")``), a builtin the library side answers (``("builtin", name)``:
        ``set(labels)`` of an array, ``open(...)``, ``next(iter(dataset))``; NotImplemented: the
        evaluator's own builtin)."""

    def call_unknown(self, func: Unknown, e: ast.Call, env: Mapping[str, Any]) -> Any:
        """A call of a value the reader does not know; its arguments are evaluated (through the
        evaluator) only where they matter (an array passed through, a layer of another library)."""

    def attribute(self, obj: Any, name: str, e: ast.Attribute) -> Any:
        """``obj.name`` of a value that is not a plain Python container (every attribute read of a
        model, a module, an unknown value goes here: model uses such as ``model.fit`` are seen)."""

    def set_attribute(self, obj: Any, target: ast.Attribute, value: Any, s: ast.AST) -> None:
        """``obj.name = value`` of statement ``s`` (``target`` is ``obj.name``; an object of the file's classes, a layer's trainable flag, an
        attribute kept for later reads)."""

    def subscript(self, obj: Any, e: ast.Subscript, env: Mapping[str, Any]) -> Any:
        """``obj[...]`` of a value that is not plain Python (a tensor, an array, a table); the key
        is evaluated through the evaluator's ``subscript_key`` when needed."""

    def operator(self, op: ast.operator | ast.unaryop, operands: list[Any], e: ast.AST) -> Any:
        """A Python operator with a library value among its operands (``x + y`` of tensors:
        an op node; of arrays: an array); NotImplemented: the evaluator's rule (an unknown
        operand gives an unknown value, any other gives an unknown value named by the text)."""

    def unpack(self, value: Any, targets: list[ast.expr], s: ast.AST) -> list[Any]:
        """``a, b, c = value`` of a value that is not a list, tuple, range or string: the values
        to unpack (a tensor: one per output of its layer), or an EvalError."""

    def iterable(self, value: Any, s: ast.For, env: Mapping[str, Any]) -> Any:
        """What ``for x in value`` loops over: a library value's items (a tf.data dataset: its
        element, ``take(n)`` times), :class:`Once` (the body once, on one value for all
        items), :class:`OverData` (rows of data: a loop over an unknown value), or ``value``
        itself."""

    def entered(self, value: Any, s: ast.With) -> Any:
        """``with value as x``: what ``x`` is for a library value (an opened config file), or
        None (an unknown value)."""

    def truth(self, value: Any) -> Any:
        """``if value:`` of a library value: True, False, or an Unknown when it cannot be told."""

    def unbound_parameter(self, name: str, line: int) -> Any:
        """A parameter of one of the file's functions read without a call (a builder's
        arguments): what it stands for (Keras Tuner's ``hp``), or None (an unknown value)."""

    # -- what builds a model --------------------------------------------------------------

    def call_builds(self, value: Any, call: ast.Call, env: Mapping[str, Any]) -> bool:
        """True when ``call``, whose callee's root name has ``value`` (a library value or an
        unknown one; never one of the file's functions, which the evaluator follows itself),
        builds part of a model: a layer, a model, their ``add``/``compile``/``build``.
        Training, prediction, losses, metrics, data and plotting calls build nothing."""

    def makes_model(self, s: ast.stmt, env: Mapping[str, Any]) -> bool:
        """True when statement ``s`` makes a model (``Model(...)``, ``Sequential(...)``, a model
        class of the file, a function of the file that returns one)."""

    def statement_failed(self, s: ast.stmt, env: Mapping[str, Any], cause: ArchcalcError) -> Any:
        """A module-level statement failed with ``cause``: the models it changes half-way are
        marked broken with it. Returns the file's class the statement was making an object of
        (``net = Net(...)``, kept on the names it leaves unknown), or None."""

    def survives_skip(self, value: Any) -> bool:
        """True for a value a skipped loop may change but never replaces (a model, a layer, an
        object of the file's classes): its name keeps it."""

    # -- names ----------------------------------------------------------------------------

    def bound(self, name: str, value: Any, s: ast.AST) -> Any:
        """``name = value``: the value to store (named after the variable); models are recorded."""

    def undefined_name(self, name: str) -> Mod | None:
        """What a name the file never defines most likely is (``Dense``, ``tf``), or None."""

    def import_star(self, module: tuple[str, ...], env: dict[str, Any]) -> None:
        """``from <library module> import *``: the names it gives."""

    def define_class(self, s: ast.ClassDef, env: dict[str, Any]) -> Any:
        """``class X(...)``: the value of the class (a model, a layer, or a plain class)."""

    # -- the program ----------------------------------------------------------------------

    def skipped(self, body: list[ast.stmt], env: Mapping[str, Any]) -> None:
        """Statements the evaluator skips (a loop over data): what they do with models."""

    def running(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> AbstractContextManager[Any]:
        """Around a run of one of the file's functions (a block of layers when it reads tensors)."""

    def generated(self, value: Any, what: str) -> Any:
        """The value a generator function's call gives, from its first ``yield``."""
