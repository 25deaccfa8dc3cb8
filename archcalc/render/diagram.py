"""Architecture diagrams: the layer graph as Mermaid or Graphviz DOT text, and SVG/PNG
through Graphviz's ``dot`` program when it is installed.

Each layer is a node (name, type, parameters); each edge carries the shape of the tensor
it moves, without the batch axis. Merge layers are drawn as hexagons (Mermaid) or ellipses
(DOT) fed by several edges; a *skip connection*, an edge into a merge from a layer that
also reaches that merge through another of its inputs (a ResNet shortcut, a U-Net
concatenation), is dashed. Inputs and outputs are drawn in their own colour.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from archcalc.errors import UsageError

TEXT_FORMATS = ("mermaid", "dot")
GRAPHVIZ_FORMATS = ("svg", "png")
FORMATS = TEXT_FORMATS + GRAPHVIZ_FORMATS

INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; "
    "conda: conda install graphviz; Windows: winget install graphviz), or use --format mermaid "
    "or --format dot, which need nothing"
)


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    label: str
    skip: bool


def shape_label(shape: Any) -> str:
    """A tensor's shape without the batch axis: (None, 128, 128, 64) -> '128×128×64'."""
    if isinstance(shape, list):
        return ", ".join(shape_label(s) for s in shape)
    dims = ["None" if d is None else str(d) for d in shape[1:]]
    return "\u00d7".join(dims) if dims else "scalar"


def _reaches(analysis: Any, src: str, dst: str, order: dict[str, int]) -> bool:
    """True when ``dst`` reads ``src`` directly or through other layers. Walks back from
    ``dst``, never below ``src`` in topological order (nothing there can reach it)."""
    floor = order[src]
    stack, seen = [dst], {dst}
    while stack:
        for parent in analysis.by_name[stack.pop()].inputs:
            if parent == src:
                return True
            if parent not in seen and order[parent] > floor:
                seen.add(parent)
                stack.append(parent)
    return False


def edges(analysis: Any) -> list[Edge]:
    """The graph's edges, each labelled with its tensor's shape; skip connections marked."""
    order = {row.name: i for i, row in enumerate(analysis.rows)}
    out = []
    for row in analysis.rows:
        srcs = row.inputs
        for src, index in row.node.sources():
            skip = len(set(srcs)) > 1 and any(
                _reaches(analysis, src, other, order) for other in srcs if other != src
            )
            shape = analysis.by_name[src].output_shape
            if index is not None:  # one output of a multi-output layer
                shape = analysis.by_name[src].output_shapes()[index]
            out.append(Edge(src, row.name, shape_label(shape), skip))
    return out


def _kind(analysis: Any, row: Any) -> str:
    if row.node.is_input:
        return "input"
    if row.name in analysis.graph.outputs:
        return "output"
    if len(row.inputs) > 1:
        return "merge"
    return "layer"


def _lines(row: Any) -> list[str]:
    lines = [row.name, row.type]
    if row.params:
        lines.append(f"{row.params:,} params" if isinstance(row.params, int) else f"{row.params} params")
    if row.node.shared_with:
        lines.append(f"shares {row.node.shared_with}")
    return lines


# --- Mermaid ------------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(analysis: Any) -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block)."""
    ids = {row.name: f"n{i}" for i, row in enumerate(analysis.rows)}
    out = ["flowchart TD"]
    for row in analysis.rows:
        label = "<br/>".join(_mermaid_text(x) for x in _lines(row))
        kind = _kind(analysis, row)
        open_, close = {"input": ("([", "])"), "merge": ("{{", "}}")}.get(kind, ("[", "]"))
        out.append(f'    {ids[row.name]}{open_}"{label}"{close}')
    for i in range(len(analysis.graph.outputs)):
        out.append(f'    out{i}(["output"])')
    for e in edges(analysis):
        arrow = "-.->" if e.skip else "-->"
        out.append(f'    {ids[e.src]} {arrow}|"{_mermaid_text(e.label)}"| {ids[e.dst]}')
    for i, name in enumerate(analysis.graph.outputs):
        label = _mermaid_text(shape_label(analysis.by_name[name].output_shape))
        out.append(f'    {ids[name]} -->|"{label}"| out{i}')
    out.append("    classDef input fill:#e3f2fd,stroke:#1565c0")
    out.append("    classDef merge fill:#fff3e0,stroke:#ef6c00")
    out.append("    classDef output fill:#e8f5e9,stroke:#2e7d32")
    for kind in ("input", "merge", "output"):
        members = [ids[r.name] for r in analysis.rows if _kind(analysis, r) == kind]
        if kind == "output":
            members += [f"out{i}" for i in range(len(analysis.graph.outputs))]
        if members:
            out.append(f"    class {','.join(members)} {kind}")
    return "\n".join(out) + "\n"


# --- DOT ------------------------------------------------------------------------------------

def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


_DOT_STYLE = {
    "input": 'shape=box, style="rounded,filled", fillcolor="#e3f2fd", color="#1565c0"',
    "merge": 'shape=ellipse, style=filled, fillcolor="#fff3e0", color="#ef6c00"',
    "output": 'shape=box, style="rounded,filled", fillcolor="#e8f5e9", color="#2e7d32"',
    "layer": "",
}


def to_dot(analysis: Any) -> str:
    """Graphviz DOT text: `dot -Tsvg` draws it top to bottom."""
    ids = {row.name: f"n{i}" for i, row in enumerate(analysis.rows)}
    out = [
        f"digraph {_dot_quote(analysis.name)} {{",
        "    rankdir=TB;",
        '    graph [fontname="Helvetica", nodesep=0.35, ranksep=0.4];',
        '    node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", color="#616161", '
        'fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9, color="#424242"];',
    ]
    for row in analysis.rows:
        style = _DOT_STYLE[_kind(analysis, row)]
        label = _dot_quote("\n".join(_lines(row)))
        out.append(f"    {ids[row.name]} [label={label}{', ' + style if style else ''}];")
    for i in range(len(analysis.graph.outputs)):
        out.append(f'    out{i} [label="output", shape=plaintext, style="", fontsize=10];')
    for e in edges(analysis):
        extra = ', style=dashed, color="#ef6c00"' if e.skip else ""
        out.append(f"    {ids[e.src]} -> {ids[e.dst]} [label={_dot_quote(' ' + e.label)}{extra}];")
    for i, name in enumerate(analysis.graph.outputs):
        label = _dot_quote(" " + shape_label(analysis.by_name[name].output_shape))
        out.append(f"    {ids[name]} -> out{i} [label={label}];")
    out.append("}")
    return "\n".join(out) + "\n"


# --- Graphviz ----------------------------------------------------------------------------

def dot_program() -> str | None:
    """Path of Graphviz's ``dot``, or None when it is not installed."""
    return shutil.which("dot")


def render_graphviz(dot_text: str, fmt: str, timeout: float = 60.0) -> bytes:
    """Run ``dot -T<fmt>`` on the text (no shell); UsageError when Graphviz is missing."""
    if fmt not in GRAPHVIZ_FORMATS:
        raise ValueError(f"not a Graphviz format: {fmt}")
    exe = dot_program()
    if exe is None:
        raise UsageError(f"--format {fmt} needs Graphviz's `dot` program, which is not installed",
                         hint=INSTALL_HINT)
    try:
        proc = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UsageError(f"Graphviz's `dot` failed to run: {e}", hint=INSTALL_HINT) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"Graphviz's `dot` failed: {err[-1] if err else f'exit {proc.returncode}'}")
    return proc.stdout


def render(analysis: Any, fmt: str = "mermaid") -> bytes:
    """The diagram in one of FORMATS, as bytes (UTF-8 text for mermaid, dot and svg)."""
    if fmt == "mermaid":
        return to_mermaid(analysis).encode("utf-8")
    dot = to_dot(analysis)
    if fmt == "dot":
        return dot.encode("utf-8")
    return render_graphviz(dot, fmt)
