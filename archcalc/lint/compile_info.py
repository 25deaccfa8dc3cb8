"""Tolerant reading of ``graph.compile``: losses per output and the learning rate.

Front-ends keep ``compile()`` as written, so a loss may be ``'categorical_crossentropy'``,
``'CategoricalCrossentropy'``, ``'keras.losses.CategoricalCrossentropy(from_logits=True)'``,
``{class: CategoricalCrossentropy, from_logits: true}``, Keras's serialized
``{class_name: ..., config: {...}}``, a list (one per output) or a mapping keyed by output
name. An optimizer is a name, a call string or a mapping with ``learning_rate`` (or ``lr``).
Anything unreadable becomes None: lint never guesses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from archcalc.graph import Graph

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

_CLASS_KEYS = ("class", "class_name", "name", "loss", "type")
_LOSS_OPTION_KEYS = ("from_logits", "config", *_CLASS_KEYS)


def snake(name: str) -> str:
    """'CategoricalCrossentropy' -> 'categorical_crossentropy' (as Keras's own helper)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _last_part(dotted: str) -> str:
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
        return _last_part(expr.value), options
    return None, options


def split_spec(value: Any) -> tuple[str | None, dict[str, Any]]:
    """The (name, options) of a loss or optimizer written in any supported form."""
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
            options.pop("name", None)
        if name is not None:
            inner, more = parse_call_text(name)
            name = inner
            options = {**more, **options}
        return name, options
    return None, {}


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
    canonical = snake(_last_part(name))
    canonical = LOSS_ALIASES.get(canonical, canonical)
    from_logits = options.get("from_logits", False)
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


def losses_by_output(graph: Graph) -> dict[str, LossSpec]:
    """Output node name -> its loss, for the outputs whose loss could be read."""
    comp = graph.compile or {}
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


def learning_rate(graph: Graph) -> tuple[str | None, float | None]:
    """(optimizer name, learning rate) when the learning rate is written as a number."""
    comp = graph.compile or {}
    if not isinstance(comp, dict):
        return None, None
    opt = comp.get("optimizer")
    if opt is None:
        return None, None
    name, options = split_spec(opt)
    lr = options.get("learning_rate", options.get("lr"))
    if isinstance(lr, bool) or not isinstance(lr, (int, float)):
        return name, None
    return name, float(lr)
