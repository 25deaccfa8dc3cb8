"""The answer of ``archcalc calc conv|pool|transpose``: the question, every integer solution,
the derivations and notes, and their renderings (the values line, JSON, Markdown, LaTeX).

The solvers that build a :class:`Solution` are in :mod:`archcalc.explain.solve`
(forwards in :mod:`archcalc.explain.solve_forward`, backwards in
:mod:`archcalc.explain.solve_backward`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.explain.derivation import Derivation
from archcalc.layers import solve as L
from archcalc.layers.solve import LETTERS, Answer, Question


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
            return " or ".join(modes_text(a.modes))
        if self.unknown == "P" and a.modes and not a.values:
            return " or ".join(m for m, _ in a.modes)
        return a.text().replace(">= ", ">=", 1) if a.text().startswith(">=") else a.text()

    def _answer_words(self) -> str:
        """A padding answer in words: padding='same', or same (output_padding=None or 1)."""
        if self.question.kind == "transpose":
            return "padding=" + " or ".join(modes_text(self.answer.modes))
        return " or ".join(mode_text(m, op) for m, op in self.answer.modes)

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
            blocks[-1] += "; also " + ", ".join(f"`{mode_text(m, op)}`" for m, op in self.answer.modes)
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
            tail += "; also " + ", ".join(tex_escape(mode_text(m, op)) for m, op in self.answer.modes)
        out.append(rf"\textbf{{Answer:}} {tail}")
        return "\n".join(out) + "\n"


def modes_text(modes: list[tuple[str, int | None]]) -> list[str]:
    """[('same', None), ('same', 1)] -> ["same (output_padding=None or 1)"]."""
    out = []
    for mode in L.MODES:
        ops = [op for m, op in modes if m == mode]
        if ops:
            out.append(f"{mode} (output_padding={' or '.join(str(op) for op in ops)})")
    return out


def mode_text(mode: str, op: int | None) -> str:
    return f"padding='{mode}'" + ("" if op is None else f", output_padding={op}")
