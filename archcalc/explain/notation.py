"""The notes' letters and the notes' arrangements of the engine's formulas, in one place.

The letters I, O, K, S, P, D (and their legend) are the symbols every output-size,
calculator and receptive-field derivation uses. An *arrangement* is the notes' way of
writing a formula of ``archcalc.layers.formulas`` (``K = I + 2P - S(O - 1)``): an
unevaluated sympy expression in the notes' order, shown only after it is proved equal to
the engine's function on the same symbols. When the proof fails, the engine's own
expression is shown instead, so a derivation can never drift from the number.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import sympy as sp

from archcalc.explain.printing import sym, tidy
from archcalc.layers import formulas as F

I, O, K, S, D = (sym(n) for n in "IOKSD")  # noqa: E741  (the notes' letters)
P = sp.Symbol("P", integer=True, nonnegative=True)  # padding may be 0
#: the notes' letters by name (``calc conv I=32 ...``)
LETTERS: dict[str, sp.Symbol] = {"I": I, "O": O, "K": K, "S": S, "P": P, "D": D}
#: what each letter stands for, for the "where ..." line of a derivation
LEGEND: dict[sp.Symbol, str] = {I: "input size", O: "output size", K: "kernel size", S: "stride",
                                P: "padding", D: "dilation"}


def proved_equal(arranged: Any, engine: Any) -> bool:
    """Whether the arrangement and the engine's expression are the same function."""
    return bool(sp.simplify(sp.sympify(arranged).doit() - sp.sympify(engine)) == 0)


def _parse(text: str) -> Any:
    """A formula written as the notes write it (``2P`` for 2 x P), kept in its written order."""
    from sympy.parsing.sympy_parser import parse_expr

    return parse_expr(re.sub(r"(\d)([A-Z])", r"\1*\2", text), local_dict=dict(LETTERS), evaluate=False)


def _floored(expr: Any) -> Any:
    """The notes' fraction floored as Keras does: (I - K + 2P)/S + 1 -> floor((I - K + 2P)/S) + 1."""
    with sp.evaluate(False):
        terms = [sp.floor(t) if not t.is_Number else t for t in expr.args]
        return sp.Add(*terms)


@cache
def output_size_form() -> Any:
    """O = floor((I - K + 2P)/S) + 1: ``formulas.NOTES_OUTPUT_SIZE`` floored, proved equal to
    the engine's ``notes_output_size`` (Keras's 'valid' rule on the input padded by P)."""
    arranged = _floored(_parse(F.NOTES_OUTPUT_SIZE))
    engine = F.notes_output_size(I, K, S, P)
    return arranged if proved_equal(arranged, engine) else tidy(engine)


def output_size(d: Any = 1) -> Any:
    """The output size with numeric padding P, for dilation 1 (the notes' form) or a
    dilation symbol (the engine's expression with K_eff = D(K - 1) + 1)."""
    if d == 1:
        return output_size_form()
    return tidy(F.notes_output_size(I, K, S, P, d))


#: the output-size equation solved for each letter, as the notes would write it (without
#: Keras's floor: the sizes that fit exactly)
_SOLVED = {
    "I": lambda: sp.Add(sp.Mul(O, S), sp.Add(K, sp.Mul(-1, S)), sp.Mul(-2, P)),  # O x S + (K - S) - 2P
    "K": lambda: sp.Add(I, sp.Mul(2, P), sp.Mul(-1, S, sp.Add(O, -1))),  # I + 2P - S(O - 1)
    "S": lambda: sp.Mul(sp.Add(I, sp.Mul(-1, K), sp.Mul(2, P)), sp.Pow(sp.Add(O, -1), -1)),  # (I - K + 2P)/(O - 1)
    "P": lambda: sp.Mul(sp.Add(sp.Mul(S, sp.Add(O, -1)), K, sp.Mul(-1, I)), sp.Pow(2, -1)),  # (S(O - 1) + K - I)/2
    # the dilation (K_eff = D(K - 1) + 1 in place of K): (I + 2P - S(O - 1) - 1)/(K - 1)
    "D": lambda: sp.Mul(sp.Add(I, sp.Mul(2, P), sp.Mul(-1, S, sp.Add(O, -1)), -1), sp.Pow(sp.Add(K, -1), -1)),
}


def solved_form(letter: str, engine_solution: Any) -> Any:
    """The notes' arrangement of the output-size equation solved for ``letter`` when it
    equals sympy's solution of the engine's equation; otherwise sympy's, tidied."""
    make = _SOLVED.get(letter)
    if make is not None:
        with sp.evaluate(False):
            arranged = make()
        if proved_equal(arranged, engine_solution):
            return arranged
    return tidy(sp.together(engine_solution))


@cache
def input_size_form() -> Any:
    """The notes' inverse I = O x S + (K - S) - 2P (the input that O outputs cover), proved
    equal to ``formulas.notes_input_size``."""
    engine = F.notes_input_size(O, K, S, P)
    with sp.evaluate(False):
        arranged = _SOLVED["I"]()
    return arranged if proved_equal(arranged, engine) else tidy(engine)


@cache
def transpose_form(i: Any, padding: str, output_padding: Any, d: Any = 1) -> Any:
    """The transposed convolution's output size in the notes' reading order,
    (I - 1) x S + max(K, S) for 'valid', when it equals the engine's formula
    (``formulas.transpose_output_length`` on symbols); otherwise the engine's expression."""
    engine = F.transpose_output_length(i, K, S, padding, output_padding, d)
    if padding == "valid" and output_padding is None and d == 1:
        with sp.evaluate(False):
            arranged = sp.Add(sp.Mul(sp.Add(i, -1), S), sp.Max(K, S, evaluate=False))
        if proved_equal(arranged, engine):
            return arranged
    return tidy(engine)
