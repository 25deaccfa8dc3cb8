"""The summary as a GitHub Markdown table (the same rows and columns as the terminal table)."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis
from archcalc.render.common import (
    COLUMNS,
    Context,
    column_keys,
    display_lines,
    fmt_count,
    layer_cell,
    readable_bytes,
    totals,
)

#: Markdown has room for the long header
_HEADERS = {"rf": "Receptive field"}
_ALIGN = {"left": "---", "right": "---:", "center": ":---:"}
RF_LEGEND = "Receptive field per spatial axis; * = merge of branches on different grids"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, columns: tuple[str, ...] = (),
           show_trainable: bool = False, layer_range: str | None = None, expand_nested: bool = False,
           depth: int | None = None, cost_convention: str = "archcalc", **options: Any) -> str:
    from archcalc.memory import DTYPES, estimate
    from archcalc.render.common import footer_lines
    from archcalc.render.common import layer_range as parse_range

    cost = analysis.cost
    mem = estimate(analysis, dtype, batch_size)
    bounds = parse_range(analysis, layer_range) if layer_range else None
    lines_ = display_lines(analysis, expand_nested or depth is not None, depth, bounds)
    keys = column_keys(analysis, columns, show_trainable)
    cols = [COLUMNS[k] for k in keys]
    ctx = Context(cost, DTYPES[dtype][1], batch_size, cost_convention)
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
    foot = footer_lines(cost, mem, cost_convention)
    lines.extend(f"- {line}" if not line.startswith("  ") else f"  {line.strip()}" for line in foot)
    lines.extend(f"- Note: {note}" for note in analysis.graph.extras.get("notes", ()))
    if bounds is not None:
        rows = analysis.rows[bounds[0]:bounds[1]]
        lines.append(f"- Shown: {len(rows)} of {len(analysis.rows)} layers ({rows[0].name} to "
                     f"{rows[-1].name}), {fmt_count(sum((r.params for r in rows), 0))} of the params")
    return "\n".join(lines) + "\n"
