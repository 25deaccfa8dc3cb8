"""Dropout and noise layers: shape-preserving, no weights."""

from __future__ import annotations

from typing import ClassVar

from archcalc.layers.base import (
    DATA_FORMAT,
    Arg,
    LayerType,
    Shape,
    any_arg,
    float_arg,
)

# archcalc refuses rate == 1 too: it drops every unit, which is never meant.
RATE = Arg("rate", convert=float_arg(0.0, 1.0, hi_open=True))


class _Noise(LayerType):
    family = "regularization"
    is_regularizer = True

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class Dropout(_Noise):
    keras_name = "Dropout"
    is_dropout = zeroes_inputs = True
    ARGS = (RATE, Arg("noise_shape", None, any_arg), Arg("seed", None, any_arg))
    example = ("Dropout(0.5)", (10,))


class _SpatialDropout(_Noise):
    is_dropout = zeroes_inputs = True
    RANK = 2
    ARGS: ClassVar[tuple[Arg, ...]] = (RATE, Arg("seed", None, any_arg))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        self.require_rank(inputs[0], self.RANK + 2)
        return inputs[0]


class SpatialDropout1D(_SpatialDropout):
    keras_name = "SpatialDropout1D"
    RANK = 1
    example = ("SpatialDropout1D(0.2)", (6, 4))


class SpatialDropout2D(_SpatialDropout):
    keras_name = "SpatialDropout2D"
    RANK = 2
    ARGS = (RATE, DATA_FORMAT, Arg("seed", None, any_arg))
    example = ("SpatialDropout2D(0.2)", (6, 6, 4))


class SpatialDropout3D(_SpatialDropout):
    keras_name = "SpatialDropout3D"
    RANK = 3
    ARGS = (RATE, DATA_FORMAT, Arg("seed", None, any_arg))
    example = ("SpatialDropout3D(0.2)", (4, 4, 4, 2))


class GaussianNoise(_Noise):
    keras_name = "GaussianNoise"
    ARGS = (Arg("stddev", convert=float_arg(0.0, 1.0)), Arg("seed", None, any_arg))
    example = ("GaussianNoise(0.1)", (10,))


class GaussianDropout(_Noise):
    keras_name = "GaussianDropout"
    is_dropout = True
    ARGS = (RATE, Arg("seed", None, any_arg))
    example = ("GaussianDropout(0.1)", (10,))


class AlphaDropout(_Noise):
    keras_name = "AlphaDropout"
    is_dropout = True
    ARGS = (RATE, Arg("noise_shape", None, any_arg), Arg("seed", None, any_arg))
    example = ("AlphaDropout(0.1)", (10,))


class ActivityRegularization(_Noise):
    keras_name = "ActivityRegularization"
    ARGS = (Arg("l1", 0.0, any_arg), Arg("l2", 0.0, any_arg))
    example = ("ActivityRegularization(l1=0.01)", (10,))
