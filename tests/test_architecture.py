"""The house's floors: every import in archcalc points down (ARCHITECTURE.md, "Floors").

Every module's AST is read, function-local imports included, so a circle cannot hide inside a
function. A module may import from its own floor or a lower one, never from a higher one, and
the graph of archcalc's imports has no cycle at all.

``python tests/test_architecture.py`` prints the floors' sizes and any arrow that runs up.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archcalc"

#: lowest first; a module belongs to the first floor with a prefix of its name (a prefix ending
#: in "." is a package and everything in it, otherwise the exact module)
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("archcalc.errors", "archcalc.limits", "archcalc.fileio", "archcalc.names", "archcalc.lazy",
                    "archcalc.safe_output", "archcalc.bundled")),
    ("layers", ("archcalc.layers", "archcalc.layers.")),
    ("cost", ("archcalc.cost",)),
    ("graph", ("archcalc.graph", "archcalc.engine", "archcalc.nested_model")),
    ("statistics", ("archcalc.compile_spec", "archcalc.memory")),
    ("readers", ("archcalc.readers", "archcalc.readers.")),
    ("consumers", ("archcalc.explain", "archcalc.explain.", "archcalc.render", "archcalc.render.",
                   "archcalc.lint", "archcalc.lint.")),
    ("keras_bridge", ("archcalc.keras_bridge", "archcalc.keras_bridge.")),
    ("commands", ("archcalc.commands", "archcalc.commands.", "archcalc.cli", "archcalc.__main__", "archcalc",
                  "archcalc.web", "archcalc.web.")),
]

#: the Python reader's evaluator (statements, expressions, scopes, fault isolation): plain Python
#: only. It reaches Keras, NumPy, pandas and the file's classes through one interface
#: (readers/python/api.py, LibraryApi) and imports nothing of that side (issue 24).
EVALUATOR = frozenset({
    "archcalc.readers.python.evaluator", "archcalc.readers.python.statements",
    "archcalc.readers.python.expressions", "archcalc.readers.python.api", "archcalc.readers.python.plain",
    "archcalc.readers.python.isolation", "archcalc.readers.python.calls",
    "archcalc.readers.python.operators", "archcalc.readers.python.evaluator_side",
})
#: what the evaluator may import of the reader: its own modules, the value model, module names
EVALUATOR_MAY_IMPORT = EVALUATOR | {"archcalc.readers.python.values", "archcalc.readers.python.modules"}


#: the display protocol: an object of a lower floor shows itself (``__repr__``, ``__str__``,
#: ``__rich__``, ``_repr_html_``, ``_repr_markdown_``) through this renderer, imported inside
#: the method when Python, rich or Jupyter asks. The one module a lower floor may import from
#: above, and only inside a function; these edges are left out of the cycle check.
DISPLAY = "archcalc.render.display"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the archcalc module imported
    line: int
    local: bool  # inside a function, or a lazy table's "module:attr" row (imported on use)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def floor_of(module: str) -> int:
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            if module == p.rstrip(".") if not p.endswith(".") else module.startswith(p):
                return i
    raise KeyError(module)


def _targets(node: ast.Import | ast.ImportFrom, source: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    """The archcalc modules an import statement loads (``from pkg import mod`` is ``pkg.mod``;
    ``from pkg import name`` is ``pkg``; the root package only when a name is taken from it)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = source.split(".") if is_package else source.split(".")[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, *([node.module] if node.module else [])])
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    out: list[str] = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != source and name not in out:
            out.append(name)
    return out


#: a row of a lazy table (archcalc.lazy.LazyTable): "archcalc.render.table:render"
LAZY_ROW = re.compile(r"(archcalc(?:\.\w+)*):\w+")


def imports() -> list[Import]:
    known = modules()
    found: list[Import] = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node: ast.AST, local: bool, source: str = source, path: Path = path) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for target in _targets(child, source, path.name == "__init__.py", known):
                        found.append(Import(source, target, child.lineno, local))
                elif isinstance(child, ast.Constant) and isinstance(child.value, str) \
                        and (row := LAZY_ROW.fullmatch(child.value)) and row.group(1) in known:
                    found.append(Import(source, row.group(1), child.lineno, True))
                else:
                    visit(child, local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(tree, False)
    return found


def is_display(i: Import) -> bool:
    return i.target == DISPLAY and i.local


def upward(found: list[Import]) -> list[Import]:
    return [i for i in found if floor_of(i.target) > floor_of(i.source) and not is_display(i)]


def cycles(found: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        if not is_display(i):
            graph[i.source].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in sorted(modules()):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def _fmt(i: Import) -> str:
    where = "function-local " if i.local else ""
    return (f"{i.source}:{i.line}: {where}import of {i.target} "
            f"({FLOORS[floor_of(i.source)][0]} -> {FLOORS[floor_of(i.target)][0]})")


def test_every_module_has_a_floor():
    missing = []
    for m in modules():
        try:
            floor_of(m)
        except KeyError:
            missing.append(m)
    assert not missing, f"modules on no floor (add them to FLOORS and ARCHITECTURE.md): {missing}"


def test_no_import_points_up():
    bad = upward(imports())
    assert not bad, "imports from a higher floor:\n" + "\n".join(map(_fmt, bad))


def test_no_import_cycles():
    found = cycles(imports())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def evaluator_imports(found: list[Import]) -> list[Import]:
    """Imports of the evaluator's modules from the reader's library side (keras_api, classes,
    assemble, legacy, applications, data, frames, facts...), function-local ones included."""
    return [i for i in found if i.source in EVALUATOR and i.target.startswith("archcalc.readers.python")
            and i.target not in EVALUATOR_MAY_IMPORT]


def test_the_evaluator_imports_nothing_of_the_keras_side():
    assert EVALUATOR <= set(modules()), "a module of EVALUATOR is gone: update the list"
    bad = evaluator_imports(imports())
    assert not bad, ("the evaluator imports the library side (call it through api.LibraryApi):\n"
                     + "\n".join(map(_fmt, bad)))


#: the value types the evaluator may name: its own (unknown values, scopes, control flow, the
#: file's functions, sibling modules), the file's classes and objects and a module's name path
#: (which it makes or checks in plain Python: imports, isinstance), and LibraryValue, the
#: marker of everything it hands to the library side. Tensors, arrays, layers, models,
#: datasets, Keras Tuner's hp... are the library side's alone.
EVALUATOR_VALUES = frozenset({
    "Unknown", "EvalError", "Return", "Break", "Continue", "Scope", "ModuleValue", "Locator", "UserFunc",
    "UserClass", "Instance", "Mod", "LibraryValue", "describe", "symbol", "is_symbolic", "plain", "is_literal",
    "plain_text",
})


def evaluator_value_names(tree: ast.Module) -> set[str]:
    """The names an evaluator module imports from ``values`` (at any depth)."""
    return {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "archcalc.readers.python.values" for a in node.names}


def test_the_evaluator_names_no_library_value():
    """The evaluator routes operators, builtins, loops, conditions and "does this build" through
    ``api.LibraryApi`` by ``LibraryValue``, never by a tensor's, array's or model's type."""
    bad = {}
    for m in sorted(EVALUATOR):
        path = ROOT / (m.replace(".", "/") + ".py")
        extra = evaluator_value_names(ast.parse(path.read_text())) - EVALUATOR_VALUES
        if extra:
            bad[m] = sorted(extra)
    assert not bad, f"the evaluator names library value types (ask api.LibraryApi instead): {bad}"
    # the check can fail: the library side names them
    library = ast.parse((ROOT / "archcalc/readers/python/library.py").read_text())
    assert {"Tensor", "Array", "ModelObj"} <= evaluator_value_names(library) - EVALUATOR_VALUES


def test_the_check_sees_function_local_imports():
    """The check must be able to fail: a function-local upward import in a module is found,
    and a lazy table's rows count as imports."""
    found = imports()
    assert any(i.local for i in found)
    assert any(i.source == "archcalc.cli" and i.target == "archcalc.commands.summary" for i in found)
    fake = Import("archcalc.layers.base", "archcalc.engine", 1, True)
    assert upward([fake]) == [fake]
    top_level = Import("archcalc.engine", DISPLAY, 1, False)  # the display protocol is lazy or nothing
    assert upward([top_level]) == [top_level]
    assert cycles([Import("archcalc.cost", "archcalc.engine", 1, True),
                   Import("archcalc.engine", "archcalc.cost", 1, False)]) == [["archcalc.cost", "archcalc.engine"]]
    keras_side = Import("archcalc.readers.python.expressions", "archcalc.readers.python.keras_api", 1, True)
    values = Import("archcalc.readers.python.expressions", "archcalc.readers.python.values", 1, False)
    assert evaluator_imports([keras_side, values]) == [keras_side]



#: the Python reader's modules: the library side is every one the evaluator (EVALUATOR) is not
READER = ROOT / "archcalc" / "readers" / "python"


def declared(module: str, protocol: str) -> set[str]:
    """The attributes and methods a Protocol of the reader declares (side.LibrarySide...)."""
    tree = ast.parse((READER / module).read_text())
    body = next(c for c in tree.body if isinstance(c, ast.ClassDef) and c.name == protocol).body
    return ({n.name for n in body if isinstance(n, ast.FunctionDef)}
            | {n.target.id for n in body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)})


def mixin_stubs(tree: ast.Module, names: set[str]) -> list[str]:
    """What a module's classes declare of another mixin instead of naming their side's Protocol
    (issue 24): a ``name: Callable[...]`` stub in any class, and in a mixin class a bare
    annotation (``notes: list[str]``) of one of ``names`` (the Protocol's), or no base at all."""
    bad = []
    for c in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if c.name.endswith("Mixin") and not c.bases:
            bad.append(f"{c.name} (no base: name its side's Protocol as its base, _Side)")
        for n in c.body:
            if not (isinstance(n, ast.AnnAssign) and n.value is None and isinstance(n.target, ast.Name)):
                continue
            annotation = n.annotation.value if isinstance(n.annotation, ast.Subscript) else n.annotation
            if ast.unparse(annotation).split(".")[-1] == "Callable" or (
                    c.name.endswith("Mixin") and n.target.id in names):
                bad.append(f"{c.name}.{n.target.id}: {ast.unparse(n.annotation)} (line {n.lineno})")
    return bad


def test_reader_mixins_declare_each_other_only_in_their_protocol():
    """The library side's mixins use each other through one typed interface, side.LibrarySide,
    and the evaluator's through evaluator_side.EvaluatorSide, which mypy checks against their
    definitions; not through stubs of their own."""
    library_side = [p for p in sorted(READER.glob("*.py"))
                    if module_name(p) not in EVALUATOR and p.name != "side.py"]
    assert len(library_side) > 20 and any(p.name == "library.py" for p in library_side)
    names = declared("side.py", "LibrarySide")
    bad = {p.name: found for p in library_side if (found := mixin_stubs(ast.parse(p.read_text()), names))}
    assert not bad, f"stubs of other mixins (declare them in side.LibrarySide instead): {bad}"
    # the evaluator: no Callable stubs (calls.py repeats three attributes it assigns: see there)
    evaluator = [ROOT / (m.replace(".", "/") + ".py") for m in sorted(EVALUATOR)]
    bad = {p.name: found for p in evaluator if (found := mixin_stubs(ast.parse(p.read_text()), set()))}
    assert not bad, f"stubs of other mixins (declare them in evaluator_side.EvaluatorSide instead): {bad}"
    # the check can fail: the stubs the library side used to declare, a mixin without its base
    old = ast.parse("class LibraryMixin(_Side):\n    call_on: Callable[..., Any]\n    notes: list[str]\n"
                    "    own: int\n\nclass UsesMixin:\n    pass\n\nclass Dataset:\n    what: str\n")
    assert [b.split(" ")[0] for b in mixin_stubs(old, names)] == ["LibraryMixin.call_on:", "LibraryMixin.notes:",
                                                                   "UsesMixin"]
    assert {"call_on", "notes", "ev"} <= names and {"expr", "block", "api"} <= declared("evaluator_side.py",
                                                                                          "EvaluatorSide")

if __name__ == "__main__":
    found = imports()
    local = [i for i in found if i.local]
    print(f"{len(modules())} modules, {len(found)} archcalc imports ({len(local)} function-local)")
    for name, _ in FLOORS:
        n = sum(1 for m in modules() if FLOORS[floor_of(m)][0] == name)
        print(f"  {name}: {n} modules")
    bad = upward(found)
    print(f"{len(bad)} imports point up")
    for i in bad:
        print("  " + _fmt(i))
    comps = cycles(found)
    print(f"{len(comps)} cycles")
    for c in comps:
        print("  " + " <-> ".join(c))
    sys.exit(1 if bad or comps else 0)
