"""A merge of branches with different receptive-field alignment.

Add and Concatenate combine tensors position by position. When the branches' grids
differ (different effective stride, or centres shifted by asymmetric 'same' padding or
a 'valid' convolution), output position (i, j) combines features centred on different
input pixels. Shapes match, so Keras builds the model, but the features are misaligned
by the amount shown. A common case: in a strided block, a 3x3 stride-2 'same' convolution
on an even size is shifted by one input pixel against its 1x1 stride-2 shortcut.

Branches that went through an upsampling layer are not checked: nearest-neighbour
upsampling has no single centre per position, and U-Net style skips are meant.

Fix: crop or pad one branch (``Cropping2D``/``ZeroPadding2D``) so the centres coincide,
use odd input sizes with stride 2, or give both branches the same padding and strides.

Failing::

    input: [16, 16, 8]
    layers:
      - a: Conv2D(8, 3, strides=2, padding='same')(input)
      - b: Conv2D(8, 1, strides=2)(input)
      - Add()([a, b])

Passing::

    input: [16, 16, 8]
    layers:
      - a: Conv2D(8, 3, padding='same')(input)
      - b: Conv2D(8, 1)(input)
      - Add()([a, b])
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


def _fmt(x: object) -> str:
    try:
        return f"{float(x):g}"  # type: ignore[arg-type]
    except TypeError:  # a symbolic centre (input: [H, W, 3]): its expression as the notes write it
        from archcalc.render.common import fmt_count

        return fmt_count(x)


class MisalignedMerge(LintRule):
    __doc__ = __doc__
    code = "AC205"
    name = "shape.misaligned-merge"
    severity = Severity.WARNING

    def check(self, ctx: LintContext) -> Iterator[Report]:
        upsampled = self._upsampled(ctx)
        for node in ctx.layer_nodes:
            if node.layer is None or node.layer.family != "merging" or len(node.inputs) < 2:
                continue
            row = ctx.row(node.name)
            if row.rf is None or row.rf.aligned:
                continue
            srcs = [ctx.row(s) for s in node.inputs]
            if any(s.rf is None or not s.rf.aligned for s in srcs):
                continue  # already reported where the misalignment started
            if any(s in upsampled for s in node.inputs):
                continue
            parts = []
            for s in srcs:
                src_rf = s.rf
                assert src_rf is not None  # sources without a field were skipped above
                centres = ", ".join(_fmt(a.start) for a in src_rf.axes)
                jumps = ", ".join(_fmt(a.jump) for a in src_rf.axes)
                parts.append(f"'{s.name}' first centre ({centres}) step ({jumps})")
            yield self.at(
                node,
                f"{node.type} '{node.name}' merges branches on different grids: "
                + "; ".join(parts) + " (in input pixels)",
                "crop or pad one branch so the centres coincide, or use the same padding and "
                "strides in both branches (odd sizes with stride 2)",
            )

    @staticmethod
    def _upsampled(ctx: LintContext) -> set[str]:
        """Nodes with an upsampling layer among their ancestors."""
        out: set[str] = set()
        for row in ctx.analysis.rows:
            node = row.node
            if (node.layer is not None and node.layer.upsamples) or any(s in out for s in node.inputs):
                out.add(node.name)
        return out
