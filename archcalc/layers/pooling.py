"""Pooling: Max/Average 1D/2D/3D (strides default to pool_size) and global pooling."""

from __future__ import annotations

from typing import Any

from archcalc.layers import formulas as F
from archcalc.layers.base import (
    DATA_FORMAT,
    REQUIRED,
    RF,
    Arg,
    LayerType,
    Shape,
    bool_arg,
    channels_last,
    choice_arg,
    fmt_shape,
    tuple_arg,
)
from archcalc.layers.conv import SpatialLayer


class Pooling(SpatialLayer):
    family = "pooling"

    def window(self) -> tuple[tuple, tuple, tuple, str]:
        c = self.cfg
        strides = c["strides"] if c["strides"] is not None else c["pool_size"]
        return c["pool_size"], strides, (1,) * self.RANK, c["padding"]

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        spatial, ch = self.check_input(shape)
        pool, strides, _, padding = self.window()
        out = [F.conv_output_length(i, k, s, padding) for i, k, s in zip(spatial, pool, strides)]
        if any(F.is_int(o) and o <= 0 for o in out):
            raise self.refuse(
                f"output size would be {tuple(out)}: pool_size {pool} does not fit the input "
                f"{fmt_shape(shape)} with padding='{padding}'",
                hint="use padding='same' or a smaller pool_size, or remove a pooling layer",
            )
        return self.join(shape[0], out, ch)


def _pool_args(default: Any = REQUIRED) -> tuple[Arg, ...]:
    """Keras 3: MaxPooling defaults pool_size to 2 per axis; AveragePooling requires it."""
    return (
        Arg("pool_size", default, tuple_arg()),
        Arg("strides", None, tuple_arg(allow_none=True)),
        Arg("padding", "valid", choice_arg("valid", "same")),
        DATA_FORMAT,
    )


class MaxPooling1D(Pooling):
    keras_name = "MaxPooling1D"
    aliases = ("MaxPool1D",)
    RANK = 1
    ARGS = _pool_args(2)
    example = ("MaxPooling1D(3, strides=2, padding='same')", (10, 4))


class MaxPooling2D(Pooling):
    keras_name = "MaxPooling2D"
    aliases = ("MaxPool2D",)
    RANK = 2
    ARGS = _pool_args((2, 2))
    example = ("MaxPooling2D((2, 2))", (9, 9, 3))


class MaxPooling3D(Pooling):
    keras_name = "MaxPooling3D"
    aliases = ("MaxPool3D",)
    RANK = 3
    ARGS = _pool_args((2, 2, 2))
    example = ("MaxPooling3D(2, padding='same')", (5, 5, 5, 2))


class AveragePooling1D(Pooling):
    keras_name = "AveragePooling1D"
    aliases = ("AvgPool1D",)
    RANK = 1
    ARGS = _pool_args()
    example = ("AveragePooling1D(2)", (9, 4))


class AveragePooling2D(Pooling):
    keras_name = "AveragePooling2D"
    aliases = ("AvgPool2D",)
    RANK = 2
    ARGS = _pool_args()
    example = ("AveragePooling2D(3, strides=1)", (8, 8, 2))


class AveragePooling3D(Pooling):
    keras_name = "AveragePooling3D"
    aliases = ("AvgPool3D",)
    RANK = 3
    ARGS = _pool_args()
    example = ("AveragePooling3D((1, 2, 2))", (4, 6, 6, 2))


class GlobalPooling(LayerType):
    """Pools every spatial position: (batch, channels), or keeps size-1 axes with keepdims."""

    family = "pooling"
    RANK = 2
    ARGS = (DATA_FORMAT, Arg("keepdims", False, bool_arg))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_rank(shape, self.RANK + 2)
        last = channels_last(self)
        ch = shape[-1] if last else shape[1]
        if self.cfg["keepdims"]:
            ones = (1,) * self.RANK
            return (shape[0], *ones, ch) if last else (shape[0], ch, *ones)
        return (shape[0], ch)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


class GlobalMaxPooling1D(GlobalPooling):
    keras_name = "GlobalMaxPooling1D"
    aliases = ("GlobalMaxPool1D",)
    RANK = 1
    example = ("GlobalMaxPooling1D()", (7, 4))


class GlobalMaxPooling2D(GlobalPooling):
    keras_name = "GlobalMaxPooling2D"
    aliases = ("GlobalMaxPool2D",)
    RANK = 2
    example = ("GlobalMaxPooling2D(keepdims=True)", (5, 5, 4))


class GlobalMaxPooling3D(GlobalPooling):
    keras_name = "GlobalMaxPooling3D"
    aliases = ("GlobalMaxPool3D",)
    RANK = 3
    example = ("GlobalMaxPooling3D()", (3, 3, 3, 4))


class GlobalAveragePooling1D(GlobalPooling):
    keras_name = "GlobalAveragePooling1D"
    aliases = ("GlobalAvgPool1D",)
    RANK = 1
    example = ("GlobalAveragePooling1D()", (7, 4))


class GlobalAveragePooling2D(GlobalPooling):
    keras_name = "GlobalAveragePooling2D"
    aliases = ("GlobalAvgPool2D",)
    RANK = 2
    example = ("GlobalAveragePooling2D()", (5, 5, 4))


class GlobalAveragePooling3D(GlobalPooling):
    keras_name = "GlobalAveragePooling3D"
    aliases = ("GlobalAvgPool3D",)
    RANK = 3
    example = ("GlobalAveragePooling3D(keepdims=True)", (3, 3, 3, 4))
