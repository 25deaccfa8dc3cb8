"""Keras would refuse to build the model: a shape does not fit.

Reported when the engine finds a layer that Keras would refuse for its input shape: a
convolution or pooling larger than the feature map it gets ("shrinks the image to
nothing"), a merge of tensors with different shapes, a Conv2D on a flat vector, a
Flatten of a tensor with an unknown size. Lint reports the engine's message, on the
layer's line, as an error finding; the other rules cannot run on that file.

Fix: follow the hint; ``archcalc summary FILE`` shows every shape up to that layer.

Failing::

    input: [8, 8, 3]
    layers:
      - Conv2D(8, 3)
      - MaxPooling2D(2)
      - Conv2D(8, 5)

Passing::

    input: [8, 8, 3]
    layers:
      - Conv2D(8, 3, padding='same')
      - MaxPooling2D(2)
      - Conv2D(8, 3, padding='same')
"""

from __future__ import annotations

from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule


class ShapeRefused(LintRule):
    __doc__ = __doc__
    code = "E002"
    name = "engine.shape-refused"
    severity = Severity.ERROR
    refusal_only = True
