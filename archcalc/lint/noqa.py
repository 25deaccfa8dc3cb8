"""Inline suppressions: ``# archcalc: noqa`` and ``# archcalc: noqa: CODE[,CODE]``.

The comment goes on the line a finding points at (the layer's line, or the ``compile``
line for loss findings), in YAML specs and in Python files alike. In Python files only
real comments count (found with :mod:`tokenize`), so the text inside a string does not
suppress anything.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

_NOQA = re.compile(
    r"#\s*archcalc:\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*))?",
    re.IGNORECASE,
)


@dataclass
class Suppression:
    """One noqa comment: its line and codes (None = every code)."""

    line: int
    column: int
    codes: frozenset[str] | None
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def _comments(text: str, python: bool) -> list[tuple[int, int, str]]:
    """(line, column, comment text) of each comment that mentions archcalc."""
    if "archcalc" not in text.lower():
        return []  # the common case, and a 30,000-line file is not tokenized for nothing
    if python:
        try:
            out = []
            for tok in tokenize.generate_tokens(io.StringIO(text).readline):
                if tok.type == tokenize.COMMENT and "archcalc" in tok.string.lower():
                    out.append((tok.start[0], tok.start[1] + 1, tok.string))
            return out
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass  # fall back to the plain scan below
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        pos = line.find("#")
        if pos >= 0 and "archcalc" in line[pos:].lower():
            out.append((i, pos + 1, line[pos:]))
    return out


def parse(text: str, python: bool = False) -> dict[int, Suppression]:
    """Line number -> the suppression written on that line."""
    found: dict[int, Suppression] = {}
    for line, col, comment in _comments(text, python):
        m = _NOQA.search(comment)
        if not m:
            continue
        codes = m.group("codes")
        parsed = frozenset(c.strip().upper() for c in codes.split(",")) if codes else None
        found[line] = Suppression(line, col + m.start(), parsed)
    return found
