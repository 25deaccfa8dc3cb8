"""Two activations in a row.

A layer built with ``activation=...`` followed by an Activation (or ReLU, Softmax ...)
layer applies two non-linearities: ``Dense(10, activation='softmax')`` then
``Activation('softmax')`` squashes the probabilities again; ``relu`` then ``relu`` is
harmless but says the author lost track of which layer activates. Either way one of the
two is not what was meant.

Fix: keep one activation: drop ``activation=`` from the layer or remove the Activation
layer.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Activation('relu')
      - Dense(3, activation='softmax')

Passing::

    input: [20]
    layers:
      - Dense(64)
      - Activation('relu')
      - Dense(3, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class DoubleActivation(LintRule):
    __doc__ = __doc__
    code = "AC304"
    name = "activation.double"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            if not ctx.is_activation_layer(node) or len(node.inputs) != 1:
                continue
            prev = ctx.node(node.inputs[0])
            first = ctx.activation_of(prev)
            if first is None or first == "linear":
                continue
            second = ctx.activation_of(node)
            yield self.at(
                node,
                f"{node.type} '{node.name}' applies {second} right after '{prev.name}' applied "
                f"{first}: two activations in a row",
                f"keep one: remove activation='{first}' from '{prev.name}' or remove this layer",
            )
