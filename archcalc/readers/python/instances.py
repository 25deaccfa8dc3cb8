"""What the program does with objects of its own classes: their attributes (``self.dense``, a
class constant, a ``@property``), methods (``add_weight``, ``build``, ``compile``, ``fit``), calls
(a custom layer called on tensors is one node: ``instance_layer``), and the model of a subclassed
``keras.Model`` (``call()`` traced on its inputs: ``instance_model``; without ``call()``, its
sub-models: ``parts_model``). Built on tracing.py's ``TracingMixin`` (``trace_layer``).
"""

from __future__ import annotations

import ast
from typing import Any, cast

from archcalc.errors import Location, SpecError
from archcalc.graph import Node
from archcalc.layers.base import Weight
from archcalc.readers.python.layer_types import TracedLayer
from archcalc.readers.python.tfdata import fit_arguments
from archcalc.readers.python.tracing import TracingMixin
from archcalc.readers.python.values import (
    COMPILE_ARGS,
    Array,
    Instance,
    LayerObj,
    ModelObj,
    Tensor,
    Unknown,
    UserFunc,
    describe,
    fit_record,
    is_symbolic,
)

#: methods every keras.Layer / keras.Model has that change nothing the reader tracks
#: methods of a subclassed model that build or run it before a fit (fit then does not build it)
RUNS_BEFORE_FIT = frozenset({"build", "predict", "evaluate", "predict_on_batch", "test_on_batch"})
_INERT = {"add_loss", "add_metric", "add_update", "reset_states", "summary", "save", "save_weights",
          "load_weights", "get_config", "count_params", "plot_model", "get_weights", "set_weights",
          "evaluate", "predict", "train_step", "test_step", "predict_step", "compute_loss",
          "compute_mask", "export"}


class InstancesMixin(TracingMixin):
    """The objects of the file's classes, for the Interpreter."""

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
        if name in RUNS_BEFORE_FIT:
            inst.attrs["__ran__"] = True  # built or run before any fit: its batch is that call's
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
            return self.instance_fit(inst, args, kwargs, e)
        if name == "compile":
            comp: dict[str, Any] = dict(zip(COMPILE_ARGS, args, strict=False))
            comp.update(kwargs)
            inst.attrs["__compile__"] = (comp, self.loc(e))
            return None
        return Unknown(f"{inst.name}.{name}(...)", e.lineno)

    def instance_fit(self, inst: Instance, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``model.fit(...)`` of a subclassed model: recorded for lint, and the model built on
        its first batch if nothing built it before."""
        given = args[0] if args else kwargs.get("x")
        args, kwargs, x = fit_arguments(args, kwargs)  # a tf.data dataset: its batches
        # the batch axis Keras builds it with: a dataset's own (its element's), arrays' by
        # fit's rule; None when build() or predict() ran it first (that call's batch)
        ran = bool(inst.attrs.get("__ran__"))
        inst.attrs.setdefault("__fits__", []).append(fit_record(args, kwargs, self.loc(e)))
        if inst.cls.kind == "model" and inst.built_shapes is None:
            # Keras builds the model on the first batch: its inputs have the data's shapes,
            # and Keras 3 the batch size when every batch is full (as for a Sequential)
            if isinstance(x, Array):
                inst.built_shapes = (self.fit_batch_axis(given, x, kwargs, ran), *x.shape[1:])
            elif isinstance(x, (list, tuple)) and x and all(isinstance(a, Array) for a in x):
                inst.built_shapes = [(self.fit_batch_axis(given, a, kwargs, ran), *a.shape[1:]) for a in x]
        return Unknown(f"{inst.name}.fit(...)", e.lineno)

    def fit_batch_axis(self, given: Any, x: Array, kwargs: dict[str, Any], ran: bool) -> int | None:
        """The batch axis of the inputs ``fit`` builds a subclassed model on: Keras 3's rule
        (``assemble.fit_build_batch``), unless build() or predict() ran the model first (Keras
        keeps that call's batch: None here); tf.keras 2: None."""
        from archcalc.readers.python.assemble import fit_build_batch

        if self.era != "keras3" or ran:
            return None
        return fit_build_batch(given, x, kwargs)

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
            # on fresh tensors call_on reads nothing of a Call's own (its args), only a location
            out = self.call_on(self.model_layer(part, e), [fresh if len(fresh) > 1 else fresh[0]], {}, cast(ast.Call, here))
            outs = out if isinstance(out, (list, tuple)) else [out]
            m.inputs += [t.node for t in fresh]
            m.outputs += [t.node for t in outs if isinstance(t, Tensor)]
        self.notes.append(f"'{inst.name}' ({inst.cls.name}) has no call(): as in Keras's summary, its parts "
                          f"{', '.join(p.name for p in parts)} are listed, each on inputs of its own")
        m.fits = inst.attrs.setdefault("__fits__", [])
        inst.model = m
        return m


def _any_batch(shape: Any) -> Any:
    """``shape`` (or each of several shapes) with its batch axis None."""
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(d, (list, tuple)) for d in shape):
        return type(shape)(_any_batch(d) for d in shape)
    if isinstance(shape, dict):
        return {k: _any_batch(v) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape:
        return (None, *shape[1:])
    return shape
