"""``batch_size`` or ``epochs`` larger than the dataset.

A batch larger than the training set is silently cut to the whole set: one update per
epoch, the opposite of what a batch size asks for. ``epochs`` given by position and
larger than the number of samples (or above 10,000) usually means the two were swapped (``fit(x, y, 1000, 32)`` is
``batch_size=1000, epochs=32``; ``fit(x, y, 32, 60000)`` trains 60,000 epochs). Checked
when the code shows how many samples the data has.

Fix: pass both by name, ``fit(x, y, batch_size=32, epochs=10)``, with a batch smaller than
the dataset.

Failing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.boston_housing.load_data()
    model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(13,)),
                              keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(x_train, y_train, batch_size=1000, epochs=50)

Passing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.boston_housing.load_data()
    model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(13,)),
                              keras.layers.Dense(1)])
    model.compile(optimizer='adam', loss='mse')
    model.fit(x_train, y_train, batch_size=32, epochs=50)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.training import concrete

#: an epoch count this large is a swapped batch size even when written by name
SWAPPED = 10_000


class BatchOrEpochsVsDataset(LintRule):
    __doc__ = __doc__
    code = "AC402"
    name = "compile.batch-size-vs-dataset"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for fit in ctx.fits:
            data = fit.x if fit.x is not None else fit.y
            n = data.samples if data is not None else None
            if not concrete(n) or n < 1:
                continue  # unknown, or an empty set: no program trains on one (a misread size)
            what = data.what if data is not None else "the data"
            if fit.batch_size is not None and fit.batch_size > n:
                yield Report(
                    f"batch_size={fit.batch_size} is larger than the {n} samples of `{what}`: every "
                    "epoch is one update on the whole set",
                    fit.loc, None, "pass batch_size=32 (or another size below the dataset's) by name")
            elif fit.epochs is not None and fit.epochs > n and (fit.positional >= 4 or fit.epochs >= SWAPPED):
                yield Report(
                    f"epochs={fit.epochs} is larger than the {n} samples of `{what}`: were batch_size "
                    "and epochs swapped?",
                    fit.loc, None, "pass both by name: fit(x, y, batch_size=32, epochs=10)")
