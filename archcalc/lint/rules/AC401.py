"""Learning rate outside [1e-7, 1e-1].

Adam, RMSprop and SGD train well with learning rates from about 1e-4 to 1e-2 (Keras's
defaults are 0.001 for Adam and RMSprop, 0.01 for SGD). Above 0.1 the updates overshoot
and the loss diverges or turns NaN; below 1e-7 the weights barely move and the loss
stays flat. Such values are usually a typo (``1e7`` for ``1e-7``) or a mistaken unit.

Fix: start from the optimizer's default and tune by factors of 3 to 10.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dense(1, activation='sigmoid')
    compile:
      optimizer: {class: Adam, learning_rate: 0.5}
      loss: binary_crossentropy

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dense(1, activation='sigmoid')
    compile:
      optimizer: {class: Adam, learning_rate: 0.001}
      loss: binary_crossentropy
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.compile_info import learning_rate
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

LOW, HIGH = 1e-7, 1e-1


class LearningRateRange(LintRule):
    __doc__ = __doc__
    code = "AC401"
    name = "compile.learning-rate-range"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for call in ctx.compiles:  # every compile() call
            name, lr = learning_rate(ctx.graph, call.settings)
            if lr is None or LOW <= lr <= HIGH:
                continue
            why = "the updates overshoot and the loss diverges" if lr > HIGH else "the weights barely move"
            yield Report(
                f"learning rate {lr:g}{f' for {name}' if name else ''} is outside [{LOW:g}, {HIGH:g}]: {why}",
                call.loc or ctx.compile_loc,
                None,
                "start from the optimizer's default (0.001 for Adam) and tune by factors of 3 to 10",
            )
