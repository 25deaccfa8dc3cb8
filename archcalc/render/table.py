"""The terminal table, in the spirit of Keras's model.summary(), drawn with rich."""

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


def build(analysis: Analysis) -> Any:
    from rich import box
    from rich.table import Table

    conn = needs_connections(analysis)
    table = Table(title=f"Model: {analysis.name}", box=box.SIMPLE_HEAVY, title_justify="left",
                  show_edge=False, pad_edge=False)
    longest = max((len(r.name) + len(r.type) + 3 for r in analysis.rows), default=12)
    # keep "name (Type)" on one line where it fits; shapes and connections wrap first
    table.add_column("Layer (type)", overflow="fold", min_width=min(longest, 22))
    table.add_column("Output Shape", overflow="fold")
    table.add_column("Param #", justify="right", no_wrap=True)
    table.add_column("RF", justify="right", no_wrap=True)
    if conn:
        table.add_column("Connected to", overflow="fold", min_width=12)
    for row in analysis.rows:
        cells = [f"{row.name} ({row.type})", fmt_shape(row.output_shape), fmt_count(row.params), fmt_rf(row)]
        if conn:
            cells.append(connected_to(row) or "-")
        table.add_row(*cells)
    return table


def footer(analysis: Analysis) -> str:
    lines = []
    for label, value in totals(analysis):
        size = f" ({readable_bytes(value * 4)})" if isinstance(value, int) else ""
        lines.append(f"{label}: {fmt_count(value)}{size}")
    if any(r.rf is not None and not r.rf.aligned for r in analysis.rows):
        lines.append("RF: receptive field per spatial axis; * = merge of branches on different grids")
    return "\n".join(lines)


def render(analysis: Analysis, console: Any = None, **options: Any) -> str | None:
    from rich.console import Console

    console = console or Console()
    console.print(build(analysis))
    console.print(footer(analysis), highlight=False)
    return None
