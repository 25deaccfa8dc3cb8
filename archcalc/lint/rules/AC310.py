"""A negative constant bias before ReLU.

A ReLU unit outputs 0 whenever its input is negative. Starting the biases at a negative
constant (``bias_initializer=Constant(-1)``) pushes most inputs below 0 at the first step:
many units output 0, get no gradient and never recover ("dead ReLUs").

Fix: keep the default zero bias (or a small positive constant such as 0.01).

Failing::

    input: [20]
    layers:
      - "Dense(64, activation='relu', bias_initializer={'class_name': 'Constant', 'config': {'value': -1.0}})"
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - "Dense(64, activation='relu', bias_initializer={'class_name': 'Constant', 'config': {'value': 0.01}})"
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.compile_spec import POSITIONAL, split_spec
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.names import to_snake_case

RELU = frozenset({"relu", "relu6"})


def _constant(value: object) -> float | None:
    name, options = split_spec(value)
    if not name or to_snake_case(name) != "constant":
        return None
    v = options.get("value", (options.get(POSITIONAL) or [None])[0])
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class NegativeBiasBeforeRelu(LintRule):
    __doc__ = __doc__
    code = "AC310"
    name = "init.negative-bias-before-relu"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            layer = node.layer
            if layer is None or "bias_initializer" not in layer.cfg:
                continue
            value = _constant(layer.cfg.get("bias_initializer"))
            act = ctx.activation_of(node)
            if act == "linear":
                user = ctx.only_consumer(node.name)
                act = ctx.activation_of(user) if user is not None and ctx.is_activation_layer(user) else act
            if value is not None and value < 0 and act in RELU:
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' starts its biases at {value:g} before ReLU: most units "
                    "output 0 from the first step and get no gradient",
                    "keep the default zero bias, or a small positive constant such as 0.01")
