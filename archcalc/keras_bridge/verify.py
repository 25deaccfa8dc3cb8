"""Compare archcalc's engine with real Keras, layer by layer.

The model is built with :func:`archcalc.keras_bridge.build.build` (every layer keeps
archcalc's node name), then each archcalc row is matched to the Keras layer of the same
name: output shape, trainable and non-trainable parameter counts. Where the course notes'
formula and Keras differ by a known convention (GRU's ``reset_after``, BatchNormalization's
moving statistics), the row carries a note saying so instead of a mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.engine import Analysis, Row, analyze
from archcalc.graph import Graph
from archcalc.layers.base import fmt_shape

from .build import build


@dataclass
class Check:
    """One archcalc row next to the Keras layer of the same name."""

    name: str
    type: str
    archcalc_shape: Any
    keras_shape: Any
    archcalc_trainable: Any
    keras_trainable: Any
    archcalc_non_trainable: Any
    keras_non_trainable: Any
    note: str | None = None
    #: a difference the note explains (notes' convention vs Keras), not a mismatch
    explained: bool = False

    @property
    def shape_ok(self) -> bool:
        return same_shape(self.archcalc_shape, self.keras_shape)

    @property
    def trainable_ok(self) -> bool:
        return self.explained or self.archcalc_trainable == self.keras_trainable

    @property
    def non_trainable_ok(self) -> bool:
        return self.explained or self.archcalc_non_trainable == self.keras_non_trainable

    @property
    def ok(self) -> bool:
        return self.shape_ok and self.trainable_ok and self.non_trainable_ok


@dataclass
class Report:
    """Every check, both totals and Keras's own ``model.summary()`` text."""

    graph: Graph
    analysis: Analysis
    checks: list[Check] = field(default_factory=list)
    archcalc_total: Any = 0
    keras_total: int = 0
    keras_summary: str = ""
    #: layers Keras has that no archcalc row names
    keras_only: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (all(c.ok for c in self.checks) and not self.keras_only
                and (self.archcalc_total == self.keras_total or self._totals_explained()))

    def _totals_explained(self) -> bool:
        diff = sum(c.keras_trainable + c.keras_non_trainable - c.archcalc_trainable
                   - c.archcalc_non_trainable for c in self.checks if c.explained)
        return self.archcalc_total + diff == self.keras_total

    @property
    def mismatches(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def same_shape(a: Any, k: Any) -> bool:
    """Equal shapes; an archcalc symbol (H, floor(H/2)) matches Keras's unknown size."""
    if isinstance(a, list) or isinstance(k, list):
        return (isinstance(a, list) and isinstance(k, list) and len(a) == len(k)
                and all(same_shape(x, y) for x, y in zip(a, k, strict=True)))
    if a is None or k is None or len(a) != len(k):
        return False
    for da, dk in zip(a, k, strict=True):
        if isinstance(da, int) or da is None:
            if da != dk:
                return False
        elif dk is not None:  # symbolic in archcalc, a number in Keras
            return False
    return True


def _count(weights: Any) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


def _keras_shape(tensor: Any) -> Any:
    if isinstance(tensor, (list, tuple)):
        return [_keras_shape(t) for t in tensor]
    return tuple(None if d is None else int(d) for d in tensor.shape)


def _note(row: Row, check: Check) -> None:
    """Explain where the notes' formula and Keras part ways."""
    layer = row.node.layer
    if layer is None or row.node.shared_with:
        return
    layer.note_against_keras(row.input_shapes, check)


def verify(graph: Graph) -> Report:
    """Build ``graph`` with Keras and compare every row; ArchcalcError on bad input."""
    from archcalc.layers.ops import Op

    analysis = analyze(graph)
    built = build(graph, compile=False)
    model = built.model
    report = Report(graph, analysis, archcalc_total=analysis.total_params,
                    keras_total=int(model.count_params()))
    seen_layers: set[str] = set()
    for row in analysis.rows:
        node = row.node
        tensor = built.tensors.get(node.name)
        k_shape = _keras_shape(tensor) if tensor is not None else None
        k_tr: int | None
        k_non: int | None
        if node.is_input or isinstance(node.layer, Op):
            k_tr = k_non = 0  # an operation (x + 3.0) has no weights in Keras either
        else:
            # match by name: the Keras layer that archcalc calls node.name (for a shared
            # layer's later calls, the layer's weights were counted on its first call)
            owner = node.shared_with or node.name
            try:
                layer = model.get_layer(owner)
            except ValueError:
                layer = None
            seen_layers.add(owner)
            if layer is None:
                k_tr = k_non = None
            elif node.shared_with:
                k_tr = k_non = 0
            else:
                k_tr, k_non = _count(layer.trainable_weights), _count(layer.non_trainable_weights)
        a_shape = row.output_shape
        check = Check(node.name, node.type, a_shape, k_shape, row.trainable_params, k_tr,
                      row.non_trainable_params, k_non)
        _note(row, check)
        report.checks.append(check)
    input_names = set(graph.inputs)
    report.keras_only = [lyr.name for lyr in model.layers
                         if lyr.name not in seen_layers and lyr.name not in input_names
                         and type(lyr).__name__ != "InputLayer"]
    lines: list[str] = []
    model.summary(print_fn=lambda text, *a, **k: lines.append(text))
    report.keras_summary = "\n".join(lines)
    return report


# --- rendering -----------------------------------------------------------------------------

def _fmt_count(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:,}" if isinstance(v, int) else str(v)


def _fmt_shape(v: Any) -> str:
    return "-" if v is None else fmt_shape(v)


def _plain(v: Any) -> Any:
    """A shape or count for JSON: ints stay ints, tuples become lists, symbols their text."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return str(v)


def to_json(report: Report) -> dict[str, Any]:
    """``verify --format json``: every row's archcalc and Keras numbers, the totals, the verdict."""
    rows = [{
        "name": c.name, "type": c.type, "ok": c.ok,
        "archcalc": {"output_shape": _plain(c.archcalc_shape), "trainable": _plain(c.archcalc_trainable),
                     "non_trainable": _plain(c.archcalc_non_trainable)},
        "keras": {"output_shape": _plain(c.keras_shape), "trainable": _plain(c.keras_trainable),
                  "non_trainable": _plain(c.keras_non_trainable)},
        "note": c.note,
    } for c in report.checks]
    return {"model": report.graph.name, "ok": report.ok, "rows": rows,
            "total_params": {"archcalc": _plain(report.archcalc_total), "keras": report.keras_total},
            "keras_only": list(report.keras_only)}


def render(report: Report, console: Any) -> None:
    """The side-by-side table, the notes, the totals and Keras's own summary."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"archcalc vs Keras: {report.graph.name}", title_justify="left")
    table.add_column("Layer (type)")
    table.add_column("Output shape")
    table.add_column("Trainable", justify="right")
    table.add_column("Non-trainable", justify="right")
    table.add_column("", justify="center")

    def cell(ok: bool, a: str, k: str) -> str:
        if ok:
            return escape(a)
        return f"[bold red]archcalc {escape(a)}[/]\n[bold green]Keras    {escape(k)}[/]"

    for c in report.checks:
        status = "[green]✓[/]" if c.ok and not c.note else ("[yellow]note[/]" if c.ok else "[bold red]✗[/]")
        table.add_row(
            escape(f"{c.name} ({c.type})"),
            cell(c.shape_ok, _fmt_shape(c.archcalc_shape), _fmt_shape(c.keras_shape)),
            cell(c.archcalc_trainable == c.keras_trainable, _fmt_count(c.archcalc_trainable),
                 _fmt_count(c.keras_trainable)),
            cell(c.archcalc_non_trainable == c.keras_non_trainable,
                 _fmt_count(c.archcalc_non_trainable), _fmt_count(c.keras_non_trainable)),
            status,
            style=None if c.ok else "on grey11",
        )
        if c.ok and not c.note:
            table.rows[-1].style = "dim"
    console.print(table)
    grouped: dict[str, list[str]] = {}
    for c in report.checks:
        if c.note:
            grouped.setdefault(c.note, []).append(c.name)
    for note, names in grouped.items():
        console.print(f"[yellow]note[/] {escape(', '.join(names))}: {escape(note)}")
    for name in report.keras_only:
        console.print(f"[bold red]✗[/] Keras layer '{escape(name)}' has no archcalc row")
    total_ok = report.archcalc_total == report.keras_total
    style = "green" if total_ok else "bold red"
    console.print(f"[{style}]total parameters: archcalc {_fmt_count(report.archcalc_total)}, "
                  f"Keras {_fmt_count(report.keras_total)}[/]")
    n_bad = len(report.mismatches) + len(report.keras_only)
    if report.ok:
        console.print(f"[green]all {len(report.checks)} rows agree with Keras[/]")
    else:
        console.print(f"[bold red]{n_bad} row(s) disagree with Keras[/]")
    console.print()
    console.print("Keras's own model.summary():", style="bold")
    console.print(report.keras_summary, markup=False, highlight=False, crop=False, soft_wrap=True)
