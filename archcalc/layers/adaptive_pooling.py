"""Adaptive pooling: AdaptiveAveragePooling1D/2D/3D and AdaptiveMaxPooling1D/2D/3D.

The output's spatial size is ``output_size`` whatever the input's; each output value pools
the window of input positions [floor(i x I / O), ceil((i + 1) x I / O)). No weights.
"""

from __future__ import annotations

from typing import Any

from archcalc.layers.base import (
    DATA_FORMAT,
    RF,
    Arg,
    LayerType,
    Shape,
    channels_last,
    tuple_arg,
)


class AdaptivePooling(LayerType):
    family = "pooling"
    RANK = 2
    ARGS = (Arg("output_size", convert=tuple_arg()), DATA_FORMAT)

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_rank(shape, self.RANK + 2)
        out = self.cfg["output_size"]
        if channels_last(self):
            return (shape[0], *out, shape[-1])
        return (shape[0], shape[1], *out)

    def spatial(self, shape: Shape) -> list[Any]:
        return list(shape[1:-1]) if channels_last(self) else list(shape[2:])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None  # the window size varies with the position


def _make(name: str, rank: int, example: tuple[str, Any]) -> type[AdaptivePooling]:
    return type(name, (AdaptivePooling,), {
        "__doc__": f"keras.layers.{name}: output spatial size = output_size.",
        "keras_name": name, "RANK": rank, "example": example, "__module__": __name__,
    })


AdaptiveAveragePooling1D = _make("AdaptiveAveragePooling1D", 1, ("AdaptiveAveragePooling1D(4)", (9, 3)))
AdaptiveAveragePooling2D = _make("AdaptiveAveragePooling2D", 2, ("AdaptiveAveragePooling2D((2, 3))", (9, 7, 3)))
AdaptiveAveragePooling3D = _make("AdaptiveAveragePooling3D", 3, ("AdaptiveAveragePooling3D(2)", (5, 6, 7, 3)))
AdaptiveMaxPooling1D = _make("AdaptiveMaxPooling1D", 1, ("AdaptiveMaxPooling1D(3)", (9, 3)))
AdaptiveMaxPooling2D = _make("AdaptiveMaxPooling2D", 2, ("AdaptiveMaxPooling2D(2)", (9, 7, 3)))
AdaptiveMaxPooling3D = _make("AdaptiveMaxPooling3D", 3, ("AdaptiveMaxPooling3D((1, 2, 3))", (5, 6, 7, 3)))
