"""Lint's view of ``graph.compile``: each output's loss classified, the learning rate, metrics.

The settings are read by :mod:`archcalc.compile_spec` (every written form, positional
arguments named); this module only classifies losses for the rules (categorical, binary,
probabilistic, regression). Anything unreadable becomes None: lint never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.compile_spec import KerasObject, read_compile, read_object
from archcalc.graph import Graph

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


def _loss_spec(obj: KerasObject) -> LossSpec:
    from_logits = obj.get("from_logits", False)
    written = obj.written if isinstance(obj.written, str) else obj.name + (
        "(from_logits=True)" if from_logits is True else "")
    return LossSpec(obj.canonical, from_logits is True, str(written), dict(obj.kwargs))


def parse_loss(value: Any) -> LossSpec | None:
    obj = read_object(value, "losses")
    return _loss_spec(obj) if obj is not None else None


def losses_by_output(graph: Graph, comp: Any = None) -> dict[str, LossSpec]:
    """Output node name -> its loss, for the outputs whose loss could be read (from the
    compile settings ``comp``; the model's last compile() by default)."""
    spec = read_compile(comp if comp is not None else graph.compile)
    return {out: _loss_spec(obj) for out, obj in spec.losses_by_output(graph).items()}


def learning_rate(graph: Graph, comp: Any = None) -> tuple[str | None, float | None]:
    """(optimizer name, learning rate) when the learning rate is written as a number
    (``learning_rate=``, ``lr=`` or the first positional argument: ``SGD(10.0)``)."""
    spec = read_compile(comp if comp is not None else graph.compile)
    opt = spec.optimizer
    return (opt.name if opt else None), spec.learning_rate


def metric_names(comp: Any) -> list[str]:
    """The metrics of a compile() as snake_case names ('acc' and 'Accuracy' -> 'accuracy')."""
    return [m.canonical for m in read_compile(comp).metrics]
