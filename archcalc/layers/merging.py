"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers.base import (
    RF,
    Arg,
    ArgError,
    AxisRF,
    LayerType,
    Shape,
    any_arg,
    bool_arg,
    fmt_shape,
)


def merge_rf(rfs: list[RF | None]) -> RF | None:
    """The largest field per axis; aligned only when every branch sits on the same grid."""
    if any(r is None for r in rfs) or not rfs:
        return None
    n = len(rfs[0].axes)  # type: ignore[union-attr]
    if any(len(r.axes) != n for r in rfs):  # type: ignore[union-attr]
        return None
    axes = []
    aligned = all(r.aligned for r in rfs)  # type: ignore[union-attr]
    for i in range(n):
        col = [r.axes[i] for r in rfs]  # type: ignore[union-attr]
        if len({(a.jump, a.start) for a in col}) > 1:
            aligned = False
        best = max(col, key=lambda a: a.size)
        axes.append(AxisRF(best.size, best.jump, best.start))
    return RF(tuple(axes), aligned)


def _symbolic(d: Any) -> bool:
    return bool(getattr(d, "free_symbols", None))


class Merge(LayerType):
    family = "merging"
    n_inputs: ClassVar[tuple[int, int | None]] = (2, None)

    def output_shape(self, inputs: list[Shape]) -> Shape:
        batch = {s[0] for s in inputs} - {None}
        out = list(inputs[0][1:])
        for s in inputs[1:]:
            out = self._broadcast(out, list(s[1:]), inputs)
        return (inputs[0][0] if len(batch) != 1 else batch.pop(), *out)

    def _broadcast(self, a: list, b: list, inputs: list[Shape]) -> list:
        if len(a) < len(b):
            a, b = b, a
        if not b:
            return a
        out = a[: len(a) - len(b)]
        for i, j in zip(a[len(a) - len(b):], b):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1:
                out.append(i)
            elif i != j and not (_symbolic(i) or _symbolic(j)):
                raise self.refuse(
                    f"inputs have incompatible shapes {' and '.join(fmt_shape(s) for s in inputs)}",
                    hint="element-wise merges need equal shapes (or axes of size 1); "
                    "use Concatenate to stack different channel counts",
                )
            else:
                out.append(i)
        return out

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return merge_rf(rfs)


class Add(Merge):
    keras_name = "Add"
    example = ("Add()", [(4, 4, 3), (4, 4, 3)])


class Subtract(Merge):
    keras_name = "Subtract"
    n_inputs = (2, 2)
    example = ("Subtract()", [(5,), (5,)])


class Multiply(Merge):
    keras_name = "Multiply"
    is_gate = True
    example = ("Multiply()", [(3, 4), (3, 4)])


class Average(Merge):
    keras_name = "Average"
    example = ("Average()", [(6,), (6,), (6,)])


class Maximum(Merge):
    keras_name = "Maximum"
    example = ("Maximum()", [(6,), (6,)])


class Minimum(Merge):
    keras_name = "Minimum"
    example = ("Minimum()", [(6,), (6,)])


def _int_axis(v: Any, layer: Any) -> Any:
    if not isinstance(v, int) or isinstance(v, bool):
        raise ArgError(f"expected an integer axis, got {describe_value(v)}")
    return v


class Concatenate(Merge):
    """Stacks inputs along ``axis``; every other axis must match."""

    keras_name = "Concatenate"
    n_inputs = (1, None)
    ARGS = (Arg("axis", -1, _int_axis),)
    example = ("Concatenate()", [(4, 4, 3), (4, 4, 5)])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        ranks = {len(s) for s in inputs}
        shapes = " and ".join(fmt_shape(s) for s in inputs)
        if len(ranks) != 1:
            raise self.refuse(f"inputs have different ranks: {shapes}")
        rank = ranks.pop()
        axis = self.cfg["axis"]
        if not -rank <= axis < rank or axis % rank == 0:
            raise self.refuse(f"axis {axis} is not a valid concatenation axis for {shapes}")
        ax = axis % rank
        out = list(inputs[0])
        for i in range(1, rank):
            if i == ax:
                continue
            known = {s[i] for s in inputs} - {None}
            if len(known) > 1 and not any(_symbolic(k) for k in known):
                raise self.refuse(
                    f"inputs must match on every axis but the concatenation axis ({axis}); got {shapes}",
                    hint="check the strides/pooling of each branch (e.g. a U-Net needs sizes divisible by 2^depth)",
                )
            # symbolic sizes that differ are assumed equal here; `explain` states the condition
            out[i] = inputs[0][i] if known and all(s[i] is not None for s in inputs) else None
        total: Any = 0
        for s in inputs:
            if s[ax] is None:
                total = None
                break
            total = total + s[ax]
        out[ax] = total
        return tuple(out)


def _axes_arg(v: Any, layer: Any) -> Any:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(a, int) for a in v):
        return tuple(v)
    raise ArgError(f"expected an integer or a pair of integers, got {describe_value(v)}")


class Dot(Merge):
    """Dot product of two tensors along ``axes``."""

    keras_name = "Dot"
    is_gate = True
    n_inputs = (2, 2)
    ARGS = (Arg("axes", convert=_axes_arg), Arg("normalize", False, bool_arg))
    example = ("Dot(axes=1)", [(5,), (5,)])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        if len(inputs) != 2:  # a reader following shapes may call this before the engine's count check
            raise self.refuse(f"Dot takes exactly 2 inputs, got {len(inputs)}")
        s1, s2 = list(inputs[0]), list(inputs[1])
        if len(s1) < 2 or len(s2) < 2:
            raise self.refuse(f"inputs must be at least 2-D, got {fmt_shape(inputs[0])} and {fmt_shape(inputs[1])}")
        axes = self.cfg["axes"]
        if isinstance(axes, int):
            axes = (axes % len(s1), axes % len(s2)) if axes < 0 else (axes, axes)
        else:
            axes = tuple(a % len(s) if a < 0 else a for a, s in zip(axes, (s1, s2)))
        if axes[0] >= len(s1) or axes[1] >= len(s2):
            raise self.refuse(f"axes {self.cfg['axes']} do not fit {fmt_shape(inputs[0])} and {fmt_shape(inputs[1])}")
        if s1[axes[0]] is not None and s2[axes[1]] is not None and s1[axes[0]] != s2[axes[1]]:
            raise self.refuse(
                f"dimension mismatch: {fmt_shape(inputs[0])} axis {axes[0]} ({s1[axes[0]]}) vs "
                f"{fmt_shape(inputs[1])} axis {axes[1]} ({s2[axes[1]]})"
            )
        s1.pop(axes[0])
        s2.pop(axes[1])
        s2.pop(0)
        out = s1 + s2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


_ = any_arg
