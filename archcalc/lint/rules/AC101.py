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

from archcalc.lint.compile_info import metric_names
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import OutputLoss, at_compile, at_output, describe, outputs_with_loss
from archcalc.lint.training import concrete


class CategoricalLossOnOneUnit(LintRule):
    __doc__ = __doc__
    code = "AC101"
    name = "loss.categorical-on-one-unit"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for item in outputs_with_loss(ctx):
            if item.loss.categorical and item.units == 1:
                message = (f"{item.loss.written} on the one-unit output {describe(item)}: over a single "
                           "class the loss is always 0 and nothing is learned")
                hint = ("for a yes/no target use loss='binary_crossentropy' with one sigmoid unit; "
                        "for n classes use Dense(n, activation='softmax')")
                if self._several_classes(ctx, item) or item.activation not in ("sigmoid", "hard_sigmoid"):
                    # several classes meant: the fix is the layer's units (and softmax)
                    yield at_output(ctx, item, message, hint, ctx.head(item.output))
                else:
                    # one sigmoid unit is a yes/no classifier: the fix is the loss
                    yield at_compile(ctx, item, message, hint)

    @staticmethod
    def _several_classes(ctx: LintContext, item: OutputLoss) -> bool:
        """The labels given to fit() have more than two classes, or the compile() asks for a
        categorical metric: the program means one class out of several."""
        if any(f.y is not None and concrete(f.y.classes) and f.y.classes > 2 for f in ctx.fits):
            return True
        calls = [c for c in ctx.compiles if (c.loc or ctx.compile_loc) == item.loc] or ctx.compiles
        return any("categorical" in m for c in calls for m in metric_names(c.settings))
