"""The layer graph every front-end produces and every consumer reads.

A :class:`Graph` holds input nodes and layer nodes in definition order. Each
:class:`Node` names the nodes it reads (``inputs``) and carries its source location.
Front-ends build graphs; they never compute shapes (that is the engine's job).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.errors import Location, SpecError
from archcalc.layers.base import LayerType


@dataclass
class Node:
    """One layer call (or model input) in the graph.

    ``layer`` is None for an input node, whose ``shape`` (batch axis included) is given.
    ``shared_with`` names the node whose layer object this call reuses: Keras counts a
    shared layer's weights once.
    """

    name: str
    layer: LayerType | None
    inputs: list[str] = field(default_factory=list)
    loc: Location | None = None
    shape: tuple | None = None
    shared_with: str | None = None
    #: for each input, which output of a multi-output source it reads (None: all of them;
    #: e.g. the state h of ``LSTM(return_state=True)`` is index 1); empty means all None
    input_index: list[int | None] = field(default_factory=list)
    #: inputs were given as a list (``Layer()([a])``) rather than a single tensor
    list_input: bool = False
    #: free-form data a front-end wants to keep (e.g. the Keras class of a nested model)
    meta: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        what = "input " + repr(self.shape) if self.layer is None else self.layer.call_repr()
        reads = f" <- {', '.join(self.inputs)}" if self.inputs else ""
        return f"<Node {self.name!r}: {what}{reads}>"

    def sources(self) -> list[tuple[str, int | None]]:
        """(node name, output index or None) for each input."""
        index = self.input_index or [None] * len(self.inputs)
        return list(zip(self.inputs, index, strict=True))

    @property
    def type(self) -> str:
        return "InputLayer" if self.layer is None else self.layer.keras_name

    @property
    def is_input(self) -> bool:
        return self.layer is None


@dataclass
class Graph:
    """A model: its inputs, its layer calls in definition order, its outputs."""

    name: str = "model"
    path: str = "<spec>"
    nodes: dict[str, Node] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    #: like Node.input_index, for the model outputs (empty: every output of each node)
    output_index: list[int | None] = field(default_factory=list)
    #: the model's compile() settings: optimizer, loss, metrics (as written)
    compile: dict[str, Any] | None = None
    compile_loc: Location | None = None
    #: extra top-level sections of a spec (expect, budget, params, ...) for other tools
    extras: dict[str, Any] = field(default_factory=dict)
    #: True when the source declared a Sequential model (used by codegen)
    sequential: bool = False

    def add(self, node: Node) -> Node:
        given = node.meta.get("given_name")  # a name another model of the file has too
        if node.name in self.nodes or (given is not None and any(
                n.name == given or n.meta.get("given_name") == given for n in self.nodes.values())):
            raise SpecError(
                f"the name '{given or node.name}' is already used by another layer",
                loc=node.loc,
                hint="give each layer a unique name",
            )
        from archcalc.limits import count_layer

        count_layer(len(self.nodes) + 1, node.loc, node)
        if node.is_input and node.shape is not None:
            check_input_shape(node)
        self.nodes[node.name] = node
        if node.is_input:
            self.inputs.append(node.name)
        return node

    def __len__(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return (f"<Graph {self.name!r} from {self.path}: {len(self.nodes)} nodes, inputs {self.inputs}, "
                f"outputs {self.outputs}>")

    def is_chain(self) -> bool:
        """True when the graph is a plain stack: one input, each node reads the previous one."""
        if len(self.inputs) != 1 or len(self.outputs) != 1 or self.output_index:
            return False
        prev = None
        for node in self.nodes.values():
            if node.is_input:
                prev = node.name
                continue
            if node.inputs != [prev] or node.shared_with or node.input_index:
                return False
            prev = node.name
        return self.outputs == [prev]


def check_input_shape(node: Node) -> None:
    """SpecError unless an input's shape is a tuple of sizes: None, an integer >= 0 or a named
    size (a sympy expression). Every reader's inputs pass here (a nested list in
    ``input_shape``, a string in ``batch_shape``), so that no consumer meets another kind."""
    from archcalc.errors import describe_value

    shape = node.shape
    ok = isinstance(shape, tuple) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
        or (hasattr(d, "free_symbols") and not isinstance(d, (list, tuple, str)))
        for d in shape)
    if not ok:
        raise SpecError(f"input '{node.name}' has no valid shape: {describe_value(shape)}", loc=node.loc,
                        hint="a shape is a tuple of sizes, each a non-negative integer or None, such as (28, 28, 1)")
