"""How the public objects show themselves: a short ``repr()`` (what it is, its size, its
totals), ``str()`` as the report a command prints, and tables for rich (``__rich__``) and
Jupyter (``_repr_html_``). Nothing here prints an internal object (``<... at 0x...>``).
Imported only when an object is displayed; rich only for ``__rich__``."""

from __future__ import annotations

import html
from typing import Any


def count(n: Any) -> str:
    from archcalc.render.common import fmt_count

    return fmt_count(n)


def shapes_text(shapes: list[Any]) -> str:
    from archcalc.render.common import fmt_shape

    return ", ".join(fmt_shape(s) for s in shapes)


# -- Analysis ---------------------------------------------------------------------------------

def analysis_repr(a: Any) -> str:
    return (f"<Analysis {a.name!r}: {len(a.rows)} layers, {count(a.total_params)} params "
            f"({count(a.trainable_params)} trainable), output {shapes_text(a.output_shapes)}>")


def analysis_str(a: Any) -> str:
    from archcalc.render.common import terminal_width
    from archcalc.render.table import layout_lines

    return "\n".join(text for text, _ in layout_lines(a, terminal_width()))


def _analysis_cells(a: Any) -> tuple[list[str], list[str], list[list[str]], list[tuple[str, str]]]:
    from archcalc.memory import DTYPES, estimate
    from archcalc.render.common import (
        COLUMNS,
        Context,
        column_keys,
        display_lines,
        layer_cell,
        readable_bytes,
        totals,
    )

    keys = column_keys(a)
    cols = [COLUMNS[k] for k in keys]
    ctx = Context(a.cost, DTYPES["float32"][1], 1, "archcalc")
    rows = []
    for line in display_lines(a):
        name, kind = layer_cell(line)
        rows.append([f"{name} {kind}"] + [c.cell(line, ctx) for c in cols])
    mem = estimate(a, "float32", 1)
    foot = [(label, count(v) + (f" ({readable_bytes(v * mem.variable_bytes)})" if isinstance(v, int) else ""))
            for label, v in totals(a)]
    return ["Layer (type)"] + [c.header for c in cols], ["left"] + [c.align for c in cols], rows, foot


def analysis_rich(a: Any) -> Any:
    from rich.table import Table

    headers, align, rows, foot = _analysis_cells(a)
    caption = "\n".join(f"{k}: {v}" for k, v in foot)
    table = Table(title=f"Model: {a.name}", caption=caption, caption_justify="left")
    for h, al in zip(headers, align, strict=True):
        table.add_column(h, justify=al, no_wrap=al == "right")  # type: ignore[arg-type]
    for r in rows:
        table.add_row(*r)
    return table


def _html_table(title: str, headers: list[str], align: list[str], rows: list[list[str]], foot: list[str]) -> str:
    esc = html.escape
    out = [f"<div><strong>{esc(title)}</strong>", "<table>",
           "<thead><tr>" + "".join(f'<th style="text-align:{al}">{esc(h)}</th>'
                                   for h, al in zip(headers, align, strict=True)) + "</tr></thead>", "<tbody>"]
    for r in rows:
        out.append("<tr>" + "".join(f'<td style="text-align:{al}">{esc(c)}</td>'
                                    for c, al in zip(r, align, strict=True)) + "</tr>")
    out += ["</tbody></table>"] + [f"<div>{esc(line)}</div>" for line in foot] + ["</div>"]
    return "\n".join(out)


def analysis_html(a: Any) -> str:
    headers, align, rows, foot = _analysis_cells(a)
    return _html_table(f"Model: {a.name}", headers, align, rows, [f"{k}: {v}" for k, v in foot])


# -- LintResult -------------------------------------------------------------------------------

def _counts(result: Any) -> str:
    from archcalc.lint.finding import Severity

    parts = [f"{result.count(s)} {s.value}{'s' if s is not Severity.INFO and result.count(s) != 1 else ''}"
             for s in Severity]
    return ", ".join(parts)


def lint_repr(result: Any) -> str:
    n = len(result.files)
    errors = f", {len(result.input_errors)} unreadable" if result.input_errors else ""
    return (f"<LintResult: {n} file{'' if n == 1 else 's'}, {_counts(result)}{errors}; "
            f"exit status {result.exit_code}>")


def lint_str(result: Any) -> str:
    from archcalc.lint.reporters.text import render

    lines = [e.format() for e in result.input_errors]
    text = render(result, color=False)
    return "\n".join([*lines, text or ""])


def _lint_cells(result: Any) -> tuple[list[str], list[list[str]]]:
    headers = ["Where", "Code", "Severity", "Message", "Hint"]
    rows = [[f.where, f.code, f.severity.value, f.message, f.hint or ""] for f in result.findings]
    rows += [[str(e.loc) if e.loc else "", "", "input error", e.message, e.hint or ""] for e in result.input_errors]
    return headers, rows


def lint_rich(result: Any) -> Any:
    from rich.table import Table

    from archcalc.lint.reporters.text import summary

    headers, rows = _lint_cells(result)
    table = Table(title="archcalc lint", caption=summary(result), caption_justify="left")
    for h in headers:
        table.add_column(h, no_wrap=h in ("Code", "Severity"))
    for r in rows:
        table.add_row(*r)
    return table


def lint_html(result: Any) -> str:
    from archcalc.lint.reporters.text import summary

    headers, rows = _lint_cells(result)
    return _html_table("archcalc lint", headers, ["left"] * len(headers), rows, [summary(result)])


def analysis_markdown(analysis: Any) -> str:
    """Jupyter's Markdown view of an Analysis: the summary table in Markdown, with a pointer
    to the worked derivations."""
    from archcalc.render.markdown import render

    return render(analysis) + "\n_Derivations: `archcalc.explain.explain_analysis(result)` shows the working._\n"
