"""Hidden Dense layers that widen toward a classifier.

A classifier's Dense stack usually narrows toward its output (512, 128, then the classes):
each layer summarises the one before. Widths that grow (32, then 512, then 10 classes)
add parameters where they help least: the wide layer re-expands a bottleneck it cannot
recover information from, and holds most of the weights. (Decoders and autoencoders widen
on purpose; only stacks that end in a softmax or sigmoid classifier are checked.)

Fix: order the hidden widths from wide to narrow, or use one width throughout.

Failing::

    input: [100]
    layers:
      - Dense(32, activation='relu')
      - Dense(512, activation='relu')
      - Dense(10, activation='softmax')

Passing::

    input: [100]
    layers:
      - Dense(512, activation='relu')
      - Dense(32, activation='relu')
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import PROBABILITY, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.training import concrete

FACTOR = 4


class DenseWidthsGrow(LintRule):
    __doc__ = __doc__
    code = "AC313"
    name = "design.dense-widths-grow"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Report]:
        if not ctx.is_chain or len(ctx.graph.outputs) != 1:
            return
        out = ctx.graph.outputs[0]
        act, _ = ctx.final_activation(out)
        if act not in PROBABILITY:
            return
        dense = [n for n in ctx.layer_nodes if n.layer is not None and n.layer.is_dense]
        hidden = [n for n in dense if not ctx.reaches_output_elementwise(n.name) and n.name != out]
        for a, b in zip(hidden, hidden[1:], strict=False):
            ua, ub = a.layer.cfg.get("units") if a.layer else None, b.layer.cfg.get("units") if b.layer else None
            if concrete(ua) and concrete(ub) and ub >= FACTOR * ua and ua < 256:
                yield self.at(
                    b,
                    f"Dense '{b.name}' widens the classifier from {ua} to {ub} units after Dense "
                    f"'{a.name}': a wide layer after a narrow one adds weights it cannot use",
                    "order the hidden widths from wide to narrow")
                return
