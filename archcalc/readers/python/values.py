"""The value model of the Python reader: what an expression evaluates to.

Every value is one of:

- a plain Python value the reader computed (numbers, strings, tuples, lists, dicts);
- a symbolic size (a sympy expression), for a size the code takes from somewhere the reader
  cannot see, named after its source (``x_train.shape[1]``, ``n_features``);
- :class:`Unknown`: a value the reader does not compute (a call into another library, data read
  from a file). Unknown values flow freely; they only stop the read where the model's structure
  needs them (a layer count, a branch that builds different layers);
- :class:`Array`: data whose shape is known (``mnist.load_data()``, ``np.zeros((n, 3))``);
- Keras objects: :class:`Mod` (a module or name path), :class:`Tensor`, :class:`LayerObj`,
  :class:`ModelObj`, :class:`ConfigObj` (optimizers, losses, regularizers);
- the file's own code: :class:`UserFunc`, :class:`UserClass` and their :class:`Instance`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from archcalc.errors import Location, SpecError
from archcalc.layers.base import LayerType

#: (line, column) -> Location
Locator = Callable[[int, int], Location]


class EvalError(SpecError):
    """A value-level failure (cannot index, cannot unpack, ...). It stops the read only when
    the statement it happens in builds the model; elsewhere the statement's targets become
    unknown and reading goes on."""


@dataclass(frozen=True)
class Unknown:
    """A value archcalc does not compute (data, a call into another library)."""

    what: str
    line: int
    undefined: bool = False  # a name the file never defines (data loaded elsewhere, or a typo)
    #: what the value was computed from, when ``what`` is the variable that holds it
    source: str = ""
    col: int = 0
    #: the error of the statement that should have computed the value (fault isolation: a
    #: model built from it reports that error, not that a value is unknown)
    failed: Any = field(default=None, compare=False)
    #: the file's class the failed statement was making an object of (``net = Net(...)``): its
    #: methods say whether ``net.training(...)`` trains a model (see Interpreter.attribute_of)
    of: Any = field(default=None, compare=False)

    def describe(self, at: Locator | None = None) -> str:
        where = f"line {self.line}"
        if at is not None and self.line:
            loc = at(self.line, 0)
            cell = getattr(loc, "cell", None)
            where = f"cell {cell}, line {loc.line}" if cell else f"line {loc.line}"
        if self.undefined:
            return f"the name '{self.what}', which is not defined in the file ({where})"
        if self.source:
            return f"`{self.what}` (= {self.source}, {where})"
        return f"`{self.what}` ({where})"

    def named(self, name: str) -> Unknown:
        """The value as held by the variable ``name``: its symbol is named after the variable."""
        if (self.undefined and not self.source) or name == self.what or name == "_":
            return self  # a bare undefined name stays one: its uses report it (a typo?)
        return Unknown(name, self.line, source=self.source or self.what, failed=self.failed)

    def symbol(self) -> Any:
        """The named symbolic size this value stands for."""
        return symbol(self.what)


_SYMBOLS: dict[str, Any] = {}


def symbol(name: str) -> Any:
    """A positive integer sympy symbol named after its source (sympy loads only here)."""
    name = re.sub(r"\s+", "", name)[:48] or "n"
    s = _SYMBOLS.get(name)
    if s is None:
        import sympy

        s = _SYMBOLS[name] = sympy.Symbol(name, integer=True, positive=True)
    return s


class LibraryValue:
    """A value the library side made (a module's name path, a tensor, a layer, a model, an
    array, a dataset, a class of the file and its objects...). The evaluator never looks inside
    one: an operator, a builtin, a call, a loop or a condition on it is a question for
    ``api.LibraryApi``. Plain Python values, named sizes, :class:`Unknown` and the file's
    functions (:class:`UserFunc`) are the evaluator's own."""

    __slots__ = ()


def is_symbolic(v: Any) -> bool:
    return hasattr(v, "free_symbols") and not isinstance(v, (int, float))


@dataclass(frozen=True)
class Mod(LibraryValue):
    """A module or name path, normalised: ('keras', 'layers', 'Dense'), ('numpy', 'zeros')."""

    path: tuple[str, ...]

    def attr(self, name: str) -> Mod:
        from archcalc.readers.python.modules import normalise

        return Mod(normalise((*self.path, name)))

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass
class Tensor(LibraryValue):
    """A symbolic tensor: the output of graph node ``node`` (output ``index`` of a layer with
    several outputs, e.g. ``out, h, c = LSTM(..., return_state=True)(x)``)."""

    node: str
    index: int | None = None


@dataclass
class Array(LibraryValue):
    """Data of a known (or symbolic) shape: ``x_train`` after ``mnist.load_data()``.

    ``classes`` is the number of classes of a label array (``y_train``), which
    ``np.max(y) + 1``, ``len(np.unique(y))`` and ``to_categorical(y)`` give; ``onehot`` marks
    labels already one-hot encoded. ``ragged`` marks arrays of variable-length sequences (the
    IMDB reviews) whose second axis is only known after ``pad_sequences``.
    """

    shape: tuple
    what: str
    classes: Any = None
    onehot: bool = False
    ragged: bool = False
    #: the largest value a sequence holds + 1 (a vocabulary size: imdb's num_words)
    vocab: Any = None


@dataclass
class LayerObj(LibraryValue):
    """A layer instance; ``calls`` lists the graph nodes of its calls (shared weights)."""

    layer: LayerType
    name: str
    loc: Location
    kwargs: dict[str, Any]
    calls: list[str] = field(default_factory=list)
    #: legacy (Keras 1/2) spellings of the constructor call, with their Keras 3 forms
    legacy: list[Any] = field(default_factory=list)
    #: the positional arguments as bound (a call argument such as use_causal_mask re-binds)
    args: list[Any] = field(default_factory=list)


@dataclass
class ModelObj(LibraryValue):
    """A Sequential (layers list) or Functional (inputs/outputs) model object."""

    kind: str  # "Sequential" | "Functional"
    name: str
    loc: Location
    layers: list[Any] = field(default_factory=list)  # Sequential: LayerObj / ModelObj / Input tensors
    input_shape: tuple | None = None
    input_name: str | None = None
    #: where the input shape came from, when it is not known (``x_train.shape[1:]``)
    input_unknown: Unknown | None = None
    #: the shape of the data its first layer was called on, one layer at a time, before the
    #: model was built (d2l's ``for layer in net.layers: X = layer(X)``) and where (line): its
    #: input when nothing else (fit, build) builds it
    called_shape: tuple | None = None
    called_line: int = 0
    inputs: list[str] = field(default_factory=list)  # Functional: input node names
    outputs: list[str] = field(default_factory=list)
    output_index: list[int | None] = field(default_factory=list)
    output_keys: list[str] | None = None
    #: the outputs were given as a list (``Model(i, [x])``): calling the model gives a list, of
    #: one tensor too
    output_list: bool = False
    compile: dict[str, Any] | None = None
    compile_loc: Location | None = None
    #: every compile() call, in order (lint checks each)
    compiles: list[tuple[dict[str, Any], Location]] = field(default_factory=list)
    #: every fit() call, in order (see ``assemble.fit_record``)
    fits: list[dict[str, Any]] = field(default_factory=list)
    layer_obj: LayerObj | None = None  # the NestedModel layer, once used as a layer
    trainable: bool = True
    #: the Keras class shown for the model (a subclassed model's own class name)
    class_name: str | None = None
    #: a keras.applications model not used yet: (its layer, input shape, input tensor, sources)
    app: Any = None
    #: the cuts of a keras.applications model read so far (base.get_layer('mixed7').output)
    cuts: list[Any] = field(default_factory=list)
    #: a keras.applications model some of whose layers the file sets trainable (where, as text)
    partly_frozen: str | None = None
    #: the error of a statement that should have changed the model (``model.add(...)``)
    broken: Any = None


@dataclass
class AppCut(LibraryValue):
    """``base.get_layer('mixed7')`` of a keras.applications model: the model cut at that layer,
    from archcalc's table of cuts (see applications.cut); its tensor once ``.output`` is read."""

    model: ModelObj
    layer: str
    record: list[Any]
    index: int
    tensor: Any = None


@dataclass
class AppLayers(LibraryValue):
    """``base.layers`` of a keras.applications model (``whole``) or a slice of it: archcalc's
    table holds the model's totals, not its layers, so a loop over them runs its body once on
    an :class:`AppLayer` standing for them all."""

    model: ModelObj
    whole: bool = True


@dataclass
class AppLayer(LibraryValue):
    """The layers of :class:`AppLayers` in a loop: ``layer.trainable = False`` on all of them
    is the model's; on some of them it splits the counts in a way only Keras knows."""

    model: ModelObj
    whole: bool = True


@dataclass
class ConfigObj(LibraryValue):
    """keras.optimizers.Adam(1e-3), keras.losses.X(...), keras.regularizers.l2(...)."""

    class_name: str
    config: dict[str, Any]

    def serialize(self) -> dict[str, Any]:
        return {"class_name": self.class_name, "config": plain(self.config)}


@dataclass
class UserFunc:
    """A function defined in the file; ``at`` locates positions in the file it comes from."""

    node: ast.FunctionDef | ast.Lambda
    closure: Mapping[str, Any]
    at: Locator | None = None
    path: str | None = None
    #: the instance a method is bound to (``self``)
    bound: Any = None
    #: the file's class that defines the method (where ``super()`` in it starts looking)
    owner: Any = None


@dataclass
class UserClass(LibraryValue):
    """A class defined in the file: a Keras model or layer subclass, or anything else."""

    name: str
    kind: str  # "model" | "layer" | "other"
    line: int
    node: ast.ClassDef | None = None
    closure: Mapping[str, Any] | None = None
    bases: list[Any] = field(default_factory=list)
    at: Locator | None = None
    path: str | None = None
    #: class-level names with the values their assignments give (``IMG_SIZE = 224``)
    attrs: dict[str, Any] = field(default_factory=dict)

    def attribute(self, name: str) -> Any:
        """A class-level value of this class or of a user-defined base class; KeyError if none."""
        if name in self.attrs:
            return self.attrs[name]
        for b in self.bases:
            if isinstance(b, UserClass):
                try:
                    return b.attribute(name)
                except KeyError:
                    continue
        raise KeyError(name)

    def method(self, name: str) -> ast.FunctionDef | None:
        """The method ``name`` of this class or of a user-defined base class."""
        if self.node is not None:
            for s in self.node.body:
                if isinstance(s, ast.FunctionDef) and s.name == name:
                    return s
        for b in self.bases:
            if isinstance(b, UserClass):
                m = b.method(name)
                if m is not None:
                    return m
        return None

    def owner_of(self, name: str) -> UserClass | None:
        if self.node is not None and any(isinstance(s, ast.FunctionDef) and s.name == name for s in self.node.body):
            return self
        for b in self.bases:
            if isinstance(b, UserClass):
                o = b.owner_of(name)
                if o is not None:
                    return o
        return None


@dataclass
class Instance(LibraryValue):
    """An object of a user class: its attributes, set in ``__init__`` (``self.dense = ...``)."""

    cls: UserClass
    attrs: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    #: a model subclass, once traced: its ModelObj; a layer subclass: its layer per call
    model: ModelObj | None = None
    layer_obj: LayerObj | None = None
    loc: Location | None = None
    built_shapes: Any = None
    #: the constructor's arguments as evaluated: (args, kwargs)
    ctor: tuple[list[Any], dict[str, Any]] | None = None


class Scope(dict):
    """A function's locals, falling back to the enclosing names for reads."""

    def __init__(self, local: dict[str, Any], outer: Mapping[str, Any]) -> None:
        super().__init__(local)
        self.outer = outer

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.outer

    def __getitem__(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.outer[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default


@dataclass
class ModuleValue:
    """A sibling module read statically: its names."""

    name: str
    env: dict[str, Any]


class Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class Break(Exception):
    pass


class Continue(Exception):
    pass


def plain(v: Any) -> Any:
    """A value as layer arguments and compile settings hold it (config objects serialised)."""
    if isinstance(v, ConfigObj):
        return v.serialize()
    if isinstance(v, (list, tuple)):
        return type(v)(plain(x) for x in v)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def compile_settings(comp: dict[str, Any]) -> dict[str, Any]:
    """compile()'s arguments as Graph.compile holds them: strings, numbers, Keras's
    serialised objects; a function passed by name (``loss=keras.losses.mse``) as its name.
    What is not a setting the reader knows (unknown values, layers, tensors) is left out."""

    def value(v: Any) -> Any:
        if isinstance(v, Mod):
            return v.name
        if isinstance(v, ConfigObj):
            return v.serialize()
        if isinstance(v, (list, tuple)):
            items = [value(x) for x in v]
            return None if any(x is _SKIP for x in items) else type(v)(items)
        if isinstance(v, dict):
            items2 = {k: value(x) for k, x in v.items()}
            return None if any(x is _SKIP for x in items2.values()) else items2
        if isinstance(v, (str, int, float, bool)) or v is None:
            return v
        return _SKIP

    out = {}
    for k, v in comp.items():
        x = value(v)
        if x is not _SKIP and x is not None:
            out[k] = x
    return out


_SKIP = object()


@dataclass(frozen=True)
class Batches(LibraryValue):
    """Data given a batch at a time: what a generator function yields, what
    ``ImageDataGenerator.flow_from_directory`` gives. ``x``/``y`` hold one batch's arrays
    with the batch axis unknown (``None``), or None when not known."""

    x: Any
    y: Any
    what: str
    #: where the batches come from: "generator", "flow", "flow_from_directory"...
    source: str = "generator"


@dataclass
class ImageGenerator(LibraryValue):
    """A ``keras.preprocessing.image.ImageDataGenerator``: its ``flow*`` methods give
    :class:`Batches` whose shapes follow the arguments (``target_size``, ``color_mode``,
    ``class_mode``), as Keras's directory iterator builds them."""

    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class HyperParams(LibraryValue):
    """A Keras Tuner ``HyperParameters`` object (the ``hp`` of ``def build_model(hp)``): each
    ``hp.Int``/``Float``/``Choice``/``Boolean``/``Fixed`` call gives its default, as
    ``keras_tuner.HyperParameters()`` gives it to a builder, or the value ``--set NAME=`` pins."""


@dataclass
class ArgParser(LibraryValue):
    """An ``argparse.ArgumentParser``: the options it declares, by destination. ``parse_args()``
    gives their defaults (the script run without arguments), or the values ``--set DEST=`` pins."""

    options: dict[str, Any] = field(default_factory=dict)


def describe(v: Any, at: Locator | None = None) -> str:
    """A value as a message shows it: never an internal object."""
    if isinstance(v, Unknown):
        return v.describe(at)
    if isinstance(v, Tensor):
        return f"the tensor '{v.node}'" + (f"[{v.index}]" if v.index is not None else "")
    if isinstance(v, LayerObj):
        return f"the layer '{v.name}'"
    if isinstance(v, ModelObj):
        return f"the model '{v.name}'"
    if isinstance(v, Mod):
        return f"`{v.dotted}`"
    if isinstance(v, Array):
        return f"`{v.what}` (an array of shape {v.shape})"
    if isinstance(v, HyperParams):
        return "Keras Tuner's hyperparameters (hp)"
    if isinstance(v, ArgParser):
        return "an argparse parser"
    if isinstance(v, (UserFunc, UserClass, Instance)):
        name = v.node.name if isinstance(v, UserFunc) and isinstance(v.node, ast.FunctionDef) else getattr(
            v, "name", "") or (v.cls.name if isinstance(v, Instance) else "a function")
        return f"`{name}`"
    if isinstance(v, (list, tuple)):
        inner = ", ".join(describe(x) for x in v[:6])
        return ("[" + inner + "]") if isinstance(v, list) else ("(" + inner + ")")
    if isinstance(v, (int, float, str, bool)) or v is None:
        return repr(v)
    if is_symbolic(v):
        return str(v)
    return type(v).__name__


def _config_text(self: ConfigObj) -> str:
    """``maxnorm(max_value=2)``: a config object as the code wrote it."""
    return f"{self.class_name}({', '.join(f'{k}={plain_text(v)}' for k, v in self.config.items())})"


def is_literal(v: Any) -> bool:
    """A value emit and to_keras can write as a Python literal (numbers, strings, None, and
    lists, tuples and str-keyed dicts of them; not NaN, and nothing symbolic)."""
    if v is None or isinstance(v, (bool, int, str)):
        return True
    if isinstance(v, float):
        return v == v
    if isinstance(v, (list, tuple)):
        return all(is_literal(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and is_literal(x) for k, x in v.items())
    return False


def plain_text(v: Any) -> str:
    """A value as code text (for messages and hints)."""
    if isinstance(v, ConfigObj):
        return _config_text(v)
    if isinstance(v, (int, float, str, bool, type(None))):
        return repr(v)
    if isinstance(v, (list, tuple)):
        inner = ", ".join(plain_text(x) for x in v)
        return f"[{inner}]" if isinstance(v, list) else f"({inner}{',' if len(v) == 1 else ''})"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{plain_text(k)}: {plain_text(x)}" for k, x in v.items()) + "}"
    return describe(v)


# every value prints as message text, never as an internal object (a repr reaches messages
# through f-strings in layer errors and hints)
ConfigObj.__repr__ = _config_text  # type: ignore[method-assign,assignment]
for _cls in (Unknown, Mod, Tensor, Array, LayerObj, ModelObj, UserFunc, UserClass, Instance):
    _cls.__repr__ = describe  # type: ignore[method-assign,assignment]


#: compile()'s positional parameters
COMPILE_ARGS = ["optimizer", "loss", "loss_weights", "metrics", "weighted_metrics"]
#: fit()'s positional parameters (Keras 1 to 3 share this order)
FIT_ARGS = ("x", "y", "batch_size", "epochs")


def _data_record(v: Any) -> dict[str, Any] | None:
    """What lint may know of data given to fit(): shape, classes, one-hot (None: unknown)."""
    if isinstance(v, Array):
        return {"shape": tuple(v.shape), "classes": v.classes, "onehot": v.onehot, "what": v.what}
    if isinstance(v, (list, tuple)) and v and all(isinstance(a, Array) for a in v):
        return {"parts": [_data_record(a) for a in v]}
    return None


#: model methods besides fit() whose data Keras checks against the model as fit() does
DATA_METHODS = frozenset({"evaluate", "train_on_batch", "test_on_batch"})


def data_record(method: str, args: list[Any], kwargs: dict[str, Any], loc: Location) -> dict[str, Any]:
    """The record of an ``evaluate()`` (``train_on_batch``, ``test_on_batch``) call, kept with
    the fit() records for lint: its ``x`` and ``y`` only (their batch size and other arguments
    are not fit()'s), and ``call``, the method's name."""
    given = {k: v for k, v in kwargs.items() if k in ("x", "y")}
    rec = fit_record(list(args[:2]), given, loc)
    rec.update(batch_size=None, epochs=None, positional=0, call=method)
    return rec


def fit_record(args: list[Any], kwargs: dict[str, Any], loc: Location) -> dict[str, Any]:
    """The record of one ``fit()`` call kept in ``graph.extras["fit_calls"]`` (lint reads it):
    ``x``/``y`` are None or {shape, classes, onehot, what} (or {parts: [...]} for several
    arrays), ``batch_size``/``epochs`` are ints or None, ``positional`` counts the positional
    arguments (``fit(x, y, 32, 10)``: 4), ``loc`` is ``path:line:col``."""
    bound = dict(zip(FIT_ARGS, args, strict=False))
    bound.update(kwargs)
    if "generator" in bound and "x" not in bound:  # Keras 2's fit_generator(generator, ...)
        bound["x"] = bound["generator"]
    batches = bound.get("x")
    source = None
    if isinstance(batches, Batches):  # a generator or an iterator: x and y come from its batches
        bound["x"], bound["y"] = batches.x, batches.y
        source = batches.source
    if "nb_epoch" in bound and "epochs" not in bound:  # Keras 1
        bound["epochs"] = bound["nb_epoch"]

    def count(key: str) -> int | None:
        v = bound.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    x, y = _data_record(bound.get("x")), _data_record(bound.get("y"))
    for rec in (x, y):
        if rec is not None and source is not None:
            rec["source"] = source
    return {"x": x, "y": y,
            "batch_size": count("batch_size"), "epochs": count("epochs"), "positional": len(args),
            "loc": str(loc)}
