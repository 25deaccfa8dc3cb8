"""Binary cross-entropy after a softmax over several units.

Binary cross-entropy treats each unit as an independent yes/no probability; a softmax
makes the units compete (they sum to 1). Together they train a multi-label objective on
a single-label output: accuracy looks high (Keras's ``accuracy`` then means binary
accuracy per unit) while the model is poor.

Fix: for one class per sample use ``categorical_crossentropy`` (one-hot targets) or
``sparse_categorical_crossentropy`` (integer targets); for several labels per sample use
``activation='sigmoid'``.

Failing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(3, activation='softmax')
    compile: {optimizer: adam, loss: binary_crossentropy}

Passing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(3, activation='softmax')
    compile: {optimizer: adam, loss: categorical_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import DISTRIBUTION, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_compile, describe, outputs_with_loss


class BinaryLossAfterSoftmax(LintRule):
    __doc__ = __doc__
    code = "AC106"
    name = "loss.binary-after-softmax"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            units = item.units
            if item.loss.binary and item.activation in DISTRIBUTION and isinstance(units, int) and units > 1:
                yield at_compile(
                    ctx, item,
                    f"{item.loss.written} after a softmax over {units} units {describe(item)}: "
                    "the units compete but the loss scores each one independently",
                    "use categorical_crossentropy (or sparse_categorical_crossentropy), or "
                    "activation='sigmoid' for several labels per sample",
                )
