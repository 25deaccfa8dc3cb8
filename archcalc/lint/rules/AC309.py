"""A constant kernel initializer in a hidden layer.

``kernel_initializer='zeros'`` (or ``'ones'``, ``Constant(c)``) starts every unit of the
layer with the same weights. All units then compute the same value and receive the same
gradient, so they stay identical: the layer trains like one unit (with zeros and ReLU,
nothing trains at all). Random initialisation breaks this symmetry.

Fix: remove the argument (Keras's default is ``glorot_uniform``), or use ``'he_normal'``
before ReLU. Zeros are fine for biases.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu', kernel_initializer='zeros')
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu', kernel_initializer='he_normal')
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.compile_spec import split_spec
from archcalc.lint.context import WEIGHTED_FAMILIES, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.names import to_snake_case

CONSTANT = frozenset({"zeros", "zero", "ones", "one", "constant"})
KEYS = ("kernel_initializer", "depthwise_initializer", "pointwise_initializer")


def initializer_name(value: object) -> str | None:
    name, _ = split_spec(value)
    return to_snake_case(name) if name else None


class ConstantKernelInit(LintRule):
    __doc__ = __doc__
    code = "AC309"
    name = "init.constant-kernel"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        outputs = set(ctx.graph.outputs)
        for node in ctx.layer_nodes:
            layer = node.layer
            if layer is None or layer.family not in WEIGHTED_FAMILIES:
                continue
            for key in KEYS:
                init = initializer_name(layer.cfg.get(key))
                if init not in CONSTANT:
                    continue
                if ctx.reaches_output_elementwise(node.name) or node.name in outputs:
                    continue  # an output layer: its inputs differ, so its units do too
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' starts every unit with the same weights "
                    f"({key}='{init}'): the units stay identical while training",
                    "remove the initializer (glorot_uniform is the default) or use 'he_normal'")
                break
