"""Normalization: BatchNormalization (2C trainable + 2C non-trainable), LayerNormalization,
GroupNormalization, UnitNormalization."""

from __future__ import annotations

from typing import Any

from archcalc.layers import formulas as F
from archcalc.layers.base import (
    Arg,
    LayerType,
    Shape,
    Weight,
    any_arg,
    bool_arg,
    fmt_shape,
    ignored,
    int_arg,
)
from archcalc.layers.core import _axis_list, axis_arg

_INIT = ignored(
    "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer",
    "beta_constraint", "gamma_constraint",
)


class _Norm(LayerType):
    family = "normalization"

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]

    def axis_dims(self, shape: Shape) -> tuple:
        try:
            axes = _axis_list(self.cfg["axis"], len(shape))
        except ValueError as e:
            raise self.refuse(f"{e}: input {fmt_shape(shape)}") from None
        if 0 in axes:
            raise self.refuse("cannot normalise over the batch axis")
        dims = tuple(shape[a] for a in sorted(axes))
        if any(d is None for d in dims):
            raise self.refuse(f"axis {self.cfg['axis']} of the input {fmt_shape(shape)} must be known")
        return dims


class BatchNormalization(_Norm):
    """gamma and beta are trained; moving_mean and moving_variance are statistics."""

    keras_name = "BatchNormalization"
    is_batch_normalization = True
    ARGS = (
        Arg("axis", -1, int_arg(None)),
        Arg("momentum", 0.99, any_arg),
        Arg("epsilon", 0.001, any_arg),
        Arg("center", True, bool_arg),
        Arg("scale", True, bool_arg),
        *ignored("beta_initializer", "gamma_initializer", "moving_mean_initializer",
                 "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
                 "beta_constraint", "gamma_constraint"),
        Arg("renorm", False, bool_arg),
        Arg("renorm_clipping", None, any_arg),
        Arg("renorm_momentum", 0.99, any_arg),
        Arg("synchronized", False, bool_arg),
    )
    example = ("BatchNormalization(center=False)", (6, 6, 5))

    def note_against_keras(self, inputs: list[Shape], check: Any) -> None:
        check.note = ("BatchNormalization: gamma and beta (2 x channels) are trainable; the moving "
                      "mean and variance (2 x channels) are statistics updated while training, "
                      "not by gradients, so Keras counts them as non-trainable")
        check.explained = (check.archcalc_non_trainable == 0
                           and check.archcalc_trainable == check.keras_trainable)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        shape = self.axis_dims(inputs[0])
        ws = []
        if self.cfg["scale"]:
            ws.append(Weight("gamma", shape))
        if self.cfg["center"]:
            ws.append(Weight("beta", shape))
        ws += [Weight("moving_mean", shape, False), Weight("moving_variance", shape, False)]
        if self.cfg["renorm"]:
            ws += [Weight(n, shape, False) for n in ("moving_stddev", "renorm_mean", "renorm_stddev")]
        return ws


class LayerNormalization(_Norm):
    keras_name = "LayerNormalization"
    ARGS = (
        Arg("axis", -1, axis_arg),
        Arg("epsilon", 0.001, any_arg),
        Arg("center", True, bool_arg),
        Arg("scale", True, bool_arg),
        *_INIT,
        Arg("rms_scaling", False, bool_arg, keyword_only=True),
    )
    example = ("LayerNormalization(axis=[1, 2])", (4, 3, 2))

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        if not (self.cfg["scale"] or self.cfg["rms_scaling"] or self.cfg["center"]):
            _axis_list(self.cfg["axis"], len(inputs[0]))  # the axes must exist; any axis, even
            return []  # the batch axis, builds in Keras when there are no weights to size
        shape = self.axis_dims(inputs[0])
        ws = []
        if self.cfg["scale"] or self.cfg["rms_scaling"]:
            ws.append(Weight("gamma", shape))
        if self.cfg["center"] and not self.cfg["rms_scaling"]:
            ws.append(Weight("beta", shape))
        return ws


class GroupNormalization(_Norm):
    keras_name = "GroupNormalization"
    ARGS = (
        Arg("groups", 32, int_arg(-1)),
        Arg("axis", -1, int_arg(None)),
        Arg("epsilon", 0.001, any_arg),
        Arg("center", True, bool_arg),
        Arg("scale", True, bool_arg),
        *_INIT,
    )
    example = ("GroupNormalization(groups=2)", (5, 5, 4))

    def validate(self) -> None:
        from archcalc.layers.base import ArgError

        if self.cfg["groups"] == 0:
            raise ArgError("groups must be a positive integer or -1")

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        (dim,) = self.axis_dims(inputs[0])
        groups = dim if self.cfg["groups"] == -1 else self.cfg["groups"]
        if F.is_int(dim) and F.is_int(groups):
            if dim < groups:
                raise self.refuse(f"groups ({groups}) cannot exceed the {dim} channels of the input {fmt_shape(inputs[0])}")
            if dim % groups:
                raise self.refuse(f"the {dim} channels of the input {fmt_shape(inputs[0])} are not divisible by groups ({groups})")
        ws = []
        if self.cfg["scale"]:
            ws.append(Weight("gamma", (dim,)))
        if self.cfg["center"]:
            ws.append(Weight("beta", (dim,)))
        return ws


class UnitNormalization(_Norm):
    keras_name = "UnitNormalization"
    ARGS = (Arg("axis", -1, axis_arg),)
    example = ("UnitNormalization()", (4, 3))
