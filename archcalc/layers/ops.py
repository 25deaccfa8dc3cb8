"""Tensor operations as graph nodes: ``x + 3.0``, ``keras.ops.mean(x, axis=1)``, ``x[:, 0]``...

Functional Keras code applies operations between layers, and Keras 3 records each one as a
node of the model (an ``Operation``, not a ``Layer``). This module gives each operation a
layer type with 0 weights and Keras 3's output shape (broadcasting included), so the engine,
the cost model and the renderers treat it like any other node. Dimensions may be ints,
``None`` or sympy expressions; dtypes are not tracked.

For the readers
---------------
``bind_op(op, args, kwargs) -> (layer, order)``
    ``op`` is a ``keras.ops`` function name (``"add"``, ``"mean"``, ``"get_item"``,
    ``"image.resize"`` for ``keras.ops.image.resize``);
    ``args``/``kwargs`` are the call's arguments as Keras sees them, each tensor given as a
    :class:`TensorArg` marker (``TensorArg(0)`` for the first tensor the reader holds, ...)
    and everything else as a plain constant (numbers, nested lists, tuples, ``slice``,
    ``Ellipsis``, ``None``). It returns the bound layer and ``order``: the marker indices in
    the order the node's inputs must be listed (``x - y`` -> ``[0, 1]``, ``3.0 - x`` -> ``[0]``).
    A bad call raises :class:`~archcalc.errors.SpecError` (unknown op with a did-you-mean,
    unexpected keyword, missing argument, a tensor where a constant is needed).
``resolve(spelling) -> op name | None``
    The one table (:data:`SPELLINGS`) from the other spellings to ``keras.ops`` names: Python
    operators (``"+"``, ``"u-"``, ``"[]"``, ``"@"``...), ``tf.*``/``tf.math.*``/``tf.nn.*``
    (``tensorflow.`` and ``tf.compat.v1.`` fold to ``tf.``), the Keras 2 backend
    (``keras.backend.*``, ``K.*``), ``keras.activations.*``, and the tf.keras 2 ``TFOpLambda``
    function strings (pass ``"tf." + function``: ``"math.add"`` is ``tf.math.add``). ``keras.ops.X`` (and
    ``keras.ops.numpy.X``...) is ``X`` itself. :func:`bind_spelling` resolves and binds in
    one step, renaming the foreign arguments (``tf.transpose(a, perm)`` is
    ``transpose(x, axes)``) and applying that API's defaults (``K.expand_dims`` adds the
    last axis).
``layer.code(input_names) -> str``
    Keras 3 code for the bound op (``keras.ops.mean(x, axis=1)``), for code generators.
``op_for_class(class_name) -> op type | None``
    The op type for a class name Keras 3 writes in ``.keras``/``.json`` files (module
    ``keras.src.ops.*``): ``"Add"``, ``"Mean"``, ``"GetItem"``, ``"NotEqual"``...

Names and display, as Keras 3 does (checked with ``model.summary()`` and
``model.operations`` in Keras 3.15): an op node's type is the Keras ``Operation`` class name
(``Add``, ``TrueDivide``, ``GetItem``, ``Relu``), shown as ``add (Add)``; its name is that
class name in snake case (``add``, ``get_item``, ``true_divide``), made unique with ``_1``,
``_2``... like a layer's. Keras lists op nodes in ``model.operations`` but not in
``model.layers``; they have 0 parameters. Files keep the names they were saved with
(tf.keras 2 ``TFOpLambda`` nodes are named ``tf.math.add`` and so on). One difference:
``keras.activations.relu(x)`` is recorded by Keras as class ``ReLU`` (named ``re_lu``) and
read here as the ``relu`` op (type ``Relu``).
Use :func:`default_name` for the base name.

Op types are kept out of ``LayerType.registry`` (several Keras op classes share a layer's
class name: ``Add``, ``Reshape``, ``Concatenate``); they live in :data:`OPS` (by op name
and alias) and :data:`OPS_BY_CLASS` (by Keras class name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from archcalc.errors import SpecError, describe_value, did_you_mean
from archcalc.layers import formulas as F
from archcalc.layers.base import RF, LayerType, Shape, fmt_shape

REQUIRED = object()


@dataclass(frozen=True)
class TensorArg:
    """Marks a tensor argument in a call given to :func:`bind_op`: the reader's i-th tensor."""

    index: int

    def __repr__(self) -> str:
        return f"x{self.index}"


@dataclass(frozen=True)
class _Const:
    """A constant operand (a scalar or a nested list) and its shape."""

    value: Any
    shape: tuple


class Param(NamedTuple):
    """One argument of a ``keras.ops`` function, in its positional order.

    kind: ``tensor`` (must be a tensor), ``tensors`` (a list of tensors), ``operand`` (a
    tensor or a constant that broadcasts), ``const`` (a constant: an axis...), ``sizes`` (a
    tuple of sizes, each a constant or a scalar tensor whose value is only known when the
    model runs: that tensor becomes an input of the node and the size is None, as in Keras).
    """

    name: str
    default: Any = REQUIRED
    kind: str = "const"
    keyword_only: bool = False


def _x(name: str = "x") -> Param:
    return Param(name, kind="tensor")


#: op name and alias -> op type; Keras 3 class name -> op type
OPS: dict[str, type[Op]] = {}
OPS_BY_CLASS: dict[str, type[Op]] = {}


@dataclass(frozen=True)
class ShapedConstant:
    """A constant operand known only by its shape: a data array or a layer's own weight
    (``ops.matmul(inputs, self.kernel)`` in a custom layer)."""

    shape: tuple

    def __repr__(self) -> str:
        return f"<array of shape {self.shape}>"


def _const_shape(v: Any) -> tuple:
    """The shape of a constant operand: () for a number, (n, ...) for a nested list."""
    if isinstance(v, ShapedConstant):
        return tuple(v.shape)
    if isinstance(v, (list, tuple)):
        inner = {_const_shape(x) for x in v}
        if len(inner) > 1:
            raise SpecError(f"the constant {describe_value(v)} is not rectangular")
        return (len(v), *(inner.pop() if inner else ()))
    if v is None or isinstance(v, (bool, int, float, complex)) or hasattr(v, "free_symbols"):
        return ()
    raise SpecError(f"unsupported constant operand {describe_value(v)}", hint="use a number or a list of numbers")


def canonical_axis(axis: Any, ndim: int, what: str = "axis") -> int:
    """Keras's canonicalize_axis: an int in [-ndim, ndim) made non-negative."""
    if not F.is_int(axis):
        raise ValueError(f"{what} must be an integer, got {describe_value(axis)}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{what} {axis} is out of range for a tensor of rank {ndim}")
    return axis % ndim


def _axes(v: Any) -> tuple | None:
    if v is None:
        return None
    return tuple(v) if isinstance(v, (list, tuple)) else (v,)


def _sym(d: Any) -> bool:
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
        elif _sym(i) or _sym(j):
            out.append(j if F.is_int(j) else i)
        else:
            raise ValueError(f"shapes {fmt_shape(tuple(a))} and {fmt_shape(tuple(b))} do not broadcast "
                             f"({i} against {j})")
    return tuple(out)


# --- the op type ----------------------------------------------------------------------


class Op(LayerType):
    """A tensor operation: 0 weights, Keras 3's output shape.

    Subclasses set ``keras_name`` (the Keras ``Operation`` class), ``op_name`` (the
    ``keras.ops`` function), ``PARAMS`` and ``compute``. ``cfg`` holds the constant
    arguments; ``slots`` says where each tensor argument sits among the node's inputs.
    """

    family = "ops"
    op_name: ClassVar[str] = ""
    op_aliases: ClassVar[tuple[str, ...]] = ()
    PARAMS: ClassVar[tuple[Param, ...]] = ()
    #: the receptive field passes through (element-wise ops)
    keeps_rf: ClassVar[bool] = False
    #: the activation function this op applies (read by lint, as a layer's ``activation``)
    activation: ClassVar[str | None] = None

    slots: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # not LayerType's: op types stay out of the keras.layers registry
        super(LayerType, cls).__init_subclass__(**kwargs)
        if "op_name" in cls.__dict__ and cls.op_name:
            for n in (cls.op_name, *cls.op_aliases):
                OPS[n] = cls
            OPS_BY_CLASS.setdefault(cls.keras_name, cls)
        if cls.activation:
            cls.family = "activation"

    @classmethod
    def bind(cls, args: Sequence[Any], kwargs: dict[str, Any]) -> Op:  # type: ignore[override]
        """Re-bind from the keyword form (``given``); tensors are TensorArg markers."""
        return bind_op(cls.op_name, list(args), kwargs)[0]

    def output_shape(self, inputs: list[Shape]) -> Shape | list[Shape]:
        values: dict[str, Any] = {}
        for p in self.PARAMS:
            slot = self.slots.get(p.name)
            if isinstance(slot, int):
                values[p.name] = tuple(inputs[slot])
            elif isinstance(slot, list):
                values[p.name] = [i.shape if isinstance(i, _Const) else tuple(inputs[i]) for i in slot]
            elif isinstance(slot, _Const):
                values[p.name] = slot.shape
            else:
                values[p.name] = self.cfg.get(p.name)
        try:
            return self.compute(values)
        except ValueError as e:
            raise self.refuse(f"{e}; inputs {fmt_shape([tuple(s) for s in inputs])}") from None

    def compute(self, v: dict[str, Any]) -> Shape | list[Shape]:
        raise NotImplementedError

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        if not self.keeps_rf or not rfs:
            return None
        from archcalc.layers.merging import merge_rf

        return rfs[0] if len(rfs) == 1 else merge_rf(rfs)

    def check(self, cfg: dict[str, Any]) -> None:
        """Checks Keras makes when the op is called; may normalise ``cfg``; raise ValueError."""

    def call_repr(self) -> str:
        parts = []
        for p in self.PARAMS:
            if p.name not in self.given:
                continue
            v = self.given[p.name]
            parts.append(_fmt_arg(v) if not p.keyword_only and p.kind != "const" else f"{p.name}={_fmt_arg(v)}")
        return f"ops.{self.op_name}({', '.join(parts)})"

    def code(self, inputs: Sequence[str], module: str = "keras.ops") -> str:
        """Keras 3 code applying this op to the named input tensors (in the node's input
        order), e.g. ``keras.ops.mean(x, axis=1, keepdims=True)``; for code generators."""

        def text(v: Any) -> str:
            if isinstance(v, TensorArg):
                return inputs[v.index]
            if isinstance(v, list):
                return "[" + ", ".join(text(x) for x in v) + "]"
            if isinstance(v, tuple):
                return "(" + ", ".join(text(x) for x in v) + ("," if len(v) == 1 else "") + ")"
            if isinstance(v, slice):
                return f"slice({v.start!r}, {v.stop!r}, {v.step!r})"
            return "Ellipsis" if v is Ellipsis else repr(v)

        parts = []
        for p in self.PARAMS:
            if p.name in self.given:
                v = text(self.given[p.name])
                parts.append(v if p.kind != "const" and not p.keyword_only else f"{p.name}={v}")
        return f"{module}.{self.op_name}({', '.join(parts)})"


def _fmt_arg(v: Any) -> str:
    if isinstance(v, slice):
        return ":".join("" if x is None else str(x) for x in (v.start, v.stop, v.step)).rstrip(":") or ":"
    if v is Ellipsis:
        return "..."
    if isinstance(v, list):
        return "[" + ", ".join(_fmt_arg(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(_fmt_arg(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v)


def default_name(op: type[Op] | Op) -> str:
    """The base name Keras 3 gives an op node: its class name in snake case (GetItem -> get_item)."""
    name = op.keras_name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def bind_op(op: str, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Op, list[int]]:
    """Bind a ``keras.ops`` call; see the module docstring."""
    cls = OPS.get(op)
    if cls is None:
        hint = did_you_mean(op, OPS)
        raise SpecError(f"the tensor operation '{op}' is not supported",
                        hint=hint or "wrap it in a layer, or declare a custom layer (documentation: 'Custom layers')")
    where = f"ops.{op}"
    positional = [p for p in cls.PARAMS if not p.keyword_only]
    if len(args) > len(positional):
        raise SpecError(f"{where} takes at most {len(positional)} positional argument(s), got {len(args)}",
                        hint=f"{where}({', '.join(p.name for p in positional)})")
    given: dict[str, Any] = dict(zip((p.name for p in positional), args))
    by_name = {p.name: p for p in cls.PARAMS}
    for k, v in kwargs.items():
        if k == "name":
            continue
        if k not in by_name:
            hint = did_you_mean(k, by_name)
            raise SpecError(f"{where} got an unexpected keyword argument '{k}'",
                            hint=hint or "arguments: " + ", ".join(by_name))
        if k in given:
            raise SpecError(f"{where} got multiple values for argument '{k}'")
        given[k] = v
    order: list[int] = []
    slots: dict[str, Any] = {}
    cfg: dict[str, Any] = {"trainable": True}
    norm: dict[str, Any] = {}  # the keyword form, tensors renumbered by input position

    def tensor(v: Any, p: Param) -> int:
        if not isinstance(v, TensorArg):
            raise SpecError(f"{where}: argument '{p.name}' must be a tensor, got {_fmt_arg(v)}")
        order.append(v.index)
        return len(order) - 1

    for p in cls.PARAMS:
        if p.name not in given:
            if p.default is REQUIRED:
                raise SpecError(f"{where} is missing the required argument '{p.name}'",
                                hint=f"{where}({', '.join(q.name for q in positional if q.default is REQUIRED)})")
            if p.kind == "const":
                cfg[p.name] = p.default
            continue
        v = given[p.name]
        if p.kind == "tensor":
            slots[p.name] = tensor(v, p)
            norm[p.name] = TensorArg(slots[p.name])
        elif p.kind == "tensors":
            if not isinstance(v, (list, tuple)) or not v:
                raise SpecError(f"{where}: argument '{p.name}' must be a list of tensors, got {_fmt_arg(v)}")
            # a layer's own weight may sit among them (a class token: concatenate([cls, x], 1))
            slots[p.name] = [_Const(t, t.shape) if isinstance(t, ShapedConstant) else tensor(t, p) for t in v]
            norm[p.name] = [t.value if isinstance(t, _Const) else TensorArg(t) for t in slots[p.name]]
        elif p.kind == "operand":
            if isinstance(v, TensorArg):
                slots[p.name] = tensor(v, p)
                norm[p.name] = TensorArg(slots[p.name])
            else:
                slots[p.name] = _Const(v, _const_shape(v))
                norm[p.name] = v
        elif p.kind == "sizes" and isinstance(v, (list, tuple)) and _holds_tensor(v):
            sizes: list[Any] = []
            kept: list[Any] = []
            for d in v:
                if isinstance(d, TensorArg):
                    kept.append(TensorArg(tensor(d, p)))
                    sizes.append(None)
                elif _holds_tensor(d):
                    raise SpecError(f"{where}: argument '{p.name}' holds a nested tensor")
                else:
                    kept.append(d)
                    sizes.append(d)
            cfg[p.name] = tuple(sizes)
            norm[p.name] = type(v)(kept)
        else:
            if isinstance(v, TensorArg) or _holds_tensor(v):
                raise SpecError(f"{where}: argument '{p.name}' computed from a tensor is not supported",
                                hint="archcalc needs it as a constant")
            cfg[p.name] = v
            norm[p.name] = v
    if not order:
        raise SpecError(f"{where} needs at least one tensor argument")
    if cls.activation:
        cfg["activation"] = cls.activation
    self = cls.__new__(cls)
    self.slots = slots
    self.n_inputs = (len(order), len(order))  # type: ignore[misc]  # per call
    try:
        self.cfg = cfg
        self.check(cfg)
    except ValueError as e:
        raise SpecError(f"{where}: {e}") from None
    LayerType.__init__(self, cfg, norm)
    return self, order


def _holds_tensor(v: Any) -> bool:
    if isinstance(v, TensorArg):
        return True
    if isinstance(v, (list, tuple)):
        return any(_holds_tensor(x) for x in v)
    return False


# --- element-wise ------------------------------------------------------------------------


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


def _define(base: type[Op], keras_name: str, op_name: str, *aliases: str,
            params: tuple[Param, ...] = (), activation: str | None = None, **what: Any) -> type[Op]:
    """An op class; ``what``: the LayerType attributes saying what it is (is_gate=True)."""
    ns: dict[str, Any] = {"keras_name": keras_name, "op_name": op_name, "op_aliases": aliases,
                          "__doc__": f"``keras.ops.{op_name}``", "__module__": __name__, **what}
    if params:
        ns["PARAMS"] = base.PARAMS + params
    if activation:
        ns["activation"] = activation
    return type(keras_name + "Op", (base,), ns)


def _kw(name: str, default: Any) -> Param:
    return Param(name, default)


_name: str
_op: str
_al: list[str]


class Passthrough(Unary):
    """Values pass through, are converted or are filled in: no arithmetic."""


for _name, _op, *_al in (("StopGradient", "stop_gradient"), ("Identity", "identity"),
                          ("ZerosLike", "zeros_like"), ("OnesLike", "ones_like")):
    _define(Passthrough, _name, _op, *_al, passes_values_through=_name == "Identity")
_define(Passthrough, "Cast", "cast", params=(Param("dtype"),))

for _name, _op, *_al in (
    ("Negative", "negative"), ("Absolute", "absolute", "abs"), ("Square", "square"), ("Sqrt", "sqrt"),
    ("Rsqrt", "rsqrt"), ("Exp", "exp"), ("Log", "log"), ("Log1p", "log1p"), ("Expm1", "expm1"),
    ("Sin", "sin"), ("Cos", "cos"), ("Sign", "sign"), ("Floor", "floor"), ("Ceil", "ceil"),
    ("Reciprocal", "reciprocal"), ("Erf", "erf"), ("LogicalNot", "logical_not"),
):
    _define(Unary, _name, _op, *_al)
_define(Unary, "Round", "round", params=(_kw("decimals", 0),))

for _name, _op, *_al in (
    ("Relu6", "relu6"), ("Sigmoid", "sigmoid"), ("Tanh", "tanh"), ("Silu", "silu", "swish"),
    ("HardSigmoid", "hard_sigmoid"), ("HardSilu", "hard_silu", "hard_swish"), ("Selu", "selu"),
    ("Softplus", "softplus"), ("Softsign", "softsign"),
):
    _define(Unary, _name, _op, *_al, activation=_op)
_define(Unary, "Relu", "relu", activation="relu", params=(
    # keras.activations.relu's options (ops.relu has none)
    Param("negative_slope", 0.0, keyword_only=True), Param("max_value", None, keyword_only=True),
    Param("threshold", 0.0, keyword_only=True)))
_define(Unary, "Gelu", "gelu", activation="gelu", params=(_kw("approximate", True),))
_define(Unary, "LeakyRelu", "leaky_relu", activation="leaky_relu", params=(_kw("negative_slope", 0.2),))
_define(Unary, "Elu", "elu", activation="elu", params=(_kw("alpha", 1.0),))


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
    _define(Binary, _name, _op, *_al, is_gate=_name == "Multiply")
for _name, _op, *_al in (
    ("Equal", "equal"), ("NotEqual", "not_equal"), ("Greater", "greater"),
    ("GreaterEqual", "greater_equal"), ("Less", "less"), ("LessEqual", "less_equal"),
    ("LogicalAnd", "logical_and"), ("LogicalOr", "logical_or"),
):
    _define(Comparison, _name, _op, *_al)


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


# --- reductions ------------------------------------------------------------------------


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
    _define(Reduce, _name, _op, *_al)
_define(Reduce, "Max", "max", "amax", params=(_kw("initial", None),))
_define(Reduce, "Min", "min", "amin", params=(_kw("initial", None),))
_define(Reduce, "Prod", "prod", params=(_kw("dtype", None),))


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


# --- shapes ----------------------------------------------------------------------------


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


class Resize(Op):
    """``keras.ops.image.resize(images, size)``: the two spatial axes become ``size``
    (channels last unless data_format='channels_first'); a 3-D input is one image."""

    keras_name = "Resize"
    op_name = "image.resize"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("images", kind="tensor"), Param("size"), _kw("interpolation", "bilinear"), _kw("antialias", False),
        _kw("crop_to_aspect_ratio", False), _kw("pad_to_aspect_ratio", False), _kw("fill_mode", "constant"),
        _kw("fill_value", 0.0), _kw("data_format", None))

    def check(self, cfg: dict[str, Any]) -> None:
        size = cfg["size"]
        if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(F.is_int(d) or _sym(d) for d in size):
            raise ValueError(f"size must be (height, width), got {describe_value(size)}")
        cfg["size"] = tuple(size)

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["images"])
        if len(x) not in (3, 4):
            raise ValueError(f"images must be 3-D or 4-D, got rank {len(x)}")
        first = v["data_format"] == "channels_first"
        at = len(x) - 2 if first else len(x) - 3
        x[at:at + 2] = list(v["size"])
        return tuple(x)


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
                raise ValueError(f"unsupported index {_fmt_arg(k)} (use ints, slices, None or ...)")
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
        return slot.shape if isinstance(slot, _Const) else inputs[slot]


# --- other spellings -------------------------------------------------------------------


class Spelling(NamedTuple):
    """A foreign function's meaning as a ``keras.ops`` call.

    params: its arguments in positional order, ``"name"`` (same name), ``"name:keras"``
    (renamed) or ``"name:-"`` (ignored); defaults: values used when the argument is not
    given (or is None, for the names in ``none_is_default``).
    """

    op: str
    params: tuple[str, ...]
    defaults: dict[str, Any] = {}
    none_is_default: tuple[str, ...] = ()


def _s(op: str, params: str, defaults: dict[str, Any] | None = None, none: str = "") -> Spelling:
    return Spelling(op, tuple(params.split()), defaults or {}, tuple(none.split()))


_UNARY_TF = "x name:-"
_BIN = "x:x1 y:x2 name:-"
_RED_TF = "input_tensor:x axis keepdims name:-"
_RED_K = "x axis keepdims"

#: every other spelling of an op: Python operators, tf, the Keras 2 backend (``K.``),
#: keras.activations. TFOpLambda's ``function`` strings are these ``tf.`` names without ``tf.``.
SPELLINGS: dict[str, Spelling] = {
    # Python operators on tensors (binary: left operand first; "u-" is unary minus)
    "+": _s("add", "x1 x2"), "-": _s("subtract", "x1 x2"), "*": _s("multiply", "x1 x2"),
    "/": _s("true_divide", "x1 x2"), "//": _s("floor_divide", "x1 x2"), "%": _s("mod", "x1 x2"),
    "**": _s("power", "x1 x2"), "@": _s("matmul", "x1 x2"), "u-": _s("negative", "x"),
    "abs": _s("absolute", "x"), "[]": _s("get_item", "x key"), "~": _s("logical_not", "x"),
    "&": _s("logical_and", "x1 x2"), "|": _s("logical_or", "x1 x2"),
    ">": _s("greater", "x1 x2"), ">=": _s("greater_equal", "x1 x2"), "<": _s("less", "x1 x2"),
    "<=": _s("less_equal", "x1 x2"), "!=": _s("not_equal", "x1 x2"),
    # tf (tf.math.X folds to tf.X) and tf.keras 2's TFOpLambda functions
    "tf.__operators__.add": _s("add", _BIN), "tf.__operators__.getitem": _s("get_item", "tensor:x slice_spec:key"),
    "tf.__operators__.ne": _s("not_equal", _BIN), "tf.__operators__.eq": _s("equal", _BIN),
    "tf.add": _s("add", _BIN), "tf.subtract": _s("subtract", _BIN), "tf.multiply": _s("multiply", _BIN),
    "tf.divide": _s("true_divide", _BIN), "tf.truediv": _s("true_divide", _BIN),
    "tf.floordiv": _s("floor_divide", _BIN), "tf.floormod": _s("mod", _BIN), "tf.mod": _s("mod", _BIN),
    "tf.pow": _s("power", _BIN), "tf.maximum": _s("maximum", _BIN), "tf.minimum": _s("minimum", _BIN),
    "tf.equal": _s("equal", _BIN), "tf.not_equal": _s("not_equal", _BIN), "tf.greater": _s("greater", _BIN),
    "tf.greater_equal": _s("greater_equal", _BIN), "tf.less": _s("less", _BIN),
    "tf.less_equal": _s("less_equal", _BIN), "tf.logical_and": _s("logical_and", _BIN),
    "tf.logical_or": _s("logical_or", _BIN), "tf.logical_not": _s("logical_not", _UNARY_TF),
    "tf.negative": _s("negative", _UNARY_TF), "tf.abs": _s("absolute", _UNARY_TF),
    "tf.square": _s("square", _UNARY_TF), "tf.sqrt": _s("sqrt", _UNARY_TF), "tf.rsqrt": _s("rsqrt", _UNARY_TF),
    "tf.exp": _s("exp", _UNARY_TF), "tf.log": _s("log", _UNARY_TF), "tf.log1p": _s("log1p", _UNARY_TF),
    "tf.expm1": _s("expm1", _UNARY_TF), "tf.sin": _s("sin", _UNARY_TF), "tf.cos": _s("cos", _UNARY_TF),
    "tf.sign": _s("sign", _UNARY_TF), "tf.floor": _s("floor", _UNARY_TF), "tf.ceil": _s("ceil", _UNARY_TF),
    "tf.round": _s("round", _UNARY_TF), "tf.reciprocal": _s("reciprocal", _UNARY_TF),
    "tf.erf": _s("erf", _UNARY_TF), "tf.sigmoid": _s("sigmoid", _UNARY_TF), "tf.tanh": _s("tanh", _UNARY_TF),
    "tf.softplus": _s("softplus", "features:x name:-"), "tf.identity": _s("identity", "input:x name:-"),
    "tf.stop_gradient": _s("stop_gradient", "input:x name:-"), "tf.zeros_like": _s("zeros_like", "input:x dtype:- name:-"),
    "tf.ones_like": _s("ones_like", "input:x dtype:- name:-"),
    "tf.cast": _s("cast", "x dtype name:-"), "tf.shape": _s("shape", "input:x out_type:- name:- optimize:-"),
    "tf.clip_by_value": _s("clip", "t:x clip_value_min:x_min clip_value_max:x_max name:-"),
    "tf.where": _s("where", "condition x:x1 y:x2 name:-"),
    "tf.reduce_mean": _s("mean", _RED_TF), "tf.reduce_sum": _s("sum", _RED_TF),
    "tf.reduce_max": _s("max", _RED_TF), "tf.reduce_min": _s("min", _RED_TF),
    "tf.reduce_prod": _s("prod", _RED_TF), "tf.reduce_std": _s("std", _RED_TF),
    "tf.reduce_variance": _s("var", _RED_TF), "tf.reduce_any": _s("any", _RED_TF),
    "tf.reduce_all": _s("all", _RED_TF), "tf.reduce_logsumexp": _s("logsumexp", _RED_TF),
    "tf.argmax": _s("argmax", "input:x axis output_type:- name:-", {"axis": 0}, none="axis"),
    "tf.argmin": _s("argmin", "input:x axis output_type:- name:-", {"axis": 0}, none="axis"),
    "tf.cumsum": _s("cumsum", "x axis exclusive:- reverse:- name:-", {"axis": 0}),
    "tf.reshape": _s("reshape", "tensor:x shape:newshape name:-"),
    "tf.transpose": _s("transpose", "a:x perm:axes conjugate:- name:-"),
    "tf.expand_dims": _s("expand_dims", "input:x axis name:-"),
    "tf.squeeze": _s("squeeze", "input:x axis name:- squeeze_dims:axis"),
    "tf.concat": _s("concatenate", "values:xs axis name:-"),
    "tf.stack": _s("stack", "values:x axis name:-"),
    "tf.tile": _s("tile", "input:x multiples:repeats name:-"),
    "tf.repeat": _s("repeat", "input:x repeats axis name:-"),
    "tf.one_hot": _s("one_hot", "indices:x depth:num_classes on_value:- off_value:- axis dtype name:-",
                     {"axis": -1}, none="axis"),
    "tf.matmul": _s("matmul", "a:x1 b:x2 transpose_a transpose_b adjoint_a:transpose_a adjoint_b:transpose_b "
                              "a_is_sparse:- b_is_sparse:- output_type:- grad_a:- grad_b:- name:-"),
    "tf.linalg.matmul": _s("matmul", "a:x1 b:x2 transpose_a transpose_b adjoint_a:transpose_a "
                                     "adjoint_b:transpose_b a_is_sparse:- b_is_sparse:- output_type:- "
                                     "grad_a:- grad_b:- name:-"),
    "tf.image.resize": _s("image.resize", "images size method:interpolation preserve_aspect_ratio:- "
                                          "antialias name:-"),
    "tf.nn.relu": _s("relu", "features:x name:-"), "tf.nn.relu6": _s("relu6", "features:x name:-"),
    "tf.nn.sigmoid": _s("sigmoid", _UNARY_TF), "tf.nn.tanh": _s("tanh", _UNARY_TF),
    "tf.nn.softmax": _s("softmax", "logits:x axis name:- dim:axis", {"axis": -1}, none="axis"),
    "tf.nn.log_softmax": _s("log_softmax", "logits:x axis name:- dim:axis", {"axis": -1}, none="axis"),
    "tf.nn.gelu": _s("gelu", "features:x approximate name:-", {"approximate": False}),
    "tf.nn.silu": _s("silu", "features:x beta:- name:-"), "tf.nn.swish": _s("silu", "features:x beta:- name:-"),
    "tf.nn.elu": _s("elu", "features:x name:-"), "tf.nn.selu": _s("selu", "features:x name:-"),
    "tf.nn.softplus": _s("softplus", "features:x name:-"), "tf.nn.softsign": _s("softsign", "features:x name:-"),
    "tf.nn.leaky_relu": _s("leaky_relu", "features:x alpha:negative_slope name:-", {"negative_slope": 0.2}),
    "tf.nn.l2_normalize": _s("normalize", "x axis epsilon:- name:- dim:axis", {"axis": None}),
    # the Keras 2 backend (keras.backend / tf.keras.backend, usually imported as K)
    "K.mean": _s("mean", _RED_K), "K.sum": _s("sum", _RED_K), "K.max": _s("max", _RED_K),
    "K.min": _s("min", _RED_K), "K.prod": _s("prod", _RED_K), "K.std": _s("std", _RED_K),
    "K.var": _s("var", _RED_K), "K.any": _s("any", _RED_K), "K.all": _s("all", _RED_K),
    "K.logsumexp": _s("logsumexp", _RED_K),
    "K.argmax": _s("argmax", "x axis", {"axis": -1}), "K.argmin": _s("argmin", "x axis", {"axis": -1}),
    "K.cumsum": _s("cumsum", "x axis", {"axis": 0}),
    "K.concatenate": _s("concatenate", "tensors:xs axis", {"axis": -1}),
    "K.stack": _s("stack", "x axis", {"axis": 0}),
    "K.reshape": _s("reshape", "x shape:newshape"),
    "K.flatten": _s("reshape", "x", {"newshape": (-1,)}),
    "K.permute_dimensions": _s("transpose", "x pattern:axes"),
    "K.transpose": _s("transpose", "x"),
    "K.expand_dims": _s("expand_dims", "x axis", {"axis": -1}),
    "K.squeeze": _s("squeeze", "x axis"),
    "K.tile": _s("tile", "x n:repeats"),
    "K.repeat_elements": _s("repeat", "x rep:repeats axis"),
    "K.one_hot": _s("one_hot", "indices:x num_classes"),
    "K.cast": _s("cast", "x dtype"),
    "K.identity": _s("identity", "x name:-"), "K.stop_gradient": _s("stop_gradient", "variables:x"),
    "K.zeros_like": _s("zeros_like", "x dtype:- name:-"), "K.ones_like": _s("ones_like", "x dtype:- name:-"),
    "K.square": _s("square", "x"), "K.sqrt": _s("sqrt", "x"), "K.exp": _s("exp", "x"), "K.log": _s("log", "x"),
    "K.abs": _s("absolute", "x"), "K.sign": _s("sign", "x"), "K.round": _s("round", "x"),
    "K.sin": _s("sin", "x"), "K.cos": _s("cos", "x"), "K.pow": _s("power", "x:x1 a:x2"),
    "K.maximum": _s("maximum", "x:x1 y:x2"), "K.minimum": _s("minimum", "x:x1 y:x2"),
    "K.equal": _s("equal", "x:x1 y:x2"), "K.not_equal": _s("not_equal", "x:x1 y:x2"),
    "K.greater": _s("greater", "x:x1 y:x2"), "K.greater_equal": _s("greater_equal", "x:x1 y:x2"),
    "K.less": _s("less", "x:x1 y:x2"), "K.less_equal": _s("less_equal", "x:x1 y:x2"),
    "K.clip": _s("clip", "x min_value:x_min max_value:x_max"),
    "K.sigmoid": _s("sigmoid", "x"), "K.hard_sigmoid": _s("hard_sigmoid", "x"), "K.tanh": _s("tanh", "x"),
    "K.softmax": _s("softmax", "x axis", {"axis": -1}), "K.softplus": _s("softplus", "x"),
    "K.softsign": _s("softsign", "x"), "K.elu": _s("elu", "x alpha", {"alpha": 1.0}),
    "K.relu": _s("relu", "x alpha:negative_slope max_value threshold"),
    "K.l2_normalize": _s("normalize", "x axis", {"axis": None}),
    # keras.activations applied to tensors
    "keras.activations.relu": _s("relu", "x negative_slope max_value threshold"),
    "keras.activations.linear": _s("identity", "x"),
    "keras.activations.exponential": _s("exp", "x"),
    "keras.activations.gelu": _s("gelu", "x approximate", {"approximate": False}),
    "keras.activations.leaky_relu": _s("leaky_relu", "x negative_slope"),
    "keras.activations.swish": _s("silu", "x"), "keras.activations.hard_swish": _s("hard_silu", "x"),
}
# keras.activations.X(x) is keras.ops.X(x) for these
for _a in ("sigmoid", "tanh", "softmax", "log_softmax", "silu", "hard_sigmoid", "hard_silu", "elu", "selu",
           "softplus", "softsign", "relu6"):
    SPELLINGS.setdefault(f"keras.activations.{_a}", _s(_a, "x axis" if "softmax" in _a else "x"))

#: prefixes folded before the table lookup, longest first
_PREFIXES = (
    ("tensorflow.", "tf."), ("tf.compat.v1.", "tf."), ("tf.compat.v2.", "tf."), ("tf.math.", "tf."),
    ("tf.keras.backend.", "K."), ("tf_keras.backend.", "K."), ("keras.backend.", "K."),
    ("tf.keras.activations.", "keras.activations."), ("tf_keras.activations.", "keras.activations."),
    ("keras.src.activations.activations.", "keras.activations."), ("keras.src.ops.", "keras.ops."),
)
_OPS_SUBMODULES = re.compile(r"^keras\.ops\.(?:numpy|nn|math|core|linalg)\.")


def normalize_spelling(spelling: str) -> str:
    s = spelling
    changed = True
    while changed:
        changed = False
        for old, new in _PREFIXES:
            if s.startswith(old):
                s = new + s[len(old):]
                changed = True
    return _OPS_SUBMODULES.sub("keras.ops.", s)


#: keras.ops functions that share an op's name but make no node: identity() builds an eye
#: matrix, shape() returns a Python tuple of the static sizes
_NOT_NODES = frozenset({"identity", "shape"})


def resolve(spelling: str) -> str | None:
    """The ``keras.ops`` name of a spelling (see :data:`SPELLINGS`); None when unknown."""
    s = normalize_spelling(spelling)
    if s.startswith("keras.ops."):
        name = s[len("keras.ops."):]
        return name if name in OPS and name not in _NOT_NODES else None
    if s in SPELLINGS:
        return SPELLINGS[s].op
    if s in OPS and "." not in s:
        return s
    return None


def bind_spelling(spelling: str, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Op, list[int]]:
    """Resolve a spelling and bind its call, translating the foreign argument names."""
    s = normalize_spelling(spelling)
    op = resolve(spelling)
    if op is None:
        known = [*SPELLINGS, *(f"keras.ops.{n}" for n in OPS)]
        hint = did_you_mean(s, known)
        raise SpecError(f"the tensor operation '{spelling}' is not supported",
                        hint=hint or "wrap it in a layer, or declare a custom layer (documentation: 'Custom layers')")
    sp = SPELLINGS.get(s)
    if sp is None:
        return bind_op(op, args, kwargs)
    names = [p.split(":")[0] for p in sp.params]
    target = {p.split(":")[0]: (p.split(":")[1] if ":" in p else p.split(":")[0]) for p in sp.params}
    if len(args) > len(names):
        raise SpecError(f"{spelling} takes at most {len(names)} positional argument(s), got {len(args)}")
    given = dict(zip(names, args))
    for k, v in kwargs.items():
        if k == "name":  # every tf function takes one
            continue
        if k not in target:
            hint = did_you_mean(k, names)
            raise SpecError(f"{spelling} got an unexpected keyword argument '{k}'",
                            hint=hint or "arguments: " + ", ".join(names))
        given[k] = v
    out: dict[str, Any] = {}
    for k, v in given.items():
        t = target[k]
        if t == "-":
            continue
        if v is None and t in sp.none_is_default:
            continue
        out[t] = v
    for k, v in sp.defaults.items():
        out.setdefault(k, v)
    return bind_op(op, [], out)


# keras.activations.relu records its own class (in keras.src.activations), not ops.relu's
OPS_BY_CLASS["ReLU"] = OPS["relu"]


def op_for_class(class_name: str) -> type[Op] | None:
    """The op type for a Keras 3 operation class name written in a model file."""
    return OPS_BY_CLASS.get(class_name)
