"""Layers that are not in ``keras.layers`` but appear in saved models.

:class:`LayerScale` and :class:`StochasticDepth` (ConvNeXt) and :class:`CustomScaleLayer`
(InceptionResNetV2): the helper layers ``keras.applications`` defines and saves in its
configs; ``in_keras_layers = False`` files them where only the config readers look
(``registry.get(name, saved=True)``). A whole model used as a layer is
:class:`archcalc.nested_model.NestedModel`, one floor up: it runs the engine.
"""

from __future__ import annotations

from typing import Any

from archcalc.layers.base import (
    RF,
    Arg,
    LayerType,
    Shape,
    Weight,
    float_arg,
    fmt_shape,
    int_arg,
)


class LayerScale(LayerType):
    """ConvNeXt's per-channel scale: x * gamma, gamma of shape (projection_dim,)."""

    keras_name = "LayerScale"
    in_keras_layers = False
    keras_module = "keras.src.applications.convnext"
    family = "nested"
    ARGS = (Arg("init_values", convert=float_arg()), Arg("projection_dim", convert=int_arg(1)))
    example = ("LayerScale(1e-6, 8)", (4, 4, 8))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        d, p = shape[-1], self.cfg["projection_dim"]
        if d is not None and d not in (1, p):
            raise self.refuse(f"cannot scale {fmt_shape(shape)} by a vector of {p}")
        return shape if d != 1 else (*shape[:-1], p)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return [Weight("gamma", (self.cfg["projection_dim"],))]


class StochasticDepth(LayerType):
    """ConvNeXt's drop-path: drops whole residual branches in training; no weights."""

    keras_name = "StochasticDepth"
    in_keras_layers = False
    keras_module = "keras.src.applications.convnext"
    family = "nested"
    ARGS = (Arg("drop_path_rate", convert=float_arg(0.0, 1.0)),)
    example = ("StochasticDepth(0.1)", (4, 4, 8))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]



class CustomScaleLayer(LayerType):
    """InceptionResNetV2's residual join: ``inputs[0] + inputs[1] * scale``; no weights.

    Keras's call reads the first two inputs and broadcasts them as its ops do
    (keras/src/applications/inception_resnet_v2.py, CustomScaleLayer.call).
    """

    keras_name = "CustomScaleLayer"
    in_keras_layers = False
    keras_module = "keras.src.applications.inception_resnet_v2"
    family = "nested"
    n_inputs = (2, None)
    ARGS = (Arg("scale", convert=float_arg()),)
    example = ("CustomScaleLayer(0.17)", [(4, 4, 8), (4, 4, 8)])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        from archcalc.layers.ops import broadcast

        try:
            return broadcast(inputs[0], inputs[1])
        except ValueError as e:
            raise self.refuse(str(e), hint="the shortcut and the residual branch need the same shape") from None

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        from archcalc.layers.merging import merge_rf

        return merge_rf(rfs[:2])
