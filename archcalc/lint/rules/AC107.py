"""Mean squared error after a softmax.

A softmax output is a distribution over classes. Mean squared error on it trains, but
its gradients vanish when the softmax saturates on a wrong class, so learning is slow
and often stops early; it is usually a classification model compiled with a regression
loss.

Fix: use ``categorical_crossentropy`` (or ``sparse_categorical_crossentropy``) for
classes; for a regression output remove the softmax. The finding sits on the compile()
line when the program means classes (an accuracy metric, one-hot labels), else on the
output layer, and names the other line.

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

from archcalc.lint.compile_info import SQUARED, metric_names
from archcalc.lint.context import DISTRIBUTION, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import OutputLoss, at_compile, at_output, describe, outputs_with_loss


class SquaredErrorAfterSoftmax(LintRule):
    __doc__ = __doc__
    code = "AC107"
    name = "loss.mse-after-softmax"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if item.loss.name in SQUARED and item.activation in DISTRIBUTION:
                message = (f"{item.loss.written} after a softmax output {describe(item)}: a regression "
                           "loss on a distribution over classes learns slowly")
                hint = "use categorical_crossentropy for classes, or remove the softmax for regression"
                if self._classifier(ctx, item):
                    yield at_compile(ctx, item, message, hint)  # classes meant: the loss is changed
                else:
                    yield at_output(ctx, item, message, hint)  # values meant: the softmax goes

    @staticmethod
    def _classifier(ctx: LintContext, item: OutputLoss) -> bool:
        """An accuracy metric, or one-hot labels given to fit(): the program means classes."""
        if any(f.y is not None and f.y.onehot for f in ctx.fits):
            return True
        calls = [c for c in ctx.compiles if (c.loc or ctx.compile_loc) == item.loc] or ctx.compiles
        return any("accuracy" in m for c in calls for m in metric_names(c.settings))
