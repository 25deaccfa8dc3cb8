"""Analyse a live Keras model object with archcalc's engine.

Sequential and functional models are read through their config (``model.to_json()``),
by the same reader as ``.json`` / ``.keras`` files, so shapes and counts come from the
engine, not from Keras. A subclassed model has no config graph; once built, its
``call()`` is traced on a symbolic ``keras.Input`` into a functional graph, which works
when ``call()`` only chains layers. When tracing fails, a SpecError says why and what to
do instead.
"""

from __future__ import annotations

import json
from typing import Any

from archcalc.errors import Location, SpecError
from archcalc.graph import Graph

from .build import import_keras

_HINT = ("archcalc reads Sequential and functional models; a subclassed model can be read "
         "when it is built and its call() only chains Keras layers. Otherwise write it with "
         "the functional API (keras.Input(...) then layers) or as a YAML spec")


def model_graph(model: Any) -> Graph:
    """The archcalc Graph of a live Keras model."""
    keras = import_keras()
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    where = Location(f"<keras model '{model.name}'>")
    if not model.built:
        raise SpecError(
            f"the Keras model '{model.name}' is not built yet, so its shapes are unknown",
            loc=where,
            hint="call it on data once, or model.build(input_shape), then analyse it",
        )
    functional = _as_functional(keras, model, where)
    from archcalc.readers.keras_json import load_config

    config = json.loads(functional.to_json())
    graph = load_config(config, str(where))
    graph.name = model.name
    return graph


def _is_graph_model(keras: Any, model: Any) -> bool:
    from keras.src.models.functional import Functional

    return isinstance(model, (keras.Sequential, Functional))


def _as_functional(keras: Any, model: Any, where: Location) -> Any:
    if _is_graph_model(keras, model):
        return model
    cls = type(model).__name__
    shapes = getattr(model, "_build_shapes_dict", None) or {}
    shape = next(iter(shapes.values()), None)
    if not isinstance(shape, (tuple, list)) or not all(isinstance(d, (int, type(None))) for d in shape):
        raise SpecError(
            f"cannot recover the layer graph of the subclassed model '{model.name}' ({cls}): "
            f"it was built with inputs archcalc cannot trace ({_describe(shapes)})",
            loc=where, hint=_HINT,
        )
    try:
        inputs = keras.Input(shape=tuple(shape[1:]))
        outputs = model.call(inputs)
        traced = keras.Model(inputs, outputs, name=model.name)
        traced.to_json()
    except Exception as e:  # noqa: BLE001  (any failure of the trace gets the same advice)
        raise SpecError(
            f"cannot recover the layer graph of the subclassed model '{model.name}' ({cls}): "
            f"tracing its call() failed: {type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}",
            loc=where, hint=_HINT,
        ) from None
    known = {id(lyr) for lyr in traced.layers}
    missing = [lyr.name for lyr in model.layers if id(lyr) not in known]
    if missing:
        raise SpecError(
            f"cannot recover the layer graph of the subclassed model '{model.name}' ({cls}): "
            f"its call() does not use the layer(s) {', '.join(missing)} on a traceable path",
            loc=where, hint=_HINT,
        )
    return traced


def _describe(shapes: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in shapes.items()) or "no recorded input shape"


def analyze_model(model: Any) -> Any:
    """Analysis of a live Keras model: the same rows and totals as for a spec."""
    from archcalc.engine import analyze

    return analyze(model_graph(model))
