"""``weights=`` arrays that do not fit the layer.

A layer given its starting values, ``Embedding(vocab_size, 100, weights=[embedding_matrix])``
(pretrained GloVe or word2vec vectors), checks each array against the weight it creates,
in order. Keras refuses the model when a shape differs ("Layer embedding weight shape
(5000, 100) is not compatible with provided weight shape (5001, 100)"). The usual cause is
an embedding matrix built with one row per word *plus one* for the padding index
(``len(word_index) + 1``) while the layer is given ``len(word_index)``, or vectors of
another size than ``output_dim``.

Fix: build the layer from the matrix, ``Embedding(matrix.shape[0], matrix.shape[1],
weights=[matrix])``, or build the matrix with the layer's sizes.

Failing::

    import numpy as np
    from keras.models import Sequential
    from keras.layers import Embedding, GlobalAveragePooling1D, Dense

    vocab_size = 5000
    matrix = np.zeros((vocab_size + 1, 100))
    model = Sequential([
        Embedding(vocab_size, 100, weights=[matrix], input_length=50),
        GlobalAveragePooling1D(),
        Dense(1, activation='sigmoid'),
    ])

Passing::

    import numpy as np
    from keras.models import Sequential
    from keras.layers import Embedding, GlobalAveragePooling1D, Dense

    vocab_size = 5000
    matrix = np.zeros((vocab_size + 1, 100))
    model = Sequential([
        Embedding(vocab_size + 1, 100, weights=[matrix], input_length=50),
        GlobalAveragePooling1D(),
        Dense(1, activation='sigmoid'),
    ])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archcalc.layers.base import fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.training import concrete


def _shape(a: Any) -> tuple | None:
    """The shape of an array the reader followed (None when it is not known)."""
    shape = getattr(a, "shape", None)
    if isinstance(shape, tuple) and shape and all(concrete(d) for d in shape):
        return shape
    return None


class WeightsDoNotFit(LintRule):
    __doc__ = __doc__
    code = "AC211"
    name = "shape.weights-do-not-fit"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            layer = node.layer
            given = layer.given.get("weights") if layer is not None else None
            if layer is None or not isinstance(given, (list, tuple)) or not given:
                continue
            created = ctx.row(node.name).weights
            for i, (arr, w) in enumerate(zip(given, created)):
                got = _shape(arr)
                want = tuple(w.shape)
                if got is None or not all(concrete(d) for d in want) or got == want:
                    continue
                what = getattr(arr, "what", "") or f"weights[{i}]"
                hint = (f"{node.type}({got[0]}, {got[1]}, weights=[{what}]) builds the layer from the matrix"
                        if layer.is_embedding and len(got) == 2
                        else f"give arrays of the shapes the layer creates: "
                             f"{', '.join(fmt_shape(tuple(x.shape)) for x in created)}")
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' creates its {w.name} weight with shape {fmt_shape(want)}, "
                    f"but weights= gives `{what}` of shape {fmt_shape(got)}: Keras refuses to build the model",
                    hint)
                break
