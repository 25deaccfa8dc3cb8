"""Compute cost per layer, for one sample: multiply-adds (MACs), other operations, FLOPs.

Conventions (docs/cost.md says the same):

- ``macs`` are the field's multiply-adds, as the papers and torchvision's tables count them:
  the kernel products of convolutions (all kinds), Dense, recurrent and attention layers (and
  the contractions of Dot, matmul and einsum), without the bias.
- ``other_ops`` is the element-wise work, one operation per value: bias adds, normalisation's
  scale and shift, activations (softmax 3 per value: exp, sum, divide), pooling compares and
  adds, merges, interpolation taps, tensor-op nodes.
- ``flops = 2 x macs + other_ops``.
- ``tf_flops`` is what TensorFlow's profiler (``tf.compat.v1.profiler``, float_operation)
  counts on the Keras model: 2 per multiply-add and 1 per bias add, but nothing for ReLU,
  sigmoid or tanh, 5 per softmax value, and batch normalisation as TensorFlow computes it.
  Where a rule gives no profiler count, the layer's ``flops`` stand in.
- Cost is per sample (batch size 1) at inference: Dropout and noise layers are the identity,
  BatchNormalization's statistics are folded into one scale and shift.
- Recurrent layers cost (cost of one time step) x (sequence length). A size that is unknown
  (``None``: a sequence of any length) is counted as 1 and the result is marked *per step*.
- Embedding lookups, reshapes, crops, paddings, concatenations and nearest-neighbour
  up-sampling move data and cost nothing.

A layer's rule is a ``cost(layer, inputs, output)`` function returning an :class:`Ops`:
a ``cost`` method in the class body, or a rule here, registered with :func:`cost_rule` under
the class's place (``"conv.Conv"``: ``archcalc.layers.conv.Conv``), which keeps the shared
arithmetic of a family together. A subclass inherits its base's rule (:func:`rule_for`
walks the class's bases). This module imports no layer family: a YAML model of Dense
layers loads ``layers/core.py`` and nothing else. Only ``+`` and ``*`` are used, so the
rules work on ints and on sympy sizes alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archcalc.layers.base import LayerType, Shape
from archcalc.layers.formulas import prod

#: the conventions ``--cost-convention`` selects: which FLOPs figure is reported
CONVENTIONS = ("archcalc", "tf-profiler")


@dataclass(frozen=True)
class Ops:
    """A rule's answer: kernel multiply-adds, element-wise operations, and (when it differs
    from 2 x macs + other) the FLOPs TensorFlow's profiler counts."""

    macs: Any = 0
    other: Any = 0
    tf: Any = None

    @property
    def flops(self) -> Any:
        return 2 * self.macs + self.other

    @property
    def tf_flops(self) -> Any:
        return self.flops if self.tf is None else self.tf

    def __add__(self, o: Any) -> Ops:
        if isinstance(o, int) and o == 0:  # sum()'s start
            return self
        if not isinstance(o, Ops):
            return NotImplemented
        tf = None if self.tf is None and o.tf is None else self.tf_flops + o.tf_flops
        return Ops(self.macs + o.macs, self.other + o.other, tf)

    __radd__ = __add__

    def __mul__(self, k: Any) -> Ops:
        if isinstance(k, Ops):
            return NotImplemented
        return Ops(self.macs * k, self.other * k, None if self.tf is None else self.tf * k)

    __rmul__ = __mul__


NONE = Ops()


def mac(n: Any) -> Ops:
    """Kernel multiply-adds."""
    return Ops(n, 0)


def ew(n: Any, tf: Any = None) -> Ops:
    """Element-wise operations (``tf``: the profiler's count, when it is not ``n``)."""
    return Ops(0, n, tf)


#: a cost rule: (layer, input shapes, output shape(s)) -> Ops; sizes are never None here
Rule = Callable[[Any, list[Shape], Any], Ops]

#: rules by the place of the class they cost: "conv.Conv" (the family module under
#: archcalc.layers, and the class), or "module.Class" in full for a class elsewhere
RULES: dict[str, Rule] = {}


def rule_key(cls: type) -> str:
    """Where a class lives, as :data:`RULES` names it: ``"conv.Conv"``."""
    return f"{cls.__module__.removeprefix('archcalc.layers.')}.{cls.__qualname__}"


def cost_rule(*types: type[LayerType] | str) -> Callable[[Rule], Rule]:
    """Register the decorated function as the cost rule of these classes, given by place
    (``"core.Dense"``: nothing is imported) or as the classes themselves; their subclasses
    inherit it, unless a subclass defines its own. A class may instead define
    ``cost(self, inputs, output)`` in its own body; a class has one rule either way."""

    def register(func: Rule) -> Rule:
        for t in types:
            key = t if isinstance(t, str) else rule_key(t)
            own = None if isinstance(t, str) else t.__dict__.get("cost")
            if own is not None or key in RULES:
                raise ValueError(f"{key} already has a cost rule: {(own or RULES[key]).__name__}")
            RULES[key] = func
        return func

    return register


def rule_for(cls: type) -> Rule | None:
    """The cost rule of ``cls``: its own ``cost`` method or registered rule, else its nearest
    base class's; None when there is none."""
    for c in getattr(cls, "__mro__", ()):
        if c is LayerType:
            return None
        own = c.__dict__.get("cost")
        if own is not None and callable(own):
            return own  # type: ignore[no-any-return]
        rule = RULES.get(rule_key(c))
        if rule is not None:
            return rule
    return None


@dataclass(frozen=True)
class LayerCost:
    """One layer's cost for one sample. Every figure is None when no rule covers the layer."""

    macs: Any
    other_ops: Any = 0
    #: an axis of unknown size (a sequence length) was counted as 1
    per_step: bool = False
    tf: Any = None

    @property
    def flops(self) -> Any:
        return None if self.macs is None else 2 * self.macs + self.other_ops

    @property
    def tf_flops(self) -> Any:
        """FLOPs as TensorFlow's profiler counts them (see the module docstring)."""
        return self.flops if self.tf is None else self.tf

    def flops_for(self, convention: str = "archcalc") -> Any:
        return self.tf_flops if convention == "tf-profiler" else self.flops

    @classmethod
    def of(cls, ops: Ops | None, per_step: bool = False) -> LayerCost:
        if ops is None:
            return cls(None, None, per_step)
        return cls(ops.macs, ops.other, per_step, ops.tf)


@dataclass
class ModelCost:
    """Every layer's cost, by node name, and the totals."""

    layers: dict[str, LayerCost] = field(default_factory=dict)

    def _sum(self, attr: str) -> Any:
        return sum((getattr(c, attr) for c in self.layers.values() if c.macs is not None), 0)

    @property
    def macs(self) -> Any:
        return self._sum("macs")

    @property
    def other_ops(self) -> Any:
        return self._sum("other_ops")

    @property
    def flops(self) -> Any:
        return 2 * self.macs + self.other_ops

    @property
    def tf_flops(self) -> Any:
        return self._sum("tf_flops")

    def flops_for(self, convention: str = "archcalc") -> Any:
        return self.tf_flops if convention == "tf-profiler" else self.flops

    @property
    def per_step(self) -> bool:
        return any(c.per_step for c in self.layers.values())

    @property
    def uncounted(self) -> list[str]:
        """Layers no rule covers (their cost is missing from the totals)."""
        return [name for name, c in self.layers.items() if c.macs is None]


def model_cost(analysis: Any) -> ModelCost:
    """The cost of every row of an :class:`archcalc.engine.Analysis`."""
    out = ModelCost()
    for row in analysis.rows:
        out.layers[row.name] = row_cost(row)
    return out


def row_cost(row: Any) -> LayerCost:
    """The cost of one engine row (an input costs nothing)."""
    layer = row.node.layer
    if layer is None:
        return LayerCost(0)
    return layer_cost(layer, row.input_shapes, row.output_shape)


def layer_cost(layer: LayerType, inputs: list[Shape], output: Shape | list[Shape]) -> LayerCost:
    """The cost of one layer call, from its input and output shapes (batch axis included)."""
    rule = rule_for(type(layer))
    if rule is None:
        return LayerCost.of(None)
    outs = _as_list(output)
    unknown = any(None in s[1:] for s in inputs) or any(None in s[1:] for s in outs)
    if not unknown:  # the common case: every size known, only the batch axis to set
        return LayerCost.of(rule(layer, inputs, output))
    ins = [_known(s) for s in inputs]
    out = [_known(s) for s in output] if isinstance(output, list) else _known(output)
    return LayerCost.of(rule(layer, ins, out), True)


def ops_of(layer: LayerType, inputs: list[Shape]) -> Ops:
    """The cost of a layer on known input shapes (used for wrapped layers)."""
    rule = rule_for(type(layer))
    if rule is None:
        raise LookupError(f"no cost rule for {type(layer).__name__}")
    return rule(layer, inputs, layer.output_shape(inputs))


def _as_list(shape: Any) -> list[Shape]:
    return shape if isinstance(shape, list) else [shape]


def _known(shape: Shape) -> Shape:
    """Every unknown size counted as 1: the cost per unknown step. (Rules never read the
    batch axis: costs are per sample.)"""
    if not shape:  # a scalar (an op that reduced every axis)
        return shape
    return (shape[0], *(1 if d is None else d for d in shape[1:]))


def elements(shape: Shape) -> Any:
    """Number of values in one sample of a tensor."""
    return prod(shape[1:])


def activation_ops(name: str | None) -> int:
    """Operations per element of an activation function: 0 for linear, 3 for softmax."""
    if name in (None, "linear"):
        return 0
    if name in ("softmax", "log_softmax"):
        return 3
    return 1


#: what TensorFlow's profiler counts per value of an activation it knows (Relu, Sigmoid and
#: Tanh have no registered flops; Softmax has 5); other activations: archcalc's count
TF_ACTIVATION_FLOPS = {None: 0, "linear": 0, "relu": 0, "relu6": 0, "sigmoid": 0, "tanh": 0, "softmax": 5}


def activation(name: str | None, n: Any) -> Ops:
    """An activation function on ``n`` values."""
    ops = n * activation_ops(name)
    tf = TF_ACTIVATION_FLOPS.get(name)
    return ew(ops, None if tf is None else n * tf)


def _bias_and_activation(layer: LayerType, out_elements: Any) -> Ops:
    c = layer.cfg
    bias = ew(out_elements if c.get("use_bias") else 0)
    return bias + activation(c.get("activation"), out_elements)


# --- core -----------------------------------------------------------------------------

@cost_rule("core.Dense")
def _dense(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Each output value: n_in multiply-adds; then its bias add and activation."""
    n = elements(output)
    return mac(n * inputs[0][-1]) + _bias_and_activation(layer, n)


@cost_rule("core.Embedding", "core.Identity")
def _free(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Lookups and data movement: no arithmetic."""
    return NONE


@cost_rule("core.Rescaling", "core.Normalization", "core.Masking")
def _one_per_element(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """x * scale + offset (Normalization folds mean and variance the same way); Masking
    compares each value with the mask value."""
    return ew(elements(output))


# --- activations and regularization -----------------------------------------------------

@cost_rule("activations.ReLU", "activations.LeakyReLU", "activations.ELU", "activations.PReLU")
def _elementwise(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    return ew(elements(output))


@cost_rule("activations.Activation")
def _activation(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    return activation(layer.cfg["activation"], elements(output))


@cost_rule("activations.Softmax")
def _softmax(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    return activation("softmax", elements(output))


@cost_rule(
    "regularization.Dropout", "regularization.SpatialDropout1D", "regularization.SpatialDropout2D", "regularization.SpatialDropout3D", "regularization.GaussianNoise",
    "regularization.GaussianDropout", "regularization.AlphaDropout", "regularization.ActivityRegularization",
)
def _inference_identity(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """The identity at inference."""
    return NONE


# --- convolutions -------------------------------------------------------------------------

@cost_rule("conv.Conv")
def _conv(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Per output position and filter: kernel area x (input channels / groups) multiply-adds."""
    c = layer.cfg
    _, ch = layer.split(inputs[0])
    out_spatial, filters = layer.split(output)
    positions = prod(out_spatial)
    macs = positions * filters * prod(c["kernel_size"]) * (ch // c["groups"])
    return mac(macs) + _bias_and_activation(layer, positions * filters)


@cost_rule("conv.DepthwiseConv")
def _depthwise(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Per output position and output channel (channel x depth_multiplier): kernel area."""
    out_spatial, out_ch = layer.split(output)
    n = prod(out_spatial) * out_ch
    return mac(n * prod(layer.cfg["kernel_size"])) + _bias_and_activation(layer, n)


@cost_rule("conv.SeparableConv")
def _separable(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """A depthwise pass (kernel area per intermediate value) then a 1x1 convolution."""
    c = layer.cfg
    _, ch = layer.split(inputs[0])
    out_spatial, filters = layer.split(output)
    positions = prod(out_spatial)
    mid = ch * c["depth_multiplier"]
    depthwise = positions * mid * prod(c["kernel_size"])
    pointwise = positions * mid * filters
    return mac(depthwise + pointwise) + _bias_and_activation(layer, positions * filters)


@cost_rule("conv.ConvTranspose")
def _conv_transpose(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Every input value is scattered through the kernel into every filter:
    input positions x input channels x kernel area x filters (dilation spreads, not adds)."""
    c = layer.cfg
    in_spatial, ch = layer.split(inputs[0])
    out_spatial, filters = layer.split(output)
    macs = prod(in_spatial) * ch * prod(c["kernel_size"]) * filters
    return mac(macs) + _bias_and_activation(layer, prod(out_spatial) * filters)


# --- pooling --------------------------------------------------------------------------

@cost_rule("pooling.Pooling")
def _pooling(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """One compare (max) or add (average) per window element and output value, as
    TensorFlow's profiler counts; windows cut by 'same' padding count in full."""
    pool, _, _, _ = layer.window()
    return ew(elements(output) * prod(pool))


@cost_rule("pooling.GlobalPooling")
def _global_pooling(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Every input value is read once (a compare or an add). TensorFlow's profiler counts
    the average's Mean (one per input value) but nothing for Max."""
    from archcalc.layers import pooling as P  # loaded already: the layer is one of its classes

    n = elements(inputs[0])
    is_max = isinstance(layer, (P.GlobalMaxPooling1D, P.GlobalMaxPooling2D, P.GlobalMaxPooling3D))
    return ew(n, 0 if is_max else n)


# --- normalization ----------------------------------------------------------------------

@cost_rule("normalization.BatchNormalization")
def _batch_norm(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Inference: the moving statistics fold into one scale and shift per value.
    TensorFlow computes x * inv + (beta - mean * inv) with inv = rsqrt(var + eps) * gamma:
    2 per value and 5 per channel (6 with gamma; its Rsqrt counts 2)."""
    n = elements(output)
    axis = layer.cfg.get("axis", -1)
    channels = output[axis if isinstance(axis, int) else axis[0]]
    return ew(n, 2 * n + channels * (6 if layer.cfg["scale"] else 5))


@cost_rule("normalization.LayerNormalization", "normalization.GroupNormalization")
def _layer_norm(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Statistics are computed per sample: mean (1), variance (1), scale and shift (1);
    rms_scaling skips the mean."""
    per = 2 if layer.cfg.get("rms_scaling") else 3
    return ew(elements(output) * per)


@cost_rule("normalization.UnitNormalization")
def _unit_norm(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Sum of squares (1) and the division by the norm (1)."""
    return ew(elements(output) * 2)


# --- reshaping ----------------------------------------------------------------------------

@cost_rule("reshaping.Flatten", "reshaping.Reshape", "reshaping.Permute", "reshaping.RepeatVector", "reshaping.ZeroPadding", "reshaping.Cropping")
def _data_movement(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    return NONE


#: interpolation taps per output value of UpSampling2D (nearest copies)
_TAPS = {"nearest": 0, "bilinear": 4, "bicubic": 16, "lanczos3": 36, "lanczos5": 100}


@cost_rule("reshaping.UpSampling")
def _upsampling(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Nearest neighbour copies (0); an interpolation weighs its taps (bilinear 2x2 = 4, ...);
    'area' averages the size[0] x size[1] input values under each output value."""
    mode = layer.cfg.get("interpolation", "nearest")
    taps = prod(layer.cfg["size"]) if mode == "area" else _TAPS[mode]
    return ew(elements(output) * taps)


# --- merging ------------------------------------------------------------------------------

@cost_rule("merging.Add", "merging.Multiply", "merging.Maximum", "merging.Minimum")
def _reduce_merge(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """n inputs: n - 1 adds (multiplies, compares) per output value."""
    return ew(elements(output) * (len(inputs) - 1))


@cost_rule("merging.Subtract")
def _subtract(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    return ew(elements(output))


@cost_rule("merging.Average")
def _average(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """n - 1 adds and one multiply by 1/n per output value."""
    return ew(elements(output) * len(inputs))


@cost_rule("merging.Concatenate")
def _concatenate(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    return NONE


@cost_rule("merging.Dot")
def _dot(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Each output value sums the products along the contracted axis (multiply-adds);
    normalize=True first L2-normalises both inputs (sum of squares and division: 2 per value)."""
    a = inputs[0]
    axes = layer.cfg["axes"]
    axis = axes if isinstance(axes, int) else axes[0]
    contracted = a[axis % len(a)]
    if contracted is None:  # axes=0 contracts the batch axis (Keras builds it): per sample, 1
        contracted = 1
    norm = 2 * (elements(inputs[0]) + elements(inputs[1])) if layer.cfg["normalize"] else 0
    return mac(elements(output) * contracted) + ew(norm)


# --- recurrent ------------------------------------------------------------------------------

def rnn_step_ops(layer: Any, n_in: Any, per_unit: Any) -> Ops:
    """One time step: gates x units x (inputs + units) multiply-adds; the bias adds (GRU's
    reset_after keeps two bias rows) and ``per_unit`` element-wise operations per unit."""
    u = layer.cfg["units"]
    gu = layer.GATES * u
    bias = gu * layer.bias_rows() if layer.cfg["use_bias"] else 0
    return mac(gu * (n_in + u)) + ew(bias + per_unit * u)


def _steps(inputs: list[Shape]) -> tuple[Any, Any]:
    """(sequence length, features) of a recurrent layer's input."""
    return inputs[0][1], inputs[0][2]


@cost_rule("recurrent.SimpleRNN")
def _simple_rnn(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """(one step) x (sequence length); the step's element-wise work is its activation."""
    steps, n_in = _steps(inputs)
    return steps * rnn_step_ops(layer, n_in, activation_ops(layer.cfg["activation"]))


#: LSTM per unit and step: 3 sigmoid gates + 2 tanh, c = f*c + i*g (2), h = o*tanh(c) (1)
LSTM_GATE_OPS = 8
#: GRU per unit and step: 2 sigmoid gates, x W + r*(h U) (1), tanh (1), h = z*h + (1-z)*h~ (3)
GRU_GATE_OPS = 7


@cost_rule("recurrent.LSTM")
def _lstm(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """(one step) x (sequence length)."""
    steps, n_in = _steps(inputs)
    return steps * rnn_step_ops(layer, n_in, LSTM_GATE_OPS)


@cost_rule("recurrent.GRU")
def _gru(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """(one step) x (sequence length)."""
    steps, n_in = _steps(inputs)
    return steps * rnn_step_ops(layer, n_in, GRU_GATE_OPS)


#: merge_mode -> operations per merged value
_BIDI_MERGE = {"concat": 0, None: 0, "sum": 1, "mul": 1, "ave": 2}


@cost_rule("recurrent.Bidirectional")
def _bidirectional(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Both directions, plus the merge of their outputs (sum/mul 1, ave 2 per value)."""
    fw, bw = layer.cfg["layer"], layer.backward
    ops = ops_of(fw, inputs) + ops_of(bw, inputs)
    fw_out = fw.output_shape(inputs)
    first = fw_out[0] if isinstance(fw_out, list) else fw_out
    return ops + ew(elements(first) * _BIDI_MERGE[layer.cfg["merge_mode"]])


@cost_rule("recurrent.TimeDistributed")
def _time_distributed(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """The wrapped layer's cost on one step, times the number of steps."""
    shape = inputs[0]
    inner = (shape[0], *shape[2:])
    return shape[1] * ops_of(layer.cfg["layer"], [inner])


def _cell_step(cell: Any, n_in: Any) -> Ops:
    """One time step of a cell (a stack: each cell on the previous one's output)."""
    from archcalc.layers import rnn_cells as RC  # loaded already: the cell is one of its classes

    total = NONE
    for c in cell.cells():
        if isinstance(c, RC.LSTMCell):
            per_unit = LSTM_GATE_OPS
        elif isinstance(c, RC.GRUCell):
            per_unit = GRU_GATE_OPS
        else:
            per_unit = activation_ops(c.cfg["activation"])
        total = total + rnn_step_ops(c, n_in, per_unit)
        n_in = c.units
    return total


@cost_rule("rnn_cells.GenericRNN")
def _generic_rnn(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """(one step of the cell, as the matching layer counts it) x (sequence length)."""
    steps, n_in = _steps(inputs)
    return steps * _cell_step(layer.cfg["cell"], n_in)


@cost_rule("rnn_cells.Cell")
def _cell(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """A cell called by the program with its states: one time step (inside RNN it is counted
    there; without states it is refused before any cost is asked)."""
    return _cell_step(layer, inputs[0][-1]) if len(inputs) > 1 else NONE


@cost_rule("rnn_cells.ConvLSTM")
def _conv_lstm(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Per step and output position: 4F gate values, each a window of K x C input values and
    K x F state values (multiply-adds), a bias add, and LSTM's 8 element-wise operations per
    filter."""
    c = layer.cfg
    state = layer.state_shape(inputs[0])
    _, ch = layer.split(layer.step_shape(inputs[0]))
    spatial, f = layer.split(state)
    positions = prod(spatial)
    area = prod(c["kernel_size"])
    gates = positions * 4 * f
    other = (gates if c["use_bias"] else 0) + positions * f * LSTM_GATE_OPS
    return inputs[0][1] * (mac(gates * area * (ch + f)) + ew(other))


# --- attention ------------------------------------------------------------------------------

@cost_rule("attention.EinsumDense")
def _einsum_dense(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Each output value sums the products over the contracted axes; bias and activation."""
    from archcalc.layers import attention as T  # loaded already: the layer is one of its classes

    kernel, bias, _ = layer.analysis(inputs[0])
    n = elements(output)
    macs = n * T.einsum_contracted(layer.cfg["equation"], inputs[0], kernel)
    return mac(macs) + ew(n if bias is not None else 0) + activation(layer.cfg["activation"], n)


def attention_parts(layer: Any, inputs: list[Shape]) -> dict[str, Ops]:
    """MultiHeadAttention / GroupQueryAttention cost, part by part (summed by the rule):

    - each projection: positions x input features x heads x head size multiply-adds, + one
      bias add per value;
    - the query scaled by 1/sqrt(head size): one multiply per projected query value;
    - Q.K^T: one multiply-add per score and head-size channel (scores x key size);
    - softmax over the scores: 3 per score;
    - A.V: scores x value size multiply-adds;
    - the output projection: query positions x heads x value size x output features, + bias;
    - use_gate: a sigmoid and a multiply per attended value.
    """
    from archcalc.layers import attention as T  # loaded already: the layer is one of its classes

    q, v, k = layer.check(inputs)
    source = {"query": q, "gate": q, "key": k, "value": v}
    bias = 1 if layer.cfg["use_bias"] else 0
    parts: dict[str, Ops] = {}
    for name, n_in, _size, dims in layer.projections(inputs):
        values = prod(source[name][1:-1]) * prod(dims)
        parts[f"{name} projection"] = mac(values * n_in) + ew(bias * values)
    if isinstance(layer, T.MultiHeadAttention):
        heads, dk, dv = layer.cfg["num_heads"], layer.cfg["key_dim"], layer.value_size
        scores = prod(layer.scores_shape(q, k)[1:])
        out_dims = prod(layer.output_size(q))
    else:
        heads = layer.cfg["num_query_heads"]
        dk = dv = layer.cfg["head_dim"]
        scores = heads * q[1] * k[1]
        out_dims = q[-1]
    q_positions = prod(q[1:-1])
    attended = q_positions * heads * dv
    parts["query scaling"] = ew(q_positions * heads * dk)
    parts["Q.K^T"] = mac(scores * dk)
    parts["softmax"] = activation("softmax", scores)
    parts["A.V"] = mac(scores * dv)
    if layer.cfg["use_gate"]:
        parts["gate"] = ew(2 * attended)
    parts["output projection"] = mac(q_positions * out_dims * heads * dv) + ew(q_positions * out_dims * bias)
    return parts


@cost_rule("attention.MultiHeadAttention", "attention.GroupQueryAttention")
def _multi_head_attention(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """The sum of :func:`attention_parts`: projections, Q.K^T, softmax, A.V, output."""
    return sum(attention_parts(layer, inputs).values(), NONE)


@cost_rule("attention.Attention")
def _attention(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Scores over (query steps x key steps) per leading position: dot mode one multiply-add
    per feature (concat mode: add, tanh and sum, 3 element-wise per feature), x scale
    (1 per score), the softmax (3 per score) and A.V (value features per score)."""
    q, v, k = layer.check(inputs)
    scores = prod(q[1:-1]) * k[-2]
    dot = layer.cfg.get("score_mode", "dot") == "dot"
    scale = 1 if layer.cfg["use_scale"] or not dot else 0
    score_ops = mac(scores * q[-1]) if dot else ew(scores * 3 * q[-1])
    return score_ops + ew(scores * scale) + activation("softmax", scores) + mac(scores * v[-1])


@cost_rule("attention.AdditiveAttention")
def _additive_attention(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Per score and feature: the add, the tanh and the sum (with use_scale a multiply-add
    with the scale); then the softmax (3 per score) and A.V (value features per score)."""
    q, v, k = layer.check(inputs)
    scores = prod(q[1:-1]) * k[-2]
    per_feature = mac(scores * q[-1]) + ew(scores * 2 * q[-1]) if layer.cfg["use_scale"] \
        else ew(scores * 3 * q[-1])
    return per_feature + activation("softmax", scores) + mac(scores * v[-1])


# --- preprocessing, augmentation and the other Keras 3 layers ---------------------------------

@cost_rule("augmentation.ImageLayer", "augmentation.MaxNumBoundingBoxes", "augmentation.CenterCrop", "augmentation.RandomCrop")
def _augmentation(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Random augmentation is the identity at inference; crops move data."""
    return NONE


@cost_rule("augmentation.ImageTransform")
def _image_transform(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """A deterministic transform (contrast, equalisation, solarisation): one per value."""
    return ew(elements(output))


@cost_rule("augmentation.Resizing")
def _resizing(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Interpolation taps per output value, as UpSampling2D counts them ('area' averages the
    input values under each output value)."""
    mode = layer.cfg["interpolation"]
    if mode == "area":
        return ew(elements(inputs[0]))
    return ew(elements(output) * _TAPS[mode])


@cost_rule("preprocessing.Preprocessing")
def _lookup(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Lookups, hashing and encodings: no arithmetic."""
    return NONE


@cost_rule("preprocessing.MelSpectrogram")
def _mel(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Per frame: the FFT's (fft_length / 2) x log2(fft_length) butterflies and the power of
    each of the fft_length / 2 + 1 bins (element-wise), then the mel filter bank (bins x mel
    bins multiply-adds)."""
    fft = layer.cfg["fft_length"]
    bins = fft // 2 + 1
    log2 = max(1, (fft - 1).bit_length())
    frames = output[2]
    return frames * (ew((fft // 2) * log2 + bins) + mac(bins * layer.cfg["num_mel_bins"]))


@cost_rule("preprocessing.STFTSpectrogram")
def _stft(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """A strided convolution per channel: frames x frame_length x bins per DFT kernel."""
    ch = inputs[0][2] if layer.cfg.get("data_format") in (None, "channels_last") else inputs[0][1]
    frames = output[1] if layer.cfg.get("data_format") in (None, "channels_last") else output[-1]
    if layer.cfg["expand_dims"] and layer.cfg.get("data_format") == "channels_first":
        frames = output[2]
    kernels = len(layer.weights(inputs))
    return mac(frames * ch * layer.cfg["frame_length"] * layer.bins() * kernels)


@cost_rule("adaptive_pooling.AdaptivePooling")
def _adaptive_pooling(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Every input value is read about once per window covering it (a compare or an add):
    counted as one per input value."""
    return ew(elements(inputs[0]))


@cost_rule("language.ReversibleEmbedding")
def _reversible_embedding(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """A lookup (0), or with reverse=True a projection onto the vocabulary (multiply-adds)."""
    if not layer.cfg["reverse"]:
        return NONE
    return mac(elements(output) * inputs[0][-1])


@cost_rule("language.RMSNormalization")
def _rms_norm(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Sum of squares (1) and the scaled division (1) per value."""
    return ew(elements(output) * 2)


@cost_rule("wrappers.Lambda")
def _lambda(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """The function is never run: its cost is unknown and counted as 0."""
    return NONE


@cost_rule("wrappers.SpectralNormalization")
def _spectral_norm(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """The wrapped layer at inference (the normalised kernel is fixed)."""
    return ops_of(layer.inner, inputs)


@cost_rule("wrappers.Pipeline")
def _pipeline(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """The sum of its layers' costs."""
    return sum((ops_of(lay, shapes) for lay, shapes in layer.steps(inputs)), NONE)

# --- tensor operations (archcalc.layers.ops, by family module) --------------------------------

#: operations per element of the element-wise ops that are not 1 (softmax: exp, sum, divide)
_OP_ELEMENT_COST = {"softmax": 3, "log_softmax": 3, "clip": 2, "normalize": 2}


@cost_rule("ops.elementwise.Unary", "ops.elementwise.Binary", "ops.elementwise.Where")
def _op_elementwise(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """One operation per output value (an activation, an add, a compare, a select); softmax 3,
    clip 2 (a compare with each bound), normalize 2 (sum of squares, division)."""
    return ew(elements(output) * _OP_ELEMENT_COST.get(layer.op_name, 1))


@cost_rule("ops.elementwise.Passthrough")
def _op_free(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Pass-through, conversion and fill: no arithmetic."""
    return NONE


@cost_rule("ops.elementwise.Cumsum")
def _op_cumsum(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """One add per value."""
    return ew(elements(output))


@cost_rule("ops.reductions.Reduce")
def _op_reduce(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Every input value is read once (an add, a multiply or a compare), as for global pooling.
    Costs are per sample: a reduction over the batch axis counts one sample's values."""
    return ew(elements(inputs[0]))


@cost_rule("ops.reductions.Mean")
def _op_mean(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """The sum (one add per input value), then one division per output value."""
    return ew(elements(inputs[0]) + elements(output))


@cost_rule("ops.reductions.Var")
def _op_var(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """The mean (inputs + outputs), each squared deviation (2 per input: subtract, multiply-add),
    the division (1 per output) and, for std, the square root (1 per output)."""
    from archcalc.layers.ops.reductions import Std  # loaded already: the op is one of its kind

    extra = 1 if isinstance(layer, Std) else 0
    return ew(3 * elements(inputs[0]) + (2 + extra) * elements(output))


@cost_rule("ops.movement.DataMovement")
def _op_data_movement(layer: Any, inputs: list[Shape], output: Any) -> Ops:
    """Reshapes, transposes, slices, concatenations, tiling, one-hot: data movement only."""
    return NONE


@cost_rule("ops.products.Matmul")
def _op_matmul(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Each output value sums the products along the contracted axis: multiply-adds, as for
    Dense (fvcore and the papers count a matmul's products the same way)."""
    k = layer.contracted(inputs)
    return mac(elements(output) * (1 if k is None else k))


@cost_rule("ops.image.Resize")
def _op_resize(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """Interpolation taps per output value, as UpSampling2D (nearest 0, bilinear 4, bicubic
    16, lanczos3 36, lanczos5 100); 'area' reads every input value once; TensorFlow's gaussian
    and mitchellcubic kernels count 16."""
    mode = layer.cfg.get("interpolation", "bilinear")
    if mode == "area":
        return ew(elements(inputs[0]))
    return ew(elements(output) * _TAPS.get(mode, 16))


# --- display and budgets ----------------------------------------------------------------------

def parse_count(value: Any) -> int:
    """A count written for humans, as in a ``budget:`` block: 1500000, '1.5M', '2G', '300k'."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number such as 1.5M, got {value!r}")
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip().replace(",", "").replace("_", "")
    scales = {"k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}
    mult = 1
    if text and text[-1].lower() in scales:
        mult = scales[text[-1].lower()]
        text = text[:-1]
    try:
        return int(round(float(text) * mult))
    except ValueError:
        raise ValueError(f"expected a number such as 1.5M, got {value!r}") from None


# --- layers outside keras.layers ---------------------------------------------------------

# (a model used as a layer, archcalc.nested_model.NestedModel, costs what its layers cost:
# its own cost method, since it runs the engine)


def _custom_scale(layer: Any, inputs: list[Shape], output: Shape) -> Ops:
    """inputs[0] + inputs[1] * scale: one multiply and one add per value."""
    return ew(2 * elements(output))


cost_rule("nested.LayerScale")(_one_per_element)  # x * gamma
cost_rule("nested.StochasticDepth")(_inference_identity)
cost_rule("nested.CustomScaleLayer")(_custom_scale)
