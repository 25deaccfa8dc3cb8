"""The one layer lookup every front-end asks: by Keras class name or alias.

Importing this module imports every family module, which registers its classes. A name is
found, in this order, among:

1. the ``keras.layers`` classes (``REGISTRY``: each class registers its ``keras_name`` and
   ``aliases`` when it is defined);
2. the user's custom layers of the model being read (``archcalc-layers.yaml``), made visible
   by :func:`scope` for one read only: they never enter ``REGISTRY``;
3. with ``saved=True`` (the config readers: YAML specs and Keras files), the classes Keras
   writes in saved configs that ``keras.layers`` does not export (a class with
   ``in_keras_layers = False``, such as ConvNeXt's LayerScale);
4. the ``keras.layers`` classes archcalc refuses (``archcalc.layers.refusals``): their type's
   ``bind()`` raises the reason.

A name found nowhere is :func:`unknown_layer`: one message and one hint for every source.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar

from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.layers import (  # noqa: F401  (imported for registration)
    activations,
    adaptive_pooling,
    attention,
    augmentation,
    conv,
    core,
    eras,
    language,
    merging,
    nested,
    normalization,
    ops,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    rnn_cells,
    wrappers,
)
from archcalc.layers.base import LayerType
from archcalc.layers.refusals import refusal_type

REGISTRY: dict[str, type[LayerType]] = LayerType.registry
#: classes Keras saves in configs that keras.layers does not export, by class name
SAVED_ONLY: dict[str, type[LayerType]] = LayerType.saved_only
#: tensor operations (keras.ops), by op name and alias; kept apart from the keras.layers
#: classes, whose names some of them share (archcalc.layers.ops explains)
OPS = ops.OPS

#: the custom layers of the model being read (see scope()); a context variable, so a read
#: in one thread or task never sees another's, and leaving the block always restores it
_CUSTOM: ContextVar[Mapping[str, type[LayerType]] | None] = ContextVar("archcalc_custom_layers", default=None)

#: the hint for a name that no table knows
CUSTOM_HINT = ("declare custom layers in archcalc-layers.yaml next to the model (README, 'Custom layers'); "
               "`archcalc layers` lists the built-in ones")


@contextlib.contextmanager
def scope(custom: Mapping[str, type[LayerType]]) -> Iterator[None]:
    """Make the user's custom layer classes visible to :func:`get` inside the block."""
    if not custom:
        yield
        return
    token = _CUSTOM.set({**custom_layers(), **custom})
    try:
        yield
    finally:
        _CUSTOM.reset(token)


def custom_layers() -> Mapping[str, type[LayerType]]:
    """The custom layer classes visible now (empty outside a read that declares some)."""
    return _CUSTOM.get() or {}


def get(name: str, *, saved: bool = False) -> type[LayerType] | None:
    """The layer type of a name, or None (see the module docstring for the order)."""
    found = REGISTRY.get(name) or custom_layers().get(name)
    if found is None and saved:
        found = SAVED_ONLY.get(name)
    return found or refusal_type(name)


def lookup(name: str, *, saved: bool = False, also: Iterable[str] = (), loc: Location | None = None) -> type[LayerType]:
    """The layer type for a Keras class name or alias; :func:`unknown_layer` otherwise.
    ``also``: more names the source knows (a spec's blocks), for the did-you-mean."""
    cls = get(name, saved=saved)
    if cls is None:
        raise unknown_layer(name, saved=saved, also=also, loc=loc)
    return cls


def names(*, saved: bool = False) -> list[str]:
    """Every name :func:`get` finds (refused classes aside)."""
    return [*REGISTRY, *custom_layers(), *(SAVED_ONLY if saved else ())]


def unknown_hint(name: str, *, saved: bool = False, also: Iterable[str] = ()) -> str:
    """The hint for a layer name no table knows: its Keras 1/2 history, the closest known
    name, or how to declare a custom layer."""
    if name in eras.RENAMED_LAYERS:
        return f"'{name}' is a Keras 1/2 layer: write {eras.RENAMED_LAYERS[name]}(...) in Keras 3"
    if name in eras.NO_EQUIVALENT:
        return eras.NO_EQUIVALENT[name] + "; " + CUSTOM_HINT
    return did_you_mean(name, [*names(saved=saved), *also]) or CUSTOM_HINT


def unknown_layer(name: str, *, saved: bool = False, also: Iterable[str] = (),
                  loc: Location | None = None) -> SpecError:
    """The error for a layer name no table knows, the same from every front-end."""
    return SpecError(f"unknown layer type '{name}'", loc=loc, hint=unknown_hint(name, saved=saved, also=also))


def canonical_types(*, saved: bool = False) -> list[type[LayerType]]:
    """Each registered class once (aliases folded), sorted by family and name; with
    ``saved``, the classes Keras defines outside keras.layers instead."""
    seen = {id(c): c for c in (SAVED_ONLY if saved else REGISTRY).values()}
    return sorted(seen.values(), key=lambda c: (c.family, c.keras_name))
