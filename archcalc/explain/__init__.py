"""Worked derivations with sympy: the engine's own formulas evaluated on symbols.

``explain_analysis(analysis)`` gives, for every layer, its parameter count, output size and
receptive field as general formula -> numbers substituted -> result, in the course notes'
forms. Each formula comes from the engine (``archcalc.layers.formulas`` and each layer's
``weights()``, ``output_shape()`` and ``receptive_field()``) evaluated on sympy symbols; the
result is the substituted value, checked against the engine's number. Importing this
package imports sympy: keep it out of ``summary``'s import path.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["Derivation", "LayerExplanation", "ModelExplanation", "explain", "explain_analysis"]


def explain(model: Any, layers: list[str] | None = None) -> Any:
    """The worked derivations of a model: a path, a Graph or an Analysis (the same as
    ``archcalc explain``; ``archcalc.explain(...)`` is this). Returns a ``ModelExplanation``:
    ``print()`` shows the text, Jupyter typesets it, ``.render("latex")`` gives LaTeX::

        >>> ex = archcalc.explain("samples/notes_example_1.yaml")
        >>> ex
        <ModelExplanation notes-example-1: 1 layer, 608 parameters>
        >>> print(ex.layers[0].derivations[0])
        parameters = K^2 × C_in × filters + filters
        ...
    """
    from archcalc.engine import Analysis
    from archcalc.graph import Graph

    if not isinstance(model, Analysis):
        from archcalc.engine import analyze
        from archcalc.readers import load

        model = analyze(model if isinstance(model, Graph) else load(model))
    from archcalc.explain.model import explain_analysis

    return explain_analysis(model, layers)


class _CallableModule(types.ModuleType):
    """``archcalc.explain`` is this package and, called, the :func:`explain` function."""

    def __call__(self, model: Any, layers: list[str] | None = None) -> Any:
        return explain(model, layers)


sys.modules[__name__].__class__ = _CallableModule


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: ``calc`` needs the solver, not the engine."""
    if name == "Derivation":
        from archcalc.explain.derivation import Derivation

        return Derivation
    if name in ("LayerExplanation", "ModelExplanation", "explain_analysis"):
        from archcalc.explain import model

        return getattr(model, name)
    raise AttributeError(f"module 'archcalc.explain' has no attribute {name!r}")
