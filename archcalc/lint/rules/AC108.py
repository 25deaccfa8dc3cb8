"""Labels encoded for the other categorical loss.

``sparse_categorical_crossentropy`` reads one integer class id per sample (labels of
shape (N,) or (N, 1)); ``categorical_crossentropy`` reads one-hot rows (N, classes), what
``to_categorical`` returns. Given the other encoding Keras stops at the first batch with
a shape error (one-hot labels under the sparse loss), or the loss compares each
probability with a class id. Checked when the code shows the labels given to ``fit()``
(or, in a program that never trains, to ``evaluate()``).

Fix: keep the loss and change the labels (``to_categorical(y)`` for the categorical loss,
``np.argmax(y, axis=1)`` for the sparse one), or switch the loss to match the labels.

Failing::

    from tensorflow import keras
    from keras.utils import to_categorical
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    y_train = to_categorical(y_train)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)

Passing::

    from tensorflow import keras
    from keras.utils import to_categorical
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    y_train = to_categorical(y_train)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.layers.base import fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._fit import labels_and_losses
from archcalc.lint.training import concrete

SPARSE = frozenset({"sparse_categorical_crossentropy"})
DENSE = frozenset({"categorical_crossentropy", "categorical_focal_crossentropy"})


class LabelEncodingVsLoss(LintRule):
    __doc__ = __doc__
    code = "AC108"
    name = "loss.label-encoding"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        seen: set[tuple] = set()
        for item in labels_and_losses(ctx):
            y, units = item.y, item.units
            if not concrete(units) or units < 2:  # type: ignore[operator]
                continue
            last = y.shape[-1]
            onehot = y.onehot or (len(y.shape) >= 2 and concrete(last) and last == units)
            ids = not y.onehot and (len(y.shape) == 1 or (concrete(last) and last == 1))
            key = (item.compile_loc, item.fit.loc)
            if key in seen:
                continue
            where = f"line {item.fit.loc.line}" if item.fit.loc else f"{item.fit.call}()"
            related = ((item.fit.loc, f"the labels `{y.what}` are given to {item.fit.call}() here"),) if item.fit.loc else ()
            directory = y.source.startswith("flow_from")
            if item.loss_name in SPARSE and onehot:
                seen.add(key)
                yield Report(
                    f"{item.written} expects integer class ids, but the labels `{y.what}` given to {item.fit.call}() "
                    f"({where}) are one-hot {fmt_shape(y.shape)}",
                    item.compile_loc, item.output,
                    "use loss='categorical_crossentropy' with one-hot labels, or "
                    + (f"class_mode='sparse' in {y.source}()" if directory
                       else "give the integer labels (drop to_categorical)"), related)
            elif item.loss_name in DENSE and ids:
                seen.add(key)
                yield Report(
                    f"{item.written} expects one-hot labels of {units} columns, but the labels "
                    f"`{y.what}` given to {item.fit.call}() ({where}) are class ids {fmt_shape(y.shape)}",
                    item.compile_loc, item.output,
                    "use loss='sparse_categorical_crossentropy' with integer labels, or "
                    + (f"class_mode='categorical' in {y.source}() (one-hot labels)" if directory
                       else "one-hot encode them with keras.utils.to_categorical(y)"), related)
