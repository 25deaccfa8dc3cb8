"""One layer holds most of the parameters.

When one Dense layer holds more than half of a model's parameters, it is usually the one
after a Flatten of a large feature map: (H x W x C + 1) x units weights. It
dominates memory and overfits easily, while the convolutions that do the work are
small. (Shown as info: sometimes intended, always worth knowing.)

Fix: pool further before Flatten, or replace Flatten with GlobalAveragePooling2D, which
cuts that layer's inputs from H x W x C to C.

Failing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, activation='relu')
      - MaxPooling2D(2)
      - Flatten()
      - Dense(128, activation='relu')
      - Dense(10, activation='softmax')

Passing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, activation='relu')
      - MaxPooling2D(2)
      - GlobalAveragePooling2D()
      - Dense(128, activation='relu')
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report

SHARE = 0.5
#: below this many parameters the share does not matter
MIN_TOTAL = 10_000
#: a model with fewer weighted layers has no "one of many"
MIN_LAYERS = 3


class DominantLayer(LintRule):
    __doc__ = __doc__
    code = "AC308"
    name = "params.dominant-layer"
    severity = Severity.INFO

    def check(self, ctx: LintContext) -> Iterator[Report]:
        total = ctx.analysis.total_params
        if not isinstance(total, int) or total < MIN_TOTAL:
            return
        rows = [r for r in ctx.analysis.rows if isinstance(r.params, int) and r.params > 0]
        if len(rows) < MIN_LAYERS:
            return
        top = max(rows, key=lambda r: r.params)
        if top.node.layer is None or not top.node.layer.is_dense:  # an Embedding table is meant to be large
            return
        if top.params <= SHARE * total:
            return
        src = ctx.node(top.node.inputs[0]) if top.node.inputs else None
        after = f" (after {src.type} '{src.name}')" if src is not None and src.layer is not None and src.layer.flattens else ""
        yield self.at(
            top.node,
            f"{top.type} '{top.name}'{after} holds {top.params:,} of the model's {total:,} "
            f"parameters ({top.params / total:.0%})",
            "pool further before Flatten, or use GlobalAveragePooling2D instead of Flatten"
            if after else "check whether this layer needs to be this large",
        )
