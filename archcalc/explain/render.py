"""Explanations as text (rich, for the terminal), Markdown ($$...$$) and LaTeX (aligned
blocks like the notes, ready to paste into an exam sheet)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from archcalc.explain.model import LayerExplanation, ModelExplanation
from archcalc.explain.printing import to_latex, to_text


def _validity_lines(v: Any) -> list[tuple[str, str]]:
    """(kind, text) pairs; kind is 'head', 'cond' or 'rule'."""
    if v is None:
        return []
    out = [("head", "Valid input sizes (" + ", ".join(s.name for s in v.symbols) + " are symbols)")]
    for c in v.conditions:
        out.append(("cond", f"{c.layer}: {_rel_text(c.relation)}"
                    + ("  (the merged inputs must agree)" if c.kind == "merge" else "")))
    for r in v.rules:
        out.append(("rule", f"the model builds for {r.text()} (checked up to {r.checked_up_to})"))
    if v.smallest:
        shapes = "; ".join(f"{n}: {s}" for n, s in (v.smallest_shapes or {}).items())
        out.append(("rule", "smallest input: " + ", ".join(f"{s.name} = {x}" for s, x in v.smallest.items())
                    + f" ({shapes})"))
    elif v.symbols:
        out.append(("rule", "no input size up to 4096 builds the model"))
    return out


def _rel_text(rel: Any) -> str:
    import sympy as sp

    op = "=" if isinstance(rel, sp.Eq) else "≥"
    return f"{to_text(rel.lhs)} {op} {to_text(rel.rhs)}"


def _rel_latex(rel: Any) -> str:
    import sympy as sp

    op = "=" if isinstance(rel, sp.Eq) else r"\geq"
    return f"{to_latex(rel.lhs)} {op} {to_latex(rel.rhs)}"


def text(ex: ModelExplanation, width: int = 100) -> str:
    """Plain text laid out by rich (bold headings on a terminal)."""
    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=False, color_system=None, highlight=False)
    console.print(Text(f"Model: {ex.name}", style="bold"))
    for layer in ex.layers:
        console.print()
        console.print(Text(layer.heading, style="bold"), overflow="fold")
        derivs = layer.derivations
        if not derivs:
            console.print("  (no parameters; shapes pass through)")
        for d in derivs:
            for line in d.text_lines():
                console.print(Text("  " + line), overflow="fold")
    lines = _validity_lines(ex.validity)
    if lines:
        console.print()
        for kind, t in lines:
            console.print(Text(t if kind == "head" else "  " + t, style="bold" if kind == "head" else ""))
    return buf.getvalue().rstrip() + "\n"


def _md_layer(layer: LayerExplanation) -> list[str]:
    ins = ", ".join(_shape(s) for s in layer.input_shapes)
    out = [f"### {layer.name} ({layer.type})", "", f"`{layer.call}`: {ins} → {_shape(layer.output_shape)}", ""]
    if not layer.derivations:
        out += ["No parameters; the shape passes through.", ""]
    for d in layer.derivations:
        out += [d.markdown(), ""]
    return out


def _shape(s: Any) -> str:
    from archcalc.layers.base import fmt_shape

    return f"`{fmt_shape(s)}`"


def markdown(ex: ModelExplanation) -> str:
    out = [f"## Model: {ex.name}", ""]
    for layer in ex.layers:
        out += _md_layer(layer)
    v = ex.validity
    if v is not None:
        out += ["### Valid input sizes", ""]
        for c in v.conditions:
            out.append(f"- {c.layer}: ${_rel_latex(c.relation)}$" + (" (the merged inputs must agree)" if c.kind == "merge" else ""))
        for kind, t in _validity_lines(v):
            if kind == "rule":
                out.append(f"- {t}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _tex_escape(s: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("%", r"\%"), ("&", r"\&"), ("#", r"\#"),
                 ("{", r"\{"), ("}", r"\}"), ("$", r"\$")):
        s = s.replace(a, b)
    return s.replace("→", r"$\rightarrow$").replace("≥", r"$\geq$").replace("×", r"$\times$")


def latex(ex: ModelExplanation) -> str:
    out = [f"% archcalc explain: {ex.name}", rf"\section*{{Model: {_tex_escape(ex.name)}}}", ""]
    for layer in ex.layers:
        ins = ", ".join(_tex_escape(str(s).replace("None", "None")) for s in layer.input_shapes)
        out.append(rf"\subsection*{{{_tex_escape(layer.name)} ({_tex_escape(layer.type)})}}")
        out.append(rf"\texttt{{{_tex_escape(layer.call)}}}: {ins} $\rightarrow$ {_tex_escape(str(layer.output_shape))}")
        out.append("")
        for d in layer.derivations:
            out.append(rf"\[ {d.latex()} \]")
            where = d.latex_where()
            if where:
                out.append(rf"where ${where}$.")
            for n in d.notes:
                out.append(rf"\emph{{{_tex_escape(n)}}}")
            out.append("")
    v = ex.validity
    if v is not None:
        out.append(r"\subsection*{Valid input sizes}")
        out.append(r"\begin{itemize}")
        for c in v.conditions:
            out.append(rf"  \item {_tex_escape(c.layer)}: ${_rel_latex(c.relation)}$")
        for kind, t in _validity_lines(v):
            if kind == "rule":
                out.append(rf"  \item {_tex_escape(t)}")
        out.append(r"\end{itemize}")
    return "\n".join(out).rstrip() + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"text": text, "markdown": markdown, "latex": latex}
