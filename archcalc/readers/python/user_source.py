"""The source of a layer class of the user's own file, for ``emit``: the class as written, the
module-level definitions it uses (its base classes, helper functions, constants), and the
imports those need, in file order. archcalc copies this text into the emitted program; it never
runs it."""

from __future__ import annotations

import ast

from archcalc import limits

#: at most this many characters of the user's code go into one emitted file
MAX_SOURCE = limits.MAX_SOURCE_BYTES


def _bound_names(s: ast.stmt) -> set[str]:
    """The module-level names a statement defines."""
    if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {s.name}
    if isinstance(s, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in s.names if a.name != "*"}
    if isinstance(s, (ast.Assign, ast.AnnAssign)):
        targets = s.targets if isinstance(s, ast.Assign) else [s.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _used_names(s: ast.AST) -> set[str]:
    """The free names a definition reads: names loaded in it that it does not bind itself
    (a parameter, a local variable, a loop target, a comprehension variable)."""
    bound: set[str] = set()
    loaded: set[str] = set()
    for n in ast.walk(s):
        if isinstance(n, ast.Name):
            (loaded if isinstance(n.ctx, ast.Load) else bound).add(n.id)
        elif isinstance(n, ast.arg):
            bound.add(n.arg)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n is not s:
            bound.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            bound |= _bound_names(n)
    if isinstance(s, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)):
        return loaded
    return loaded - bound


def _definers(tree: ast.Module) -> dict[str, list[int]]:
    """Name -> the indexes of the top-level statements that define it."""
    out: dict[str, list[int]] = {}
    for i, s in enumerate(tree.body):
        if isinstance(s, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)):
            for name in _bound_names(s):
                out.setdefault(name, []).append(i)
    return out


def class_source(tree: ast.Module, text: str, class_name: str) -> str | None:
    """The code that defines ``class_name`` (a class or a function) in ``tree``, its
    dependencies first, or None when it is not a top-level definition of this text. Only definitions, constants and
    imports are taken: statements that run code (a training loop, a print) are not."""
    definers = _definers(tree)
    start = [i for i in definers.get(class_name, []) if isinstance(tree.body[i], (ast.ClassDef, ast.FunctionDef))]
    if not start:
        return None
    return _closure(tree, text, definers, {start[-1]})


def expression_source(tree: ast.Module, text: str, node: ast.expr) -> tuple[str, str] | None:
    """(the code an expression needs, the expression's text): ``lambda v: ops.mean(v, 1)`` needs
    the file's ``from keras import ops``. None when it reads a value only running the file gives."""
    expr = ast.get_source_segment(text, node)
    if expr is None:
        return None
    definers = _definers(tree)
    needed = {definers[n][-1] for n in _used_names(node) if n in definers}
    code = _closure(tree, text, definers, needed) if needed else ""
    return (code, expr) if code is not None else None


def _closure(tree: ast.Module, text: str, definers: dict[str, list[int]], start: set[int]) -> str | None:
    keep: set[int] = set()
    todo = sorted(start)
    while todo:
        i = todo.pop()
        if i in keep:
            continue
        keep.add(i)
        s = tree.body[i]
        if isinstance(s, (ast.Assign, ast.AnnAssign)) and not _constant(s.value):
            continue  # a value computed by code (data, a model): not copied
        for name in _used_names(s):
            # the last definition above the use, else any (a function may use a later name)
            found = [j for j in definers.get(name, []) if j < i] or definers.get(name, [])
            if found:
                todo.append(found[-1])
    parts = []
    last_import = False
    for i in sorted(keep):
        s = tree.body[i]
        if isinstance(s, (ast.Assign, ast.AnnAssign)) and not _constant(s.value):
            return None  # the class needs a value only running the file gives
        segment = ast.get_source_segment(text, s, padded=True)
        if segment is None:
            return None
        decorators = [ast.get_source_segment(text, d) for d in getattr(s, "decorator_list", [])]
        parts.append("".join(f"@{d}\n" for d in decorators if d) + segment)
    code = ""
    for i, part in zip(sorted(keep), parts, strict=True):
        is_import = isinstance(tree.body[i], (ast.Import, ast.ImportFrom))
        if code:
            code += "\n" if is_import and last_import else "\n\n\n"
        code += part.rstrip()
        last_import = is_import
    return code if len(code) <= MAX_SOURCE else None


def _constant(v: ast.AST | None) -> bool:
    """A literal value (numbers, strings, tuples and lists of them, simple arithmetic)."""
    if v is None:
        return False
    try:
        ast.literal_eval(v)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return isinstance(v, ast.BinOp) and _constant(v.left) and _constant(v.right)
