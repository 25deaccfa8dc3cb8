"""Formatting shared by the renderers: dims, shapes, counts, byte sizes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from archcalc.engine import Analysis, Row
from archcalc.layers.base import fmt_shape as base_fmt_shape


def terminal_width(default: int = 80, minimum: int = 1) -> int:
    """The one terminal-width rule every command follows: ``COLUMNS`` when it is set to a
    number, else the terminal's width, else ``default`` (a pipe or a CI log); never below
    ``minimum``."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(minimum, int(columns))
    return max(minimum, shutil.get_terminal_size((default, 24)).columns)


def color_enabled(stream: Any = None) -> bool:
    """Styles (colour, and bold too) only on a terminal, and never when ``NO_COLOR`` is set
    to a non-empty value (https://no-color.org)."""
    import os
    import sys

    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


#: while a report is written with recording(): each symbolic value's JSON text -> the value
_recorded: list[dict[str, Any]] = []


@contextmanager
def recording() -> Iterator[dict[str, Any]]:
    """Keep, for each symbolic value dim_json writes as text, the value itself: a renderer of
    the JSON report (diff) prints it in the notes' notation without parsing the text back."""
    seen: dict[str, Any] = {}
    _recorded.append(seen)
    try:
        yield seen
    finally:
        _recorded.remove(seen)


def dim_json(d: Any) -> Any:
    """A dimension for JSON: int, null, or the formula as a string when symbolic."""
    if d is None or isinstance(d, int):
        return d
    if hasattr(d, "is_Integer") and d.is_Integer:
        return int(d)
    text = str(d)
    if _recorded:
        _recorded[-1][text] = d
    return text


def shape_json(shape: Any) -> Any:
    if isinstance(shape, list):
        return [shape_json(s) for s in shape]
    return [dim_json(d) for d in shape]


def fmt_dim(d: Any) -> str:
    """One size for the text and Markdown tables: 28, None, or a symbolic size as the notes
    write it (``⌊H/4⌋``, ``2 × ⌊H/4⌋``; JSON keeps the machine-readable ``floor(H/4)``)."""
    if d is None:
        return "None"
    if getattr(d, "free_symbols", None):  # a sympy size: sympy is loaded already
        return _notes_dim(d)
    return str(d)


@lru_cache(maxsize=4096)
def _notes_dim(d: Any) -> str:
    """A symbolic size or count in the notes' notation (the one printer explain uses)."""
    from archcalc.explain.printing import fmt_dim_text

    return fmt_dim_text(d)


def fmt_shape(shape: Any) -> str:
    """A shape in a table cell: sizes as :func:`fmt_dim` prints them, several shapes
    without brackets."""
    return base_fmt_shape(shape, fmt_dim, brackets=False)


def fmt_count(n: Any) -> str:
    """A count: 73,856, or a symbolic count as the notes write it (``units^2 + 10 × units``)."""
    if getattr(n, "is_Integer", False):  # a sum of named sizes that cancel out
        n = int(n)
    if isinstance(n, int):
        return f"{n:,}"
    if getattr(n, "free_symbols", None):
        return _notes_dim(n)
    return str(n)


def fmt_rf(row: Row) -> str:
    if row.rf is None:
        return "-"
    text = "x".join(str(s) for s in row.rf.sizes())
    return text if row.rf.aligned else text + "*"


#: the binary units archcalc prints: a size is always 1024-based and labelled so (Keras's own
#: summary prints the same 1024-based numbers labelled KB, MB)
BINARY_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def readable_bytes(n: Any) -> str:
    """A byte size, 1024-based, two decimals, labelled with its binary unit: '3.91 KiB'."""
    if not isinstance(n, (int, float)):
        return _notes_dim(n) if getattr(n, "free_symbols", None) else str(n)
    size = float(n)
    for unit in BINARY_UNITS:
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PiB"


_SI = ((10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "K"))


def fmt_si(n: Any) -> str:
    """A count in SI units with 3 significant digits: 1234567 -> '1.23M'."""
    if not isinstance(n, (int, float)):
        return "?" if n is None else str(n)
    for scale, unit in _SI:
        if abs(n) >= scale:
            v = n / scale
            text = f"{v:.3g}" if v < 1000 else f"{v:.0f}"
            return text + unit
    return str(n)


def fmt_macs(c: Any, field: str = "macs") -> str:
    """A layer's MACs (or another cost ``field``) for the table: SI units, '/step' when a
    sequence length is unknown."""
    n = getattr(c, field)
    if getattr(n, "free_symbols", None):  # a formula: too wide for the column
        return "f(" + ",".join(sorted(str(s) for s in n.free_symbols)) + ")"
    return fmt_si(n) + ("/step" if c.per_step and n else "")


def connected_to(row: Row) -> str:
    return ", ".join(name if i is None else f"{name}[{i}]" for name, i in row.node.sources())


def needs_connections(analysis: Analysis) -> bool:
    return not analysis.graph.is_chain()


def totals(analysis: Analysis) -> list[tuple[str, Any]]:
    return [
        ("Total params", analysis.total_params),
        ("Trainable params", analysis.trainable_params),
        ("Non-trainable params", analysis.non_trainable_params),
    ]


# --- the rows and columns a table shows (table and markdown share them) ----------------------

class Line:
    """One displayed row: an engine row, how deep it sits inside nested models, and whether
    a frozen layer (or a frozen model around it) holds its weights fixed."""

    __slots__ = ("row", "depth", "frozen")

    def __init__(self, row: Row, depth: int = 0, frozen: bool = False) -> None:
        self.row, self.depth, self.frozen = row, depth, frozen

    @property
    def nested(self) -> bool:
        return self.depth > 0


def display_lines(analysis: Analysis, expand_nested: bool = False, depth: int | None = None,
                  layer_range: tuple[int, int] | None = None) -> list[Line]:
    """The rows to show, in order: the top-level rows (``layer_range`` slices them, as
    Keras's ``layer_range`` does) and, with ``expand_nested``, the rows inside nested models
    and wrappers under their parent, down to ``depth`` levels (None: all)."""
    from archcalc.engine import sub_rows

    top = analysis.rows if layer_range is None else analysis.rows[layer_range[0]:layer_range[1]]
    out: list[Line] = []

    def add(row: Row, level: int, frozen: bool) -> None:
        layer = row.node.layer
        frozen = frozen or (layer is not None and not layer.trainable)
        out.append(Line(row, level, frozen))
        if expand_nested and (depth is None or level < depth):
            for sub in sub_rows(row):
                add(sub, level + 1, frozen)

    for row in top:
        add(row, 0, False)
    return out


def layer_range(analysis: Analysis, spec: str) -> tuple[int, int]:
    """``FIRST:LAST`` -> (start, stop) over the top-level rows, both ends included. Each end
    is a layer name or, as in Keras's ``layer_range``, a pattern matched at the start of the
    names (``re.match``); an empty end means the first or last layer."""
    import re

    from archcalc.errors import UsageError, did_you_mean

    first, sep, last = spec.partition(":")
    if not sep:
        raise UsageError(f"--layer-range expects FIRST:LAST, got '{spec}'", hint="e.g. --layer-range conv2d:dense")
    names = [r.name for r in analysis.rows]

    def matches(pattern: str) -> list[int]:
        if pattern in names:
            return [names.index(pattern)]
        try:
            rx = re.compile(pattern)
        except re.error:
            rx = re.compile(re.escape(pattern))
        found = [i for i, n in enumerate(names) if rx.match(n)]
        if not found:
            raise UsageError(f"--layer-range: no layer is named '{pattern}'",
                             hint=did_you_mean(pattern, names) or "layers: " + ", ".join(names[:8])
                             + (", ..." if len(names) > 8 else ""))
        return found

    lo = matches(first) if first else [0]
    hi = matches(last) if last else [len(names) - 1]
    if min(lo) > max(hi):  # given backwards: Keras swaps the ends
        return min(hi), max(lo) + 1
    return min(lo), max(hi) + 1


class Column:
    """A table column: its header, alignment, how its text may wrap ("none": never; "list":
    between the comma-separated items), and the function that formats a Line."""

    __slots__ = ("key", "header", "align", "wrap", "cell")

    def __init__(self, key: str, header: str, align: str, wrap: str, cell: Any) -> None:
        self.key, self.header, self.align, self.wrap, self.cell = key, header, align, wrap, cell


class Context:
    """What cells need beyond the row: per-layer cost, the dtype's bytes, the batch size and
    the cost convention (which FLOPs figure)."""

    __slots__ = ("cost", "act_bytes", "batch_size", "convention")

    def __init__(self, cost: Any, act_bytes: int = 4, batch_size: int = 1, convention: str = "archcalc") -> None:
        self.cost, self.act_bytes, self.batch_size = cost, act_bytes, batch_size
        self.convention = convention

    def macs(self, line: Line) -> Any:
        from archcalc.cost import row_cost

        if not line.nested and line.row.name in self.cost.layers:
            return self.cost.layers[line.row.name]
        return row_cost(line.row)


def _kernel_shape(line: Line, ctx: Context) -> str:
    weights = line.row.weights
    if not weights or line.row.node.layer is None or line.row.node.layer.inner_analysis(line.row.input_shapes) is not None:
        return "-"
    kernel = next((w for w in weights if w.name.split("/")[-1].endswith(("kernel", "embeddings"))), weights[0])
    return fmt_shape(kernel.shape)


def _trainable(line: Line, ctx: Context) -> str:
    """Keras's show_trainable: Y or N for a layer with weights, '-' for one without."""
    if not line.row.weights:
        return "-"
    return "N" if line.frozen else "Y"


def _memory(line: Line, ctx: Context) -> str:
    """The layer's output activations for the batch (what a forward pass keeps for backprop)."""
    from archcalc.memory import row_activation_values

    values, unknown = row_activation_values(line.row)
    return readable_bytes(values * ctx.batch_size * ctx.act_bytes) + ("/step" if unknown else "")


def _macs(line: Line, ctx: Context) -> str:
    return fmt_macs(ctx.macs(line))


def _other_ops(line: Line, ctx: Context) -> str:
    return fmt_macs(ctx.macs(line), "other_ops")


def _flops(line: Line, ctx: Context) -> str:
    field = "tf_flops" if ctx.convention == "tf-profiler" else "flops"
    return fmt_macs(ctx.macs(line), field)


def _rf(line: Line, ctx: Context) -> str:
    # inside a nested model the engine's receptive field is relative to that model's own
    # input, not the outer model's: not shown there
    return "-" if line.nested else fmt_rf(line.row)


def _connected(line: Line, ctx: Context) -> str:
    return connected_to(line.row) or "-"


COLUMNS: dict[str, Column] = {c.key: c for c in (
    Column("input_shape", "Input Shape", "left", "list", lambda ln, ctx: fmt_shape(ln.row.input_shapes)
           if ln.row.input_shapes else "-"),
    Column("output_shape", "Output Shape", "left", "list", lambda ln, ctx: fmt_shape(ln.row.output_shape)),
    Column("kernel_shape", "Kernel Shape", "left", "list", _kernel_shape),
    Column("params", "Param #", "right", "none", lambda ln, ctx: fmt_count(ln.row.params)),
    Column("trainable", "Trainable", "center", "none", _trainable),
    Column("macs", "MACs", "right", "none", _macs),
    Column("other_ops", "Other ops", "right", "none", _other_ops),
    Column("flops", "FLOPs", "right", "none", _flops),
    Column("memory", "Activations", "right", "none", _memory),
    Column("rf", "RF", "right", "none", _rf),
    Column("connected_to", "Connected to", "left", "list", _connected),
)}

#: other spellings accepted by --columns
COLUMN_ALIASES = {
    "input": "input_shape", "output": "output_shape", "kernel": "kernel_shape", "shape": "output_shape",
    "param": "params", "parameters": "params", "param_count": "params", "num_params": "params",
    "receptive_field": "rf", "mult_adds": "macs", "mem": "memory", "activations": "memory",
    "activation_memory": "memory", "other": "other_ops", "ops": "other_ops",
    "connections": "connected_to", "connected": "connected_to",
}


def column_keys(analysis: Analysis, columns: tuple[str, ...] | list[str] = (), show_trainable: bool = False) -> list[str]:
    """The columns to show: the ones asked for (comma-separated, in that order), else the
    default set (Output Shape, Param #, MACs, RF, and Connected to for a graph that is not
    a plain stack); ``show_trainable`` adds Trainable."""
    from archcalc.errors import UsageError, did_you_mean

    keys: list[str] = []
    for item in columns:
        for word in item.replace(" ", ",").split(","):
            word = word.strip().lower().replace("-", "_")
            if not word:
                continue
            key = COLUMN_ALIASES.get(word, word)
            if key not in COLUMNS:
                raise UsageError(f"--columns: unknown column '{word}'",
                                 hint=did_you_mean(word, list(COLUMNS)) or "columns: " + ", ".join(COLUMNS))
            if key not in keys:
                keys.append(key)
    if not keys:
        keys = ["output_shape", "params", "macs", "rf"] + (["connected_to"] if needs_connections(analysis) else [])
    if show_trainable and "trainable" not in keys:
        keys.append("trainable")
    return keys


def layer_cell(line: Line) -> tuple[str, str]:
    """The layer column's two parts: the (indented) name and '(Type)'. Nested rows get
    Keras's marker: three spaces per level, then '└ '."""
    prefix = "   " * line.depth + "\u2514 " if line.depth else ""
    return prefix + line.row.name, f"({line.row.type})"


# --- the summary footer ---------------------------------------------------------------------

def footer_lines(cost: Any, mem: Any, convention: str = "archcalc") -> list[str]:
    """Cost and memory lines under the summary table (each fits 80 columns). Sizes are
    1024-based and say so (KiB, MiB, GiB)."""
    rb = readable_bytes
    step = " per step" if cost.per_step else ""
    def both(n: Any) -> str:
        """``7,258,752 (7.26M)``; a symbolic count once (its short form is the same text)."""
        exact = fmt_count(n)
        short = fmt_si(n) if isinstance(n, (int, float)) else exact
        return exact if short == exact else f"{exact} ({short})"

    lines = [f"MACs{step}: {both(cost.macs)} kernel multiply-adds; other ops: {both(cost.other_ops)}"]
    if convention == "tf-profiler":
        lines.append(f"FLOPs{step} (TensorFlow profiler's count): {both(cost.tf_flops)}")
    else:
        lines.append(f"FLOPs{step}: {both(cost.flops)} = 2 x MACs + other ops")
    if cost.uncounted:
        lines.append("Cost not counted for: " + ", ".join(cost.uncounted))
    step = " per step" if mem.per_step else ""
    lines.append(f"Memory{step} ({mem.dtype}, batch size {mem.batch_size}): "
                 f"weights {rb(mem.weights)} (all params)")
    lines.append(f"  + activations {rb(mem.activations)} (every layer's output, kept for backprop)")
    opt = mem.optimizer
    slots = f"{opt.name}: {opt.slots} slot{'s' if opt.slots != 1 else ''} per weight" if opt.name else opt.note
    lines.append(f"Training memory: {rb(mem.training)} = weights + activations + "
                 f"gradients {rb(mem.gradients)}")
    lines.append(f"  + optimizer {rb(mem.optimizer_state)} ({slots})")
    if cost.per_step or mem.per_step:
        lines.append("per step: a sequence length is unknown (None) and counted as 1")
    return lines


@dataclass
class TableView:
    """What the Markdown and LaTeX tables show: the rows to print and their columns, the context
    their cells are formatted in, the memory estimate, the footer and the notes (computed once
    here, so that the two renderers only lay them out)."""

    lines: list[Any]
    keys: list[str]
    cols: list[Any]
    ctx: Context
    mem: Any
    bounds: tuple[int, int] | None
    footer: list[str]
    notes: list[str]


def table_view(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, columns: tuple[str, ...] = (),
               show_trainable: bool = False, layer_range_spec: str | None = None, expand_nested: bool = False,
               depth: int | None = None, cost_convention: str = "archcalc") -> TableView:
    """The summary table's content for ``summary --format markdown|latex``."""
    from archcalc.memory import DTYPES, estimate

    mem = estimate(analysis, dtype, batch_size)
    bounds = layer_range(analysis, layer_range_spec) if layer_range_spec else None
    keys = column_keys(analysis, columns, show_trainable)
    return TableView(
        lines=display_lines(analysis, expand_nested or depth is not None, depth, bounds),
        keys=keys, cols=[COLUMNS[k] for k in keys],
        ctx=Context(analysis.cost, DTYPES[dtype][1], batch_size, cost_convention),
        mem=mem, bounds=bounds, footer=footer_lines(analysis.cost, mem, cost_convention),
        notes=[str(n) for n in analysis.graph.extras.get("notes", ())])
