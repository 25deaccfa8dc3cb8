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


def render(analysis: Analysis, **options: Any) -> str:
    conn = needs_connections(analysis)
    head = ["Layer (type)", "Output Shape", "Param #", "Receptive field"] + (["Connected to"] if conn else [])
    lines = [f"**Model: {analysis.name}**", "", "| " + " | ".join(head) + " |",
             "|" + "|".join(["---", "---", "---:", "---"] + (["---"] if conn else [])) + "|"]
    for row in analysis.rows:
        cells = [f"{row.name} ({row.type})", fmt_shape(row.output_shape), fmt_count(row.params), fmt_rf(row)]
        if conn:
            cells.append(connected_to(row) or "-")
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    for label, value in totals(analysis):
        size = readable_bytes(value * 4) if isinstance(value, int) else ""
        lines.append(f"- **{label}:** {fmt_count(value)}" + (f" ({size})" if size else ""))
    return "\n".join(lines) + "\n"
