"""Exam-style questions in the style of the notes' "Example calculations", with an answer
key of worked solutions. Every answer is the engine's number; the working is ``explain``'s.
The same seed always gives the same sheet."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from archcalc.engine import analyze
from archcalc.explain.model import LayerExplanation, explain_row
from archcalc.layers.base import fmt_shape
from archcalc.readers.yaml_spec import load_text

TOPICS = ("conv", "pool", "params", "rnn", "receptive-field")


@dataclass
class Question:
    """One question: the model it is about (as spec text), what is asked, the answers."""

    number: int
    topic: str
    prompt: str
    spec: str
    asks: list[str]
    answers: dict[str, Any] = field(default_factory=dict)
    working: list[LayerExplanation] = field(default_factory=list)
    #: (Keras call, input shape without batch) of the layers, for checking against Keras
    keras_layers: list[str] = field(default_factory=list)
    input_shape: tuple = ()


def _conv(r: random.Random) -> tuple[str, list[str], tuple, list[str], str]:
    size = r.choice([28, 32, 64, 96, 224, 227])
    ch = r.choice([1, 3])
    k, s = r.choice([(3, 1), (5, 1), (3, 2), (7, 2), (11, 4), (2, 2)])
    f = r.choice([8, 16, 32, 64])
    pad = r.choice(["valid", "same"])
    call = f"Conv2D({f}, {k}, strides={s}, padding='{pad}')"
    prompt = (f"KERNEL = ({k}, {k})  STRIDE = {s}  PADDING = '{pad}'  FILTERS = {f}. "
              f"Input ({size}, {size}, {ch}): give the output shape and the number of parameters.")
    return prompt, [call], (size, size, ch), ["output shape", "parameters"], "conv"


def _pool(r: random.Random) -> tuple:
    size = r.choice([13, 27, 32, 55, 64, 112])
    ch = r.choice([16, 32, 64])
    p, s = r.choice([(2, None), (3, 2), (2, 1), (3, None)])
    pad = r.choice(["valid", "same"])
    call = f"MaxPooling2D({p}" + (f", strides={s}" if s else "") + f", padding='{pad}')"
    prompt = f"{call} on an input of shape ({size}, {size}, {ch}): give the output shape."
    return prompt, [call], (size, size, ch), ["output shape"], "pool"


def _params(r: random.Random) -> tuple:
    if r.random() < 0.5:
        n, u = r.choice([8, 10, 64, 128, 784]), r.choice([1, 10, 32, 64, 128])
        call = f"Dense({u})"
        return (f"A Dense layer with {u} units reads {n} inputs. How many parameters does it have?",
                [call], (n,), ["parameters"], "params")
    ch, k, f = r.choice([1, 3, 16, 32]), r.choice([1, 3, 5]), r.choice([8, 16, 32, 64])
    call = f"Conv2D({f}, {k}, padding='same')"
    return (f"A Conv2D layer with {f} filters of size {k}x{k} reads a 32x32 input with {ch} channels. "
            "How many parameters does it have?", [call], (32, 32, ch), ["parameters"], "params")


def _rnn(r: random.Random) -> tuple:
    kind = r.choice(["SimpleRNN", "LSTM", "GRU", "GRU_notes", "Bidirectional"])
    u, n = r.choice([16, 32, 64, 128]), r.choice([1, 8, 10, 50, 100])
    call = {"SimpleRNN": f"SimpleRNN({u})", "LSTM": f"LSTM({u})", "GRU": f"GRU({u})",
            "GRU_notes": f"GRU({u}, reset_after=False)", "Bidirectional": f"Bidirectional(LSTM({u}))"}[kind]
    return (f"{call} reads sequences of {n} features per step. How many parameters does it have?",
            [call], (None, n), ["parameters"], "rnn")


def _rf(r: random.Random) -> tuple:
    k, s, p = r.choice([(5, 1, 0), (5, 1, 2), (2, 2, 2), (3, 1, 1), (3, 2, 1), (7, 2, 3)])
    size = r.choice([32, 28, 64])
    f = r.choice([8, 16])
    calls = ([f"ZeroPadding2D({p})"] if p else []) + [f"Conv2D({f}, {k}, strides={s})"]
    prompt = (f"KERNEL = ({k}, {k})  STRIDE = {s}  PADDING = {p}. Input ({size}, {size}, 3), {f} filters: "
              "give the output shape, the parameters and the receptive field I = O x S + (K - S) - 2P. "
              "(In Keras, padding P is a ZeroPadding2D(P) before the convolution.)")
    return prompt, calls, (size, size, 3), ["output shape", "parameters", "receptive field"], "receptive-field"


MAKERS = {"conv": _conv, "pool": _pool, "params": _params, "rnn": _rnn, "receptive-field": _rf}


def _spec(calls: list[str], shape: tuple) -> str:
    dims = ", ".join("null" if d is None else str(d) for d in shape)
    return f"input: [{dims}]\nlayers:\n" + "".join(f"  - {c}\n" for c in calls)


def make_quiz(topic: str = "mixed", count: int = 5, seed: int = 0) -> list[Question]:
    """`count` questions on `topic` (or mixed), reproducible from `seed`."""
    r = random.Random(f"archcalc-quiz:{topic}:{seed}")
    out = []
    for i in range(count):
        t = r.choice(TOPICS) if topic == "mixed" else topic
        prompt, calls, shape, asks, t = MAKERS[t](r)
        spec = _spec(calls, shape)
        a = analyze(load_text(spec, f"<quiz question {i + 1}>"))
        last = a.rows[-1]
        q = Question(i + 1, t, prompt, spec, asks, keras_layers=calls, input_shape=shape)
        q.answers["output shape"] = fmt_shape(last.output_shape)
        q.answers["parameters"] = sum(row.params for row in a.rows)
        work = [explain_row(row, a) for row in a.rows if row.node.layer is not None]
        q.working = work
        rf = [d for w in work for d in w.rf if d.quantity.startswith("receptive field (")]
        if rf:
            q.answers["receptive field"] = rf[0].value
        out.append(q)
    return out


def render_sheet(questions: list[Question], fmt: str = "markdown", answers: bool = False,
                 standalone: bool = False, width: int = 100) -> str:
    """The question sheet, or with answers=True the answer key with worked solutions; every
    format carries the same working: the derivation, its legend ("where ...") and its notes."""
    from archcalc.explain import render as R
    from archcalc.explain.layout import wrap
    from archcalc.explain.printing import fmt_value

    title = "Answer key" if answers else "Questions"
    lines: list[str] = []

    def answer(q: Question, k: str) -> str:
        v = q.answers.get(k)
        return v if isinstance(v, str) else fmt_value(v)

    if fmt == "latex":
        lines += [rf"\section*{{{title}}}", r"\begin{enumerate}"]
        for q in questions:
            lines.append(rf"\item {R.tex_escape(q.prompt)}")
            if answers:
                lines.append("")
                for k in q.asks:
                    lines.append(rf"  \textbf{{{R.tex_escape(k)}}}: {R.tex_escape(answer(q, k))}\\")
                for w in q.working:
                    for d in w.derivations:
                        lines += ["  " + x if x else "" for x in R.derivation_latex(d)]
                lines.append("")
        lines.append(r"\end{enumerate}")
        body = "\n".join(lines).rstrip() + "\n"
        return R.latex_document(body, f"archcalc quiz: {title.lower()}") if standalone else body
    if fmt == "text":
        lines.append(title)
        for q in questions:
            lines += ["", f"{q.number}. {q.prompt}"]
            if answers:
                lines += [f"   {k}: {answer(q, k)}" for k in q.asks]
                for w in q.working:
                    for d in w.derivations:
                        lines += ["   " + x for x in d.text_lines()]
        out: list[str] = []
        for line in lines:
            out += wrap(line, width)
        return "\n".join(out).rstrip() + "\n"
    lines += [f"## {title}", ""]
    for q in questions:
        lines.append(f"{q.number}. {q.prompt}")
        if answers:
            for k in q.asks:
                lines.append(f"   - **{k}:** {answer(q, k)}")
            for w in q.working:
                for d in w.derivations:
                    lines.append("")
                    lines.append("   " + d.markdown().replace("\n", "\n   "))
            lines.append("")
    body = "\n".join(lines).rstrip() + "\n"
    return R.markdown_document(body, f"archcalc quiz: {title.lower()}") if standalone else body
