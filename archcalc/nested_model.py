"""A whole model used as a layer of another model.

``x = encoder(inputs)``, a ``keras.applications`` backbone inside a classifier: the layer's
output shape, weights and cost come from running the engine on the inner graph with the
call's input shapes; calling the same model object twice shares its weights, as in Keras.
It lives above the engine (it runs it), not among the layer families.
"""

from __future__ import annotations

from typing import Any

from archcalc.cost import Ops, model_cost
from archcalc.engine import analyze
from archcalc.graph import Graph, Node
from archcalc.layers.base import RF, Arg, ArgError, LayerType, Shape, Weight, any_arg, fmt_shape


def _graph_arg(v: Any, layer: Any) -> Any:
    if not isinstance(v, Graph):
        raise ArgError(f"expected a model, got {v!r}")
    return v


class NestedModel(LayerType):
    """A whole model called as a layer: its layers' weights, its outputs' shapes.

    ``keras_name`` of an instance is the class Keras saved ("Sequential" or "Functional");
    the registry knows the type under ``Model``-like names only through the front-ends, which
    build it from a parsed inner :class:`~archcalc.graph.Graph`.
    """

    keras_name = ""  # not a keras.layers class: kept out of the registry; see of()
    family = "nested"
    n_inputs = (1, None)
    ARGS = (Arg("graph", convert=_graph_arg), Arg("model_class", "Functional", any_arg))

    def __init__(self, cfg: dict[str, Any], given: dict[str, Any] | None = None) -> None:
        super().__init__(cfg, given)
        self._cache: dict[Any, Any] = {}

    @classmethod
    def of(cls, graph: Any, model_class: str = "Functional", trainable: bool = True) -> NestedModel:
        """Wrap an inner graph as a layer."""
        layer = cls.bind([graph], {"model_class": model_class, "trainable": trainable, "name": graph.name})
        layer.keras_name = model_class  # type: ignore[misc]  # per instance: shown as the row's type
        layer._cache = {}
        return layer

    @property
    def graph(self) -> Any:
        return self.cfg["graph"]

    def call_repr(self) -> str:
        return f"{self.cfg['model_class']}(name={self.graph.name!r})"

    def _analysis(self, inputs: list[Shape]) -> Any:
        key = repr(inputs)
        if key in self._cache:
            return self._cache[key]
        inner = self.graph
        if len(inputs) != len(inner.inputs):
            raise self.refuse(
                f"model '{inner.name}' takes {len(inner.inputs)} input(s), got {len(inputs)}: {fmt_shape(inputs)}"
            )
        copy = Graph(name=inner.name, path=inner.path, outputs=list(inner.outputs), sequential=inner.sequential)
        given = dict(zip(inner.inputs, inputs, strict=False))
        for name, node in inner.nodes.items():
            if node.is_input and name not in given:
                copy.nodes[name] = node  # a constant inside a traced layer: its own shape
            elif node.is_input:
                want, got = node.shape, tuple(given[name])
                if want is not None and (
                    len(want) != len(got) or any(w is not None and g is not None and w != g
                                                 for w, g in zip(want[1:], got[1:], strict=False))
                ):
                    raise self.refuse(
                        f"model '{inner.name}' expects {fmt_shape(want)} on input '{name}', got {fmt_shape(got)}"
                    )
                copy.add(Node(name=name, layer=None, shape=got, loc=node.loc))
            else:
                copy.nodes[name] = node
        result = analyze(copy)
        self._cache[key] = result
        return result

    def inner_analysis(self, inputs: list[Shape]) -> Any:
        return self._analysis(inputs)

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        outs = self._analysis(inputs).output_shapes
        return outs[0] if len(outs) == 1 else outs

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        out: list[Weight] = []
        seen: set[int] = set()
        for row in self._analysis(inputs).rows:
            layer = row.node.layer
            if layer is None or id(layer) in seen:
                continue
            seen.add(id(layer))
            for w in row.weights:
                out.append(Weight(f"{row.name}/{w.name}", w.shape, w.trainable and layer.trainable))
        return out

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None

    def cost(self, inputs: list[Shape], output: Any) -> Ops:
        """What its layers cost on these inputs."""
        cost = model_cost(self._analysis(inputs))
        return Ops(cost.macs, cost.other_ops, cost.tf_flops)
