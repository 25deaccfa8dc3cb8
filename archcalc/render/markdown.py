"""The summary as a GitHub Markdown table (the same rows and columns as the terminal table)."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis
from archcalc.render.common import fmt_count, layer_cell, readable_bytes, table_view, totals

#: Markdown has room for the long header
_HEADERS = {"rf": "Receptive field"}
_ALIGN = {"left": "---", "right": "---:", "center": ":---:"}
RF_LEGEND = "Receptive field per spatial axis; * = merge of branches on different grids"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, columns: tuple[str, ...] = (),
           show_trainable: bool = False, layer_range: str | None = None, expand_nested: bool = False,
           depth: int | None = None, cost_convention: str = "archcalc", **options: Any) -> str:
    view = table_view(analysis, dtype, batch_size, columns, show_trainable, layer_range, expand_nested, depth,
                      cost_convention)
    lines_, keys, cols, ctx, mem, bounds = view.lines, view.keys, view.cols, view.ctx, view.mem, view.bounds
    head = ["Layer (type)"] + [_HEADERS.get(c.key, c.header) for c in cols]
    lines = [f"**Model: {analysis.name}**", "", "| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] + [_ALIGN[c.align] for c in cols]) + "|"]
    for line in lines_:
        name, kind = layer_cell(line)
        # Markdown collapses leading spaces: nested rows are indented with no-break spaces
        name = name.replace("   ", "\u00a0" * 3)
        cells = [f"{name} {kind}"] + [c.cell(line, ctx) for c in cols]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    if "rf" in keys and any(not ln.nested and ln.row.rf is not None and not ln.row.rf.aligned for ln in lines_):
        lines += [RF_LEGEND, ""]
    for label, value in totals(analysis):
        size = readable_bytes(value * mem.variable_bytes) if isinstance(value, int) else ""
        lines.append(f"- **{label}:** {fmt_count(value)}" + (f" ({size})" if size else ""))
    lines.extend(f"- {line}" if not line.startswith("  ") else f"  {line.strip()}" for line in view.footer)
    lines.extend(f"- Note: {note}" for note in view.notes)
    if bounds is not None:
        rows = analysis.rows[bounds[0]:bounds[1]]
        lines.append(f"- Shown: {len(rows)} of {len(analysis.rows)} layers ({rows[0].name} to "
                     f"{rows[-1].name}), {fmt_count(sum((r.params for r in rows), 0))} of the params")
    return "\n".join(lines) + "\n"
