"""Keras models in the read: ``Sequential`` (its entries added one by one: ``seq_add``),
``Model(inputs, outputs)``, and ``keras.applications`` models (one node each, from the tables of
applications.py; ``base.get_layer(name)`` cuts one there: ``app_cut``), with keras-applications'
helpers ``_obtain_input_shape`` and ``get_source_inputs``. Models loaded from files
(``load_model``) stay unknown values.

Rows of keras_api's tables name the ``k_*`` and ``lib_*`` methods here.
"""

from __future__ import annotations

import ast
from typing import Any

from archcalc import limits
from archcalc.errors import SpecError, did_you_mean
from archcalc.graph import Node
from archcalc.readers.python.graph_nodes import SPEC_HINT, NodesMixin, sorted_keys
from archcalc.readers.python.layer_types import LambdaLayer, MergedModels
from archcalc.readers.python.values import (
    AppCut,
    AppLayer,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    describe,
    is_symbolic,
)


class ModelsMixin(NodesMixin):
    """Keras models of the Interpreter."""

    # -- the rows of KERAS_CALLS and KERAS_MODULES: (func, args, kwargs, e) -> value ---------

    def k_sequential(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_sequential(args, kwargs, e)

    def k_functional(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_functional(args, kwargs, e)

    def k_unread_model(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return Unknown(f"keras.models.{func.name}(...)", e.lineno)

    # -- Sequential ---------------------------------------------------------------------------

    def make_sequential(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        layers = args[0] if args else kwargs.get("layers", [])
        if isinstance(layers, Unknown):
            raise self.blocked(layers, "the layer list is not known", e)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("sequential")
        m = ModelObj("Sequential", name, self.loc(e), trainable=kwargs.get("trainable", True) is not False)
        if layers is None:
            layers = []
        if not isinstance(layers, (list, tuple)):
            raise self.error("Sequential takes a list of layers", e)
        for item in layers:
            self.seq_add(m, item, e)
        return m

    def seq_add(self, m: ModelObj, item: Any, e: ast.AST) -> None:
        if isinstance(item, Unknown):
            opaque = self.opaque_layer(item, e)
            if opaque is None:
                raise self.blocked(item, "the layer is not known", e)
            item = opaque
        if isinstance(item, tuple) and item and item[0] == "input_layer":
            item = item[1]
        item = self.seq_add_deferred(m, item, e)
        if item is _ADDED:
            return
        if not isinstance(item, (LayerObj, ModelObj)):
            raise self.error(f"Sequential layers must be layers, got {describe(item)}", e)
        if isinstance(item, ModelObj) and item is m:
            raise self.error("a model cannot be added to itself", e)
        if not m.layers and m.input_shape is None and m.input_unknown is None and isinstance(item, LayerObj):
            self.sequential_input(m, item.kwargs, e, item.layer.is_embedding)
        limits.check_layers(len(m.layers) + 1, self.loc(e))
        m.layers.append(item)

    def seq_add_deferred(self, m: ModelObj, item: Any, e: ast.AST) -> Any:
        """``model.add(x)`` of an entry other than a layer or model: an Input starts the model; a
        custom layer, a Lambda or a Keras 1 Merge of models is kept to be traced when the model is
        assembled. _ADDED when done, else the layer to add (a custom layer's, once traced)."""
        if isinstance(item, Tensor):
            node = self.nodes[item.node]
            if not node.is_input or m.layers or m.input_shape is not None:
                raise self.error("only keras.Input(...) can start a Sequential model", e)
            m.input_shape, m.input_name = node.shape, node.name
            if node.shape is None:
                m.input_unknown = Unknown(node.meta.get("unknown_shape", "input"), 0)
            return _ADDED
        if isinstance(item, Instance):
            if item.cls.kind == "other":
                raise self.error(f"Sequential layers must be layers, got {describe(item)}", e)
            if item.layer_obj is not None:
                return item.layer_obj
            m.layers.append(item)  # traced when the model is assembled, on the previous shape
            return _ADDED
        if isinstance(item, LambdaLayer):
            # traced when the model is assembled, on the previous layer's output shape
            if not m.layers and m.input_shape is None:
                self.sequential_input(m, item.kwargs, e)
            m.layers.append(item)
            return _ADDED
        if isinstance(item, AppLayer):
            return self.seq_add_app_layers(m, item, e)
        if isinstance(item, MergedModels):
            if m.layers or m.input_shape is not None:
                raise self.error("a Merge of models can only start a Sequential model", e)
            m.layers.append(item)
            return _ADDED
        return item

    def seq_add_app_layers(self, m: ModelObj, item: AppLayer, e: ast.AST) -> Any:
        """``for layer in base.layers: model.add(layer)``: every layer of a keras.applications
        model, its input first, added one by one is that model (counted as one entry, with the
        trainable flag the loop gave its layers)."""
        app = item.model
        if not item.whole:
            raise self.error(f"some of the layers of {app.name} are added to a Sequential one by one", e,
                             f"add the whole model ({app.name}), or cut it at a layer: "
                             f"keras.Model({app.name}.input, {app.name}.get_layer(NAME).output)")
        if m.layers or m.input_shape is not None:
            raise self.error(f"the layers of {app.name} begin with its input layer, which can only start "
                             "a Sequential model", e)
        self.notes.append(f"the layers of {app.name} added one by one to {m.name} (line {self.loc(e).line}) "
                          f"are shown as one row, {app.name}; Keras lists them one by one, with the same counts")
        return app

    def sequential_input(self, m: ModelObj, kw: dict[str, Any], e: ast.AST, embedding: bool = False) -> None:
        """A Sequential's input from its first layer's input_shape / batch_input_shape / input_dim."""
        if kw.get("input_shape") is not None:
            if isinstance(kw["input_shape"], Unknown):
                m.input_unknown = kw["input_shape"]
            else:
                shape = kw["input_shape"]
                shape = (shape,) if isinstance(shape, int) or is_symbolic(shape) else tuple(shape)
                m.input_shape = (kw.get("batch_size") if isinstance(kw.get("batch_size"), int) else None,
                                 *self.sizes(shape))
        elif kw.get("batch_input_shape") is not None:
            if isinstance(kw["batch_input_shape"], Unknown):
                m.input_unknown = kw["batch_input_shape"]
            else:
                m.input_shape = tuple(self.sizes(tuple(kw["batch_input_shape"])))
        elif kw.get("input_dim") is not None and not embedding:
            m.input_shape = (None, self.sizes(kw["input_dim"]))
        elif embedding and kw.get("input_length") is not None:
            m.input_shape = (None, self.sizes(kw["input_length"]))  # Keras 2's meaning; Keras 3 ignores it

    # -- Model(inputs, outputs) ---------------------------------------------------------------

    def make_functional(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> ModelObj:
        from archcalc.readers.python import legacy

        kwargs, _changes = legacy.translate_model_kwargs(kwargs, self.era)
        inputs = args[0] if args else kwargs.get("inputs", kwargs.get("input"))
        outputs = args[1] if len(args) > 1 else kwargs.get("outputs", kwargs.get("output"))
        if inputs is None or outputs is None:
            raise self.error("Model(inputs, outputs) needs both", e,
                             "a subclassed model defines its layers in __init__ and call(); " + SPEC_HINT)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("functional")
        m = ModelObj("Functional", name, self.loc(e))
        m.inputs = [t.node for t in self.tensors(inputs, e, "inputs")]
        for n in m.inputs:
            if not self.nodes[n].is_input:
                raise self.error(f"Model inputs must come from keras.Input; '{n}' is a layer output", e)
        outs = self.tensors(outputs, e, "outputs")
        m.outputs = [t.node for t in outs]
        m.output_index = [t.index for t in outs] if any(t.index is not None for t in outs) else []
        if isinstance(outputs, dict):
            m.output_keys = [str(k) for k in sorted_keys(outputs)]
        m.output_list = isinstance(outputs, (list, tuple))
        self.graph_of(m, e)  # check now, so the error points at this line
        return m

    # -- keras.applications -------------------------------------------------------------------

    def k_application(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.application(func.name, args, kwargs, e)

    def application(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``keras.applications.MobileNetV2(...)``: a model of one node, from the table."""
        from archcalc.readers.python import applications as apps

        if name == "preprocess_input" and args and isinstance(args[0], Tensor):
            return args[0]  # element-wise scaling: the shape is unchanged, no weights
        if apps.entry(name) is None:
            return Unknown(f"keras.applications.{name}(...)", e.lineno)
        try:
            given = apps.bind(name, args, kwargs)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        entry = apps.entry(name, given) or {}
        include_top = given.get("include_top", True)
        if not isinstance(include_top, bool):
            raise self.blocked(include_top, "include_top is not known", e) if isinstance(
                include_top, Unknown) else self.error("include_top must be True or False", e)
        classes = self.sizes(given.get("classes", 1000))
        pooling = given.get("pooling")
        tensor = given.get("input_tensor")
        shape = given.get("input_shape")
        default = tuple(entry["default_size"])
        if isinstance(tensor, Tensor):
            full = self.shape_of(tensor, e)
            sources = self.source_input_nodes(tensor)
        else:
            if isinstance(shape, Unknown):
                shape = tuple(self.sizes(Unknown(f"{shape.what}[{i}]", shape.line)) for i in range(3))
            if shape is None:
                shape = (*default, 3) if include_top else (None, None, 3)
            if not isinstance(shape, (list, tuple)) or len(shape) != 3:
                raise self.error(f"{name}: input_shape must be (height, width, channels), got {describe(shape)}", e)
            full = (None, *self.sizes(tuple(shape)))
            sources = []
        if include_top and tuple(full[1:3]) != default:
            raise self.error(f"{name} with include_top=True takes {default[0]}x{default[1]} images, got "
                             f"{describe(tuple(full[1:]))}", e,
                             "pass include_top=False for another input size (Keras's own rule with weights)")
        rows = full[1] if isinstance(full[1], int) else (default[0] if include_top or shape is None else None)
        given_name = given.get("name")
        mname = given_name if isinstance(given_name, str) else apps.model_name(name, rows or default[0], given)
        layer = apps.Application(name, include_top, pooling, classes, mname, given=given)
        m = ModelObj("Application", mname, self.loc(e), class_name="Functional")
        # the node is made where the model is used: base(x) names it, base.output builds it on its input
        m.app = (LayerObj(layer, mname, self.loc(e), {}), tuple(full), tensor if isinstance(tensor, Tensor) else None,
                 sources)
        return m

    def application_io(self, m: ModelObj, e: ast.AST | None) -> None:
        """An application model used by its tensors (base.output): its input and its node."""
        if m.kind != "Application" or m.app is None:
            return
        lo, full, tensor, sources = m.app
        if tensor is None:
            in_name = self.uid("input_layer")
            self.nodes[in_name] = Node(name=in_name, layer=None, shape=full, loc=m.loc)
            tensor, sources = Tensor(in_name), [in_name]
        lo.layer.cfg["trainable"] = m.trainable
        lo.layer.partly_frozen = m.partly_frozen  # type: ignore[attr-defined]
        key = f"{lo.layer.cfg['name']}.trainable_params"
        if m.partly_frozen and key in self.ev.overrides:  # --set resnet50.trainable_params=N
            self.ev.used_overrides.add(key)
            lo.layer.trainable_count = self.ev.overrides[key]  # type: ignore[attr-defined]
        out = self.call_layer(lo, [tensor], False, e or ast.Module(body=[], type_ignores=[]))
        m.kind, m.inputs, m.outputs = "Functional", list(sources), [out.node]
        m.layer_obj = None

    def app_cut(self, m: ModelObj, layer: str, e: ast.Call) -> Any:
        """``base.get_layer('mixed7')`` of a keras.applications model: the model cut there."""
        from archcalc.readers.python import applications as apps

        lo = m.app[0]
        app = lo.layer
        found = apps.cut(app.builder, layer)
        if found is None:
            names = apps.cut_names(app.builder)
            if not names:
                return Unknown(f"{m.name}.get_layer({layer!r})", e.lineno)
            raise self.error(f"{app.builder} has no layer named '{layer}'", e,
                             did_you_mean(layer, names) or f"its layers: {', '.join(names[:8])}, ...")
        if app.entry != apps.entry(app.builder):  # another width (alpha=0.5): other layers
            raise self.error(f"archcalc's table holds the layers of {app.builder} at its default width only", e,
                             "save the model with model.to_json() and run archcalc on the .json")
        return AppCut(m, layer, found[1], found[0])

    def app_cut_output(self, cut: AppCut, e: ast.AST) -> Tensor:
        """The tensor of a cut: one node from the base's input (shared with ``base.input``), or
        from the latest earlier cut of the same base that every later layer is computed from,
        so that a model reading several cuts (a U-Net's skips) counts their layers once."""
        from archcalc.readers.python import applications as apps

        if cut.tensor is not None:
            return cut.tensor
        m = cut.model
        lo, full, tensor, sources = m.app
        if tensor is None:
            in_name = self.uid("input_layer")
            self.nodes[in_name] = Node(name=in_name, layer=None, shape=full, loc=m.loc)
            tensor, sources = Tensor(in_name), [in_name]
            m.app = (lo, full, tensor, sources)
        layer = apps.Application(lo.layer.builder, False, None, 1000, cut.layer, trainable=m.trainable)
        layer.set_cut(cut.record, None)
        layer.partly_frozen = m.partly_frozen  # type: ignore[attr-defined]
        node_name = cut.layer if cut.layer not in self.nodes else self.uid(cut.layer)
        cut.tensor = self.call_layer(LayerObj(layer, node_name, self.loc(e), {}), [tensor], False, e)
        m.cuts.append(cut)
        self.relink_cuts(m, tensor, e)
        return cut.tensor

    def app_cut_attribute(self, cut: AppCut, attr: str, e: ast.AST) -> Any:
        if attr == "output":
            return self.app_cut_output(cut, e)
        if attr == "output_shape":
            return self.shape_of(self.app_cut_output(cut, e), e)
        if attr == "name":
            return cut.layer
        if attr in ("input", "input_shape"):
            return self.model_attribute(cut.model, attr, e)
        return Unknown(f"{cut.model.name}.get_layer({cut.layer!r}).{attr}", getattr(e, "lineno", 0))

    def relink_cuts(self, m: ModelObj, start: Tensor, e: ast.AST) -> None:
        """Each cut of ``m`` computed from the latest earlier cut that all later layers need."""
        from archcalc.readers.python import applications as apps

        cuts = sorted(m.cuts, key=lambda c: c.index)
        base: AppCut | None = None
        for k, c in enumerate(cuts):
            node = self.nodes[c.tensor.node]
            layer = node.layer
            assert isinstance(layer, apps.Application)
            if k and not cuts[k - 1].record[5]:
                raise self.error(
                    f"archcalc cannot combine the output of '{cuts[k - 1].layer}' (a branch of "
                    f"{layer.builder}) with the output of a later layer '{c.layer}'", e,
                    "save the model with model.to_json() and run archcalc on the .json")
            layer.set_cut(c.record, base.record if base is not None else None)
            node.inputs = [base.tensor.node if base is not None else start.node]
            node.input_index = []
            node.meta.pop("_shape", None)
            if c.record[5]:
                base = c

    def source_input_nodes(self, t: Tensor) -> list[str]:
        """The input nodes a tensor is computed from (Keras's get_source_inputs)."""
        out: list[str] = []
        stack, seen = [t.node], set()
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            node = self.nodes[n]
            if node.is_input:
                out.append(n)
            else:
                stack.extend(node.inputs)
        return sorted(out, key=list(self.nodes).index)

    # -- keras-applications' helpers ----------------------------------------------------------

    def lib_obtain_input_shape(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.obtain_input_shape(args, kwargs, e)

    def obtain_input_shape(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras-applications' ``_obtain_input_shape``: the given shape, else the default size."""
        names = ["input_shape", "default_size", "min_size", "data_format", "require_flatten", "weights"]
        given = dict(zip(names, args, strict=False))
        given.update(kwargs)
        shape = given.get("input_shape")
        if isinstance(shape, (list, tuple)):
            return tuple(shape)
        size = given.get("default_size", 224)
        fmt = given.get("data_format", self.backend["image_data_format"])
        require_flatten = given.get("require_flatten", given.get("include_top", True))
        weights = given.get("weights")
        if not isinstance(require_flatten, bool) or require_flatten or weights == "imagenet":
            h = size if isinstance(size, int) else None
        else:
            h = None
        return (3, h, h) if fmt == "channels_first" else (h, h, 3)


#: seq_add_deferred: the entry is added
_ADDED = object()


def lib_source_inputs(func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
    """keras-applications' ``get_source_inputs(tensor)``: the tensor (or tensors) itself."""
    v = args[0] if args else kwargs.get("tensor")
    if isinstance(v, Tensor):
        return [v]
    if isinstance(v, (list, tuple)):
        return list(v)
    return Unknown("get_source_inputs(...)", e.lineno)
