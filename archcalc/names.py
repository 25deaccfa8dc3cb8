"""Keras's naming rules: snake_case class names, automatic layer names, free names.

Every floor names layers the way Keras does (the readers when a call gives no ``name=``, the
layers for a wrapper's inner layer, ``compile_spec`` for a loss's canonical name, ``emit`` for
variables), so the rules live here, below them all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container


@functools.lru_cache(maxsize=512)
def to_snake_case(name: str) -> str:
    """Keras's own naming rule: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras_auto_name(class_name: str, counters: dict[str, int], advance: bool = True) -> str:
    """Keras's automatic name from its per-prefix counters (keras.src.utils.naming.uniquify):
    dense, dense_1, dense_2, ...; ``advance=False`` tells the next name without taking it."""
    base = to_snake_case(class_name)
    n = counters.get(base, 0)
    if advance:
        counters[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def free_name(base: str, taken: Container[str]) -> str:
    """``base`` if it is free, else the first of base_2, base_3, ... that is not ``taken``."""
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    return name
