"""Parameter-count derivations: the sum of the engine's weight shapes, on symbols, arranged
in the notes' forms ((inputs + 1) x units, (filter area x input channels + 1) x filters ...)."""

from __future__ import annotations

from typing import Any

import sympy as sp

from archcalc.explain.derivation import Derivation, check
from archcalc.explain.symbolic import Symbolic, symbolic_layer
from archcalc.layers import formulas as F
from archcalc.layers.attention import GroupQueryAttention, MultiHeadAttention
from archcalc.layers.base import LayerType, Shape, Weight
from archcalc.layers.conv import Conv, ConvTranspose, DepthwiseConv, SeparableConv
from archcalc.layers.core import Dense, Embedding
from archcalc.layers.recurrent import GRU, RNN, Bidirectional, TimeDistributed
from archcalc.layers.rnn_cells import ConvLSTM


def _powers(dims: tuple) -> list[Any]:
    """(K, K, C, F) -> [K^2, C, F]: the notes write the filter area as 5^2."""
    out: list[Any] = []
    i = 0
    while i < len(dims):
        j = i
        while j + 1 < len(dims) and dims[j + 1] == dims[i] and getattr(dims[i], "is_Symbol", False):
            j += 1
        with sp.evaluate(False):
            out.append(sp.Pow(dims[i], j - i + 1) if j > i else dims[i])
        i = j + 1
    return out


def _raw(weights: list[Weight]) -> Any:
    """kernel + bias + ...: each weight's shape multiplied out, unevaluated."""
    with sp.evaluate(False):
        terms = [sp.Mul(*_powers(w.shape)) if len(w.shape) > 1 else (w.shape[0] if w.shape else sp.Integer(1))
                 for w in weights]
        return terms[0] if len(terms) == 1 else sp.Add(*terms)


def _u(*args: Any) -> Any:
    with sp.evaluate(False):
        return sp.Mul(*args)


def _a(*args: Any) -> Any:
    with sp.evaluate(False):
        return sp.Add(*args)


def _kernel_area(layer: LayerType) -> Any:
    k = layer.cfg["kernel_size"]
    if len(set(k)) == 1 and len(k) > 1:
        with sp.evaluate(False):
            return sp.Pow(k[0], len(k))
    return _u(*k) if len(k) > 1 else k[0]


def projection_forms(layer: LayerType, inputs: list[Shape]) -> list[tuple[str, Any]]:
    """MultiHeadAttention / GroupQueryAttention: (projection name, its count in the notes'
    form (inputs + 1) x heads x head size), one per EinsumDense Keras creates, the output
    projection last."""
    if not isinstance(layer, (MultiHeadAttention, GroupQueryAttention)):
        return []
    bias = layer.cfg["use_bias"]
    out = []
    for name, n_in, size, dims in layer.projections(inputs):
        heads = dims[0]
        out.append((name, _u(_a(n_in, 1), heads, size) if bias else _u(n_in, heads, size)))
    if isinstance(layer, MultiHeadAttention):
        heads, size, feats = layer.cfg["num_heads"], layer.value_size, list(layer.output_size(inputs[0]))
    else:
        heads, size, feats = layer.cfg["num_query_heads"], layer.cfg["head_dim"], [inputs[0][-1]]
    hv = _u(heads, size)
    out.append(("attention_output", _u(_a(hv, 1), *feats) if bias else _u(hv, *feats)))
    return out


def notes_form(layer: LayerType, inputs: list[Shape]) -> Any | None:
    """The notes' arrangement of the count for this layer type (None: no special form)."""
    c = layer.cfg
    projections = projection_forms(layer, inputs)
    if projections:
        return _a(*(form for _, form in projections))
    if isinstance(layer, ConvLSTM):  # 4 gates x filters x (window x (inputs + state) + bias)
        _, ch = layer.split(layer.step_shape(inputs[0]))
        f = c["filters"]
        window = _u(_kernel_area(layer), _a(ch, f))
        return _u(4, f, _a(window, 1)) if c["use_bias"] else _u(4, f, window)
    if isinstance(layer, TimeDistributed):  # the inner layer on one step: its own count
        return notes_form(c["layer"], [(s[0], *s[2:]) for s in inputs])
    if isinstance(layer, Bidirectional):
        inner = notes_form(c["layer"], inputs)
        if c["backward_layer"] is None and inner is not None:
            return _u(2, inner)
        return None
    if isinstance(layer, RNN):
        n, u = inputs[0][-1], c["units"]
        gates = layer.GATES
        rows = layer.bias_rows() if c["use_bias"] else 0
        body = _a(n, u, rows) if rows else _a(n, u)
        return _u(u, body) if gates == 1 else _u(gates, u, body)
    if isinstance(layer, Dense):
        n = inputs[0][-1]
        return _u(_a(n, 1), c["units"]) if c["use_bias"] else _u(n, c["units"])
    if isinstance(layer, Embedding):
        return _u(c["input_dim"], c["output_dim"])
    if isinstance(layer, SeparableConv):
        _, ch = layer.split(inputs[0])
        dm, f = c["depth_multiplier"], c["filters"]
        depthwise = _u(_kernel_area(layer), ch, dm)
        pointwise = _u(_a(_u(ch, dm), 1), f) if c["use_bias"] else _u(ch, dm, f)
        return _a(depthwise, pointwise)
    if isinstance(layer, DepthwiseConv):
        _, ch = layer.split(inputs[0])
        dm = c["depth_multiplier"]
        return _u(_a(_kernel_area(layer), 1), ch, dm) if c["use_bias"] else _u(_kernel_area(layer), ch, dm)
    if isinstance(layer, (Conv, ConvTranspose)):
        _, ch = layer.split(inputs[0])
        groups = c.get("groups", 1)
        per = ch if groups == 1 else F.floor_div(ch, groups)
        area = _u(_kernel_area(layer), per)
        return _u(_a(area, 1), c["filters"]) if c["use_bias"] else _u(area, c["filters"])
    return None


def _notes(layer: LayerType, inputs: list[Shape], values: dict) -> list[str]:
    inner = layer.cfg["layer"] if isinstance(layer, Bidirectional) else layer
    out = []
    if isinstance(inner, GRU) and inner.cfg["reset_after"] and inner.cfg["use_bias"]:
        n, u = [int(sp.sympify(x).xreplace(values)) for x in (inputs[0][-1], inner.cfg["units"])]
        notes_value = F.rnn_params(n, u, gates=3, bias_rows=1)
        keras_value = F.rnn_params(n, u, gates=3, bias_rows=2)
        times = 2 if isinstance(layer, Bidirectional) else 1
        out.append(
            "Keras's GRU defaults to reset_after=True, which keeps a second bias row (input and "
            "recurrent biases): 3 x units x (input_dim + units + 2). The notes' "
            f"3 x units x (input_dim + units + 1) = {times * notes_value:,} is GRU(reset_after=False); "
            f"Keras builds {times * keras_value:,}."
        )
    if isinstance(layer, Bidirectional):
        out.append("Bidirectional runs the layer forwards and backwards: the parameters are doubled.")
    return out


def _projection_derivations(layer: LayerType, inputs: list[Shape], s: Symbolic) -> list[Derivation]:
    """One derivation per attention projection: its kernel and bias, in the notes' form, and
    the engine's number for those weights."""
    numbers: dict[str, Any] = {}
    for w in layer.weights(inputs):
        group = w.name.split("/")[0]
        numbers[group] = numbers.get(group, 0) + w.size
    symbolic: dict[str, list[Weight]] = {}
    for w in s.layer.weights(s.inputs):
        symbolic.setdefault(w.name.split("/")[0], []).append(w)
    out = []
    for name, form in projection_forms(s.layer, s.inputs):
        raw = _raw(symbolic[name])
        what = "output projection" if name == "attention_output" else f"{name} projection"
        forms = [raw] + ([form] if form != raw else [])
        d = Derivation(what, forms, dict(s.values), numbers[name], dict(s.legend), part_of="parameters")
        out.append(check(d, numbers[name]))
    if out:
        out[-1].notes = ["Keras gives every head its own query, key and value projection "
                         "(features x heads x head size, plus a heads x head size bias)"]
    return out


#: derivations already made, by layer call, input shapes and counts: a deep model repeats
#: the same layer many times, and each derivation costs sympy several milliseconds
_MADE: dict[tuple, list[Derivation]] = {}


def param_derivations(layer: LayerType, inputs: list[Shape], trainable: Any, non_trainable: Any,
                      ) -> list[Derivation]:
    """Derivations of the trainable and non-trainable counts (the engine's numbers)."""
    try:
        key: tuple | None = (type(layer), layer.call_repr(), repr(inputs), repr(trainable), repr(non_trainable),
                             layer.trainable)
        hash(key)
    except TypeError:  # an unhashable argument: derive afresh
        key = None
    if key is not None and key in _MADE:
        return [d.copy() for d in _MADE[key]]
    out = _param_derivations(layer, inputs, trainable, non_trainable)
    if key is not None and len(_MADE) < 4096:
        _MADE[key] = [d.copy() for d in out]
    return out


def _param_derivations(layer: LayerType, inputs: list[Shape], trainable: Any, non_trainable: Any,
                       ) -> list[Derivation]:
    if not layer.weights(inputs):
        return []
    s: Symbolic = symbolic_layer(layer, inputs)
    weights = s.layer.weights(s.inputs)
    on = layer.trainable
    groups = [("parameters", [w for w in weights if w.trainable and on], trainable),
              ("non-trainable parameters", [w for w in weights if not (w.trainable and on)], non_trainable)]
    if groups[1][1] and groups[0][1]:
        groups[0] = ("trainable parameters",) + groups[0][1:]
    out = _projection_derivations(layer, inputs, s) if on else []
    for quantity, ws, number in groups:
        if not ws:
            continue
        raw = _raw(ws)
        total = sp.expand(sum((F.prod(w.shape) for w in ws), sp.Integer(0)))
        forms = [raw]
        form = notes_form(s.layer, s.inputs) if quantity != "non-trainable parameters" else None
        if form is None:
            form = sp.factor(total)
        if sp.expand(sp.sympify(form).doit() - total) == 0 and form != raw:
            forms.append(form)
        d = Derivation(quantity, forms, dict(s.values), number, dict(s.legend))
        if quantity == "parameters" and len(out) > 1:  # attention: the projections' sum
            d.steps = [_a(*(sp.Integer(p.value) for p in out))]
        if quantity != "non-trainable parameters":
            d.notes = _notes(s.layer, s.inputs, s.values) if quantity != "non-trainable parameters" else []
        elif not on:
            d.notes = ["the layer is frozen (trainable=False): all its weights are non-trainable"]
        else:
            d.notes = ["statistics updated during training, not by the optimizer: "
                       + ", ".join(w.name for w in ws)]
        out.append(check(d, number))
    return out
