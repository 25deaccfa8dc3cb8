"""The Jupyter notebook front-end: the code cells of an ``.ipynb``, read as one Python file.

The notebook is JSON (nbformat 4, or the older nbformat 3 with worksheets); it is parsed with
a size cap and never executed: outputs, markdown and raw cells are ignored. The code cells are
joined in order into one Python text that the Python reader walks as it walks a ``.py``
file, with a line map so that every position it reports names the cell::

    notes_cnn.ipynb:cell 7:3:5: error: ...

The cell number counts *every* cell from 1, in the order Jupyter shows them (markdown cells
included), and the line is the line inside that cell, so the place is easy to find in the
notebook editor.

IPython syntax that is not Python is removed, each removed line replaced by a blank line
(or ``pass`` inside an indented block) so that line numbers stay aligned:

- line magics (``%matplotlib inline``, ``%pip install keras``) and automagics without the
  ``%`` (``pip install keras``, ``matplotlib inline``) when the line is not Python;
- shell lines (``!pip install keras``);
- help lines (``?model``, ``model.fit?``, ``model??``);
- cell magics: ``%%time``, ``%%timeit``, ``%%capture``, ``%%prun`` and ``%%debug`` run their
  body as Python, so only their first line goes; every other cell magic (``%%bash``,
  ``%%writefile``, ``%%html``, ...) holds another language, and the whole cell goes.

``files = !ls`` and ``t = %timeit -o f()`` keep their assignment, written as IPython itself
rewrites it (``files = get_ipython().getoutput('ls')``): the value is unknown, as any call
archcalc does not model. ``get_ipython()`` lines are Python already and stay. Magics are
only recognised where a statement starts (not inside brackets, strings or continued lines),
and a cell that is valid Python as written is never changed.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, SpecError
from archcalc.graph import Graph
from archcalc.readers.builder import read_text

#: the largest notebook read (outputs with images make notebooks big; they are skipped)
MAX_BYTES = limits.MAX_NOTEBOOK_BYTES
#: the largest joined Python text (the Python reader's own cap)
MAX_CODE_BYTES = limits.MAX_PY_BYTES
MAX_CELLS = limits.MAX_CELLS

#: cell magics whose body is Python (IPython runs it); any other cell magic is another language
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})
#: line magics IPython accepts without the % (automagic), recognised when the line is not Python
AUTOMAGICS = frozenset({
    "pip", "conda", "mamba", "matplotlib", "load_ext", "reload_ext", "unload_ext", "autoreload",
    "aimport", "cd", "env", "pwd", "ls", "config", "who", "whos", "reset", "tensorflow_version",
})

HINT = "a notebook is the JSON file Jupyter saves (nbformat 4); open and save it again in Jupyter"

_HELP = re.compile(r"^\s*(\?{1,2}\s*[A-Za-z_][\w.]*(\(\))?|[A-Za-z_][\w.]*(\(\))?\s*\?{1,2})\s*$")
_ASSIGN_MAGIC = re.compile(r"^(?P<target>\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)(?P<kind>[!%])(?P<rest>.*)$")
_AUTOMAGIC = re.compile(r"^\s*(?P<name>[A-Za-z_]\w*)(\s+(?P<rest>.*))?$")


@dataclass
class NotebookCode:
    """The joined Python text of a notebook and, per line of it, (cell number, line in cell)."""

    path: str
    text: str
    lines: list[tuple[int, int]] = field(default_factory=list)
    #: number of code cells read
    code_cells: int = 0

    def where(self, line: int) -> tuple[int, int] | None:
        """(cell, line in cell) of a line of the joined text (1-based), None when outside."""
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return None

    def locate(self, line: int, column: int) -> Location:
        """The Location of (line, column) of the joined text: ``path:cell N:line:col``."""
        at = self.where(line)
        if at is None:
            return Location(self.path)
        return Location(self.path, at[1], column, cell=at[0])


# -- the notebook JSON --------------------------------------------------------------------

def _error(path: str, message: str, cell: int | None = None, hint: str | None = HINT) -> SpecError:
    return SpecError(message, loc=Location(path, cell=cell), hint=hint)


def _text_of(value: Any, path: str, cell: int, key: str) -> str:
    """A cell's source: a string, or a list of strings (nbformat splits it by lines)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return "".join(value)
    raise _error(path, f"the cell's `{key}` must be a string or a list of strings, got {_json_type(value)}", cell)


def _check_language(doc: Mapping[str, Any], path: str) -> None:
    meta = doc.get("metadata")
    if not isinstance(meta, Mapping):
        return
    names = []
    spec = meta.get("kernelspec")
    if isinstance(spec, Mapping) and isinstance(spec.get("language"), str):
        names.append(spec["language"])
    info = meta.get("language_info")
    if isinstance(info, Mapping) and isinstance(info.get("name"), str):
        names.append(info["name"])
    for name in names:
        if name.strip().lower() not in ("python", "python3", "python2", "ipython", ""):
            raise _error(path, f"the notebook's language is {name!r}, not Python",
                         hint="archcalc reads Keras code in Python notebooks")


def code_cells(doc: Any, path: str) -> list[tuple[int, str]]:
    """(cell number counting every cell from 1, source) of each code cell, in order."""
    if not isinstance(doc, Mapping):
        raise _error(path, f"a notebook is a JSON object, got {_json_type(doc)}")
    version = doc.get("nbformat")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise _error(path, f"`nbformat` must be a number, got {_json_type(version)}")
    if version is None and "cells" not in doc and "worksheets" not in doc:
        raise _error(path, "this JSON is not a Jupyter notebook (it has no `cells`)",
                     hint="Keras model files (model.to_json()) end in .json")
    _check_language(doc, path)
    if (version is None and "cells" in doc) or (version is not None and version >= 4):
        cells = doc.get("cells")
        if not isinstance(cells, list):
            raise _error(path, f"`cells` must be a list, got {_json_type(cells)}")
        source_key = "source"
    elif version == 3 or version is None:
        sheets = doc.get("worksheets")
        if not isinstance(sheets, list) or not all(isinstance(w, Mapping) for w in sheets):
            raise _error(path, "an nbformat 3 notebook has a list of `worksheets`")
        cells = []
        for w in sheets:
            inner = w.get("cells", [])
            if not isinstance(inner, list):
                raise _error(path, f"a worksheet's `cells` must be a list, got {_json_type(inner)}")
            cells.extend(inner)
        source_key = "input"
    else:
        raise _error(path, f"nbformat {version} is not supported", hint="archcalc reads nbformat 3 and 4")
    if len(cells) > MAX_CELLS:
        raise _error(path, f"the notebook has too many cells ({len(cells)}; the limit is {MAX_CELLS})", hint=None)
    out = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, Mapping):
            raise _error(path, f"a cell must be a JSON object, got {_json_type(cell)}", number)
        kind = cell.get("cell_type")
        if not isinstance(kind, str):
            raise _error(path, f"the cell has no `cell_type` string (got {_json_type(kind)})", number)
        if kind != "code":
            continue
        language = cell.get("language")  # nbformat 3 names it per cell
        if isinstance(language, str) and language.lower() not in ("python", ""):
            continue
        key = source_key if source_key in cell or "source" not in cell else "source"
        out.append((number, _text_of(cell.get(key, ""), path, number, key)))
    return out


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    for t, name in names.items():
        if isinstance(value, t):
            return name
    return type(value).__name__  # pragma: no cover - json.loads gives only the types above


def parse_json(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SpecError(f"invalid notebook: not JSON ({e.msg})", loc=Location(path, e.lineno, e.colno),
                        hint="is the file truncated? " + HINT) from None
    except ValueError as e:  # e.g. an integer too long to convert
        raise _error(path, f"invalid notebook: {e}") from None
    except RecursionError:
        raise _error(path, "the notebook JSON is nested too deeply") from None


# -- IPython syntax -----------------------------------------------------------------------

@dataclass
class _Scan:
    """Where a line ends, lexically: open brackets, an open triple-quoted string, a backslash."""

    depth: int = 0
    triple: str | None = None
    continued: bool = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.triple is None and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        comment = False
        while i < n:
            if self.triple is not None:
                end = _find_close(line, i, self.triple)
                if end < 0:
                    break
                i, self.triple = end + 3, None
                continue
            c = line[i]
            if c == "#":
                comment = True
                break
            if c in "'\"":
                if line.startswith(c * 3, i):
                    self.triple, i = c * 3, i + 3
                    continue
                j = i + 1
                while j < n and line[j] != c:
                    j += 2 if line[j] == "\\" else 1
                i = j + 1
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            i += 1
        self.continued = self.triple is None and not comment and line.rstrip().endswith("\\")


def _find_close(line: str, start: int, quote: str) -> int:
    i = start
    while True:
        j = line.find(quote, i)
        if j < 0:
            return -1
        backslashes = len(line[:j]) - len(line[:j].rstrip("\\"))
        if backslashes % 2 == 0:
            return j
        i = j + 1


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _blank(line: str) -> str:
    """An empty line, or ``pass`` at the line's indentation (a block must keep a statement)."""
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass" if indent else ""


def _magic_line(line: str) -> str | None:
    """The replacement of an IPython line (at a statement start), None when it is Python."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped[0] in "!%":
        return _blank(line)
    if _HELP.match(line):
        return _blank(line)
    m = _ASSIGN_MAGIC.match(line)
    if m:
        rest = m.group("rest")
        if m.group("kind") == "!":
            return f"{m.group('target')}get_ipython().getoutput({rest.strip()!r})"
        name, _, args = rest.partition(" ")
        return f"{m.group('target')}get_ipython().run_line_magic({name!r}, {args.strip()!r})"
    m = _AUTOMAGIC.match(line)
    if m and m.group("name") in AUTOMAGICS and m.group("rest") is not None and not _parses(stripped):
        return _blank(line)
    return None


def _split(source: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", source)


def strip_ipython(source: str) -> list[str]:
    """The cell's lines with IPython syntax replaced (see the module docstring)."""
    return _split(source) if _parses(source) else _replace_ipython(_split(source))


def _replace_ipython(lines: list[str]) -> list[str]:
    first = next((i for i, s in enumerate(lines) if s.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        name = lines[first].lstrip()[2:].split(None, 1)[0] if lines[first].lstrip()[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return ["" for _ in lines]  # another language: the whole cell goes
        lines = [*lines[:first], "", *lines[first + 1:]]
    out = []
    scan = _Scan()
    magic_continues = False
    for line in lines:
        if magic_continues:  # `!pip install \` continues on the next line
            out.append("")
            magic_continues = line.rstrip().endswith("\\")
            continue
        if scan.at_statement_start:
            new = _magic_line(line)
            if new is not None:
                out.append(new)
                magic_continues = line.rstrip().endswith("\\")
                continue
        scan.feed(line)
        out.append(line)
    return out


# -- the joined text ----------------------------------------------------------------------

def read_code(text: str, path: str) -> NotebookCode:
    """The notebook's code cells as one Python text with its line map; SpecError when the
    notebook is malformed or a cell is not valid Python (the position names the cell)."""
    cells = code_cells(parse_json(text, path), path)
    code = NotebookCode(path, "", code_cells=len(cells))
    parts: list[str] = []
    size = 0
    for number, source in cells:
        lines = _split(source)
        cell_text = "\n".join(lines)
        try:
            try:
                ast.parse(cell_text)
            except SyntaxError:  # IPython syntax, or a real error (then it is reported below)
                lines = _replace_ipython(lines)
                cell_text = "\n".join(lines)
                ast.parse(cell_text)
        except SyntaxError as e:
            col = e.offset or 0
            raise SpecError(f"invalid Python: {e.msg}", loc=Location(path, e.lineno or 0, col, cell=number),
                            hint="each code cell must be valid Python on its own, as Jupyter runs it") from None
        except (ValueError, RecursionError, MemoryError):
            raise SpecError("the cell is nested too deeply to read", loc=Location(path, cell=number)) from None
        parts.extend(lines)
        code.lines.extend((number, i) for i in range(1, len(lines) + 1))
        size += len(cell_text) + 1
        if size > MAX_CODE_BYTES:
            raise _error(path, f"the notebook holds too much code (more than {MAX_CODE_BYTES} characters)", hint=None)
    code.text = "\n".join(parts) + ("\n" if parts else "")
    return code


def read_python(text: str, path: str, locate: Any, overrides: Mapping[str, Any] | None = None,
                **options: Any) -> Graph:
    """Hand Python text to the Python reader (shared by notebooks and standard input)."""
    from archcalc.readers.python import load_text

    options = {k: v for k, v in options.items() if k in ("model_name", "era") and v is not None}
    return load_text(text, path, locate=locate, overrides=overrides, **options)


def load_text(text: str, path: str = "<notebook>", overrides: Mapping[str, Any] | None = None,
              **options: Any) -> Graph:
    """Read a notebook given as JSON text into the Graph of its model."""
    code = read_code(text, path)
    graph = read_python(code.text, path, code.locate, overrides, **options)
    graph.extras["notebook"] = {"code_cells": code.code_cells}
    return graph


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, model_name: str | None = None,
         **options: Any) -> Graph:
    """Read a Jupyter notebook file (statically) into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "notebook")
    return load_text(text, str(path), overrides, model_name=model_name, **options)
