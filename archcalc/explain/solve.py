"""``archcalc calc conv|pool|transpose``: one layer's output-size question, forwards or
backwards.

Forwards (O missing) the engine's number is derived in the notes' form, as before.
Backwards (one of I, K, S, P, D missing) every integer answer is found under Keras's own
arithmetic by :mod:`archcalc.layers.solve` (brute force with the engine's forward
function); the derivation shown is the notes' exact-fit equation solved for the letter
(``archcalc.explain.notation``), and a note says when Keras's floor admits more than the
exact fit. For 'same' padding and transposed convolutions, which the notes' equation does
not cover, Keras's forward rule is shown, checked with the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from archcalc.errors import UsageError
from archcalc.explain.derivation import Derivation
from archcalc.explain.notation import (
    LEGEND,
    D,
    I,
    K,
    O,
    P,
    S,
    output_size,
    solved_form,
    transpose_form,
)
from archcalc.explain.notation import LETTERS as NAMES
from archcalc.explain.printing import tidy
from archcalc.layers import formulas as F
from archcalc.layers import solve as L
from archcalc.layers.solve import LETTERS, MINIMUM, WORDS, Answer, Question

UNKNOWN = "?"


@dataclass
class Request:
    """What the command line said: the values given (``None`` for a letter written ``X=?``),
    the padding mode if one was named."""

    values: dict[str, int | None]
    mode: str | None = None


def parse_assignments(items: tuple[str, ...], allowed: set[str]) -> Request:
    """``I=32 K=5 P=same D=?`` -> values (None for ``?``) and the padding mode."""
    out: dict[str, int | None] = {}
    mode = None
    for item in items:
        key, eq, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not eq or key not in allowed:
            raise UsageError(f"expected NAME=VALUE with NAME one of {', '.join(sorted(allowed))}, got '{item}'",
                             hint="e.g. archcalc calc conv I=32 K=5 S=1 P=0")
        if key in out or (key == "P" and mode is not None):
            raise UsageError(f"{key} is given twice")
        if raw == UNKNOWN:
            out[key] = None
            continue
        if key == "P" and raw.strip("'\"").lower() in L.MODES:
            mode = raw.strip("'\"").lower()
            if mode == "valid":
                out["P"] = 0
            continue
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"{key}={raw}: expected an integer"
                             + (", 'same' or 'valid'" if key == "P" else "") + " (or ? for the unknown)") from None
        if value < MINIMUM[key]:
            raise UsageError(f"{key}={value}: the {WORDS[key]} must be >= {MINIMUM[key]}")
        if value > L.MAX_VALUE:
            raise UsageError(f"{key}={value}: sizes up to {L.MAX_VALUE:,} only")
        out[key] = value
    return Request(out, mode)


def _mode(request: Request, option: str | None) -> str:
    if option and request.mode and option != request.mode:
        raise UsageError(f"padding is given twice: P={request.mode} and --padding {option}")
    return request.mode or option or "valid"


@dataclass
class Solution:
    """The question, the answer (every integer solution), the derivation and notes."""

    question: Question
    unknown: str
    answer: Answer
    derivations: list[Derivation] = field(default_factory=list)
    exact: Any = None  # the notes' exact fit (a sympy number), when the equation gives one

    @property
    def values(self) -> dict[str, Any]:
        """The six letters; the unknown's value when it is the only solution, else None.
        P is None under padding='same' (Keras chooses it) and 0 for a transposed convolution
        (which has no numeric padding); S follows K in a pooling layer whose pool size is asked."""
        q = self.question
        v: dict[str, Any] = {k: q.values.get(k) for k in LETTERS}
        if self.unknown != "D":
            v["D"] = v["D"] or 1
        v[self.unknown] = self.answer.unique
        if q.tied_stride:
            v["S"] = v["K"]
        if q.kind == "transpose":
            v["P"] = None if self.unknown == "P" else 0
        elif q.mode == "same":
            v["P"] = None
        return v

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.values)
        a = self.answer
        out.update({
            "padding": None if self.unknown == "P" else self.question.mode,
            "unknown": self.unknown,
            "solutions": a.values,
            "every_from": a.every_from,
            "step": a.step if a.every_from is not None else None,
            "exact_fit": None if self.exact is None else str(self.exact),
        })
        if self.question.kind == "transpose":
            out["output_padding"] = self.question.output_padding
        if self.unknown == "P":
            out["paddings"] = [{"padding": m, **({"output_padding": op} if self.question.kind == "transpose" else {})}
                               for m, op in a.modes]
        out["notes"] = [n for d in self.derivations for n in d.notes]
        return out

    def answer_text(self) -> str:
        """The values line: I=32  O=15  K=5..6  S=2  P=1  D=1."""
        parts = []
        for k in LETTERS:
            if k == self.unknown:
                value = self._answer_value()
                in_words = self.question.kind == "transpose" or not (self.answer.values or self.answer.every_from)
                label = "padding" if k == "P" and in_words else k
                parts.append(f"{label}{value}" if value.startswith(">=") else f"{label}={value}")
                continue
            v = self.values[k]
            if k == "P" and (v is None or self.question.kind == "transpose"):
                if self.unknown != "P":
                    parts.append(f"padding={self.question.mode}")
            elif k == "S" and self.question.tied_stride and v is None:
                parts.append("S=K")
            else:
                parts.append(f"{k}={v}")
        if self.question.output_padding is not None and self.unknown != "P":
            parts.append(f"output_padding={self.question.output_padding}")
        return "  ".join(parts)

    def _answer_value(self) -> str:
        a = self.answer
        if self.unknown == "P" and self.question.kind == "transpose":
            return " or ".join(_modes_text(a.modes))
        if self.unknown == "P" and a.modes and not a.values:
            return " or ".join(m for m, _ in a.modes)
        return a.text().replace(">= ", ">=", 1) if a.text().startswith(">=") else a.text()

    def _answer_words(self) -> str:
        """A padding answer in words: padding='same', or same (output_padding=None or 1)."""
        if self.question.kind == "transpose":
            return "padding=" + " or ".join(_modes_text(self.answer.modes))
        return " or ".join(_mode_text(m, op) for m, op in self.answer.modes)

    def answer_latex(self) -> str:
        """The answer as a formula: K = 5, 5 \\le K \\le 6, K \\in \\{3, 5\\}, S \\geq 28."""
        a, x = self.answer, self.unknown
        if a.every_from is not None:
            if a.step == 1 and not a.values:
                return rf"{x} \geq {a.every_from}"
            shown = [*a.values, a.every_from] + ([a.every_from + 2, a.every_from + 4] if a.step == 2 else [])
            return rf"{x} \in \{{{', '.join(map(str, shown))}, \dots\}}"
        vals = a.values
        if not vals or (x == "P" and self.question.kind == "transpose"):
            return ""  # the answer is a padding mode: said in words
        if len(vals) == 1:
            return f"{x} = {vals[0]}"
        if vals and vals == list(range(vals[0], vals[-1] + 1)):
            return rf"{vals[0]} \le {x} \le {vals[-1]}"
        return rf"{x} \in \{{{', '.join(map(str, vals))}\}}"

    # -- renderings -----------------------------------------------------------------------

    def text_lines(self, width: int = 100) -> list[str]:
        from archcalc.explain.layout import wrap

        lines = [part for d in self.derivations for line in d.text_lines() for part in wrap(line, width)]
        return [*lines, "  " + self.answer_text()]

    def markdown(self) -> str:
        blocks = [d.markdown() for d in self.derivations]
        ans = self.answer_latex()
        blocks.append(f"**Answer:** ${ans}$" if ans else f"**Answer:** {self._answer_words()}")
        if self.answer_latex() and self.unknown == "P" and self.answer.modes:
            blocks[-1] += "; also " + ", ".join(f"`{_mode_text(m, op)}`" for m, op in self.answer.modes)
        return "\n\n".join(blocks) + "\n"

    def latex(self) -> str:
        from archcalc.explain.render import derivation_latex, tex_escape

        out: list[str] = []
        for d in self.derivations:
            out += derivation_latex(d)
            out.append("")
        ans = self.answer_latex()
        tail = f"${ans}$" if ans else tex_escape(self._answer_words())
        if ans and self.unknown == "P" and self.answer.modes:
            tail += "; also " + ", ".join(tex_escape(_mode_text(m, op)) for m, op in self.answer.modes)
        out.append(rf"\textbf{{Answer:}} {tail}")
        return "\n".join(out) + "\n"


def _modes_text(modes: list[tuple[str, int | None]]) -> list[str]:
    """[('same', None), ('same', 1)] -> ["same (output_padding=None or 1)"]."""
    out = []
    for mode in L.MODES:
        ops = [op for m, op in modes if m == mode]
        if ops:
            out.append(f"{mode} (output_padding={' or '.join(str(op) for op in ops)})")
    return out


def _mode_text(mode: str, op: int | None) -> str:
    return f"padding='{mode}'" + ("" if op is None else f", output_padding={op}")


# -- building the question ---------------------------------------------------------------

def _unknown(request: Request, letters: str, hint: str) -> tuple[dict[str, int], str | None]:
    """The values given and the one letter asked for (None: every letter given, O is checked)."""
    asked = [k for k, v in request.values.items() if v is None]
    given = {k: v for k, v in request.values.items() if v is not None}
    missing = [k for k in letters if k not in request.values]
    if len(asked) > 1:
        raise UsageError(f"ask for one letter at a time (asked: {', '.join(asked)})", hint=hint)
    if asked:
        missing = [k for k in missing if k != asked[0]]
        if missing:
            raise UsageError(f"give all but one of {', '.join(letters)} (missing: {', '.join(missing)})", hint=hint)
        return given, asked[0]
    if len(missing) > 1:
        raise UsageError(f"give all but one of {', '.join(letters)} (missing: {', '.join(missing)})", hint=hint)
    return given, (missing[0] if missing else None)


def solve_conv(request: Request, kind: str = "conv", padding: str | None = None) -> Solution:
    """Fill in the one missing value of I, O, K, S, P (D, asked as ``D=?``, or given)."""
    mode = _mode(request, padding)
    values = dict(request.values)
    if mode == "same":
        if values.get("P") not in (None, 0) or ("P" in values and values["P"] is None):
            raise UsageError("padding='same' chooses the padding itself: give P or padding='same', not both")
        values.pop("P", None)
    tied = False
    letters = "IOKSP" if mode == "valid" else "IOKS"
    if kind == "pool":  # Keras's defaults fill the gaps: padding='valid', then strides=pool_size
        missing = [k for k in letters if k not in values]
        if "P" in missing and len(missing) > 1:
            values["P"] = 0
            missing.remove("P")
        if "S" in missing and len(missing) > 1:
            tied = True
            letters = letters.replace("S", "")
    if kind == "pool" and "D" in values:
        raise UsageError("pooling layers have no dilation (D)")
    hint = (f"e.g. archcalc calc {kind} I=227 K=11 S=4 P=0   (solves for O); give all five to check them; "
            "write X=? to ask for X" + (" (D=? for the dilation)" if kind == "conv" else ""))
    given, x = _unknown(Request(values, mode), letters, hint)
    if x != "D":
        given.setdefault("D", 1)
    if mode == "same":
        given.pop("P", None)
    if tied and "K" in given:  # a known pool size: the stride is simply that number
        given["S"], tied = given["K"], False
    q = Question(kind, given, mode, None, tied)
    if x is None or x == "O":
        return _forward(q, claimed=given.get("O") if x is None else None)
    return _backward(q, x)


def solve_transpose(request: Request, padding: str | None = None, output_padding: int | None = None) -> Solution:
    """Transposed convolution, Keras's rule; one of I, O, K, S, D (or the padding, P=?) missing."""
    mode = _mode(request, padding)
    values = dict(request.values)
    if values.get("P"):
        raise UsageError("a transposed convolution has no numeric padding P",
                         hint="Keras's Conv2DTranspose takes padding='valid' or 'same' (--padding same, or P=same)")
    if output_padding is not None and output_padding < 0:
        raise UsageError(f"--output-padding {output_padding}: must be >= 0")
    asked_p = "P" in values and values["P"] is None
    values.pop("P", None)
    hint = "e.g. archcalc calc transpose I=7 K=3 S=2 --padding same   (solves for O); P=? asks for the padding"
    if asked_p:
        given, x = _unknown(Request(values, mode), "IOKS", hint)
        if x is not None:
            raise UsageError(f"give all but one of I, O, K, S, P (missing: {x}, P)", hint=hint)
        x = "P"
    else:
        given, x = _unknown(Request(values, mode), "IOKS", hint)
    if x != "D":
        given.setdefault("D", 1)
    q = Question("transpose", given, mode, output_padding)
    if x is None or x == "O":
        return _forward(q, claimed=given.get("O") if x is None else None)
    return _backward(q, x)


# -- forwards ------------------------------------------------------------------------------

def _forward(q: Question, claimed: int | None) -> Solution:
    v = {k: val for k, val in q.values.items() if k != "O"}
    if q.tied_stride:
        v["S"] = v["K"]
    v = {k: v[k] for k in LETTERS if k in v}  # the notes' order, I K S P D
    why = L.refusal(q, v)
    o = L.output_size(q, v)
    if why and not (q.kind != "pool" and "dilation" in why):  # strides > 1 with dilation: noted below
        raise UsageError(f"Keras does not build this layer: {why}")
    if o < 1:
        ke = F.effective_kernel(v["K"], v["D"])
        raise UsageError(f"the kernel does not fit: O = {o} (K_eff = {ke} is larger than I + 2P = {v['I'] + 2 * v.get('P', 0)})")
    if claimed is not None and claimed != o:
        raise UsageError(f"O={claimed} does not fit: with {L.describe_values(q, v)} the output size is O = {o}",
                         hint="leave out the value to solve for it")
    d1 = v["D"] != 1
    if q.kind == "transpose":
        form = transpose_form(I, q.mode, q.output_padding, D if d1 else 1)
        shown = {NAMES[k]: val for k, val in v.items() if k != "P" and (k != "D" or d1)}
        d = Derivation("O", [form], shown, o, dict(LEGEND),
                       [f"transpose convolution, padding='{q.mode}'"
                        + ("" if q.output_padding is None else f", output_padding={q.output_padding}")])
    else:
        form = _same_form(d1) if q.mode == "same" else output_size(D if d1 else 1)
        shown = {NAMES[k]: val for k, val in v.items() if (k != "D" or d1) and not (k == "P" and q.mode == "same")}
        d = Derivation("O", [form], shown, o, dict(LEGEND))
        if q.mode == "same":
            d.notes.append("padding='same': Keras pads so that O = ceil(I/S), whatever the kernel")
        else:
            dropped = F.dropped_inputs(v["I"], v["K"], v["S"], v["D"], v.get("P", 0))
            if dropped:
                d.notes.append(f"the stride does not divide evenly: Keras floors, and the last {dropped} input "
                               "row(s) are never read")
    if d1:
        d.notes.append(f"dilation {v['D']}: K_eff = D(K - 1) + 1 = {F.effective_kernel(v['K'], v['D'])}")
    if why:
        d.notes.append(f"{why}: this layer does not build in Keras")
    if claimed is not None:
        d.notes.append(f"check: the given O = {claimed} is what the formula gives")
    return Solution(Question(q.kind, {**q.values, "O": o}, q.mode, q.output_padding, q.tied_stride), "O",
                    Answer("O", [o]), [d])


def _same_form(dilated: bool) -> Any:
    """Keras's 'same' rule, O = ceil(I/S), from the engine's function on symbols."""
    return tidy(F.conv_output_length(I, K, S, "same", D if dilated else 1))


# -- backwards -----------------------------------------------------------------------------

def _backward(q: Question, x: str) -> Solution:
    answer = L.solve(q, x)
    if answer.empty:
        raise UsageError(_none_message(q, x), hint=_nearest_hint(q, x))
    sol = Solution(q, x, answer)
    notation = q.kind != "transpose" and q.mode == "valid"
    if notation:
        d, sol.exact = _exact_fit(q, x)
        if sol.exact is None:  # no exact fit (S with O = 1): Keras's floor, checked instead
            checked = _checked_forward(q, x, answer)
            checked.notes = d.notes + checked.notes
            d = checked
    else:
        d = _checked_forward(q, x, answer)
    if x == "P" and q.kind != "transpose" and answer.values == [] and answer.modes:
        v = q.values
        near = "; ".join(f"P = {n} gives {o}" for n, o in L.nearest(q, "P"))
        before, after = F.same_padding(v["I"], v["K"], v["S"], v.get("D", 1))
        d.notes.append(f"no padding P on each side gives O = {v['O']} ({near}); padding='same' does: "
                       f"Keras pads {before} before and {after} after")
    d.notes += _answer_notes(q, x, answer, sol.exact)
    sol.derivations.append(d)
    return sol


def _exact_fit(q: Question, x: str) -> tuple[Derivation, Any]:
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


def _checked_forward(q: Question, x: str, answer: Answer) -> Derivation:
    """Keras's forward rule (no notes' equation covers it), checked with the first answer."""
    v = dict(q.values)
    if x == "P":  # a transposed convolution's padding: check the first mode found
        mode, op = answer.modes[0]
        q = Question(q.kind, v, mode, op)
        n = None
    else:
        n = answer.values[0] if answer.values else answer.every_from
        assert n is not None  # an answer that is not empty has a first value
        v = q.with_value(x, n)
    d1 = v.get("D", 1) != 1
    if q.kind == "transpose":
        form = transpose_form(I, q.mode, q.output_padding, D if d1 else 1)
        shown = {NAMES[k]: val for k, val in v.items() if k not in ("O", "P") and (k != "D" or d1)}
        what = (f"Keras's rule for a transposed convolution, padding='{q.mode}'"
                + ("" if q.output_padding is None else f", output_padding={q.output_padding}"))
    elif q.mode == "same":
        form = _same_form(d1)
        shown = {NAMES[k]: val for k, val in v.items() if k not in ("O", "P") and (k != "D" or d1)}
        what = "Keras's rule for padding='same', O = ceil(I/S)"
    else:
        form = output_size(D if d1 else 1)
        shown = {NAMES[k]: val for k, val in v.items() if k != "O" and (k != "D" or d1)}
        what = "the notes' equation with Keras's floor"
    checked = f", checked with {x} = {n}" if n is not None else ""
    o = L.output_size(q, v)
    tail = " (the notes have no equation for it)" if q.kind == "transpose" or q.mode == "same" else ""
    shown = {NAMES[k]: shown[NAMES[k]] for k in LETTERS if NAMES[k] in shown}
    return Derivation("O", [form], shown, o, dict(LEGEND), [what + checked + tail])


def _answer_notes(q: Question, x: str, a: Answer, exact: Any) -> list[str]:
    o = q.values["O"]
    notes = []
    n_found = len(a.values)
    several = n_found > 1 or a.every_from is not None
    word = WORDS[x]
    exact_int = exact is not None and getattr(exact, "is_Integer", False) and a.contains(int(exact))
    if x == "P" and q.kind == "transpose":
        return [f"padding={t} gives O = {o}" for t in _modes_text(a.modes)]
    if a.every_from is not None:
        every = (f"every {word} from {a.every_from} up" if a.step == 1
                 else f"every other {word} from {a.every_from} up (the parity of K_eff is what counts)")
        notes.append(f"{every} gives O = {o}" + ("" if q.kind == "transpose" or q.mode == "same" else
                                                 " (only one window is left)" if x == "S" else ""))
    if a.values and several:
        notes.append(f"with Keras's {'floor' if q.kind != 'transpose' and q.mode == 'valid' else 'rule'}, {x} = {L.values_text(a.values)}"
                     + (" all give" if n_found > 1 else " gives") + f" O = {o}"
                     + (f"; {int(exact)} is the exact fit" if exact_int else
                        f"; the exact fit, {x} = {exact}, is not an integer" if exact is not None else ""))
    elif exact is not None and not exact_int and a.values:
        notes.append(f"the exact fit {x} = {exact} is not a valid integer {word}; with Keras's floor "
                     f"{x} = {a.text()} gives O = {o}")
    if x == "P" and q.kind != "transpose":
        modes = [m for m, _ in a.modes]
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
        outs = sorted({(L.output_size(Question(q.kind, q.values, m, op), q.values), _mode_text(m, op))
                       for m in L.MODES for op in [None, *range(q.values["S"])]
                       if L.forward(Question(q.kind, q.values, m, op), q.values) is not None})
        return "Keras's paddings give " + ", ".join(f"O = {o} ({t})" for o, t in outs)
    near = L.nearest(q, x)
    exact = None
    if q.kind != "transpose" and q.mode == "valid":
        exact = _exact_fit(q, x)[1]
    parts = [f"{x} = {n} gives O = {o}" for n, o in near]
    text = ("the nearest: " + "; ".join(parts)) if parts else f"no valid {WORDS[x]} gives any output here"
    if exact is not None:
        text = f"the exact-fit equation gives {x} = {exact}, not a valid {WORDS[x]}; " + text
    return text
