"""An input shape that includes the batch axis.

``input_shape`` (and ``Input(shape=...)``) is the shape of *one sample*: Keras adds the
batch axis itself. ``input_shape=x_train.shape`` or ``input_shape=(60000, 28, 28)`` makes
every sample a whole dataset; ``fit`` then fails because the data has one axis fewer than
the model expects. Checked when the code shows the data given to ``fit()``.

Fix: drop the first axis: ``input_shape=x_train.shape[1:]``.

Failing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Flatten(input_shape=x_train.shape),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)

Passing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Flatten(input_shape=x_train.shape[1:]),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.layers.base import fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._fit import input_written_at
from archcalc.lint.training import concrete


class InputShapeWithBatch(LintRule):
    __doc__ = __doc__
    code = "AC207"
    name = "shape.input-includes-batch"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        shape = ctx.input_shape()
        node = input_written_at(ctx)
        if shape is None or node is None or len(shape) < 2:
            return
        dims = tuple(shape[1:])
        for fit in ctx.fits:
            x = fit.x
            if x is None or len(x.shape) != len(dims) or not concrete(x.samples) or x.samples < 2:
                continue
            if dims[0] == x.samples and all(a == b for a, b in zip(dims[1:], x.shape[1:], strict=True)):
                yield self.at(
                    node,
                    f"the model's input shape {fmt_shape(shape)} includes the batch axis: each sample "
                    f"would be all {x.samples} rows of `{x.what}` {fmt_shape(x.shape)}",
                    f"give the shape of one sample: input_shape={fmt_shape(x.shape[1:])} "
                    f"(e.g. {x.what}.shape[1:])")
                return
