"""Re-binding a layer with sympy symbols in place of its size arguments and input sizes,
so that the engine's own methods (``weights``, ``output_shape``) return formulas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from archcalc.explain.derivation import needs_numbers
from archcalc.explain.printing import sym
from archcalc.layers import formulas as F
from archcalc.layers.attention import AttentionBase
from archcalc.layers.base import LayerType, Shape
from archcalc.layers.conv import SpatialLayer
from archcalc.layers.core import Dense, Embedding
from archcalc.layers.recurrent import RNN, Bidirectional, TimeDistributed

#: constructor arguments that are sizes: argument -> (symbol name, legend)
SIZE_ARGS: dict[str, tuple[str, str]] = {
    "units": ("units", ""),
    "filters": ("filters", "output channels"),
    "kernel_size": ("K", "kernel size"),
    "input_dim": ("input_dim", "vocabulary size"),
    "output_dim": ("output_dim", "embedding size"),
    "depth_multiplier": ("M", "depth multiplier"),
    "groups": ("G", "groups"),
    "num_heads": ("h", "heads"),
    "key_dim": ("d_k", "query and key size per head"),
    "value_dim": ("d_v", "value size per head"),
    "head_dim": ("d_h", "size per head"),
    "num_query_heads": ("h_q", "query heads"),
    "num_key_value_heads": ("h_kv", "key and value heads"),
}


@dataclass
class Symbolic:
    """A layer bound with symbols, its symbolic input shapes and each symbol's number."""

    layer: LayerType
    inputs: list[Shape]
    values: dict[sp.Symbol, Any] = field(default_factory=dict)
    legend: dict[sp.Symbol, str] = field(default_factory=dict)



class _Namer:
    """New symbols for a layer's numbers; ``taken`` are the names already used by symbolic
    sizes of the model (a reader's ``units``), which a new symbol must not reuse: putting
    the layer's number in for it would also replace the model's size."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.values: dict[sp.Symbol, Any] = {}
        self.legend: dict[sp.Symbol, str] = {}
        self.taken = set(taken or ())

    def make(self, name: str, value: Any, legend: str = "") -> sp.Symbol:
        s = sym(name)
        n = 2
        while s.name in self.taken or (s in self.values and self.values[s] != value):
            s = sym(f"{name}{n}")
            n += 1
        self.values[s] = value
        if legend:
            self.legend[s] = legend
        return s


def _symbolize_args(layer: LayerType, namer: _Namer, prefix: str = "") -> LayerType:
    given = dict(layer.given)
    arg_names = {a.name for a in type(layer).ARGS}
    for key, v in list(given.items()):
        if isinstance(v, LayerType):
            given[key] = _symbolize_args(v, namer)
            continue
        if key not in SIZE_ARGS or key not in arg_names:
            continue
        if key == "groups" and v == 1:
            continue
        name, legend = SIZE_ARGS[key]
        if F.is_int(v):
            given[key] = namer.make(name, v, legend)
        elif isinstance(v, (tuple, list)) and v and all(F.is_int(x) for x in v):
            if len(set(v)) == 1 and key == "kernel_size":
                given[key] = namer.make(name, v[0], legend)
            else:
                given[key] = tuple(namer.make(f"{name}_{i + 1}", x, legend) for i, x in enumerate(v))
    if given == dict(layer.given):  # no size argument became a symbol (a nested model, a traced
        return layer  # custom layer): the layer itself, not a copy rebuilt from its arguments
    return type(layer).bind([], given)


def channel_name(layer: LayerType) -> tuple[str, str]:
    """The name the notes give the axis a layer's weights are sized by."""
    if isinstance(layer, Dense):
        return "inputs", "input size"
    if isinstance(layer, (RNN, Bidirectional)):
        return "input_dim", "features per step"
    if isinstance(layer, TimeDistributed):
        return channel_name(layer.cfg["layer"])
    if isinstance(layer, AttentionBase):
        return "d_model", "features"
    if isinstance(layer, SpatialLayer):
        return "C_in", "input channels"
    return "C", "channels"


def channel_index(layer: LayerType, shape: Shape) -> int:
    if isinstance(layer, SpatialLayer) and len(shape) == layer.RANK + 2:
        from archcalc.layers.base import channels_last

        return len(shape) - 1 if channels_last(layer) else 1
    return len(shape) - 1


def _free_names(inputs: list[Shape], layer: LayerType) -> set[str]:
    """The names of the symbolic sizes already in the inputs and the layer's arguments."""
    names: set[str] = set()

    def visit(v: Any) -> None:
        if isinstance(v, sp.Basic):
            names.update(s.name for s in v.free_symbols)
        elif isinstance(v, (tuple, list)):
            for x in v:
                visit(x)
        elif isinstance(v, LayerType):
            for x in v.given.values():
                visit(x)

    visit(list(inputs))
    visit(layer)
    return names


def symbolic_layer(layer: LayerType, inputs: list[Shape]) -> Symbolic:
    """The layer with its size arguments as symbols, and its inputs' channel (last) axis as
    a symbol; Embedding's inputs are token ids and keep their numbers."""
    taken = _free_names(inputs, layer)
    namer = _Namer(taken)
    try:
        sl = _symbolize_args(layer, namer)
    except needs_numbers():  # a layer whose checks need numbers: derive over the input sizes only
        namer = _Namer(taken)
        sl = layer
    shapes: list[Shape] = []
    if isinstance(layer, Embedding):
        shapes = list(inputs)
    else:
        name, legend = channel_name(layer)
        for shape in inputs:
            dims = list(shape)
            if len(dims) >= 2:
                i = channel_index(layer, tuple(dims))
                if F.is_int(dims[i]):
                    dims[i] = namer.make(name, dims[i], legend)
            shapes.append(tuple(dims))
        if sl is layer and shapes != list(inputs):
            from archcalc.errors import ArchcalcError

            try:  # a nested model checks its input shape: it may refuse a symbolic channel
                layer.weights(shapes)
            except ArchcalcError:
                return Symbolic(layer, list(inputs), {}, {})
    return Symbolic(sl, shapes, namer.values, namer.legend)
