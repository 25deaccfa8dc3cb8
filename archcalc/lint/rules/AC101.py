"""Categorical cross-entropy on a one-unit output.

``categorical_crossentropy`` and ``sparse_categorical_crossentropy`` compare a
distribution over classes with the target. Over one unit there is one class: Keras
normalises the prediction to 1.0, the loss is 0 for every sample and nothing is learned
(accuracy stays at its first value). The course notes' first Sequential example has this
bug: ``Dense(1, activation='sigmoid')`` compiled with ``categorical_crossentropy``.

Fix: for a yes/no target keep the single sigmoid unit and use
``loss='binary_crossentropy'``; for n classes use ``Dense(n, activation='softmax')``.

Failing::

    input: [8]
    layers:
      - Dense(10, activation='relu')
      - Dense(1, activation='sigmoid')
    compile: {optimizer: adam, loss: categorical_crossentropy}

Passing::

    input: [8]
    layers:
      - Dense(10, activation='relu')
      - Dense(1, activation='sigmoid')
    compile: {optimizer: adam, loss: binary_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import at_compile, describe, outputs_with_loss


class CategoricalLossOnOneUnit(LintRule):
    __doc__ = __doc__
    code = "AC101"
    name = "loss.categorical-on-one-unit"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if item.loss.categorical and item.units == 1:
                yield at_compile(
                    ctx, item,
                    f"{item.loss.written} on the one-unit output {describe(item)}: over a single "
                    "class the loss is always 0 and nothing is learned",
                    "for a yes/no target use loss='binary_crossentropy' with one sigmoid unit; "
                    "for n classes use Dense(n, activation='softmax')",
                )
