"""``--format json``: ``{"findings": [...]}`` with the fixed fields of each finding.

Input errors (exit status 2) are listed too, under ``"errors"``, each with path, line,
column, message and hint, so a tool reading the JSON sees why a file was not linted.

In a notebook, findings and errors also have ``"cell"`` (the cell's position counting every
cell from 1); ``line`` and ``column`` are then inside that cell, as Jupyter numbers them.
"""

from __future__ import annotations

import json
from typing import Any


def render(result: Any) -> str:
    errors = []
    for e in result.input_errors:
        loc = e.loc
        entry: dict[str, Any] = {"path": loc.path if loc else None}
        if loc is not None and loc.cell is not None:
            entry["cell"] = loc.cell
        entry.update({
            "line": loc.line if loc and loc.line else None,
            "column": loc.column if loc and loc.column else None,
            "message": e.message,
            "hint": e.hint,
        })
        errors.append(entry)
    doc: dict[str, Any] = {"findings": [f.to_dict() for f in result.findings]}
    if errors:
        doc["errors"] = errors
    return json.dumps(doc, indent=2)
