"""Binding a ``keras.ops`` call's arguments to an op's parameters, with Keras's rules, one
step each: the positional arguments, the keywords, then each parameter by its kind (a
tensor, a list of tensors, an operand, sizes that may hold tensors, a constant).

:func:`~archcalc.layers.ops.base.bind_op` runs these steps and makes the op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from archcalc.errors import SpecError, did_you_mean
from archcalc.layers.ops.arguments import (
    REQUIRED,
    Const,
    Param,
    ShapedConstant,
    TensorArg,
    const_shape,
    fmt_arg,
    holds_tensor,
)


def gather(where: str, params: Sequence[Param], args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments by parameter name: the positional ones in order, then the keywords
    (``name`` is ignored; an unknown or repeated keyword is an error)."""
    positional = [p for p in params if not p.keyword_only]
    if len(args) > len(positional):
        raise SpecError(f"{where} takes at most {len(positional)} positional argument(s), got {len(args)}",
                        hint=f"{where}({', '.join(p.name for p in positional)})")
    given: dict[str, Any] = dict(zip((p.name for p in positional), args))
    by_name = {p.name: p for p in params}
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
    return given


@dataclass
class Binding:
    """One call's bound arguments.

    order: the reader's tensor indices in the order the node lists its inputs; slots: where
    each tensor parameter sits among them (an int, a list for a list of tensors, a
    :class:`Const` for a constant operand); cfg: the constant arguments; norm: the keyword
    form, tensors renumbered by input position (the layer's ``given``).
    """

    where: str
    order: list[int] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    cfg: dict[str, Any] = field(default_factory=lambda: {"trainable": True})
    norm: dict[str, Any] = field(default_factory=dict)

    def bind(self, params: Sequence[Param], given: dict[str, Any]) -> None:
        """Bind every parameter: its default when not given, else by its kind."""
        for p in params:
            if p.name not in given:
                self.default(p, params)
                continue
            v = given[p.name]
            if p.kind == "tensor":
                self.bind_tensor(p, v)
            elif p.kind == "tensors":
                self.bind_tensors(p, v)
            elif p.kind == "operand":
                self.bind_operand(p, v)
            elif p.kind == "sizes" and isinstance(v, (list, tuple)) and holds_tensor(v):
                self.bind_sizes(p, v)
            else:
                self.bind_constant(p, v)
        if not self.order:
            raise SpecError(f"{self.where} needs at least one tensor argument")

    def default(self, p: Param, params: Sequence[Param]) -> None:
        """A parameter not given: its default (constants only), or an error when required."""
        if p.default is REQUIRED:
            required = ", ".join(q.name for q in params if not q.keyword_only and q.default is REQUIRED)
            raise SpecError(f"{self.where} is missing the required argument '{p.name}'",
                            hint=f"{self.where}({required})")
        if p.kind == "const":
            self.cfg[p.name] = p.default

    def tensor(self, v: Any, p: Param) -> int:
        """The next input slot for the tensor ``v``."""
        if not isinstance(v, TensorArg):
            raise SpecError(f"{self.where}: argument '{p.name}' must be a tensor, got {fmt_arg(v)}")
        self.order.append(v.index)
        return len(self.order) - 1

    def bind_tensor(self, p: Param, v: Any) -> None:
        self.slots[p.name] = self.tensor(v, p)
        self.norm[p.name] = TensorArg(self.slots[p.name])

    def bind_tensors(self, p: Param, v: Any) -> None:
        """A list of tensors; a layer's own weight may sit among them (a class token:
        ``concatenate([cls, x], 1)``)."""
        if not isinstance(v, (list, tuple)) or not v:
            raise SpecError(f"{self.where}: argument '{p.name}' must be a list of tensors, got {fmt_arg(v)}")
        self.slots[p.name] = [Const(t, t.shape) if isinstance(t, ShapedConstant) else self.tensor(t, p) for t in v]
        self.norm[p.name] = [t.value if isinstance(t, Const) else TensorArg(t) for t in self.slots[p.name]]

    def bind_operand(self, p: Param, v: Any) -> None:
        """A tensor or a constant that broadcasts."""
        if isinstance(v, TensorArg):
            self.bind_tensor(p, v)
        else:
            self.slots[p.name] = Const(v, const_shape(v))
            self.norm[p.name] = v

    def bind_sizes(self, p: Param, v: list | tuple) -> None:
        """Sizes of which some are scalar tensors: each becomes an input, its size None."""
        sizes: list[Any] = []
        kept: list[Any] = []
        for d in v:
            if isinstance(d, TensorArg):
                kept.append(TensorArg(self.tensor(d, p)))
                sizes.append(None)
            elif holds_tensor(d):
                raise SpecError(f"{self.where}: argument '{p.name}' holds a nested tensor")
            else:
                kept.append(d)
                sizes.append(d)
        self.cfg[p.name] = tuple(sizes)
        self.norm[p.name] = type(v)(kept)

    def bind_constant(self, p: Param, v: Any) -> None:
        """A constant argument (an axis, a size...): never computed from a tensor."""
        if isinstance(v, TensorArg) or holds_tensor(v):
            raise SpecError(f"{self.where}: argument '{p.name}' computed from a tensor is not supported",
                            hint="archcalc needs it as a constant")
        self.cfg[p.name] = v
        self.norm[p.name] = v
