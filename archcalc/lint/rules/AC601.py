"""A Keras 1 or Keras 2 spelling that Keras 3 writes differently.

Old Keras code (``Convolution2D(32, 3, 3, border_mode='same')``, ``Dense(output_dim=10)``,
``LeakyReLU(alpha=0.1)``, ``merge([a, b], mode='concat')``) is read with its own era's
meaning (the era is detected from the API the file uses; ``--era`` forces it). Keras 3
refuses most of these spellings, and some it accepts with another meaning: standalone
Keras 2 read ``Conv2D(32, 3, 3)`` as a 3x3 kernel, Keras 3 reads the last 3 as the stride.
Where the era's default gives a different number than Keras 3's (GRU's ``reset_after``,
Theano's channels-first ordering), the finding says so.

Fix: write the Keras 3 spelling shown in the finding; ``archcalc convert FILE --to yaml``
and ``archcalc emit FILE`` write the whole model in Keras 3.

Failing::

    from keras.models import Sequential
    from keras.layers import Dense
    model = Sequential()
    model.add(Dense(output_dim=10, input_dim=20))

Passing::

    import keras
    from keras import layers
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10)])
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class LegacySpelling(LintRule):
    __doc__ = __doc__
    code = "AC601"
    name = "legacy.keras-spelling"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Report]:
        era = str((ctx.graph.extras.get("era") or {}).get("era", "keras3"))
        label = {"keras1": "Keras 1", "keras2": "Keras 2"}.get(era, "legacy Keras")
        for node in ctx.layer_nodes:
            for ch in node.meta.get("legacy", ()) if node.meta else ():
                what = f"{label} spelling `{ch.old}`: Keras 3 writes `{ch.new}`"
                if ch.changes_number:
                    what += " (the era's default changes a number here)"
                yield self.at(node, what + (f"; {ch.note}" if ch.note else ""), f"write {ch.new}")
