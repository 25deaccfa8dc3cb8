"""The engine: a topological walk that gives every node its shape, weights and receptive field.

``analyze(graph)`` returns an :class:`Analysis`: one :class:`Row` per node in
topological order, plus totals. Consumers (renderers, lint, explain, the Keras bridge)
read these rows; none of them recomputes a number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from archcalc.errors import ArchcalcError, ShapeError, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers import registry as _registry  # noqa: F401  (registers all layer types)
from archcalc.layers.base import RF, Shape, Weight, fmt_shape, spatial_rf_input


@dataclass
class Row:
    """The engine's result for one node."""

    node: Node
    input_shapes: list[Shape]
    output_shape: Shape | list[Shape]
    weights: list[Weight]
    trainable_params: Any
    non_trainable_params: Any
    rf: RF | None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def type(self) -> str:
        return self.node.type

    @property
    def inputs(self) -> list[str]:
        return self.node.inputs

    @property
    def params(self) -> Any:
        return self.trainable_params + self.non_trainable_params

    @property
    def multi_output(self) -> bool:
        return isinstance(self.output_shape, list)

    def output_shapes(self) -> list[Shape]:
        return self.output_shape if isinstance(self.output_shape, list) else [self.output_shape]


@dataclass
class Analysis:
    """Every row, the model's output shapes and the parameter totals."""

    graph: Graph
    rows: list[Row] = field(default_factory=list)
    by_name: dict[str, Row] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @cached_property
    def cost(self) -> Any:
        """The model's cost (``archcalc.cost.ModelCost``: MACs, other ops, FLOPs per layer and
        in total), computed on first use and kept: every renderer reads this one."""
        from archcalc.cost import model_cost

        return model_cost(self)

    @property
    def name(self) -> str:
        return self.graph.name

    @property
    def output_shapes(self) -> list[Shape]:
        out: list[Shape] = []
        index = self.graph.output_index or [None] * len(self.graph.outputs)
        for name, i in zip(self.graph.outputs, index, strict=True):
            shapes = self.by_name[name].output_shapes()
            out.extend(shapes if i is None else [shapes[i]])
        return out

    @property
    def trainable_params(self) -> Any:
        return sum((r.trainable_params for r in self.rows), 0)

    @property
    def non_trainable_params(self) -> Any:
        return sum((r.non_trainable_params for r in self.rows), 0)

    @property
    def total_params(self) -> Any:
        return self.trainable_params + self.non_trainable_params



def topological_order(graph: Graph) -> list[Node]:
    """Nodes in an order where every node comes after its inputs; refuses cycles."""
    nodes = graph.nodes
    for node in nodes.values():
        for src in node.inputs:
            if src not in nodes:
                raise SpecError(
                    f"layer '{node.name}' reads '{src}', which is not defined",
                    loc=node.loc,
                    layer=node.name,
                    hint=_name_hint(src, nodes),
                )
    state: dict[str, int] = {}  # 1 visiting, 2 done
    order: list[Node] = []
    for root in nodes:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            name, i = stack.pop()
            node = nodes[name]
            if i == 0:
                if state.get(name) == 2:
                    continue
                state[name] = 1
            if i < len(node.inputs):
                stack.append((name, i + 1))
                src = node.inputs[i]
                st = state.get(src)
                if st == 1:
                    raise SpecError(
                        f"the layers form a cycle through '{src}' and '{name}'",
                        loc=node.loc,
                        layer=name,
                        hint="a layer can only read layers defined before it",
                    )
                if st is None:
                    stack.append((src, 0))
            else:
                state[name] = 2
                order.append(node)
    return order


def _name_hint(name: str, nodes: dict[str, Node]) -> str | None:
    from archcalc.errors import did_you_mean

    return did_you_mean(name, list(nodes))


def analyze(graph: Graph) -> Analysis:
    """Compute every node's output shape, weights and receptive field."""
    result = Analysis(graph)
    if not graph.outputs:
        raise SpecError("the model has no layers", loc=None, hint="add a `layers:` list")
    first_use: dict[int, str] = {}
    for node in topological_order(graph):
        if node.is_input:
            shape = tuple(node.shape or ())
            row = Row(node, [], shape, [], 0, 0, spatial_rf_input(shape))
        else:
            row = _analyze_node(node, result, first_use)
        result.rows.append(row)
        result.by_name[node.name] = row
    for out in graph.outputs:
        if out not in result.by_name:
            raise SpecError(f"output '{out}' is not a layer of the model", hint=_name_hint(out, graph.nodes))
    for out, i in zip(graph.outputs, graph.output_index, strict=False):
        n = len(result.by_name[out].output_shapes())
        if i is not None and not -n <= i < n:
            raise SpecError(f"output '{out}[{i}]': the layer has {n} output(s)", loc=graph.nodes[out].loc)
    return result


def _analyze_node(node: Node, result: Analysis, first_use: dict[int, str]) -> Row:
    layer = node.layer
    assert layer is not None
    in_shapes: list[Shape] = []
    in_rfs = []
    for name, index in node.sources():
        src = result.by_name[name]
        shapes = src.output_shapes()
        if index is None:
            in_shapes.extend(shapes)
        elif not -len(shapes) <= index < len(shapes):
            raise ShapeError(
                f"'{name}' has {len(shapes)} output(s); there is no output [{index}]",
                loc=node.loc, layer=node.name,
                hint="return_state=True gives [output, state...]; merge_mode=None gives [forward, backward]",
            )
        else:
            in_shapes.append(shapes[index])
        in_rfs.append(src.rf)
    lo, hi = layer.n_inputs
    try:
        if len(in_shapes) < lo or (hi is not None and len(in_shapes) > hi):
            want = f"{lo}" if lo == hi else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
            raise ShapeError(
                f"{layer.keras_name} takes {want} input(s), got {len(in_shapes)}: {fmt_shape(in_shapes)}",
                hint="merge layers take a list: Add()([a, b])" if lo > 1 else (
                    "a layer with several outputs feeds them all; pick one with name[i], e.g. lstm[0]"
                    if any(result.by_name[n].multi_output for n in node.inputs) else None),
            )
        out = layer.output_shape(in_shapes)
        weights = layer.weights(in_shapes)
        try:
            rf = layer.receptive_field(in_rfs, in_shapes, out)
        except (TypeError, ValueError, ArithmeticError):
            rf = None  # a window of symbolic size (MaxPooling2D(n)): no number to give
    except ArchcalcError as e:
        raise e.with_loc(node.loc, node.name) from None
    except (ValueError, TypeError, ZeroDivisionError) as e:  # a formula fed impossible values
        raise ShapeError(f"{layer.keras_name}: {e}", loc=node.loc, layer=node.name) from None
    key = id(layer)
    if key in first_use:
        # a shared layer: Keras creates its weights once, on the first call
        first = result.by_name[first_use[key]]
        if [w.shape for w in first.weights] != [w.shape for w in weights]:
            raise ShapeError(
                f"shared layer '{first.name}' is called on {fmt_shape(in_shapes)} here but was "
                f"built for {fmt_shape(first.input_shapes)}",
                loc=node.loc,
                layer=node.name,
                hint="a shared layer needs inputs of the same shape",
            )
        trainable = non_trainable = 0
    else:
        first_use[key] = node.name
        trainable = sum((w.size for w in weights if w.trainable and layer.trainable), 0)
        non_trainable = sum((w.size for w in weights if not (w.trainable and layer.trainable)), 0)
    return Row(node, in_shapes, out, weights, trainable, non_trainable, rf)


def sub_rows(row: Row) -> list[Row]:
    """The rows inside a nested model or a wrapper (TimeDistributed, Bidirectional), for
    ``summary --expand-nested``: what Keras's ``expand_nested`` lists. A nested Sequential
    has no input row (Keras's ``Sequential.layers`` leaves it out); a nested Functional
    model keeps its inputs. A frozen parent freezes everything in it, as in Keras. Empty
    for a plain layer and for a second call of a shared model (its weights are counted at
    the first call)."""
    layer = row.node.layer
    if layer is None or row.node.shared_with:
        return []
    frozen = not layer.trainable
    inner = layer.inner_analysis(row.input_shapes)
    if inner is not None:
        rows = [r for r in inner.rows if not (inner.graph.sequential and r.node.is_input)]
    else:
        rows = []
        for name, sub, shapes in layer.sublayers(row.input_shapes):
            weights = sub.weights(shapes)
            trainable = sum((w.size for w in weights if w.trainable and sub.trainable), 0)
            rows.append(Row(Node(name=name, layer=sub), list(shapes), sub.output_shape(shapes), weights,
                            trainable, sum((w.size for w in weights), 0) - trainable, None))
    if frozen:
        rows = [Row(r.node, r.input_shapes, r.output_shape, r.weights, 0, r.params, r.rf) for r in rows]
    return rows
