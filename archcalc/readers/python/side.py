"""The one interface among the library side's families (``LibrarySide``).

The library side of the Python reader is one object, ``interpreter.Interpreter``, made of a
mixin per family: graph nodes, Keras layers, models and tensors, layers of unread libraries,
the call tables, model methods and graphs, the file's classes, objects and traced layers,
arrays and other values, model uses, ``tf.data``, config files. A family uses what another
defines (a model's layer, a tensor's shape, a note) through ``self``; what it may use is
declared here, once, with the real signature and the module that defines it, as
``api.LibraryApi`` declares what the evaluator asks of the library side.

Each mixin module names this Protocol as its base for the type checker only::

    if TYPE_CHECKING:
        from archcalc.readers.python.side import LibrarySide as _Side
    else:
        _Side = object

    class LayersMixin(_Side): ...

so at run time the mixins' order (the Interpreter's MRO) is what it was, and mypy checks every
use against these signatures, every definition in a mixin against its declaration here, and
that the Interpreter defines them all. This module imports only the types it names (under
``TYPE_CHECKING``), never a mixin module: the import graph stays without cycles. The three
values of mixin modules that would close a cycle (``config_files.OpenedFile``,
``tfdata.TfdsInfo``, ``tfdata.DataMethod``) are ``Any`` here, named in the docstrings.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from archcalc.errors import Location, SpecError
    from archcalc.graph import Graph, Node
    from archcalc.readers.python.evaluator import Evaluator
    from archcalc.readers.python.layer_types import LambdaLayer, TracedLayer, UserRNNLayer
    from archcalc.readers.python.values import (
        AppCut,
        ArgParser,
        Array,
        EvalError,
        HyperParams,
        ImageGenerator,
        Instance,
        LayerObj,
        Mod,
        ModelObj,
        Tensor,
        Unknown,
        UserClass,
        UserFunc,
    )


class LibrarySide(Protocol):
    """What a family of the library side uses of the others (all of them the Interpreter)."""

    # -- the state of a read (interpreter.py: Interpreter.__init__) ----------------------------

    #: the evaluator of the file's Python (interpreter.py)
    ev: Evaluator
    #: the Keras API the file is written against: "keras3", "keras2", "keras1" (interpreter.py)
    era: str
    #: every layer call and input of the file, by node name (interpreter.py)
    nodes: dict[str, Node]
    #: the layer object of each layer name (interpreter.py)
    layer_of: dict[str, LayerObj]
    #: Keras's automatic names given so far, by base name (interpreter.py)
    counters: dict[str, int]
    #: (variable, model, line) assignments at module level (interpreter.py)
    models: list[tuple[str, Any, int]]
    #: the objects of the file's classes whose methods are running, innermost last (interpreter.py)
    self_stack: list[Instance]
    #: Keras backend settings the file reads or sets (``image_data_format``...) (interpreter.py)
    backend: dict[str, Any]
    #: models the file gets from code archcalc does not read (interpreter.py)
    unread: list[tuple[str, Unknown]]
    #: the file's block functions being run, outermost first (interpreter.py)
    block_path: list[str]
    #: Keras Tuner hyperparameters asked for, with the value each was read with (interpreter.py)
    hyperparameters: dict[str, Any]
    #: unknown values of number-free layer arguments a placeholder stands for (interpreter.py)
    fallbacks: list[str]
    #: argparse options parse_args() gave, with their values (interpreter.py)
    cli_options: dict[str, Any]
    #: what the summary says about how the file was read (interpreter.py)
    notes: list[str]
    #: calls into libraries archcalc does not read, by (text, line): (dotted name, kwargs) (interpreter.py)
    external_calls: dict[tuple[str, int], tuple[str, dict[str, Any]]]
    #: the opaque layer made for each of them, once (interpreter.py)
    opaque_made: dict[tuple[str, int], LayerObj]
    #: the module's syntax tree (interpreter.py)
    tree: ast.Module | None
    #: how many times each block function of the file has been run on tensors, by name (interpreter.py)
    block_uses: dict[str, int]
    #: (rank, model, method, line): what the program does with its models (interpreter.py)
    uses: list[tuple[int, Any, str, int]]
    #: id of a model value -> the step it was (last) assigned at (interpreter.py)
    built_at: dict[int, int]
    #: attributes the file sets on values it does not read, by (value, attribute) (interpreter.py)
    set_attrs: dict[tuple[Any, str], Any]
    #: os.environ as the program sets it (interpreter.py)
    environ: dict[str, Any]
    #: the model the default pick chose and why (interpreter.py, model_choice.py)
    choice: tuple[str, str] | None

    # -- the evaluator's services (interpreter.py) -------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        """The location of a syntax node (interpreter.py, from the evaluator)."""

    def error(self, message: str, node: ast.AST | None, hint: str | None = ...) -> SpecError:
        """A SpecError at a node, with a hint (interpreter.py, from the evaluator)."""

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        """A value-level failure at a node (interpreter.py, from the evaluator)."""

    # -- graph nodes (graph_nodes.py: NodesMixin) ---------------------------------------------

    def call_layer(self, layer: LayerObj, tensors: list[Tensor], is_list: bool, e: ast.AST) -> Tensor:
        """A layer called on tensors: its node, and the output tensor (graph_nodes.py)."""

    def multi_output(self, t: Tensor) -> bool:
        """Whether a tensor's layer has several outputs (graph_nodes.py)."""

    def named_size(self, name: str) -> Any:
        """The named size ``name``, or the value ``--set name=N`` gives it (graph_nodes.py)."""

    def resolve_rank(self, node: Node, consumer: Any) -> None:
        """An input of unknown shape given its rank by the first layer that reads it (graph_nodes.py)."""

    def shape_of(self, t: Tensor, e: ast.AST | None) -> Any:
        """A tensor's shape, batch axis included, computed as the engine would (graph_nodes.py)."""

    def sizes(self, v: Any) -> Any:
        """An argument with unknown parts as named symbolic sizes (graph_nodes.py)."""

    def tensors(self, v: Any, e: ast.AST, what: str) -> list[Tensor]:
        """A tensor or a list of them as a list, else an error naming ``what`` (graph_nodes.py)."""

    # -- Keras layers (keras_layers.py: LayersMixin) -------------------------------------------

    def call_on(self, layer: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A layer (or a model used as one) called on its inputs (keras_layers.py)."""

    def make_layer(self, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> LayerObj:
        """The Keras layer ``name(*args, **kwargs)``, bound (keras_layers.py)."""

    # -- Keras models (keras_models.py: ModelsMixin) -------------------------------------------

    def app_cut(self, m: ModelObj, layer: str, e: ast.Call) -> Any:
        """``base.get_layer('mixed7')`` of a keras.applications model: the model cut there (keras_models.py)."""

    def app_cut_attribute(self, cut: AppCut, attr: str, e: ast.AST) -> Any:
        """An attribute of a cut of an application (``.output``) (keras_models.py)."""

    def application_io(self, m: ModelObj, e: ast.AST | None) -> None:
        """An application model used by its tensors (base.output): its input and its node (keras_models.py)."""

    def seq_add(self, m: ModelObj, item: Any, e: ast.AST) -> None:
        """``model.add(item)`` of a Sequential (keras_models.py)."""

    # -- Keras tensors (keras_tensors.py: TensorsMixin) ----------------------------------------

    def free_tensor(self, shape: Any, e: ast.AST) -> Any:
        """A tensor made from nothing (``keras.random.normal(shape=...)``) (keras_tensors.py)."""

    def tensor_op(self, op: str, args: list[Any], kwargs: dict[str, Any], e: ast.AST, source: str = ...) -> Any:
        """An operation on tensors as an op node (``x + 3.0``, ``keras.ops.mean``) (keras_tensors.py)."""

    def tensor_subscript(self, t: Tensor, key: Any, e: ast.AST) -> Any:
        """``t[...]`` of a tensor (keras_tensors.py)."""

    def tensor_attribute(self, t: Tensor, attr: str, e: ast.AST) -> Any:
        """An attribute of a tensor (``x.shape``) (keras_tensors.py)."""

    def tensor_method(self, t: Tensor, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A method of a tensor called (keras_tensors.py)."""

    # -- layers of unread libraries (opaque_layers.py: OpaqueLayersMixin) ----------------------

    def opaque_layer(self, u: Unknown, e: ast.AST) -> LayerObj | None:
        """The layer an unknown value from an unread library stands for, used as one (opaque_layers.py)."""

    def opaque_part(self, t: Tensor, key: int | str, e: ast.AST, attribute: bool = ...) -> Tensor | None:
        """A part of an opaque layer's output (``bert(ids)[1]``) as a node of its own (opaque_layers.py)."""

    # -- the call tables (keras_api.py: CallTablesMixin) --------------------------------------

    def library_call(self, func: Mod, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call of a module's function through the call tables (keras_api.py)."""

    # -- model methods and graphs (assemble.py: AssembleMixin) --------------------------------

    def graph_of(self, m: Any, e: ast.AST | None, nested: bool = ...) -> Graph:
        """The Graph of a model (assemble.py)."""

    def layer_attribute(self, layer: LayerObj, attr: str, e: ast.AST) -> Any:
        """An attribute of a layer (assemble.py)."""

    def model_attribute(self, m: ModelObj, attr: str, e: ast.AST) -> Any:
        """An attribute of a model (``model.output``, ``model.layers``) (assemble.py)."""

    def model_layer(self, m: ModelObj, e: ast.AST | None) -> LayerObj:
        """The NestedModel layer of a model used as a layer (assemble.py)."""

    def model_method(self, m: ModelObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """``model.name(...)`` (assemble.py)."""

    # -- the file's classes (classes.py: ClassesMixin) ----------------------------------------

    def classdef(self, s: ast.ClassDef, env: dict[str, Any]) -> UserClass:
        """A class statement of the file as a UserClass (classes.py)."""

    def instantiate(self, cls: UserClass, args: list[Any], kwargs: dict[str, Any], e: ast.AST) -> Any:
        """An object of one of the file's classes made (classes.py)."""

    def super_method(self, name: str) -> UserFunc | None:
        """``super().name`` inside a method of the file's class (classes.py)."""

    # -- their objects (instances.py: InstancesMixin) -----------------------------------------

    def call_instance(self, inst: Instance, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """An object of the file's classes called (instances.py)."""

    def instance_attribute(self, inst: Instance, attr: str, e: ast.AST) -> Any:
        """An attribute of an object of the file's classes (instances.py)."""

    def instance_method(self, inst: Instance, name: str, args: list[Any], kwargs: dict[str, Any],
                        e: ast.Call) -> Any:
        """A Keras method of an object of the file's classes (``fit``, ``build``) (instances.py)."""

    def instance_model(self, inst: Instance, e: ast.AST | None) -> ModelObj:
        """The functional graph of a subclassed model: ``call()`` traced on its inputs (instances.py)."""

    def set_instance_attribute(self, inst: Instance, attr: str, value: Any) -> None:
        """``obj.attr = value`` of an object of the file's classes (instances.py)."""

    # -- traced layers (tracing.py: TracingMixin) ---------------------------------------------

    def call_lambda(self, lam: LambdaLayer, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A Lambda layer called on tensors (tracing.py)."""

    def lambda_layer_obj(self, lam: LambdaLayer, shapes: list[Any], is_list: bool, e: ast.AST) -> LayerObj:
        """The layer of one call of a Lambda on inputs of the given shapes (tracing.py)."""

    def trace_layer(self, inst: Instance, input_shape: Any, is_list: bool, e: ast.AST) -> TracedLayer:
        """A custom layer's ``call()`` traced on an input of the given shape (tracing.py)."""

    def user_rnn_layer_obj(self, rnn: UserRNNLayer, shape: Any, e: ast.AST) -> LayerObj:
        """The layer of an RNN over the file's own cells (tracing.py)."""

    # -- arrays and other values (library_values.py: ValuesMixin) -----------------------------

    def argparse_method(self, parser: ArgParser, method: str, args: list[Any], kwargs: dict[str, Any],
                        e: ast.Call) -> Any:
        """A method of an argparse parser (``add_argument``, ``parse_args``) (library_values.py)."""

    def array_attribute(self, a: Array, attr: str, e: ast.AST) -> Any:
        """An attribute of an array (``x.shape``) (library_values.py)."""

    def array_binop(self, op: ast.operator, a: Any, b: Any, e: ast.AST) -> Any:
        """A Python operator with an array among its operands (library_values.py)."""

    def array_method(self, a: Array, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A method of an array (``x.reshape``) (library_values.py)."""

    def hyperparameter(self, hp: HyperParams, method: str, args: list[Any], kwargs: dict[str, Any],
                       e: ast.Call) -> Any:
        """``hp.Int("units", 32, 512)``: the value Keras Tuner gives by default (library_values.py)."""

    def imageflow(self, gen: ImageGenerator, method: str, args: list[Any], kwargs: dict[str, Any],
                  e: ast.Call) -> Any:
        """A method of an ImageDataGenerator (``flow``, ``flow_from_directory``) (library_values.py)."""

    def layer_method(self, layer: LayerObj, name: str, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A method of a layer called (library_values.py)."""

    # -- model uses (uses.py: UsesMixin) ------------------------------------------------------

    def note_use(self, obj: Any, name: str, e: ast.Attribute) -> None:
        """``model.fit`` / ``model.save`` read: what the program does with a model (uses.py)."""

    def skipped(self, body: list[ast.stmt], env: Mapping[str, Any], depth: int = ...,
                seen: set[int] | None = ...) -> None:
        """The models a loop the reader skips still trains (uses.py)."""

    # -- tf.data (tfdata_pipeline.py: DataPipelineMixin; tfdata_loaders.py: DataLoadersMixin) --

    def data_attribute(self, obj: Any, attr: str, e: ast.AST) -> Any:
        """An attribute of a value of tfdata.py (a dataset, an opened file) (tfdata_pipeline.py)."""

    def data_call(self, func: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A call tfdata_pipeline.py answers; NotImplemented for any other (tfdata_pipeline.py)."""

    def data_iteration(self, it: Any, s: ast.For, env: Mapping[str, Any]) -> Any:
        """What a ``for`` loop over a dataset runs on (tfdata_pipeline.py)."""

    def data_method(self, m: Any, args: list[Any], kwargs: dict[str, Any], e: ast.Call) -> Any:
        """A method of a dataset called (``m``: a ``tfdata.DataMethod``) (tfdata_pipeline.py)."""

    def layer_on_data(self, layer: Any, x: Array, e: ast.Call) -> Any:
        """A layer called on data (``normalization_layer(x)`` inside ``ds.map``) (tfdata_pipeline.py)."""

    def tfds_info_attribute(self, info: Any, attr: str, line: int) -> Any:
        """An attribute of a tfds ``info`` (``info``: a ``tfdata.TfdsInfo``) (tfdata_loaders.py)."""

    def tfds_splits(self, info: Any, split: Any, kwargs: dict[str, Any], e: ast.Call) -> Any:
        """The datasets of a tfds load's splits (``info``: a ``tfdata.TfdsInfo``) (tfdata_loaders.py)."""

    # -- config files (config_files.py: ConfigFilesMixin) -------------------------------------

    def config_file_method(self, f: Any, name: str, e: ast.AST) -> Any:
        """``f.read()`` of an opened config file (``f``: a ``config_files.OpenedFile``) (config_files.py)."""
