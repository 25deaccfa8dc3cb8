"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

One ``reportingDescriptor`` per rule of the run (id, name, short and full description,
help from the rule's docstring, default level), one result per finding with a physical
location (file relative to the working directory, line, column). Input errors become
``toolExecutionNotifications`` and make ``executionSuccessful`` false.

Notebooks: SARIF has no notion of a cell (a region's lines are lines of the artifact, and an
``.ipynb`` artifact's lines are its JSON). archcalc keeps the notebook as the artifact and
gives the region as Jupyter numbers it, the line and column inside the cell, with the cell
in the location's property bag (``"properties": {"cell": 7}``) and at the start of the
message text (``cell 7:3:5: ...``), so a viewer that does not read the property bag still
shows where the finding is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/archcalc/archcalc#lint"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A relative POSIX path when the file is under the working directory, else a file URI."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.resolve().as_uri()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("archcalc")
    except Exception:  # pragma: no cover - running from a source tree without metadata
        return "0"


def _descriptor(rule: Any) -> dict[str, Any]:
    doc = rule.doc()
    body = doc.split("\n", 1)[1].strip() if "\n" in doc else doc
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": body.split("\n\n", 1)[0].replace("\n", " ")},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {"tags": [rule.name.split(".")[0]]},
    }


def _region(line: int, column: int) -> dict[str, int]:
    return {"startLine": max(1, line), "startColumn": max(1, column)}


def _related(i: int, r: Any) -> dict[str, Any]:
    """A relatedLocations entry: the place, with its note (and the cell, as for a result)."""
    text = r.message if r.cell is None else f"cell {r.cell}:{r.line}:{r.column}: {r.message}"
    loc: dict[str, Any] = {
        "id": i,
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.path)},
                             "region": _region(r.line, r.column)},
        "message": {"text": text},
    }
    if r.cell is not None:
        loc["properties"] = {"cell": r.cell}
    return loc


def build(result: Any) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` dumps it)."""
    rules = list(result.rules)
    index = {r.code: i for i, r in enumerate(rules)}
    for f in result.findings:  # a finding whose rule is not in the list (cannot happen today)
        if f.code not in index:  # pragma: no cover
            index[f.code] = len(rules)
    results = []
    for f in result.findings:
        text = f.message + (f"\nhint: {f.hint}" if f.hint else "")
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(f.path)},
                "region": _region(f.line, f.column),
            }
        }
        if f.cell is not None:
            location["properties"] = {"cell": f.cell}
            text = f"cell {f.cell}:{f.line}:{f.column}: {text}"
        res: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVEL[f.severity.value],
            "message": {"text": text},
            "locations": [location],
        }
        if f.related:
            res["relatedLocations"] = [_related(i, r) for i, r in enumerate(f.related, start=1)]
        if f.layer:
            res["properties"] = {"layer": f.layer}
        results.append(res)
    notes = []
    for e in result.input_errors:
        message = e.message + (f"\nhint: {e.hint}" if e.hint else "")
        note: dict[str, Any] = {"level": "error", "message": {"text": message}}
        if e.loc is not None:
            phys: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(e.loc.path)}}
            if e.loc.line:
                phys["region"] = _region(e.loc.line, e.loc.column)
            loc: dict[str, Any] = {"physicalLocation": phys}
            if e.loc.cell is not None:
                loc["properties"] = {"cell": e.loc.cell}
                place = f"cell {e.loc.cell}" + (f":{e.loc.line}:{e.loc.column or 1}" if e.loc.line else "")
                note["message"] = {"text": f"{place}: {message}"}
            note["locations"] = [loc]
        notes.append(note)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "archcalc",
                "version": _version(),
                "informationUri": INFO_URI,
                "rules": [_descriptor(r) for r in rules],
            }},
            "invocations": [{
                "executionSuccessful": not result.input_errors,
                "toolExecutionNotifications": notes,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(result: Any) -> str:
    return json.dumps(build(result), indent=2)
