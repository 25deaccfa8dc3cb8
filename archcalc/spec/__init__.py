"""Front-ends: each turns one input format into a Graph."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc.errors import Location, SpecError
from archcalc.graph import Graph

#: file suffix -> "module:function" of the front-end that reads it (imported lazily)
FRONT_ENDS: dict[str, str] = {
    ".yaml": "archcalc.spec.yaml_spec:load",
    ".yml": "archcalc.spec.yaml_spec:load",
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
    if overrides or options:
        return loader(path, overrides=overrides, **options) if overrides else loader(path, **options)
    return loader(path)
