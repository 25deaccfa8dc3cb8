"""Dropout right before a pooling layer.

Max pooling keeps the largest value of each window; dropout before it zeroes random
inputs, so pooling picks a different survivor at every step and the map that reaches the
next layer is noisy in a way that inference never reproduces. The usual order, and the
one published CNN checkers expect, is convolution, pooling, then dropout.

Fix: move the Dropout after the pooling layer.

Failing::

    input: [28, 28, 1]
    layers:
      - Conv2D(32, 3, activation='relu')
      - Dropout(0.25)
      - MaxPooling2D(2)
      - Flatten()
      - Dense(10, activation='softmax')

Passing::

    input: [28, 28, 1]
    layers:
      - Conv2D(32, 3, activation='relu')
      - MaxPooling2D(2)
      - Dropout(0.25)
      - Flatten()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._spatial import windowed


class DropoutBeforePooling(LintRule):
    __doc__ = __doc__
    code = "AC311"
    name = "layer.dropout-before-pooling"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            if node.layer is None or not node.layer.zeroes_inputs:
                continue
            user = ctx.only_consumer(node.name)
            if user is not None and user.layer is not None and user.layer.family == "pooling" \
                    and windowed(user.layer):
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' feeds {user.type} '{user.name}': pooling then picks "
                    "among randomly zeroed inputs",
                    f"move '{node.name}' after '{user.name}'")
