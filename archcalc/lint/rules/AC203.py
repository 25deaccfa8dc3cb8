"""Spatial size reduced to 1 long before the end.

Once convolutions and poolings have shrunk a feature map to 1x1, every later window
layer sees a single position (plus zero padding): a 3x3 convolution on 1x1 is a costly
Dense layer with 8/9 of its weights multiplying zeros, and further poolings do nothing.
It usually means too many poolings, or strides, for the input size.

Fix: remove poolings or strides, use a larger input, or end the convolutional part where
the map reaches 1x1 (Flatten or global pooling, then Dense).

Failing::

    input: [16, 16, 3]
    layers:
      - Conv2D(8, 3, padding='same', activation='relu')
      - MaxPooling2D(4)
      - MaxPooling2D(4)
      - Conv2D(16, 3, padding='same', activation='relu')
      - Conv2D(16, 3, padding='same', activation='relu')
      - Flatten()
      - Dense(10, activation='softmax')

Passing::

    input: [16, 16, 3]
    layers:
      - Conv2D(8, 3, padding='same', activation='relu')
      - MaxPooling2D(2)
      - Conv2D(16, 3, padding='same', activation='relu')
      - MaxPooling2D(2)
      - Flatten()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.layers.base import fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._spatial import all_ones, kernel_extent, node_label, spatial_dims, windowed


class SpatialCollapse(LintRule):
    __doc__ = __doc__
    code = "AC203"
    name = "shape.spatial-collapse"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            layer = node.layer
            if not windowed(layer):
                continue
            row = ctx.row(node.name)
            out = ctx.shape(node.name)
            if not out or not row.input_shapes:
                continue
            if not all_ones(spatial_dims(layer, out)) or all_ones(spatial_dims(layer, row.input_shapes[0])):
                continue
            wasted = self._wasted_after(ctx, node.name)
            if wasted:
                names = ", ".join(f"'{n}'" for n in wasted[:3]) + (" ..." if len(wasted) > 3 else "")
                yield self.at(
                    node,
                    f"{node_label(node)} reduces the feature map to {fmt_shape(out)}, but later "
                    f"window layers ({names}) see only that one position",
                    "remove poolings or strides, use a larger input, or end the convolutional "
                    "part here (Flatten or global pooling)",
                )

    @staticmethod
    def _wasted_after(ctx: LintContext, name: str) -> list[str]:
        wasted: list[str] = []
        seen: set[str] = set()
        stack = list(ctx.consumers.get(name, []))
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            node = ctx.node(cur)
            layer = node.layer
            if windowed(layer):
                ins = ctx.row(cur).input_shapes
                if ins and all_ones(spatial_dims(layer, ins[0])) and any(
                        isinstance(k, int) and k > 1 for k in kernel_extent(layer)):
                    wasted.append(cur)
            stack.extend(ctx.consumers.get(cur, []))
        return sorted(wasted, key=lambda n: list(ctx.graph.nodes).index(n))
