"""Stacked Dense or convolution layers without a non-linearity between them.

Two linear maps in a row are one linear map: ``Dense(64)`` then ``Dense(10)`` (no
activation on the first) can represent no more than a single ``Dense(10)``, with extra
parameters and a harder optimisation. The first layer almost always lacks its
``activation='relu'``. (A linear bottleneck followed by BatchNormalization, as in
MobileNetV2, is not reported.)

Fix: give the first layer an activation, or merge the two layers into one.

Failing::

    input: [20]
    layers:
      - Dense(64)
      - Dense(10, activation='softmax')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

LINEAR_TYPES_FAMILIES = ("core", "conv")


def _linear_weighted(node: object) -> bool:
    layer = getattr(node, "layer", None)
    return (
        layer is not None
        and layer.family in LINEAR_TYPES_FAMILIES
        and "activation" in layer.cfg
        and layer.cfg.get("activation") in (None, "linear")
    )


class LinearStack(LintRule):
    __doc__ = __doc__
    code = "AC305"
    name = "activation.linear-stack"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            if not _linear_weighted(node):
                continue
            nxt = ctx.only_consumer(node.name)
            while nxt is not None and ctx.is_transparent(nxt):  # a linear map stays linear through them
                nxt = ctx.only_consumer(nxt.name)
            if nxt is None or nxt.layer is None or nxt.layer.family not in LINEAR_TYPES_FAMILIES \
                    or "activation" not in nxt.layer.cfg:
                continue
            yield self.at(
                node,
                f"{node.type} '{node.name}' has no activation and feeds {nxt.type} '{nxt.name}': "
                "two linear layers in a row act as one",
                f"add an activation to '{node.name}' (e.g. activation='relu'), or merge the two layers",
            )
