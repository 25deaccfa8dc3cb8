"""Parameter-count derivations: the sum of the engine's weight shapes, on symbols, arranged
in the notes' forms ((inputs + 1) x units, (filter area x input channels + 1) x filters ...)."""

from __future__ import annotations

from typing import Any

import sympy as sp

from archcalc.explain.derivation import Derivation, check
from archcalc.explain.symbolic import Symbolic, symbolic_layer
from archcalc.layers import formulas as F
from archcalc.layers.base import LayerType, Shape, Weight
from archcalc.layers.recurrent import GRU, Bidirectional


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


class _Arrange:
    """The arithmetic a layer's ``notes_params`` builds its form with: unevaluated sympy, so
    the product prints in the notes' order, ``(inputs + 1) × units``, and the filter area as
    ``5^2``."""

    @staticmethod
    def mul(*args: Any) -> Any:
        return _u(*args)

    @staticmethod
    def add(*args: Any) -> Any:
        return _a(*args)

    @staticmethod
    def area(kernel: Any) -> Any:
        k = tuple(kernel) if isinstance(kernel, (list, tuple)) else (kernel,)
        if len(set(k)) == 1 and len(k) > 1:
            with sp.evaluate(False):
                return sp.Pow(k[0], len(k))
        return _u(*k) if len(k) > 1 else k[0]


ARRANGE = _Arrange()


def projection_forms(layer: LayerType, inputs: list[Shape]) -> list[tuple[str, Any]]:
    """Attention layers: (projection name, its count in the notes' form), from the class."""
    return layer.notes_projections(inputs, ARRANGE)


def notes_form(layer: LayerType, inputs: list[Shape]) -> Any | None:
    """The notes' arrangement of the count, as the layer's class writes it (None: no form)."""
    return layer.notes_params(inputs, ARRANGE)


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
