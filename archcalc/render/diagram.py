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
from archcalc.safe_output import escape

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
    from archcalc.render.common import fmt_dim

    dims = [fmt_dim(d) for d in shape[1:]]
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


def _lines(row: Any, activations: bool = False, frozen: bool = False) -> list[str]:
    lines = [row.name, row.type]
    act = _activation(row) if activations else None
    if act:
        lines.append(act)
    if row.params:
        lines.append(f"{row.params:,} params" if isinstance(row.params, int) else f"{row.params} params")
    if row.node.shared_with:
        lines.append(f"shares {row.node.shared_with}")
    if frozen and row.params:
        lines.append("frozen")
    return lines


def _activation(row: Any) -> str | None:
    """The activation a layer applies (its ``activation`` argument), None for linear."""
    layer = row.node.layer
    act = layer.cfg.get("activation") if layer is not None else None
    if act is None or act == "linear":
        return None
    return act if isinstance(act, str) else getattr(act, "__name__", str(act))


def _frozen(row: Any) -> bool:
    layer = row.node.layer
    return layer is not None and not layer.trainable


def _nested(row: Any) -> Any:
    """The inner Analysis of a nested model drawn as a cluster, else None (a second call of
    a shared model is one box: its layers are drawn at the first call)."""
    layer = row.node.layer
    if layer is None or row.node.shared_with:
        return None
    return layer.inner_analysis(row.input_shapes)


class _Ids:
    """Node ids: n0, n1, ... for the model's rows, n3_0, n3_1, ... inside cluster n3. A
    cluster's edges end at the layers reading its inputs and start at its outputs."""

    def __init__(self, analysis: Any, prefix: str = "n") -> None:
        self.prefix = prefix
        self.ids = {row.name: f"{prefix}{i}" for i, row in enumerate(analysis.rows)}
        self.entry = dict(self.ids)
        self.exit = dict(self.ids)
        self.inner: dict[str, tuple[Any, _Ids]] = {}
        for row in analysis.rows:
            inner = _nested(row)
            if inner is None:
                continue
            sub = _Ids(inner, self.ids[row.name] + "_")
            self.inner[row.name] = (inner, sub)
            inputs = set(inner.graph.inputs)
            first = next((r for r in inner.rows if set(r.inputs) & inputs), inner.rows[0])
            self.entry[row.name] = sub.entry[first.name]
            self.exit[row.name] = sub.exit[inner.graph.outputs[0]]


def _block(row: Any) -> tuple[str, ...]:
    """The spec blocks a row was written in, outermost first (``()`` outside any block)."""
    return tuple(row.node.meta.get("block", ())) if row.node.meta else ()


class _Blocks:
    """Opens and closes a cluster per spec block (``- res_block(64) * 2``) as the rows go by:
    a block's layers are consecutive rows, so a cluster is opened at its first layer and
    closed at the first row outside it. ``open_``/``close`` write the cluster's lines."""

    def __init__(self, an: Any, prefix: str, open_: Any, close: Any, indent: str) -> None:
        self.prefix, self.open_, self.close = prefix, open_, close
        self.base = indent
        self.stack: list[str] = []
        self.count = 0
        self.params: dict[tuple[str, ...], Any] = {}
        counts: dict[tuple[str, ...], int] = {}
        layers = 0
        for row in an.rows:
            path = _block(row)
            layers += not row.node.is_input
            for i in range(1, len(path) + 1):
                p = path[:i]
                self.params[p] = self.params.get(p, 0) + (row.params or 0)
                counts[p] = counts.get(p, 0) + 1
        # a block holding every layer (``def build(inputs): ...``) is the model itself: no cluster
        self.skip = max((len(p) for p, n in counts.items() if n == layers), default=0)

    def indent(self) -> str:
        return self.base + "    " * len(self.stack)

    def enter(self, row: Any) -> str:
        """Close and open clusters so that ``row`` is inside exactly its blocks; the indent."""
        path = _block(row)[self.skip:]
        keep = 0
        while keep < min(len(path), len(self.stack)) and path[keep] == self.stack[keep]:
            keep += 1
        while len(self.stack) > keep:
            self.stack.pop()
            self.close(self.indent())
        while len(self.stack) < len(path):
            name = path[len(self.stack)]
            params = self.params.get(_block(row)[:self.skip + len(self.stack) + 1], 0)
            label = f"{name} (block)" + (f"\n{params:,} params" if isinstance(params, int) and params else "")
            self.open_(self.indent(), f"{self.prefix}blk{self.count}", label)
            self.count += 1
            self.stack.append(name)
        return self.indent()

    def finish(self) -> None:
        while self.stack:
            self.stack.pop()
            self.close(self.indent())


def _inner_edges(inner: Any) -> list[Edge]:
    """A nested model's edges, without those leaving its own input nodes."""
    return [e for e in edges(inner) if not inner.by_name[e.src].node.is_input]


# --- Mermaid ------------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    text = escape(text)  # controls, bidi overrides, lone surrogates from the input: escaped
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(analysis: Any, activations: bool = False) -> str:
    """A Mermaid flowchart (renders in GitHub Markdown inside a ```mermaid block). A nested
    model is a subgraph holding its layers; frozen layers are grey and say so."""
    ids = _Ids(analysis)
    out = ["flowchart TD"]
    frozen_ids: list[str] = []

    def open_block(indent: str, bid: str, label: str) -> None:
        text = "<br/>".join(_mermaid_text(x) for x in label.split("\n"))
        out.append(f'{indent}subgraph {bid}["{text}"]')
        out.append(f"{indent}    direction TB")

    def close_block(indent: str) -> None:
        out.append(f"{indent}end")

    def nodes(an: Any, ids: _Ids, base: str, inside: bool, frozen: bool) -> None:
        blocks = _Blocks(an, ids.prefix, open_block, close_block, base)
        for row in an.rows:
            if inside and row.node.is_input:
                continue  # inside a cluster: the outer edge stands for the input
            indent = blocks.enter(row)
            cold = frozen or _frozen(row)
            rid = ids.ids[row.name]
            label = "<br/>".join(_mermaid_text(x) for x in _lines(row, activations, cold))
            if row.name in ids.inner:
                inner, sub = ids.inner[row.name]
                out.append(f'{indent}subgraph {rid}["{label}"]')
                out.append(f"{indent}    direction TB")
                nodes(inner, sub, indent + "    ", True, cold)
                for e in _inner_edges(inner):
                    arrow = "-.->" if e.skip else "-->"
                    out.append(f'{indent}    {sub.exit[e.src]} {arrow}|"{_mermaid_text(e.label)}"| '
                               f'{sub.entry[e.dst]}')
                out.append(f"{indent}end")
                continue
            kind = _kind(an, row) if not inside else "layer"
            open_, close = {"input": ("([", "])"), "merge": ("{{", "}}")}.get(kind, ("[", "]"))
            out.append(f'{indent}{rid}{open_}"{label}"{close}')
            if cold and row.params:
                frozen_ids.append(rid)
        blocks.finish()

    nodes(analysis, ids, "    ", False, False)
    for i in range(len(analysis.graph.outputs)):
        out.append(f'    out{i}(["output"])')
    for e in edges(analysis):
        arrow = "-.->" if e.skip else "-->"
        out.append(f'    {ids.exit[e.src]} {arrow}|"{_mermaid_text(e.label)}"| {ids.entry[e.dst]}')
    for i, name in enumerate(analysis.graph.outputs):
        label = _mermaid_text(shape_label(analysis.by_name[name].output_shape))
        out.append(f'    {ids.exit[name]} -->|"{label}"| out{i}')
    out.append("    classDef input fill:#e3f2fd,stroke:#1565c0")
    out.append("    classDef merge fill:#fff3e0,stroke:#ef6c00")
    out.append("    classDef output fill:#e8f5e9,stroke:#2e7d32")
    if frozen_ids:
        out.append("    classDef frozen fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:4 3")
    for kind in ("input", "merge", "output"):
        members = [ids.ids[r.name] for r in analysis.rows
                   if _kind(analysis, r) == kind and r.name not in ids.inner]
        if kind == "output":
            members += [f"out{i}" for i in range(len(analysis.graph.outputs))]
        if members:
            out.append(f"    class {','.join(members)} {kind}")
    if frozen_ids:
        out.append(f"    class {','.join(frozen_ids)} frozen")
    return "\n".join(out) + "\n"


# --- DOT ------------------------------------------------------------------------------------

def _dot_quote(text: str) -> str:
    escaped = escape(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


_DOT_STYLE = {
    "input": 'shape=box, style="rounded,filled", fillcolor="#e3f2fd", color="#1565c0"',
    "merge": 'shape=ellipse, style=filled, fillcolor="#fff3e0", color="#ef6c00"',
    "output": 'shape=box, style="rounded,filled", fillcolor="#e8f5e9", color="#2e7d32"',
    "layer": "",
}


def to_dot(analysis: Any, activations: bool = False) -> str:
    """Graphviz DOT text: `dot -Tsvg` draws it top to bottom. A nested model is a cluster
    holding its layers; frozen layers are grey and dashed and say so."""
    ids = _Ids(analysis)
    out = [
        f"digraph {_dot_quote(analysis.name)} {{",
        "    rankdir=TB;",
        '    graph [fontname="Helvetica", nodesep=0.35, ranksep=0.4];',
        '    node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", color="#616161", '
        'fontname="Helvetica", fontsize=11];',
        '    edge [fontname="Helvetica", fontsize=9, color="#424242"];',
    ]
    if ids.inner:
        out.insert(2, "    compound=true;")

    def open_block(indent: str, bid: str, label: str) -> None:
        out.append(f"{indent}subgraph cluster_{bid} {{")
        out.append(f'{indent}    label={_dot_quote(label)}; '
                   'fontname="Helvetica"; fontsize=10; style="dotted,rounded"; color="#1565c0";')

    def close_block(indent: str) -> None:
        out.append(f"{indent}}}")

    def nodes(an: Any, ids: _Ids, base: str, inside: bool, frozen: bool) -> None:
        blocks = _Blocks(an, ids.prefix, open_block, close_block, base)
        for row in an.rows:
            if inside and row.node.is_input:
                continue
            indent = blocks.enter(row)
            cold = frozen or _frozen(row)
            rid = ids.ids[row.name]
            if row.name in ids.inner:
                inner, sub = ids.inner[row.name]
                label = _dot_quote("\n".join(_lines(row, activations, cold)))
                style = 'style="rounded,dashed"; color="#9e9e9e"' if cold else 'style=rounded; color="#616161"'
                out.append(f"{indent}subgraph cluster_{rid} {{")
                out.append(f'{indent}    label={label}; fontname="Helvetica"; fontsize=11; {style};')
                nodes(inner, sub, indent + "    ", True, cold)
                for e in _inner_edges(inner):
                    extra = ', style=dashed, color="#ef6c00"' if e.skip else ""
                    out.append(f"{indent}    {sub.exit[e.src]} -> {sub.entry[e.dst]} "
                               f"[label={_dot_quote(' ' + e.label)}{extra}];")
                out.append(f"{indent}}}")
                continue
            style = _DOT_STYLE[_kind(an, row)] if not inside else ""
            if cold and row.params:
                style = 'style="rounded,filled,dashed", fillcolor="#eeeeee", color="#9e9e9e"'
            label = _dot_quote("\n".join(_lines(row, activations, cold)))
            out.append(f"{indent}{rid} [label={label}{', ' + style if style else ''}];")
        blocks.finish()

    nodes(analysis, ids, "    ", False, False)
    for i in range(len(analysis.graph.outputs)):
        out.append(f'    out{i} [label="output", shape=plaintext, style="", fontsize=10];')
    for e in edges(analysis):
        extra = ', style=dashed, color="#ef6c00"' if e.skip else ""
        if e.src in ids.inner:
            extra += f", ltail=cluster_{ids.ids[e.src]}"
        if e.dst in ids.inner:
            extra += f", lhead=cluster_{ids.ids[e.dst]}"
        out.append(f"    {ids.exit[e.src]} -> {ids.entry[e.dst]} [label={_dot_quote(' ' + e.label)}{extra}];")
    for i, name in enumerate(analysis.graph.outputs):
        label = _dot_quote(" " + shape_label(analysis.by_name[name].output_shape))
        tail = f", ltail=cluster_{ids.ids[name]}" if name in ids.inner else ""
        out.append(f"    {ids.exit[name]} -> out{i} [label={label}{tail}];")
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
        proc = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8", "backslashreplace"),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UsageError(f"Graphviz's `dot` failed to run: {e}", hint=INSTALL_HINT) from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"Graphviz's `dot` failed: {err[-1] if err else f'exit {proc.returncode}'}")
    return proc.stdout


def render(analysis: Any, fmt: str = "mermaid", activations: bool = False) -> bytes:
    """The diagram in one of FORMATS, as bytes (UTF-8 text for mermaid, dot and svg)."""
    if fmt == "mermaid":
        return to_mermaid(analysis, activations).encode("utf-8", "backslashreplace")
    dot = to_dot(analysis, activations)
    if fmt == "dot":
        return dot.encode("utf-8", "backslashreplace")
    return render_graphviz(dot, fmt)
