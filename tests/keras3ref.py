"""Test helper for the Keras 3 families (attention, cells, preprocessing): build one layer
in real Keras the way it is called there, and compare with archcalc.

It extends :mod:`kerasref`: attention layers take their call arguments
(``return_attention_scores``, ``use_causal_mask``) at call time in Keras, and
MultiHeadAttention / GroupQueryAttention take the query, value and key as separate
arguments; text and lookup layers read string or integer inputs.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from kerasref import LayerResult, Refused, _count, _shape, archcalc_stack, describe

from archcalc.layers.registry import REGISTRY
from archcalc.readers.calls import Evaluator, func_name, parse_expr

#: the input dtype a first layer of this class reads
INPUT_DTYPES = {"TextVectorization": "string", "StringLookup": "string", "IntegerLookup": "int64"}


def keras_layer_and_call(text: str) -> tuple[Any, dict[str, Any], str]:
    """(Keras layer, its call keyword arguments, its class name) from archcalc call text."""
    import keras

    def make(call: ast.Call) -> Any:
        layer, _, _ = build(call)
        return layer

    def build(call: ast.Call) -> tuple[Any, dict[str, Any], str]:
        name = func_name(call)
        if name is None:
            raise ValueError(f"not a layer call: {ast.unparse(call)}")
        args, kwargs = ev.call_args(call)
        call_names = getattr(REGISTRY.get(name), "CALL_ARGS", frozenset())
        call_kw = {k: kwargs.pop(k) for k in list(kwargs) if k in call_names}
        if name == "Lambda" and not args and "function" not in kwargs:
            outs = kwargs.get("output_shape")
            several = isinstance(outs, list) and outs and isinstance(outs[0], tuple)
            # archcalc never reads a Lambda's function; Keras needs one
            args = [(lambda x: [x] * len(outs)) if several else (lambda x: x)]
        return getattr(keras.layers, name)(*args, **kwargs), call_kw, name

    ev = Evaluator(make_layer=make)
    expr = parse_expr(text)
    if not isinstance(expr, ast.Call):
        raise ValueError(f"not a layer call: {text}")
    return build(expr)


def keras_one(text: str, inputs: Any, run: bool = False) -> list[LayerResult] | Refused:
    """Build one layer in Keras on ``keras.Input`` tensors; with ``run``, the output shapes
    are those of running the model on zeros (batch 2) rather than Keras's symbolic ones."""
    import keras
    import numpy as np

    shapes = inputs if isinstance(inputs, list) else [inputs]
    try:
        layer, call_kw, name = keras_layer_and_call(text)
        dtype = INPUT_DTYPES.get(name, "float32")
        xs = [keras.Input(shape=tuple(s), dtype=dtype) for s in shapes]
        if getattr(REGISTRY.get(name), "SEPARATE_INPUTS", False):
            y = layer(*xs, **call_kw)
        else:
            y = layer(xs if isinstance(inputs, list) else xs[0], **call_kw)
    except Exception as e:  # noqa: BLE001  (any Keras error is a refusal)
        return Refused(0, f"{type(e).__name__}: {e}")
    out = _shape(y)
    if run:
        model = keras.Model(xs, y)
        data = [np.zeros((2, *s), "float32") for s in shapes]
        got = model(data if len(data) > 1 else data[0])
        got = got if isinstance(got, (list, tuple)) else [got]
        out = [(None, *t.shape[1:]) for t in got]
        out = out if len(out) > 1 else out[0]
    if isinstance(out, list):  # nested states (a stack of cells) flatten, as archcalc lists them
        out = _flatten(out)
    return [LayerResult(out, _count(layer.trainable_weights), _count(layer.non_trainable_weights))]


def _flatten(shapes: Any) -> list[tuple]:
    out: list[tuple] = []
    for s in shapes:
        if isinstance(s, (list, tuple)) and s and isinstance(s[0], (list, tuple)):
            out += _flatten(s)
        else:
            out.append(tuple(s))
    return out


def assert_same_one(text: str, inputs: Any, run: bool = False) -> list[LayerResult] | Refused:
    """Keras and archcalc agree on one layer (output shapes and both counts), or both refuse."""
    k = keras_one(text, inputs, run=run)
    a = archcalc_stack([text], inputs)
    msg = describe([text], inputs, k, a)
    if isinstance(k, Refused) or isinstance(a, Refused):
        assert isinstance(k, Refused) and isinstance(a, Refused), msg
    else:
        assert k == a, msg
    return k


def keras_model_counts(model: Any) -> tuple[int, int]:
    """(trainable, non-trainable) totals as model.summary() prints them."""
    return _count(model.trainable_weights), _count(model.non_trainable_weights)


def spec_inputs(inputs: Sequence[Any]) -> Any:
    return list(inputs) if len(inputs) > 1 else inputs[0]
