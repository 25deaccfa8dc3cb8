"""A Dense classifier applied to a tensor of rank > 2.

Keras's Dense acts on the last axis only. On a feature map (batch, H, W, C) or a sequence
(batch, T, C) it builds, without complaint, one prediction per pixel or per time step:
the model outputs (batch, H, W, classes) while the labels are (batch, classes), and
``fit`` fails (or, worse, broadcasts). The usual causes are a missing ``Flatten()`` or
global pooling after the convolutions or the Embedding, and ``return_sequences=True``
left on the last recurrent layer.

Per-pixel and per-step outputs are legitimate when they are meant: a convolutional head
(``Conv2D(classes, 1)`` for segmentation) or a ``TimeDistributed(Dense(...))`` head for
sequence labelling is not reported, nor a Dense over the sequences of a recurrent layer in a
functional (branching) model, such as a seq2seq decoder. Only an output Dense with a classifier's activation
(softmax, sigmoid) or a classification loss is checked, or any output Dense when the labels
the code gives ``fit()`` have fewer axes than the output (one label per sample).

Fix: add ``Flatten()`` or ``GlobalAveragePooling2D()`` before the classifier, set
``return_sequences=False`` on the last recurrent layer, or, for a per-step output, say so
with ``TimeDistributed(Dense(...))``.

Failing::

    input: [28, 28, 1]
    layers:
      - Conv2D(16, 3, activation='relu')
      - MaxPooling2D(2)
      - Dense(10, activation='softmax')

Passing::

    input: [28, 28, 1]
    layers:
      - Conv2D(16, 3, activation='relu')
      - MaxPooling2D(2)
      - Flatten()
      - Dense(10, activation='softmax')
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.graph import Node
from archcalc.layers.base import fmt_shape
from archcalc.lint.context import PROBABILITY, LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


def _returns_sequences(node: Node) -> bool:
    layer = node.layer
    if layer is None or layer.family != "recurrent":
        return False
    return layer.returns_sequences()


class DenseOnUnflattened(LintRule):
    __doc__ = __doc__
    code = "AC201"
    name = "shape.dense-on-unflattened"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        for out in ctx.output_nodes():
            head = ctx.head(out)
            if head is None or head.layer is None or not head.layer.is_dense or head.name not in ctx.analysis.by_name:
                continue  # (a head inside a model called as a layer is that model's own business)
            ins = ctx.row(head.name).input_shapes
            if not ins or len(ins[0]) <= 2:
                continue
            act, _ = ctx.final_activation(out)
            loss = ctx.losses.get(out)
            classifier = act in PROBABILITY or (loss is not None and (loss.categorical or loss.binary))
            # labels given to fit() with fewer axes than the output: one label per sample
            out_shape = ctx.shape(out)
            per_sample = len(ctx.graph.outputs) == 1 and out_shape is not None and any(
                f.y is not None and 1 <= len(f.y.shape) < len(out_shape) for f in ctx.fits)
            if not classifier and not per_sample:
                continue
            if out_shape is not None and any(f.y is not None and len(f.y.shape) == len(out_shape)
                                             for f in ctx.fits):
                continue  # the labels have one row per position: a per-position output is meant
            origin = self._origin(ctx, head)
            if not ctx.is_chain and origin is not None and _returns_sequences(origin) and not per_sample:
                continue  # a functional sequence-to-sequence decoder (one prediction per step)
            yield self._report(ctx, head, ins[0], ctx.shape(out))

    def _report(self, ctx: LintContext, head: Node, shape: tuple, out: tuple | None) -> Report:
        origin, receiver = self._walk(ctx, head)
        what = f"the {len(shape)}-D tensor {fmt_shape(shape)}"
        if origin is not None and _returns_sequences(origin):
            hint = (f"set return_sequences=False on '{origin.name}' (the last recurrent layer), or "
                    "wrap the head in TimeDistributed(...) if one output per time step is meant")
            fix = origin  # the fix is an argument of the recurrent layer
        elif origin is not None and origin.layer is not None and origin.layer.is_embedding:
            hint = (f"add Flatten() or GlobalAveragePooling1D() after '{origin.name}', or "
                    "TimeDistributed(...) if one output per token is meant")
            fix = receiver
        else:
            hint = ("add Flatten() or a global pooling layer (GlobalAveragePooling2D()) before "
                    f"'{receiver.name}'; for per-pixel outputs use a convolutional head such as "
                    "Conv2D(classes, 1)")
            fix = receiver
        message = (f"Dense classifier '{head.name}' is applied to {what}: it makes one prediction per "
                   f"position, so the model outputs {fmt_shape(out) if out else 'a tensor'} instead of "
                   "one prediction per sample")
        if fix is not head:
            message += f" (the {len(shape)}-D tensor reaches '{receiver.name}' first)" if fix is receiver \
                else f" ('{fix.name}' returns the sequence)"
        return self.at(fix, message, hint, related=((head.loc, f"the classifier '{head.name}'"),))

    @staticmethod
    def _walk(ctx: LintContext, head: Node) -> tuple[Node | None, Node]:
        """The layer that produced the extra axes (the first one, walking back, that is not
        element-wise or a Dense: both keep the rank), and the first layer that receives its
        output on the way to the head (where a Flatten goes)."""
        node = receiver = head
        for _ in range(1000):
            if len(node.inputs) != 1:
                return None, receiver
            receiver = node
            node = ctx.node(node.inputs[0])
            if node.layer is None:
                return node, receiver
            if node.layer.is_dense or ctx.is_activation_layer(node) or ctx.is_transparent(node) \
                    or node.layer.family == "normalization":
                continue
            return node, receiver
        return None, receiver

    @classmethod
    def _origin(cls, ctx: LintContext, head: Node) -> Node | None:
        return cls._walk(ctx, head)[0]
