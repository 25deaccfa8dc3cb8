"""The layer types the Python reader makes itself (the others are archcalc.layers' classes).

- ``TracedLayer``: a custom layer (or a Lambda, an RNN over the file's own cells) as the reader
  traced it: fixed output shape(s) and weights;
- ``OpaqueLayer``: a layer of a library archcalc does not read (TF Hub, ``transformers``): named
  sizes for its parameters and output, its rank the one its first consumer takes
  (``resolve_opaque_rank``, ``smallest_rank``);
- ``LambdaLayer``, ``UserRNNLayer``: ``Lambda(f)`` and ``RNN(cell)`` over the file's cells until
  they are called (a node is made per call); ``MergedModels``: Keras 1's ``Merge`` of models.

Plain classes and functions: nothing here reads the program.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archcalc.errors import ArchcalcError, Location
from archcalc.layers.base import LayerType, Weight
from archcalc.readers.python.values import LayerObj, LibraryValue, ModelObj, symbol


class TracedLayer(LayerType):
    """A custom layer as the reader traced it: fixed output shape(s) and weights."""

    keras_name = ""  # set per instance; kept out of the registry
    family = "custom"
    n_inputs = (0, None)

    def __init__(self, class_name: str, outputs: Any, weights: list[Weight], trainable: bool = True,
                 origin: dict[str, Any] | None = None) -> None:
        LayerType.__init__(self, {"trainable": trainable, "name": class_name}, {})
        self.keras_name = class_name  # type: ignore[misc]
        self._outputs = outputs
        self._weights = weights
        #: the class's code and constructor arguments (see TracingMixin.layer_origin), or None
        self.origin = origin

    def output_shape(self, inputs: list[Any]) -> Any:
        return self._outputs

    def weights(self, inputs: list[Any]) -> list[Weight]:
        return list(self._weights)

    def receptive_field(self, rfs: Any, inputs: Any, output: Any) -> Any:
        return None

    def call_repr(self) -> str:
        return f"{self.keras_name}()"


class OpaqueLayer(LayerType):
    """A layer of a library archcalc does not read (TF Hub's ``KerasLayer``, a ``transformers``
    model, ``segmentation_models``): its parameters are one named size (``encoder.params``), its
    output one named size per axis (``encoder.out``), in the rank the next layer takes. A part
    of such a layer's output (``bert(ids)[1]``, ``.pooler_output``) is one too, without weights."""

    keras_name = ""  # the class as the file names it, per instance; kept out of the registry
    family = "opaque"
    n_inputs = (0, None)

    def __init__(self, class_name: str, var: str, origin: str, trainable: bool = True,
                 params: Any = None, sizes: dict[str, Any] | None = None) -> None:
        LayerType.__init__(self, {"trainable": trainable, "name": var}, {})
        self.keras_name = class_name  # type: ignore[misc]
        self.var = var
        self.origin = origin
        self.params = params  # None: a part of another opaque layer's output, no weights
        self.sizes = sizes or {}  # --set pins: "<var>.out", "<var>.d1" ...
        self.rank: int | None = None  # of the output without the batch axis; the next layer's

    def size(self, name: str) -> Any:
        key = f"{self.var}.{name}"
        return self.sizes.get(key, symbol(key))

    def shape_of_rank(self, batch: Any, rank: int) -> tuple:
        return (batch, *(self.size(f"d{i + 1}") for i in range(rank - 1)), self.size("out"))

    def output_shape(self, inputs: list[Any]) -> Any:
        batch = inputs[0][0] if inputs and isinstance(inputs[0], tuple) and inputs[0] else None
        return self.shape_of_rank(batch, self.rank or 1)

    def weights(self, inputs: list[Any]) -> list[Weight]:
        if self.params is None:
            return []
        return [Weight("weights", (self.params,), self.trainable)]

    def receptive_field(self, rfs: Any, inputs: Any, output: Any) -> Any:
        return None

    def call_repr(self) -> str:
        return self.origin


class LambdaLayer(LibraryValue):
    """``Lambda(f, output_shape=...)``, until it is called: the layer node is made per call."""

    def __init__(self, fn: Any, output_shape: Any, name: str, loc: Location) -> None:
        self.fn = fn
        self.output_shape = output_shape
        self.name = name
        self.loc = loc
        self.calls: list[str] = []
        #: input_shape / batch_input_shape / input_dim, when it starts a Sequential
        self.kwargs: dict[str, Any] = {}


class UserRNNLayer(LambdaLayer):
    """``RNN(cell)`` over cells of the file's own: each cell's ``build`` runs on the step's
    shape (batch, features) when the layer meets its input; its ``state_size`` (or
    ``output_size``) is the size it passes on."""

    def __init__(self, cells: list[Any], return_sequences: bool, name: str, loc: Location) -> None:
        super().__init__(None, None, name, loc)
        self.cells = cells
        self.return_sequences = return_sequences
        self.built: Any = None


class MergedModels(LibraryValue):
    """Keras 1's ``Merge([left, right], mode=...)`` of whole models, the first entry of a
    Sequential: the Sequential then has the models' inputs, and the merge reads their outputs."""

    def __init__(self, layer: LayerObj, models: list[ModelObj]) -> None:
        self.layer = layer
        self.models = models


def smallest_rank(consumer: Any, shape_of_rank: Callable[[int], tuple]) -> int | None:
    """The smallest rank (1 to 4 axes after the batch) of a tensor whose shape archcalc cannot
    see that ``consumer`` accepts (a Dense takes 1, a Conv2D 3); None when it takes none."""
    for rank in (1, 2, 3, 4):
        try:
            if consumer is not None:
                consumer.output_shape([shape_of_rank(rank)])
        except (ArchcalcError, ValueError, TypeError, ZeroDivisionError):
            continue
        return rank
    return None


def resolve_opaque_rank(opaque: Any, consumer: Any) -> None:
    """An opaque layer's output rank: the smallest its first consumer takes."""
    opaque.rank = smallest_rank(consumer, lambda r: opaque.shape_of_rank(None, r)) or 1
