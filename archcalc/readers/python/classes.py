"""The file's own classes: subclassed ``keras.Model``s and custom ``Layer``s, read statically.

A model subclass makes its layers in ``__init__`` (``self.dense = Dense(64)``) and composes them
in ``call()``. The reader runs ``__init__`` on an :class:`Instance`, then traces ``call()`` on
inputs of the model's input shape (from ``build((None, 784))``, a call on a tensor, or the data
given to ``fit``), which gives an ordinary functional graph.

A layer subclass gets its weights from ``add_weight(shape=...)`` (in ``__init__`` or
``build(input_shape)``) plus the weights of the layers it calls, and its output shape from
``compute_output_shape()`` or, failing that, from tracing ``call()`` on its inputs (the notes'
``Sampling``: ``z_mean + exp(0.5 * z_log_var) * epsilon`` has the shape of ``z_mean``). In the
graph it is one node, as in Keras's summary.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError, Location, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers.base import LayerType, Weight
from archcalc.readers.python import modules
from archcalc.readers.python.tfdata import fit_arguments
from archcalc.readers.python.values import (
    COMPILE_ARGS,
    Array,
    EvalError,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Scope,
    Tensor,
    Unknown,
    UserClass,
    UserFunc,
    describe,
    fit_record,
    is_literal,
    is_symbolic,
)

if TYPE_CHECKING:
    from archcalc.readers.python.evaluator import Evaluator

#: methods every keras.Layer / keras.Model has that change nothing the reader tracks
_INERT = {"add_loss", "add_metric", "add_update", "reset_states", "summary", "save", "save_weights",
          "load_weights", "get_config", "count_params", "plot_model", "get_weights", "set_weights",
          "evaluate", "predict", "train_step", "test_step", "predict_step", "compute_loss",
          "compute_mask", "export"}


class TracedLayer(LayerType):
    """A custom layer as the reader traced it: fixed output shape(s) and weights."""

    keras_name = ""  # set per instance; kept out of the registry
    family = "custom"
    n_inputs = (0, None)

    def __init__(self, class_name: str, outputs: Any, weights: list[Weight], trainable: bool = True,
                 origin: dict[str, Any] | None = None) -> None:
        LayerType.__init__(self, {"trainable": trainable, "name": class_name}, {})
        self.keras_name = class_name  # type: ignore[misc]
        self._outputs = outputs
        self._weights = weights
        #: the class's code and constructor arguments (see ClassesMixin.layer_origin), or None
        self.origin = origin

    def output_shape(self, inputs: list[Any]) -> Any:
        return self._outputs

    def weights(self, inputs: list[Any]) -> list[Weight]:
        return list(self._weights)

    def receptive_field(self, rfs: Any, inputs: Any, output: Any) -> Any:
        return None

    def call_repr(self) -> str:
        return f"{self.keras_name}()"


class OpaqueLayer(LayerType):
    """A layer of a library archcalc does not read (TF Hub's ``KerasLayer``, a ``transformers``
    model, ``segmentation_models``): its parameters are one named size (``encoder.params``), its
    output one named size per axis (``encoder.out``), in the rank the next layer takes. A part
    of such a layer's output (``bert(ids)[1]``, ``.pooler_output``) is one too, without weights."""

    keras_name = ""  # the class as the file names it, per instance; kept out of the registry
    family = "opaque"
    n_inputs = (0, None)

    def __init__(self, class_name: str, var: str, origin: str, trainable: bool = True,
                 params: Any = None, sizes: dict[str, Any] | None = None) -> None:
        LayerType.__init__(self, {"trainable": trainable, "name": var}, {})
        self.keras_name = class_name  # type: ignore[misc]
        self.var = var
        self.origin = origin
        self.params = params  # None: a part of another opaque layer's output, no weights
        self.sizes = sizes or {}  # --set pins: "<var>.out", "<var>.d1" ...
        self.rank: int | None = None  # of the output without the batch axis; the next layer's

    def size(self, name: str) -> Any:
        from archcalc.readers.python.values import symbol

        key = f"{self.var}.{name}"
        return self.sizes.get(key, symbol(key))

    def shape_of_rank(self, batch: Any, rank: int) -> tuple:
        return (batch, *(self.size(f"d{i + 1}") for i in range(rank - 1)), self.size("out"))

    def output_shape(self, inputs: list[Any]) -> Any:
        batch = inputs[0][0] if inputs and isinstance(inputs[0], tuple) and inputs[0] else None
        return self.shape_of_rank(batch, self.rank or 1)

    def weights(self, inputs: list[Any]) -> list[Weight]:
        if self.params is None:
            return []
        return [Weight("weights", (self.params,), self.trainable)]

    def receptive_field(self, rfs: Any, inputs: Any, output: Any) -> Any:
        return None

    def call_repr(self) -> str:
        return self.origin


class LambdaLayer:
    """``Lambda(f, output_shape=...)``, until it is called: the layer node is made per call."""

    def __init__(self, fn: Any, output_shape: Any, name: str, loc: Location) -> None:
        self.fn = fn
        self.output_shape = output_shape
        self.name = name
        self.loc = loc
        self.calls: list[str] = []
        #: input_shape / batch_input_shape / input_dim, when it starts a Sequential
        self.kwargs: dict[str, Any] = {}


class UserRNNLayer(LambdaLayer):
    """``RNN(cell)`` over cells of the file's own: each cell's ``build`` runs on the step's
    shape (batch, features) when the layer meets its input; its ``state_size`` (or
    ``output_size``) is the size it passes on."""

    def __init__(self, cells: list[Any], return_sequences: bool, name: str, loc: Location) -> None:
        super().__init__(None, None, name, loc)
        self.cells = cells
        self.return_sequences = return_sequences
        self.built: Any = None


class ClassesMixin:
    """Class handling of the Interpreter."""

    #: the evaluator of the file's Python (interpreter.Interpreter holds it)
    ev: Evaluator
    model_attribute: Callable[..., Any]

    error: Callable[..., SpecError]
    eval_error: Callable[..., EvalError]
    loc: Callable[..., Location]
    uid: Callable[..., str]
    unique: Callable[..., str]
    nodes: dict[str, Node]
    call_layer: Callable[..., Any]
    make_layer: Callable[..., Any]
    sizes: Callable[..., Any]
    call_on: Callable[..., Any]
    shape_of: Callable[..., Any]
    tensors: Callable[..., Any]
    model_layer: Callable[..., Any]
    functional_graph: Callable[..., Any]
    models: list[tuple[str, Any, int]]
    self_stack: list[Instance]
    notes: list[str]
    graph_of: Callable[..., Any]

    # -- definitions ----------------------------------------------------------------------

    def classdef(self, s: ast.ClassDef, env: dict[str, Any]) -> UserClass:
        kind = "other"
        bases: list[Any] = []
        for b in s.bases:
            try:
                base = self.ev.expr(b, env)
            except SpecError:
                continue
            bases.append(base)
            if isinstance(base, Mod) and modules.is_keras(base.path) and base.name in (
                    "Model", "Sequential", "Functional"):
                kind = "model"
            elif isinstance(base, Mod) and modules.is_keras(base.path) and (
                    base.name == "Layer" or base.path[:2] == ("keras", "layers")):
                kind = "layer" if kind == "other" else kind
            elif isinstance(base, UserClass) and base.kind != "other":
                kind = base.kind
        cls = UserClass(s.name, kind, s.lineno, s, env, bases, self.ev.at, self.ev.path)
        for stmt in s.body:  # class-level constants: class CFG: IMG_SIZE = 224
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
                if not names:
                    continue
                try:
                    value = self.ev.expr(stmt.value, Scope(dict(cls.attrs), env))
                except SpecError:
                    value = Unknown(f"{s.name}.{names[0]}", stmt.lineno)
                for n in names:
                    cls.attrs[n] = value
        return cls

    def instantiate(self, cls: UserClass, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if cls.kind == "other":
            inst = Instance(cls, name=cls.name, loc=self.loc(e))
            init = cls.method("__init__")
            if init is not None and cls.node is not None:
                try:
                    self.call_method(inst, "__init__", args, kwargs, e)
                except EvalError:
                    pass
            return inst
        given = kwargs.get("name")
        inst = Instance(cls, name=given if isinstance(given, str) else "", loc=self.loc(e),
                        ctor=(list(args), dict(kwargs)))
        if cls.method("__init__") is not None:
            self.call_method(inst, "__init__", args, kwargs, e)
        if not inst.name:
            inst.name = self.uid(cls.name)
        return inst

    def call_method(self, inst: Instance, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        owner = inst.cls.owner_of(name)
        if owner is None or owner.node is None:
            return Unknown(f"{inst.cls.name}.{name}(...)", getattr(e, "lineno", 0))
        fn = owner.method(name)
        assert fn is not None
        f = UserFunc(fn, owner.closure or {}, owner.at, owner.path, bound=inst, owner=owner)
        self.self_stack.append(inst)
        try:
            return self.ev.call_user(f, args, kwargs, e)
        finally:
            self.self_stack.pop()

    def super_method(self, name: str) -> UserFunc | None:
        """``super().name`` inside a method of the file's class: the method of the next class of
        the file in self's method order that defines it (None: a Keras or library base)."""
        owner = self.ev.owners[-1] if self.ev.owners else None
        if owner is None or not self.self_stack:
            return None
        inst = self.self_stack[-1]
        order = _method_order(inst.cls) if isinstance(inst, Instance) else []
        at = next((i for i, c in enumerate(order) if c is owner), None)
        if at is None:
            return None
        for cls in order[at + 1:]:
            if cls.node is not None and any(isinstance(s, ast.FunctionDef) and s.name == name
                                            for s in cls.node.body):
                fn = cls.method(name)
                if fn is not None:
                    return UserFunc(fn, cls.closure or {}, cls.at, cls.path, bound=inst, owner=cls)
        return None

    # -- attributes -------------------------------------------------------------------------

    def instance_attribute(self, inst: Instance, attr: str, e: ast.AST) -> Any:
        if attr in inst.attrs:
            return inst.attrs[attr]
        if attr == "name":
            return inst.name
        try:
            return inst.cls.attribute(attr)  # a class-level constant (self.IMG_SIZE)
        except KeyError:
            pass
        owner = inst.cls.owner_of(attr)
        if owner is not None and owner.node is not None:
            fn = owner.method(attr)
            assert fn is not None
            if any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list):
                return self.call_method(inst, attr, [], {}, e)
            return UserFunc(fn, owner.closure or {}, owner.at, owner.path, bound=inst, owner=owner)
        if inst.cls.kind in ("model", "layer"):
            if attr in ("add_weight", "build", "fit", "compile", "add_variable", "convolution_op") or attr in _INERT:
                return ("instmethod", inst, attr)
            if attr in ("built", "trainable"):
                return True
            if attr in ("input", "inputs", "output", "outputs") and inst.cls.kind == "model":
                m = self.instance_model(inst, e)
                return self.model_attribute(m, attr, e)
            if attr == "layers":
                return [v for v in inst.attrs.values() if isinstance(v, (LayerObj, ModelObj, Instance))]
        return Unknown(f"{inst.cls.name}.{attr}", getattr(e, "lineno", 0))

    def set_instance_attribute(self, inst: Instance, attr: str, value: Any) -> None:
        inst.attrs[attr] = value

    def instance_method(self, inst: Instance, name: str, args: list[Any], kwargs: dict[str, Any],
                        e: ast.Call) -> Any:
        if name in ("add_weight", "add_variable"):
            return self.add_weight(inst, args, kwargs, e)
        if name == "convolution_op" and isinstance(inst.attrs.get("__base__"), tuple) and args:
            # the base convolution's op on its input, without the bias: its output shape
            base = inst.attrs["__base__"][1]
            x = args[0]
            shape = self.shape_of(x, e) if isinstance(x, Tensor) else None
            if shape is None or isinstance(shape, Unknown):
                return Unknown(f"{inst.name}.convolution_op(...)", getattr(e, "lineno", 0))
            op = TracedLayer("convolution_op", base.layer.output_shape([shape]), [])
            return self.call_layer(LayerObj(op, self.unique(f"{inst.name}_convolution_op"), self.loc(e), {}),
                                   [x], False, e)
        if name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            if inst.cls.kind == "model" and shape is not None and not isinstance(shape, Unknown):
                # a size read from elsewhere: a named size; the batch axis is None, as Keras
                # shows it once the model runs (build((4, 784)) names an example batch, and
                # Keras 3 leaves a subclassed model unbuilt by build alone)
                inst.built_shapes = _any_batch(self.sizes(shape))
                inst.model = None
            return None
        if name == "fit":
            args, kwargs, x = fit_arguments(args, kwargs)  # a tf.data dataset: its batches
            inst.attrs.setdefault("__fits__", []).append(fit_record(args, kwargs, self.loc(e)))
            if inst.cls.kind == "model" and inst.built_shapes is None:
                # Keras builds the model on the first batch: its inputs have the data's shapes
                if isinstance(x, Array):
                    inst.built_shapes = (None, *x.shape[1:])
                elif isinstance(x, (list, tuple)) and x and all(isinstance(a, Array) for a in x):
                    inst.built_shapes = [(None, *a.shape[1:]) for a in x]
            return Unknown(f"{inst.name}.fit(...)", e.lineno)
        if name == "compile":
            comp: dict[str, Any] = dict(zip(COMPILE_ARGS, args, strict=False))
            comp.update(kwargs)
            inst.attrs["__compile__"] = (comp, self.loc(e))
            return None
        return Unknown(f"{inst.name}.{name}(...)", e.lineno)

    def add_weight(self, inst: Instance, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        # Keras 3: add_weight(shape, initializer, dtype, trainable, ..., name); Keras 2: (name, shape, ...)
        if args and isinstance(args[0], str):
            kwargs = {"name": args[0], **({"shape": args[1]} if len(args) > 1 else {}), **kwargs}
        elif args:
            kwargs = {"shape": args[0], **kwargs}
        shape = kwargs.get("shape", ())
        if shape is None:
            shape = ()
        if isinstance(shape, int) or is_symbolic(shape):
            shape = (shape,)
        if isinstance(shape, Unknown) or not isinstance(shape, (list, tuple)) or any(
                isinstance(d, Unknown) for d in shape):
            raise self.error(f"the shape of this weight is not known: {describe(shape)}", e,
                             "give add_weight(shape=...) sizes the code computes from the layer's arguments "
                             "and input_shape")
        dims = tuple(shape)
        if any(d is None for d in dims):
            raise self.error(f"a weight needs a known shape, got {describe(dims)}", e,
                             "its sizes come from input_shape: build the layer on an input of known size")
        trainable = kwargs.get("trainable", True) is not False
        given = kwargs.get("name")
        name = given if isinstance(given, str) else f"weight_{len(inst.attrs)}"
        w = Weight(name, dims, trainable)
        inst.attrs.setdefault("__weights__", []).append(w)
        return Array(dims, name)

    # -- calls --------------------------------------------------------------------------------

    def call_instance(self, inst: Instance, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if inst.cls.kind == "other":
            owner = inst.cls.owner_of("__call__")
            if owner is not None:
                return self.call_method(inst, "__call__", args, kwargs, e)
            return Unknown(f"{inst.cls.name}(...)(...)", e.lineno)
        x = args[0] if args else kwargs.get("inputs")
        if isinstance(x, Array) and inst.cls.kind == "model":
            if inst.built_shapes is None:
                inst.built_shapes = (None, *x.shape[1:])
            return Unknown(f"{inst.name}(...)", e.lineno)
        if isinstance(x, Unknown) or x is None:
            raise self.error(f"the input of '{inst.name}' is not known: {describe(x)}", e)
        if inst.cls.kind == "model" and inst.built_shapes is None and isinstance(x, Tensor):
            inst.built_shapes = self.shape_of(x, e)
        layer = self.instance_layer(inst, e, x)
        return self.call_layer(layer, self.tensors(x, e, "inputs"), isinstance(x, (list, tuple)), e)

    def instance_layer(self, inst: Instance, e: ast.AST, x: Any = None) -> LayerObj:
        """The one layer node type of a custom layer (or of a subclassed model used as a layer)."""
        if inst.layer_obj is not None:
            return inst.layer_obj
        if x is None:
            raise self.error(f"'{inst.name}' ({inst.cls.name}) needs a call on an input before archcalc "
                             "can work out its shape", e,
                             "call it on a tensor, e.g. layer(keras.Input(shape=...))")
        shapes = [self.shape_of(t, e) for t in self.tensors(x, e, "inputs")]
        if any(isinstance(s, Unknown) for s in shapes):
            raise self.error(f"the input shape of '{inst.name}' is not known", e)
        is_list = isinstance(x, (list, tuple))
        input_shape: Any = list(shapes) if is_list else shapes[0]
        layer = self.trace_layer(inst, input_shape, is_list, e)
        inst.layer_obj = LayerObj(layer, inst.name, inst.loc or self.loc(e), {})
        return inst.layer_obj

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

    # -- subclassed models --------------------------------------------------------------------

    def instance_model(self, inst: Instance, e: ast.AST | None) -> ModelObj:
        """The functional graph of a subclassed model: ``call()`` traced on its inputs."""
        if inst.model is not None:
            return inst.model
        if inst.cls.method("call") is None:
            return self.parts_model(inst, e)
        shape = inst.built_shapes
        in_tensors: list[Tensor] = []
        shapes = shape if isinstance(shape, list) else [shape]
        is_list = isinstance(shape, list)
        for i, s in enumerate(shapes):
            name = self.unique("input_layer" if i == 0 else f"input_layer_{i}")
            node = Node(name=name, layer=None, shape=tuple(s) if isinstance(s, (list, tuple)) else None,
                        loc=inst.loc)
            if node.shape is None:
                node.meta["unknown_shape"] = f"{inst.name}.input"
            self.nodes[name] = node
            in_tensors.append(Tensor(name))
        arg: Any = in_tensors if is_list else in_tensors[0]
        result = self.call_method(inst, "call", [arg], {}, e or ast.Module(body=[], type_ignores=[]))
        outs = result if isinstance(result, (list, tuple)) else [result]
        if not outs or not all(isinstance(t, Tensor) for t in outs):
            raise SpecError(f"cannot trace the model '{inst.name}' ({inst.cls.name}): its call() returns "
                            f"{describe(result)}", loc=inst.loc,
                            hint="archcalc follows call() when it applies layers and keras.ops to its inputs")
        m = ModelObj("Functional", inst.name, inst.loc or Location(self.ev.path), class_name=inst.cls.name)
        m.inputs = [t.node for t in in_tensors]
        m.outputs = [t.node for t in outs]
        m.output_index = [t.index for t in outs] if any(t.index is not None for t in outs) else []
        comp = inst.attrs.get("__compile__")
        if comp is not None:
            from archcalc.readers.python.values import compile_settings

            m.compile = compile_settings(comp[0])
            m.compile_loc = comp[1]
        m.fits = inst.attrs.setdefault("__fits__", [])  # shared: a later fit() is seen too
        inst.model = m
        return m

    def parts_model(self, inst: Instance, e: ast.AST | None) -> ModelObj:
        """A model subclass without ``call()`` (Keras's VAE example trains through train_step):
        as Keras's summary lists it, its sub-models, each on inputs of its own."""
        parts = [v for v in inst.attrs.values() if isinstance(v, ModelObj)]
        if not parts:
            raise SpecError(f"the model '{inst.name}' ({inst.cls.name}) has no call() and no sub-models to list",
                            loc=inst.loc, hint="archcalc follows call() when it applies layers and keras.ops to its "
                            "inputs; --model picks another model of the file")
        here = e or ast.Module(body=[], type_ignores=[])
        m = ModelObj("Functional", inst.name or self.uid(inst.cls.name), inst.loc or Location(self.ev.path),
                     class_name=inst.cls.name)
        for part in parts:
            g = self.graph_of(part, e, nested=True)
            fresh = []
            for n in g.inputs:
                name = self.unique(f"{part.name}_input")
                self.nodes[name] = Node(name=name, layer=None, shape=g.nodes[n].shape, loc=inst.loc)
                fresh.append(Tensor(name))
            out = self.call_on(self.model_layer(part, e), [fresh if len(fresh) > 1 else fresh[0]], {}, here)
            outs = out if isinstance(out, (list, tuple)) else [out]
            m.inputs += [t.node for t in fresh]
            m.outputs += [t.node for t in outs if isinstance(t, Tensor)]
        self.notes.append(f"'{inst.name}' ({inst.cls.name}) has no call(): as in Keras's summary, its parts "
                          f"{', '.join(p.name for p in parts)} are listed, each on inputs of its own")
        m.fits = inst.attrs.setdefault("__fits__", [])
        inst.model = m
        return m



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


def _any_batch(shape: Any) -> Any:
    """``shape`` (or each of several shapes) with its batch axis None."""
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(d, (list, tuple)) for d in shape):
        return type(shape)(_any_batch(d) for d in shape)
    if isinstance(shape, dict):
        return {k: _any_batch(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape:
        return (None, *shape[1:])
    return shape


def _method_order(cls: UserClass) -> list[UserClass]:
    """The file's classes in ``cls``'s method resolution order (Python's C3 order for the
    single and simple multiple inheritance files use; library bases left out)."""
    order: list[UserClass] = []

    def walk(c: UserClass) -> None:
        order[:] = [o for o in order if o is not c]  # a shared base comes after its subclasses
        order.append(c)
        for b in c.bases:
            if isinstance(b, UserClass):
                walk(b)

    walk(cls)
    return order
