"""Keras 3's shape rules shared by the op families: axes and broadcasting."""

from __future__ import annotations

from typing import Any

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import Shape, fmt_shape


def canonical_axis(axis: Any, ndim: int, what: str = "axis") -> int:
    """Keras's canonicalize_axis: an int in [-ndim, ndim) made non-negative."""
    if not F.is_int(axis):
        raise ValueError(f"{what} must be an integer, got {describe_value(axis)}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{what} {axis} is out of range for a tensor of rank {ndim}")
    return axis % ndim


def as_axes(v: Any) -> tuple | None:
    """An axis argument as a tuple (None stays None)."""
    if v is None:
        return None
    return tuple(v) if isinstance(v, (list, tuple)) else (v,)


def is_symbolic(d: Any) -> bool:
    """Whether a size is a sympy expression with symbols."""
    return bool(getattr(d, "free_symbols", None))


def broadcast(a: Shape, b: Shape) -> Shape:
    """Keras 3's broadcast_shapes: numpy rules; None against k gives k, None against 1 None.
    Two different symbolic sizes are assumed equal (the first is kept); a symbol against an
    int other than 1 takes the int."""
    n = max(len(a), len(b))
    pa: list[Any] = [1] * (n - len(a)) + list(a)
    pb: list[Any] = [1] * (n - len(b)) + list(b)
    out = []
    for i, j in zip(pa, pb):
        if F.is_int(i) and i == 1:
            out.append(j)
        elif i is None:
            out.append(None if F.is_int(j) and j == 1 else j)
        elif j is None or (F.is_int(j) and j == 1) or j == i:
            out.append(i)
        elif is_symbolic(i) or is_symbolic(j):
            out.append(j if F.is_int(j) else i)
        else:
            raise ValueError(f"shapes {fmt_shape(tuple(a))} and {fmt_shape(tuple(b))} do not broadcast "
                             f"({i} against {j})")
    return tuple(out)
