"""The summary as a GitHub Markdown table."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis
from archcalc.render.common import (
    connected_to,
    fmt_count,
    fmt_rf,
    fmt_shape,
    needs_connections,
    readable_bytes,
    totals,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, **options: Any) -> str:
    from archcalc.cost import model_cost
    from archcalc.memory import estimate, footer_lines
    from archcalc.render.table import fmt_macs

    cost = model_cost(analysis)
    mem = estimate(analysis, dtype, batch_size)
    conn = needs_connections(analysis)
    head = ["Layer (type)", "Output Shape", "Param #", "MACs", "Receptive field"] + (["Connected to"] if conn else [])
    lines = [f"**Model: {analysis.name}**", "", "| " + " | ".join(head) + " |",
             "|" + "|".join(["---", "---", "---:", "---:", "---"] + (["---"] if conn else [])) + "|"]
    for row in analysis.rows:
        cells = [f"{row.name} ({row.type})", fmt_shape(row.output_shape), fmt_count(row.params),
                 fmt_macs(cost.layers[row.name]), fmt_rf(row)]
        if conn:
            cells.append(connected_to(row) or "-")
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    for label, value in totals(analysis):
        size = readable_bytes(value * mem.variable_bytes) if isinstance(value, int) else ""
        lines.append(f"- **{label}:** {fmt_count(value)}" + (f" ({size})" if size else ""))
    foot = footer_lines(cost, mem)
    lines.extend(f"- {line}" if not line.startswith("  ") else f"  {line.strip()}" for line in foot)
    return "\n".join(lines) + "\n"
