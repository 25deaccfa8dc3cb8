"""Keras 1 and Keras 2 spellings, read with their own era's meaning (stub: identity).

The interpreter calls :func:`translate_layer` on every layer constructor call before the
layer registry binds the arguments, so a legacy call such as
``Convolution2D(32, 3, 3, border_mode='same')`` reaches the registry as the Keras 3 call
``Conv2D(32, (3, 3), padding='same')``, and each legacy spelling is recorded as a
:class:`Change` (lint reports them; the summary says where the era changed a number).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

#: the eras archcalc reads; "keras3" is today's API
ERAS = ("keras1", "keras2", "keras3")


@dataclass(frozen=True)
class Change:
    """One legacy spelling and its Keras 3 form."""

    old: str  # as written, e.g. "border_mode='same'"
    new: str  # the Keras 3 spelling, e.g. "padding='same'"
    #: True when the era's meaning gives a different number than Keras 3 would for the same
    #: text (a default that changed: GRU's reset_after, channels-first ordering, ...)
    changes_number: bool = False
    note: str = ""


@dataclass
class Translated:
    """A constructor call in Keras 3 terms."""

    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    changes: list[Change] = field(default_factory=list)


def detect_era(tree: ast.Module, text: str) -> tuple[str, str]:
    """(era, reason): which Keras API the file is written against."""
    return "keras3", "default"


def translate_layer(name: str, args: list[Any], kwargs: dict[str, Any], era: str) -> Translated:
    """The Keras 3 form of the layer call ``name(*args, **kwargs)`` written in ``era``."""
    return Translated(name, list(args), dict(kwargs))
