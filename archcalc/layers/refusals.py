"""keras.layers classes archcalc does not analyse, each with the reason. Every class of the
installed keras.layers is either registered or listed here (tests/test_layers_keras3.py
checks it), so a Keras upgrade that adds a layer is noticed.

A refused class found in a model is an error that points to the custom-layer declaration
(the documentation's "Custom layers"): declare the layer's output shape and weights in
archcalc-layers.yaml next to the model.
"""

from __future__ import annotations

from typing import Any

from archcalc.errors import SpecError
from archcalc.layers.base import LayerType

DECLARE_HINT = ("declare its output shape and weights in archcalc-layers.yaml next to the model "
                "(documentation: 'Custom layers')")

#: class name -> why archcalc cannot know its shapes or weights
REFUSED: dict[str, str] = {
    "TorchModuleWrapper": "wraps a PyTorch module, whose shapes and weights only PyTorch knows",
    "JaxLayer": "wraps JAX functions, whose shapes and weights only running them tells",
    "FlaxLayer": "wraps a Flax module, whose shapes and weights only running it tells",
    "TFSMLayer": "loads a TensorFlow SavedModel from disk, which archcalc does not read",
    "Layer": "is the base class of custom layers: a subclass's call() is Python code archcalc never runs",
    "Wrapper": "is the base class of wrapper layers: a subclass's call() is Python code archcalc never runs",
    "InputLayer": "is the model's input, not a layer: every front-end reads it as the input node "
                  "(Input(shape=...) or the spec's input:)",
}


def refusal_type(name: str) -> type[LayerType] | None:
    """A layer type that refuses to be built, with the reason and the declaration hint;
    None for a name that is not refused. (Kept out of the registry's listing.)"""
    reason = REFUSED.get(name)
    if reason is None:
        return None
    return _REFUSAL_TYPES.setdefault(name, _make(name, reason))


def _make(name: str, reason: str) -> type[LayerType]:
    def bind(cls: Any, args: Any, kwargs: Any) -> Any:
        raise SpecError(f"{name} {reason}", hint=DECLARE_HINT)

    cls: type[LayerType] = type(name, (LayerType,), {"bind": classmethod(bind), "__module__": __name__,
                                                     "refused": True})
    cls.keras_name = name  # set after creation: kept out of LayerType.registry
    return cls


_REFUSAL_TYPES: dict[str, type[LayerType]] = {}
