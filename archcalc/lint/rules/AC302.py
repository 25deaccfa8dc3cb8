"""Dropout rate above 0.5.

A rate above 0.5 drops most of the units at every step. The network trains on a small
random part of itself, learns slowly and underfits; Keras scales the kept units by
1/(1 - rate) during training (x5 at 0.8), so a few large activations dominate each step.
It is often a keep-probability written as a drop rate.

Fix: use 0.1 to 0.5 (0.5 is the classic value for large Dense layers, 0.1 to 0.3 for
convolutions and recurrent layers); if you meant to keep 80 %, write ``Dropout(0.2)``.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dropout(0.8)
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dropout(0.3)
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

LIMIT = 0.5


class DropoutRateHigh(LintRule):
    __doc__ = __doc__
    code = "AC302"
    name = "layer.dropout-rate-high"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            assert node.layer is not None  # layer_nodes leaves out the inputs
            if not node.layer.is_dropout:
                continue
            rate = node.layer.cfg.get("rate")
            if isinstance(rate, (int, float)) and LIMIT < rate < 1:
                yield self.at(
                    node,
                    f"{node.type} '{node.name}' drops {rate:.0%} of its inputs at every training step",
                    f"use a rate of at most {LIMIT}; if {rate} was meant as the fraction to keep, "
                    f"write {node.type}({1 - rate:.2g})",
                )
