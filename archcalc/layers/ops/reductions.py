"""Reductions over axes: ``sum``, ``mean``, ``max``, ``argmax``, ``var``, ``std``..."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Param
from archcalc.layers.ops.arguments import kw_param as _kw
from archcalc.layers.ops.arguments import tensor_param as _x
from archcalc.layers.ops.axes import as_axes as _axes
from archcalc.layers.ops.axes import canonical_axis
from archcalc.layers.ops.base import Op, define_op

_name: str
_op: str
_al: list[str]


def reduce_shape(shape: Shape, axis: Any, keepdims: bool) -> Shape:
    """Keras's reduce_shape: axis None reduces every axis (the batch axis too)."""
    if axis is None:
        return tuple(1 for _ in shape) if keepdims else ()
    axes = {canonical_axis(a, len(shape)) for a in _axes(axis) or ()}
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


class Reduce(Op):
    """A reduction over ``axis`` (None: every axis), keeping size-1 axes with ``keepdims``."""

    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axis", None), _kw("keepdims", False))

    def compute(self, v: dict[str, Any]) -> Shape:
        return reduce_shape(v["x"], v["axis"], bool(v["keepdims"]))


for _name, _op, *_al in (("Sum", "sum"), ("Any", "any"), ("All", "all"), ("Argmax", "argmax"),
                          ("Argmin", "argmin"), ("Logsumexp", "logsumexp")):
    define_op(Reduce, _name, _op, *_al)
define_op(Reduce, "Max", "max", "amax", params=(_kw("initial", None),))
define_op(Reduce, "Min", "min", "amin", params=(_kw("initial", None),))
define_op(Reduce, "Prod", "prod", params=(_kw("dtype", None),))


class Mean(Reduce):
    """The average over ``axis``: a sum, then one division per output value."""

    keras_name = "Mean"
    op_name = "mean"


class Var(Reduce):
    """Variance (and, with a square root, standard deviation) over ``axis``."""

    keras_name = "Var"
    op_name = "var"


class Std(Var):
    keras_name = "Std"
    op_name = "std"
