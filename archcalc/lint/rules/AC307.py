"""A bias right before BatchNormalization.

BatchNormalization subtracts the batch mean and adds its own learned offset (beta), so
the bias of the layer before it is cancelled exactly: those weights never change the
output, they only cost parameters and memory. (Shown as info: harmless, but the
ResNet-style fix is free.)

Fix: pass ``use_bias=False`` to the Dense or convolution before BatchNormalization.

Failing::

    input: [32, 32, 3]
    layers:
      - Conv2D(16, 3, padding='same')
      - BatchNormalization()
      - ReLU()
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')

Passing::

    input: [32, 32, 3]
    layers:
      - Conv2D(16, 3, padding='same', use_bias=False)
      - BatchNormalization()
      - ReLU()
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class BiasBeforeBatchNorm(LintRule):
    __doc__ = __doc__
    code = "AC307"
    name = "layer.bias-before-batchnorm"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            assert node.layer is not None  # layer_nodes leaves out the inputs
            cfg = node.layer.cfg
            if not cfg.get("use_bias") or cfg.get("activation") not in (None, "linear"):
                continue
            nxt = ctx.only_consumer(node.name)
            if nxt is None or nxt.layer is None or not nxt.layer.is_batch_normalization:
                continue
            assert nxt.layer is not None  # a BatchNormalization node, not an input
            if not nxt.layer.cfg.get("center", True):
                continue
            biases = [w for w in ctx.row(node.name).weights if w.name == "bias"]
            size = biases[0].size if biases else "its"
            yield self.at(
                node,
                f"the bias of {node.type} '{node.name}' ({size} parameters) is cancelled by "
                f"BatchNormalization '{nxt.name}'",
                f"pass use_bias=False to '{node.name}'",
            )
