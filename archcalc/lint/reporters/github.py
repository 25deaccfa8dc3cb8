"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,col=C,title=CODE::message``; warnings become ``::warning`` and
info ``::notice``. Values are escaped as the runner expects (``%``, CR, LF, and in
properties also ``:`` and ``,``).
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
        lines.append(
            f"::{LEVEL[f.severity.value]} file={_prop(f.path)},line={f.line},col={f.column},"
            f"title={_prop(f.code)}::{_data(message)}"
        )
    for e in result.input_errors:
        loc = e.loc
        props = f"file={_prop(loc.path)}" if loc else ""
        if loc and loc.line:
            props += f",line={loc.line},col={loc.column or 1}"
        lines.append(f"::error {props},title=input error::{_data(e.message)}" if props
                     else f"::error title=input error::{_data(e.message)}")
    return "\n".join(lines)
