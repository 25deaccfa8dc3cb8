"""MathML from the LaTeX archcalc writes (explain's aligned blocks, legends), for the page.

latex2mathml converts one expression; it does not lay out ``aligned`` (``&`` and ``\\\\``).
So an aligned block is split here into its rows, each row at its ``&`` into the two
columns, and each cell converted on its own into one cell of an ``<mtable>``: the
derivation reads down the page as in the notes, ``quantity = form = numbers = result``.
"""

from __future__ import annotations

import re

_ALIGNED = re.compile(r"^\s*\\begin\{aligned\}(.*)\\end\{aligned\}\s*$", re.S)


def _convert(tex: str) -> str:
    """The inner MathML (the children of <math>) of one expression."""
    from latex2mathml.converter import convert

    math = convert(tex.strip() or r"\,")
    start = math.index(">") + 1
    return math[start:math.rindex("</math>")]


def latex_to_mathml(tex: str, inline: bool = False) -> str:
    """A complete ``<math>`` element (``display="block"``, or inline) for a LaTeX expression
    or an ``aligned`` block."""
    m = _ALIGNED.match(tex)
    display = "inline" if inline else "block"
    if m is None:
        return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{display}">{_convert(tex)}</math>'
    rows = []
    for row in re.split(r"\\\\", m.group(1)):
        left, amp, right = row.partition("&")
        if not amp:
            left, right = "", row
        rows.append(f"<mtr><mtd>{_convert(left)}</mtd><mtd>{_convert(right)}</mtd></mtr>")
    return (f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{display}">'
            '<mtable columnalign="right left" displaystyle="true">' + "".join(rows) + "</mtable></math>")
