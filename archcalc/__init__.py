"""archcalc: output shapes, parameters and receptive fields of Keras models, exactly as
Keras computes them, from a YAML spec, Keras Python code or a Keras model file.

The public API needs no TensorFlow (but ``to_keras`` and ``analyze`` of a live Keras model)::

    import archcalc
    graph = archcalc.load("samples/cnn.yaml")     # any supported file -> Graph
    result = archcalc.analyze(graph)              # Analysis: rows + totals; print() shows the table
    result.total_params                           # 3938570
    archcalc.explain(result)                      # the worked derivations
    archcalc.lint("samples/")                     # LintResult: findings, exit_code
"""

from __future__ import annotations

import os
from typing import Any

__version__ = "0.2.0"
__all__ = ["load", "analyze", "explain", "lint", "load_text", "to_keras", "ArchcalcError"]

from archcalc.errors import ArchcalcError


def __getattr__(name: str) -> Any:
    """``archcalc.explain`` and ``archcalc.lint``: packages that are also callables, imported
    on first use (``import archcalc`` stays light)."""
    if name in ("explain", "lint"):
        import importlib

        return importlib.import_module(f"archcalc.{name}")
    raise AttributeError(f"module 'archcalc' has no attribute {name!r}")


def load(path: Any, **options: Any) -> Any:
    """Read a model file into a ``Graph``: a YAML spec, Keras Python code (read statically),
    a notebook, ``model.to_json()`` output, a ``.keras`` or ``.h5`` file. Options are the
    command line's: ``overrides={"n_features": 20}`` (``--set``), ``model_name`` (``--model``)::

        >>> graph = archcalc.load("samples/cnn.yaml")
        >>> graph
        <Graph 'notes-cnn' from samples/cnn.yaml: 6 nodes, inputs ['input'], outputs ['dense_1']>
    """
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
    """Analyse a Graph or a path (or, with the keras extra, a live Keras model) into an
    ``Analysis``: ``rows`` (one per layer: output shape, weights, receptive field),
    ``by_name``, the totals and ``cost``. ``print()`` shows the summary table; Jupyter and
    rich show it as a table::

        >>> result = archcalc.analyze("samples/cnn.yaml")
        >>> result
        <Analysis 'notes-cnn': 6 layers, 3,938,570 params (3,938,570 trainable), output (None, 10)>
        >>> result.by_name["conv2d"].params
        896
        >>> str(result.by_name["max_pooling2d"].rf)
        '4x4'
    """
    from archcalc.graph import Graph

    if isinstance(graph_or_model, Graph):
        from archcalc.engine import analyze as _analyze

        return _analyze(graph_or_model)
    if isinstance(graph_or_model, (str, os.PathLike)):
        return analyze(load(graph_or_model))
    try:
        from archcalc.keras_bridge.live import analyze_model
    except ImportError as e:  # pragma: no cover
        raise TypeError("analyze() takes a Graph, a path, or a Keras model (pip install 'archcalc[keras]')") from e
    return analyze_model(graph_or_model)
