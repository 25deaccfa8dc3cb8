"""A layer of the file's own code as the reader traces it: a custom layer class (its
``compute_output_shape()``, else its ``call()`` run on fresh inputs in a scratch part of the graph:
``trace_call``; its weights from ``add_weight`` and the layers it calls; a subclass of a Keras
layer bound as that layer: ``keras_base``), ``RNN`` over the file's own cells, and ``Lambda``
layers (the given ``output_shape``, else the function traced on the input). Each gives a
``TracedLayer``, and, for ``emit``, the source it was read from (``layer_origin``,
``lambda_origin``; copied, never run). Built on classes.py's ``ClassesMixin`` (``call_method``).
"""

from __future__ import annotations

import ast
from typing import Any

from archcalc.errors import ArchcalcError, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers.base import Weight
from archcalc.readers.python import modules
from archcalc.readers.python.classes import ClassesMixin
from archcalc.readers.python.layer_types import LambdaLayer, TracedLayer, UserRNNLayer
from archcalc.readers.python.values import (
    Array,
    EvalError,
    Instance,
    LayerObj,
    Mod,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
    describe,
    is_literal,
    is_symbolic,
)


class TracingMixin(ClassesMixin):
    """Custom layers, RNNs over the file's cells and Lambda layers traced, for the Interpreter."""

    def trace_layer(self, inst: Instance, input_shape: Any, is_list: bool, e: ast.AST) -> TracedLayer:
        base = self.keras_base(inst, input_shape, e) if not is_list else None
        if base is not None and inst.cls.method("call") is None and inst.cls.method("compute_output_shape") is None:
            base_weights = base.layer.weights([input_shape])
            if inst.cls.method("build") is not None:
                self.call_method(inst, "build", [input_shape], {}, e)
            return TracedLayer(inst.cls.name, base.layer.output_shape([input_shape]),
                               [*base_weights, *inst.attrs.get("__weights__", [])], origin=self.layer_origin(inst))
        if inst.cls.method("build") is not None:
            self.call_method(inst, "build", [input_shape], {}, e)
        out: Any = None
        inner: list[Weight] = []
        if inst.cls.method("compute_output_shape") is not None:
            try:
                out = self.call_method(inst, "compute_output_shape", [input_shape], {}, e)
            except EvalError:
                out = None
            out = _shape_value(out)
        if out is None or inst.cls.kind == "model":
            out, inner = self.trace_call(inst, input_shape, is_list, e)
        elif inst.cls.method("call") is not None:
            self.check_call_shape(inst, input_shape, is_list, out, e)
        weights = [*inst.attrs.get("__weights__", []), *inner]
        if base is not None:
            weights = [*base.layer.weights([input_shape]), *weights]
        return TracedLayer(inst.cls.name, out, weights, origin=self.layer_origin(inst))

    def keras_base(self, inst: Instance, input_shape: Any, e: ast.AST) -> LayerObj | None:
        """A subclass of a Keras layer (``class WSConv2D(layers.Conv2D)``): the base layer bound
        with the arguments its constructor got (``super().__init__(...)``, else the class's
        own); its weights are the instance's (``self.kernel``)."""
        base = _keras_layer_base(inst.cls)
        if base is None:
            return None
        args, kwargs = inst.attrs.get("__super_init__") or inst.ctor or ([], {})
        # named after the instance: the base takes no automatic name (conv2d) from later layers
        obj = self.make_layer(base, list(args), {**kwargs, "name": inst.name}, e)
        for w in obj.layer.weights([input_shape]):
            inst.attrs.setdefault(w.name, Array(tuple(w.shape), w.name))
        inst.attrs["__base__"] = ("base", obj)
        return obj

    def trace_call(self, inst: Instance, input_shape: Any, is_list: bool, e: ast.AST) -> tuple[Any, list[Weight]]:
        """Run ``call()`` on fresh inputs of the given shapes, in a scratch part of the graph."""
        from archcalc.nested_model import NestedModel

        if inst.cls.method("call") is None:
            raise self.error(f"'{inst.cls.name}' has no call() method for archcalc to read", e)
        before = set(self.nodes)
        shapes = input_shape if is_list else [input_shape]
        fresh = []
        for i, s in enumerate(shapes):
            n = self.unique(f"{inst.name}_input{i}")
            self.nodes[n] = Node(name=n, layer=None, shape=tuple(s), loc=inst.loc)
            fresh.append(Tensor(n))
        arg: Any = fresh if is_list else fresh[0]
        try:
            result = self.call_method(inst, "call", [arg], {}, e)
        finally:
            new = [n for n in self.nodes if n not in before]
        outs = result if isinstance(result, (list, tuple)) else [result]
        if not outs or not all(isinstance(t, Tensor) for t in outs):
            for n in new:
                self.nodes.pop(n, None)
            raise self.error(
                f"cannot work out the output shape of '{inst.name}' ({inst.cls.name}): its call() returns "
                f"{describe(result)}", e,
                "give the class a compute_output_shape(self, input_shape) method")
        g = Graph(name=inst.name, path=self.ev.path)
        for n in new:
            g.nodes[n] = self.nodes[n]
        g.inputs = [t.node for t in fresh]
        g.outputs = [t.node for t in outs]
        g.output_index = [t.index for t in outs] if any(t.index is not None for t in outs) else []
        shapes_out = [self.shape_of(t, e) for t in outs]
        inner_weights = NestedModel.of(g).weights([tuple(s) for s in shapes])
        for n in new:
            self.nodes.pop(n, None)
        out = shapes_out if isinstance(result, (list, tuple)) else shapes_out[0]
        return out, inner_weights

    def check_call_shape(self, inst: Instance, input_shape: Any, is_list: bool, out: Any, e: ast.AST) -> None:
        """Keras 3 takes a layer's shape from its compute_output_shape(); a trace of its call()
        that gives another shape is a note (one of the two is wrong in the file), not a pick."""
        try:
            traced, _ = self.trace_call(inst, input_shape, is_list, e)
        except ArchcalcError:
            return
        if _fmt(traced) != _fmt(out):
            self.notes.append(
                f"'{inst.name}' ({inst.cls.name}): compute_output_shape() gives {_fmt(out)} but its call() gives "
                f"{_fmt(traced)}; archcalc shows compute_output_shape()'s, as Keras 3 does when it builds the "
                "model (Keras runs call() on real data: check the class)")

    def layer_origin(self, inst: Instance) -> dict[str, Any] | None:
        """What ``emit`` needs to write a layer of the user's own class: its code (the class and
        what it uses, from this file) and its constructor's arguments, when they are plain values."""
        from archcalc.readers.python.user_source import class_source

        tree = getattr(self, "tree", None)
        if tree is None or inst.cls.path not in (None, self.ev.path) or inst.ctor is None:
            return None
        args, kwargs = inst.ctor
        if not all(is_literal(v) for v in [*args, *kwargs.values()]):
            return None
        code = class_source(tree, self.ev.text, inst.cls.name)
        if code is None:
            return None
        return {"code": code, "args": list(args), "kwargs": dict(kwargs), "path": self.ev.path}

    def user_rnn_layer_obj(self, rnn: UserRNNLayer, shape: Any, e: ast.AST) -> LayerObj:
        """The layer of an RNN over the file's own cells, on an input of ``shape`` (batch, steps, features)."""
        if not isinstance(shape, tuple) or len(shape) != 3:
            raise self.error(f"RNN needs a 3-D input (batch, steps, features), got {describe(shape)}", e)
        if rnn.calls:
            return LayerObj(rnn.built, rnn.name, rnn.loc, {})  # a second call: shared weights
        batch, steps, features = shape
        weights: list[Weight] = []
        units: Any = features
        for cell in rnn.cells:
            if cell.cls.method("build") is not None:
                self.call_method(cell, "build", [(batch, units)], {}, e)
            weights += cell.attrs.get("__weights__", [])
            size = cell.attrs.get("output_size", cell.attrs.get("state_size"))
            if isinstance(size, (list, tuple)) and size:
                size = size[0]
            if not (isinstance(size, int) or is_symbolic(size)):
                raise self.error(f"cannot work out the output size of the RNN cell '{cell.name}' "
                                 f"({cell.cls.name}): its state_size is {describe(size)}", e,
                                 "set self.state_size (or self.output_size) to the cell's units in __init__")
            units = size
        out = (batch, steps, units) if rnn.return_sequences else (batch, units)
        rnn.built = TracedLayer("RNN", out, weights)
        rnn.calls.append(rnn.name)
        return LayerObj(rnn.built, rnn.name, rnn.loc, {})

    # -- Lambda layers ------------------------------------------------------------------------

    def call_lambda(self, lam: LambdaLayer, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A Lambda layer called on tensors: one Lambda node whose shape is the given
        output_shape, or that of its function traced on the input."""

        x = args[0] if args else kwargs.get("inputs")
        tensors = self.tensors(x, e, "inputs")
        shapes = [self.shape_of(t, e) for t in tensors]
        obj = self.lambda_layer_obj(lam, shapes, isinstance(x, (list, tuple)), e)
        return self.call_layer(obj, tensors, isinstance(x, (list, tuple)), e)

    def lambda_layer_obj(self, lam: LambdaLayer, shapes: list[Any], is_list: bool, e: ast.AST) -> LayerObj:
        """The layer of one call of a Lambda on inputs of the given shapes (in a Sequential, on
        the previous layer's output shape)."""
        # in a Sequential the layer is met when the model is assembled: its own line is the place
        where = self.loc(e) if getattr(e, "lineno", 0) else lam.loc
        out = lam.output_shape
        if isinstance(out, (list, tuple)) and all(isinstance(d, int) or d is None for d in out):
            out_shape: Any = (shapes[0][0] if shapes and isinstance(shapes[0], tuple) and shapes[0] else None, *out)
        elif isinstance(lam.fn, UserFunc):
            before = set(self.nodes)
            fresh = []
            for i, s in enumerate(shapes):
                n = self.unique(f"{lam.name}_input{i}")
                self.nodes[n] = Node(name=n, layer=None, shape=tuple(s), loc=lam.loc)
                fresh.append(Tensor(n))
            arg: Any = fresh if is_list else fresh[0]
            try:
                result = self.ev.call_user(lam.fn, [arg], {}, e)
                res_shape = self.shape_of(result, e) if isinstance(result, Tensor) else None
            finally:
                for n in [n for n in self.nodes if n not in before]:
                    self.nodes.pop(n, None)
            if res_shape is None or isinstance(res_shape, Unknown):
                raise SpecError("cannot work out the output shape of this Lambda layer", loc=where,
                                hint="give Lambda(..., output_shape=(...)) or use built-in layers")
            out_shape = res_shape
        else:
            raise SpecError("cannot work out the output shape of this Lambda layer: its function is "
                            f"{describe(lam.fn)}", loc=where, hint="give Lambda(..., output_shape=(...))")
        layer = TracedLayer("Lambda", out_shape, [], origin=self.lambda_origin(lam))
        obj = LayerObj(layer, lam.name if not lam.calls else self.unique(lam.name), lam.loc, {})
        lam.calls.append(obj.name)
        return obj

    def lambda_origin(self, lam: LambdaLayer) -> dict[str, Any] | None:
        """What emit needs to write a Lambda layer: its function's text (a lambda, or a function
        of this file) and the code that needs; None when its output shape was given instead."""
        from archcalc.readers.python.user_source import class_source, expression_source

        fn = lam.fn
        if self.tree is None or not isinstance(fn, UserFunc) or fn.path not in (None, self.ev.path):
            return None
        if isinstance(fn.node, ast.Lambda):
            found = expression_source(self.tree, self.ev.text, fn.node)
            return {"code": found[0], "function": found[1], "path": self.ev.path} if found else None
        if isinstance(fn.node, ast.FunctionDef):
            code = class_source(self.tree, self.ev.text, fn.node.name)
            return {"code": code, "function": fn.node.name, "path": self.ev.path} if code else None
        return None


def _shape_value(v: Any) -> Any:
    """compute_output_shape's answer as a shape (a tuple, or a list of tuples), else None."""
    if isinstance(v, tuple) and all(d is None or isinstance(d, int) or is_symbolic(d) for d in v):
        return v
    if isinstance(v, list) and v and all(isinstance(x, tuple) for x in v):
        return [s for s in (_shape_value(x) for x in v) if s is not None] or None
    if isinstance(v, list) and all(d is None or isinstance(d, int) for d in v):
        return tuple(v)
    return None


def _fmt(shape: Any) -> str:
    if isinstance(shape, list):
        return "[" + ", ".join(_fmt(s) for s in shape) + "]"
    if isinstance(shape, tuple):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    return describe(shape)


def _keras_layer_base(cls: UserClass) -> str | None:
    """The registered Keras layer a user class derives from (through its own bases), if any."""
    from archcalc.layers import registry

    for b in cls.bases:
        if isinstance(b, Mod) and modules.is_keras(b.path) and b.path[:2] == ("keras", "layers") \
                and b.name not in ("Layer", "Wrapper") and registry.get(b.name) is not None:
            return b.name
        if isinstance(b, UserClass):
            found = _keras_layer_base(b)
            if found is not None:
                return found
    return None
