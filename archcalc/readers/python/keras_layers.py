"""Keras layers in the read: ``keras.layers.X(...)`` bound from archcalc's layer registry (its
Keras 1/2 spellings translated by legacy.py), ``keras.Input``, the merge helpers
(``concatenate([a, b])``), ``Lambda``, ``RNN`` over the file's own cells, config objects
(optimizers, losses, regularizers...), and a layer called on its inputs (``call_on``).

Rows of keras_api's tables name the ``k_*`` methods; ``make_layer`` is the one way to a bound
layer, used by every family.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import Any

from archcalc.compile_spec import POSITIONAL_NAMES
from archcalc.errors import SpecError
from archcalc.graph import Node
from archcalc.layers import registry
from archcalc.layers.base import REQUIRED
from archcalc.readers.python.facts import HELPERS
from archcalc.readers.python.graph_nodes import NodesMixin, has_unknown
from archcalc.readers.python.layer_types import LambdaLayer, MergedModels, UserRNNLayer
from archcalc.readers.python.libraries import DATA_LIBRARIES
from archcalc.readers.python.values import (
    Array,
    ConfigObj,
    Instance,
    LayerObj,
    Mod,
    ModelObj,
    Tensor,
    Unknown,
    UserFunc,
    describe,
    is_symbolic,
    plain,
)


class LayersMixin(NodesMixin):
    """Keras layers, inputs and config objects of the Interpreter."""

    # -- the rows of KERAS_CALLS and KERAS_MODULES: (func, args, kwargs, e) -> value ---------

    def k_input(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.make_input(args, kwargs, e, layer=func.name == "InputLayer")

    def k_layer(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """keras.layers.X(...): a merge helper called on tensors, a Lambda, an RNN over the file's
        own cells, or a layer of the registry (its Keras 1/2 spellings translated)."""
        name, sub = func.name, func.path[1] if len(func.path) > 2 else ""
        if name in HELPERS and (args or "inputs" in kwargs):
            return self.helper(name, args, kwargs, e)
        if name == "Lambda":
            return self.make_lambda(args, kwargs, e)
        if name == "RNN" and _user_cells(args[0] if args else kwargs.get("cell")):
            return self.make_user_rnn(args, kwargs, e)
        if registry.get(name) is not None or sub == "layers" or self.legacy_name(name):
            return self.make_layer(name, args, kwargs, e)
        return NotImplemented

    def k_merge(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        return self.legacy_merge(func.name, args, kwargs, e)

    def k_config(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        sub, name = func.path[1], func.name
        if sub == "initializers" or not name[:1].isupper() and sub in ("losses", "metrics") and args and any(
                isinstance(a, Tensor) for a in args):
            return Unknown(f"keras.{sub}.{name}(...)", e.lineno)
        return self.config_obj(name, args, kwargs, e, kind=sub)

    # -- inputs -------------------------------------------------------------------------------

    def make_input(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call, layer: bool = False) -> Any:
        shape = args[0] if args else kwargs.get("shape", kwargs.get("input_shape"))
        batch = kwargs.get("batch_shape") or kwargs.get("batch_input_shape")
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("input_layer")
        original = name
        if name in self.nodes:
            name = self.reused_name(name, e)
        full, unknown_rank = self.input_shape_of(shape, batch, kwargs, e)
        if full is not None:
            for d in full:
                if d is not None and not is_symbolic(d) and (not isinstance(d, int) or isinstance(d, bool) or d < 0):
                    raise self.error(f"input sizes must be non-negative integers or None, got {describe(full)}", e,
                                     None)
        node = Node(name=name, layer=None, shape=full, loc=self.loc(e))
        if name != original:
            node.meta["given_name"] = original
        if unknown_rank is not None:
            node.meta["unknown_shape"] = unknown_rank.what
        self.nodes[name] = node
        t = Tensor(name)
        return ("input_layer", t) if layer else t

    def input_shape_of(self, shape: Any, batch: Any, kwargs: dict[str, Any],
                       e: ast.Call) -> tuple[Any, Unknown | None]:
        """An Input's full shape (batch first) from ``shape`` or ``batch_shape``, or None and the
        unknown value its shape comes from."""
        unknown_rank: Unknown | None = None
        if batch is not None and not isinstance(batch, Unknown):
            full: Any = tuple(self.sizes(batch)) if isinstance(batch, (list, tuple)) else None
            if full is None:
                raise self.error(f"Input needs a shape such as shape=(28, 28, 1), got {describe(batch)}", e, None)
        else:
            if isinstance(shape, Unknown) or isinstance(batch, Unknown):
                unknown_rank = shape if isinstance(shape, Unknown) else batch
                full = None
            else:
                if (isinstance(shape, int) and not isinstance(shape, bool)) or is_symbolic(shape):
                    shape = (shape,)
                if not isinstance(shape, (list, tuple)):
                    raise self.error(f"Input needs a shape such as shape=(28, 28, 1), got {describe(shape)}", e,
                                     "Input(shape=(64,)) for 64 features")
                full = (kwargs.get("batch_size") if isinstance(kwargs.get("batch_size"), int) else None,
                        *self.sizes(tuple(shape)))
        return full, unknown_rank

    # -- layers -------------------------------------------------------------------------------

    def make_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> LayerObj:
        translated = self.translated_layer(name, args, kwargs, e)
        name, args, kwargs = translated.name, list(translated.args), dict(translated.kwargs)
        cls = registry.get(name)
        if cls is None:
            raise registry.unknown_layer(name, loc=self.loc(e))
        args, kwargs, unread = self.layer_arguments(name, cls, args, kwargs, e)
        # a wrapped layer's era changes are the wrapper's too (Bidirectional(GRU(...)) in Keras 2)
        inner = [c for v in [*args, *kwargs.values()] if isinstance(v, LayerObj) for c in v.legacy or []]
        if inner:
            translated = replace(translated, changes=[*translated.changes, *inner])
        args = [self.sizes(_arg(v)) for v in args]
        kw = {k: self.sizes(_arg(v)) for k, v in kwargs.items()}
        if isinstance(kw.get("input_shape"), (list, tuple)) is False and "input_shape" in kw and is_symbolic(
                kw["input_shape"]):
            kw.pop("input_shape")
        try:
            layer = cls.bind(args, kw)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        if unread:  # read with Keras's default, which changes no number: lint must not trust it
            layer.unread_args = frozenset(unread)
        given_name = kw.get("name")
        # named by its class, as Keras names it (MaxPool2D is MaxPooling2D: max_pooling2d)
        lname = given_name if isinstance(given_name, str) else self.uid(cls.keras_name)
        obj = LayerObj(layer, lname, self.loc(e), kw, legacy=translated.changes, args=args)
        for k in ("input_shape", "batch_input_shape", "input_dim", "input_length"):
            if isinstance(kwargs.get(k), Unknown):
                obj.kwargs[k] = kwargs[k]
        return obj

    def translated_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        """A layer call in the file's era, translated to Keras 3 (legacy.translate_layer), with
        Keras 1/2's batch_input_shape on any layer as Keras 3's input shape and batch size."""
        from archcalc.readers.python import legacy

        try:
            translated = legacy.translate_layer(name, args, kwargs, self.era)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        kwargs = dict(translated.kwargs)
        ambiguous = legacy.kernel_or_strides(translated.name, list(translated.args), kwargs, self.era)
        if ambiguous:
            at = self.loc(e)
            cell = getattr(at, "cell", None)
            self.notes.append(f"{f'cell {cell}, ' if cell else ''}line {at.line}: {ambiguous}")
        batch = kwargs.get("batch_input_shape")
        if self.era in ("keras1", "keras2") and isinstance(batch, (list, tuple)) and batch:
            # Keras 1/2 took the batch shape on any first layer; Keras 3 writes Input(batch_shape=...)
            kwargs.pop("batch_input_shape")
            kwargs["input_shape"], kwargs["batch_size"] = tuple(batch[1:]), batch[0]
            translated = replace(translated, kwargs=kwargs, changes=[*translated.changes, legacy.Change(
                f"batch_input_shape={describe(tuple(batch))}", f"keras.Input(batch_shape={describe(tuple(batch))})")])
        return translated

    def layer_arguments(self, name: str, cls: Any, args: list[Any], kwargs: dict[str, Any],
                        e: ast.AST) -> tuple[list[Any], dict[str, Any], set[str]]:
        """A layer's arguments as its class takes them: a model given to a wrapper as its layer,
        channels_first from the backend, number-free unknowns at their defaults, activations."""
        if cls.wraps_layer:  # TimeDistributed(cnn): a model is a layer too
            if args and isinstance(args[0], ModelObj):
                args[0] = self.model_layer(args[0], e)
            if isinstance(kwargs.get(cls.wraps_layer), ModelObj):
                kwargs[cls.wraps_layer] = self.model_layer(kwargs[cls.wraps_layer], e)
        for v in args:
            if isinstance(v, (Tensor, ModelObj)):
                raise self.error(f"{name}(...) got a tensor as an argument", e,
                                 f"create the layer, then call it: {name}(...)(x)")
        if self.backend["image_data_format"] == "channels_first" and "data_format" not in kwargs \
                and any(a.name == "data_format" for a in cls.ARGS):
            kwargs["data_format"] = "channels_first"
        args, kwargs, unread = self.numberless_fallbacks(name, cls, args, kwargs)
        positional = [a.name for a in cls.ARGS]
        for i, k in enumerate(positional[:len(args)]):
            if k in _ACTIVATION_ARGS:
                args[i] = self.activation_value(name, k, args[i])
        for k in _ACTIVATION_ARGS & set(kwargs):
            kwargs[k] = self.activation_value(name, k, kwargs[k])
        return args, kwargs, unread

    def numberless_fallbacks(self, name: str, cls: Any, args: list[Any],
                             kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any], set[str]]:
        """Values the reader cannot know: sizes become symbols (later); other arguments (an
        activation read from a config file) fall back to their defaults, since they change no
        number. Also returns the names of those arguments (lint must not judge the defaults)."""
        positional = [a.name for a in cls.ARGS]
        first = next((i for i, v in enumerate(args) if has_unknown(v) and i < len(positional)
                      and positional[i] in _NUMBERLESS), None)
        if first is not None:  # Dropout(args.dropout): by name from there on, so it can fall back
            kwargs = {**dict(zip(positional[first:], args[first:], strict=False)), **kwargs}
            args = args[:first]
        unread: set[str] = set()
        for k in [k for k, v in kwargs.items() if has_unknown(v)]:
            if k in _NUMBERLESS:
                unread.add(k)
                what = kwargs.pop(k)
                required = next((a for a in cls.ARGS if a.name == k and a.default is REQUIRED), None)
                if required is not None and k in _PLACEHOLDER:
                    kwargs[k] = _PLACEHOLDER[k]  # Dropout(rate) needs a value; any rate gives the same numbers
                    said = what.what if isinstance(what, Unknown) else describe(what)
                    self.fallbacks.append(f"{name}({k}={said}) is read with {k}={_PLACEHOLDER[k]}")
        return args, kwargs, unread

    def activation_value(self, layer: str, arg: str, v: Any) -> Any:
        """An activation given as a layer object (``LeakyReLU(0.2)``) or as a function of the file
        (``relu6``): Keras calls it on the output, which changes no shape and no count. A
        weightless activation layer or a function named like a Keras activation is read as that
        name; any other function as 'linear', with a note."""
        from archcalc.layers.base import ACTIVATIONS

        if isinstance(v, LayerObj):
            applies = getattr(v.layer, "applies_activation", None)
            if applies is None and v.layer.keras_name == "Activation":
                applies = v.layer.cfg.get("activation")
            if isinstance(applies, str) and applies in ACTIVATIONS:
                return applies
            return v
        if isinstance(v, UserFunc):
            fname = v.node.name if isinstance(v.node, ast.FunctionDef) else "a lambda"
            if fname in ACTIVATIONS:
                return fname
            self.fallbacks.append(f"{layer}({arg}={fname}), a function of the file, is read as {arg}='linear'")
            return "linear"
        return v

    # -- merges, Lambda, RNN over the file's cells, config objects ----------------------------

    def helper(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Tensor:
        inputs = args[0] if args else kwargs.get("inputs")
        rest = args[1:]
        kw = {k: v for k, v in kwargs.items() if k != "inputs"}
        if name == "dot" and rest:
            kw["axes"] = rest[0]
            rest = rest[1:]
        if name == "concatenate" and rest:
            kw["axis"] = rest[0]
            rest = rest[1:]
        layer = self.make_layer(HELPERS[name], rest, kw, e)
        return self.call_layer(layer, self.tensors(inputs, e, "inputs"), True, e)

    def legacy_merge(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """Keras 1's ``merge([a, b], mode='concat')`` on tensors (see legacy.translate_merge)."""
        from archcalc.readers.python import legacy

        try:
            mc = legacy.translate_merge(name, args, kwargs, self.era)
        except SpecError as err:
            raise err.with_loc(self.loc(e)) from None
        layer = self.make_layer(mc.layer, mc.args, mc.kwargs, e)
        layer.legacy = [*mc.changes, *layer.legacy]
        if any(isinstance(x, ModelObj) for x in mc.inputs):
            if not all(isinstance(x, ModelObj) for x in mc.inputs):
                raise self.error(f"{name}() mixes models and tensors", e,
                                 "merge the models' outputs: concatenate([left.output, right.output])")
            return MergedModels(layer, list(mc.inputs))  # Keras 1: Sequential().add(Merge([...]))
        return self.call_layer(layer, self.tensors(mc.inputs, e, "inputs"), True, e)

    def legacy_name(self, name: str) -> bool:
        from archcalc.readers.python import legacy

        return legacy.translate_layer(name, [], {}, self.era).name != name

    def make_user_rnn(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``RNN(MyCell(32))``: a cell of the file's own (or a list of them), built when the
        layer meets its input (see TracingMixin.user_rnn_layer_obj)."""
        cells = _user_cells(args[0] if args else kwargs.get("cell"))
        options = dict(zip(("return_sequences", "return_state", "go_backwards", "stateful", "unroll"),
                           args[1:], strict=False))
        options.update({k: v for k, v in kwargs.items() if k != "cell"})
        if options.get("return_state") is True:
            raise self.error("RNN(..., return_state=True) over a cell of the file is not supported", e,
                             "give the states' layer as a YAML spec, or return only the output")
        given_name = options.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("rnn")
        layer = UserRNNLayer(cells, bool(options.get("return_sequences") is True), name, self.loc(e))
        layer.kwargs = {k: options[k] for k in INPUT_KWARGS if k in options}
        return layer

    def make_lambda(self, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """Lambda(f, output_shape=...): the given shape; without one, the shape of f applied to
        the input when f is arithmetic or keras.ops (traced when the layer is called)."""
        fn = args[0] if args else kwargs.get("function")
        out = kwargs.get("output_shape", args[1] if len(args) > 1 else None)
        given_name = kwargs.get("name")
        name = given_name if isinstance(given_name, str) else self.uid("Lambda")
        lam = LambdaLayer(fn, out, name, self.loc(e))
        lam.kwargs = {k: kwargs[k] for k in INPUT_KWARGS if k in kwargs}
        return lam

    def config_obj(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call,
                   kind: str = "") -> Any:
        from archcalc.readers.python import legacy

        kwargs, _changes = legacy.translate_config(kind, name, kwargs, self.era)
        config = dict(kwargs)
        table = POSITIONAL_NAMES.get(kind, {})
        if name in table:  # Keras 3's signatures (compile_spec.POSITIONAL_NAMES)
            names = list(table[name])
        else:  # a class Keras 3 does not have (Keras 2's optimizers.Adam spelled otherwise)
            names = ["learning_rate"] if name[:1].isupper() and kind not in ("losses", "metrics") else []
        for i, v in enumerate(args):
            key = names[i] if i < len(names) else f"arg{i}"
            config[key] = v
        if "lr" in config and "learning_rate" not in config and name[:1].isupper():
            config["learning_rate"] = config.pop("lr")  # Keras 1/2's name for the learning rate
        config = {k: v for k, v in config.items() if not isinstance(v, Unknown)}
        if any(isinstance(v, (Tensor, Array, LayerObj, ModelObj)) for v in config.values()):
            return Unknown(f"{name}(...)", e.lineno)
        return ConfigObj(name, config)

    # -- a layer called on its inputs ---------------------------------------------------------

    def call_on(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        x = self.layer_input(layer, args, kwargs, e)
        if isinstance(x, _Result):
            return x.value  # a layer run on data: its result is data too
        lt: Any = getattr(layer, "layer", None)
        if getattr(lt, "N_STATES", None) is not None and (len(args) > 1 or "states" in kwargs):
            return self.cell_step(layer, x, args[1] if len(args) > 1 else kwargs["states"], e)
        is_list = isinstance(x, (list, tuple))
        tensors = self.tensors(x, e, "inputs")
        if getattr(lt, "SEPARATE_INPUTS", False):
            # MultiHeadAttention(query, value, key): the tensors are separate arguments
            extra = [a for a in args[1:] if isinstance(a, Tensor)]
            extra += [kwargs[k] for k in ("value", "key") if isinstance(kwargs.get(k), Tensor)]
            tensors, is_list = [*tensors, *extra], False
        state = kwargs.get("initial_state")
        if state is not None and not isinstance(state, Unknown):
            # an RNN started from another one's states: they are inputs of this call
            tensors = [*tensors, *self.tensors(state, e, "initial states")]
            is_list = False
        call_args = {k: v for k, v in kwargs.items() if k in getattr(lt, "CALL_ARGS", ())}
        if call_args and isinstance(layer, LayerObj) and lt is not None and not layer.calls:
            try:
                layer.layer = type(lt).bind(layer.args, {**layer.kwargs, **call_args})
            except SpecError as err:
                raise err.with_loc(self.loc(e)) from None
        out = self.call_layer(layer, tensors, is_list, e)
        self.layer_of.setdefault(out.node, layer)  # the layer object of the node (its calls)
        return out

    def layer_input(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """The first input of a layer call: a tensor (or a list of them), or the call's result
        (_Result) when the layer runs on data (``model(image_batch)``); an unknown input that a
        model needs is an error."""
        if not args:
            first = kwargs.get("inputs", kwargs.get("query"))
            args = [first] if first is not None else []
        if not args:
            raise self.error(f"layer '{layer.name}' is called without inputs", e)
        x = args[0]
        if isinstance(x, Unknown) and x.failed is not None:
            raise x.failed  # the input's own statement failed (fault isolation): its error
        if isinstance(x, Unknown):
            if x.undefined and isinstance(e.args[0] if e.args else None, ast.Name):
                raise self.blocked(x, f"the input of layer '{layer.name}' is not known", e)
            # a layer run on data (model(image_batch)): its result is data too; it matters only
            # if it reaches a model's outputs, which then says where it came from
            return _Result(Unknown(f"{layer.name}(...)", e.lineno))
        if isinstance(x, Array):
            if not self.self_stack or x.shape is None:
                self.built_by_call(layer, x, e)
                return _Result(self.layer_on_data(layer, x, e))  # a layer run eagerly on data (in ds.map(f))
            # inside a custom layer's call(): a constant tensor (ops.arange(maxlen)) feeds a layer
            x = self.constant_tensor(x, e)
        if isinstance(x, tuple) and x and x[0] == "input_layer":
            x = x[1]
        return x

    def built_by_call(self, layer: Any, x: Array, e: ast.Call) -> None:
        """The first layer of a Sequential with no input shape called on data of a known shape
        (d2l's ``X = tf.random.uniform((1, 28, 28, 1)); for layer in net.layers: X = layer(X)``):
        Keras builds each layer on it, so it is the model's input unless fit or build builds the
        model later (``ModelObj.called_shape``)."""
        if not x.shape or not all(isinstance(d, int) and not isinstance(d, bool) for d in x.shape):
            return
        models = self.models  # the Interpreter's
        for _, m, _ in models:
            if not (isinstance(m, ModelObj) and m.kind == "Sequential" and m.layers and m.input_shape is None
                    and m.input_unknown is None and m.called_shape is None):
                continue
            first = m.layers[0]
            if first is layer or (isinstance(first, ModelObj) and first.layer_obj is layer):
                m.called_shape, m.called_line = tuple(x.shape), self.loc(e).line

    def constant_tensor(self, x: Array, e: ast.AST) -> Tensor:
        """A constant of known shape (``tf.zeros([batch, units])``) as an input node of the graph."""
        name = self.unique("constant")
        self.nodes[name] = Node(name=name, layer=None, shape=tuple(x.shape), loc=self.loc(e),
                                meta={"constant": True})
        return Tensor(name)

    def cell_step(self, layer: LayerObj, x: Any, states: Any, e: ast.Call) -> Any:
        """``out, states = cell(x_t, states)``: one time step of an RNN cell, run by the
        program's own loop (over ``tf.unstack(x, axis=1)``); one node per call, the cell's
        weights counted once (its first call's node). As in Keras, the new states are a list
        when the states were given as one (LSTMCell's always are)."""
        nested = isinstance(states, (list, tuple))
        given = list(states) if nested else [states]
        tensors = self.tensors(x, e, "inputs")
        for st in given:
            if isinstance(st, Array) and st.shape is not None and all(
                    d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in st.shape):
                tensors.append(self.constant_tensor(st, e))
            else:
                tensors += self.tensors(st, e, "states")
        out = self.call_layer(layer, tensors, False, e)
        self.layer_of.setdefault(out.node, layer)
        cell: Any = layer.layer
        new = [Tensor(out.node, i + 1) for i in range(len(cell.state_sizes()))]
        return Tensor(out.node, 0), (new if nested or len(new) > 1 else new[0])


class _Result:
    """layer_input: the value of the whole call (a layer run on data), not an input."""

    def __init__(self, value: Any) -> None:
        self.value = value


def _arg(v: Any) -> Any:
    """A constructor argument as the layer registry takes it: a nested layer as its type, a
    function passed by name (``activation=tf.nn.relu``) as its name."""
    if isinstance(v, LayerObj):
        return v.layer
    if isinstance(v, Mod) and v.path[0] in DATA_LIBRARIES:
        # an attribute of a data or tracking library (wandb.config.units): a value archcalc
        # does not know, so a named size where it is a size, never its name as a string
        return Unknown(".".join(v.path), 0)
    if isinstance(v, Mod):
        return v.name
    if isinstance(v, (list, tuple)):
        return type(v)(_arg(x) for x in v)
    return plain(v)


#: constructor arguments that give a Sequential its input (kept by a Lambda, an RNN over the
#: file's cells and an opaque layer, which take no input shape of their own)
INPUT_KWARGS = ("input_shape", "batch_input_shape", "input_dim")

#: layer arguments that take an activation (a name, a function, a weightless layer)
_ACTIVATION_ARGS = {"activation", "recurrent_activation"}

#: layer arguments that change no shape and no parameter count: an unknown value (read from a
#: config file, a command line) falls back to the default
_NUMBERLESS = {"activation", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
               "activity_regularizer", "kernel_constraint", "bias_constraint", "dtype", "recurrent_initializer",
               "recurrent_regularizer", "name", "rate", "recurrent_activation", "dropout", "recurrent_dropout",
               "seed", "alpha", "negative_slope", "momentum", "epsilon", "stddev", "trainable"}

#: a required number-free argument whose value is unknown: the value it is read with
_PLACEHOLDER = {"rate": 0.5, "stddev": 0.1}


def _user_cells(cell: Any) -> list[Instance]:
    """The file's own RNN cells given to ``RNN(...)`` (one, or a list to stack); [] otherwise."""
    cells = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    if cells and all(isinstance(c, Instance) and c.cls.kind == "layer" for c in cells):
        return cells
    return []
