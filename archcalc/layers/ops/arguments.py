"""The arguments of a tensor operation's call: tensor markers, constants, parameters.

A reader gives :func:`~archcalc.layers.ops.bind_op` each tensor as a :class:`TensorArg`
marker and everything else as a plain constant; an op type lists its arguments as
:class:`Param` rows in ``keras.ops``'s positional order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from archcalc.errors import SpecError, describe_value

REQUIRED = object()


@dataclass(frozen=True)
class TensorArg:
    """Marks a tensor argument in a call given to :func:`bind_op`: the reader's i-th tensor."""

    index: int

    def __repr__(self) -> str:
        return f"x{self.index}"


@dataclass(frozen=True)
class Const:
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


def tensor_param(name: str = "x") -> Param:
    """A parameter that must be a tensor (``x`` unless named)."""
    return Param(name, kind="tensor")


def kw_param(name: str, default: Any) -> Param:
    """A constant parameter with a default."""
    return Param(name, default)


@dataclass(frozen=True)
class ShapedConstant:
    """A constant operand known only by its shape: a data array or a layer's own weight
    (``ops.matmul(inputs, self.kernel)`` in a custom layer)."""

    shape: tuple

    def __repr__(self) -> str:
        return f"<array of shape {self.shape}>"


def const_shape(v: Any) -> tuple:
    """The shape of a constant operand: () for a number, (n, ...) for a nested list."""
    if isinstance(v, ShapedConstant):
        return tuple(v.shape)
    if isinstance(v, (list, tuple)):
        inner = {const_shape(x) for x in v}
        if len(inner) > 1:
            raise SpecError(f"the constant {describe_value(v)} is not rectangular")
        return (len(v), *(inner.pop() if inner else ()))
    if v is None or isinstance(v, (bool, int, float, complex)) or hasattr(v, "free_symbols"):
        return ()
    raise SpecError(f"unsupported constant operand {describe_value(v)}", hint="use a number or a list of numbers")


def holds_tensor(v: Any) -> bool:
    """Whether ``v`` is a tensor marker or a (nested) list holding one."""
    if isinstance(v, TensorArg):
        return True
    if isinstance(v, (list, tuple)):
        return any(holds_tensor(x) for x in v)
    return False


def fmt_arg(v: Any) -> str:
    """An argument as the op's call shows it: slices as ``1:3``, ``...``, lists, reprs."""
    if isinstance(v, slice):
        return ":".join("" if x is None else str(x) for x in (v.start, v.stop, v.step)).rstrip(":") or ":"
    if v is Ellipsis:
        return "..."
    if isinstance(v, list):
        return "[" + ", ".join(fmt_arg(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(fmt_arg(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v)
