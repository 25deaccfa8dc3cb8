"""The explanation objects (a layer's derivations, the model's totals, the whole model) and
their forms: text (rich, for the terminal), Markdown ($$...$$) and LaTeX (aligned blocks like
the notes, ready to paste into an exam sheet). ``archcalc.explain.model`` builds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archcalc.engine import Analysis
from archcalc.explain.derivation import Derivation
from archcalc.explain.layout import wrap
from archcalc.explain.printing import (
    fmt_dim_text,
    fmt_shape_text,
    fmt_value,
    latex_name,
    latex_value,
    to_latex,
    to_text,
)


@dataclass
class LayerExplanation:
    """The derivations of one layer: parameters, output sizes, receptive field."""

    name: str
    type: str
    call: str
    input_shapes: list
    output_shape: Any
    params: list[Derivation] = field(default_factory=list)
    sizes: list[Derivation] = field(default_factory=list)
    rf: list[Derivation] = field(default_factory=list)

    @property
    def derivations(self) -> list[Derivation]:
        return [*self.params, *self.sizes, *self.rf]

    def text_lines(self) -> list[str]:
        lines = [self.heading]
        for d in self.derivations:
            lines += ["  " + x for x in d.text_lines()]
        return lines or [self.heading]

    def __str__(self) -> str:
        return "\n".join(self.text_lines())

    def __repr__(self) -> str:
        return f"<LayerExplanation {self.name} ({self.type}) -> {fmt_shape_text(self.output_shape)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Jupyter/IPython text/plain
        p.text(repr(self) if cycle else str(self))

    def _repr_markdown_(self) -> str:
        return "\n".join(layer_markdown(self))

    @property
    def heading(self) -> str:
        ins = ", ".join(fmt_shape_text(s) for s in self.input_shapes)
        return f"{self.name} ({self.type}): {self.call}   {ins} -> {fmt_shape_text(self.output_shape)}"


def chain_dims(shape: Any) -> str:
    """A shape without its batch axis as the notes write it: 32x32x1."""
    dims = [fmt_dim_text(d) for d in shape[1:]]
    plain = all(d.isdigit() for d in dims)
    return ("x" if plain else " x ").join(dims) or "scalar"


@dataclass
class Totals:
    """The model's worked totals: the sum of the layers' parameter counts (the engine's
    rows), the trainable / non-trainable split, the output shape(s) and, for a plain stack,
    the chain of shapes."""

    terms: list[tuple[str, Any]]
    trainable_terms: list[tuple[str, Any]]
    non_trainable_terms: list[tuple[str, Any]]
    trainable: Any
    non_trainable: Any
    total: Any
    outputs: list[Any]
    chain: list[Any] | None = None

    @classmethod
    def of(cls, analysis: Analysis) -> Totals:
        rows = analysis.rows
        chain = [r.output_shape for r in rows] if analysis.graph.is_chain() else None
        return cls([(r.name, r.params) for r in rows if r.params != 0],
                   [(r.name, r.trainable_params) for r in rows if r.trainable_params != 0],
                   [(r.name, r.non_trainable_params) for r in rows if r.non_trainable_params != 0],
                   analysis.trainable_params, analysis.non_trainable_params, analysis.total_params,
                   list(analysis.output_shapes), chain)

    def chain_runs(self) -> list[tuple[Any, int]]:
        """The shape chain with runs of one shape (activations, normalization, dropout)
        folded: (shape, how many layers in a row give it)."""
        runs: list[list] = []
        for shape in self.chain or []:
            if runs and runs[-1][0] == shape:
                runs[-1][1] += 1
            else:
                runs.append([shape, 1])
        return [(sh, n) for sh, n in runs]

    def chain_text(self) -> str:
        return " -> ".join(chain_dims(s) + (f" (x{n})" if n > 2 else " -> " + chain_dims(s) if n == 2 else "")
                           for s, n in self.chain_runs())

    def output_text(self) -> str:
        return ", ".join(fmt_shape_text(s) for s in self.outputs)


@dataclass
class ModelExplanation:
    """Every explained layer, the model's totals, and (for symbolic input sizes) the
    validity conditions."""

    name: str
    layers: list[LayerExplanation]
    validity: Any = None  # archcalc.explain.validity.Validity when an input size is symbolic
    totals: Totals | None = None  # None when only some layers were asked for

    def render(self, fmt: str = "text", width: int = 100, standalone: bool = False) -> str:
        return render(self, fmt, width=width, standalone=standalone)

    def _repr_markdown_(self) -> str:
        return self.render("markdown")

    def _repr_latex_(self) -> str:
        return self.render("latex")

    def __str__(self) -> str:
        return self.render("text")

    def __repr__(self) -> str:
        n = len(self.layers)
        total = f", {self.totals.total:,} parameters" if self.totals and isinstance(self.totals.total, int) else ""
        return f"<ModelExplanation {self.name}: {n} layer{'s' if n != 1 else ''}{total}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self) if cycle else self.render("text"))


#: more terms than this are grouped by value (n x count), as one would on paper
GROUP_ABOVE = 12


def grouped_terms(terms: list[tuple[str, Any]]) -> list[tuple[int, Any]]:
    """(how many layers, count) in order of first appearance; one entry per term when
    there are few terms."""
    if len(terms) <= GROUP_ABOVE:
        return [(1, v) for _, v in terms]
    out: dict[str, list] = {}
    for _, v in terms:
        out.setdefault(repr(v), [0, v])[0] += 1
    return [(n, v) for n, v in out.values()]


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
    """Plain text for the terminal, wrapped to ``width`` columns with hanging indents."""
    lines: list[str] = [f"Model: {ex.name}"]
    for layer in ex.layers:
        lines += ["", layer.heading]
        derivs = layer.derivations
        if not derivs:
            lines.append("  (no parameters; shapes pass through)")
        for d in derivs:
            lines += ["  " + line for line in d.text_lines()]
    if ex.totals is not None:
        lines += ["", *totals_text(ex.totals)]
    v_lines = _validity_lines(ex.validity)
    if v_lines:
        lines.append("")
        lines += [t if kind == "head" else "  " + t for kind, t in v_lines]
    out: list[str] = []
    for line in lines:
        out += wrap(line, width)
    return "\n".join(out).rstrip() + "\n"


def _sum_text(terms: list[tuple[str, Any]]) -> str:
    if not terms:
        return "0"
    return " + ".join(fmt_value(v) if n == 1 else f"{n} × {fmt_value(v)}" for n, v in grouped_terms(terms))


def totals_text(t: Totals) -> list[str]:
    """The model's totals as worked lines: the sum of the layers' counts, the split."""
    out = ["Model totals"]
    head = "  total parameters = "
    pad = " " * (len(head) - 2) + "= "
    if len(t.terms) > 1:
        out += [head + _sum_text(t.terms), pad + fmt_value(t.total)]
        out.append("    where " + _terms_words(t))
    else:
        out.append(head + fmt_value(t.total))
    same = t.trainable_terms == t.terms
    out.append(f"  trainable parameters = {fmt_value(t.trainable) if same else _split(t.trainable_terms, t.trainable)}")
    out.append(f"  non-trainable parameters = {_split(t.non_trainable_terms, t.non_trainable)}")
    if t.non_trainable_terms and t.trainable_terms:
        out.append(f"    check: {fmt_value(t.trainable)} + {fmt_value(t.non_trainable)} = {fmt_value(t.total)}")
    out.append("  output shape: " + t.output_text())
    if t.chain:
        out.append("  shape chain: " + t.chain_text())
    return out


def _terms_words(t: Totals) -> str:
    if len(t.terms) > GROUP_ABOVE:
        return f"the {len(t.terms)} layers with weights are grouped by count (n × count)"
    return "the terms are the layers " + ", ".join(n for n, _ in t.terms) + ", in order"


def _split(terms: list[tuple[str, Any]], total: Any) -> str:
    if len(terms) > 1:
        return _sum_text(terms) + " = " + fmt_value(total)
    return fmt_value(total)


def layer_markdown(layer: LayerExplanation) -> list[str]:
    ins = ", ".join(_shape(s) for s in layer.input_shapes)
    out = [f"### {_md_escape(layer.name)} ({layer.type})", "",
           f"`{layer.call}`: {ins} → {_shape(layer.output_shape)}", ""]
    if not layer.derivations:
        out += ["No parameters; the shape passes through.", ""]
    for d in layer.derivations:
        out += [d.markdown(), ""]
    return out


def _md_escape(s: str) -> str:
    for ch in "\\`*_[]<>#":
        s = s.replace(ch, "\\" + ch)
    return s


def _shape(s: Any) -> str:
    return f"`{fmt_shape_text(s)}`"


def _latex_sum(terms: list[tuple[str, Any]], per_row: int = 6) -> list[str]:
    """The terms of a sum, ``per_row`` to a row of an aligned block (long sums break)."""
    values = [latex_value(v) if n == 1 else rf"{n} \times {latex_value(v)}" for n, v in grouped_terms(terms)]
    rows = [" + ".join(values[i:i + per_row]) for i in range(0, len(values), per_row)]
    return [r if i == 0 else "+ " + r for i, r in enumerate(rows)]


def totals_latex(t: Totals) -> str:
    """The totals as an aligned block (the sum broken over rows) and a short list."""
    rows = _latex_sum(t.terms) if len(t.terms) > 1 else []
    lines = [r"\text{total parameters} &= " + (rows[0] if rows else latex_value(t.total))]
    lines += ["&\\quad " + r for r in rows[1:]]
    if rows:
        lines.append("&= " + latex_value(t.total))
    return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"


def _totals_items(t: Totals, math: Callable[[str], str], esc: Callable[[str], str]) -> list[str]:
    items = []
    if len(t.terms) > 1:
        items.append(esc(_terms_words(t)))
    items.append("trainable parameters: " + math(latex_value(t.trainable)) + ", non-trainable parameters: "
                 + math(latex_value(t.non_trainable)))
    items.append("output shape: " + ", ".join(esc(fmt_shape_text(s)) for s in t.outputs))
    if t.chain:
        items.append("shape chain: " + (" " + math(r"\rightarrow") + " ").join(
            math(r" \times ".join(_latex_dim(d) for d in s[1:])) + (f" (x{n})" if n > 1 else "")
            for s, n in t.chain_runs()))
    return items


def _latex_dim(d: Any) -> str:
    return r"\text{None}" if d is None else latex_value(d)


def markdown(ex: ModelExplanation) -> str:
    out = [f"## Model: {_md_escape(ex.name)}", ""]
    for layer in ex.layers:
        out += layer_markdown(layer)
    t = ex.totals
    if t is not None:
        out += ["### Model totals", "", f"$${totals_latex(t)}$$", ""]
        out.append("- trainable parameters: " + fmt_value(t.trainable) + ", non-trainable parameters: "
                   + fmt_value(t.non_trainable))
        if len(t.terms) > 1:
            out.insert(-1, "- " + _md_escape(_terms_words(t)).replace("×", "x"))
        out.append("- output shape: " + ", ".join(_shape(s) for s in t.outputs))
        if t.chain:
            out.append("- shape chain: `" + t.chain_text() + "`")
        out.append("")
    v = ex.validity
    if v is not None:
        out += ["### Valid input sizes", ""]
        for c in v.conditions:
            out.append(f"- {_md_escape(c.layer)}: ${_rel_latex(c.relation)}$"
                       + (" (the merged inputs must agree)" if c.kind == "merge" else ""))
        for kind, t_ in _validity_lines(v):
            if kind == "rule":
                out.append(f"- {t_}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_TEX_SPECIALS = {"\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#", "{": r"\{",
                 "}": r"\}", "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
                 "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
                 "→": r"$\rightarrow$", "≥": r"$\geq$", "×": r"$\times$", "⌊": r"$\lfloor$",
                 "⌋": r"$\rfloor$", "⌈": r"$\lceil$", "⌉": r"$\rceil$", "−": "-"}


def tex_escape(s: str) -> str:
    """User and prose text for LaTeX text mode: every special character escaped, the
    unicode math signs as math, anything else outside ASCII dropped to '?'."""
    out = []
    for ch in str(s):
        if ch in _TEX_SPECIALS:
            out.append(_TEX_SPECIALS[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


_tex_escape = tex_escape


def _tt(s: str) -> str:
    """Code in typewriter type that may break after commas and spaces."""
    return r"\texttt{" + tex_escape(s) + "}"


def derivation_latex(d: Any) -> list[str]:
    """One derivation for a LaTeX document: the aligned block, its legend as running text
    (one short formula per symbol, so the line can break), its notes."""
    out = [rf"\[ {d.latex()} \]"]
    where = d.where()
    if where:
        parts = [f"${latex_name(s)} = {latex_value(v)}$" + (f" ({tex_escape(t)})" if t else "") for s, v, t in where]
        out.append("where " + ", ".join(parts) + ".")
    for n in d.notes:
        out.append("")
        out.append(rf"\emph{{{tex_escape(n)}}}")
    return out


def latex(ex: ModelExplanation) -> str:
    out = [f"% archcalc explain: {tex_escape(ex.name)}", rf"\section*{{Model: {tex_escape(ex.name)}}}", ""]
    for layer in ex.layers:
        ins = ", ".join(tex_escape(fmt_shape_text(s)) for s in layer.input_shapes)
        out.append(rf"\subsection*{{{tex_escape(layer.name)} ({tex_escape(layer.type)})}}")
        out.append(rf"{_tt(layer.call)}: {ins} $\rightarrow$ {tex_escape(fmt_shape_text(layer.output_shape))}")
        out.append("")
        for d in layer.derivations:
            out += derivation_latex(d)
            out.append("")
    t = ex.totals
    if t is not None:
        out += [r"\subsection*{Model totals}", rf"\[ {totals_latex(t)} \]", r"\begin{itemize}"]
        out += [rf"  \item {item}" for item in _totals_items(t, lambda m: f"${m}$", tex_escape)]
        out += [r"\end{itemize}", ""]
    v = ex.validity
    if v is not None:
        out.append(r"\subsection*{Valid input sizes}")
        out.append(r"\begin{itemize}")
        for c in v.conditions:
            out.append(rf"  \item {tex_escape(c.layer)}: ${_rel_latex(c.relation)}$")
        for kind, t_ in _validity_lines(v):
            if kind == "rule":
                out.append(rf"  \item {tex_escape(t_)}")
        out.append(r"\end{itemize}")
    return "\n".join(out).rstrip() + "\n"


def latex_document(body: str, title: str) -> str:
    """A complete article around a LaTeX body: amsmath for the aligned blocks; sloppy line
    breaking so long code and shape lists wrap instead of running into the margin."""
    return ("\\documentclass[11pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{amsmath}\n"
            "\\usepackage[margin=2.5cm]{geometry}\n"
            f"\\title{{{tex_escape(title)}}}\n\\date{{}}\n\\sloppy\n\\allowdisplaybreaks\n"
            "\\begin{document}\n" + body + "\\end{document}\n")


def markdown_document(body: str, title: str) -> str:
    """A complete Markdown file: a title line and the body (math as $$...$$, as GitHub,
    Jupyter and pandoc read it)."""
    return f"# {_md_escape(title)}\n\n_Worked derivations written by archcalc._\n\n" + body


RENDERERS: dict[str, Callable[..., str]] = {"text": text, "markdown": markdown, "latex": latex}


def render(ex: ModelExplanation, fmt: str = "text", width: int = 100, standalone: bool = False) -> str:
    """One explanation in one format; ``standalone`` wraps LaTeX and Markdown in a complete
    document (LaTeX: article with amsmath, ready for pdflatex)."""
    if fmt == "text":
        return text(ex, width=width)
    body = RENDERERS[fmt](ex)
    if not standalone:
        return body
    return latex_document(body, ex.name) if fmt == "latex" else markdown_document(body, ex.name)
