"""Keras's forward rule, derived: ``archcalc calc`` when O is asked (or every letter is given
and O is checked), and the check of a backward answer where the notes have no equation
(padding='same', a transposed convolution).

The number is always the engine's (:func:`archcalc.layers.solve.output_size`); the form shown
is the notes' equation (:mod:`archcalc.explain.notation`) or Keras's rule on symbols.
"""

from __future__ import annotations

from typing import Any

from archcalc.errors import UsageError
from archcalc.explain.derivation import Derivation
from archcalc.explain.notation import LEGEND, D, I, K, S, output_size, transpose_form
from archcalc.explain.notation import LETTERS as NAMES
from archcalc.explain.printing import tidy
from archcalc.explain.solution import Solution
from archcalc.layers import formulas as F
from archcalc.layers import solve as L
from archcalc.layers.solve import LETTERS, Answer, Question


def forward(q: Question, claimed: int | None) -> Solution:
    """O from the other letters, in the notes' form; ``claimed``: an O the user gave, checked."""
    v = _given(q)
    why = L.refusal(q, v)
    o = L.output_size(q, v)
    _refuse(q, v, why, o, claimed)
    d1 = v["D"] != 1
    d = _transpose_derivation(q, v, o, d1) if q.kind == "transpose" else _conv_derivation(q, v, o, d1)
    if d1:
        d.notes.append(f"dilation {v['D']}: K_eff = D(K - 1) + 1 = {F.effective_kernel(v['K'], v['D'])}")
    if why:
        d.notes.append(f"{why}: this layer does not build in Keras")
    if claimed is not None:
        d.notes.append(f"check: the given O = {claimed} is what the formula gives")
    return Solution(Question(q.kind, {**q.values, "O": o}, q.mode, q.output_padding, q.tied_stride), "O",
                    Answer("O", [o]), [d])


def _given(q: Question) -> dict[str, int]:
    """The letters given but O, in the notes' order (I K S P D); S is K for a tied stride."""
    v = {k: val for k, val in q.values.items() if k != "O"}
    if q.tied_stride:
        v["S"] = v["K"]
    return {k: v[k] for k in LETTERS if k in v}


def _refuse(q: Question, v: dict[str, int], why: str | None, o: int, claimed: int | None) -> None:
    """A layer Keras does not build, a kernel that does not fit, or a given O that is wrong."""
    if why and not (q.kind != "pool" and "dilation" in why):  # strides > 1 with dilation: noted below
        raise UsageError(f"Keras does not build this layer: {why}")
    if o < 1:
        ke = F.effective_kernel(v["K"], v["D"])
        raise UsageError(f"the kernel does not fit: O = {o} (K_eff = {ke} is larger than I + 2P = {v['I'] + 2 * v.get('P', 0)})")
    if claimed is not None and claimed != o:
        raise UsageError(f"O={claimed} does not fit: with {L.describe_values(q, v)} the output size is O = {o}",
                         hint="leave out the value to solve for it")


def _output_padding(q: Question) -> str:
    return "" if q.output_padding is None else f", output_padding={q.output_padding}"


def _transpose_derivation(q: Question, v: dict[str, int], o: int, d1: bool) -> Derivation:
    form = transpose_form(I, q.mode, q.output_padding, D if d1 else 1)
    shown = {NAMES[k]: val for k, val in v.items() if k != "P" and (k != "D" or d1)}
    return Derivation("O", [form], shown, o, dict(LEGEND),
                      [f"transpose convolution, padding='{q.mode}'" + _output_padding(q)])


def _conv_derivation(q: Question, v: dict[str, int], o: int, d1: bool) -> Derivation:
    """Convolution and pooling: the notes' equation (valid) or Keras's ceil(I/S) (same)."""
    same = q.mode == "same"
    form = same_form(d1) if same else output_size(D if d1 else 1)
    shown = {NAMES[k]: val for k, val in v.items() if (k != "D" or d1) and not (k == "P" and same)}
    d = Derivation("O", [form], shown, o, dict(LEGEND))
    if same:
        d.notes.append("padding='same': Keras pads so that O = ceil(I/S), whatever the kernel")
        return d
    dropped = F.dropped_inputs(v["I"], v["K"], v["S"], v["D"], v.get("P", 0))
    if dropped:
        d.notes.append(f"the stride does not divide evenly: Keras floors, and the last {dropped} input "
                       "row(s) are never read")
    return d


def same_form(dilated: bool) -> Any:
    """Keras's 'same' rule, O = ceil(I/S), from the engine's function on symbols."""
    return tidy(F.conv_output_length(I, K, S, "same", D if dilated else 1))


def checked_forward(q: Question, x: str, answer: Answer) -> Derivation:
    """Keras's forward rule (no notes' equation covers it), checked with the first answer."""
    q, v, n = _first_answer(q, x, answer)
    d1 = v.get("D", 1) != 1
    form, hidden, what = _keras_rule(q, d1)
    shown = {NAMES[k]: val for k, val in v.items() if k not in hidden and (k != "D" or d1)}
    checked = f", checked with {x} = {n}" if n is not None else ""
    o = L.output_size(q, v)
    tail = " (the notes have no equation for it)" if q.kind == "transpose" or q.mode == "same" else ""
    shown = {NAMES[k]: shown[NAMES[k]] for k in LETTERS if NAMES[k] in shown}
    return Derivation("O", [form], shown, o, dict(LEGEND), [what + checked + tail])


def _first_answer(q: Question, x: str, answer: Answer) -> tuple[Question, dict[str, int], int | None]:
    """The question with the first answer filled in, its values, and that value (None for a
    transposed convolution's padding: the first mode found is checked)."""
    v = dict(q.values)
    if x == "P":
        mode, op = answer.modes[0]
        return Question(q.kind, v, mode, op), v, None
    n = answer.values[0] if answer.values else answer.every_from
    assert n is not None  # an answer that is not empty has a first value
    return q, q.with_value(x, n), n


def _keras_rule(q: Question, d1: bool) -> tuple[Any, tuple[str, ...], str]:
    """The form of Keras's rule for this layer, the letters it does not show, and its name."""
    if q.kind == "transpose":
        return (transpose_form(I, q.mode, q.output_padding, D if d1 else 1), ("O", "P"),
                f"Keras's rule for a transposed convolution, padding='{q.mode}'" + _output_padding(q))
    if q.mode == "same":
        return same_form(d1), ("O", "P"), "Keras's rule for padding='same', O = ceil(I/S)"
    return output_size(D if d1 else 1), ("O",), "the notes' equation with Keras's floor"
