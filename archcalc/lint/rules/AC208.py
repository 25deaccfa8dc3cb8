"""Data given to ``fit()`` whose sample shape differs from the model's input.

Keras checks the data against the input at the first batch and stops with a shape error:
(N, 28, 28) into a model built for (None, 784), or channels-first images (N, 3, 32, 32)
into a channels-last model built for (None, 32, 32, 3). Checked when the code shows both
shapes as numbers (the dataset loaders, reshape calls), and not in channels-first models
(Keras 1 and 2 dataset loaders follow the backend's image format there).

Fix: reshape the data to the input (``x.reshape(-1, 784)``, ``np.moveaxis(x, 1, -1)`` for
channels-first images), or build the model for the data's shape (``x.shape[1:]``).

Failing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(784,)),
                              keras.layers.Dense(10, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.fit(x_train, y_train, epochs=2)

Passing::

    from tensorflow import keras
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(60000, 784)
    model = keras.Sequential([keras.layers.Dense(64, activation='relu', input_shape=(784,)),
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
from archcalc.lint.rules._fit import concrete_dims, input_written_at

CHANNELS = (1, 3, 4)


def _squeeze_equal(a: tuple, b: tuple) -> bool:
    """Equal up to a trailing axis of size 1 (Keras adapts (N,) to (None, 1))."""
    return a == b or a + (1,) == b or b + (1,) == a


class FitDataShape(LintRule):
    __doc__ = __doc__
    code = "AC208"
    name = "shape.fit-data-mismatch"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        shape = ctx.input_shape()
        node = input_written_at(ctx)
        if shape is None or node is None or not concrete_dims(tuple(shape[1:])):
            return
        dims = tuple(shape[1:])
        if any(n.layer is not None and n.layer.cfg.get("data_format") == "channels_first" for n in ctx.layer_nodes):
            return  # the dataset loaders follow the backend's image format: their shape is not known
        for fit in ctx.fits:
            x = fit.x
            # the sample shape decides; the count may be unknown (reshape(-1, 28, 28) of a CSV)
            if x is None or len(x.shape) < 2 or not concrete_dims(tuple(x.shape[1:])):
                continue
            sample = tuple(x.shape[1:])
            if _squeeze_equal(sample, dims) or (dims and dims[0] == x.samples):  # AC207's case
                continue
            where = f"line {fit.loc.line}" if fit.loc else f"{fit.call}()"
            related = ((fit.loc, f"`{x.what}` is given to {fit.call}() here"),)
            if len(sample) in (3, 4) and sample[0] in CHANNELS and sample[1:] + sample[:1] == dims:
                yield self.at(
                    node,
                    f"the data `{x.what}` given to {fit.call}() ({where}) is channels-first {fmt_shape(x.shape)} "
                    f"but the model reads channels-last {fmt_shape(shape)}",
                    f"move the channels last: {x.what} = np.moveaxis({x.what}, 1, -1), or pass "
                    "data_format='channels_first' to the spatial layers", related)
            elif x.source:
                made = ("target_size= and color_mode= of flow_from_directory" if x.source.startswith("flow_from")
                        else "the arrays it yields" if x.source == "generator" else f"the arrays given to {x.source}()")
                yield self.at(
                    node,
                    f"the batches `{x.what}` gives {fit.call}() ({where}) hold samples of shape {fmt_shape(sample)} "
                    f"but the model's input is {fmt_shape(shape)}: Keras stops at the first batch",
                    f"build the model with input_shape={fmt_shape(sample)}, or make the batches match "
                    f"the model ({made})", related)
            else:
                yield self.at(
                    node,
                    f"the data `{x.what}` given to {fit.call}() ({where}) has samples of shape {fmt_shape(sample)} "
                    f"but the model's input is {fmt_shape(shape)}: Keras stops at the first batch",
                    f"reshape the data ({x.what}.reshape(-1, {', '.join(str(d) for d in dims)})) or build the "
                    f"model with input_shape={x.what}.shape[1:]", related)
            return
