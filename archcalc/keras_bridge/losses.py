"""Which loss a model trains with: the loss families the labels must match (one-hot,
sparse, binary) and the loss chosen from the output layer's activation when the spec gives
none. ``train`` and ``emit --train`` both ask here, so the program ``emit`` writes trains as
``archcalc train`` does.
"""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis
from archcalc.errors import ShapeError
from archcalc.graph import Graph

ONE_HOT_LOSSES = {"categorical_crossentropy", "categorical_focal_crossentropy",
                  "categorical_hinge", "kl_divergence", "kld", "kullback_leibler_divergence"}
SPARSE_LOSSES = {"sparse_categorical_crossentropy"}
BINARY_LOSSES = {"binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge"}


def _output_activation(graph: Graph, analysis: Analysis) -> tuple[str | None, str]:
    """The activation of the output tensor and a label for messages."""
    node = graph.nodes[graph.outputs[0]]
    layer = node.layer
    if layer is None:
        return None, node.name
    return layer.applied_activation(), layer.call_repr().replace("units=", "")


def _default_loss(act: str | None, k: int, n_classes: int | None, out_desc: str) -> Any:
    if n_classes is None:
        return "mse"
    if act == "softmax" and k > 1:
        return "sparse_categorical_crossentropy"
    if act == "sigmoid" and k == 1:
        return "binary_crossentropy"
    if act is None and k > 1:
        return {"class": "SparseCategoricalCrossentropy", "from_logits": True}
    if act is None and k == 1:
        return {"class": "BinaryCrossentropy", "from_logits": True}
    raise ShapeError(
        f"cannot choose a loss for the output {out_desc} with activation '{act}'",
        hint="add a compile: section with a loss to the spec",
    )
