"""Test helper: build the same layer stack in real Keras and in archcalc, and compare.

A layer is given as archcalc call text (``"Conv2D(8, 3, padding='same')"``). Keras gets
it through archcalc's own safe call parser (:class:`archcalc.readers.calls.Evaluator`), with
nested calls (``Bidirectional(LSTM(8))``) turned into nested Keras layers, so both sides
read exactly the same arguments. Models are only built, never run.

Both sides report a list of :class:`LayerResult` (one per call text, in order) or a
refusal: Keras refuses with any exception raised while constructing or calling a layer;
archcalc with an :class:`archcalc.errors.ArchcalcError`.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from archcalc.errors import ArchcalcError
from archcalc.readers.calls import Evaluator, func_name, parse_expr

Shape = tuple  # without the batch axis; None for an unknown size


@dataclass(frozen=True)
class LayerResult:
    """One layer's output shape(s) (batch axis included) and parameter counts."""

    output: Any  # tuple, or a list of tuples for a layer with several outputs
    trainable: int
    non_trainable: int


@dataclass(frozen=True)
class Refused:
    """The side refused to build the stack, at layer ``index`` (-1: before any layer)."""

    index: int
    error: str


def _keras():
    import keras

    return keras


def keras_layer(text: str) -> Any:
    """A Keras layer instance from archcalc call text (nested layer calls included)."""
    keras = _keras()

    def make(call: ast.Call) -> Any:
        name = func_name(call)
        if name is None:
            raise ValueError(f"not a layer call: {ast.unparse(call)}")
        args, kwargs = ev.call_args(call)
        if name == "Lambda" and not args and "function" not in kwargs:
            args = [lambda x: x]  # archcalc never reads a Lambda's function; Keras needs one
        return getattr(keras.layers, name)(*args, **kwargs)

    ev = Evaluator(make_layer=make)
    expr = parse_expr(text)
    if not isinstance(expr, ast.Call):
        raise ValueError(f"not a layer call: {text}")
    return make(expr)


def _count(weights: Sequence[Any]) -> int:
    total = 0
    for w in weights:
        n = 1
        for d in w.shape:
            n *= int(d)
        total += n
    return total


def _shape(t: Any) -> Any:
    if isinstance(t, (list, tuple)) and t and not isinstance(t[0], (int, type(None))):
        return [_shape(x) for x in t]
    return tuple(None if d is None else int(d) for d in t.shape)


def keras_stack(calls: Sequence[str], inputs: Shape | list[Shape], model: bool = True) -> list[LayerResult] | Refused:
    """Build ``calls`` one after the other in Keras on ``keras.Input(shape)``.

    ``inputs`` is one shape, or a list of shapes for a first layer that takes several
    inputs (a merge). With ``model`` the stack is also wrapped in a ``keras.Model``.
    """
    keras = _keras()
    if isinstance(inputs, list):
        xs = [keras.Input(shape=tuple(s)) for s in inputs]
        x: Any = xs
    else:
        xs = [keras.Input(shape=tuple(inputs))]
        x = xs[0]
    out: list[LayerResult] = []
    for i, text in enumerate(calls):
        try:
            layer = keras_layer(text)
            # MultiHeadAttention and GroupQueryAttention take query, value, key as arguments
            x = layer(*x) if isinstance(x, list) and _separate_inputs(text) else layer(x)
        except Exception as e:  # noqa: BLE001  (any Keras error is a refusal)
            return Refused(i, f"{type(e).__name__}: {e}")
        out.append(
            LayerResult(_shape(x), _count(layer.trainable_weights), _count(layer.non_trainable_weights))
        )
    if model:
        m = keras.Model(xs if len(xs) > 1 else xs[0], x)
        assert _count(m.weights) == sum(r.trainable + r.non_trainable for r in out)
    return out


def _separate_inputs(text: str) -> bool:
    from archcalc.layers.registry import REGISTRY

    cls = REGISTRY.get(text.split("(", 1)[0].strip())
    return bool(getattr(cls, "SEPARATE_INPUTS", False))


def spec_text(calls: Sequence[str], inputs: Shape | list[Shape]) -> str:
    """An archcalc YAML spec: layers named l0, l1, ...; several inputs named in0, in1, ..."""

    def shape(s: Shape) -> str:
        return json.dumps(list(s))

    lines = []
    if isinstance(inputs, list):
        lines.append("input:")
        lines += [f"  in{i}: {shape(s)}" for i, s in enumerate(inputs)]
        refs = "[" + ", ".join(f"in{i}" for i in range(len(inputs))) + "]"
        calls = [f"{calls[0]}({refs})", *calls[1:]]
    else:
        lines.append(f"input: {shape(inputs)}")
    lines.append("layers:")
    lines += [f"  - l{i}: {json.dumps(c)}" for i, c in enumerate(calls)]
    return "\n".join(lines) + "\n"


def archcalc_stack(calls: Sequence[str], inputs: Shape | list[Shape]) -> list[LayerResult] | Refused:
    """Analyse the same stack with archcalc (through the YAML spec front-end)."""
    from archcalc.engine import analyze
    from archcalc.readers.yaml_spec import load_text

    text = spec_text(calls, inputs)
    try:
        analysis = analyze(load_text(text, "parity.yaml"))
    except ArchcalcError as e:
        return Refused(_failing_index(e, text), f"{type(e).__name__}: {e.message}")
    out = []
    for i in range(len(calls)):
        row = analysis.by_name[f"l{i}"]
        shape = row.output_shape
        out.append(LayerResult(shape if isinstance(shape, list) else tuple(shape),
                               row.trainable_params, row.non_trainable_params))
    return out


def _failing_index(e: ArchcalcError, text: str) -> int:
    """Which entry (l0, l1, ...) the error names, by layer name or else by spec line."""
    if e.layer and e.layer.startswith("l") and e.layer[1:].isdigit():
        return int(e.layer[1:])
    if e.loc is not None and e.loc.line:
        line = text.splitlines()[e.loc.line - 1].strip()
        head = line[2:].split(":", 1)[0] if line.startswith("- l") else ""
        if head[1:].isdigit():
            return int(head[1:])
    return -1


def compare(calls: Sequence[str], inputs: Shape | list[Shape], model: bool = True) -> tuple[list[LayerResult] | Refused, list[LayerResult] | Refused]:
    """(keras result, archcalc result) for the same stack."""
    return keras_stack(calls, inputs, model=model), archcalc_stack(calls, inputs)


def describe(calls: Sequence[str], inputs: Shape | list[Shape], k: Any, a: Any) -> str:
    """A readable mismatch report for assertion messages."""
    lines = [f"input {inputs}"]
    for i, c in enumerate(calls):
        kk = k[i] if isinstance(k, list) else ("REFUSED" if k.index == i else "")
        aa = a[i] if isinstance(a, list) else ("REFUSED" if a.index == i else "")
        lines.append(f"  l{i}: {c}\n      keras:    {kk}\n      archcalc: {aa}")
    for side, r in (("keras", k), ("archcalc", a)):
        if isinstance(r, Refused):
            lines.append(f"  {side} refused at l{r.index}: {r.error}")
    return "\n".join(lines)


def assert_same(calls: Sequence[str], inputs: Shape | list[Shape], model: bool = True) -> list[LayerResult] | Refused:
    """Both sides give identical per-layer results, or both refuse; returns Keras's result."""
    k, a = compare(calls, inputs, model=model)
    msg = describe(calls, inputs, k, a)
    if isinstance(k, Refused) or isinstance(a, Refused):
        assert isinstance(k, Refused) and isinstance(a, Refused), msg
        if a.index > k.index >= 0 and a.error.startswith("SpecError"):
            # archcalc checks every layer's arguments before any shape, Keras goes layer
            # by layer: drop the layer with the bad arguments and compare again
            return assert_same(calls[: a.index], inputs, model)
        assert a.index == k.index, "both refuse, but at different layers\n" + msg
    else:
        assert k == a, msg
    return k
