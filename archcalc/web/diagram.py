"""The model diagram for the page: Graphviz's drawing of ``archcalc diagram --format svg``
when ``dot`` is installed, else a simpler drawing made here (layers in rows by depth, edges
labelled with their shapes, skip connections curved), so the page never needs Graphviz."""

from __future__ import annotations

from html import escape
from typing import Any

CHAR_W = 7.2  # px per character at the 12px font the page uses
LINE_H = 16
ROW_GAP = 46
COL_GAP = 24
PAD = 12


def model_svg(analysis: Any) -> tuple[str, str]:
    """(SVG text, who drew it: ``graphviz`` or ``archcalc``)."""
    from archcalc.errors import ArchcalcError
    from archcalc.render.diagram import dot_program, render

    if dot_program() is not None:
        try:
            return render(analysis, "svg", activations=True).decode("utf-8"), "graphviz"
        except ArchcalcError:  # dot failed or timed out: draw it here instead
            pass
    return fallback_svg(analysis), "archcalc"


def _box_lines(row: Any) -> list[str]:
    from archcalc.render.common import fmt_count

    lines = [row.name, row.type]
    if row.params:
        lines.append(f"{fmt_count(row.params)} params")
    return lines


def fallback_svg(analysis: Any) -> str:
    """A top-to-bottom drawing of the layer graph, without Graphviz."""
    from archcalc.render.diagram import edges

    rows = analysis.rows
    rank: dict[str, int] = {}
    for row in rows:  # topological order: every input is ranked before its reader
        rank[row.name] = 1 + max((rank.get(src, -1) for src in row.inputs), default=-1)
    by_rank: dict[int, list[Any]] = {}
    for row in rows:
        by_rank.setdefault(rank[row.name], []).append(row)
    size: dict[str, tuple[float, float]] = {}
    for row in rows:
        lines = _box_lines(row)
        size[row.name] = (max(len(t) for t in lines) * CHAR_W + 2 * PAD, len(lines) * LINE_H + PAD)
    widths = {r: sum(size[x.name][0] for x in rs) + COL_GAP * (len(rs) - 1) for r, rs in by_rank.items()}
    total_w = max(widths.values(), default=100) + 160  # room on the right for skip curves
    pos: dict[str, tuple[float, float]] = {}  # name -> (centre x, top y)
    y = 20.0
    for r in sorted(by_rank):
        x = (total_w - 160 - widths[r]) / 2 + 40
        height = max(size[x_.name][1] for x_ in by_rank[r])
        for row in by_rank[r]:
            w = size[row.name][0]
            pos[row.name] = (x + w / 2, y)
            x += w + COL_GAP
        y += height + ROW_GAP
    parts: list[str] = []
    for e in edges(analysis):
        if e.src not in pos or e.dst not in pos:
            continue
        sx, sy = pos[e.src]
        sy += size[e.src][1]
        dx, dy = pos[e.dst]
        label = escape(e.label)
        if rank[e.dst] - rank[e.src] > 1:  # skips rows: a curve out to the right
            bend = max(sx, dx) + max(size[e.src][0], size[e.dst][0]) / 2 + 60
            path = f"M{sx:.1f},{sy:.1f} C{bend:.1f},{sy + 30:.1f} {bend:.1f},{dy - 30:.1f} {dx:.1f},{dy:.1f}"
            lx, ly = bend - 10, (sy + dy) / 2
            cls = "edge skip"
        else:
            path = f"M{sx:.1f},{sy:.1f} L{dx:.1f},{dy:.1f}"
            lx, ly = (sx + dx) / 2 + 6, (sy + dy) / 2 + 4
            cls = "edge"
        parts.append(f'<path class="{cls}" d="{path}" fill="none" stroke="#667" stroke-width="1.2" '
                     'marker-end="url(#arrow)"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" fill="#345">{label}</text>')
    outputs = set(analysis.graph.outputs)
    for row in rows:
        cx, top = pos[row.name]
        w, h = size[row.name]
        fill = "#e8f0fe" if row.node.is_input else "#fdf1e3" if row.name in outputs else "#ffffff"
        parts.append(f'<g class="node"><title>{escape(row.name)}</title>'
                     f'<rect x="{cx - w / 2:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
                     f'fill="{fill}" stroke="#4a5a78"/>')
        for i, text in enumerate(_box_lines(row)):
            weight = ' font-weight="bold"' if i == 0 else ""
            parts.append(f'<text x="{cx:.1f}" y="{top + PAD / 2 + (i + 0.8) * LINE_H:.1f}" font-size="12" '
                         f'text-anchor="middle" fill="#111"{weight}>{escape(text)}</text>')
        parts.append("</g>")
    height = y
    return ('<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{total_w:.0f}" height="{height:.0f}" viewBox="0 0 {total_w:.0f} {height:.0f}" '
            'font-family="DejaVu Sans, Arial, sans-serif">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#667"/></marker></defs>'
            + "".join(parts) + "</svg>")
