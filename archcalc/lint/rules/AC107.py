"""Mean squared error after a softmax.

A softmax output is a distribution over classes. Mean squared error on it trains, but
its gradients vanish when the softmax saturates on a wrong class, so learning is slow
and often stops early; it is usually a classification model compiled with a regression
loss.

Fix: use ``categorical_crossentropy`` (or ``sparse_categorical_crossentropy``) for
classes; for a regression output remove the softmax.

Failing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(3, activation='softmax')
    compile: {optimizer: adam, loss: mse}

Passing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(3)
    compile: {optimizer: adam, loss: mse}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.compile_info import SQUARED
from archcalc.lint.context import DISTRIBUTION, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_compile, describe, outputs_with_loss


class SquaredErrorAfterSoftmax(LintRule):
    __doc__ = __doc__
    code = "AC107"
    name = "loss.mse-after-softmax"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if item.loss.name in SQUARED and item.activation in DISTRIBUTION:
                yield at_compile(
                    ctx, item,
                    f"{item.loss.written} after a softmax output {describe(item)}: a regression "
                    "loss on a distribution over classes learns slowly",
                    "use categorical_crossentropy for classes, or remove the softmax for regression",
                )
