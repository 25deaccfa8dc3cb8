"""Build a real Keras model from an archcalc Graph.

Every layer gets archcalc's node name (automatic names included), so a Keras layer can
be matched to its archcalc row by name whatever Keras's global name counters say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archcalc.compile_spec import read_compile
from archcalc.errors import ArchcalcError, Location, ShapeError, UsageError
from archcalc.graph import Graph, Node
from archcalc.layers.base import LayerType
from archcalc.layers.ops import Op

from .backend import import_keras
from .codegen_layers import (
    INPUT_KWARGS,
    call_kwargs,
    check_buildable,
    check_no_constants,
    concrete_dims,
    is_nested,
)


@dataclass
class Built:
    """A built Keras model plus, per archcalc node, the Keras tensor it produced."""

    model: Any
    tensors: dict[str, Any]
    layers: dict[str, Any]


def as_graph(spec: Any) -> Graph:
    """A Graph from a Graph, or from a path to any model file archcalc reads."""
    if isinstance(spec, Graph):
        return spec
    if isinstance(spec, (str, Path)):
        from archcalc.readers import load

        return load(spec)
    raise TypeError(f"expected a Graph or a path to a model file, got {type(spec).__name__}")


def keras_layer(layer: LayerType, name: str | None = None) -> Any:
    """The Keras layer object for an archcalc layer (nested layers built first)."""
    keras = import_keras()
    if is_nested(layer):
        inner: Graph = layer.cfg["graph"]
        model = build(inner, compile=False).model
        model.trainable = layer.trainable
        return model
    from archcalc.readers.python.applications import is_application

    if is_application(layer):  # the architecture, without downloading its trained weights
        options = {k: tuple(v) if isinstance(v, list) else v for k, v in layer.options.items()}  # type: ignore[attr-defined]
        if "name" in (p[0] for p in layer.entry.get("params", [])):  # type: ignore[attr-defined]
            options["name"] = layer.cfg["name"]
        model = getattr(keras.applications, layer.builder)(weights=None, **options)  # type: ignore[attr-defined]
        model.trainable = layer.trainable
        return model
    check_buildable(layer)
    own = {a.name for a in layer.ARGS}
    call_only = set(getattr(layer, "CALL_ARGS", ()))
    kwargs: dict[str, Any] = {}
    for k, v in layer.given.items():
        if (k in INPUT_KWARGS and k not in own) or k in call_only:
            continue  # the input is declared with keras.Input; call arguments go on the call
        kwargs[k] = keras_layer(v, v.given.get("name")) if isinstance(v, LayerType) else v
    if name is not None:
        kwargs["name"] = name
    return keras_class(keras, layer)(**kwargs)


def op_call(keras: Any, op: Op, srcs: list[Any]) -> Any:
    """Apply an operation node (``keras.ops.add(x, 3.0)``) to Keras tensors."""
    from archcalc.layers.ops import ShapedConstant, TensorArg

    def value(v: Any) -> Any:
        if isinstance(v, TensorArg):
            return srcs[v.index]
        if isinstance(v, ShapedConstant):
            # data the program draws at run time (a VAE's eps = tf.random.normal(...)): a fixed
            # draw of its shape, the batch axis broadcast; the model's numbers do not depend on it
            shape = tuple(d if isinstance(d, int) else 1 for d in v.shape)
            return keras.random.normal(shape, seed=0)
        if isinstance(v, list):
            return [value(x) for x in v]
        if isinstance(v, tuple):
            return tuple(value(x) for x in v)
        return v

    args, kwargs = [], {}
    for p in op.PARAMS:
        if p.name in op.given:
            v = value(op.given[p.name])
            if p.kind != "const" and not p.keyword_only:
                args.append(v)
            else:
                kwargs[p.name] = v
    return getattr(keras.ops, op.op_name)(*args, **kwargs)


def keras_class(keras: Any, layer: LayerType) -> Any:
    """The Keras class for a layer: keras.layers, or one of archcalc's helper layers."""
    from . import helper_layers

    if layer.keras_name in helper_layers.SOURCES:
        return helper_layers.classes()[layer.keras_name]
    cls = getattr(keras.layers, layer.keras_name, None)
    if cls is None:
        raise UsageError(
            f"Keras has no layer class '{layer.keras_name}': archcalc knows its shapes and weights "
            f"(declared in archcalc-layers.yaml) but not its code, so it cannot build it",
            hint="build the model in Python with your own class, or use Keras layers in the spec",
        )
    return cls


def compile_args(compile_cfg: dict[str, Any]) -> dict[str, Any]:
    """compile() keyword arguments, with optimizers, losses and metrics written as calls or
    mappings made into Keras objects (read by :func:`archcalc.compile_spec.read_compile`)."""
    return read_compile(compile_cfg).keras_kwargs(import_keras())


def build(graph: Graph, compile: bool = True) -> Built:
    """Build ``graph`` in Keras with the functional API; ShapeError if Keras refuses."""
    keras = import_keras()
    from archcalc.engine import topological_order

    tensors: dict[str, Any] = {}
    layers: dict[str, Any] = {}
    order = topological_order(graph)  # SpecError on a bad graph, before Keras sees it
    check_no_constants(graph)
    try:
        if graph.is_chain():
            model = _sequential(keras, graph, order, tensors, layers)
        else:
            model = _functional(keras, graph, order, tensors, layers)
        if compile and graph.compile:
            model.compile(**compile_args(graph.compile))
    except ArchcalcError:
        raise
    except Exception as e:  # noqa: BLE001  (whatever Keras raises, the user sees one line)
        raise ShapeError(
            f"Keras refused to build the model: {type(e).__name__}: {_first_line(e)}",
            loc=Location(graph.path),
            hint="run `archcalc summary` on the spec to see where the shapes go wrong",
        ) from e
    return Built(model, tensors, layers)


def _model_name(graph: Graph) -> str | None:
    return graph.name if graph.name and "/" not in graph.name else None


def _input(keras: Any, node: Node) -> Any:
    shape = concrete_dims(tuple(node.shape or (None,)))
    return keras.Input(shape=shape[1:], batch_size=shape[0], name=node.name)


def _sequential(keras: Any, graph: Graph, order: list[Node], tensors: dict, layers: dict) -> Any:
    stack = []
    for node in order:
        if node.is_input:
            stack.append(_input(keras, node))
        else:
            assert node.layer is not None
            layers[node.name] = keras_layer(node.layer, node.name)
            stack.append(layers[node.name])
    model = keras.Sequential(stack, name=_model_name(graph))
    tensors[order[0].name] = model.inputs[0]
    for node in order[1:]:
        tensors[node.name] = layers[node.name].output
    return model


def _functional(keras: Any, graph: Graph, order: list[Node], tensors: dict, layers: dict) -> Any:
    for node in order:
        if node.is_input:
            tensors[node.name] = _input(keras, node)
            continue
        assert node.layer is not None
        if isinstance(node.layer, Op):
            srcs = [tensors[s] if i is None else tensors[s][i] for s, i in node.sources()]
            tensors[node.name] = op_call(keras, node.layer, srcs)
            continue
        if node.shared_with:
            layer = layers[node.shared_with]
        else:
            layer = keras_layer(node.layer, node.name)
            layers[node.name] = layer
        srcs = [tensors[s] if i is None else tensors[s][i] for s, i in node.sources()]
        if getattr(node.layer, "SEPARATE_INPUTS", False):
            tensors[node.name] = layer(*srcs, **call_kwargs(node.layer))
        elif getattr(node.layer, "N_STATES", None) is not None and len(srcs) > 1:
            # a cell run one step: cell(x_t, states) gives (output, new states), one flat list here
            out, states = layer(srcs[0], srcs[1:])
            tensors[node.name] = [out, *(states if isinstance(states, (list, tuple)) else [states])]
        else:
            tensors[node.name] = layer(srcs if node.list_input or len(srcs) != 1 else srcs[0],
                                       **call_kwargs(node.layer))
    ins = [tensors[n] for n in graph.inputs]
    out_index = graph.output_index or [None] * len(graph.outputs)
    outs = [tensors[n] if i is None else tensors[n][i] for n, i in zip(graph.outputs, out_index, strict=True)]
    return keras.Model(
        inputs=ins[0] if len(ins) == 1 else ins,
        outputs=outs[0] if len(outs) == 1 else outs,
        name=_model_name(graph),
    )


def _first_line(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else ""


def to_keras(spec: Any, compile: bool = True) -> Any:
    """Build the Keras model for a spec (a path or a Graph); compiled when it says how."""
    return build(as_graph(spec), compile=compile).model
