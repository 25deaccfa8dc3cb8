"""A pooling window larger than its input.

With ``padding='same'`` Keras accepts a pooling window larger than the feature map and
returns a 1x1 (or 1-step) map: the pooling is a global pooling written by accident, and
every position's detail is gone. (With ``padding='valid'`` Keras refuses to build it.)

Fix: use a window no larger than the input (``MaxPooling2D(2)``), fewer earlier poolings,
or say what is meant with ``GlobalMaxPooling2D()``.

Failing::

    input: [6, 6, 8]
    layers:
      - MaxPooling2D(8, padding='same')
      - Flatten()
      - Dense(10, activation='softmax')

Passing::

    input: [6, 6, 8]
    layers:
      - MaxPooling2D(2, padding='same')
      - Flatten()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._spatial import spatial_dims, windowed
from archcalc.lint.training import concrete


class PoolLargerThanInput(LintRule):
    __doc__ = __doc__
    code = "AC209"
    name = "shape.pool-larger-than-input"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            layer = node.layer
            if layer is None or layer.family != "pooling" or not windowed(layer):
                continue
            ins = ctx.row(node.name).input_shapes
            if not ins:
                continue
            kernel, _, _, _ = layer.window()
            dims = spatial_dims(layer, ins[0])
            big = [(k, d) for k, d in zip(kernel, dims, strict=False) if concrete(k) and concrete(d) and k > d]
            if big:
                k, d = big[0]
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' has a window of {k} over an input of {d}: it pools "
                    "the whole map into one position",
                    "use a smaller window, or GlobalMaxPooling/GlobalAveragePooling if that is meant")
