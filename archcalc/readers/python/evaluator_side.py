"""The one interface among the evaluator's own parts (``EvaluatorSide``).

The evaluator is one object, ``evaluator.Evaluator``, made of a mixin per job: statements,
fault isolation, expressions, operators, calls. What one uses of another (``expr``, ``block``,
``lookup``, the step count...) is declared here, once, with the real signature and the module
that defines it, as ``side.LibrarySide`` does for the library side's families. Each mixin
names this Protocol as its base for the type checker only (``_Side``; ``object`` at run time,
so the Evaluator's MRO is what it was), and mypy checks every use and every definition against
it. Like every module of the evaluator, this one imports nothing of the library side.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from archcalc.errors import ArchcalcError, SpecError
    from archcalc.readers.python.api import LibraryApi
    from archcalc.readers.python.values import EvalError, Locator, ModuleValue, Unknown


class EvaluatorSide(Protocol):
    """What a part of the evaluator uses of the others (all of them the Evaluator)."""

    # -- the state of a run (evaluator.py: Evaluator.__init__) --------------------------------

    #: the library side: everything that is not plain Python (evaluator.py)
    api: LibraryApi
    #: the path of the file being read (a sibling module's while it runs) (evaluator.py)
    path: str
    #: (line, column) in the text -> the Location to report (a sibling module's while it runs) (evaluator.py)
    at: Locator
    #: expressions evaluated so far, against limits.MAX_STEPS (evaluator.py)
    steps: int
    #: how deep the file's own functions are calling each other (evaluator.py)
    depth: int
    #: whether the function being run is a generator (its loops' first pass yields) (evaluator.py)
    yielding: bool
    #: the class defining each method being run, innermost last (None: a plain function) (evaluator.py)
    owners: list[Any]
    #: whether each of the file's functions (by id of its node) builds part of a model (evaluator.py)
    builds_memo: dict[int, bool]
    #: the module's names (evaluator.py)
    globals: dict[str, Any]
    #: module-level statements that failed: (step, line, names bound, error, builds a model) (evaluator.py)
    failures: list[tuple[int, int, list[str], ArchcalcError, bool]]

    # -- scopes, names, errors (evaluator.py: Evaluator) --------------------------------------

    def error(self, message: str, node: ast.AST | None, hint: str | None = ...) -> SpecError:
        """A SpecError at a node, with a hint (evaluator.py)."""

    def tick(self, node: ast.AST) -> None:
        """One step more; a LimitError past limits.MAX_STEPS (evaluator.py)."""

    def lookup(self, name: str, env: Mapping[str, Any], node: ast.AST) -> Any:
        """A name's value in a scope, the module, the builtins or the library side (evaluator.py)."""

    def symbol_for(self, u: Unknown) -> Any:
        """An unknown value as a named symbolic size, or the value ``--set`` gives it (evaluator.py)."""

    def assign(self, target: ast.expr, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        """``target = value`` in a scope, unpacking included (evaluator.py)."""

    def import_module(self, module: str | None, level: int, s: ast.AST) -> ModuleValue | None:
        """A sibling module of the file, read statically (None when it is not beside the file) (evaluator.py)."""

    # -- statements (statements.py: StatementsMixin) -------------------------------------------

    def block(self, body: list[ast.stmt], env: dict[str, Any]) -> None:
        """A list of statements run in a scope (statements.py)."""

    def truth(self, v: Any) -> Any:
        """A condition's value: True/False, or Unknown when the reader cannot tell (statements.py)."""

    # -- expressions (expressions.py: ExpressionsMixin) ----------------------------------------

    def expr(self, e: ast.expr, env: Mapping[str, Any]) -> Any:
        """The value of an expression in a scope (expressions.py)."""

    def subscript_key(self, s: ast.expr, env: dict[str, Any]) -> Any:
        """The key of a subscript (an index, a slice, a tuple of them) (expressions.py)."""

    # -- operators (operators.py: OperatorsMixin) ----------------------------------------------

    def binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        """A binary operator on two values, bounded (operators.py)."""

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        """A value-level failure at a node (operators.py)."""
