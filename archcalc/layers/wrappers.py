"""Layers around other code: Lambda (a Python function), SpectralNormalization (a layer
whose kernel is normalised) and Pipeline (a list of layers applied in turn).

Lambda's function is never run: archcalc needs ``output_shape=`` (a shape without the batch
axis, or a list of shapes for several outputs). Without it Keras 3 runs the function to
find the shape; archcalc refuses and says so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import (
    RF,
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    any_arg,
    int_arg,
)

_LAMBDA_HINT = ("give the output shape without the batch axis: Lambda(fn, output_shape=(64,)), "
                "or a list of shapes for several outputs")


def _shape_or_shapes(v: Any, layer: Any) -> Any:
    if v is None:
        return None
    if F.is_int(v):  # Keras fails on a bare int too
        raise ArgError(f"output_shape must be a tuple such as ({v},), got {describe_value(v)}")
    if isinstance(v, (list, tuple)) and all(x is None or F.is_int(x) or hasattr(x, "free_symbols") for x in v):
        return tuple(v)
    if isinstance(v, (list, tuple)) and v and all(isinstance(s, (list, tuple)) for s in v):
        return [_shape_or_shapes(s, layer) for s in v]
    raise ArgError(f"output_shape must be a shape such as (64,) or a list of shapes, got {describe_value(v)}")


class Lambda(LayerType):
    """Wraps a function: the shape is the given ``output_shape`` (batch axis added); no weights."""

    keras_name = "Lambda"
    family = "core"
    n_inputs: ClassVar[tuple[int, int | None]] = (1, None)
    ARGS = (
        Arg("function", None, any_arg),
        Arg("output_shape", None, _shape_or_shapes),
        Arg("mask", None, any_arg),
        Arg("arguments", None, any_arg),
    )
    example = ("Lambda(output_shape=(4, 2))", (8,))

    def validate(self) -> None:
        if self.cfg["output_shape"] is None:
            raise ArgError(
                "its function is Python code, which archcalc never runs: the output shape is "
                "unknown without output_shape= (" + _LAMBDA_HINT + ")"
            )

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        batch = inputs[0][0]
        out = self.cfg["output_shape"]
        if isinstance(out, list):
            return [(batch, *s) for s in out]
        return (batch, *out)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _kernel_layer(v: Any, layer: Any) -> Any:
    if not isinstance(v, LayerType):
        raise ArgError(f"expected a layer such as Dense(64), got {describe_value(v)}")
    return v


class SpectralNormalization(LayerType):
    """The wrapped layer's weights, plus a non-trainable power-iteration vector u of shape
    (1, last axis of its kernel or embeddings)."""

    keras_name = "SpectralNormalization"
    family = "normalization"
    ARGS = (Arg("layer", convert=_kernel_layer), Arg("power_iterations", 1, int_arg(1)))
    example = ("SpectralNormalization(Conv2D(3, 3))", (8, 8, 2))

    @property
    def inner(self) -> LayerType:
        return self.cfg["layer"]

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        if inputs[0][-1] is None:
            raise self.refuse("the last axis of the input must be known")
        return self.inner.output_shape(inputs)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        inner = self.inner.weights(inputs)
        kernel = next((w for w in inner if w.name in ("kernel", "embeddings")), None)
        if kernel is None:
            raise self.refuse(f"{self.inner.keras_name} has no kernel or embeddings to normalise")
        trainable = self.inner.trainable
        own = [Weight(w.name, w.shape, w.trainable and trainable) for w in inner]
        return own + [Weight("vector_u", (1, kernel.shape[-1]), trainable=False)]

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return self.inner.receptive_field(rfs, inputs, output)


def _layer_list(v: Any, layer: Any) -> Any:
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, LayerType) for x in v):
        raise ArgError("expected a list of layers, such as [RandomFlip(), Resizing(64, 64)]")
    return tuple(v)


class Pipeline(LayerType):
    """Applies its layers one after the other; its weights are theirs."""

    keras_name = "Pipeline"
    family = "preprocessing"
    ARGS = (Arg("layers", convert=_layer_list),)
    example = ("Pipeline([RandomFlip(), Resizing(4, 4)])", (8, 8, 3))

    def steps(self, inputs: list[Shape]) -> list[tuple[LayerType, list[Shape]]]:
        """Each layer with its input shapes."""
        out = []
        shapes = inputs
        for lay in self.cfg["layers"]:
            out.append((lay, shapes))
            y = lay.output_shape(shapes)
            shapes = y if isinstance(y, list) else [y]
        return out

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        steps = self.steps(inputs)
        if not steps:
            return inputs[0]
        lay, shapes = steps[-1]
        return lay.output_shape(shapes)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        ws = []
        for lay, shapes in self.steps(inputs):
            on = lay.trainable
            ws += [Weight(f"{lay.keras_name}/{w.name}", w.shape, w.trainable and on) for w in lay.weights(shapes)]
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None
