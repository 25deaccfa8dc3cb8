"""A derivation: quantity = general form(s) = numbers put in = result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from archcalc.explain.printing import (
    fmt_value,
    latex_name,
    latex_value,
    put_numbers,
    to_latex,
    to_text,
)


@dataclass
class Derivation:
    """One worked result.

    ``forms`` are equal symbolic expressions (the engine's, and the notes' arrangement of
    it); ``values`` maps each symbol to its number; ``value`` is the result, which is the
    engine's own number. ``legend`` says what a symbol stands for; ``notes`` carry
    conventions (where Keras and the notes differ, both are shown).
    """

    quantity: str
    forms: list[Any]
    values: dict[sp.Symbol, Any]
    value: Any
    legend: dict[sp.Symbol, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: intermediate numeric steps shown between the substituted forms and the value
    steps: list[Any] = field(default_factory=list)
    #: the quantity this one is a part of (an attention projection of "parameters"), or None
    part_of: str | None = None

    def copy(self) -> Derivation:
        """A copy whose lists and dicts can be changed on their own (the expressions are
        immutable and shared)."""
        return Derivation(self.quantity, list(self.forms), dict(self.values), self.value, dict(self.legend),
                          list(self.notes), list(self.steps), self.part_of)

    def _key(self) -> tuple:
        return (self.quantity, tuple(self.forms), tuple(self.values.items()), repr(self.value),
                tuple(self.legend.items()), tuple(self.notes), tuple(self.steps))

    def substituted(self) -> list[Any]:
        out = []
        for f in self.forms:
            if not sp.sympify(f).free_symbols:
                continue
            s = put_numbers(f, self.values)
            if s not in out:
                out.append(s)
        return out

    def chain(self) -> list[Any]:
        """The right-hand sides, in order: general forms, numbers put in, steps."""
        seen: list[Any] = []
        for e in [*self.forms, *self.substituted(), *self.steps]:
            if e not in seen:
                seen.append(e)
        return seen

    def where(self) -> list[tuple[sp.Symbol, Any, str]]:
        used: set[sp.Symbol] = set()
        for f in self.forms:
            used |= sp.sympify(f).free_symbols
        return [(s, v, self.legend.get(s, "")) for s, v in self.values.items() if s in used]

    # -- renderings ----------------------------------------------------------------------

    def text_lines(self) -> list[str]:
        try:
            key = ("text", *self._key())
            cached = _RENDERED.get(key)
        except TypeError:  # an unhashable value: render afresh
            return self._text_lines()
        if cached is None:
            cached = _RENDERED[key] = self._text_lines()
        return list(cached)

    def _text_lines(self) -> list[str]:
        head = f"{self.quantity} = "
        pad = " " * (len(self.quantity) + 1) + "= "
        lines = []
        rhs = [to_text(e) for e in self.chain()] + [fmt_value(self.value)]
        rhs = _dedupe(rhs)
        for i, r in enumerate(rhs):
            lines.append((head if i == 0 else pad) + r)
        where = self.where()
        if where:
            parts = [f"{s.name} = {fmt_value(v)}" + (f" ({d})" if d else "") for s, v, d in where]
            lines.append("  where " + ", ".join(parts))
        lines += [f"  note: {n}" for n in self.notes]
        return lines

    def latex(self) -> str:
        """An aligned block, as in the notes: \\begin{aligned} ... \\end{aligned}."""
        try:
            key = ("latex", *self._key())
            cached = _RENDERED.get(key)
        except TypeError:
            return self._latex()
        if cached is None:
            cached = _RENDERED[key] = self._latex()
        return cached

    def _latex(self) -> str:
        rhs = _dedupe([_latex_rows(e) for e in self.chain()] + [latex_value(self.value)])
        q = r"\text{{{}}}".format(self.quantity.replace("_", r"\_"))
        rows = [f"{q} &= {rhs[0]}"] + [f"&= {r}" for r in rhs[1:]]
        return "\\begin{aligned} " + " \\\\ ".join(rows) + " \\end{aligned}"

    def latex_where(self) -> str:
        where = self.where()
        if not where:
            return ""
        parts = [f"{latex_name(s)} = {latex_value(v)}" + (rf"\ \text{{({d})}}" if d else "")
                 for s, v, d in where]
        return ", ".join(parts)

    def markdown(self) -> str:
        out = [f"$${self.latex()}$$"]
        where = self.where()
        if where:
            out.append("where " + ", ".join(
                f"${latex_name(s)} = {latex_value(v)}$" + (f" ({d})" if d else "") for s, v, d in where))
        out += [f"> {n}" for n in self.notes]
        return "\n\n".join(out)

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def __str__(self) -> str:
        return "\n".join(self.text_lines())

    def __repr__(self) -> str:
        return f"<Derivation {self.quantity} = {fmt_value(self.value)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Jupyter/IPython text/plain
        p.text(repr(self) if cycle else str(self))


#: renderings already made (a deep model repeats the same derivation many times)
_RENDERED: dict[tuple, Any] = {}

#: longest row of an aligned block, in printed characters, before a sum is broken over rows
ROW_CHARS = 64


def _visible(tex: str) -> int:
    """Roughly the printed width of LaTeX math, in characters."""
    import re

    return len(re.sub(r"\\(left|right|text|times|frac|quad)|[{}\\]", "", tex))


def _latex_rows(e: Any) -> str:
    """One right-hand side; a long sum continues on further rows (``&\\quad + ...``) so that no
    row runs past the page."""
    tex = to_latex(e)
    if not isinstance(e, sp.Add) or _visible(tex) <= ROW_CHARS:
        return tex
    rows: list[str] = []
    current = ""
    for term in e.args:
        t = to_latex(term)
        piece = t if not current else (t if t.startswith("-") else "+ " + t)
        if current and _visible(current + piece) > ROW_CHARS:
            rows.append(current)
            current = t if t.startswith("-") else "+ " + t
        else:
            current = (current + " " + piece).strip()
    rows.append(current)
    return " \\\\ &\\quad ".join(rows)


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if not out or out[-1] != x:
            out.append(x)
    return out


#: what a layer's own method raises when it is handed symbols where it needs numbers (a
#: shape check refusing, a comparison sympy cannot decide, Fraction arithmetic on symbols)
NEEDS_NUMBERS: tuple[type[BaseException], ...] = (TypeError, ValueError, ArithmeticError)


def needs_numbers() -> tuple[type[BaseException], ...]:
    """``NEEDS_NUMBERS`` and archcalc's own refusals (imported here, not at the top, so the
    calculator does not load the engine)."""
    from archcalc.errors import ArchcalcError

    return (ArchcalcError, *NEEDS_NUMBERS)


def not_derived(quantity: str, value: Any, why: str) -> Derivation:
    """A number the engine computed whose general form could not be derived on symbols:
    shown with the engine's value and a note saying so, never left out silently."""
    return Derivation(quantity, [], {}, value, notes=[f"not derived as a formula: {why}; "
                                                      "the number is the engine's"])


def check(derivation: Derivation, engine_value: Any) -> Derivation:
    """Every form, with the numbers put in, must give the engine's number."""
    for f in derivation.forms:
        got = sp.sympify(f).doit().xreplace(dict(derivation.values))
        if getattr(got, "is_Integer", False) and isinstance(engine_value, int) and not isinstance(engine_value, bool):
            if int(got) == engine_value:  # the common case: numbers in, a number out
                continue
        got = sp.simplify(got)
        if sp.simplify(got - sp.sympify(engine_value)) != 0 and not _same_on_samples(got, engine_value):
            raise AssertionError(
                f"derivation of {derivation.quantity} disagrees with the engine: "
                f"{to_text(f)} gives {got}, the engine {engine_value}"
            )
    return derivation


def _same_on_samples(a: Any, b: Any) -> bool:
    """Symbolic sizes: sympy cannot always see floor(floor(H/2)/2) = floor(H/4); compare the
    two on every size from 1 to 64 instead (both are piecewise-linear in the sizes)."""
    a, b = sp.sympify(a), sp.sympify(b)
    free = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    if not free:
        return False
    for n in range(1, 65):
        vals = {s: sp.Integer(n + i) for i, s in enumerate(free)}
        if sp.simplify(a.xreplace(vals) - b.xreplace(vals)) != 0:
            return False
    return True
