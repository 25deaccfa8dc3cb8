"""The one reader of a model's ``compile()`` settings, in any form a front-end keeps them.

A loss, optimizer or metric may be a name (``'adam'``), a call written as text
(``'keras.optimizers.SGD(0.01, momentum=0.9)'``), a mapping with a class key
(``{class: SGD, momentum: 0.9}``), Keras's serialisation (``{class_name: Adam, config: {...}}``)
or, for the optimizer, a one-key mapping (``{sgd: {momentum: 0.9}}``). :func:`read_compile`
turns the settings into a :class:`CompileSpec` whose objects are :class:`KerasObject` records
(class name, keyword arguments, positional arguments named from :data:`POSITIONAL_NAMES`);
lint, the memory estimate, ``emit``, the Keras build and ``train`` all read them from here.
:func:`split_spec` is the low-level (name, options) split, also used for layer arguments such
as initializers. Nothing here imports Keras.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archcalc.names import to_snake_case

if TYPE_CHECKING:
    from archcalc.graph import Graph

_CLASS_KEYS = ("class", "class_name", "name", "loss", "type")
#: the options key that holds a call's positional arguments: ``SGD(10.0)`` -> {POSITIONAL: [10.0]}
POSITIONAL = "*args"
#: the compile() arguments whose values are Keras objects, and the module that holds their classes
OBJECT_MODULES = {"optimizer": "optimizers", "loss": "losses", "metrics": "metrics",
                  "weighted_metrics": "metrics"}

#: the first positional parameters (up to six) of each Keras 3 class that compile() takes, and of
#: the regularizers (Keras 3.15's signatures; tests/test_compile_spec_keras.py compares them with
#: the installed Keras), so that ``SGD(0.01, 0.9)`` reads as learning_rate=0.01, momentum=0.9
POSITIONAL_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "optimizers": {
        "Adadelta": ("learning_rate", "rho", "epsilon", "weight_decay", "clipnorm", "clipvalue"),
        "Adafactor": ("learning_rate", "beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step"),
        "Adagrad": ("learning_rate", "initial_accumulator_value", "epsilon", "weight_decay", "clipnorm", "clipvalue"),
        "Adam": ("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad", "weight_decay"),
        "AdamW": ("learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad"),
        "Adamax": ("learning_rate", "beta_1", "beta_2", "epsilon", "weight_decay", "clipnorm"),
        "Ftrl": ("learning_rate", "learning_rate_power", "initial_accumulator_value", "l1_regularization_strength", "l2_regularization_strength", "l2_shrinkage_regularization_strength"),
        "Lamb": ("learning_rate", "beta_1", "beta_2", "epsilon", "weight_decay", "clipnorm"),
        "Lion": ("learning_rate", "beta_1", "beta_2", "weight_decay", "clipnorm", "clipvalue"),
        "Muon": ("learning_rate", "adam_beta_1", "adam_beta_2", "adam_weight_decay", "epsilon", "weight_decay"),
        "Nadam": ("learning_rate", "beta_1", "beta_2", "epsilon", "weight_decay", "clipnorm"),
        "RMSprop": ("learning_rate", "rho", "momentum", "epsilon", "centered", "weight_decay"),
        "SGD": ("learning_rate", "momentum", "nesterov", "weight_decay", "clipnorm", "clipvalue"),
        "ScheduleFreeAdamW": ("learning_rate", "beta_1", "beta_2", "epsilon", "warmup_steps", "weight_decay"),
    },
    "losses": {
        "BinaryCrossentropy": ("from_logits", "label_smoothing", "axis", "reduction", "name", "dtype"),
        "BinaryFocalCrossentropy": ("apply_class_balancing", "alpha", "gamma", "from_logits", "label_smoothing", "axis"),
        "CTC": ("reduction", "name", "dtype"),
        "CategoricalCrossentropy": ("from_logits", "label_smoothing", "axis", "reduction", "name", "dtype"),
        "CategoricalFocalCrossentropy": ("alpha", "gamma", "from_logits", "label_smoothing", "axis", "reduction"),
        "CategoricalGeneralizedCrossEntropy": ("q", "reduction", "name", "dtype"),
        "CategoricalHinge": ("reduction", "name", "dtype"),
        "Circle": ("gamma", "margin", "remove_diagonal", "reduction", "name", "dtype"),
        "CosineSimilarity": ("axis", "reduction", "name", "dtype"),
        "Dice": ("reduction", "name", "axis", "dtype"),
        "Hinge": ("reduction", "name", "dtype"),
        "Huber": ("delta", "reduction", "name", "dtype"),
        "KLDivergence": ("reduction", "name", "dtype"),
        "LogCosh": ("reduction", "name", "dtype"),
        "MeanAbsoluteError": ("reduction", "name", "dtype"),
        "MeanAbsolutePercentageError": ("reduction", "name", "dtype"),
        "MeanSquaredError": ("reduction", "name", "dtype"),
        "MeanSquaredLogarithmicError": ("reduction", "name", "dtype"),
        "Poisson": ("reduction", "name", "dtype"),
        "SparseCategoricalCrossentropy": ("from_logits", "ignore_class", "reduction", "axis", "name", "dtype"),
        "SquaredHinge": ("reduction", "name", "dtype"),
        "Tversky": ("alpha", "beta", "reduction", "name", "axis", "dtype"),
    },
    "metrics": {
        "AUC": ("num_thresholds", "curve", "summation_method", "name", "dtype", "thresholds"),
        "Accuracy": ("name", "dtype"),
        "BinaryAccuracy": ("name", "dtype", "threshold"),
        "BinaryCrossentropy": ("name", "dtype", "from_logits", "label_smoothing"),
        "BinaryIoU": ("target_class_ids", "threshold", "name", "dtype"),
        "CategoricalAccuracy": ("name", "dtype"),
        "CategoricalCrossentropy": ("name", "dtype", "from_logits", "label_smoothing", "axis"),
        "CategoricalHinge": ("name", "dtype"),
        "ConcordanceCorrelation": ("name", "dtype", "axis"),
        "CosineSimilarity": ("name", "dtype", "axis"),
        "F1Score": ("average", "threshold", "name", "dtype"),
        "FBetaScore": ("average", "beta", "threshold", "name", "dtype"),
        "FalseNegatives": ("thresholds", "name", "dtype"),
        "FalsePositives": ("thresholds", "name", "dtype"),
        "Hinge": ("name", "dtype"),
        "IoU": ("num_classes", "target_class_ids", "name", "dtype", "ignore_class", "sparse_y_true"),
        "KLDivergence": ("name", "dtype"),
        "LogCoshError": ("name", "dtype"),
        "MeanAbsoluteError": ("name", "dtype"),
        "MeanAbsolutePercentageError": ("name", "dtype"),
        "MeanIoU": ("num_classes", "name", "dtype", "ignore_class", "sparse_y_true", "sparse_y_pred"),
        "MeanSquaredError": ("name", "dtype"),
        "MeanSquaredLogarithmicError": ("name", "dtype"),
        "OneHotIoU": ("num_classes", "target_class_ids", "name", "dtype", "ignore_class", "sparse_y_pred"),
        "OneHotMeanIoU": ("num_classes", "name", "dtype", "ignore_class", "sparse_y_pred", "axis"),
        "PearsonCorrelation": ("name", "dtype", "axis"),
        "Poisson": ("name", "dtype"),
        "Precision": ("thresholds", "top_k", "class_id", "name", "dtype"),
        "PrecisionAtRecall": ("recall", "num_thresholds", "class_id", "name", "dtype"),
        "R2Score": ("class_aggregation", "num_regressors", "name", "dtype"),
        "Recall": ("thresholds", "top_k", "class_id", "name", "dtype"),
        "RecallAtPrecision": ("precision", "num_thresholds", "class_id", "name", "dtype"),
        "RootMeanSquaredError": ("name", "dtype"),
        "SensitivityAtSpecificity": ("specificity", "num_thresholds", "class_id", "name", "dtype"),
        "SparseCategoricalAccuracy": ("name", "dtype"),
        "SparseCategoricalCrossentropy": ("name", "dtype", "from_logits", "ignore_class", "axis"),
        "SparseTopKCategoricalAccuracy": ("k", "name", "dtype", "from_sorted_ids"),
        "SpecificityAtSensitivity": ("sensitivity", "num_thresholds", "class_id", "name", "dtype"),
        "SquaredHinge": ("name", "dtype"),
        "TopKCategoricalAccuracy": ("k", "name", "dtype"),
        "TrueNegatives": ("thresholds", "name", "dtype"),
        "TruePositives": ("thresholds", "name", "dtype"),
    },
    "regularizers": {
        "L1": ("l1",),
        "L1L2": ("l1", "l2"),
        "L2": ("l2",),
        "OrthogonalRegularizer": ("factor", "mode"),
        "l1": ("l1",),
        "l1_l2": ("l1", "l2"),
        "l2": ("l2",),
        "orthogonal_regularizer": ("factor", "mode"),
    },
}

#: short names and old spellings -> the canonical snake_case loss name
LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "k_l_divergence": "kl_divergence",
    "logcosh": "log_cosh",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
}
#: short metric names -> the canonical snake_case name
METRIC_ALIASES = {"acc": "accuracy"}


def last_part(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def parse_call_text(text: str) -> tuple[str | None, dict[str, Any]]:
    """'keras.losses.X(from_logits=True)' -> ('X', {'from_logits': True}); a bare name too."""
    text = text.strip()
    try:
        expr = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None, {}
    options: dict[str, Any] = {}
    if isinstance(expr, ast.Call):
        positional = []
        for arg in expr.args:
            try:
                positional.append(ast.literal_eval(arg))
            except ValueError:
                positional.append(None)
        if positional:
            options[POSITIONAL] = positional
        for kw in expr.keywords:
            if kw.arg is None:
                continue
            try:
                options[kw.arg] = ast.literal_eval(kw.value)
            except ValueError:
                options[kw.arg] = None
        expr = expr.func
    if isinstance(expr, ast.Name):
        return expr.id, options
    if isinstance(expr, ast.Attribute):
        return expr.attr, options
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return last_part(expr.value), options
    return None, options


def split_spec(value: Any) -> tuple[str | None, dict[str, Any]]:
    """The (name, options) of a loss, optimizer or initializer written in any supported form;
    positional arguments stay unnamed under :data:`POSITIONAL` (see :func:`read_object`)."""
    if isinstance(value, str):
        return parse_call_text(value)
    if isinstance(value, dict):
        options = {k: v for k, v in value.items() if isinstance(k, str)}
        name = None
        for key in _CLASS_KEYS:
            if isinstance(options.get(key), str):
                name = options.pop(key)
                break
        config = options.pop("config", None)
        if isinstance(config, dict):
            name = name or config.get("name")
            options = {**config, **options}
            given = options.pop("name", None)
            if isinstance(given, str) and isinstance(name, str) and _fold(given) != _fold(name):
                options["name"] = given  # AUC(name="auc_roc"): the metric's own name (its history key)
        if name is None and len(options) == 1:  # {sgd: {momentum: 0.9}}
            (only, cfg), = options.items()
            if isinstance(cfg, dict):
                name, options = only, dict(cfg)
        if name is not None:
            inner, more = parse_call_text(name)
            name = inner
            options = {**more, **options}
        return name, options
    return None, {}


def _fold(name: str) -> str:
    return name.replace("_", "").lower()


_BY_FOLDED = {module: {_fold(cls): cls for cls in table} for module, table in POSITIONAL_NAMES.items()}


def keras_class(module: str, name: str) -> str | None:
    """The Keras class a name spells in ``keras.<module>`` ('sgd', 'SGD' -> 'SGD';
    'rmsprop' -> 'RMSprop'; 'binary_crossentropy' -> 'BinaryCrossentropy'), None if unknown."""
    if name in POSITIONAL_NAMES.get(module, {}):
        return name
    return _BY_FOLDED.get(module, {}).get(_fold(name))


@dataclass(frozen=True)
class KerasObject:
    """An optimizer, loss or metric of compile(): its name as written (the last dotted part),
    keyword arguments (positional ones named from :data:`POSITIONAL_NAMES`) and the positional
    arguments left unnamed. ``bare`` marks a plain name (``'adam'``, ``'mse'``) that Keras
    looks up itself."""

    module: str
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    args: tuple[Any, ...] = ()
    bare: bool = False
    written: Any = field(default=None, compare=False)

    @property
    def keras_class(self) -> str | None:
        return keras_class(self.module, self.name)

    @property
    def canonical(self) -> str:
        """The snake_case name ('CategoricalCrossentropy', 'cce' -> 'categorical_crossentropy')."""
        snake = to_snake_case(self.name)
        aliases = LOSS_ALIASES if self.module == "losses" else METRIC_ALIASES if self.module == "metrics" else {}
        return aliases.get(snake, snake)

    def get(self, key: str, default: Any = None) -> Any:
        return self.kwargs.get(key, default)

    def source(self, literal: Callable[[Any], str]) -> str:
        """Python source that makes this object: the name as a string when it is one, else
        ``keras.<module>.<Class>(...)`` with every known argument named."""
        if self.bare:
            return literal(self.name)
        parts = [literal(a) for a in self.args] + [f"{k}={literal(v)}" for k, v in self.kwargs.items()]
        return f"keras.{self.module}.{self.keras_class or self.name}({', '.join(parts)})"

    def to_keras(self, keras: Any) -> Any:
        """The value to give Keras's compile(): the name, or the constructed object."""
        if self.bare:
            return self.name
        module = getattr(keras, self.module)
        cls = getattr(module, self.keras_class or self.name, None)
        if not isinstance(cls, type):  # a name only Keras's registry knows: let Keras look it up
            return module.get({"class_name": self.name, "config": dict(self.kwargs)})
        return cls(*self.args, **self.kwargs)


def read_object(value: Any, module: str) -> KerasObject | None:
    """One optimizer, loss or metric in any written form; None when it names nothing."""
    name, options = split_spec(value)
    if not name:
        return None
    positional = list(options.pop(POSITIONAL, None) or [])
    bare = isinstance(value, str) and value.strip().isidentifier()
    cls = keras_class(module, name)
    names = POSITIONAL_NAMES[module].get(cls, ()) if cls else ()
    kwargs: dict[str, Any] = {}
    while positional and len(kwargs) < len(names) and names[len(kwargs)] not in options:
        kwargs[names[len(kwargs)]] = positional.pop(0)
    kwargs.update(options)
    return KerasObject(module, name, kwargs, tuple(positional), bare, value)


def _is_single(value: Mapping) -> bool:
    """A mapping that is one object ({class: ..., ...}) rather than one value per output."""
    return any(k in value for k in ("from_logits", "config", *_CLASS_KEYS))


def _read_setting(key: str, value: Any) -> Any:
    module = OBJECT_MODULES.get(key)
    if module is None:
        return value
    if isinstance(value, dict) and (key == "optimizer" or _is_single(value)):
        return read_object(value, module) or value
    if isinstance(value, dict):  # one per output
        return {k: _read_setting(key, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and key != "optimizer":
        return type(value)(_read_setting(key, v) for v in value)
    return read_object(value, module) or value


def _objects(tree: Any) -> Iterator[KerasObject]:
    if isinstance(tree, KerasObject):
        yield tree
    elif isinstance(tree, (list, tuple)):
        for item in tree:
            yield from _objects(item)
    elif isinstance(tree, dict):
        for item in tree.values():
            yield from _objects(item)


@dataclass(frozen=True)
class CompileSpec:
    """compile()'s keyword arguments in the order written; optimizer, loss and metric values
    read as :class:`KerasObject` (inside the list or per-output mapping that holds them), the
    rest (``loss_weights``, ``jit_compile``...) as written."""

    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def optimizer(self) -> KerasObject | None:
        opt = self.settings.get("optimizer")
        return opt if isinstance(opt, KerasObject) else None

    @property
    def loss(self) -> Any:
        return self.settings.get("loss")

    @property
    def loss_weights(self) -> Any:
        return self.settings.get("loss_weights")

    @property
    def metrics(self) -> list[KerasObject]:
        """Every metric, of every output, in order."""
        return list(_objects(self.settings.get("metrics")))

    @property
    def learning_rate(self) -> float | None:
        """The optimizer's learning rate when written as a number (``lr=`` too)."""
        opt = self.optimizer
        lr = None if opt is None else opt.get("learning_rate", opt.get("lr"))
        if isinstance(lr, bool) or not isinstance(lr, (int, float)):
            return None
        return float(lr)

    def losses_by_output(self, graph: Graph) -> dict[str, KerasObject]:
        """Output node name -> its loss, for the outputs whose loss could be read (a single
        loss serves every output; a list goes in output order; a mapping is keyed by the
        output node's name or its layer's ``name=``)."""
        loss = self.loss
        outs = list(graph.outputs)
        if isinstance(loss, KerasObject):
            return {out: loss for out in outs}
        result: dict[str, KerasObject] = {}
        if isinstance(loss, dict):
            for out in outs:
                for alias in _output_aliases(graph, out):
                    if alias in loss:
                        if isinstance(loss[alias], KerasObject):
                            result[out] = loss[alias]
                        break
        elif isinstance(loss, (list, tuple)):
            for out, item in zip(outs, loss, strict=False):
                if isinstance(item, KerasObject):
                    result[out] = item
        return result

    def source_parts(self, literal: Callable[[Any], str]) -> list[str]:
        """``key=value`` source for each setting (see :meth:`KerasObject.source`)."""

        def src(tree: Any) -> str:
            if isinstance(tree, KerasObject):
                return tree.source(literal)
            if isinstance(tree, list):
                return "[" + ", ".join(src(v) for v in tree) + "]"
            if isinstance(tree, tuple):
                return "(" + ", ".join(src(v) for v in tree) + ("," if len(tree) == 1 else "") + ")"
            if isinstance(tree, dict):
                return "{" + ", ".join(f"{literal(k)}: {src(v)}" for k, v in tree.items()) + "}"
            return literal(tree)

        return [f"{k}={src(v)}" for k, v in self.settings.items()]

    def keras_kwargs(self, keras: Any) -> dict[str, Any]:
        """compile()'s keyword arguments for Keras, objects constructed."""

        def obj(tree: Any) -> Any:
            if isinstance(tree, KerasObject):
                return tree.to_keras(keras)
            if isinstance(tree, (list, tuple)):
                return type(tree)(obj(v) for v in tree)
            if isinstance(tree, dict):
                return {k: obj(v) for k, v in tree.items()}
            return tree

        return {k: obj(v) for k, v in self.settings.items()}


def _output_aliases(graph: Graph, name: str) -> list[str]:
    node = graph.nodes.get(name)
    names = [name]
    if node is not None and node.layer is not None and isinstance(node.layer.cfg.get("name"), str):
        names.append(node.layer.cfg["name"])
    return names


def read_compile(comp: Any) -> CompileSpec:
    """The settings of one compile() (``Graph.compile`` or a later call's); anything that is
    not a mapping reads as no settings."""
    if not isinstance(comp, Mapping):
        return CompileSpec()
    return CompileSpec({k: _read_setting(k, v) for k, v in comp.items() if isinstance(k, str)})


def loss_name(loss: Any) -> str | None:
    """The canonical snake_case name of one loss in any written form ('mse' -> 'mean_squared_error')."""
    obj = read_object(loss, "losses")
    return obj.canonical if obj is not None else None
