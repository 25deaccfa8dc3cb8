"""archcalc: output shapes, parameters and receptive fields of Keras models, exactly as
Keras computes them, from a YAML spec, Keras Python code or a Keras model file.

Public API::

    import archcalc
    graph = archcalc.load("samples/cnn.yaml")     # any supported file -> Graph
    result = archcalc.analyze(graph)              # Analysis: rows + totals
    result.total_params
"""

from __future__ import annotations

import sys
from typing import Any

__version__ = "0.1.0"
__all__ = ["load", "analyze", "load_text", "to_keras", "ArchcalcError"]

from archcalc.errors import ArchcalcError


def load(path: Any, **options: Any) -> Any:
    """Read a model file (YAML spec, and the other front-ends' formats) into a Graph."""
    from archcalc.readers import load as _load

    return _load(path, **options)


def to_keras(spec: Any, compile: bool = True) -> Any:
    """Build the real Keras model for a spec (a path or a Graph); needs archcalc[keras]."""
    from archcalc.keras_bridge.build import to_keras as _to_keras

    return _to_keras(spec, compile=compile)


def load_text(text: str, path: str = "<spec>") -> Any:
    """Read a YAML spec given as a string."""
    from archcalc.readers.yaml_spec import load_text as _load_text

    return _load_text(text, path)


def analyze(graph_or_model: Any) -> Any:
    """Analyse a Graph (or, with the keras extra, a live Keras model)."""
    from archcalc.graph import Graph

    if isinstance(graph_or_model, Graph):
        from archcalc.engine import analyze as _analyze

        return _analyze(graph_or_model)
    if isinstance(graph_or_model, (str,)):
        return analyze(load(graph_or_model))
    try:
        from archcalc.keras_bridge.live import analyze_model
    except ImportError as e:  # pragma: no cover
        raise TypeError("analyze() takes a Graph, a path, or a Keras model (pip install 'archcalc[keras]')") from e
    return analyze_model(graph_or_model)


def _analysis_markdown(analysis: Any) -> str:
    """An Analysis in a notebook: its summary table in Markdown (imported on first display)."""
    from archcalc.explain.notebook import analysis_markdown

    return analysis_markdown(analysis)


def register_notebook_display(shell: Any = None) -> bool:
    """Show an ``Analysis`` as its summary table in Jupyter / IPython.

    The engine that defines ``Analysis`` sits below the renderers, so the display is
    registered here, from the top, with IPython's formatter for the type's name (nothing is
    imported until an Analysis is shown). Runs when archcalc is imported inside IPython;
    ``shell`` is the IPython shell (by default the running one). True when registered.
    """
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/markdown"]
    formatter.for_type_by_name("archcalc.engine", "Analysis", _analysis_markdown)
    return True


register_notebook_display()
