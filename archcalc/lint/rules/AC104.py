"""A probability loss after a linear or relu output.

Cross-entropy losses read probabilities unless told otherwise: ``from_logits=False`` is
Keras's default. After a linear (no activation) or relu output the values are not
probabilities; Keras clips them into (0, 1) and the loss and its gradients are wrong
(often stuck, or NaN with negative outputs).

Fix: add the missing ``activation='softmax'`` (or ``'sigmoid'`` for a binary or
multi-label output), or keep the logits and pass ``from_logits=True`` to the loss.

Failing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(4)
    compile: {optimizer: adam, loss: sparse_categorical_crossentropy}

Passing::

    input: [20]
    layers:
      - Dense(32, activation='relu')
      - Dense(4)
    compile:
      optimizer: adam
      loss: {class: SparseCategoricalCrossentropy, from_logits: true}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import NOT_PROBABILITY, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_compile, at_output, describe, outputs_with_loss


class ProbabilityLossOnLogits(LintRule):
    __doc__ = __doc__
    code = "AC104"
    name = "loss.probabilities-expected"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if not item.loss.probabilistic or item.activation not in NOT_PROBABILITY:
                continue
            want = "sigmoid" if item.loss.binary or item.units == 1 else "softmax"
            message = (f"{item.loss.written} expects probabilities (from_logits=False is the default) "
                       f"but the output {describe(item)} is {item.activation}")
            if item.activation == "linear" and item.units != 1:
                # class scores left as logits (Dense(10) then the loss): from_logits=True is the
                # usual repair, in the compile() call
                yield at_compile(ctx, item, message,
                                 f"pass from_logits=True to the loss, or add activation='{want}' to the output layer")
            else:
                # a relu (never a probability) or a single unit: the output layer is changed
                yield at_output(ctx, item, message,
                                f"add activation='{want}' to the output layer, or pass from_logits=True to the loss")
