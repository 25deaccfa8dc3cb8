"""Targets whose shape the output cannot match.

With a regression loss (mean squared error, mean absolute error, Huber...) Keras compares
the targets given to ``fit()`` with the model's output element by element. When their shapes
differ it does not stop: it broadcasts one against the other. A model with one output per
sample (``(batch, 1)``) trained on one target per time step (``(batch, steps, 1)``), or on
three targets per sample (``(batch, 3)``), trains without complaint and learns the average
of the targets instead of each of them.

The usual causes are a recurrent layer that returns only its last output where one value
per time step is wanted (``return_sequences=False``, the default), and an output layer with
fewer units than the targets have columns.

Fix: for per-step targets, pass ``return_sequences=True`` to the last recurrent layer (and
wrap the head in ``TimeDistributed``, or let ``Dense`` act on the last axis); for several
targets, give the output layer one unit per target column.

Failing::

    from keras.models import Sequential
    from keras.layers import Dense
    import numpy as np

    X = np.random.rand(200, 8)
    y = np.random.rand(200, 3)
    model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(1)])
    model.compile(loss='mse', optimizer='adam')
    model.fit(X, y, epochs=10)

Passing::

    from keras.models import Sequential
    from keras.layers import Dense
    import numpy as np

    X = np.random.rand(200, 8)
    y = np.random.rand(200, 3)
    model = Sequential([Dense(16, activation='relu', input_shape=(8,)), Dense(3)])
    model.compile(loss='mse', optimizer='adam')
    model.fit(X, y, epochs=10)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archcalc.graph import Node
from archcalc.layers.base import fmt_shape
from archcalc.lint.compile_info import REGRESSION
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.training import concrete


def _sample(shape: tuple) -> tuple:
    """A shape without its batch axis and without trailing 1s ((n, 15, 1) -> (15,))."""
    s = list(shape[1:])
    while s and s[-1] == 1:
        s.pop()
    return tuple(s)


class TargetShapeMismatch(LintRule):
    __doc__ = __doc__
    code = "AC111"
    name = "loss.target-shape-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        if len(ctx.graph.outputs) != 1:
            return
        out = ctx.graph.outputs[0]
        shape = ctx.shape(out)
        if shape is None or not all(concrete(d) for d in shape[1:]):
            return
        regression = [c for c in ctx.compiles
                      if (loss := ctx.losses_of(c).get(out)) is not None and loss.name in REGRESSION]
        if not regression:
            return
        for fit in ctx.fits:
            y = fit.y
            if y is None or len(y.shape) < 1 or not all(concrete(d) for d in y.shape[1:]):
                continue
            want, got = _sample(tuple(y.shape)), _sample(tuple(shape))
            if want == got:
                continue
            yield self._report(ctx, out, tuple(shape), y.what, tuple(y.shape), fit.loc, fit.call)
            return

    def _report(self, ctx: LintContext, out: str, shape: tuple, what: str, y: tuple, fit_loc: Any,
                call: str = "fit") -> Report:
        related = ((fit_loc, f"`{what}` is given to {call}() here"),)
        if len(_sample(y)) > len(_sample(shape)):
            rnn = self._last_recurrent(ctx, out)
            if rnn is not None:
                return self.at(
                    rnn,
                    f"the targets `{what}` have one value per time step {fmt_shape(y)}, but "
                    f"{rnn.type} '{rnn.name}' returns only its last output, so the model outputs "
                    f"{fmt_shape(shape)}: Keras broadcasts one against the other and trains on the "
                    "wrong values",
                    f"pass return_sequences=True to '{rnn.name}' for one prediction per time step",
                    related)
        node = ctx.head(out) or ctx.node(out)
        return self.at(
            node,
            f"the targets `{what}` have shape {fmt_shape(y)}, but the output '{out}' is "
            f"{fmt_shape(shape)}: Keras broadcasts one against the other instead of comparing "
            "each target with its prediction",
            f"give the output layer the targets' shape (Dense({y[-1]}) for {y[-1]} target columns), "
            "or reshape the targets",
            related)

    @staticmethod
    def _last_recurrent(ctx: LintContext, out: str) -> Node | None:
        """The recurrent layer closest to the output on a single-input walk back."""
        node = ctx.node(out)
        for _ in range(1000):
            if node.layer is not None and node.layer.family == "recurrent" and not node.layer.returns_sequences():
                return node
            if len(node.inputs) != 1:
                return None
            node = ctx.node(node.inputs[0])
        return None
