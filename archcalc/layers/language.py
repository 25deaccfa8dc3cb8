"""Building blocks of language models: ReversibleEmbedding (an embedding whose table also
projects hidden states back to token logits) and RMSNormalization."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers.base import (
    RF,
    Arg,
    LayerType,
    Shape,
    Weight,
    any_arg,
    bool_arg,
    fmt_shape,
    ignored,
    int_arg,
    unit_rf,
)
from archcalc.layers.core import _axis_list, axis_arg


class ReversibleEmbedding(LayerType):
    """input_dim x output_dim embeddings; tie_weights=False adds an output_dim x input_dim
    reverse table. Called with reverse=True it maps (..., output_dim) to (..., input_dim)
    logits (a call argument in Keras, see ``CALL_ARGS``)."""

    keras_name = "ReversibleEmbedding"
    family = "core"
    CALL_ARGS: ClassVar[frozenset[str]] = frozenset({"reverse"})
    ARGS = (
        Arg("input_dim", convert=int_arg(1)),
        Arg("output_dim", convert=int_arg(1)),
        Arg("tie_weights", True, bool_arg),
        *ignored("embeddings_initializer", "embeddings_regularizer", "embeddings_constraint"),
        Arg("mask_zero", False, bool_arg),
        Arg("reverse_dtype", None, any_arg),
        Arg("logit_soft_cap", None, any_arg),
        Arg("reverse", False, bool_arg, keyword_only=True),
    )
    example = ("ReversibleEmbedding(100, 16, tie_weights=False)", (5,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        if self.cfg["reverse"]:
            if shape[-1] != self.cfg["output_dim"]:
                raise self.refuse(
                    f"reverse=True maps vectors of output_dim={self.cfg['output_dim']}; got {fmt_shape(shape)}"
                )
            return (*shape[:-1], self.cfg["input_dim"])
        return (*shape, self.cfg["output_dim"])

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        n, d = self.cfg["input_dim"], self.cfg["output_dim"]
        ws = [Weight("embeddings", (n, d))]
        if not self.cfg["tie_weights"]:
            ws.append(Weight("reverse_embeddings", (d, n)))
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        if not self.cfg["reverse"] and len(inputs[0]) == 2:
            return unit_rf(1)
        return rfs[0]


class RMSNormalization(LayerType):
    """x / sqrt(mean(x^2) + epsilon) x scale: one trainable scale per value of the axes."""

    keras_name = "RMSNormalization"
    family = "normalization"
    ARGS = (Arg("axis", -1, axis_arg), Arg("epsilon", 1e-6, any_arg))
    example = ("RMSNormalization(axis=(1, 2))", (8, 4))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        shape = inputs[0]
        try:
            axes = _axis_list(self.cfg["axis"], len(shape))
        except ValueError as e:
            raise self.refuse(str(e)) from None
        dims = tuple(shape[a] for a in sorted(set(axes)))
        if None in dims:
            raise self.refuse(f"the normalised axes of {fmt_shape(shape)} must be known")
        return [Weight("scale", dims)]
