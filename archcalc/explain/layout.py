"""Text layout for the terminal: lines wrapped to the width with hanging indents. No sympy
and no engine here, so ``calc`` can use it without paying for them."""

from __future__ import annotations

import re
import textwrap


def wrap(line: str, width: int) -> list[str]:
    """One output line wrapped to ``width`` with a hanging indent: a continued equation
    lines up after its ``=``, a ``where``/``note:`` line after that word."""
    if len(line) <= width:
        return [line]
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    number = re.match(r"\d+\. ", body)
    if body.startswith(("where ", "note: ")):
        hang = indent + 6
    elif number:  # a numbered question: under its text
        hang = indent + number.end()
    elif " = " in body[: width // 2]:
        hang = indent + body.index(" = ") + 3
    else:
        hang = indent + 4
    if hang > width // 2:
        hang = indent + 4
    if body.startswith("where "):  # keep each "name = value" on one line
        line = line.replace(" = ", "\u00a0=\u00a0")
    lines = textwrap.wrap(line, width, subsequent_indent=" " * hang, break_long_words=False,
                          break_on_hyphens=False) or [line]
    return [x.replace("\u00a0", " ") for x in lines]
