"""``--format text``: ``path:line:col: CODE [severity] message`` lines, hints, then a summary.

In a notebook the place names the cell: ``notes.ipynb:cell 7:3:5: AC101 ...``.

Input errors are not part of it: the command prints them to stderr for every format.

Coloured with rich when writing to a terminal (``NO_COLOR`` is honoured by rich).
"""

from __future__ import annotations

from typing import Any

from archcalc.lint.finding import Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def lines(result: Any) -> list[tuple[str, str, str]]:
    """(location, code, rest) per output line; rest holds message and hint."""
    out = []
    for f in result.findings:
        rest = f"[{f.severity.value}] {f.message}"
        if f.hint:
            rest += f"\n  hint: {f.hint}"
        for r in f.related:
            rest += f"\n  note: {r.where}: {r.message}"
        out.append((f"{f.where}:", f.code, rest))
    return out


#: the code of a model archcalc could not read (counted apart: it is not a problem found)
NOT_READ = "AC000"


def summary(result: Any) -> str:
    n = len(result.files)
    unread = sum(1 for f in result.findings if f.code == NOT_READ)
    counts = [(result.count(s) - (unread if s is Severity.INFO else 0), s.value) for s in Severity]
    parts = [f"{c} {name}{'' if c == 1 or name == 'info' else 's'}" for c, name in counts if c]
    if unread:
        parts.append(f"{unread} model{'' if unread == 1 else 's'} not read (AC000)")
    found = ", ".join(parts) if parts else "no problems"
    text = f"{found} in {n} file{'' if n == 1 else 's'}"
    if result.input_errors:
        k = len(result.input_errors)
        text += f"; {k} input error{'' if k == 1 else 's'} (exit status 2)"
    return text


def render(result: Any, color: bool | None = None) -> str | None:
    """Plain text, or None after printing it in colour to a terminal."""
    if color is None:
        from archcalc.render.common import color_enabled

        color = color_enabled()
    if not color:
        body = [f"{loc} {code} {rest}" for loc, code, rest in lines(result)]
        return "\n".join([*body, summary(result)])
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for f, (loc, code, rest) in zip(result.findings, lines(result), strict=True):
        t = Text(loc + " ", style="bold")
        t.append(code, style=STYLE[f.severity])
        t.append(" " + rest)
        console.print(t)
    console.print(Text(summary(result), style="bold"))
    return None
