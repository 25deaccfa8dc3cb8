"""Categorical cross-entropy after a sigmoid.

Sigmoid units are independent probabilities (multi-label: each class yes or no), while
categorical cross-entropy expects one distribution over mutually exclusive classes.
Keras divides the sigmoid outputs by their sum inside the loss, so the model trains,
but what ``predict()`` returns are not the probabilities either loss assumes: they do not
sum to 1 over the classes, and thresholds or confidences read from them are wrong. A
warning, not an error: the program runs and its argmax is usable.

Fix: for one class per sample use ``activation='softmax'``; for several labels per
sample keep the sigmoids and use ``loss='binary_crossentropy'``. Reported on the output
layer (where the activation is changed), naming the compile() line.

Failing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(5, activation='sigmoid')
    compile: {optimizer: adam, loss: categorical_crossentropy}

Passing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(5, activation='softmax')
    compile: {optimizer: adam, loss: categorical_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_output, describe, outputs_with_loss


class CategoricalLossAfterSigmoid(LintRule):
    __doc__ = __doc__
    code = "AC102"
    name = "loss.categorical-after-sigmoid"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            # one unit is AC101's case; reporting both would say the same thing twice
            if item.loss.categorical and item.activation in ("sigmoid", "hard_sigmoid") and item.units != 1:
                yield at_output(
                    ctx, item,
                    f"{item.loss.written} after a {item.activation} output {describe(item)}: "
                    "sigmoid units are independent probabilities, not one distribution over classes",
                    "use activation='softmax' for one class per sample, or "
                    "loss='binary_crossentropy' for several labels per sample",
                )
