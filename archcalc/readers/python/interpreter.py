"""The Keras Python front-end: reads model code statically, never runs it.

The file is parsed with :mod:`ast` and an abstract interpreter walks it. Every value is known,
unknown, or a named symbolic size (see values.py). Statements whose values do not reach a layer
cannot fail the read: training, evaluation, plotting and data code simply give unknown values.
What cannot be known but determines a size becomes a symbol named after its source
(``x_train.shape[1]``, ``n_features``); ``--set NAME=VALUE`` pins it.

The pieces, one job each:

- values.py: the value model; facts.py: dataset shapes, backend defaults (data tables);
- data.py: numpy / scikit-learn / keras.utils steps on arrays of known shape;
- modules.py: which imports are Keras, and sibling-module files;
- evaluator.py, statements.py, expressions.py...: plain Python (api.py: what it asks of this side);
- library.py: the evaluator's questions sorted by kind of value;
- builds.py: what builds a model (the evaluator's fault isolation asks it);
- side.py: what the mixins below use of each other (one Protocol, LibrarySide);
- keras_api.py: the call tables (one row per Keras or library call, naming its handler), whose
  handlers are keras_layers.py (layers, inputs), keras_models.py (Sequential, Model,
  applications), keras_tensors.py (tensor ops, the backend), opaque_layers.py (layers of unread
  libraries), libraries.py and numpy_calls.py (other libraries), tfdata_loaders.py; graph_nodes.py
  holds the nodes and the services they share, layer_types.py the layer types the reader makes;
- classes.py, instances.py, tracing.py: the file's own classes, their objects, traced layers;
- tfdata.py, tfdata_pipeline.py, element_ops.py: tf.data datasets and their methods;
- assemble.py: model methods and graphs; uses.py: what the program does with its models;
- legacy.py: Keras 1/2 spellings, translated with their era's meaning;
- model_choice.py: which model is "the" model (``--model``, else the one trained, saved or
  built last: ``pick_model``), and ``--list-models``;
- this module: the Interpreter that joins them, and the entry points.

``Graph.compile`` holds ``model.compile``'s arguments by keyword. Strings stay strings;
optimizer, loss and metric objects use Keras's own serialisation form, which
``keras.optimizers.get`` / ``keras.losses.get`` accept and lint can read::

    {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001}},
     "loss": {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}},
     "metrics": ["accuracy"]}
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.graph import Graph, Node
from archcalc.readers.builder import read_text
from archcalc.readers.python import facts
from archcalc.readers.python.assemble import AssembleMixin
from archcalc.readers.python.builds import BuildsMixin
from archcalc.readers.python.classes import ClassesMixin
from archcalc.readers.python.config_files import ConfigFilesMixin
from archcalc.readers.python.evaluator import Evaluator
from archcalc.readers.python.graph_nodes import SPEC_HINT
from archcalc.readers.python.instances import InstancesMixin
from archcalc.readers.python.keras_api import CallTablesMixin
from archcalc.readers.python.keras_layers import LayersMixin
from archcalc.readers.python.keras_models import ModelsMixin
from archcalc.readers.python.keras_tensors import TensorsMixin
from archcalc.readers.python.libraries import LibrariesMixin
from archcalc.readers.python.library import LibraryMixin
from archcalc.readers.python.library_values import ValuesMixin
from archcalc.readers.python.model_choice import list_models, model_total, note_choice, pick_model
from archcalc.readers.python.opaque_layers import OpaqueLayersMixin
from archcalc.readers.python.tfdata_loaders import DataLoadersMixin
from archcalc.readers.python.tfdata_pipeline import DataPipelineMixin
from archcalc.readers.python.tracing import TracingMixin
from archcalc.readers.python.uses import UsesMixin
from archcalc.readers.python.values import (
    Array,
    EvalError,
    Instance,
    LayerObj,
    Locator,
    ModuleValue,
    Return,
    Scope,
    Unknown,
)

MAX_BYTES = limits.MAX_PY_BYTES

__all__ = ["Interpreter", "Locator", "Scope", "load", "load_text", "list_models", "pick_model"]


class Interpreter(LibraryMixin, BuildsMixin, UsesMixin, ValuesMixin, CallTablesMixin,
                  LayersMixin, OpaqueLayersMixin, ModelsMixin, TensorsMixin, LibrariesMixin,
                  InstancesMixin, TracingMixin, ClassesMixin, AssembleMixin,
                  DataLoadersMixin, DataPipelineMixin, ConfigFilesMixin):
    """The library side of a read: holds the Evaluator (``ev``) that walks the module, and is
    the ``api`` it calls for everything that is not plain Python (see api.py, library.py)."""

    def __init__(self, path: str, text: str, locate: Locator | None = None, era: str = "keras3",
                 overrides: Mapping[str, Any] | None = None) -> None:
        #: the evaluator of the file's Python: statements, expressions, scopes, fault isolation
        self.ev = Evaluator(path, text, self, locate, overrides)
        #: the Keras API the file is written against (see legacy.py)
        self.era = era
        self.nodes: dict[str, Node] = {}  # every layer call in the file
        self.layer_of: dict[str, LayerObj] = {}
        self.counters: dict[str, int] = {}
        self.models: list[tuple[str, Any, int]] = []  # (variable, model, line) assignments
        self.self_stack: list[Instance] = []
        self.backend: dict[str, Any] = dict(facts.BACKEND_FACTS)
        #: models the file gets from code archcalc does not read (keras.applications, load_model)
        self.unread: list[tuple[str, Unknown]] = []
        #: the file's block functions being run (``def conv_block(x, f)`` called on a tensor),
        #: outermost first: layers made inside carry them as ``meta["block"]`` (diagram clusters)
        self.block_path: list[str] = []
        #: Keras Tuner hyperparameters the builder asked for, with the value each was read with
        self.hyperparameters: dict[str, Any] = {}
        #: unknown values of number-free layer arguments that a placeholder stands for
        self.fallbacks: list[str] = []
        #: argparse options parse_args() gave, with their values (defaults, or --set)
        self.cli_options: dict[str, Any] = {}
        #: what the summary should say about how the file was read
        self.notes: list[str] = []
        #: calls into libraries archcalc does not read, by (text, line): (dotted name, kwargs);
        #: one used as a layer becomes an OpaqueLayer (see OpaqueLayersMixin.opaque_layer), made once
        self.external_calls: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {}
        self.opaque_made: dict[tuple[str, int], LayerObj] = {}
        #: the module's syntax tree (the source of the user's layer classes, for emit)
        self.tree: ast.Module | None = None
        self.block_uses: dict[str, int] = {}
        #: what the program does with its models, in order: (rank, model, method, line); see MODEL_USES
        self.uses: list[tuple[int, Any, str, int]] = []
        #: id of a model value -> the step it was (last) assigned at
        self.built_at: dict[int, int] = {}
        #: attributes the file sets on values it does not read (wandb's config.units = 64)
        #: or on modules (tf.model = ...), by (what the value is, attribute)
        self.set_attrs: dict[tuple[Any, str], Any] = {}
        #: os.environ as the program sets it (it starts empty: the program run with no settings)
        self.environ: dict[str, Any] = {}
        #: the model the default pick chose and why (see pick_model)
        self.choice: tuple[str, str] | None = None

    # -- the evaluator's services (delegation) ------------------------------------------------

    @property
    def globals(self) -> dict[str, Any]:
        """The module's names (read_module's callers read them after the read)."""
        return self.ev.globals

    def loc(self, node: ast.AST) -> Location:
        return self.ev.loc(node)

    def error(self, message: str, node: ast.AST | None, hint: str | None = SPEC_HINT) -> SpecError:
        return self.ev.error(message, node, hint)

    def eval_error(self, message: str, e: ast.AST) -> EvalError:
        return self.ev.eval_error(message, e)


#: the last tree parse_checked() made, with its text: the reader takes it instead of parsing
#: the same file a second time (lint checks the syntax first, then reads the model)
_checked: list[tuple[str, ast.Module]] = []


def parse_checked(text: str) -> ast.Module:
    """``ast.parse(text)`` (its errors included), kept for the read of the same text that follows;
    SpecError for a text over the limits (:func:`limits.check_python_text`)."""
    limits.check_python_text(text, "<python>")
    tree = ast.parse(text)
    _checked[:] = [(text, tree)]
    return tree


def _parse(text: str, path: str, at: Locator) -> ast.Module:
    if _checked:
        (seen, tree), = _checked
        _checked.clear()
        if seen == text:
            return tree
    limits.check_python_text(text, path, at)  # before the parse: its memory grows with the terms
    try:
        # not the real file name: Python would re-read the file to place the error (a BOM shifts it)
        return ast.parse(text, filename="<archcalc>")
    except SyntaxError as e:
        raise SpecError(f"invalid Python: {e.msg}", loc=at(e.lineno or 0, e.offset or 0)) from None
    except (RecursionError, MemoryError, ValueError):
        raise SpecError("the file is nested too deeply to read", loc=Location(path)) from None


def read_module(text: str, path: str = "<python>", locate: Locator | None = None, era: str | None = None,
                overrides: Mapping[str, Any] | None = None) -> Interpreter:
    """Run the reader over a module's text; the Interpreter holds what it built."""
    from archcalc.readers.python import legacy

    at = locate or (lambda line, col: Location(path, line, col))
    tree = _parse(text, path, at)
    era_, why = legacy.detect_era(tree, text, forced=era)
    interp = Interpreter(path, text, locate, era_, overrides)
    interp.backend.update(legacy.backend_facts(era_))
    interp.era_reason = why  # type: ignore[attr-defined]
    try:
        interp.tree = tree
        interp.ev.run(tree)
    except Return:
        raise SpecError("`return` outside a function", loc=Location(path)) from None
    except RecursionError:
        raise SpecError("the code is nested too deeply to read", loc=Location(path), hint=SPEC_HINT) from None
    return interp


def load_text(text: str, path: str = "<python>", model_name: str | None = None,
              locate: Locator | None = None, era: str | None = None,
              overrides: Mapping[str, Any] | None = None) -> Graph:
    """Read Python source into the Graph of its model.

    ``locate`` maps a (line, column) of ``text`` to the Location to report; a notebook reader
    passes one that names the cell.
    """
    interp = read_module(text, path, locate, era, overrides)
    try:
        var, m = pick_model(interp, model_name)
        graph = interp.graph_of(m, None)
    except RecursionError:
        raise SpecError("the code is nested too deeply to read", loc=Location(path), hint=SPEC_HINT) from None
    unused = sorted(set(interp.ev.overrides) - interp.ev.used_overrides)
    if unused and unused[0] in interp.ev.globals:
        raise SpecError(f"--set {unused[0]}: the model does not depend on it", loc=Location(path),
                        hint="--set pins the sizes the summary shows as names; leave this one out")
    if unused:
        raise SpecError(f"--set {unused[0]}: the file has no such name", loc=Location(path),
                        hint=did_you_mean(unused[0], [k for k in interp.ev.globals if not k.startswith("__")])
                        or "--set pins a module-level name or a named unknown size")
    graph.name = m.name
    graph.extras["variable"] = var
    graph.extras["era"] = {"era": interp.era, "reason": getattr(interp, "era_reason", "")}
    graph.extras["models"] = list_models(interp)
    note_choice(interp, graph)
    for values, said in ((interp.hyperparameters, "Keras Tuner hyperparameters take the defaults "
                          "keras_tuner.HyperParameters() gives a builder"),
                         (interp.cli_options, "command-line options take their argparse defaults")):
        if values:
            shown = [f"{k}={v!r}" for k, v in list(values.items())[:8]]
            more = len(values) - len(shown)
            graph.extras.setdefault("notes", []).append(
                f"{said}: " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")
                + "; --set NAME=VALUE picks another")
    for note in dict.fromkeys(interp.notes):
        graph.extras.setdefault("notes", []).append(note)
    if interp.fallbacks:
        graph.extras.setdefault("notes", []).append(
            "; ".join(dict.fromkeys(interp.fallbacks)) + " (the value changes no shape or parameter count)")
    if interp.ev.assumed_imports:
        by_module: dict[str, list[str]] = {}
        for name, dotted in sorted(interp.ev.assumed_imports.items()):
            module = dotted.rsplit(".", 1)[0] if dotted.endswith("." + name) else dotted
            by_module.setdefault(module, []).append(name)
        said = ", ".join(f"{m} ({', '.join(n)})" for m, n in by_module.items())
        graph.extras.setdefault("notes", []).append(f"the file uses names it never imports, read as {said}")
    if m.class_name:
        graph.extras["model_class"] = m.class_name
    if m.compile is not None:
        graph.compile, graph.compile_loc = m.compile, m.compile_loc
    if len(m.compiles) > 1:
        graph.extras["compiles"] = [{"settings": c, "loc": str(loc)} for c, loc in m.compiles]
    if m.fits:
        graph.extras["fit_calls"] = list(m.fits)
    return graph


def load(path: str | Path, overrides: Mapping[str, Any] | None = None, model_name: str | None = None,
         era: str | None = None, **options: Any) -> Graph:
    """Read a Keras Python file (statically) into a Graph; SpecError on any problem."""
    text = read_text(path, MAX_BYTES, "Python file")
    return load_text(text, str(path), model_name, era=era, overrides=overrides)


def models_in(path: str | Path, text: str | None = None, locate: Locator | None = None) -> list[str]:
    """`--list-models`: what a Python file builds."""
    if text is None:
        text = read_text(path, MAX_BYTES, "Python file")
    interp = read_module(text, str(path), locate)
    totals: dict[str, str] = {}
    for var, m, _ in interp.models:
        totals[var] = model_total(interp, m)
    return [f"{name}  ({totals[name]})" if totals.get(name) else name for name in list_models(interp)]


__all__ += ["models_in", "read_module", "Array", "ModuleValue"]


