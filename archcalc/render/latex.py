"""The summary as a LaTeX ``tabular`` (the same rows and columns as the terminal table), for
an exam sheet or a report; ``explain --format latex`` gives the derivations to go with it.
Needs no LaTeX package beyond the standard ones."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis
from archcalc.render.common import fmt_count, layer_cell, readable_bytes, table_view, totals

_ALIGN = {"left": "l", "right": "r", "center": "c"}


def render(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, columns: tuple[str, ...] = (),
           show_trainable: bool = False, layer_range: str | None = None, expand_nested: bool = False,
           depth: int | None = None, cost_convention: str = "archcalc", **options: Any) -> str:
    from archcalc.explain.render import tex_escape

    view = table_view(analysis, dtype, batch_size, columns, show_trainable, layer_range, expand_nested, depth,
                      cost_convention)
    lines_, cols, ctx, mem = view.lines, view.cols, view.ctx, view.mem
    spec = "l" + "".join(_ALIGN[c.align] for c in cols)
    out = [f"% archcalc summary: {tex_escape(analysis.name)}",
           rf"\paragraph{{Model: {tex_escape(analysis.name)}}}", "",
           r"\begin{tabular}{" + spec + "}", r"\hline",
           " & ".join(tex_escape(h) for h in ["Layer (type)"] + [c.header for c in cols]) + r" \\", r"\hline"]
    for line in lines_:
        name, kind = layer_cell(line)
        indent = r"\quad " * (len(name) - len(name.lstrip(" "))) if name.startswith(" ") else ""
        cells = [indent + tex_escape(f"{name.strip()} {kind}")] + [tex_escape(c.cell(line, ctx)) for c in cols]
        out.append(" & ".join(cells) + r" \\")
    out += [r"\hline", r"\end{tabular}", "", r"\begin{itemize}"]
    for label, value in totals(analysis):
        size = readable_bytes(value * mem.variable_bytes) if isinstance(value, int) else ""
        out.append(rf"  \item {tex_escape(label)}: {tex_escape(fmt_count(value))}"
                   + (f" ({tex_escape(size)})" if size else ""))
    for ln in view.footer:
        if ln.startswith("  ") and out[-1].startswith(r"  \item"):
            out[-1] += " " + tex_escape(ln.strip())  # a continuation of the line above
        else:
            out.append(rf"  \item {tex_escape(ln.strip())}")
    out.extend(rf"  \item Note: {tex_escape(note)}" for note in view.notes)
    out.append(r"\end{itemize}")
    return "\n".join(out) + "\n"
