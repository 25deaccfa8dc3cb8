"""The terminal table, in the spirit of Keras's model.summary(), laid out here in plain
fixed-width text (no rich: it is fast at any size and the same on a terminal and in a log).

The layout never cuts a name or a number. When the natural table is wider than the
terminal, cells wrap between whole items (a layer's name and its type, the shapes of a
multi-output layer, the names under "Connected to"); when even that does not fit, each
layer becomes a block of ``Header: value`` fields (the stacked layout), and a note says
so. ``layout="table"`` keeps a table and leaves out the columns that do not fit, naming
them and the options that bring them back.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from archcalc.engine import Analysis
from archcalc.render.common import (
    COLUMNS,
    Context,
    Line,
    column_keys,
    display_lines,
    fmt_count,
    footer_lines,
    layer_cell,
    readable_bytes,
    totals,
)
from archcalc.render.common import (
    layer_range as parse_layer_range,
)

GAP = 2  # spaces between columns
LAYOUTS = ("auto", "table", "stacked")
#: which columns get spare width first when cells wrap
_GROW = ("layer", "output_shape", "input_shape", "kernel_shape", "connected_to")
#: which columns ``layout="table"`` leaves out first when the terminal is too narrow
_DROP = ("rf", "memory", "flops", "other_ops", "macs", "kernel_shape", "input_shape", "trainable", "connected_to", "params",
         "output_shape")


# --- wrapping whole items ------------------------------------------------------------------

def items(text: str) -> list[str]:
    """Split a list cell at the commas outside parentheses, keeping each comma on its item:
    '(None, 8), (None, 8)' -> ['(None, 8),', '(None, 8)']; 'u1, c2' -> ['u1,', 'c2']."""
    if ", " not in text:
        return [text]
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0 and text.startswith(", ", i):
            out.append(text[start:i + 1])
            start = i + 2
    out.append(text[start:])
    return out


def fill(words: list[str], width: int) -> list[str]:
    """Greedy fill: words joined by one space, a new line when the next would pass ``width``.
    A word longer than ``width`` gets a line of its own and is never cut."""
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return lines


class _Cell:
    """A cell's text and the ways it may be broken."""

    __slots__ = ("text", "parts", "indent")

    def __init__(self, text: str, parts: list[str], indent: int = 0) -> None:
        self.text, self.parts, self.indent = text, parts, indent

    @property
    def min_width(self) -> int:
        return max(len(p) for p in self.parts) + (self.indent if len(self.parts) > 1 else 0)

    def lines(self, width: int) -> list[str]:
        if len(self.text) <= width:
            return [self.text]
        if self.indent:  # a nested layer's name: its type goes under the name, not the marker
            head, *rest = self.parts
            pad = " " * self.indent
            return [head] + [pad + x for x in fill(rest, width - self.indent)]
        return fill(self.parts, width)


def _layer(line: Line) -> _Cell:
    name, kind = layer_cell(line)
    indent = len(name) - len(line.row.name)
    return _Cell(f"{name} {kind}", [name, kind], indent)


def _header_cell(text: str) -> _Cell:
    return _Cell(text, text.split(" "))


# --- the table -----------------------------------------------------------------------------

class Table:
    """The cells of a summary, laid out for a width (see the module docstring)."""

    def __init__(self, keys: list[str], lines: list[Line], ctx: Context) -> None:
        self.keys = ["layer", *keys]
        self.headers = ["Layer (type)"] + [COLUMNS[k].header for k in keys]
        self.align = ["left"] + [COLUMNS[k].align for k in keys]
        funcs = [COLUMNS[k].cell for k in keys]
        wraps = [COLUMNS[k].wrap for k in keys]
        self.rows: list[list[Any]] = []
        for line in lines:
            cells: list[Any] = [_layer(line)]
            for f, wrap in zip(funcs, wraps):
                text = f(line, ctx)
                cells.append(_Cell(text, items(text)) if wrap == "list" else text)
            self.rows.append(cells)

    def natural(self) -> list[int]:
        out = [len(h) for h in self.headers]
        for cells in self.rows:
            for i, c in enumerate(cells):
                n = len(c.text) if isinstance(c, _Cell) else len(c)
                if n > out[i]:
                    out[i] = n
        return out

    def minimal(self) -> list[int]:
        out = [max(len(w) for w in h.split(" ")) for h in self.headers]
        for cells in self.rows:
            for i, c in enumerate(cells):
                n = c.min_width if isinstance(c, _Cell) else len(c)
                if n > out[i]:
                    out[i] = n
        return out

    @staticmethod
    def span(widths: list[int]) -> int:
        return sum(widths) + GAP * (len(widths) - 1)

    def widths(self, width: int) -> list[int] | None:
        """Column widths that fit ``width`` (wrapping cells if need be), or None."""
        nat = self.natural()
        if self.span(nat) <= width:
            return nat
        ws = self.minimal()
        spare = width - self.span(ws)
        if spare < 0:
            return None
        for key in _GROW:  # give the spare width back, most useful column first
            if key in self.keys and spare > 0:
                i = self.keys.index(key)
                add = min(spare, nat[i] - ws[i])
                ws[i] += add
                spare -= add
        return ws

    def drop(self, key: str) -> None:
        i = self.keys.index(key)
        for seq in (self.keys, self.headers, self.align):
            del seq[i]
        for cells in self.rows:
            del cells[i]

    def render(self, widths: list[int]) -> tuple[list[str], list[str]]:
        """(header lines, body lines)."""
        sep = " " * GAP
        head = self._block([_header_cell(h) for h in self.headers], widths, sep)
        body: list[str] = []
        fast = widths == self.natural()
        for cells in self.rows:
            if fast:  # nothing wraps: one line per row
                parts = [_pad(c.text if isinstance(c, _Cell) else c, w, a)
                         for c, w, a in zip(cells, widths, self.align)]
                body.append(sep.join(parts).rstrip())
            else:
                body.extend(self._block(cells, widths, sep))
        return head, body

    def _block(self, cells: list[Any], widths: list[int], sep: str) -> list[str]:
        cols = [c.lines(w) if isinstance(c, _Cell) else [c] for c, w in zip(cells, widths)]
        height = max(len(c) for c in cols)
        out = []
        for k in range(height):
            parts = [_pad(c[k] if k < len(c) else "", w, a) for c, w, a in zip(cols, widths, self.align)]
            out.append(sep.join(parts).rstrip())
        return out


def _pad(text: str, width: int, align: str) -> str:
    if align == "right":
        return text.rjust(width)
    if align == "center":
        return text.center(width)
    return text.ljust(width)


def stacked(table: Table, width: int) -> list[str]:
    """One block per layer: its name and type, then ``Header: value`` fields packed on
    indented lines; a value too long for a line wraps between whole items."""
    out: list[str] = []
    for cells in table.rows:
        layer: _Cell = cells[0]
        out.extend(layer.lines(width))
        indent = " " * (layer.indent + 4)
        cur = ""
        for header, cell in zip(table.headers[1:], cells[1:]):
            text = cell.text if isinstance(cell, _Cell) else cell
            field = f"{header}: {text}"
            if cur and len(cur) + 3 + len(field) <= width:
                cur += "   " + field
                continue
            if cur:
                out.append(cur)
            if len(indent) + len(field) <= width or not isinstance(cell, _Cell):
                cur = indent + field
            else:  # wrap the value; continuation lines line up under its first item
                hang = len(indent) + len(header) + 2
                wrapped = fill(cell.parts, max(width - hang, 1))
                out.append(indent + f"{header}: {wrapped[0]}")
                out.extend(" " * hang + w for w in wrapped[1:-1])
                cur = " " * hang + wrapped[-1] if len(wrapped) > 1 else ""
        if cur:
            out.append(cur)
    return out


# --- the text under the table -------------------------------------------------------------

def wrap_text(line: str, width: int) -> list[str]:
    """A footer line wrapped between words (continuations indented by two spaces)."""
    if len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    words = line.split()
    first = fill(words, max(width - lead, 1))
    head = " " * lead + first[0]
    rest = " ".join(first[1:]).split() if len(first) > 1 else []
    return [head] + [" " * (lead + 2) + x for x in fill(rest, max(width - lead - 2, 1))] if rest else [head]


def footer(analysis: Analysis, cost: Any = None, mem: Any = None, rf_legend: bool | None = None,
           convention: str = "archcalc") -> str:
    """Totals, cost, memory and legends, one fact a line."""
    from archcalc.memory import estimate

    cost = cost or analysis.cost
    mem = mem or estimate(analysis)
    lines = []
    for label, value in totals(analysis):
        size = f" ({readable_bytes(value * mem.variable_bytes)})" if isinstance(value, int) else ""
        lines.append(f"{label}: {fmt_count(value)}{size}")
    lines.extend(footer_lines(cost, mem, convention))
    if rf_legend is None:
        rf_legend = any(r.rf is not None and not r.rf.aligned for r in analysis.rows)
    if rf_legend:
        lines.append("RF: receptive field per spatial axis; * = merge of branches on different grids")
    from archcalc.layers.eras import summary_lines

    lines.extend(summary_lines(analysis.graph))
    lines.extend(f"Note: {note}" for note in analysis.graph.extras.get("notes", ()))
    return "\n".join(lines)


def terminal_width() -> int:
    """COLUMNS when set, else the terminal's width, else 80 (a pipe or a CI log)."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def layout_lines(analysis: Analysis, width: int, dtype: str = "float32", batch_size: int = 1,
                 columns: tuple[str, ...] = (), show_trainable: bool = False,
                 layer_range_spec: str | None = None, expand_nested: bool = False,
                 depth: int | None = None, layout: str = "auto",
                 cost_convention: str = "archcalc") -> list[tuple[str, str]]:
    """The summary as (text, kind) lines; kind is "title", "header", "rule" or "" (body)."""
    from archcalc.memory import DTYPES, estimate

    width = max(width, 20)
    cost = analysis.cost
    mem = estimate(analysis, dtype, batch_size)
    bounds = parse_layer_range(analysis, layer_range_spec) if layer_range_spec else None
    lines = display_lines(analysis, expand_nested or depth is not None, depth, bounds)
    keys = column_keys(analysis, columns, show_trainable)
    table = Table(keys, lines, Context(cost, DTYPES[dtype][1], batch_size, cost_convention))
    out: list[tuple[str, str]] = [(f"Model: {analysis.name}", "title")]
    notes: list[str] = []
    widths = table.widths(width) if layout != "stacked" else None
    if widths is None and layout == "table":
        left_out = []
        for key in _DROP:
            if key in table.keys and table.widths(width) is None:
                left_out.append(table.headers[table.keys.index(key)])
                table.drop(key)
        widths = table.widths(width)
        notes.append(f"Left out at {width} columns: {', '.join(left_out)} (--layout stacked shows every "
                     "column; --columns chooses them; a wider terminal or COLUMNS=N fits more)")
    if widths is None and layout == "auto":
        notes.append(f"Stacked layout: the table needs {table.span(table.minimal())} columns, {width} "
                     "are available (a wider terminal or COLUMNS=N shows a table; --columns picks "
                     "fewer columns)")
    for note in notes:
        out.extend((w, "note") for w in wrap_text(note, width))
    if widths is not None:
        head, body = table.render(widths)
        out.extend((h, "header") for h in head)
        out.append(("\u2501" * table.span(widths), "rule"))
        out.extend((b, "") for b in body)
    else:
        out.append(("\u2501" * min(width, 72), "rule"))
        out.extend((b, "") for b in stacked(table, width))
    out.append(("\u2501" * min(width, table.span(widths) if widths else 72), "rule"))
    shown_rf = "rf" in table.keys
    legend = shown_rf and any(not ln.nested and ln.row.rf is not None and not ln.row.rf.aligned for ln in lines)
    text = footer(analysis, cost, mem, rf_legend=legend, convention=cost_convention)
    if not (expand_nested or depth is not None):
        holders = [ln.row.name for ln in lines if _holds_layers(ln.row)]
        if holders:
            text += f"\n--expand-nested shows the layers inside {', '.join(holders[:6])}" + (
                ", ..." if len(holders) > 6 else "")
    if bounds is not None:
        rows = analysis.rows[bounds[0]:bounds[1]]
        part = sum((r.params for r in rows), 0)
        text += (f"\nShown: {len(rows)} of {len(analysis.rows)} layers ({rows[0].name} to {rows[-1].name}), "
                 f"{fmt_count(part)} of the params")
    for line in text.split("\n"):
        out.extend((w, "") for w in wrap_text(line, width))
    return out


def _holds_layers(row: Any) -> bool:
    layer = row.node.layer
    if layer is None or row.node.shared_with:
        return False
    return layer.inner_analysis(row.input_shapes) is not None or bool(layer.sublayers(row.input_shapes))


def render(analysis: Analysis, console: Any = None, dtype: str = "float32", batch_size: int = 1,
           width: int | None = None, columns: tuple[str, ...] = (), show_trainable: bool = False,
           layer_range: str | None = None, expand_nested: bool = False, depth: int | None = None,
           layout: str = "auto", cost_convention: str = "archcalc", **options: Any) -> str | None:
    """The summary as text (returned), or printed on ``console`` (a rich Console: its width,
    and bold titles when it is a terminal) and None returned."""
    if width is None:
        width = console.width if console is not None else terminal_width()
    lines = layout_lines(analysis, width, dtype, batch_size, tuple(columns), show_trainable, layer_range,
                         expand_nested, depth, layout, cost_convention)
    if console is not None:
        from rich.text import Text

        for text, kind in lines:
            style = "bold" if kind in ("title", "header") else ""
            console.print(Text(text, style=style), soft_wrap=True, highlight=False, markup=False)
        return None
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return "\n".join(f"\x1b[1m{t}\x1b[0m" if k in ("title", "header") else t for t, k in lines)
    return "\n".join(t for t, _ in lines)
