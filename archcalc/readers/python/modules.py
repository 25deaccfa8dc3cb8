"""Module resolution: which imports name Keras, and which name the file's own sibling modules.

Keras is spelled many ways across its eras: ``keras``, ``tensorflow.keras``,
``tensorflow.python.keras``, ``tf_keras``, ``keras.src.layers.core.dense``, Keras 1/2's
``keras.layers.convolutional``. All are normalised to ``('keras', ...)``. Other libraries keep
their top-level name (``numpy``, ``sklearn``, ``tensorflow``) so that the facts tables can
recognise ``numpy.zeros`` or ``sklearn.datasets.load_iris``.

A sibling import (``from model import *``, ``import blocks``, ``from .layers import conv_block``)
is looked up next to the importing file, read statically like the file itself, at most
``MAX_MODULES`` modules per read, each at most once (cycles are safe).
"""

from __future__ import annotations

from pathlib import Path

from archcalc import limits

MAX_MODULES = limits.MAX_MODULES

#: module prefixes that are Keras
KERAS_ROOTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("tensorflow", "python", "keras"): ("keras",),
    ("tensorflow", "keras"): ("keras",),
    ("tf_keras",): ("keras",),
    ("keras",): ("keras",),
}
#: path parts that only reflect Keras's internal layout
_INTERNAL = {"src", "api", "_tf_keras", "keras", "_impl", "engine", "legacy", "v1", "v2"}
#: Keras 1/2 submodules of keras.layers (keras.layers.convolutional.Conv2D is keras.layers.Conv2D)
LAYER_SUBMODULES = {
    "core", "convolutional", "recurrent", "pooling", "normalization", "embeddings", "merge",
    "advanced_activations", "noise", "wrappers", "local", "convolutional_recurrent", "cudnn_recurrent",
    "merging", "reshaping", "regularization", "activation", "attention", "preprocessing", "rnn",
    "dense", "dropout", "kernelized", "dense_attention", "serialization", "input_layer", "experimental",
}
#: keras.<x> submodules under other names (keras.engine.training.Model is keras.Model)
_ALIASES = {"training": "models", "sequential": "models", "functional": "models", "topology": "models"}


def normalise(path: tuple[str, ...]) -> tuple[str, ...]:
    """('tensorflow', 'keras', 'layers') -> ('keras', 'layers'); others keep their path."""
    for prefix, repl in KERAS_ROOTS.items():
        if path[: len(prefix)] == prefix:
            rest = [p for p in path[len(prefix):] if p not in _INTERNAL]
            out: list[str] = []
            for i, p in enumerate(rest):
                if out and out[-1] == "layers" and p in LAYER_SUBMODULES and i < len(rest) - 1:
                    continue  # keras.layers.convolutional.Conv2D; a last part is a name (merge)
                out.append(_ALIASES.get(p, p) if not out or out[-1] != "layers" else p)
            return (*repl, *out)
    return path


def is_keras(path: tuple[str, ...]) -> bool:
    return path[:1] == ("keras",)


def find_sibling(importer: str, module: str | None, level: int, extra: tuple[Path, ...] = ()) -> Path | None:
    """The file of a sibling module import, or None when it is not beside the importer (nor,
    for an absolute import, in a folder the program adds to ``sys.path``: ``extra``)."""
    if importer.startswith("<"):
        return None
    base = Path(importer).resolve().parent
    for _ in range(max(level - 1, 0)):
        base = base.parent
    parts = [p for p in (module or "").split(".") if p]
    if not parts:
        init = base / "__init__.py"
        return init if init.is_file() else None
    for folder in (base, *(extra if not level else ())):
        candidate = folder.joinpath(*parts)
        for p in (candidate.with_suffix(".py"), candidate / "__init__.py"):
            try:
                if p.is_file():
                    return p
            except OSError:
                return None
    return None
