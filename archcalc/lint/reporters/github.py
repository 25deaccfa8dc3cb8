"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=CODE::message``; warnings become ``::warning`` and
info ``::notice``. Values are escaped as the runner expects (``%``, CR, LF, and in
properties also ``:`` and ``,``).

GitHub cannot point into a notebook cell: its annotations take a line of the file, and an
``.ipynb`` file's lines are its JSON. A finding in a notebook is therefore annotated on
line 1 of the notebook, with the cell and the line inside it in the title
(``title=AC101 cell 7:3:5``) and at the start of the message, where a reader sees them.
"""

from __future__ import annotations

from typing import Any

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Any) -> str:
    lines = []
    for f in result.findings:
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        message += "".join(f" (see {r.where}: {r.message})" for r in f.related)
        if f.cell is not None:
            place = f"cell {f.cell}:{f.line}:{f.column}"
            lines.append(f"::{LEVEL[f.severity.value]} file={_prop(f.path)},line=1,"
                         f"title={_prop(f'{f.code} {place}')}::{_data(f'{place}: {message}')}")
            continue
        lines.append(
            f"::{LEVEL[f.severity.value]} file={_prop(f.path)},line={f.line},col={f.column},"
            f"title={_prop(f.code)}::{_data(message)}"
        )
    for e in result.input_errors:
        loc = e.loc
        props = f"file={_prop(loc.path)}" if loc else ""
        message = e.message
        if loc and loc.cell is not None:
            place = f"cell {loc.cell}" + (f":{loc.line}:{loc.column or 1}" if loc.line else "")
            props += ",line=1"
            message = f"{place}: {message}"
        elif loc and loc.line:
            props += f",line={loc.line},col={loc.column or 1}"
        lines.append(f"::error {props},title=input error::{_data(message)}" if props
                     else f"::error title=input error::{_data(message)}")
    return "\n".join(lines)
