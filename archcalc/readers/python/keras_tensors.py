"""Tensor operations and the backend in the read: ``keras.ops`` / ``tf.*`` / ``K.*`` functions and
Python operators on tensors as op nodes (bound by ``archcalc/layers/ops/``: ``tensor_op``),
tensors made from nothing (``keras.random.normal(shape=...)``), a tensor's attributes and
methods (``x.shape``, ``x.get_shape()``), ``tf.Variable``, and ``keras.backend``'s settings and
facts (``K.image_data_format()``, ``K.set_image_data_format(...)``: facts.py).

Rows of keras_api's tables name the ``k_*`` and ``lib_*`` methods here.
"""

from __future__ import annotations

import ast
from typing import Any

from archcalc.errors import SpecError
from archcalc.readers.python import facts
from archcalc.readers.python.graph_nodes import NodesMixin, has_unknown
from archcalc.readers.python.values import Array, Instance, LayerObj, Mod, Tensor, Unknown, UserFunc


class TensorsMixin(NodesMixin):
    """Tensor operations and backend calls of the Interpreter."""

    # -- the rows of KERAS_CALLS, KERAS_MODULES and LIBRARY_FAMILIES --------------------------

    def k_op(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras.ops / backend / activations / tf.math... on tensors: one op node; on arrays of a
        custom layer's weights: their shape."""
        path, name = func.path, func.name
        if name in ("shape", "int_shape", "get_shape") and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(name, args, kwargs, e, source=".".join(path))
        if path[1] == "random":
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        if name in ("zeros", "ones", "zeros_like", "ones_like", "arange", "eye", "full"):
            return self.free_tensor(const_shape(name, args, kwargs), e)
        if name == "shape" and args:
            return Unknown("shape(...)", e.lineno)
        if args and isinstance(args[0], Array):  # a layer's weight or a constant, not a tensor yet
            if name in _SHAPE_KEEPING:
                return args[0]
            target = args[1] if len(args) > 1 else kwargs.get("shape")
            if name == "broadcast_to" and isinstance(target, (list, tuple)) and not has_unknown(target):
                return Array(tuple(target), args[0].what)
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def k_activation_get(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``keras.activations.get('relu')``: the activation function itself (a custom layer
        stores it and applies it in call())."""
        v = args[0] if args else kwargs.get("identifier")
        if v is None:
            return Mod(("keras", "activations", "linear"))
        if isinstance(v, str):
            return Mod(("keras", "activations", v))
        return v if isinstance(v, (Mod, UserFunc)) else NotImplemented

    def k_backend(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if len(func.path) == 2 and func.name != "backend":
            return NotImplemented
        return self.backend_call(func.name, args, kwargs, e)

    def lib_tensorflow(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        path = func.path
        sub = path[1:]
        if sub[-1:] == ("shape",) and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(sub[-1], args, kwargs, e, source=".".join(path))
        if sub[:1] == ("random",) or sub[-1:] in (("zeros",), ("ones",)):
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        if sub and sub[-1].endswith("_initializer"):  # tf.random_normal_initializer(): called with a shape
            return ("initializer", ".".join(path))
        if sub == ("Variable",):
            return self.tf_variable(args, kwargs, e)
        return Unknown(f"{'.'.join(path)}(...)", e.lineno)

    def tf_variable(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``tf.Variable(initial_value=w_init(shape=(784, 128)))``: a tensor of that shape. In a
        layer it is no weight of Keras 3 (which tracks only its own variables): a note says so."""
        value = kwargs.get("initial_value", args[0] if args else None)
        if self.self_stack and isinstance(self.self_stack[-1], Instance) and self.self_stack[-1].cls.kind == "layer":
            self.notes.append(f"{self.self_stack[-1].cls.name} makes its weights with tf.Variable (line "
                              f"{self.loc(e).line}): Keras 3 does not track them, so they add no parameters "
                              f"(tf.keras 2 counted them); self.add_weight(...) makes weights Keras 3 counts")
        return value if isinstance(value, (Array, Tensor)) else Unknown("tf.Variable(...)", e.lineno)

    # -- keras.backend ------------------------------------------------------------------------

    def backend_call(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name in facts.BACKEND_SETTERS and args and isinstance(args[0], str):
            fact = facts.BACKEND_SETTERS[name]
            value = args[0]
            self.backend[fact] = value
            if fact == "image_dim_ordering":
                self.backend["image_data_format"] = facts.DIM_ORDERING.get(value, value)
            elif fact == "image_data_format":
                self.backend["image_dim_ordering"] = "th" if value == "channels_first" else "tf"
            return None
        if name in self.backend and not args:
            return self.backend[name]
        if name == "int_shape" and args and isinstance(args[0], Tensor):
            return self.shape_of(args[0], e)
        if name == "is_keras_tensor" and args:
            return isinstance(args[0], Tensor)
        if name in ("clear_session", "set_learning_phase", "set_session", "manual_variable_initialization"):
            return None
        if any(isinstance(a, Tensor) for a in [*args, *kwargs.values()]) or (
                args and isinstance(args[0], (list, tuple)) and any(isinstance(x, Tensor) for x in args[0])):
            return self.tensor_op(name, args, kwargs, e, source=f"keras.backend.{name}")
        if name in ("random_normal", "random_uniform", "truncated_normal", "random_binomial", "random_bernoulli",
                    "zeros", "ones"):  # K.random_normal(shape=(50, 2)): noise of that shape (a fixed batch)
            return self.free_tensor(kwargs.get("shape", args[0] if args else None), e)
        return Unknown(f"K.{name}(...)", e.lineno)

    # -- op nodes -----------------------------------------------------------------------------

    def tensor_op(self, op: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST, source: str = "") -> Any:
        """An operation on tensors (``x + 3.0``, ``keras.ops.mean(x, axis=1)``, ``tf.nn.relu(x)``)
        as an op node, bound by archcalc.layers.ops (``source`` is the spelling as written)."""
        from archcalc.layers import ops

        tensors: list[Tensor] = []

        def mark(v: Any) -> Any:
            if isinstance(v, Tensor):
                tensors.append(v)
                return ops.TensorArg(len(tensors) - 1)
            if isinstance(v, list):
                return [mark(x) for x in v]
            if isinstance(v, tuple):
                return tuple(mark(x) for x in v)
            if isinstance(v, Array):
                return ops.ShapedConstant(tuple(v.shape))
            if isinstance(v, Unknown):
                return self.ev.symbol_for(v)
            return v

        margs = [mark(a) for a in args]
        mkw = {k: mark(v) for k, v in kwargs.items() if k not in ("name",)}
        try:
            if source:
                layer_type, order = ops.bind_spelling(source, margs, mkw)
            else:
                layer_type, order = ops.bind_op(op, margs, mkw)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        given = kwargs.get("name")
        name = given if isinstance(given, str) and given not in self.nodes else self.uid(ops.default_name(layer_type))
        obj = LayerObj(layer_type, name, self.loc(e), {})
        ordered = [tensors[i] for i in order]
        out = self.call_layer(obj, ordered, len(ordered) > 1, e)
        if getattr(layer_type, "returns_list", False):
            return self.output_list(out, e)
        return out

    def output_list(self, out: Tensor, e: ast.AST) -> list[Tensor]:
        """An op whose result is a Python list (``tf.unstack(x, axis=1)``): one tensor per
        output, as many as its shape computation gives (it refuses a length it cannot know)."""
        shapes = self.shape_of(out, e)
        if not isinstance(shapes, list):
            raise self.error(f"the number of tensors '{out.node}' makes is not known: its input's shape is "
                             "not known here", e, hint="give the input a known shape (keras.Input(shape=...))")
        return [Tensor(out.node, i) for i in range(len(shapes))]

    def free_tensor(self, shape: Any, e: ast.AST) -> Any:
        """A tensor made from nothing (``keras.random.normal(shape=...)``): its shape only."""
        if isinstance(shape, (list, tuple)):
            return Array(tuple(shape), "random tensor")
        return Unknown("random tensor", getattr(e, "lineno", 0))

    # -- a tensor's attributes and methods ----------------------------------------------------

    def tensor_attribute(self, t: Tensor, attr: str, e: ast.AST) -> Any:
        if attr not in ("shape", "ndim", "dtype") and not attr.startswith("_"):
            part = self.opaque_part(t, attr, e, attribute=True)  # outputs.pooler_output of an unread layer
            if part is not None:
                return part
        if attr == "shape":
            return self.shape_of(t, e)
        if attr == "ndim":
            s = self.shape_of(t, e)
            return len(s) if isinstance(s, tuple) else Unknown(f"{t.node}.ndim", getattr(e, "lineno", 0))
        if attr == "dtype":
            return "float32"
        if attr in ("get_shape", "numpy"):
            return ("tensormethod", t, attr)
        if attr == "name":
            return t.node
        if attr == "T":
            return self.tensor_op("transpose", [t], {}, e)
        if attr in ("reshape", "mean", "sum", "max", "min"):
            return ("tensormethod", t, attr)
        return Unknown(f"{t.node}.{attr}", getattr(e, "lineno", 0))

    def tensor_method(self, t: Tensor, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if name == "get_shape":
            return self.shape_of(t, e)
        if name in ("reshape", "mean", "sum", "max", "min"):
            return self.tensor_op(name, [t, *args], kwargs, e)
        return Unknown(f"{t.node}.{name}()", e.lineno)

    def tensor_subscript(self, t: Tensor, key: Any, e: ast.AST) -> Any:
        return self.tensor_op("get_item", [t, key], {}, e)


#: keras.ops / tf functions whose result has the shape of their first argument
_SHAPE_KEEPING = {"cast", "convert_to_tensor", "identity", "stop_gradient", "abs", "negative", "square",
                  "sqrt", "exp", "log", "tanh", "sigmoid", "relu", "softmax", "clip", "clip_by_value"}


def const_shape(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The shape of ``keras.ops.arange(n)``, ``zeros((a, b))`` and friends."""
    if name == "arange":
        nums = [a for a in args if isinstance(a, int) and not isinstance(a, bool)] or (
            [kwargs["stop"]] if isinstance(kwargs.get("stop"), int) else [])
        if len(nums) == 1:
            return (nums[0],)
        if len(nums) >= 2:
            step = nums[2] if len(nums) > 2 else 1
            return (len(range(nums[0], nums[1], step)),) if step else None
        return None
    shape = kwargs.get("shape", args[0] if args else None)
    return (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
