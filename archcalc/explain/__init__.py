"""Worked derivations with sympy: the engine's own formulas evaluated on symbols.

``explain_analysis(analysis)`` gives, for every layer, its parameter count, output size and
receptive field as general formula -> numbers substituted -> result, in the course notes'
forms. Each formula comes from the engine (``archcalc.layers.formulas`` and each layer's
``weights()``, ``output_shape()`` and ``receptive_field()``) evaluated on sympy symbols; the
result is the substituted value, checked against the engine's number. Importing this
package imports sympy: keep it out of ``summary``'s import path.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Derivation", "LayerExplanation", "ModelExplanation", "explain_analysis"]


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: ``calc`` needs the solver, not the engine."""
    if name == "Derivation":
        from archcalc.explain.derivation import Derivation

        return Derivation
    if name in ("LayerExplanation", "ModelExplanation", "explain_analysis"):
        from archcalc.explain import model

        return getattr(model, name)
    raise AttributeError(f"module 'archcalc.explain' has no attribute {name!r}")
