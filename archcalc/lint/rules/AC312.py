"""A deep convolutional stack with no downsampling.

Several convolutions over an image with no pooling and no stride keep the full resolution
to the end: every layer costs as much as the first, the receptive field grows by only a
few pixels per layer, and the Flatten that follows hands the Dense layer hundreds of
thousands of inputs (most of the model's weights). Published CNN checkers expect a
pooling (or a strided convolution) every one to three convolutions. (Too much pooling is
AC203.)

Fix: add ``MaxPooling2D(2)`` after every block of one to three convolutions, or use
``strides=2``; end with ``GlobalAveragePooling2D()`` instead of ``Flatten()``.

Failing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, padding='same', activation='relu')
      - Conv2D(32, 3, padding='same', activation='relu')
      - Conv2D(64, 3, padding='same', activation='relu')
      - Conv2D(64, 3, padding='same', activation='relu')
      - Flatten()
      - Dense(10, activation='softmax')

Passing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, padding='same', activation='relu')
      - Conv2D(32, 3, padding='same', activation='relu')
      - MaxPooling2D(2)
      - Conv2D(64, 3, padding='same', activation='relu')
      - Conv2D(64, 3, padding='same', activation='relu')
      - MaxPooling2D(2)
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

MIN_CONVS = 4
MIN_SIZE = 32


class NoDownsampling(LintRule):
    __doc__ = __doc__
    code = "AC312"
    name = "design.no-downsampling"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        if not ctx.is_chain:
            return  # branches (U-Nets, ResNets) downsample and upsample on purpose
        convs = 0
        first_dims = None
        for node in ctx.layer_nodes:
            layer = node.layer
            if layer is None:
                continue
            if layer.reshapes or layer.family in ("core", "recurrent"):
                if convs >= MIN_CONVS and layer.flattens and first_dims is not None:
                    yield self.at(
                        node,
                        f"{convs} convolutions over a {'x'.join(str(d) for d in first_dims)} input with "
                        f"no pooling or stride before '{node.name}': the full-resolution map is flattened",
                        "add MaxPooling2D(2) after every one to three convolutions, or use strides=2")
                return
            if layer.family == "pooling" or layer.upsamples:
                return
            if windowed(layer) and layer.family == "conv":
                _, strides, _, _ = layer.window()
                if any(s != 1 for s in strides):
                    return
                ins = ctx.row(node.name).input_shapes
                dims = spatial_dims(layer, ins[0]) if ins else []
                if first_dims is None:
                    if len(dims) != 2 or not all(concrete(d) and d >= MIN_SIZE for d in dims):
                        return
                    first_dims = dims
                convs += 1
