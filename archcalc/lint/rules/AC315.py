"""Dropout applied to the model's output.

A ``Dropout`` between the output layer and the model's output (after the last
``Dense``, or between it and its ``Activation('softmax')``) zeroes random class scores at
every training step and scales the others by 1 / (1 - rate): the loss is computed on
predictions the model never makes at inference, where Dropout does nothing: a zeroed
score or probability is a prediction the model did not make, and the loss punishes it
however right the layer below was.

Fix: remove the Dropout, or move it before the output layer (between hidden layers).

Failing::

    input: [28, 28, 1]
    layers:
      - Flatten()
      - Dense(64, activation='relu')
      - Dense(10)
      - Dropout(0.5)
      - Activation('softmax')
    compile: {optimizer: adam, loss: categorical_crossentropy}

Passing::

    input: [28, 28, 1]
    layers:
      - Flatten()
      - Dense(64, activation='relu')
      - Dropout(0.5)
      - Dense(10)
      - Activation('softmax')
    compile: {optimizer: adam, loss: categorical_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.graph import Node
from archcalc.lint.context import WEIGHTED_FAMILIES, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class DropoutOnOutput(LintRule):
    __doc__ = __doc__
    code = "AC315"
    name = "layer.dropout-on-output"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for out in ctx.output_nodes():
            if out not in ctx.losses:
                continue  # not trained as it is (a feature extractor, a sub-model)
            dropout, head = self._between(ctx, out)
            if dropout is None or head is None:
                continue
            yield self.at(
                dropout,
                f"{dropout.type} '{dropout.name}' drops the output of '{head.name}': the loss sees "
                "randomly zeroed predictions in training that inference never makes",
                f"remove '{dropout.name}', or put it before '{head.name}'",
                related=((head.loc, f"the output layer '{head.name}'"),))

    @staticmethod
    def _between(ctx: LintContext, out: str) -> tuple[Node | None, Node | None]:
        """The dropout-like layer (the last one) on the element-wise path from the output
        back to the weighted layer that produces it, and that layer."""
        node = ctx.node(out)
        dropout = None
        for _ in range(1000):
            if node.layer is None:
                return None, None
            if node.layer.family in WEIGHTED_FAMILIES:
                return dropout, node
            if not (ctx.is_activation_layer(node) or ctx.is_transparent(node)) or len(node.inputs) != 1:
                return None, None
            if node.layer.zeroes_inputs and dropout is None:
                dropout = node
            node = ctx.node(node.inputs[0])
        return None, None
