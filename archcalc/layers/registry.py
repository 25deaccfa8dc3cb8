"""All layer types, by Keras class name and alias.

Importing this module imports every family module, which registers its classes.
"""

from __future__ import annotations

from archcalc.errors import SpecError, did_you_mean
from archcalc.layers import (  # noqa: F401  (imported for registration)
    activations,
    adaptive_pooling,
    attention,
    augmentation,
    conv,
    core,
    language,
    merging,
    normalization,
    ops,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    rnn_cells,
    wrappers,
)
from archcalc.layers.base import LayerType
from archcalc.layers.refusals import refusal_type

REGISTRY: dict[str, type[LayerType]] = LayerType.registry
#: tensor operations (keras.ops), by op name and alias; kept apart from the keras.layers
#: classes, whose names some of them share (archcalc.layers.ops explains)
OPS = ops.OPS


def get(name: str) -> type[LayerType] | None:
    """The layer type of a name; a refused keras.layers class gives a type whose bind()
    raises the reason (archcalc.layers.refusals)."""
    return REGISTRY.get(name) or refusal_type(name)


def lookup(name: str) -> type[LayerType]:
    """The layer type for a Keras class name or alias; SpecError with a hint otherwise."""
    cls = get(name)
    if cls is None:
        hint = did_you_mean(name, REGISTRY)
        raise SpecError(
            f"unknown layer type '{name}'",
            hint=hint or "run `archcalc layers` to list the supported layer types",
        )
    return cls


def canonical_types() -> list[type[LayerType]]:
    """Each registered class once (aliases folded), sorted by family and name."""
    seen = {id(c): c for c in REGISTRY.values()}
    return sorted(seen.values(), key=lambda c: (c.family, c.keras_name))
