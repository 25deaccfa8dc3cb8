"""Front-ends: each turns one input format into a Graph."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc.errors import Location, SpecError
from archcalc.graph import Graph

#: file suffix -> "module:function" of the front-end that reads it (imported lazily)
FRONT_ENDS: dict[str, str] = {
    ".yaml": "archcalc.readers.yaml_spec:load",
    ".yml": "archcalc.readers.yaml_spec:load",
    ".py": "archcalc.readers.python:load",
    ".json": "archcalc.readers.keras_json:load",
    ".keras": "archcalc.readers.keras_json:load",
}


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, **options: Any) -> Graph:
    """Read any supported model file into a Graph, choosing the front-end by suffix."""
    import importlib

    suffix = Path(path).suffix.lower()
    target = FRONT_ENDS.get(suffix)
    if target is None:
        raise SpecError(
            f"unsupported file type '{suffix or Path(path).name}'",
            loc=Location(str(path)),
            hint="archcalc reads " + ", ".join(sorted(FRONT_ENDS)) + " files",
        )
    module, func = target.split(":")
    loader = getattr(importlib.import_module(module), func)
    from archcalc.readers.custom_layers import active

    if options.get("model_name") and suffix != ".py":
        from archcalc.errors import UsageError

        raise UsageError(
            f"--model picks one of several models in a Python file; {Path(path).name} holds one model",
            hint="leave out --model",
        )
    options = {k: v for k, v in options.items() if v is not None}
    with active(path):  # custom layer classes declared beside the model (see custom_layers.py)
        return loader(path, overrides=overrides or None, **options)
