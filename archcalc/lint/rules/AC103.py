"""Softmax over a single unit.

Softmax normalises over the last axis. Over one unit the result is exactly 1.0 whatever
the input, so the layer outputs a constant and no gradient flows through it. This is the
classic binary classifier written as ``Dense(1, activation='softmax')``.

Fix: for a binary output use ``Dense(1, activation='sigmoid')`` (with
``binary_crossentropy``), or ``Dense(2, activation='softmax')``.

Failing::

    input: [16]
    layers:
      - Dense(8, activation='relu')
      - Dense(1, activation='softmax')
    compile: {optimizer: adam, loss: binary_crossentropy}

Passing::

    input: [16]
    layers:
      - Dense(8, activation='relu')
      - Dense(1, activation='sigmoid')
    compile: {optimizer: adam, loss: binary_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class SoftmaxOverOneUnit(LintRule):
    __doc__ = __doc__
    code = "AC103"
    name = "activation.softmax-one-unit"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        seen: set[int] = set()
        # the layers of a model called as a layer (top_model(base.output)) are checked too
        for c, node in ((sub, n) for sub in ctx.nested_contexts() for n in sub.layer_nodes):
            assert node.layer is not None  # layer_nodes leaves out the inputs
            if c.activation_of(node) != "softmax" or id(node) in seen:
                continue
            seen.add(id(node))
            shape = c.shape(node.name)
            if not shape or len(shape) < 2:
                continue
            axis = node.layer.cfg.get("axis", -1) if node.layer.family == "activation" else -1
            if not isinstance(axis, int) or not -len(shape) <= axis < len(shape):
                continue
            if shape[axis] == 1:
                yield self.at(
                    node,
                    f"softmax over a single unit in '{node.name}' always outputs 1.0: "
                    "the output is constant and nothing is learned",
                    "for a binary output use Dense(1, activation='sigmoid') with "
                    "binary_crossentropy, or Dense(2, activation='softmax')",
                )
