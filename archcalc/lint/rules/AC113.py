"""Binary cross-entropy on one-hot labels of a single-label classifier.

Labels made by ``to_categorical`` (or ``pd.get_dummies``) are one-hot: exactly one class
per sample. Scored with ``binary_crossentropy``, each of the N output units becomes its own
yes/no detector: nothing in the loss makes the outputs one choice among N (their sum is not
1, two classes can both be "yes"), and N - 1 of every N targets are "no", which a model can
answer almost everywhere at little cost. Binary accuracy, which Keras 2.2 and earlier
reported for ``metrics=['accuracy']`` under this loss (Keras 3 picks categorical accuracy
from the label shape), gives a model that answers "no" everywhere (N - 1) / N: 90 % on ten
classes. The model trains; it is trained for another task than the one the labels state.

Several labels per sample (multi-hot targets) are what binary cross-entropy is for; this
is reported only when the labels given to ``fit()`` are one-hot rows of a class id, and
not after a softmax (AC106's case).

Fix: ``activation='softmax'`` on the output and ``loss='categorical_crossentropy'`` (or
keep the integer labels and use ``sparse_categorical_crossentropy``). Reported on the
``compile()`` line, naming the output layer and the ``fit()`` call.

Failing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    y_train = keras.utils.to_categorical(y_train, 10)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(32, 32, 3)),
                              keras.layers.Dense(128, activation='relu'),
                              keras.layers.Dense(10, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=3)

Passing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    y_train = keras.utils.to_categorical(y_train, 10)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(32, 32, 3)),
                              keras.layers.Dense(128, activation='relu'),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    model.fit(x_train, y_train, epochs=3)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.compile_info import BINARY
from archcalc.lint.context import DISTRIBUTION, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._fit import labels_and_losses
from archcalc.lint.training import concrete


class BinaryLossOnOneHot(LintRule):
    __doc__ = __doc__
    code = "AC113"
    name = "loss.binary-on-one-hot"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        seen: set[tuple] = set()
        for item in labels_and_losses(ctx):
            y, units = item.y, item.units
            if item.loss_name not in BINARY or not y.onehot or not concrete(units) or units <= 2:
                continue
            if ctx.final_activation(item.output)[0] in DISTRIBUTION:
                continue  # binary cross-entropy after a softmax is AC106's finding
            key = (item.compile_loc, item.output)
            if key in seen:
                continue
            seen.add(key)
            head = ctx.head(item.output)
            where = f"line {item.fit.loc.line}" if item.fit.loc else f"{item.fit.call}()"
            related = [(item.fit.loc, f"the one-hot labels `{y.what}` are given to {item.fit.call}() here")]
            if head is not None:
                related.insert(0, (head.loc, f"the output layer '{head.name}'"))
            yield Report(
                f"{item.written} on the one-hot labels `{y.what}` ({where}) trains each of the "
                f"{units} classes as its own yes/no: nothing makes the outputs one choice among "
                f"{units}, and binary accuracy counts a model that answers no everywhere as "
                f"{units - 1}/{units} right",
                item.compile_loc, item.output,
                "use activation='softmax' on the output and loss='categorical_crossentropy' "
                "(or integer labels with 'sparse_categorical_crossentropy')",
                tuple((loc, note) for loc, note in related if loc is not None and loc.line))
