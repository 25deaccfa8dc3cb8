"""Convolution filter counts that shrink with depth.

A CNN encoder trades resolution for features: each pooling halves the map, and the next
convolutions usually double their filters (32, 64, 128). Filter counts that shrink toward
the classifier (128, 64, 32) give the deepest layers, which see the largest patterns, the
fewest features. (Decoders, with upsampling, shrink on purpose and are not checked, nor
are 1x1 bottleneck convolutions.)

Fix: grow the filters with depth (for example double them after each pooling).

Failing::

    input: [32, 32, 3]
    layers:
      - Conv2D(128, 3, activation='relu')
      - MaxPooling2D(2)
      - Conv2D(32, 3, activation='relu')
      - Flatten()
      - Dense(10, activation='softmax')

Passing::

    input: [32, 32, 3]
    layers:
      - Conv2D(32, 3, activation='relu')
      - MaxPooling2D(2)
      - Conv2D(128, 3, activation='relu')
      - Flatten()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.training import concrete

FACTOR = 2


class FiltersShrink(LintRule):
    __doc__ = __doc__
    code = "AC314"
    name = "design.filters-shrink"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Report]:
        if not ctx.is_chain:
            return
        nodes = ctx.layer_nodes
        if any(n.layer is not None and n.layer.upsamples for n in nodes):
            return
        prev = None
        for node in nodes:
            layer = node.layer
            if layer is None or layer.reshapes or layer.family in ("core", "recurrent"):
                break
            if layer.family != "conv" or ctx.reaches_output_elementwise(node.name):
                continue
            kernel = layer.cfg.get("kernel_size")
            filters = layer.cfg.get("filters")
            if not concrete(filters) or (isinstance(kernel, tuple) and all(k == 1 for k in kernel)):
                continue
            if prev is not None and prev[1] >= FACTOR * filters:
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' has {filters} filters, fewer than the {prev[1]} of "
                    f"'{prev[0]}' before it: the deeper layer sees larger patterns with fewer features",
                    "grow the filters with depth (e.g. 32, 64, 128)")
                return
            prev = (node.name, filters)
