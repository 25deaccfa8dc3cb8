"""Dropout rate outside [0, 1).

The rate is the fraction of units dropped. Keras refuses a rate below 0 or above 1, and
a rate of 1 drops every unit, so the layer outputs zeros and nothing trains (archcalc
refuses it too). It is often a keep-probability copied from TensorFlow 1 code, where
``dropout(x, keep_prob=0.8)`` meant ``Dropout(0.2)``, or a percentage (``Dropout(20)``).

Fix: give the fraction to drop, between 0 and 1 (exclusive): ``Dropout(0.2)``.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dropout(1.5)
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dropout(0.5)
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archcalc.errors import ArchcalcError
from archcalc.graph import Graph
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

# the layer's argument check refuses a bad rate while the spec is read; this is its message
_REFUSAL = re.compile(r"^(\w*Dropout\w*) argument 'rate': (.*)$")
HINT = "give the fraction of units to drop, between 0 and 1 (exclusive), e.g. Dropout(0.2)"


def _bad(rate: object) -> bool:
    return isinstance(rate, (int, float)) and not isinstance(rate, bool) and not 0 <= rate < 1


class DropoutRateOutOfRange(LintRule):
    __doc__ = __doc__
    code = "AC301"
    name = "layer.dropout-rate-invalid"
    severity = Severity.ERROR

    def claim(self, error: ArchcalcError, graph: Graph | None) -> Report | None:
        m = _REFUSAL.match(error.message)
        if not m:
            return None
        return Report(f"{m.group(1)} rate outside [0, 1): {m.group(2)}", error.loc, error.layer, HINT)

    def check(self, ctx: LintContext) -> Iterator[Report]:
        # front-ends that bind arguments without the range check still get caught here
        for node in ctx.layer_nodes:
            assert node.layer is not None  # layer_nodes leaves out the inputs
            rate = node.layer.cfg.get("rate") if node.layer.is_dropout else None
            if _bad(rate):
                yield self.at(node, f"{node.type} rate {rate} is outside [0, 1)", HINT)
