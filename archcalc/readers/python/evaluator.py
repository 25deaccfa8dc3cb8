"""The Python evaluator: runs a module's statements on the reader's values, never the code.

It knows plain Python (numbers, strings, containers, named symbolic sizes, unknown values, the
file's functions, sibling modules, scopes, loops, conditions) and the rule of fault isolation
(statements.py). Everything else (Keras, NumPy, pandas, the file's classes) it reaches through
one interface, :class:`archcalc.readers.python.api.LibraryApi`, given to it as ``api``; it imports
nothing of that side (``tests/test_architecture.py`` checks it).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import ArchcalcError, LimitError, Location, SpecError
from archcalc.readers.builder import read_text
from archcalc.readers.python import modules
from archcalc.readers.python.api import LibraryApi
from archcalc.readers.python.expressions import BUILTINS, ExpressionsMixin, _hashable
from archcalc.readers.python.statements import SPEC_HINT, StatementsMixin
from archcalc.readers.python.values import (
    Locator,
    ModuleValue,
    Return,
    Unknown,
    describe,
    symbol,
)

MAX_BYTES = limits.MAX_PY_BYTES
MAX_STEPS = limits.MAX_STEPS  # evaluated expressions, loops included
MAX_MODULE_BYTES = limits.MAX_MODULE_BYTES


class Evaluator(StatementsMixin, ExpressionsMixin):
    """Walks a module's statements; the library side is ``api``."""

    def __init__(self, path: str, text: str, api: LibraryApi, locate: Locator | None = None,
                 overrides: Mapping[str, Any] | None = None) -> None:
        self.api = api
        self.path = path
        self.text = text
        #: (line, column) in ``text`` -> the Location to report (a notebook maps it to its cell)
        self.at: Locator = locate or (lambda line, col: Location(path, line, col))
        self.overrides = dict(overrides or {})
        self.used_overrides: set[str] = set()
        self.steps = 0
        self.depth = 0
        self.yielding = False
        #: the class defining each method being run, innermost last (None: a plain function)
        self.owners: list[Any] = []
        self.builds_memo: dict[int, bool] = {}
        self.globals: dict[str, Any] = {"__name__": "__main__", "True": True, "False": False, "None": None}
        self.modules_read: dict[str, ModuleValue | None] = {}
        self.module_bytes = 0
        #: sibling modules being read (their import-time statements): nonzero while one is
        self.importing = 0
        #: names the file uses and never defines or imports, read as Keras's (``Dense`` ->
        #: keras.layers.Dense, ``tf`` -> tensorflow): name -> what it was read as
        self.assumed_imports: dict[str, str] = {}
        #: module-level statements that failed: (step, line, names bound, error, builds a model)
        self.failures: list[tuple[int, int, list[str], ArchcalcError, bool]] = []
        #: folders the program adds to sys.path (sys.path.append(".."): a shared lib folder)
        self.sys_path: list[Path] = []

    # -- helpers ----------------------------------------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        return self.at(getattr(node, "lineno", 0), getattr(node, "col_offset", 0) + 1)

    def error(self, message: str, node: ast.AST | None, hint: str | None = SPEC_HINT) -> SpecError:
        return SpecError(message, loc=self.loc(node) if node is not None else Location(self.path), hint=hint)

    def tick(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LimitError("the file takes too many steps to read (a very long loop?)", loc=self.loc(node),
                             hint="archcalc follows loops over range() of model sizes, not training loops over data")

    def lookup(self, name: str, env: Mapping[str, Any], node: ast.AST) -> Any:
        if name in env:
            return env[name]
        if name in self.globals:
            return self.globals[name]
        if name in self.overrides:
            self.used_overrides.add(name)
            return self.overrides[name]
        if name in BUILTINS:
            return ("builtin", name)
        assumed = self.api.undefined_name(name)
        if assumed is not None:
            # a cell or an excerpt of a longer program: its imports are elsewhere
            self.assumed_imports.setdefault(name, assumed.dotted)
            return assumed
        # snippets often use data defined elsewhere (X_train): an error only if the model needs it
        return Unknown(name, getattr(node, "lineno", 0), undefined=True, col=getattr(node, "col_offset", 0) + 1)

    def symbol_for(self, u: Unknown) -> Any:
        if u.what in self.overrides:
            self.used_overrides.add(u.what)
            return self.overrides[u.what]
        return symbol(u.what)

    # -- assignment -------------------------------------------------------------------------

    def assign(self, target: ast.expr, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        if isinstance(target, ast.Name):
            if env is self.globals and target.id in self.overrides:
                self.used_overrides.add(target.id)
                value = self.overrides[target.id]
            env[target.id] = self.api.bound(target.id, value, s)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target, value, env, s)
        elif isinstance(target, ast.Attribute):
            self.api.set_attribute(self.expr(target.value, env), target, value, s)
        elif isinstance(target, ast.Subscript):
            obj = self.expr(target.value, env)
            if isinstance(obj, (list, dict)):
                key = self.subscript_key(target.slice, env)
                try:
                    if isinstance(key, (Unknown,)) or (isinstance(obj, dict) and not _hashable(key)):
                        return
                    obj[key] = value
                except (IndexError, TypeError, KeyError):
                    raise self.eval_error(f"cannot assign to {describe(obj)}[{describe(key)}]", s) from None
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, env, s)

    def unpack(self, target: ast.Tuple | ast.List, value: Any, env: dict[str, Any], s: ast.AST) -> None:
        elts = target.elts
        if isinstance(value, Unknown):
            for t in elts:
                self.assign(t.value if isinstance(t, ast.Starred) else t, value, env, s)
            return
        if isinstance(value, (range, str)):
            value = list(value)
        if not isinstance(value, (list, tuple)):  # a layer's outputs (out, h, c = LSTM(...)(x))
            value = self.api.unpack(value, elts, s)
        star = [i for i, t in enumerate(elts) if isinstance(t, ast.Starred)]
        if star:
            i = star[0]
            after = len(elts) - i - 1
            if len(value) < len(elts) - 1:
                raise self.eval_error(f"cannot unpack {len(value)} values into {len(elts)} names", s)
            head, mid, tail = value[:i], list(value[i:len(value) - after]), value[len(value) - after:]
            for t, v in zip(elts[:i], head, strict=True):
                self.assign(t, v, env, s)
            self.assign(elts[i], mid, env, s)
            for t, v in zip(elts[i + 1:], tail, strict=True):
                self.assign(t, v, env, s)
            return
        if len(value) != len(elts):
            raise self.eval_error(f"cannot unpack {len(value)} values into {len(elts)} names", s)
        for t, v in zip(elts, value, strict=True):
            self.assign(t, v, env, s)

    # -- modules ----------------------------------------------------------------------------

    def import_module(self, module: str | None, level: int, s: ast.AST) -> ModuleValue | None:
        """A sibling module of the file, read statically (None when it is not beside the file)."""
        if not level and module and modules.normalise(tuple(module.split(".")))[0] in (
                "keras", "tensorflow", "numpy", "sklearn", "pandas", "matplotlib", "scipy", "torch"):
            return None
        file = modules.find_sibling(self.path, module, level, tuple(self.sys_path))
        if file is None:
            return None
        key = str(file)
        if key in self.modules_read:
            return self.modules_read[key]
        if len(self.modules_read) >= modules.MAX_MODULES:
            raise LimitError(f"the file imports more than {modules.MAX_MODULES} sibling modules", loc=self.loc(s))
        self.modules_read[key] = None  # a cycle reads as an empty module
        text = read_text(file, MAX_BYTES, "Python module")
        self.module_bytes += len(text)
        if self.module_bytes > MAX_MODULE_BYTES:
            raise LimitError("the sibling modules are too large to read together", loc=self.loc(s))
        limits.check_python_text(text, key)
        try:
            tree = ast.parse(text, filename="<archcalc>")
        except SyntaxError as err:
            raise SpecError(f"invalid Python: {err.msg}", loc=Location(key, err.lineno or 0, err.offset or 0)) from None
        except (RecursionError, MemoryError, ValueError):
            raise SpecError("the file is nested too deeply to read", loc=Location(key)) from None
        env: dict[str, Any] = {"__name__": module or "", "True": True, "False": False, "None": None}
        outer = (self.at, self.path, self.globals)
        self.at = lambda line, col: Location(key, line, col)
        self.path = key
        self.globals = env
        # models built at import time belong to the module, not to the importing file
        self.importing += 1
        try:
            self.block(tree.body, env)
        except Return:
            pass
        finally:
            self.at, self.path, self.globals = outer
            self.importing -= 1
        value = ModuleValue(module or "", env)
        self.modules_read[key] = value
        return value

    def run(self, tree: ast.Module) -> None:
        self.block(tree.body, self.globals)
