"""Tolerant reading of ``graph.compile``: losses per output and the learning rate.

Front-ends keep ``compile()`` as written, so a loss may be ``'categorical_crossentropy'``,
``'CategoricalCrossentropy'``, ``'keras.losses.CategoricalCrossentropy(from_logits=True)'``,
``{class: CategoricalCrossentropy, from_logits: true}``, Keras's serialized
``{class_name: ..., config: {...}}``, a list (one per output) or a mapping keyed by output
name. An optimizer is a name, a call string or a mapping with ``learning_rate`` (or ``lr``).
Anything unreadable becomes None: lint never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.compile_spec import _CLASS_KEYS, POSITIONAL, last_part, split_spec
from archcalc.graph import Graph
from archcalc.readers.builder import to_snake_case as snake

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

#: cross-entropies over classes (softmax-shaped targets)
CATEGORICAL = frozenset({
    "categorical_crossentropy", "sparse_categorical_crossentropy", "categorical_focal_crossentropy",
})
#: cross-entropies over independent probabilities (sigmoid-shaped targets)
BINARY = frozenset({"binary_crossentropy", "binary_focal_crossentropy"})
#: losses that read probabilities unless from_logits=True
PROBABILISTIC = CATEGORICAL | BINARY
SQUARED = frozenset({"mean_squared_error"})
#: losses of a regression (a number per output, not a class)
REGRESSION = frozenset({
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "huber", "huber_loss", "log_cosh",
})
#: loss classes whose first positional argument is from_logits
_FROM_LOGITS_FIRST = CATEGORICAL | BINARY

_LOSS_OPTION_KEYS = ("from_logits", "config", *_CLASS_KEYS)


@dataclass(frozen=True)
class LossSpec:
    """One output's loss: canonical name, from_logits and the text as written."""

    name: str
    from_logits: bool
    written: str
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def categorical(self) -> bool:
        return self.name in CATEGORICAL

    @property
    def binary(self) -> bool:
        return self.name in BINARY

    @property
    def probabilistic(self) -> bool:
        return self.name in PROBABILISTIC and not self.from_logits


def parse_loss(value: Any) -> LossSpec | None:
    name, options = split_spec(value)
    if not name:
        return None
    canonical = snake(last_part(name))
    canonical = LOSS_ALIASES.get(canonical, canonical)
    positional = options.get(POSITIONAL) or []
    from_logits = options.get("from_logits", positional[0] if positional and canonical in
                              _FROM_LOGITS_FIRST else False)
    written = value if isinstance(value, str) else name + (
        "(from_logits=True)" if from_logits is True else "")
    return LossSpec(canonical, from_logits is True, str(written), options)


def _is_single_loss(value: dict) -> bool:
    return any(k in value for k in _LOSS_OPTION_KEYS)


def _output_aliases(graph: Graph, name: str) -> set[str]:
    node = graph.nodes.get(name)
    names = {name}
    if node is not None and node.layer is not None and isinstance(node.layer.cfg.get("name"), str):
        names.add(node.layer.cfg["name"])
    return names


def losses_by_output(graph: Graph, comp: Any = None) -> dict[str, LossSpec]:
    """Output node name -> its loss, for the outputs whose loss could be read (from the
    compile settings ``comp``; the model's last compile() by default)."""
    comp = comp if comp is not None else graph.compile or {}
    if not isinstance(comp, dict) or "loss" not in comp:
        return {}
    loss = comp["loss"]
    outs = list(graph.outputs)
    result: dict[str, LossSpec] = {}
    if isinstance(loss, dict) and not _is_single_loss(loss):
        for out in outs:
            for alias in _output_aliases(graph, out):
                if alias in loss:
                    spec = parse_loss(loss[alias])
                    if spec:
                        result[out] = spec
                    break
        return result
    if isinstance(loss, (list, tuple)):
        for out, item in zip(outs, loss, strict=False):
            spec = parse_loss(item)
            if spec:
                result[out] = spec
        return result
    spec = parse_loss(loss)
    if spec:
        result = {out: spec for out in outs}
    return result


def learning_rate(graph: Graph, comp: Any = None) -> tuple[str | None, float | None]:
    """(optimizer name, learning rate) when the learning rate is written as a number
    (``learning_rate=``, ``lr=`` or the first positional argument: ``SGD(10.0)``)."""
    comp = comp if comp is not None else graph.compile or {}
    if not isinstance(comp, dict):
        return None, None
    opt = comp.get("optimizer")
    if opt is None:
        return None, None
    name, options = split_spec(opt)
    positional = options.get(POSITIONAL) or [None]
    lr = options.get("learning_rate", options.get("lr", positional[0]))
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        return name, None
    return name, float(lr)


def metric_names(comp: Any) -> list[str]:
    """The metrics of a compile() as snake_case names ('acc' and 'Accuracy' -> 'accuracy')."""
    if not isinstance(comp, dict):
        return []
    metrics = comp.get("metrics")
    items: list[Any] = []
    if isinstance(metrics, (list, tuple)):
        items = list(metrics)
    elif isinstance(metrics, dict):  # per output
        for v in metrics.values():
            items.extend(v if isinstance(v, (list, tuple)) else [v])
    elif metrics is not None:
        items = [metrics]
    out = []
    for item in items:
        name, _ = split_spec(item)
        if name:
            snake_name = snake(last_part(name))
            out.append("accuracy" if snake_name == "acc" else snake_name)
    return out
