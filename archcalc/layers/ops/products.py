"""Products that contract an axis: ``matmul`` (and ``@``)."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Const, Param
from archcalc.layers.ops.axes import broadcast
from archcalc.layers.ops.axes import is_symbolic as _sym
from archcalc.layers.ops.base import Op


class Matmul(Op):
    """Batched matrix product: (..., n, k) @ (..., k, m) -> (broadcast(...), n, m); a 1-D
    operand gets a temporary axis, as in numpy. ``transpose_a``/``transpose_b`` (tf.matmul's)
    swap the last two axes of that operand first."""

    keras_name = "Matmul"
    op_name = "matmul"
    PARAMS: ClassVar[tuple[Param, ...]] = (Param("x1", kind="operand"), Param("x2", kind="operand"),
              Param("transpose_a", False, keyword_only=True), Param("transpose_b", False, keyword_only=True))

    def compute(self, v: dict[str, Any]) -> Shape:
        a, b = list(v["x1"]), list(v["x2"])
        if not a or not b:
            raise ValueError("matmul needs tensors of rank 1 or more")
        if v["transpose_a"] and len(a) >= 2:
            a[-1], a[-2] = a[-2], a[-1]
        if v["transpose_b"] and len(b) >= 2:
            b[-1], b[-2] = b[-2], b[-1]
        a1, b1 = len(a) == 1, len(b) == 1
        if a1:
            a = [1, a[0]]
        if b1:
            b = [b[0], 1]
        k1, k2 = a[-1], b[-2]
        if k1 is not None and k2 is not None and k1 != k2 and not (_sym(k1) or _sym(k2)):
            raise ValueError(f"inner dimensions differ: {k1} and {k2}")
        out = [*broadcast(tuple(a[:-2]), tuple(b[:-2])), a[-2], b[-1]]
        if a1:
            del out[-2]
        if b1:
            del out[-1]
        return tuple(out)

    def contracted(self, inputs: list[Shape]) -> Any:
        """The length of the summed axis (for the cost)."""
        a = list(self.output_shape_input("x1", inputs))
        if self.cfg.get("transpose_a") and len(a) >= 2:
            return a[-2]
        return a[-1]

    def output_shape_input(self, name: str, inputs: list[Shape]) -> Shape:
        slot = self.slots[name]
        return slot.shape if isinstance(slot, Const) else inputs[slot]
