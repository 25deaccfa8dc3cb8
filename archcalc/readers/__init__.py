"""Front-ends: each turns one input format into a Graph.

Files are dispatched by suffix (:data:`FRONT_ENDS`); text that has no file name (standard
input, ``-`` on the command line) by format name (:data:`TEXT_FRONT_ENDS`), given or sniffed
(:func:`sniff`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc.errors import Location, SpecError, UsageError
from archcalc.graph import Graph
from archcalc.lazy import LazyTable

#: file suffix -> "module:function" of the front-end that reads it (imported lazily)
FRONT_ENDS = LazyTable({
    ".yaml": "archcalc.readers.yaml_spec:load",
    ".yml": "archcalc.readers.yaml_spec:load",
    ".py": "archcalc.readers.python:load",
    ".ipynb": "archcalc.readers.notebook:load",
    ".json": "archcalc.readers.keras_json:load",
    ".keras": "archcalc.readers.keras_json:load",
    ".h5": "archcalc.readers.keras_json:load",
    ".hdf5": "archcalc.readers.keras_json:load",
})

#: suffixes whose files hold Python code (several models may be built: --model picks one)
PYTHON_SUFFIXES = frozenset({".py", ".ipynb"})

#: format name (``--stdin-format``) -> the suffix whose front-end reads it
TEXT_FORMATS: dict[str, str] = {"yaml": ".yaml", "py": ".py", "ipynb": ".ipynb", "json": ".json"}

#: the name standard input has in messages
STDIN = "<stdin>"


def _check_model_option(suffix: str, name: str, options: Mapping[str, Any]) -> None:
    if options.get("model_name") and suffix not in PYTHON_SUFFIXES:
        raise UsageError(
            f"--model picks one of several models in a Python file or notebook; {name} holds one model",
            hint="leave out --model",
        )


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, **options: Any) -> Graph:
    """Read any supported model file into a Graph, choosing the front-end by suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FRONT_ENDS:
        raise SpecError(
            f"unsupported file type '{suffix or Path(path).name}'",
            loc=Location(str(path)),
            hint="archcalc reads " + ", ".join(sorted(FRONT_ENDS)) + " files",
        )
    loader = FRONT_ENDS.load(suffix)
    from archcalc.readers.custom_layers import active

    _check_model_option(suffix, Path(path).name, options)
    options = {k: v for k, v in options.items() if v is not None}
    from archcalc.limits import one_read

    with active(path), one_read():  # custom layers declared beside the model (see custom_layers.py)
        return loader(path, overrides=overrides or None, **options)


# -- text without a file: standard input --------------------------------------------------

def max_bytes(fmt: str) -> int:
    """The size cap of a format (the one its front-end applies to files)."""
    if fmt == "yaml":
        from archcalc.readers.yaml_spec import MAX_BYTES as cap
    elif fmt == "py":
        from archcalc.readers.python.interpreter import MAX_BYTES as cap
    elif fmt == "ipynb":
        from archcalc.readers.notebook import MAX_BYTES as cap
    else:
        from archcalc.readers.keras_files import MAX_JSON_BYTES as cap
    return int(cap)


def sniff(text: str) -> str:
    """The format of model text with no file name: ``ipynb``, ``json``, ``yaml`` or ``py``.

    A JSON object with ``cells`` (or nbformat 3's ``worksheets``) is a notebook, one with
    ``class_name``/``config`` a Keras model config; YAML with a top-level ``layers:`` is a
    spec; anything else is read as Python.
    """
    import re

    head = text.lstrip()
    if head.startswith("{"):
        import json

        from archcalc import limits

        if limits.json_values(text) > limits.MAX_JSON_VALUES:  # too large to parse twice: a name
            return "ipynb" if re.search(r'"(cells|nbformat)"\s*:', head[:65536]) else "json"
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            # not JSON: a YAML flow mapping holding a spec, else broken JSON (its reader says where)
            return "yaml" if re.search(r"\blayers\s*:", head[:4096]) else "json"
        if isinstance(doc, dict):
            if "cells" in doc or "worksheets" in doc or "nbformat" in doc:
                return "ipynb"
            if "class_name" in doc or "config" in doc:
                return "json"
            if "layers" in doc:
                return "yaml"  # YAML is a superset of JSON: a spec written as JSON
        return "json"
    if re.search(r"^layers\s*:", text, re.MULTILINE):
        import ast

        from archcalc import limits

        if limits.python_terms(text) > limits.MAX_PY_TERMS:
            return "py"  # too large to parse: the Python reader says so
        try:
            ast.parse(text)  # `layers: list = []` is Python
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return "yaml"
    return "py"


def load_text(text: str, fmt: str, path: str = STDIN, overrides: Mapping[str, Any] | None = None,
              **options: Any) -> Graph:
    """Read model text of a given format (``yaml``, ``py``, ``ipynb``, ``json``) into a Graph."""
    from archcalc.readers.custom_layers import active

    if fmt not in TEXT_FORMATS:
        raise UsageError(f"unknown format '{fmt}'", hint="formats: " + ", ".join(TEXT_FORMATS))
    _check_model_option(TEXT_FORMATS[fmt], path, options)
    cap = max_bytes(fmt)
    if len(text.encode("utf-8", "surrogatepass")) > cap:
        raise SpecError(f"the {fmt} text is too large (the limit is {cap} bytes)", loc=Location(path))
    overrides = overrides or None
    from archcalc.limits import one_read

    with active(path), one_read():  # archcalc-layers.yaml in the working directory, for standard input
        if fmt == "yaml":
            from archcalc.readers.yaml_spec import load_text as read_yaml

            return read_yaml(text, path, overrides)
        if fmt == "json":
            from archcalc.readers import keras_json

            return keras_json.load_config(keras_json.parse_json(text, path), path)
        from archcalc.readers import notebook

        if fmt == "ipynb":
            return notebook.load_text(text, path, overrides, **options)
        return notebook.read_python(text, path, None, overrides, **options)


def load_stdin(fmt: str | None = None, overrides: Mapping[str, Any] | None = None, **options: Any) -> Graph:
    """Read a model from standard input (``-`` on the command line); ``fmt`` None sniffs it."""
    text, fmt = read_stdin_text(fmt)
    return load_text(text, fmt, STDIN, overrides, **options)


def read_stdin_text(fmt: str | None = None) -> tuple[str, str]:
    """(text, format) of standard input, read with the largest cap, then the format's own."""
    from archcalc.readers.builder import decode_text, read_stdin

    cap = max_bytes(fmt) if fmt else max(max_bytes(f) for f in TEXT_FORMATS)
    data = read_stdin(cap)
    if data.startswith(b"PK\x03\x04"):
        raise SpecError("standard input holds a zip archive (a .keras file?), which is read from a file only",
                        loc=Location(STDIN), hint="pass the archive's path instead of `-`")
    text = decode_text(data, Location(STDIN))
    fmt = fmt or sniff(text)
    if len(data) > max_bytes(fmt):
        raise SpecError(f"standard input is too large for {fmt} (the limit is {max_bytes(fmt)} bytes)",
                        loc=Location(STDIN), hint="pass the file's path instead of `-`")
    return text, fmt


def list_models(path: str | Path) -> list[str]:
    """What a model file builds (``summary --list-models``): for Python files and notebooks,
    the model variables, builder functions and model classes; for other formats, the one
    model's name."""
    suffix = Path(path).suffix.lower()
    if suffix == ".py":
        from archcalc.readers.python.interpreter import models_in

        return models_in(path)
    if suffix == ".ipynb":
        from archcalc.readers import notebook
        from archcalc.readers.builder import read_text
        from archcalc.readers.python.interpreter import models_in

        code = notebook.read_code(read_text(path, notebook.MAX_BYTES, "notebook"), str(path))
        return models_in(path, code.text, code.locate)
    return [load(path).name]
