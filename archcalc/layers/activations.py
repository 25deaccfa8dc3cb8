"""Activation layers: shape-preserving, and only PReLU has weights."""

from __future__ import annotations

from typing import Any

from archcalc.layers import formulas as F
from archcalc.layers.base import (
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    activation_arg,
    any_arg,
    float_arg,
    ignored,
)


class _Elementwise(LayerType):
    family = "activation"

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


def _required_activation(v: Any, layer: Any) -> Any:
    if v is None:
        raise ArgError("expected an activation name such as 'relu', got None")
    return activation_arg(v, layer)


class Activation(_Elementwise):
    keras_name = "Activation"
    ARGS = (Arg("activation", convert=_required_activation),)
    example = ("Activation('relu')", (4, 3))


class ReLU(_Elementwise):
    keras_name = "ReLU"
    applies_activation = "relu"
    ARGS = (
        Arg("max_value", None, lambda v, lay: None if v is None else float_arg(0.0)(v, lay)),
        Arg("negative_slope", 0.0, float_arg(0.0)),
        Arg("threshold", 0.0, float_arg(0.0)),  # Keras refuses a negative one
    )
    example = ("ReLU(6.0)", (4, 3))


class LeakyReLU(_Elementwise):
    keras_name = "LeakyReLU"
    applies_activation = "leaky_relu"
    ARGS = (Arg("negative_slope", 0.3, float_arg(0.0)),)
    example = ("LeakyReLU(0.2)", (4, 3))


class ELU(_Elementwise):
    keras_name = "ELU"
    applies_activation = "elu"
    ARGS = (Arg("alpha", 1.0, any_arg),)
    example = ("ELU()", (4, 3))


class Softmax(_Elementwise):
    keras_name = "Softmax"
    applies_activation = "softmax"
    ARGS = (Arg("axis", -1, any_arg),)
    example = ("Softmax()", (4, 3))


class PReLU(_Elementwise):
    """A learned slope per input element, shared along ``shared_axes``."""

    keras_name = "PReLU"
    applies_activation = "prelu"
    ARGS = (
        *ignored("alpha_initializer", "alpha_regularizer", "alpha_constraint"),
        Arg("shared_axes", None, any_arg),
    )
    example = ("PReLU(shared_axes=[1, 2])", (5, 5, 3))

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        shape = list(inputs[0][1:])
        shared = self.cfg["shared_axes"]
        if shared is not None:
            for a in shared if isinstance(shared, (list, tuple)) else [shared]:
                if not F.is_int(a) or not 1 <= a <= len(shape):
                    raise self.refuse(f"shared_axes {shared!r} do not fit the input of rank {len(shape) + 1}")
                shape[a - 1] = 1
        if any(d is None for d in shape):
            raise self.refuse("PReLU needs every non-shared axis of its input to be known")
        return [Weight("alpha", tuple(shape))]
