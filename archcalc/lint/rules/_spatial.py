"""Shared helpers for the rules that look at sliding windows (convolutions, poolings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

from archcalc.graph import Node
from archcalc.layers.base import LayerType
from archcalc.layers.formulas import SPATIAL_AXES, effective_kernel, is_int

if TYPE_CHECKING:
    from archcalc.layers.conv import SpatialLayer

#: one step along each spatial axis, by rank ("row", "column")
AXIS_NAMES = {rank: tuple(a.step for a in axes) for rank, axes in SPATIAL_AXES.items()}


def windowed(layer: LayerType | None) -> TypeGuard[SpatialLayer]:
    """A layer that slides a window and shrinks its input: Conv*/Pooling*, not transposes."""
    if layer is None or not hasattr(layer, "window") or not hasattr(layer, "split"):
        return False
    from archcalc.layers.conv import ConvTranspose

    return not isinstance(layer, ConvTranspose)


def window(layer: Any) -> tuple[tuple, tuple, tuple, str]:
    return layer.window()


def spatial_dims(layer: Any, shape: tuple) -> list[Any]:
    spatial, _ = layer.split(shape)
    return list(spatial)


def kernel_extent(layer: Any) -> list[Any]:
    kernel, _, dilation, _ = layer.window()
    return [effective_kernel(k, d) for k, d in zip(kernel, dilation, strict=False)]


def all_ones(dims: list[Any]) -> bool:
    return bool(dims) and all(is_int(d) and d == 1 for d in dims)


def node_label(node: Node) -> str:
    return f"{node.type} '{node.name}'"
