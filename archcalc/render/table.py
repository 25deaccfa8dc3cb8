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


def build(analysis: Analysis, cost: Any = None, width: int = 80) -> Any:
    from rich import box
    from rich.table import Table

    from archcalc.cost import model_cost

    cost = cost or model_cost(analysis)

    conn = needs_connections(analysis)
    table = Table(title=f"Model: {analysis.name}", box=box.SIMPLE_HEAVY, title_justify="left",
                  show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    longest = max((len(r.name) + len(r.type) + 3 for r in analysis.rows), default=12)
    # keep "name (Type)" on one line where it fits; shapes and connections wrap first
    rows = [[f"{row.name} ({row.type})", fmt_shape(row.output_shape), fmt_count(row.params),
             fmt_macs(cost.layers[row.name]), fmt_rf(row)] + ([connected_to(row) or "-"] if conn else [])
            for row in analysis.rows]
    fixed = _fixed_widths(rows, longest, width) if conn else None
    widest = max((len(r[1]) for r in rows), default=12)
    table.add_column("Layer (type)", overflow="fold", min_width=min(longest, 22),
                     width=fixed and fixed[0])
    table.add_column("Output Shape", overflow="fold", min_width=min(widest, 21), width=fixed and fixed[1])
    table.add_column("Param #", justify="right", no_wrap=True)
    table.add_column("MACs", justify="right", no_wrap=True)
    table.add_column("RF", justify="right", no_wrap=True)
    if conn:
        table.add_column("Connected to", overflow="fold", min_width=9, width=fixed and fixed[2])
    for cells in rows:
        table.add_row(*cells)
    return table


def _fixed_widths(rows: list[list[str]], longest: int, width: int) -> tuple[int, int, int] | None:
    """When the table would not fit, fix the layer and shape columns at their readable minimum
    and give "Connected to" what is left (rich would otherwise shrink the widest column first
    and then re-grow it to its minimum, pushing the table past the terminal's edge)."""
    natural = [max(len(r[i]) for r in rows) for i in range(6)]
    natural = [max(n, len(h)) for n, h in zip(natural, ("Layer (type)", "Output Shape", "Param #", "MACs", "RF", "Connected to"), strict=True)]
    chrome = 5 + 4  # 5 column separators, a padding cell right of every column but the last
    if sum(natural) + chrome <= width:
        return None
    layer, shape = min(natural[0], max(min(longest, 22), 12)), min(natural[1], 21)
    rest = width - (layer + shape + sum(natural[2:5]) + chrome)
    if rest < 9:  # narrow terminal: let the layer column give way first
        layer = max(12, layer - (9 - rest))
        rest = 9
    return layer, shape, min(rest, natural[5])


def fmt_macs(c: Any) -> str:
    """A layer's MACs for the table: SI units, '/step' when a sequence length is unknown."""
    from archcalc.cost import fmt_si

    if getattr(c.macs, "free_symbols", None):  # a formula: too wide for the column
        return "f(" + ",".join(sorted(str(s) for s in c.macs.free_symbols)) + ")"
    return fmt_si(c.macs) + ("/step" if c.per_step and c.macs else "")


def footer(analysis: Analysis, cost: Any = None, mem: Any = None) -> str:
    from archcalc.cost import model_cost
    from archcalc.memory import estimate, footer_lines

    cost = cost or model_cost(analysis)
    mem = mem or estimate(analysis)
    lines = []
    for label, value in totals(analysis):
        size = f" ({readable_bytes(value * mem.variable_bytes)})" if isinstance(value, int) else ""
        lines.append(f"{label}: {fmt_count(value)}{size}")
    lines.extend(footer_lines(cost, mem))
    if any(r.rf is not None and not r.rf.aligned for r in analysis.rows):
        lines.append("RF: receptive field per spatial axis; * = merge of branches on different grids")
    from archcalc.readers.python.legacy import summary_lines

    lines.extend(summary_lines(analysis.graph))
    return "\n".join(lines)


def render(analysis: Analysis, console: Any = None, dtype: str = "float32", batch_size: int = 1,
           **options: Any) -> str | None:
    from rich.console import Console

    from archcalc.cost import model_cost
    from archcalc.memory import estimate

    console = console or Console()
    cost = model_cost(analysis)
    console.print(build(analysis, cost, console.width))
    console.print(footer(analysis, cost, estimate(analysis, dtype, batch_size)), highlight=False)
    return None
