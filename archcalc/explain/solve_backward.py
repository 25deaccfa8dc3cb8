"""``archcalc calc`` backwards: one of I, K, S, P, D asked.

Every integer answer comes from :func:`archcalc.layers.solve.solve` (Keras's arithmetic, by
brute force); the derivation shown is the notes' exact-fit equation solved for the letter
(:func:`exact_fit`, the notes' arrangement from :mod:`archcalc.explain.notation`), or
Keras's forward rule checked with the answer where the notes have no equation
(:func:`archcalc.explain.solve_forward.checked_forward`). The notes say when Keras's floor
admits more than the exact fit, and which of Keras's paddings give O too.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from archcalc.errors import UsageError
from archcalc.explain.derivation import Derivation
from archcalc.explain.notation import LEGEND, D, I, K, O, P, S, solved_form
from archcalc.explain.notation import LETTERS as NAMES
from archcalc.explain.printing import tidy
from archcalc.explain.solution import Solution, mode_text, modes_text
from archcalc.explain.solve_forward import checked_forward
from archcalc.layers import formulas as F
from archcalc.layers import solve as L
from archcalc.layers.solve import LETTERS, MINIMUM, WORDS, Answer, Question


def backward(q: Question, x: str) -> Solution:
    """Every integer value of ``x`` that gives O, derived, with its notes."""
    answer = L.solve(q, x)
    if answer.empty:
        raise UsageError(_none_message(q, x), hint=_nearest_hint(q, x))
    sol = Solution(q, x, answer)
    d, sol.exact = _derivation(q, x, answer)
    if x == "P" and q.kind != "transpose" and answer.values == [] and answer.modes:
        d.notes.append(_same_only_note(q))
    d.notes += _answer_notes(q, x, answer, sol.exact)
    sol.derivations.append(d)
    return sol


def _derivation(q: Question, x: str, answer: Answer) -> tuple[Derivation, Any]:
    """The notes' exact fit and its value where the notes' equation covers the layer (valid
    padding, no transposed convolution); else, or with no exact fit (S with O = 1), Keras's
    rule checked with the answer (and no exact value)."""
    if q.kind == "transpose" or q.mode != "valid":
        return checked_forward(q, x, answer), None
    d, exact = exact_fit(q, x)
    if exact is not None:
        return d, exact
    checked = checked_forward(q, x, answer)
    checked.notes = d.notes + checked.notes
    return checked, None


def _same_only_note(q: Question) -> str:
    """No numeric padding gives O, padding='same' does: what Keras pads."""
    v = q.values
    near = "; ".join(f"P = {n} gives {o}" for n, o in L.nearest(q, "P"))
    before, after = F.same_padding(v["I"], v["K"], v["S"], v.get("D", 1))
    return (f"no padding P on each side gives O = {v['O']} ({near}); padding='same' does: "
            f"Keras pads {before} before and {after} after")


def exact_fit(q: Question, x: str) -> tuple[Derivation, Any]:
    """The notes' equation without the floor, solved for x: the exact fit."""
    v = q.values
    d1 = v.get("D", 1) != 1 or x == "D"
    s_sym = K if q.tied_stride else S
    engine = F.notes_output_size(I, K, s_sym, P, D if d1 else 1)
    exact = engine.replace(sp.floor, lambda e: e)
    target = NAMES[x]
    general = sp.solve(sp.Eq(O, exact), target)
    known = {NAMES[k]: v[k] for k in LETTERS if k in v and (k != "D" or d1) and not (k == "S" and q.tied_stride)}
    value: Any = None
    forms: list[Any] = []
    if len(general) == 1:
        notes_form = (not d1 or x == "D") and not q.tied_stride  # the notes' arrangements
        forms = [solved_form(x, general[0]) if notes_form else tidy(sp.together(general[0]))]
        got = sp.sympify(general[0]).xreplace(known)
        value = got if got.is_finite and got.is_real else None
    notes: list[str] = []
    if q.tied_stride:
        notes.append("pooling: strides default to the pool size (S = K)")
    if value is None:
        notes.append(f"the exact-fit equation has no single {WORDS[x]} here"
                     + (" (it divides by O - 1 = 0)" if x == "S" and v.get("O") == 1 else ""))
        forms = []
    d = Derivation(x, forms, known, value if value is not None else "(no exact fit)", dict(LEGEND), notes)
    return d, value


# -- the answer's notes ----------------------------------------------------------------------

def _answer_notes(q: Question, x: str, a: Answer, exact: Any) -> list[str]:
    """What the answer says beyond the derivation: open-ended answers, Keras's floor against
    the exact fit, and (for P) Keras's own paddings."""
    o = q.values["O"]
    if x == "P" and q.kind == "transpose":
        return [f"padding={t} gives O = {o}" for t in modes_text(a.modes)]
    notes = [] if a.every_from is None else [_every_note(q, x, a, o)]
    notes += _floor_notes(q, x, a, exact, o)
    if x == "P":
        notes += _padding_notes(q, a, o)
    return notes


def _every_note(q: Question, x: str, a: Answer, o: int) -> str:
    """Every value from a.every_from up (or every other one) gives O."""
    word = WORDS[x]
    every = (f"every {word} from {a.every_from} up" if a.step == 1
             else f"every other {word} from {a.every_from} up (the parity of K_eff is what counts)")
    return f"{every} gives O = {o}" + ("" if q.kind == "transpose" or q.mode == "same" else
                                       " (only one window is left)" if x == "S" else "")


def _floor_notes(q: Question, x: str, a: Answer, exact: Any, o: int) -> list[str]:
    """Several values under Keras's floor (or rule), and where the exact fit stands among them."""
    n_found = len(a.values)
    several = n_found > 1 or a.every_from is not None
    exact_int = exact is not None and getattr(exact, "is_Integer", False) and a.contains(int(exact))
    if a.values and several:
        rule = "floor" if q.kind != "transpose" and q.mode == "valid" else "rule"
        return [f"with Keras's {rule}, {x} = {L.values_text(a.values)}"
                + (" all give" if n_found > 1 else " gives") + f" O = {o}"
                + (f"; {int(exact)} is the exact fit" if exact_int else
                   f"; the exact fit, {x} = {exact}, is not an integer" if exact is not None else "")]
    if exact is not None and not exact_int and a.values:
        return [f"the exact fit {x} = {exact} is not a valid integer {WORDS[x]}; with Keras's floor "
                f"{x} = {a.text()} gives O = {o}"]
    return []


def _padding_notes(q: Question, a: Answer, o: int) -> list[str]:
    """A convolution's or pooling layer's padding asked: which of Keras's modes give O too."""
    modes = [m for m, _ in a.modes]
    notes = []
    if "same" in modes and a.values:
        notes.append(f"padding='same' gives O = {o} as well")
    if "valid" in modes:
        notes.append("padding='valid' is P = 0")
    if not modes:
        others = {m: L.forward(Question(q.kind, {**q.values, "P": 0}, m, None, q.tied_stride),
                               q.with_value("P", 0)) for m in L.MODES}
        notes.append(f"neither padding='same' (O = {others['same']}) nor padding='valid' "
                     f"(O = {others['valid']}) gives O = {o}")
    return notes


# -- no answer -------------------------------------------------------------------------------

def _none_message(q: Question, x: str) -> str:
    v = q.values
    where = L.describe_values(q, {k: n for k, n in v.items() if k != "I"})
    if x == "P":
        where = where.replace(f", padding='{q.mode}'", "").replace(f"padding='{q.mode}'", "")
    if x == "I":
        return f"no input size gives O = {v['O']} with {where}"
    message = f"no {WORDS[x]} turns {v['I']} into {v['O']}" + (f" with {where}" if where else "")
    blocked = [n for n in range(MINIMUM[x], min(L.search_bound(q, x), MINIMUM[x] + 10_000) + 1)
               if L.output_size(q, q.with_value(x, n)) == v["O"] and L.refusal(q, q.with_value(x, n))]
    if blocked:
        n = blocked[0]
        message += f" ({x} = {n} would, but {L.refusal(q, q.with_value(x, n))})"
    return message


def _nearest_hint(q: Question, x: str) -> str:
    if x == "P" and q.kind == "transpose":
        outs = sorted({(L.output_size(Question(q.kind, q.values, m, op), q.values), mode_text(m, op))
                       for m in L.MODES for op in [None, *range(q.values["S"])]
                       if L.forward(Question(q.kind, q.values, m, op), q.values) is not None})
        return "Keras's paddings give " + ", ".join(f"O = {o} ({t})" for o, t in outs)
    near = L.nearest(q, x)
    exact = None
    if q.kind != "transpose" and q.mode == "valid":
        exact = exact_fit(q, x)[1]
    parts = [f"{x} = {n} gives O = {o}" for n, o in near]
    text = ("the nearest: " + "; ".join(parts)) if parts else f"no valid {WORDS[x]} gives any output here"
    if exact is not None:
        text = f"the exact-fit equation gives {x} = {exact}, not a valid {WORDS[x]}; " + text
    return text
