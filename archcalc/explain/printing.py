"""Printing sympy expressions the way the notes write them: ``5^2 x 3``, numbers last in a
sum, and the symbols' values put in without sympy evaluating them away."""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from archcalc.layers.base import fmt_shape

#: LaTeX names for multi-letter symbols (the notes write words: units, input_dim)
_LATEX_WORDS = r"\text{%s}"


def sym(name: str) -> sp.Symbol:
    """A size symbol: a positive integer, as every size and count is."""
    return sp.Symbol(name, integer=True, positive=True)


def latex_name(s: sp.Symbol) -> str:
    name = s.name
    if name.isdigit() or len(name) == 1:
        return name
    head, _, tail = name.partition("_")
    if len(head) == 1 and tail:  # C_in, K_1: a subscript
        return f"{head}_{{{_text(tail) if len(tail) > 1 and not tail.isdigit() else tail}}}"
    return _LATEX_WORDS % name.replace("_", r"\_")


def _text(s: str) -> str:
    return r"\text{{{}}}".format(s.replace("_", r"\_"))


def tidy(expr: Any) -> Any:
    """Reorder for reading: in a sum the numbers go last (``floor(...) + 1``), in a product
    first (``2 x P``). Returns an unevaluated expression."""
    expr = sp.sympify(expr)
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    args = [tidy(a) for a in expr.args]
    with sp.evaluate(False):
        if isinstance(expr, sp.Add):
            args.sort(key=lambda a: 1 if a.is_Number else 0)
            return sp.Add(*args)
        if isinstance(expr, sp.Mul):
            args.sort(key=lambda a: 0 if a.is_Number else 1)
            return sp.Mul(*args)
        return expr.func(*args)


def put_numbers(expr: Any, values: dict[sp.Symbol, Any]) -> Any:
    """The expression with each symbol replaced by its value, left unevaluated
    (``(5^2 x 3 + 1) x 8``, not 608)."""
    mapping = {s: (tidy(v) if isinstance(v, sp.Basic) and v.free_symbols else sp.Symbol(_num(v)))
               for s, v in values.items()}
    return _rebuild(sp.sympify(expr), mapping)


def _rebuild(expr: Any, mapping: dict) -> Any:
    """xreplace that keeps the order of the arguments (xreplace re-sorts sums)."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = [_rebuild(a, mapping) for a in expr.args]
    if isinstance(expr, (sp.Max, sp.Min)):  # Max sorts its arguments: keep them as written
        return _ORDERED[type(expr).__name__](*args)
    with sp.evaluate(False):
        if isinstance(expr, (sp.Add, sp.Mul)):
            return expr.func(*args, evaluate=False)
        return expr.func(*args)


#: max/min that keep their arguments in order (for display: the numbers put in for K, S)
_ORDERED = {"Max": sp.Function("max"), "Min": sp.Function("min")}


def _num(v: Any) -> str:
    if isinstance(v, sp.Basic) and v.free_symbols:
        return to_text(tidy(v))
    v = sp.nsimplify(v) if not isinstance(v, int) else v
    return str(v)


class _NotesStr(StrPrinter):
    """sympy's str printer with the notes' spellings: ``⌊x⌋``, ``⌈x⌉`` and ``max(a, b)``
    (not sympy's ``floor(x)``/``Max(a, b)``), arguments of max kept in their written order."""

    def _print_floor(self, expr: Any) -> str:
        return "⌊" + self._print(expr.args[0]) + "⌋"

    def _print_ceiling(self, expr: Any) -> str:
        return "⌈" + self._print(expr.args[0]) + "⌉"

    def _print_Max(self, expr: Any) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr: Any) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"


def to_text(expr: Any) -> str:
    """``(K^2 × C_in + 1) × filters``, ``⌊(I - K + 2 × P)/S⌋ + 1``."""
    text = _NotesStr({"order": "none"}).doprint(expr)
    text = text.replace("**", "^").replace("*", " × ")
    return text


class _InOrderLatex(LatexPrinter):
    """Sums printed in the order they were built: (K - S), not -(S - K); max/min as
    \\max/\\min with their arguments as written."""

    def _print_Function(self, expr: Any, exp: Any = None) -> str:
        name = type(expr).__name__
        if name in ("max", "min"):
            return rf"\{name}\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return super()._print_Function(expr, exp)

    def _print_Max(self, expr: Any, exp: Any = None) -> str:
        return r"\max\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"

    def _print_Min(self, expr: Any, exp: Any = None) -> str:
        return r"\min\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        out = ""
        for i, term in enumerate(expr.args):
            neg = False
            if isinstance(term, sp.Mul) and term.args and term.args[0].is_Number and term.args[0] < 0:
                coeff = -term.args[0]
                rest = term.args[1:]
                with sp.evaluate(False):
                    term = sp.Mul(*rest, evaluate=False) if coeff == 1 else sp.Mul(coeff, *rest, evaluate=False)
                neg = True
            elif term.is_Number and term < 0:
                term, neg = -term, True
            text = self._print(term)
            if isinstance(term, sp.Add):
                text = rf"\left({text}\right)"
            out += ("- " if neg else "+ ") + text + " " if i else ("- " if neg else "") + text + " "
        return out.strip()


def to_latex(expr: Any) -> str:
    names = {s: latex_name(s) for s in sp.sympify(expr).atoms(sp.Symbol)}
    printer = _InOrderLatex({"order": "none", "mul_symbol": "times", "symbol_names": names})
    return printer.doprint(expr)


def fmt_value(v: Any) -> str:
    """A result as the notes print it: 4,800; symbolic results as a formula."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int) or (isinstance(v, sp.Integer)):
        return f"{int(v):,}"
    if isinstance(v, sp.Rational) and not isinstance(v, sp.Integer):
        return str(v)
    try:
        from fractions import Fraction

        if isinstance(v, Fraction):
            return str(v) if v.denominator != 1 else f"{v.numerator:,}"
    except ImportError:  # pragma: no cover
        pass
    return to_text(tidy(v)) if isinstance(v, sp.Basic) else str(v)


def latex_value(v: Any) -> str:
    if isinstance(v, (int, sp.Integer)) and not isinstance(v, bool):
        return f"{int(v):,}".replace(",", "{,}")
    from fractions import Fraction

    if isinstance(v, Fraction):
        return latex_value(int(v)) if v.denominator == 1 else rf"\tfrac{{{v.numerator}}}{{{v.denominator}}}"
    if isinstance(v, sp.Basic):
        return to_latex(tidy(v))
    return str(v)


def fmt_dim_text(d: Any) -> str:
    """One size of a shape: 28, None, or a symbolic size as a formula (⌊H/2⌋)."""
    if d is None:
        return "None"
    if isinstance(d, sp.Basic) and d.free_symbols:
        return to_text(tidy(d))
    return str(d)


def fmt_shape_text(shape: Any) -> str:
    """A shape as Keras prints it, symbolic sizes in the notes' notation: (None, ⌊H/2⌋, 64)."""
    return fmt_shape(shape, fmt_dim_text)
