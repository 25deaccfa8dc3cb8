"""What every rule reads: the graph, the engine's analysis and a few derived views.

The helpers here answer the questions several rules ask (what activation ends this
output? which nodes read this one? what is this tensor's last axis?) so that no rule
re-derives a shape or a count: those come from :class:`archcalc.engine.Analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from archcalc.engine import Analysis, Row
from archcalc.graph import Graph, Node
from archcalc.lint import compile_info, training

#: activation names whose outputs are probabilities
PROBABILITY = frozenset({"softmax", "sigmoid", "hard_sigmoid", "sparse_sigmoid", "sparsemax"})
#: outputs that are normalised over the last axis (a distribution over classes)
DISTRIBUTION = frozenset({"softmax", "sparsemax"})
#: activations whose outputs are not probabilities (logits, or unbounded/negative values)
NOT_PROBABILITY = frozenset({
    "linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "softplus",
    "exponential", "mish", "prelu", "celu", "tanh", "softsign", "hard_tanh", "squareplus",
    "hard_silu", "hard_swish", "glu", "sparse_plus", "threshold", "tanh_shrink",
    "hard_shrink", "soft_shrink",
})

WEIGHTED_FAMILIES = frozenset({"core", "conv", "recurrent"})


@dataclass
class LintContext:
    """The model under lint, analysed, plus the options of this run."""

    graph: Graph
    analysis: Analysis
    path: str
    budget_defaults: dict[str, Any] = field(default_factory=dict)
    _inner: dict[str, LintContext | None] = field(default_factory=dict, init=False, repr=False)

    # -- graph views --------------------------------------------------------------------

    @cached_property
    def consumers(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {n: [] for n in self.graph.nodes}
        for node in self.graph.nodes.values():
            for src in node.inputs:
                out.setdefault(src, []).append(node.name)
        return out

    @cached_property
    def is_chain(self) -> bool:
        """True for a plain stack: no branch, no merge (a Sequential model, however read)."""
        return all(len(n.inputs) <= 1 for n in self.graph.nodes.values()) and all(
            len(users) <= 1 for users in self.consumers.values())

    @property
    def layer_nodes(self) -> list[Node]:
        return [row.node for row in self.analysis.rows if not row.node.is_input]

    def row(self, name: str) -> Row:
        return self.analysis.by_name[name]

    def node(self, name: str) -> Node:
        return self.graph.nodes[name]

    def shape(self, name: str) -> tuple | None:
        """The single output shape of a node (None for multi-output nodes)."""
        out = self.row(name).output_shape
        return None if isinstance(out, list) else out

    def last_dim(self, name: str) -> Any:
        shape = self.shape(name)
        return shape[-1] if shape else None

    def only_consumer(self, name: str) -> Node | None:
        users = self.consumers.get(name, [])
        return self.node(users[0]) if len(users) == 1 else None

    # -- activations --------------------------------------------------------------------

    @staticmethod
    def activation_of(node: Node) -> str | None:
        """The activation a node applies: 'linear' for a weighted layer without one, None
        for layers that apply none (pooling, merges, normalisation...)."""
        layer = node.layer
        if layer is None or "activation" in layer.unread_args:
            return None  # not known: the program reads it from elsewhere
        if layer.applies_activation:
            return layer.applies_activation
        if layer.per_time_step and layer.wraps_layer:
            inner = layer.cfg.get(layer.wraps_layer)
            if inner is not None and "activation" in inner.cfg:
                return inner.cfg.get("activation") or "linear"
            return None
        if "activation" in layer.cfg:
            return layer.cfg.get("activation") or "linear"
        return None

    @staticmethod
    def is_activation_layer(node: Node) -> bool:
        return node.layer is not None and node.layer.family == "activation"

    @staticmethod
    def is_transparent(node: Node) -> bool:
        """A layer an activation passes through unchanged in kind: values are only moved,
        copied or (in training only) dropped or noised."""
        return node.layer is not None and (node.layer.passes_values_through or node.layer.is_regularizer)

    def final_activation(self, name: str) -> tuple[str | None, Node | None]:
        """(activation, node that applies it) ending the tensor ``name``: an Activation,
        Softmax or ReLU layer counts, Dropout and reshapes are looked through, and a model
        called as a layer (``top_model(base.output)``) is looked into."""
        node = self.node(name)
        seen = 0
        while node.layer is not None and seen < 1000:
            seen += 1
            act = self.activation_of(node)
            if act is not None:
                return act, node
            inner = self.inner(node)
            if inner is not None:
                return inner.final_activation(inner.graph.outputs[0])
            if self.is_transparent(node) and len(node.inputs) == 1:
                node = self.node(node.inputs[0])
                continue
            return None, None
        return None, None

    def head(self, name: str) -> Node | None:
        """The weighted layer that produces the output ``name`` (looking back through
        activation layers, Dropout and reshapes, and into a model called as a layer);
        None when it is something else."""
        node = self.node(name)
        for _ in range(1000):
            if node.layer is None:
                return None
            inner = self.inner(node)
            if inner is not None:
                return inner.head(inner.graph.outputs[0])
            if node.layer.family in WEIGHTED_FAMILIES:
                return node
            if (self.is_activation_layer(node) or self.is_transparent(node)) and len(node.inputs) == 1:
                node = self.node(node.inputs[0])
                continue
            return None
        return None

    def inner(self, node: Node) -> LintContext | None:
        """The context of a one-output model called as a layer (its layers analysed at the
        shapes it is called with); None for other layers, or when it cannot be analysed."""
        layer = node.layer
        if layer is None or layer.family != "nested":
            return None
        if node.name not in self._inner:
            ctx = None
            graph = getattr(layer, "graph", None)
            row = self.analysis.by_name.get(node.name)
            if graph is not None and row is not None and len(graph.outputs) == 1 and row.input_shapes:
                try:
                    analysis = layer.inner_analysis(list(row.input_shapes))
                except Exception:  # an inner model the engine refuses: nothing to look into
                    analysis = None
                if analysis is not None:
                    ctx = LintContext(graph, analysis, self.path, self.budget_defaults)
            self._inner[node.name] = ctx
        return self._inner[node.name]

    def nested_contexts(self) -> list[LintContext]:
        """This context and, recursively, those of the models called as layers in it."""
        out: list[LintContext] = [self]
        for node in self.layer_nodes:
            inner = self.inner(node)
            if inner is not None:
                out.extend(inner.nested_contexts())
        return out

    def output_nodes(self) -> list[str]:
        return list(self.graph.outputs)

    def reaches_output_elementwise(self, name: str) -> bool:
        """True when ``name`` is an output or reaches one through activation layers,
        Dropout and reshapes only."""
        outs = set(self.graph.outputs)
        stack = [name]
        seen: set[str] = set()
        while stack:
            cur = stack.pop()
            if cur in outs:
                return True
            if cur in seen:
                continue
            seen.add(cur)
            for user in self.consumers.get(cur, []):
                node = self.node(user)
                if self.is_activation_layer(node) or self.is_transparent(node):
                    stack.append(user)
        return False

    # -- compile ------------------------------------------------------------------------

    @cached_property
    def losses(self) -> dict[str, compile_info.LossSpec]:
        return compile_info.losses_by_output(self.graph)

    @property
    def compile_loc(self) -> Any:
        return self.graph.compile_loc

    @cached_property
    def compiles(self) -> list[training.CompileCall]:
        """Every compile() call (the Python reader keeps them all), in order."""
        return training.compiles(self.graph)

    @cached_property
    def fits(self) -> list[training.FitCall]:
        """Every fit() call whose data the reader saw (Python files only)."""
        return training.fits(self.graph)

    def losses_of(self, call: training.CompileCall) -> dict[str, compile_info.LossSpec]:
        return compile_info.losses_by_output(self.graph, call.settings)

    def input_shape(self) -> tuple | None:
        """The single model input's shape (None for several inputs or an unknown shape)."""
        if len(self.graph.inputs) != 1:
            return None
        return self.node(self.graph.inputs[0]).shape

    def output_shape(self) -> tuple | None:
        """The single model output's shape (None for several outputs)."""
        if len(self.graph.outputs) != 1:
            return None
        return self.shape(self.graph.outputs[0])
