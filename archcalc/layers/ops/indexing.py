"""Indexing: ``x[key]`` (``keras.ops`` ``get_item``) with ints, slices, ``None`` and ``...``."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers import formulas as F
from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Param, fmt_arg
from archcalc.layers.ops.arguments import tensor_param as _x
from archcalc.layers.ops.movement import DataMovement


class GetItem(DataMovement):
    """``x[key]``: ints drop an axis, slices keep it (its length from start/stop/step),
    ``None`` adds a size-1 axis, ``...`` stands for the axes not named. Slicing an axis of
    unknown size (None) keeps it unknown; on a symbolic size, the slice is assumed to fit."""

    keras_name = "GetItem"
    op_name = "get_item"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("key"))

    def check(self, cfg: dict[str, Any]) -> None:
        key = cfg["key"]
        items = list(key) if isinstance(key, (list, tuple)) else [key]
        for k in items:
            ok = k is None or k is Ellipsis or F.is_int(k) or (
                isinstance(k, slice) and all(x is None or F.is_int(x) for x in (k.start, k.stop, k.step)))
            if not ok:
                raise ValueError(f"unsupported index {fmt_arg(k)} (use ints, slices, None or ...)")
            if isinstance(k, slice) and k.step == 0:
                raise ValueError("slice step cannot be zero")
        if items.count(Ellipsis) > 1:
            raise ValueError("an index can only have one ellipsis ('...')")

    def compute(self, v: dict[str, Any]) -> Shape:
        x, key = list(v["x"]), v["key"]
        items = list(key) if isinstance(key, (list, tuple)) else [key]
        if Ellipsis not in items:
            items.append(Ellipsis)
        out: list[Any] = []
        while items:
            k = items.pop(0)
            if k is Ellipsis:
                needed = len(items) - sum(1 for i in items if i is None)
                take = len(x) - needed
                if take < 0:
                    raise ValueError(f"too many indices for a tensor of rank {len(v['x'])}")
                out += x[:take]
                x = x[take:]
                continue
            if k is None:
                out.append(1)
                continue
            if not x:
                raise ValueError(f"too many indices for a tensor of rank {len(v['x'])}")
            n = x.pop(0)
            if F.is_int(k):
                if F.is_int(n) and not -n <= k < n:
                    raise ValueError(f"index {k} is out of range for an axis of size {n}")
                continue
            out.append(_slice_length(k, n))
        return tuple(out)


def _slice_length(s: slice, n: Any) -> Any:
    if n is None:
        return None
    if F.is_int(n):
        return len(range(*s.indices(n)))
    # symbolic n: negative bounds count from the end; the bounds are assumed to fit
    step = 1 if s.step is None else s.step
    if step > 0:
        start = 0 if s.start is None else (n + s.start if s.start < 0 else s.start)
        stop = n if s.stop is None else (n + s.stop if s.stop < 0 else s.stop)
        return F.ceil_div(stop - start, step)
    start = n - 1 if s.start is None else (n + s.start if s.start < 0 else s.start)
    stop = -1 if s.stop is None else (n + s.stop if s.stop < 0 else s.stop)
    return F.ceil_div(start - stop, -step)
