"""A model in Keras's functional API: one statement per layer in topological order, then
``keras.Model(inputs=..., outputs=...)``.

A tensor read only by the very next layer (and not an output, nor named by the user) flows
through ``x``; any other gets a variable of its own. A layer shared by several calls is made
once (``<name>_layer``) and called at each; a nested model or a ``keras.applications`` base
is its own variable, called like a layer; an operation (``x + 3.0``, ``keras.ops.mean``) is
written as the expression itself.
"""

from __future__ import annotations

import re

from archcalc.graph import Graph, Node
from archcalc.layers.ops import Op
from archcalc.readers.builder import to_snake_case

from .codegen_layers import call_text
from .codegen_parts import (
    Ctx,
    input_call,
    input_needs_name,
    model_name_arg,
    named_call,
    statement,
    unique,
    wrap_call,
)


def functional(graph: Graph, ctx: Ctx, target: str) -> list[str]:
    """The statements that build ``graph`` with the functional API and bind it to ``target``."""
    from archcalc.engine import topological_order

    order = topological_order(graph)
    code = _Tensors(graph, ctx, _variable_names(graph, ctx.taken | {target}), _flows(graph, order),
                    {n.shared_with for n in graph.nodes.values() if n.shared_with})
    lines: list[str] = []
    for node in order:
        lines += code.input_lines(node) if node.is_input else code.layer_lines(node)
    return [*lines, "", code.model_call(target)]


def _flows(graph: Graph, order: list[Node]) -> set[str]:
    """The nodes whose tensor flows through ``x``: read only by the very next layer (which
    reads nothing else), not an output and not named by the user."""
    readers: dict[str, list[str]] = {n: [] for n in graph.nodes}
    for node in graph.nodes.values():
        for src in node.inputs:
            readers[src].append(node.name)
    flows: set[str] = set()
    for i, node in enumerate(order[:-1]):
        nxt = order[i + 1]
        if (not node.is_input and readers[node.name] == [nxt.name] and nxt.inputs == [node.name]
                and node.name not in graph.outputs and not _user_named_node(node, graph)):
            flows.add(node.name)
    return flows


class _Tensors:
    """Writes one functional model's statements: each tensor's variable (``x`` where it
    flows, :func:`_flows`), the layer shared by several calls made once (``<name>_layer``)."""

    def __init__(self, graph: Graph, ctx: Ctx, var: dict[str, str], flows: set[str],
                 shared_roots: set[str]) -> None:
        self.graph = graph
        self.ctx = ctx
        self.var = var
        self.flows = flows
        self.shared_roots = shared_roots

    def ref(self, name: str, index: int | None = None) -> str:
        """The expression for node ``name``'s output (its ``index``-th one of several)."""
        return ("x" if name in self.flows else self.var[name]) + ("" if index is None else f"[{index}]")

    def input_lines(self, node: Node) -> list[str]:
        """``inputs = keras.Input(shape=...)``, named where Keras's own name would differ."""
        call = input_call(node, input_needs_name(self.ctx.names, node, len(self.graph.inputs) == 1))
        return [statement(f"{self.var[node.name]} = ", call)]

    def layer_lines(self, node: Node) -> list[str]:
        """``x = layers.Dense(10)(x)``: an operation, a model variable, a shared layer or a
        layer made and called at once."""
        ctx = self.ctx
        out = self.ref(node.name)
        srcs = [self.ref(s, i) for s, i in node.sources()]
        arg = f"[{', '.join(srcs)}]" if node.list_input or len(srcs) != 1 else srcs[0]
        assert node.layer is not None
        if isinstance(node.layer, Op):  # x + 3.0, keras.ops.mean(x, axis=1): an operation
            return [f"{out} = {node.layer.code(srcs)}"]
        if id(node.layer) in ctx.models:  # a model variable, called like a layer
            return [f"{out} = {ctx.models[id(node.layer)]}({arg})"]
        step = getattr(node.layer, "N_STATES", None) is not None and len(srcs) > 1
        if step:  # a cell run one step: cell(x_t, [states]) gives (output, [new states])
            arg = f"{srcs[0]}, [{', '.join(srcs[1:])}]"
        else:
            arg = call_text(node.layer, srcs, node.list_input)[1:-1]
        flat = [f"{out} = [{out}[0], *{out}[1]]"] if step else []  # one flat list, as the graph reads it
        if node.shared_with:
            return [f"{out} = {self.var[node.shared_with]}_layer({arg})", *flat]
        if node.name in self.shared_roots:
            layer_var = self.var[node.name] + "_layer"
            return [statement(f"{layer_var} = ", named_call(ctx, node)), f"{out} = {layer_var}({arg})", *flat]
        return [statement(f"{out} = ", named_call(ctx, node), f"({arg})"), *flat]

    def model_call(self, target: str) -> str:
        """``target = keras.Model(inputs=..., outputs=..., name=...)``."""
        graph = self.graph
        ins = [self.var[n] for n in graph.inputs]
        out_index = graph.output_index or [None] * len(graph.outputs)
        outs = [self.ref(n, i) for n, i in zip(graph.outputs, out_index, strict=True)]
        parts = [
            "inputs=" + (ins[0] if len(ins) == 1 else f"[{', '.join(ins)}]"),
            "outputs=" + (outs[0] if len(outs) == 1 else f"[{', '.join(outs)}]"),
            *model_name_arg(graph),
        ]
        return wrap_call(f"{target} = keras.Model(", parts)


def _variable_names(graph: Graph, reserved: set[str]) -> dict[str, str]:
    """A unique, valid Python identifier for each node."""
    taken = set(reserved)
    out: dict[str, str] = {}
    for name, node in graph.nodes.items():
        if node.is_input and len(graph.inputs) == 1 and name == "input":
            out[name] = unique("inputs", taken)
        else:
            out[name] = unique(re.sub(r"\W", "_", name), taken, prefix="layer_")
    return out


def _user_named_node(node: Node, graph: Graph) -> bool:
    """A node whose name is not an automatic one (the reader will want its variable)."""
    assert node.layer is not None
    return re.fullmatch(re.escape(to_snake_case(node.layer.keras_name)) + r"(_\d+)?", node.name) is None
