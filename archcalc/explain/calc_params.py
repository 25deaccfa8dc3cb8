"""``archcalc calc params LAYER key=value ...``: one layer's parameter count derived."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from archcalc.errors import ArchcalcError, UsageError, did_you_mean
from archcalc.explain.derivation import Derivation
from archcalc.explain.params import param_derivations
from archcalc.layers import registry
from archcalc.layers.attention import AttentionBase
from archcalc.layers.base import LayerType, fmt_shape
from archcalc.layers.conv import SpatialLayer
from archcalc.layers.core import Embedding
from archcalc.layers.recurrent import RNN, Bidirectional, TimeDistributed
from archcalc.layers.rnn_cells import ConvLSTM, GenericRNN

#: keys that size the layer's input rather than its constructor
INPUT_KEYS = ("input_dim", "in_channels", "inputs", "channels", "C_in", "input_size")
#: short names for constructor arguments
ALIASES = {"kernel": "kernel_size", "k": "kernel_size", "stride": "strides", "pool": "pool_size"}


@dataclass
class ParamsResult:
    layer: LayerType
    shape: tuple
    trainable: Any
    non_trainable: Any
    derivations: list[Derivation] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {"layer": self.layer.keras_name, "input_shape": list(self.shape),
                "params": self.trainable + self.non_trainable, "trainable_params": self.trainable,
                "non_trainable_params": self.non_trainable}

    def shape_text(self) -> str:
        return fmt_shape(self.shape)


#: short names for layer types
LAYER_ALIASES = {"mha": "MultiHeadAttention", "gqa": "GroupQueryAttention", "bilstm": "Bidirectional"}


def _lookup(name: str) -> type[LayerType]:
    """A layer type by name as typed on the command line: any case, ``conv2d`` or ``conv_2d``,
    the short names above; the registry's unknown-layer hint otherwise."""
    name = LAYER_ALIASES.get(name.lower(), name)
    by_lower = {k.lower(): k for k in registry.names()}
    exact = by_lower.get(name.lower()) or by_lower.get(name.lower().replace("_", ""))
    try:
        return registry.lookup(exact or name)
    except ArchcalcError as e:
        raise UsageError(e.message, hint=e.hint) from None


def _value(raw: str) -> Any:
    """A literal, or a layer call such as LSTM(64) (for Bidirectional and TimeDistributed);
    anything else stays the text the user wrote. Nothing is executed."""
    try:
        node = ast.parse(raw, mode="eval").body
    except SyntaxError:
        return raw
    if isinstance(node, ast.Call):
        return _layer_call(node, raw)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return raw


def _layer_call(node: ast.Call, raw: str) -> Any:
    if not isinstance(node.func, ast.Name):
        raise UsageError(f"'{raw}': expected a layer call such as LSTM(64)")
    cls = _lookup(node.func.id)

    def arg(a: ast.expr) -> Any:
        if isinstance(a, ast.Call):
            return _layer_call(a, ast.unparse(a))
        try:
            return ast.literal_eval(a)
        except ValueError:
            raise UsageError(f"'{ast.unparse(a)}' in '{raw}': expected a number, string or tuple") from None

    try:
        return cls.bind([arg(a) for a in node.args], {k.arg: arg(k.value) for k in node.keywords if k.arg})
    except ArchcalcError as e:
        raise UsageError(e.message, hint=e.hint) from None


def calc_params(name: str, items: tuple[str, ...]) -> ParamsResult:
    cls = _lookup(name)
    arg_names = {a.name for a in cls.ARGS}
    kwargs: dict[str, Any] = {}
    n_in: Any = None
    for item in items:
        key, eq, raw = item.partition("=")
        if not eq:
            raise UsageError(f"expected key=value, got '{item}'", hint="e.g. units=64 input_dim=10")
        key = ALIASES.get(key, key)
        if key in arg_names:
            kwargs[key] = _value(raw)
        elif key in INPUT_KEYS:
            n_in = _value(raw)
            if not isinstance(n_in, int) or n_in < 1:
                raise UsageError(f"{key}={raw}: expected a positive integer")
        else:
            input_key = "in_channels" if issubclass(cls, SpatialLayer) else "input_dim"
            raise UsageError(f"{cls.keras_name} has no argument '{key}'",
                             hint=did_you_mean(key, [*arg_names, input_key])
                             or "arguments: " + ", ".join(sorted(arg_names)) + f"; input size: {input_key}")
    try:
        layer = cls.bind([], kwargs)
    except ArchcalcError as e:
        raise UsageError(e.message, hint=e.hint) from None
    shape = _input_shape(layer, n_in)
    row = _engine_row(layer, shape)
    result = ParamsResult(layer, shape, row.trainable_params, row.non_trainable_params)
    result.derivations = param_derivations(layer, row.input_shapes, row.trainable_params,
                                           row.non_trainable_params)
    return result


def _engine_row(layer: LayerType, shape: tuple) -> Any:
    """The engine's row for the layer called on an input of ``shape`` (an attention layer on
    that input as query, value and key): the counts are the engine's, as in ``explain``."""
    from archcalc.engine import analyze
    from archcalc.graph import Graph, Node

    graph = Graph(name="calc")
    graph.add(Node(name="input", layer=None, shape=shape))
    graph.add(Node(name="layer", layer=layer, inputs=["input"] * max(1, layer.n_inputs[0])))
    graph.outputs = ["layer"]
    try:
        return analyze(graph).by_name["layer"]
    except ArchcalcError as e:
        raise UsageError(e.message, hint=e.hint) from None


def _input_shape(layer: LayerType, n_in: Any) -> tuple:
    if isinstance(layer, Embedding):
        return (None, None)
    if n_in is None:
        raise UsageError(f"{layer.keras_name}: give the input size, e.g. "
                         + ("in_channels=3" if isinstance(layer, SpatialLayer) else "input_dim=10"))
    if isinstance(layer, SpatialLayer):
        return (None, *(None,) * layer.RANK, n_in)
    if isinstance(layer, TimeDistributed):
        inner = _input_shape(layer.cfg["layer"], n_in)
        return (inner[0], None, *inner[1:])
    if isinstance(layer, (RNN, Bidirectional, GenericRNN, AttentionBase)):
        return (None, None, n_in)
    if isinstance(layer, ConvLSTM):
        return (None, None, *(None,) * layer.RANK, n_in)
    return (None, n_in)
