"""Image operations: ``keras.ops.image.resize``."""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import Shape
from archcalc.layers.ops.arguments import Param
from archcalc.layers.ops.arguments import kw_param as _kw
from archcalc.layers.ops.axes import is_symbolic as _sym
from archcalc.layers.ops.base import Op


class Resize(Op):
    """``keras.ops.image.resize(images, size)``: the two spatial axes become ``size``
    (channels last unless data_format='channels_first'); a 3-D input is one image."""

    keras_name = "Resize"
    op_name = "image.resize"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("images", kind="tensor"), Param("size"), _kw("interpolation", "bilinear"), _kw("antialias", False),
        _kw("crop_to_aspect_ratio", False), _kw("pad_to_aspect_ratio", False), _kw("fill_mode", "constant"),
        _kw("fill_value", 0.0), _kw("data_format", None))

    def check(self, cfg: dict[str, Any]) -> None:
        size = cfg["size"]
        if not isinstance(size, (list, tuple)) or len(size) != 2 or not all(F.is_int(d) or _sym(d) for d in size):
            raise ValueError(f"size must be (height, width), got {describe_value(size)}")
        cfg["size"] = tuple(size)

    def compute(self, v: dict[str, Any]) -> Shape:
        x = list(v["images"])
        if len(x) not in (3, 4):
            raise ValueError(f"images must be 3-D or 4-D, got rank {len(x)}")
        first = v["data_format"] == "channels_first"
        at = len(x) - 2 if first else len(x) - 3
        x[at:at + 2] = list(v["size"])
        return tuple(x)
