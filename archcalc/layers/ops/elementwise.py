"""Element-wise operations: one value out per value in (``abs``, ``relu``, ``softmax``,
``cumsum``), two operands broadcast (``add``, ``greater``), and ``where``."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.layers import formulas as F
from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Param
from archcalc.layers.ops.arguments import kw_param as _kw
from archcalc.layers.ops.arguments import tensor_param as _x
from archcalc.layers.ops.axes import as_axes as _axes
from archcalc.layers.ops.axes import broadcast, canonical_axis
from archcalc.layers.ops.base import Op, define_op

_name: str
_op: str
_al: list[str]


class Unary(Op):
    """f(x) element by element: the shape of x."""

    keeps_rf = True
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(),)

    def compute(self, v: dict[str, Any]) -> Shape:
        return v["x"]


class Binary(Op):
    """x1 (op) x2 with broadcasting; either side may be a constant."""

    keeps_rf = True
    PARAMS: ClassVar[tuple[Param, ...]] = (Param("x1", kind="operand"), Param("x2", kind="operand"))

    def compute(self, v: dict[str, Any]) -> Shape:
        return broadcast(v["x1"], v["x2"])


class Comparison(Binary):
    """An element-wise comparison or logical op (a boolean tensor)."""


class Passthrough(Unary):
    """Values pass through, are converted or are filled in: no arithmetic."""


for _name, _op, *_al in (("StopGradient", "stop_gradient"), ("Identity", "identity"),
                          ("ZerosLike", "zeros_like"), ("OnesLike", "ones_like")):
    define_op(Passthrough, _name, _op, *_al, passes_values_through=_name == "Identity")
define_op(Passthrough, "Cast", "cast", params=(Param("dtype"),))

for _name, _op, *_al in (
    ("Negative", "negative"), ("Absolute", "absolute", "abs"), ("Square", "square"), ("Sqrt", "sqrt"),
    ("Rsqrt", "rsqrt"), ("Exp", "exp"), ("Log", "log"), ("Log1p", "log1p"), ("Expm1", "expm1"),
    ("Sin", "sin"), ("Cos", "cos"), ("Sign", "sign"), ("Floor", "floor"), ("Ceil", "ceil"),
    ("Reciprocal", "reciprocal"), ("Erf", "erf"), ("LogicalNot", "logical_not"),
):
    define_op(Unary, _name, _op, *_al)
define_op(Unary, "Round", "round", params=(_kw("decimals", 0),))

for _name, _op, *_al in (
    ("Relu6", "relu6"), ("Sigmoid", "sigmoid"), ("Tanh", "tanh"), ("Silu", "silu", "swish"),
    ("HardSigmoid", "hard_sigmoid"), ("HardSilu", "hard_silu", "hard_swish"), ("Selu", "selu"),
    ("Softplus", "softplus"), ("Softsign", "softsign"),
):
    define_op(Unary, _name, _op, *_al, activation=_op)
define_op(Unary, "Relu", "relu", activation="relu", params=(
    # keras.activations.relu's options (ops.relu has none)
    Param("negative_slope", 0.0, keyword_only=True), Param("max_value", None, keyword_only=True),
    Param("threshold", 0.0, keyword_only=True)))
define_op(Unary, "Gelu", "gelu", activation="gelu", params=(_kw("approximate", True),))
define_op(Unary, "LeakyRelu", "leaky_relu", activation="leaky_relu", params=(_kw("negative_slope", 0.2),))
define_op(Unary, "Elu", "elu", activation="elu", params=(_kw("alpha", 1.0),))


class Softmax(Unary):
    """``keras.ops.softmax``: the shape of x; ``axis`` must exist."""

    keras_name = "Softmax"
    op_name = "softmax"
    activation: ClassVar[str | None] = "softmax"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axis", -1))

    def compute(self, v: dict[str, Any]) -> Shape:
        for a in _axes(v["axis"]) or ():
            canonical_axis(a, len(v["x"]))
        return v["x"]


class LogSoftmax(Softmax):
    keras_name = "LogSoftmax"
    op_name = "log_softmax"
    activation = "log_softmax"


class Normalize(Softmax):
    """``keras.ops.normalize``: x / ||x|| along ``axis``."""

    keras_name = "Normalize"
    op_name = "normalize"
    activation = None
    family = "ops"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axis", -1), _kw("order", 2), _kw("epsilon", None))


class Clip(Unary):
    keras_name = "Clip"
    op_name = "clip"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), Param("x_min"), Param("x_max"))


class Cumsum(Unary):
    """Same shape along ``axis``; with axis None the input is flattened first."""

    keras_name = "Cumsum"
    op_name = "cumsum"
    PARAMS: ClassVar[tuple[Param, ...]] = (_x(), _kw("axis", None), _kw("dtype", None))

    def compute(self, v: dict[str, Any]) -> Shape:
        if v["axis"] is None:
            return (F.prod(v["x"]),)
        canonical_axis(v["axis"], len(v["x"]))
        return v["x"]


for _name, _op, *_al in (
    ("Add", "add"), ("Subtract", "subtract"), ("Multiply", "multiply"),
    ("TrueDivide", "true_divide"), ("Divide", "divide"), ("FloorDivide", "floor_divide"),
    ("Mod", "mod"), ("Power", "power"), ("Maximum", "maximum"), ("Minimum", "minimum"),
):
    define_op(Binary, _name, _op, *_al, is_gate=_name == "Multiply")
for _name, _op, *_al in (
    ("Equal", "equal"), ("NotEqual", "not_equal"), ("Greater", "greater"),
    ("GreaterEqual", "greater_equal"), ("Less", "less"), ("LessEqual", "less_equal"),
    ("LogicalAnd", "logical_and"), ("LogicalOr", "logical_or"),
):
    define_op(Comparison, _name, _op, *_al)


class Where(Op):
    """``keras.ops.where(condition, x1, x2)``: the three shapes broadcast."""

    keras_name = "Where"
    op_name = "where"
    keeps_rf = True
    PARAMS: ClassVar[tuple[Param, ...]] = (Param("condition", kind="operand"), Param("x1", kind="operand"), Param("x2", kind="operand"))

    def compute(self, v: dict[str, Any]) -> Shape:
        return broadcast(broadcast(v["condition"], v["x1"]), v["x2"])

    def check(self, cfg: dict[str, Any]) -> None:
        if len(self.slots) != 3:
            raise ValueError("give both x1 and x2 (where(condition) alone gives indices of unknown count)")
