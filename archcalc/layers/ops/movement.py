"""Operations that move, copy or convert values without arithmetic (``DataMovement``):
reshapes, transposes, new and dropped axes, joins, repeats, ``shape`` and ``one_hot``."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Param
from archcalc.layers.ops.arguments import kw_param as _kw
from archcalc.layers.ops.arguments import tensor_param as _x
from archcalc.layers.ops.axes import as_axes as _axes
from archcalc.layers.ops.axes import canonical_axis
from archcalc.layers.ops.axes import is_symbolic as _sym
from archcalc.layers.ops.base import Op


class DataMovement(Op):
    """Ops that only move, copy or convert values (0 MACs)."""


class Reshape(DataMovement):
    """``keras.ops.reshape(x, newshape)``: newshape includes the batch axis; one -1 is
    inferred, or becomes None when any input size is None."""

    keras_name = "Reshape"
    op_name = "reshape"
    passes_values_through = reshapes = True
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("newshape", kind="sizes"))

    def check(self, cfg: dict[str, Any]) -> None:
        s = cfg["newshape"]
        if F.is_int(s):
            s = (s,)
        if not isinstance(s, (list, tuple)) or not all(d is None or F.is_int(d) or _sym(d) for d in s):
            raise ValueError(f"newshape must be a tuple of integers, got {describe_value(s)}")
        if any(F.is_int(d) and d < -1 for d in s) or sum(1 for d in s if d == -1) > 1:
            raise ValueError(f"newshape may hold non-negative sizes and at most one -1, got {tuple(s)}")
        cfg["newshape"] = tuple(s)

    def compute(self, v: dict[str, Any]) -> Shape:
        x, new = v["x"], list(v["newshape"])
        if None in x or None in new:
            return tuple(None if d == -1 else d for d in new)
        total = F.prod(x)
        if -1 in new:
            known = F.prod(d for d in new if d != -1)
            if F.is_int(total) and F.is_int(known) and (known == 0 or total % known):
                raise ValueError(f"cannot reshape {total} values into {tuple(new)}")
            new[new.index(-1)] = total // known
        elif F.is_int(total) and F.is_int(F.prod(new)) and total != F.prod(new):
            raise ValueError(f"cannot reshape {total} values into {tuple(new)} ({F.prod(new)} values); "
                             "newshape includes the batch axis (use -1 for it)")
        return tuple(new)


class Transpose(DataMovement):
    """``keras.ops.transpose(x, axes)``; axes None reverses every axis (the batch axis too)."""

    keras_name = "Transpose"
    op_name = "transpose"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axes", None))

    def compute(self, v: dict[str, Any]) -> Shape:
        x, axes = v["x"], v["axes"]
        if axes is None:
            return tuple(reversed(x))
        axes = _axes(axes) or ()
        if len(axes) != len(x):
            raise ValueError(f"axes {tuple(axes)} must name each of the {len(x)} axes once")
        perm = [canonical_axis(a, len(x)) for a in axes]
        if len(set(perm)) != len(x):
            raise ValueError(f"axes {tuple(axes)} is not a permutation")
        return tuple(x[a] for a in perm)


class ExpandDims(DataMovement):
    keras_name = "ExpandDims"
    op_name = "expand_dims"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("axis"))

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["x"])
        axes = _axes(v["axis"]) or (len(x),)
        n = len(x) + len(axes)
        where = {canonical_axis(a, n) for a in axes}
        it = iter(x)
        return tuple(1 if i in where else next(it) for i in range(n))


class Squeeze(DataMovement):
    """Drops size-1 axes (all of them when axis is None); a named axis must have size 1."""

    keras_name = "Squeeze"
    op_name = "squeeze"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axis", None))

    def compute(self, v: dict[str, Any]) -> Shape:
        x = v["x"]
        axes = _axes(v["axis"])
        if axes is None:
            return tuple(d for d in x if not (F.is_int(d) and d == 1))
        drop = set()
        for a in axes:
            i = canonical_axis(a, len(x))
            if not (x[i] == 1 or _sym(x[i])):
                raise ValueError(f"cannot squeeze axis {a}: its size is {x[i]}, not 1")
            drop.add(i)
        return tuple(d for i, d in enumerate(x) if i not in drop)


class Concatenate(DataMovement):
    """Joins tensors along ``axis`` (default 0, the batch axis, as in numpy)."""

    keras_name = "Concatenate"
    op_name = "concatenate"
    PARAMS: ClassVar[tuple[Param, ...]] = (Param("xs", kind="tensors"), _kw("axis", 0))

    def compute(self, v: dict[str, Any]) -> Shape:
        xs = v["xs"]
        first = xs[0]
        ax = canonical_axis(v["axis"], len(first))
        total: Any = 0
        for s in xs:
            if len(s) != len(first):
                raise ValueError("every tensor must have the same rank")
            for i, (a, b) in enumerate(zip(s, first)):
                if i != ax and a is not None and b is not None and a != b and not (_sym(a) or _sym(b)):
                    raise ValueError(f"shapes must match except on axis {v['axis']}")
            total = None if total is None or s[ax] is None else total + s[ax]
        out = list(first)
        out[ax] = total
        return tuple(out)


class Stack(DataMovement):
    """Joins equal-shaped tensors along a new ``axis`` of size len(x)."""

    keras_name = "Stack"
    op_name = "stack"
    PARAMS: ClassVar[tuple[Param, ...]] = (Param("x", kind="tensors"), _kw("axis", 0))

    def compute(self, v: dict[str, Any]) -> Shape:
        xs = v["x"]
        first = list(xs[0])
        for s in xs[1:]:
            if len(s) != len(first) or any(a is not None and b is not None and a != b and not (_sym(a) or _sym(b))
                                            for a, b in zip(s, first)):
                raise ValueError("every tensor must have the same shape")
        first.insert(canonical_axis(v["axis"], len(first) + 1), len(xs))
        return tuple(first)


class Unstack(DataMovement):
    """Splits a tensor along ``axis`` into ``num`` tensors without that axis (a list: one
    output per slice); ``num`` defaults to the axis's size, which must then be known."""

    keras_name = "Unstack"
    op_name = "unstack"
    #: the reader gives the program a Python list of the outputs (``for x_t in tf.unstack(x)``)
    returns_list: ClassVar[bool] = True
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("num", None), _kw("axis", 0))

    def compute(self, v: dict[str, Any]) -> list[Shape]:
        x = tuple(v["x"])
        ax = canonical_axis(v["axis"], len(x))
        size, num = x[ax], v["num"]
        if num is None:
            if not F.is_int(size):
                what = "the batch axis" if ax == 0 else f"axis {v['axis']}"
                known = "is not known (None)" if size is None else f"{size} is not known here"
                raise ValueError(f"cannot unstack over {what}: its size {known}, and the list of tensors "
                                 "needs `num` or a known size")
            num = size
        elif not F.is_int(num) or num < 0 or (F.is_int(size) and size != num):
            raise ValueError(f"num={describe_value(num)} does not match the size {size} of axis {v['axis']}")
        return [x[:ax] + x[ax + 1:]] * num


class Moveaxis(DataMovement):
    keras_name = "Moveaxis"
    op_name = "moveaxis"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("source"), Param("destination"))

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["x"])
        n = len(x)
        src = [canonical_axis(a, n) for a in _axes(v["source"]) or ()]
        dst = [canonical_axis(a, n) for a in _axes(v["destination"]) or ()]
        if len(src) != len(dst):
            raise ValueError("source and destination must have the same number of axes")
        rest = [d for i, d in enumerate(x) if i not in src]
        out: list[Any] = [None] * n
        placed = dict(zip(dst, (x[s] for s in src)))
        it = iter(rest)
        for i in range(n):
            out[i] = placed[i] if i in placed else next(it)
        return tuple(out)


class Swapaxes(DataMovement):
    keras_name = "Swapaxes"
    op_name = "swapaxes"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("axis1"), Param("axis2"))

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["x"])
        a, b = canonical_axis(v["axis1"], len(x)), canonical_axis(v["axis2"], len(x))
        x[a], x[b] = x[b], x[a]
        return tuple(x)


class Tile(DataMovement):
    """Repeats x along each axis; a shorter ``repeats`` applies to the last axes."""

    keras_name = "Tile"
    op_name = "tile"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("repeats"))

    def compute(self, v: dict[str, Any]) -> Shape:
        x, reps = list(v["x"]), list(_axes(v["repeats"]) or ())
        if len(x) > len(reps):
            reps = [1] * (len(x) - len(reps)) + reps
        else:
            x = [1] * (len(reps) - len(x)) + x
        return tuple(None if d is None else d * r for d, r in zip(x, reps))


class Repeat(DataMovement):
    """Repeats each value ``repeats`` times along ``axis`` (None: of the flattened x)."""

    keras_name = "Repeat"
    op_name = "repeat"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("repeats"), _kw("axis", None))

    def compute(self, v: dict[str, Any]) -> Shape:
        x, reps, axis = list(v["x"]), list(_axes(v["repeats"]) or ()), v["axis"]
        size = (None if None in x else F.prod(x)) if axis is None else x[canonical_axis(axis, len(x))]
        if size is None:
            return (None,) if axis is None else tuple(x)
        if len(reps) == 1:
            n = size * reps[0]
        elif F.is_int(size) and len(reps) != size:
            raise ValueError(f"repeats has {len(reps)} values for an axis of size {size}")
        else:
            n = sum(reps)
        if axis is None:
            return (n,)
        x[canonical_axis(axis, len(x))] = n
        return tuple(x)


class ShapeOf(DataMovement):
    """``tf.shape(x)``: a 1-D tensor holding x's sizes, of length rank(x). (Keras 3's
    ``keras.ops.shape`` returns a Python tuple instead and makes no node.)"""

    keras_name = "Shape"
    op_name = "shape"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(),)

    def compute(self, v: dict[str, Any]) -> Shape:
        return (len(v["x"]),)


class OneHot(DataMovement):
    """A new axis of size ``num_classes`` (at ``axis``, default last)."""

    keras_name = "OneHot"
    op_name = "one_hot"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("num_classes"), _kw("axis", -1), _kw("dtype", None), _kw("sparse", False))

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["x"])
        axis = v["axis"]
        pos = len(x) if axis == -1 else canonical_axis(axis, len(x) + 1)
        x.insert(pos, v["num_classes"])
        return tuple(x)
