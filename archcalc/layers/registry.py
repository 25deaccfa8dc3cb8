"""The one layer lookup every front-end asks: by Keras class name or alias.

A name is found, in this order, among:

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

Importing this module imports no layer family: ``archcalc.layers.index`` says which module
defines each name, and a family is imported (registering its classes) when one of its
names is first asked for, so a model of Dense and Conv2D layers loads two families. The
tensor operations (:data:`OPS`, ``archcalc.layers.ops``) load when an op is first met.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from archcalc.errors import Location, SpecError, did_you_mean
from archcalc.layers import index
from archcalc.layers.base import LayerType
from archcalc.layers.refusals import refusal_type


class LayerTable(Mapping[str, type[LayerType]]):
    """Name -> layer class, importing a class's family module when the name is first used.

    ``in``, iteration and ``len`` read the index (nothing imported); ``table[name]`` imports
    the one family that defines ``name``; ``values()`` and ``items()`` import them all. The
    classes registered in ``registered`` (``LayerType.registry``) are found too, so a class
    defined elsewhere (a test's) is seen as it always was.
    """

    def __init__(self, where: Mapping[str, str], registered: dict[str, type[LayerType]]) -> None:
        self._where = where
        self._registered = registered

    def __getitem__(self, name: str) -> type[LayerType]:
        cls = self._registered.get(name)
        if cls is None and name in self._where:
            importlib.import_module(f"archcalc.layers.{self._where[name]}")
            cls = self._registered.get(name)
        if cls is None:
            raise KeyError(name)
        return cls

    def __contains__(self, name: object) -> bool:
        return name in self._where or name in self._registered

    def __iter__(self) -> Iterator[str]:
        yield from self._where
        yield from (n for n in list(self._registered) if n not in self._where)

    def __len__(self) -> int:
        return sum(1 for _ in self)


#: the keras.layers classes, by Keras name and alias
REGISTRY = LayerTable(index.LAYERS, LayerType.registry)
#: classes Keras saves in configs that keras.layers does not export, by class name
SAVED_ONLY = LayerTable(index.SAVED_ONLY, LayerType.saved_only)


def __getattr__(name: str) -> Any:
    """``OPS``: the tensor operations (keras.ops), by op name and alias, kept apart from the
    keras.layers classes, whose names some of them share (archcalc.layers.ops explains);
    the op table is imported on first use."""
    if name == "OPS":
        from archcalc.layers import ops  # loaded only when a model has an op

        return ops.OPS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

#: the custom layers of the model being read (see scope()); a context variable, so a read
#: in one thread or task never sees another's, and leaving the block always restores it
_CUSTOM: ContextVar[Mapping[str, type[LayerType]] | None] = ContextVar("archcalc_custom_layers", default=None)

#: the hint for a name that no table knows
CUSTOM_HINT = ("declare custom layers in archcalc-layers.yaml next to the model (documentation: 'Custom layers'); "
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
    from archcalc.layers import eras  # the Keras 1/2 tables, loaded for an unknown name only

    if name in eras.RENAMED_LAYERS:
        return f"'{name}' is a Keras 1/2 layer: write {eras.RENAMED_LAYERS[name]}(...) in Keras 3"
    if name in eras.NO_EQUIVALENT:
        return eras.NO_EQUIVALENT[name] + "; " + CUSTOM_HINT
    return did_you_mean(name, [*names(saved=saved), *also]) or CUSTOM_HINT


def unknown_layer(name: str, *, saved: bool = False, also: Iterable[str] = (),
                  loc: Location | None = None) -> SpecError:
    """The error for a layer name no table knows, the same from every front-end."""
    return SpecError(f"unknown layer type '{name}'", loc=loc, hint=unknown_hint(name, saved=saved, also=also),
                     keras_refuses=True)


def canonical_types(*, saved: bool = False) -> list[type[LayerType]]:
    """Each registered class once (aliases folded), sorted by family and name; with
    ``saved``, the classes Keras defines outside keras.layers instead."""
    seen = {id(c): c for c in (SAVED_ONLY if saved else REGISTRY).values()}
    return sorted(seen.values(), key=lambda c: (c.family, c.keras_name))
