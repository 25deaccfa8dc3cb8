"""Formatting shared by the renderers: dims, shapes, counts, byte sizes."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis, Row


def dim_json(d: Any) -> Any:
    """A dimension for JSON: int, null, or the formula as a string when symbolic."""
    if d is None or isinstance(d, int):
        return d
    if hasattr(d, "is_Integer") and d.is_Integer:
        return int(d)
    return str(d)


def shape_json(shape: Any) -> Any:
    if isinstance(shape, list):
        return [shape_json(s) for s in shape]
    return [dim_json(d) for d in shape]


def fmt_dim(d: Any) -> str:
    return "None" if d is None else str(d)


def fmt_shape(shape: Any) -> str:
    if isinstance(shape, list):
        return ", ".join(fmt_shape(s) for s in shape)
    inner = ", ".join(fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def fmt_count(n: Any) -> str:
    if isinstance(n, int):
        return f"{n:,}"
    return str(n)


def fmt_rf(row: Row) -> str:
    if row.rf is None:
        return "-"
    text = "x".join(str(s) for s in row.rf.sizes())
    return text if row.rf.aligned else text + "*"


def readable_bytes(n: Any) -> str:
    """Keras's own format for weight memory: 1024-based, two decimals."""
    if not isinstance(n, (int, float)):
        return str(n)
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


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
