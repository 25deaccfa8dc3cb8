"""A recurrent layer fed by one that does not return sequences.

SimpleRNN, LSTM and GRU read a sequence (batch, time, features). A recurrent layer
returns only its last output, (batch, units), unless ``return_sequences=True``; the next
recurrent layer then has no time axis and Keras refuses to build the model ("expected
ndim=3, found ndim=2"). This is the most common mistake when stacking recurrent layers.

Fix: pass ``return_sequences=True`` to every recurrent layer except the last one.

Failing::

    input: [20, 8]
    layers:
      - LSTM(32)
      - LSTM(16)
      - Dense(1, activation='sigmoid')

Passing::

    input: [20, 8]
    layers:
      - LSTM(32, return_sequences=True)
      - LSTM(16)
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from archcalc.errors import ArchcalcError, ShapeError
from archcalc.graph import Graph
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report


class StackedRecurrentWithoutSequences(LintRule):
    __doc__ = __doc__
    code = "AC206"
    name = "shape.recurrent-needs-sequences"
    severity = Severity.ERROR
    refusal_only = True

    def claim(self, error: ArchcalcError, graph: Graph | None) -> Report | None:
        if not isinstance(error, ShapeError) or graph is None or error.layer not in graph.nodes:
            return None
        node = graph.nodes[error.layer]
        if node.layer is None or node.layer.family != "recurrent" or node.layer.per_time_step:
            return None
        if len(node.inputs) != 1 or "3-D" not in error.message:
            return None
        src = graph.nodes[node.inputs[0]]
        if src.layer is None or src.layer.family != "recurrent":
            return None
        if src.layer.returns_sequences():
            return None
        # the fix is an argument of the layer before; the refusal shows at the next one
        where = error.loc or node.loc
        return Report(
            f"{src.type} '{src.name}' returns only its last output, but the next layer, "
            f"{node.type} '{node.name}', needs a sequence: {error.message}",
            src.loc or where,
            src.name,
            f"pass return_sequences=True to '{src.name}'",
            ((where, f"'{node.name}' reads the sequence here"),) if where is not None and where.line else (),
        )
