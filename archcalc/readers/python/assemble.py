"""Model objects and their graphs: methods (``add``, ``compile``, ``fit``...), attributes
(``model.output``, ``model.layers``), and the assembly of a Sequential or functional model into
the :class:`~archcalc.graph.Graph` every consumer reads.
"""

from __future__ import annotations

import ast
import math
from typing import TYPE_CHECKING, Any

from archcalc.errors import ArchcalcError, SpecError
from archcalc.graph import Graph, Node
from archcalc.layers.base import fmt_shape
from archcalc.nested_model import NestedModel
from archcalc.readers.python import facts
from archcalc.readers.python.layer_types import LambdaLayer, MergedModels, UserRNNLayer
from archcalc.readers.python.tfdata import Dataset, dataset_batch, fit_arguments
from archcalc.readers.python.values import (
    COMPILE_ARGS,
    DATA_METHODS,
    AppLayers,
    Array,
    Instance,
    LayerObj,
    ModelObj,
    Tensor,
    Unknown,
    compile_settings,
    data_record,
    fit_record,
)

if TYPE_CHECKING:
    from archcalc.readers.python.side import LibrarySide as _Side
else:
    _Side = object


class AssembleMixin(_Side):
    """Model handling of the Interpreter."""

    # -- methods --------------------------------------------------------------------------

    def model_attribute(self, m: ModelObj, attr: str, e: ast.AST) -> Any:
        if attr in ("input", "inputs", "output", "outputs"):
            return self.model_io(m, attr, e)
        if attr in ("add", "compile", "build", "pop", "get_layer") or attr in facts.MODEL_RESULTS:
            return ("method", m, attr)
        if attr == "name":
            return m.name
        if attr == "trainable":
            return m.trainable
        if attr == "layers":
            if m.app is not None:  # a keras.applications model: the table has no layers
                return AppLayers(m)
            return self.model_layers(m, e)
        if attr in ("output_shape", "input_shape") and m.kind == "Application" and m.app is not None:
            lo, full = m.app[0], m.app[1]
            return full if attr == "input_shape" else lo.layer.output_shape([full])
        if attr in ("output_shape", "input_shape"):
            outs = self.model_io(m, "outputs" if attr == "output_shape" else "inputs", e)
            shapes = [self.shape_of(t, e) for t in outs]
            return shapes[0] if len(shapes) == 1 else shapes
        return Unknown(f"{m.name}.{attr}", getattr(e, "lineno", 0))

    def model_layers(self, m: ModelObj, e: ast.AST) -> list[Any]:
        if m.kind == "Sequential":
            return list(m.layers)
        g = self.graph_of(m, e)
        out: list[Any] = []
        for n, node in g.nodes.items():
            if node.is_input:
                continue
            lo = self.layer_of.get(n)
            if lo is not None and lo not in out:
                out.append(lo)
        return out

    def layer_attribute(self, layer: LayerObj, attr: str, e: ast.AST) -> Any:
        if attr in ("output", "input"):
            if not layer.calls:
                raise self.eval_error(f"layer '{layer.name}' has not been called yet", e)
            if attr == "output":
                return Tensor(layer.calls[-1])
            node = self.nodes.get(layer.calls[-1])
            if node is None or not node.inputs:
                return Unknown(f"{layer.name}.input", getattr(e, "lineno", 0))
            ts = [Tensor(n, i) for n, i in node.sources()]
            return ts[0] if len(ts) == 1 else ts
        if attr in ("output_shape", "input_shape") and layer.calls:
            t = Tensor(layer.calls[-1])
            return self.shape_of(t, e)
        if attr == "name":
            return layer.name
        if attr == "trainable":
            return layer.layer.trainable
        if attr in ("get_weights", "set_weights", "count_params", "get_initial_state"):
            return ("layermethod", layer, attr)
        return Unknown(f"{layer.name}.{attr}", getattr(e, "lineno", 0))

    def model_method(self, m: ModelObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``model.name(...)``: a method that changes the model (MODEL_METHODS), else what
        facts.MODEL_RESULTS says it gives (a fit is recorded for lint)."""
        method = MODEL_METHODS.get(name)
        if method is not None:
            return getattr(self, method)(m, args, kwargs, e)
        given = args[0] if args else kwargs.get("x")
        if name in ("fit", "fit_generator"):
            args, kwargs, x = fit_arguments(args, kwargs)  # a tf.data dataset: its batches
            m.fits.append(fit_record(args, kwargs, self.loc(e)))
        elif name in DATA_METHODS:  # evaluate(x_test, y_test): lint checks its data as fit()'s
            data_args, data_kwargs, _ = fit_arguments(args, kwargs)
            m.fits.append(data_record(name, data_args, data_kwargs, self.loc(e)))
        first = m.layers[0] if m.kind == "Sequential" and m.layers else None
        takes_input = isinstance(first, ModelObj) and (first.kind in ("Functional", "Application")
                                                       or first.input_shape is not None)
        if name == "fit" and m.kind == "Sequential" and m.input_shape is None and not takes_input:
            # (a model with an input as its first entry gives it that input when it is added)
            if isinstance(x, Array) and x.shape:
                # Keras builds the model on the first batch: Keras 3 from the data's spec, whose
                # batch axis is the batch size when every batch is full (a dataset's own)
                batch = fit_build_batch(given, x, kwargs) if self.era == "keras3" else None
                m.input_shape = (batch, *x.shape[1:])
                if batch is not None:
                    self.notes.append(
                        f"{m.name}'s batch axis is {batch}: Keras 3's fit builds a Sequential with no input "
                        f"shape on the data's batches, all {batch} samples long (line {self.loc(e).line})")
        kind = facts.MODEL_RESULTS.get(name, "value")
        if kind == "none":
            return None
        return Unknown(f"{m.name}.{name}(...)", e.lineno)

    def model_add(self, m: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if m.kind != "Sequential":
            raise self.error("only Sequential models have add()", e)
        if not args:
            raise self.error("add() needs a layer", e)
        self.seq_add(m, args[0], e)
        m.layer_obj = None
        return None

    def model_pop(self, m: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        if m.kind == "Sequential" and m.layers:
            m.layers.pop()
            m.layer_obj = None
        return None

    def model_build(self, m: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        shape = args[0] if args else kwargs.get("input_shape")
        if isinstance(shape, (list, tuple)) and m.kind == "Sequential":
            m.input_shape = tuple(self.sizes(tuple(shape)))  # a size read from elsewhere: a named size
        return None

    def model_get_layer(self, m: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        want = kwargs.get("name", args[0] if args else None)
        if m.app is not None and isinstance(want, str):
            return self.app_cut(m, want, e)
        for lo in self.model_layers(m, e):
            if isinstance(lo, LayerObj) and lo.name == want:
                return lo
            if isinstance(lo, ModelObj) and lo.name == want:
                return lo
        if isinstance(want, int) and not isinstance(want, bool):
            layers = self.model_layers(m, e)
            if -len(layers) <= want < len(layers):
                return layers[want]
        return Unknown(f"{m.name}.get_layer(...)", e.lineno)

    def model_compile(self, m: ModelObj, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        comp: dict[str, Any] = dict(zip(COMPILE_ARGS, args, strict=False))
        comp.update(kwargs)
        # a setting read from elsewhere is left out: lint checks what it can see
        m.compile = compile_settings(comp)
        m.compile_loc = self.loc(e)
        m.compiles.append((m.compile, m.compile_loc))
        return None

    def model_layer(self, m: ModelObj, e: ast.AST | None) -> LayerObj:
        """The NestedModel layer of a model used as a layer (one object: shared weights)."""
        if m.kind == "Application" and m.app is not None:
            lo = m.app[0]  # base(x): the application is one node, named as Keras names it
            lo.layer.cfg["trainable"] = m.trainable
            m.layer_obj = lo
            return lo
        if m.layer_obj is None:
            graph = self.graph_of(m, e, nested=True)
            layer = NestedModel.of(graph, m.class_name or m.kind, trainable=m.trainable)
            m.layer_obj = LayerObj(layer, m.name, m.loc, {})
        return m.layer_obj

    def model_io(self, m: ModelObj, attr: str, e: ast.AST) -> Any:
        self.application_io(m, e)
        if m.kind == "Functional":
            names = m.inputs if attr.startswith("input") else m.outputs
            index = [None] * len(names) if attr.startswith("input") or not m.output_index else m.output_index
        else:
            g = self.graph_of(m, e)
            names = g.inputs if attr.startswith("input") else g.outputs
            index = [None] * len(names)
            for n, node in g.nodes.items():
                self.nodes.setdefault(n, node)
        ts = [Tensor(n, i) for n, i in zip(names, index, strict=False)]
        if attr in ("input", "output"):
            return ts[0] if len(ts) == 1 else ts
        return ts

    # -- graphs -----------------------------------------------------------------------------

    def graph_of(self, m: Any, e: ast.AST | None, nested: bool = False) -> Graph:
        if isinstance(m, Instance):
            m = self.instance_model(m, e)
        self.application_io(m, e)
        if m.kind == "Sequential":
            return self.sequential_graph(m, e, nested)
        return self.functional_graph(m, e)

    def sequential_graph(self, m: ModelObj, e: ast.AST | None, nested: bool) -> Graph:
        g = Graph(name=m.name, path=self.ev.path, sequential=True)
        if not m.layers:
            raise SpecError(f"the Sequential model '{m.name}' has no layers", loc=m.loc,
                            hint="add layers with model.add(...)")
        in_name = m.input_name or f"{m.name}_input"
        first = m.layers[0]
        in_node = self.sequential_input_node(m, in_name, e, nested)
        items = list(m.layers)
        if isinstance(first, MergedModels):
            prev = self.merged_models(g, first, e)
            items = items[1:]
            g.sequential = False
        else:
            g.add(in_node)
            prev = in_name
        # shapes are followed only for a custom layer that is traced on its input
        follow = any(isinstance(item, (Instance, LambdaLayer)) for item in items)
        prev_shape: Any = g.nodes[prev].shape if g.nodes[prev].is_input and follow else None
        for item in items:
            lo = self.sequential_entry(m, item, prev_shape, e)
            name = lo.name if lo.name not in g.nodes else f"{lo.name}_{len(g.nodes)}"
            g.add(Node(name=name, layer=lo.layer, inputs=[prev], loc=lo.loc,
                       meta={"legacy": lo.legacy} if getattr(lo, "legacy", None) else {}))
            self.layer_of.setdefault(name, lo)
            prev = name
            if follow:
                prev_shape = _next_shape(lo.layer, prev_shape)
        g.outputs = [prev]
        if in_node.meta.get("rank_from"):
            g.extras.setdefault("notes", []).append(_rank_note(in_node))
        if m.input_shape is None and m.called_shape is not None and not _trained(m):
            g.extras.setdefault("notes", []).append(
                f"{m.name}'s input is {fmt_shape(m.called_shape)}: its layers were built by calling them one by one "
                f"on data of that shape (line {m.called_line}), batch axis included, as Keras shows them until "
                "the model itself is built (fit, build)")
        return g

    def sequential_input_node(self, m: ModelObj, in_name: str, e: ast.AST | None, nested: bool) -> Node:
        """A Sequential's input node: its shape as given, else the first model's input (a base
        model as its first entry), else a rank its first layer takes (unknown_shape)."""
        shape = m.input_shape
        first = m.layers[0]
        if shape is None and m.input_unknown is None and m.called_shape is not None and not _trained(m):
            shape = m.called_shape  # its layers were built by calling them on data, and nothing rebuilt it
        elif shape is None and m.input_unknown is None and isinstance(first, ModelObj):
            # Sequential([base_model, Dense(...)]): the input is the first model's
            if first.kind == "Application" and first.app is not None:
                shape = first.app[1]
            else:
                inner = self.graph_of(first, e, nested=True)
                if len(inner.inputs) == 1:
                    shape = inner.nodes[inner.inputs[0]].shape
        in_node = Node(name=in_name, layer=None, shape=shape, loc=m.loc)
        if shape is None:
            if nested and m.input_unknown is None:
                pass  # its input comes from the model that calls it
            else:
                what = m.input_unknown.what if m.input_unknown is not None else f"{m.name}.input"
                in_node.meta["unknown_shape"] = what
                first_layer = first.layer if isinstance(first, LayerObj) else None
                self.resolve_rank(in_node, first_layer)
        return in_node

    def sequential_entry(self, m: ModelObj, item: Any, prev_shape: Any, e: ast.AST | None) -> Any:
        """The layer of one Sequential entry: a Lambda or a custom layer traced on the previous
        entry's output shape, a model as its nested layer."""
        if isinstance(item, LambdaLayer):
            if prev_shape is None:
                raise self.error(f"the input shape of the layer '{item.name}' is not known", e)
            where = e or ast.Module(body=[], type_ignores=[])
            item = self.user_rnn_layer_obj(item, prev_shape, where) if isinstance(item, UserRNNLayer) \
                else self.lambda_layer_obj(item, [prev_shape], False, where)
        if isinstance(item, Instance):
            # a custom layer first used here: traced on the previous layer's output shape
            if prev_shape is None:
                raise self.error(f"the input shape of '{item.name}' ({item.cls.name}) is not known", e)
            traced = self.trace_layer(item, prev_shape, False, e or ast.Module(body=[], type_ignores=[]))
            item.layer_obj = LayerObj(traced, item.name, item.loc or m.loc, {})
            item = item.layer_obj
        return self.model_layer(item, e) if isinstance(item, ModelObj) else item

    def merged_models(self, g: Graph, merged: Any, e: ast.AST | None) -> str:
        """The branches of a Keras 1 ``Merge`` of models, added to ``g``; the merge node's name."""
        outs: list[str] = []
        for model in merged.models:
            inner = self.graph_of(model, e)
            for n, node in inner.nodes.items():
                if n not in g.nodes:
                    g.add(node)
            outs.extend(inner.outputs)
        lo = merged.layer
        g.add(Node(name=lo.name, layer=lo.layer, inputs=outs, loc=lo.loc, list_input=True,
                   meta={"legacy": lo.legacy} if lo.legacy else {}))
        self.layer_of.setdefault(lo.name, lo)
        return lo.name

    def functional_graph(self, m: ModelObj, e: ast.AST | None) -> Graph:
        g = Graph(name=m.name, path=self.ev.path)
        needed: list[str] = []
        seen: set[str] = set()
        stack = list(m.outputs)
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            needed.append(n)
            node = self.nodes[n]
            if node.is_input and n not in m.inputs and not node.meta.get("constant"):
                raise SpecError(
                    f"the model '{m.name}' needs the input '{n}', which is not in its inputs",
                    loc=m.loc, hint=f"add {n} to Model(inputs=[...])",
                )
            if not node.is_input:
                stack.extend(node.inputs)
        for n in m.inputs:
            if n not in seen:
                needed.append(n)
        order = {n: i for i, n in enumerate(self.nodes)}
        for n in sorted(needed, key=order.__getitem__):
            node = self.nodes[n]
            g.add(node)
            if node.meta.get("rank_from"):
                g.extras.setdefault("notes", []).append(_rank_note(node))
        g.inputs = list(m.inputs)
        g.outputs = list(m.outputs)
        g.output_index = list(m.output_index)
        if m.output_keys:
            g.extras["output_keys"] = m.output_keys
        # a shared layer whose first call is outside this model: its first call here owns the weights
        for node in g.nodes.values():
            if node.shared_with and node.shared_with not in g.nodes:
                g.nodes[node.name] = Node(**{**node.__dict__, "shared_with": None})
        return g


#: model methods that change the model: name -> AssembleMixin method (m, args, kwargs, e) -> value
MODEL_METHODS = {"add": "model_add", "pop": "model_pop", "build": "model_build", "get_layer": "model_get_layer",
                 "compile": "model_compile"}


def _next_shape(layer: Any, shape: Any) -> Any:
    """The output shape of a Sequential entry, for the entries after it (None if unknown)."""
    if shape is None:
        return None
    try:
        out = layer.output_shape([shape])
    except (ArchcalcError, ValueError, TypeError, ZeroDivisionError):
        return None  # the engine reports it with the layer's location
    return out if isinstance(out, tuple) else None


def _rank_note(node: Node) -> str:
    dims = ", ".join(str(d) for d in (node.shape or ())[1:])
    return (f"the shape of input '{node.name}' comes from {node.meta.get('unknown_shape')}, which archcalc "
            f"cannot see; its rank is the one {node.meta.get('rank_from')} takes: ({dims})")


def fit_batch(samples: Any, kwargs: dict[str, Any]) -> int | None:
    """The batch axis Keras 3 gives a model ``fit`` builds: ``batch_size`` (32 by default) when
    it divides the training samples (after ``validation_split``), else None (a last, shorter
    batch). Measured with Keras 3: 64 samples give 32, 100 give None."""
    batch = kwargs.get("batch_size", 32)
    batch = 32 if batch is None else batch
    split = kwargs.get("validation_split", 0.0)
    if not isinstance(samples, int) or isinstance(samples, bool) or not isinstance(batch, int) \
            or batch <= 0 or not isinstance(split, (int, float)) or "steps_per_epoch" in kwargs:
        return None
    train = int(math.floor(samples * (1.0 - split))) if split else samples
    return batch if train > 0 and train % batch == 0 else None


def fit_build_batch(given: Any, x: Any, kwargs: dict[str, Any]) -> int | None:
    """The batch axis Keras 3's ``fit`` builds a model with, from ``given`` (what the program
    passed as ``x``) and ``x`` (one batch's array when that is a dataset): a batched tf.data
    dataset's own batch axis (``batch(16, drop_remainder=True)``: 16, else None), arrays' by
    ``fit_batch``. Measured with Keras 3, for a Sequential and a subclassed model alike."""
    if isinstance(given, Dataset):
        return dataset_batch(given)
    return fit_batch(x.shape[0], kwargs) if isinstance(x, Array) and x.shape else None


def _trained(m: ModelObj) -> bool:
    """True when the program trains ``m`` (fit, train_on_batch): fit builds it on its batches,
    whatever the shape its layers were first called on (so that shape's batch axis is not
    the one Keras shows afterwards)."""
    return any(rec.get("call", "fit") in ("fit", "train_on_batch") for rec in m.fits)

