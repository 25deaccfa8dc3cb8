"""More classes in the labels than the output has units.

A classifier needs one output unit per class (a binary one: one sigmoid unit for two
classes). When the labels the code gives ``fit()`` have more classes than that (the 10
digits of MNIST into ``Dense(2, activation='softmax')``, or into one sigmoid unit under
``binary_crossentropy``), the class ids fall outside the output: Keras fails at the first
batch or trains on a meaningless loss. Checked when the number of classes is known from
the code (a keras.datasets or scikit-learn loader, ``to_categorical(y, n)``). Under
``binary_crossentropy`` the labels' columns must equal the units one for one: one-hot labels
of 30 columns given to ten sigmoid units stop Keras at the first batch.

Fix: give the output layer as many units as there are classes, with softmax (or the
labels as many columns as the output has units).

Failing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(5, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)

Passing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.compile_info import BINARY, CATEGORICAL
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._fit import labels_and_losses
from archcalc.lint.training import concrete


class ClassesVsUnits(LintRule):
    __doc__ = __doc__
    code = "AC109"
    name = "loss.classes-vs-units"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        done: set[str] = set()
        for item in labels_and_losses(ctx):
            classes, units = item.y.classes, item.units
            if not concrete(units) or item.output in done:
                continue
            if not concrete(classes):
                classes = 0  # unknown: only the column check below applies
            head = ctx.head(item.output)
            loc = head.loc if head is not None else item.compile_loc
            if item.loss_name in CATEGORICAL and 1 < units < classes:  # type: ignore[operator]
                msg = (f"the labels `{item.y.what}` have {classes} classes but the output "
                       f"'{item.output}' has {units} units")
                hint = f"use Dense({classes}, activation='softmax') as the output layer"
            elif item.loss_name in BINARY and units == 1 and classes > 2 and not item.y.onehot:  # type: ignore[operator]
                msg = (f"{item.written} on one unit, but the labels `{item.y.what}` have {classes} "
                       "classes: binary cross-entropy needs labels 0 or 1")
                hint = (f"use Dense({classes}, activation='softmax') with "
                        "loss='sparse_categorical_crossentropy'")
            elif item.loss_name in BINARY and units > 1 and len(item.y.shape) == 2 \
                    and concrete(item.y.shape[-1]) and item.y.shape[-1] != units:  # type: ignore[operator]
                cols = item.y.shape[-1]
                msg = (f"{item.written} compares the labels `{item.y.what}` ({cols} columns) with the "
                       f"{units} units of '{item.output}' one by one: Keras stops at the first batch "
                       "(the two shapes must be equal)")
                hint = (f"give the output layer {cols} units, or give the labels {units} columns "
                        f"(to_categorical(y, {units}))")
            else:
                continue
            done.add(item.output)
            fit = item.fit.loc
            related = ((fit, f"the labels `{item.y.what}` are given to {item.fit.call}() here"),) \
                if fit is not None and fit.line and fit != loc else ()
            yield Report(msg, loc, head.name if head is not None else item.output, hint, related)
