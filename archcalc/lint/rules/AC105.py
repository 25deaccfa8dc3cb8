"""``from_logits=True`` after a softmax or sigmoid.

With ``from_logits=True`` the loss applies softmax (or sigmoid) itself. After an output
that already applied one, the probabilities are squashed a second time: predictions of
0.9 and 0.1 become nearly equal, gradients shrink and training stalls.

Fix: remove the output activation (keep the logits) or drop ``from_logits=True``.

Failing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(4, activation='softmax')
    compile:
      optimizer: adam
      loss: {class: CategoricalCrossentropy, from_logits: true}

Passing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(4, activation='softmax')
    compile: {optimizer: adam, loss: categorical_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import PROBABILITY, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_compile, describe, outputs_with_loss


class FromLogitsAfterProbabilities(LintRule):
    __doc__ = __doc__
    code = "AC105"
    name = "loss.from-logits-after-probabilities"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if item.loss.from_logits and item.activation in PROBABILITY:
                yield at_compile(
                    ctx, item,
                    f"{item.loss.written} applies {item.activation} again after the "
                    f"{item.activation} output {describe(item)}",
                    "remove the output activation (keep logits), or drop from_logits=True",
                )
