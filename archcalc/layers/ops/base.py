"""The op type: :class:`Op`, the tables of op types (:data:`OPS`, :data:`OPS_BY_CLASS`), and
:func:`bind_op`, which makes a bound op from a call (the steps are in ``binding.py``).

Op types are kept out of ``LayerType.registry`` (several Keras op classes share a layer's
class name: ``Add``, ``Reshape``, ``Concatenate``); each registers itself here as it is
defined, by op name and alias (:data:`OPS`) and by Keras class name (:data:`OPS_BY_CLASS`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from archcalc.errors import SpecError, did_you_mean
from archcalc.layers.base import RF, LayerType, Shape, fmt_shape
from archcalc.layers.ops.arguments import Const, Param, TensorArg, fmt_arg
from archcalc.layers.ops.binding import Binding, gather

#: op name and alias -> op type; Keras 3 class name -> op type
OPS: dict[str, type[Op]] = {}
OPS_BY_CLASS: dict[str, type[Op]] = {}


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
                values[p.name] = [i.shape if isinstance(i, Const) else tuple(inputs[i]) for i in slot]
            elif isinstance(slot, Const):
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
            parts.append(fmt_arg(v) if not p.keyword_only and p.kind != "const" else f"{p.name}={fmt_arg(v)}")
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


def define_op(base: type[Op], keras_name: str, op_name: str, *aliases: str,
              params: tuple[Param, ...] = (), activation: str | None = None, **what: Any) -> type[Op]:
    """An op class, defined in ``base``'s module; ``what``: the LayerType attributes saying
    what it is (is_gate=True)."""
    ns: dict[str, Any] = {"keras_name": keras_name, "op_name": op_name, "op_aliases": aliases,
                          "__doc__": f"``keras.ops.{op_name}``", "__module__": base.__module__, **what}
    if params:
        ns["PARAMS"] = base.PARAMS + params
    if activation:
        ns["activation"] = activation
    return type(keras_name + "Op", (base,), ns)


def default_name(op: type[Op] | Op) -> str:
    """The base name Keras 3 gives an op node: its class name in snake case (GetItem -> get_item)."""
    name = op.keras_name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def bind_op(op: str, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[Op, list[int]]:
    """Bind a ``keras.ops`` call (see the package docstring): find the op type, gather the
    arguments by name, bind each parameter by its kind, then let the op check them."""
    cls = OPS.get(op)
    if cls is None:
        hint = did_you_mean(op, OPS)
        raise SpecError(f"the tensor operation '{op}' is not supported",
                        hint=hint or "wrap it in a layer, or declare a custom layer (documentation: 'Custom layers')")
    b = Binding(f"ops.{op}")
    b.bind(cls.PARAMS, gather(b.where, cls.PARAMS, args, kwargs))
    return _make(cls, b), b.order


def _make(cls: type[Op], b: Binding) -> Op:
    """The op of a binding, once its own checks pass."""
    if cls.activation:
        b.cfg["activation"] = cls.activation
    self = cls.__new__(cls)
    self.slots = b.slots
    self.n_inputs = (len(b.order), len(b.order))  # type: ignore[misc]  # per call
    try:
        self.cfg = b.cfg
        self.check(b.cfg)
    except ValueError as e:
        raise SpecError(f"{b.where}: {e}") from None
    LayerType.__init__(self, b.cfg, b.norm)
    return self


def op_for_class(class_name: str) -> type[Op] | None:
    """The op type for a Keras 3 operation class name written in a model file."""
    return OPS_BY_CLASS.get(class_name)
