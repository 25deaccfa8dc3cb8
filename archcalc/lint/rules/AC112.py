"""A classification loss on a model with no classification head.

A classifier ends in a layer that maps the features to one score per class, usually
``Dense(classes, activation='softmax')`` (or one sigmoid unit for two classes). When the
model ends in a pooling, ``Flatten`` or reshaping layer instead, its output is features, not
class scores: a cross-entropy loss then reads the feature values as probabilities of as many
"classes" as there are features. Keras trains it without complaint as long as the labels fit
in that many columns, and the accuracy stays at chance. The usual cause is a head left out
after the convolutional base (``GlobalAveragePooling2D()`` as the last layer) or a
feature-extractor reused as a classifier.

Fix: add the classification head after the last layer: ``Dense(classes,
activation='softmax')`` (``Dense(1, activation='sigmoid')`` for binary labels).

Failing::

    input: [28, 28, 1]
    layers:
      - Conv2D(16, 3, activation='relu')
      - GlobalAveragePooling2D()
    compile: {optimizer: adam, loss: sparse_categorical_crossentropy}

Passing::

    input: [28, 28, 1]
    layers:
      - Conv2D(16, 3, activation='relu')
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')
    compile: {optimizer: adam, loss: sparse_categorical_crossentropy}
"""

from __future__ import annotations

from collections.abc import Iterator

from archcalc.graph import Node
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._loss import outputs_with_loss

#: layer families whose output is features, never class scores
FEATURES = frozenset({"pooling", "reshaping"})


class NoClassificationHead(LintRule):
    __doc__ = __doc__
    code = "AC112"
    name = "loss.no-classification-head"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        seen: set[str] = set()
        for item in outputs_with_loss(ctx):
            if item.output in seen or not (item.loss.categorical or item.loss.binary):
                continue
            last = self._last(ctx, item.output)
            if last is None or last.layer is None or last.layer.family not in FEATURES:
                continue
            if ctx.head(item.output) is not None:
                continue  # scores reshaped at the end (Conv2D(classes, 1, activation='softmax'), Reshape)
            seen.add(item.output)
            units = ctx.last_dim(item.output)
            head = ("Dense(1, activation='sigmoid')" if item.loss.binary
                    else "Dense(classes, activation='softmax')")
            yield self.at(
                last,
                f"the model is compiled with {item.loss.written}, but its output comes from "
                f"{last.type} '{last.name}': {units} features, not class scores, as no layer maps "
                "them to the classes",
                f"add {head} after '{last.name}'",
                related=((item.loc, f"{item.loss.written} is set here"),))

    @staticmethod
    def _last(ctx: LintContext, name: str) -> Node | None:
        """The output's layer, looking back through Dropout and noise layers."""
        node = ctx.node(name)
        for _ in range(1000):
            if node.layer is None:
                return None
            if node.layer.is_regularizer and len(node.inputs) == 1:
                node = ctx.node(node.inputs[0])
                continue
            return node
        return None
