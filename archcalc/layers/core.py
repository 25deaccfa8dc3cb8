"""Core layers: Dense, Embedding, Identity, Masking, and the preprocessing layers that
sit in models (Rescaling, Normalization)."""

from __future__ import annotations

from typing import Any

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import (
    RF,
    Arg,
    LayerType,
    Shape,
    Weight,
    activation_arg,
    any_arg,
    bool_arg,
    fmt_shape,
    ignored,
    int_arg,
    unit_rf,
)


def _axis_list(axis: Any, rank: int) -> list[int]:
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    out = []
    for a in axes:
        if not F.is_int(a) or not -rank <= a < rank:
            raise ValueError(f"axis {describe_value(axis)} is out of range for a {rank}-D input")
        out.append(a % rank)
    return out


def axis_arg(v: Any, layer: Any) -> Any:
    from archcalc.layers.base import ArgError

    if v is None or F.is_int(v):
        return v
    if isinstance(v, (list, tuple)) and all(F.is_int(a) for a in v):
        return tuple(v)
    raise ArgError(f"expected an integer axis or a list of axes, got {describe_value(v)}")


class Dense(LayerType):
    """Fully connected: (inputs + 1) x units, applied to the last axis."""

    keras_name = "Dense"
    is_dense = True
    family = "core"
    ARGS = (
        Arg("units", convert=int_arg(1)),
        Arg("activation", None, activation_arg),
        Arg("use_bias", True, bool_arg),
        *ignored(
            "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
            "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha",
            "quantization_config",
        ),
    )
    example = ("Dense(7, use_bias=False)", (5,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_min_rank(shape, 2)
        if shape[-1] is None:
            raise self.refuse(f"the last axis of the input {fmt_shape(shape)} must be known")
        return (*shape[:-1], self.cfg["units"])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        n, units = inputs[0][-1], self.cfg["units"]
        return f.mul(f.add(n, 1), units) if self.cfg["use_bias"] else f.mul(n, units)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        ws = [Weight("kernel", (inputs[0][-1], self.cfg["units"]))]
        if self.cfg["use_bias"]:
            ws.append(Weight("bias", (self.cfg["units"],)))
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        # per position on a sequence or feature map; on a flat vector, the notion ends
        return rfs[0] if len(inputs[0]) > 2 else None


class Embedding(LayerType):
    """A lookup table: input_dim x output_dim weights; appends an axis of output_dim."""

    keras_name = "Embedding"
    reads_ids = True
    is_embedding = True
    family = "core"
    ARGS = (
        Arg("input_dim", convert=int_arg(1)),
        Arg("output_dim", convert=int_arg(1)),
        *ignored(
            "embeddings_initializer", "embeddings_regularizer", "embeddings_constraint",
            "weights", "lora_rank", "lora_alpha", "quantization_config",
        ),
        Arg("mask_zero", False, bool_arg, keyword_only=True),
        # deprecated in Keras 3 (it only warns); shapes come from the model input
        Arg("input_length", None, any_arg, keyword_only=True),
    )
    example = ("Embedding(100, 16)", (5,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return (*inputs[0], self.cfg["output_dim"])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        return f.mul(self.cfg["input_dim"], self.cfg["output_dim"])

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        return [Weight("embeddings", (self.cfg["input_dim"], self.cfg["output_dim"]))]

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        if len(inputs[0]) == 2:  # (batch, steps) token ids -> one spatial (time) axis
            return unit_rf(1)
        return rfs[0]


class Identity(LayerType):
    keras_name = "Identity"
    passes_values_through = True
    family = "core"
    example = ("Identity()", (4, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class Masking(LayerType):
    keras_name = "Masking"
    passes_values_through = True
    family = "core"
    ARGS = (Arg("mask_value", 0.0, any_arg),)
    example = ("Masking(0.0)", (6, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class Rescaling(LayerType):
    """x * scale + offset; no weights."""

    keras_name = "Rescaling"
    rescales_inputs = True
    family = "core"
    ARGS = (Arg("scale", convert=any_arg), Arg("offset", 0.0, any_arg))
    example = ("Rescaling(1 / 255)", (8, 8, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class Normalization(LayerType):
    """Feature-wise standardisation; mean, variance and count are non-trainable weights
    (absent when mean and variance are given)."""

    keras_name = "Normalization"
    family = "core"
    ARGS = (
        Arg("axis", -1, axis_arg),
        Arg("mean", None, any_arg),
        Arg("variance", None, any_arg),
        Arg("invert", False, bool_arg),
    )
    example = ("Normalization()", (6, 4))

    def validate(self) -> None:
        from archcalc.layers.base import ArgError

        if (self.cfg["mean"] is None) != (self.cfg["variance"] is None):
            raise ArgError("give both mean and variance, or neither")

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        if self.cfg["mean"] is not None:
            return []
        shape = inputs[0]
        axis = self.cfg["axis"]
        keep = [] if axis is None else _axis_list(axis, len(shape))
        if len(set(keep)) != len(keep):  # Keras fails building on a repeated axis
            raise self.refuse(f"axis {describe_value(axis)} names an axis twice for the input {fmt_shape(shape)}")
        for a in keep:
            if shape[a] is None:
                raise self.refuse(f"axis {a} of the input {fmt_shape(shape)} must be known")
        ms = tuple(shape[a] for a in keep)
        return [
            Weight("mean", ms, trainable=False),
            Weight("variance", ms, trainable=False),
            Weight("count", (), trainable=False),
        ]
