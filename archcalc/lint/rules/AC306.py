"""Softmax or sigmoid in a hidden layer.

Softmax and sigmoid squash their inputs into (0, 1); their gradient is at most 0.25
(sigmoid) and vanishes when a unit saturates. In a hidden layer this slows or stops
learning in the layers before it, and a hidden softmax forces the features to compete
as if they were class probabilities. Modern networks use relu-like activations inside
and keep softmax/sigmoid for the output. Gates are fine: a sigmoid whose output
multiplies another tensor (squeeze-and-excitation, attention) is not reported.

Fix: use ``activation='relu'`` (or gelu, elu, tanh for recurrent-style models) in hidden
layers.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='sigmoid')
      - Dense(3, activation='softmax')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
      - Dense(3, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

SQUASHING = frozenset({"softmax", "sigmoid", "hard_sigmoid"})


class HiddenSquashing(LintRule):
    __doc__ = __doc__
    code = "AC306"
    name = "activation.hidden-softmax-sigmoid"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            act = ctx.activation_of(node)
            if act not in SQUASHING or ctx.reaches_output_elementwise(node.name):
                continue
            if self._is_gate(ctx, node.name):
                continue
            yield self.at(
                node,
                f"hidden layer '{node.name}' uses {act}: it saturates and slows learning in the "
                "layers before it",
                "use activation='relu' in hidden layers; keep softmax/sigmoid for the output",
            )

    @staticmethod
    def _is_gate(ctx: LintContext, name: str) -> bool:
        stack, seen = [name], set()
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            for user in ctx.consumers.get(cur, []):
                node = ctx.node(user)
                if node.layer is not None and node.layer.is_gate:
                    return True
                if ctx.is_transparent(node):
                    stack.append(user)
        return False
