"""Strides that drop input rows or columns.

With ``padding='valid'`` a window of size K moving by S over I positions fits
(I - K)/S + 1 times; when the notes' formula O = (I - K + 2P)/S + 1 is not an integer,
Keras rounds down and the last (I - K) mod S rows or columns are never seen. The border
information is lost silently, and a later upsampling path no longer meets its skip
connection's size.

Fix: choose sizes that divide (e.g. a 2x2 pooling on an even size), use
``padding='same'``, or crop/pad explicitly so the loss is intended.

Failing::

    input: [31, 31, 3]
    layers:
      - Conv2D(8, 3, activation='relu', padding='same')
      - MaxPooling2D(2)

Passing::

    input: [32, 32, 3]
    layers:
      - Conv2D(8, 3, activation='relu', padding='same')
      - MaxPooling2D(2)
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.layers.formulas import (
    NOTES_OUTPUT_SIZE,
    dropped_inputs,
    effective_kernel,
    is_int,
    notes_output_text,
)
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report, plural
from archcalc.lint.rules._spatial import AXIS_NAMES, node_label, spatial_dims, windowed


class StridesDropPixels(LintRule):
    __doc__ = __doc__
    code = "AC202"
    name = "shape.strides-drop-pixels"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for node in ctx.layer_nodes:
            layer = node.layer
            if not windowed(layer):
                continue
            kernel, strides, dilation, padding = layer.window()
            if padding != "valid":
                continue
            ins = ctx.row(node.name).input_shapes
            if not ins:
                continue
            dims = spatial_dims(layer, ins[0])
            names = AXIS_NAMES.get(len(dims), tuple(f"axis-{i + 1} position" for i in range(len(dims))))
            lost = []
            working = []
            for i, k, s, d, axis in zip(dims, kernel, strides, dilation, names, strict=False):
                if not (is_int(i) and is_int(k) and is_int(s) and is_int(d)):
                    continue
                ke = effective_kernel(k, d)
                # a window narrower than its stride skips positions by design (1x1, stride 2)
                if i < ke or ke < s or dropped_inputs(i, k, s, d) == 0:
                    continue
                lost.append(plural(dropped_inputs(i, k, s, d), axis))
                step = f"{notes_output_text({'I': i, 'K': ke, 'P': 0, 'S': s})} = {(i - ke) / s + 1:g}"
                if step not in working:
                    working.append(step)
            if lost:
                yield self.at(
                    node,
                    f"{node_label(node)} drops the last {' and '.join(lost)} of its input: "
                    f"O = {NOTES_OUTPUT_SIZE} = {'; '.join(working)} is not an integer",
                    "use padding='same', or input sizes that the window and stride divide evenly",
                )
