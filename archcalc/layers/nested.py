"""Layers that are not in ``keras.layers`` but appear in real models.

- :class:`NestedModel`: a Sequential or Functional model used as a layer of another model
  (``x = encoder(inputs)``, a ``keras.applications`` backbone inside a classifier). Its
  output shape and weights come from running the engine on the inner graph with the
  call's input shapes; calling the same model object twice shares its weights, as in Keras.
- :class:`LayerScale` and :class:`StochasticDepth`: the helper layers ConvNeXt (in
  ``keras.applications``) defines and saves in its configs; ``in_keras_layers = False``
  files them where only the config readers look (``registry.get(name, saved=True)``).
"""

from __future__ import annotations

from typing import Any

from archcalc.errors import describe_value
from archcalc.layers.base import (
    RF,
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    any_arg,
    float_arg,
    fmt_shape,
    int_arg,
)


def _graph_arg(v: Any, layer: Any) -> Any:
    from archcalc.graph import Graph

    if not isinstance(v, Graph):
        raise ArgError(f"expected a model, got {describe_value(v)}")
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
        from archcalc.engine import analyze
        from archcalc.graph import Graph, Node

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


class LayerScale(LayerType):
    """ConvNeXt's per-channel scale: x * gamma, gamma of shape (projection_dim,)."""

    keras_name = "LayerScale"
    in_keras_layers = False
    keras_module = "keras.src.applications.convnext"
    family = "nested"
    ARGS = (Arg("init_values", convert=float_arg()), Arg("projection_dim", convert=int_arg(1)))
    example = ("LayerScale(1e-6, 8)", (4, 4, 8))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        d, p = shape[-1], self.cfg["projection_dim"]
        if d is not None and d not in (1, p):
            raise self.refuse(f"cannot scale {fmt_shape(shape)} by a vector of {p}")
        return shape if d != 1 else (*shape[:-1], p)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return [Weight("gamma", (self.cfg["projection_dim"],))]


class StochasticDepth(LayerType):
    """ConvNeXt's drop-path: drops whole residual branches in training; no weights."""

    keras_name = "StochasticDepth"
    in_keras_layers = False
    keras_module = "keras.src.applications.convnext"
    family = "nested"
    ARGS = (Arg("drop_path_rate", convert=float_arg(0.0, 1.0)),)
    example = ("StochasticDepth(0.1)", (4, 4, 8))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]



class CustomScaleLayer(LayerType):
    """InceptionResNetV2's residual join: ``inputs[0] + inputs[1] * scale``; no weights.

    Keras's call reads the first two inputs and broadcasts them as its ops do
    (keras/src/applications/inception_resnet_v2.py, CustomScaleLayer.call).
    """

    keras_name = "CustomScaleLayer"
    in_keras_layers = False
    keras_module = "keras.src.applications.inception_resnet_v2"
    family = "nested"
    n_inputs = (2, None)
    ARGS = (Arg("scale", convert=float_arg()),)
    example = ("CustomScaleLayer(0.17)", [(4, 4, 8), (4, 4, 8)])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        from archcalc.layers.ops import broadcast

        try:
            return broadcast(inputs[0], inputs[1])
        except ValueError as e:
            raise self.refuse(str(e), hint="the shortcut and the residual branch need the same shape") from None

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        from archcalc.layers.merging import merge_rf

        return merge_rf(rfs[:2])

    def cost(self, inputs: list[Shape], output: Any) -> Any:
        from archcalc.cost import elements, ew

        return ew(2 * elements(output))  # one multiply and one add per value
