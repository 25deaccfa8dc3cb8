"""Dropout right before BatchNormalization.

BatchNormalization learns the mean and variance of its input during training, when
Dropout is active, and uses them at inference, when Dropout is off. The variance it
learned is then wrong for every unit (the "variance shift"), and the model is worse at
inference than during training.

Fix: put Dropout after the BatchNormalization (and its activation), or only after the
last BatchNormalization of the model.

Failing::

    input: [20]
    layers:
      - Dense(64)
      - Dropout(0.3)
      - BatchNormalization()
      - Activation('relu')
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - Dense(64)
      - BatchNormalization()
      - Activation('relu')
      - Dropout(0.3)
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class DropoutBeforeBatchNorm(LintRule):
    __doc__ = __doc__
    code = "AC303"
    name = "layer.dropout-before-batchnorm"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            if node.layer is None or not node.layer.is_dropout:
                continue
            users = [ctx.node(u) for u in ctx.consumers.get(node.name, [])]
            bns = [u for u in users if u.layer is not None and u.layer.is_batch_normalization]
            if bns:
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' feeds BatchNormalization '{bns[0].name}': the "
                    "statistics learned with dropout on do not hold at inference (variance shift)",
                    "move the Dropout after the BatchNormalization and its activation",
                )
