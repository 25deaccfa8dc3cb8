"""Accuracy as the metric of a regression.

``metrics=['accuracy']`` counts predictions *equal* to the target. With a regression loss
(mean squared or absolute error, Huber...) on an unbounded output, the predictions are
real numbers that almost never equal the target exactly: the accuracy stays near 0 and
says nothing about the model.

Fix: use a regression metric (``metrics=['mae']`` or ``'mse'``); if the task is really a
classification, use a softmax or sigmoid output with a cross-entropy loss.

Failing::

    input: [13]
    layers:
      - Dense(64, activation='relu')
      - Dense(1)
    compile: {optimizer: adam, loss: mse, metrics: [accuracy]}

Passing::

    input: [13]
    layers:
      - Dense(64, activation='relu')
      - Dense(1)
    compile: {optimizer: adam, loss: mse, metrics: [mae]}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.compile_info import REGRESSION, metric_names
from archcalc.lint.context import NOT_PROBABILITY, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class AccuracyOnRegression(LintRule):
    __doc__ = __doc__
    code = "AC110"
    name = "metrics.accuracy-on-regression"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for call in ctx.compiles:
            if "accuracy" not in metric_names(call.settings):
                continue
            losses = ctx.losses_of(call)
            for out, loss in losses.items():
                act, _ = ctx.final_activation(out)
                if loss.name in REGRESSION and act in NOT_PROBABILITY:
                    yield Report(
                        f"metrics=['accuracy'] with the regression loss {loss.written} on the {act} "
                        f"output '{out}': a real-valued prediction almost never equals its target",
                        call.loc or ctx.compile_loc, out,
                        "use metrics=['mae'] (or 'mse') for a regression")
                    break
