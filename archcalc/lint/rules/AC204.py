"""A channels-first input in a channels-last model.

Keras layers default to ``data_format='channels_last'``: an image is (height, width,
channels). An input of (3, 224, 224) is read as an image 3 pixels high and 224 wide with
224 channels; convolutions then mix the wrong axes, and the parameter count explodes
(a 3x3 convolution to 64 filters has 129,088 weights instead of 1,792).

Fix: give the input as (224, 224, 3) (transpose the data with ``np.moveaxis`` if it
comes channels-first), or pass ``data_format='channels_first'`` to every spatial layer.

Failing::

    input: [3, 64, 64]
    layers:
      - Conv2D(16, 3, activation='relu')
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')

Passing::

    input: [64, 64, 3]
    layers:
      - Conv2D(16, 3, activation='relu')
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.graph import Node
from archcalc.layers.base import channels_last, fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._spatial import windowed

CHANNEL_COUNTS = (1, 3, 4)


class ChannelsFirstInput(LintRule):
    __doc__ = __doc__
    code = "AC204"
    name = "shape.channels-first-input"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for name in ctx.graph.inputs:
            node = ctx.node(name)
            shape = node.shape or ()
            if len(shape) not in (4, 5):
                continue
            first, rest = shape[1], shape[2:]
            if first not in CHANNEL_COUNTS or not all(isinstance(d, int) and d > 8 for d in rest):
                continue
            reader = self._first_window_layer(ctx, name)
            if reader is None:
                continue
            assert reader.layer is not None  # a windowed layer, never an input
            if not channels_last(reader.layer):
                continue
            flipped = (shape[0], *shape[2:], first)
            yield self.at(
                self._where_written(ctx, name),
                f"input '{name}' has shape {fmt_shape(shape)}, which looks channels-first, but "
                f"{reader.type} '{reader.name}' reads it channels-last: {first} rows of "
                f"{shape[2]} pixels with {shape[-1]} channels",
                f"give the input as {list(flipped[1:])} (channels last), or pass "
                "data_format='channels_first' to the spatial layers",
            )

    @staticmethod
    def _where_written(ctx: LintContext, name: str) -> Node:
        """The input node, or the first layer when the shape is its ``input_shape=``."""
        for user in ctx.consumers.get(name, []):
            node = ctx.node(user)
            given = node.layer.given if node.layer is not None else {}
            if any(k in given for k in ("input_shape", "batch_input_shape", "batch_shape")):
                return node
        return ctx.node(name)

    @staticmethod
    def _first_window_layer(ctx: LintContext, name: str) -> Node | None:
        stack = list(ctx.consumers.get(name, []))
        seen: set[str] = set()
        while stack:
            cur = stack.pop(0)
            if cur in seen:
                continue
            seen.add(cur)
            node = ctx.node(cur)
            if windowed(node.layer):
                return node
            if node.layer is not None and len(ctx.row(cur).input_shapes[0]) == len(ctx.node(name).shape or ()):
                stack.extend(ctx.consumers.get(cur, []))
        return None
