"""JSON and YAML configuration files next to a program: their values, read safely.

``cfg = json.load(open('config.json'))``, ``with open('config.yaml') as f: cfg = yaml.safe_load(f)``
and ``json.loads(f.read())`` give the file's values (dicts, lists, numbers, strings), so that
``Dense(cfg['n_hidden'])`` has its size. The file is read only when it is a regular file beside
the program, of at most ``limits.MAX_CONFIG_BYTES`` bytes; JSON is parsed by :mod:`json`, YAML
by PyYAML's safe composer (no tags, no code; aliases counted as the spec reader counts them).
Nothing in it is executed. A file that is not there, too large or not valid leaves the values
unknown: named sizes (``cfg['n_hidden']``) that ``--set`` pins, and a note says so.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archcalc import limits
from archcalc.errors import ArchcalcError
from archcalc.readers.python import data_files
from archcalc.readers.python.values import LibraryValue, Mod, Unknown

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object

#: the suffixes of the files read (any other file opened by the program stays unknown)
CONFIG_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@dataclass
class OpenedFile(LibraryValue):
    """``open('config.json')``: the name the program gives, and the file when it is there."""

    name: str
    path: Path | None
    line: int

    def __repr__(self) -> str:
        return f"the file {self.name!r} (opened at line {self.line})"


def opened(program: str, args: list[Any], line: int) -> Any:
    """The value of ``open(name)`` (reading): an :class:`OpenedFile` for a name, else NotImplemented."""
    name = args[0] if args else None
    mode = args[1] if len(args) > 1 else "r"
    if not isinstance(name, str) or not isinstance(mode, str) or any(m in mode for m in "wax+"):
        return NotImplemented
    return OpenedFile(name, data_files.resolve(program, name), line)


def _number_ok(v: Any, depth: int = 0) -> bool:
    """Every number of a parsed document within the shared limits (``limits.number_ok``)."""
    if depth > limits.MAX_CONFIG_DEPTH:
        return False
    if isinstance(v, dict):
        return all(_number_ok(x, depth + 1) for x in v.values())
    if isinstance(v, list):
        return all(_number_ok(x, depth + 1) for x in v)
    return not isinstance(v, (int, float)) or isinstance(v, bool) or limits.number_ok(v)


def parse(text: str, kind: str, where: str) -> Any:
    """The values of a JSON or YAML text; None when it cannot be read within the limits."""
    try:
        if kind == "json":
            if limits.json_values(text) > limits.MAX_JSON_VALUES:
                return None
            value = json.loads(text)
        else:
            value = _yaml_values(text, where)
    except (ValueError, RecursionError, MemoryError, ArchcalcError):
        return None
    return value if _number_ok(value) else None


def _yaml_values(text: str, where: str) -> Any:
    import yaml

    from archcalc.readers.yaml_text import Converter, Loader

    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        raise ValueError("not YAML") from None
    if node is None:
        return None
    if not _plain_tags(node):
        raise ValueError("a YAML tag beyond the plain types")  # !!python/object...: never constructed
    return Converter(where).value(node)


#: the tags of plain YAML values (a config with any other tag is not read)
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def _plain_tags(root: Any) -> bool:
    """Every node of a composed document has a plain tag (each node visited once: aliases share)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            return False
        if isinstance(node.value, list):
            for item in node.value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return True


class ConfigFilesMixin(_Side):
    """``open``, ``json.load``, ``yaml.safe_load`` of the Interpreter (rows of keras_api's tables)."""

    def read_config(self, f: OpenedFile, kind: str | None = None) -> Any:
        """The values of an opened config file, or an unknown value (with a note saying why)."""
        kind = kind or CONFIG_SUFFIXES.get(Path(f.name).suffix.lower())
        what = f"open({f.name!r})"
        if kind is None:
            return Unknown(what, f.line)
        self.config_files_read = getattr(self, "config_files_read", 0) + 1
        if f.path is None or self.config_files_read > limits.MAX_DATA_FILES:
            self.notes.append(f"{f.name} (line {f.line}) is not next to the program: each size read from it is a "
                              f"named size, named as the program reads it; pin it with --set NAME=VALUE "
                              f"(quoted: --set \"cfg['units']=64\")")
            return Unknown(what, f.line)
        try:
            raw = limits.read_file_bytes(f.path, limits.MAX_CONFIG_BYTES, kind="config file")
        except (ArchcalcError, OSError):
            raw = None
        value = parse(raw.decode("utf-8-sig", errors="replace"), kind, str(f.path)) if raw is not None else None
        if value is None:
            self.notes.append(f"{f.name} (line {f.line}) could not be read as {kind.upper()}: it is not valid "
                              f"{kind.upper()}, or past archcalc's limits for a config file (1 MB, plain values); "
                              f"the sizes read from it stay named; pin each with --set NAME=VALUE")
            return Unknown(what, f.line)
        self.notes.append(f"{f.name}: its values, read from the file beside the program (line {f.line})")
        return value

    def lib_config_load(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``json.load(f)``, ``yaml.safe_load(f)``, ``yaml.load(f, Loader=...)`` (always read
        safely), of an opened file or a text."""
        src = args[0] if args else kwargs.get("stream", kwargs.get("fp", kwargs.get("s")))
        kind = "json" if func.path[0] == "json" else "yaml"
        if isinstance(src, OpenedFile):
            return self.read_config(src, kind)
        if isinstance(src, _Text):  # json.loads(f.read())
            return src.value
        if isinstance(src, str) and func.name in ("loads", "safe_load", "load", "full_load"):
            value = parse(src, kind, "<text>")
            return value if value is not None else Unknown(f"{func.path[0]}.{func.name}(...)", e.lineno)
        return NotImplemented

    def config_file_method(self, f: OpenedFile, name: str, e: ast.AST) -> Any:
        """``f.read()`` of a config file: its text (for ``json.loads``); other methods unknown."""
        if name == "read" and CONFIG_SUFFIXES.get(Path(f.name).suffix.lower()) and f.path is not None:
            value = self.read_config(f)
            if not isinstance(value, Unknown):
                return _Text(f, value)
            return value
        return Unknown(f"{f.name}.{name}(...)", getattr(e, "lineno", 0))


@dataclass
class _Text:
    """``f.read()`` of a config file already parsed: ``json.loads`` of it gives the values."""

    file: OpenedFile
    value: Any


CONFIG_LOADERS: dict[tuple[str, str], str] = {
    ("json", "load"): "lib_config_load", ("json", "loads"): "lib_config_load",
    ("yaml", "safe_load"): "lib_config_load", ("yaml", "load"): "lib_config_load",
    ("yaml", "full_load"): "lib_config_load", ("yaml", "unsafe_load"): "lib_config_load",
}

__all__ = ["CONFIG_LOADERS", "ConfigFilesMixin", "OpenedFile", "opened"]
