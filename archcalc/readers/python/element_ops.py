"""TensorFlow's image and tensor functions on a ``tf.data`` element's arrays (inside ``ds.map(f)``):
``tf.image.resize(x, (224, 224))``, ``tf.one_hot(y, 10)``, ``tf.io.decode_jpeg(raw)``... as the
shapes of their results (``ELEMENT_OPS``: one rule per function). Plain functions.

On a tensor of the model the same functions are op nodes instead (archcalc/layers/ops/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from archcalc.readers.python import data
from archcalc.readers.python.tfdata import is_size
from archcalc.readers.python.values import Array, Unknown

#: TensorFlow functions followed on an element's arrays (inside ``map``): name -> rule
ELEMENT_OPS: dict[str, str] = {
    **{n: "same" for n in (
        "cast", "convert_image_dtype", "identity", "clip_by_value", "random_flip_left_right",
        "random_flip_up_down", "flip_left_right", "flip_up_down", "random_brightness", "random_contrast",
        "random_saturation", "random_hue", "adjust_brightness", "adjust_contrast", "adjust_saturation",
        "adjust_hue", "adjust_gamma", "per_image_standardization", "stateless_random_flip_left_right",
        "stateless_random_flip_up_down", "stateless_random_brightness", "stateless_random_contrast",
        "abs", "sqrt", "exp", "log", "square",
        "saturate_cast", "ensure_shape", "stop_gradient", "random_jpeg_quality", "preprocess_input")},
    "resize": "resize", "resize_images": "resize", "resize_with_pad": "resize_hw",
    "resize_with_crop_or_pad": "resize_hw", "crop_to_bounding_box": "box", "pad_to_bounding_box": "box",
    "random_crop": "random_crop", "rgb_to_grayscale": "gray", "grayscale_to_rgb": "rgb",
    "one_hot": "one_hot", "expand_dims": "expand_dims", "reshape": "reshape", "squeeze": "squeeze",
    "transpose": "transpose", "decode_jpeg": "decode", "decode_png": "decode", "decode_image": "decode",
    "decode_bmp": "decode", "decode_gif": "decode", "read_file": "scalar",
}


def element_op(name: str, args: list[Any], kwargs: dict[str, Any], line: int,
               named: Callable[[str], Any]) -> Any:
    """A TensorFlow function of ELEMENT_OPS on an element's array: the result's shape, or
    NotImplemented (the call then goes on to the reader's other handlers)."""
    rule = ELEMENT_OPS.get(name)
    first = args[0] if args else next(iter(kwargs.values()), None)
    if rule == "decode":  # any contents: an image of unknown height and width
        if name == "decode_image" and kwargs.get("expand_animations", True) is not False:
            return Unknown(f"{name}(...)", line)  # an animated GIF gives frames: TensorFlow knows no rank
        channels = kwargs.get("channels", args[1] if len(args) > 1 else 0)
        c = channels if is_size(channels) and channels else named("channels")
        image = (named("height"), named("width"), 3 if name == "decode_gif" else c)
        return Array((named("frames"), *image) if name == "decode_gif" else image, f"{name}(...)")
    if rule == "scalar":
        return Array((), f"{name}(...)")
    if rule is None or not isinstance(first, Array):
        return NotImplemented
    got = _shape_rule(rule, first, args, kwargs, line)
    return got if got is not None else Unknown(f"{name}(...)", line)


def _shape_rule(rule: str, a: Array, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
    def arg(i: int, key: str, default: Any = None) -> Any:
        return args[i] if len(args) > i else kwargs.get(key, default)

    if rule == "same":
        return a
    if rule in _IMAGE_RULES:
        return _image_rule(rule, a, arg)
    return _tensor_rule(rule, a, arg, line)


#: the rules of ELEMENT_OPS that change an image's height, width or channels
_IMAGE_RULES = {"resize", "resize_hw", "box", "random_crop", "gray", "rgb"}
def _image_rule(rule: str, a: Array, arg: Callable[..., Any]) -> Any:
    """tf.image functions that change an image's height, width or channels."""
    if rule == "resize":
        if arg(3, "preserve_aspect_ratio", False) is not False:
            return None  # the size is at most (h, w), keeping the image's proportions
        size = arg(1, "size")
        return _image_size(a, *size) if isinstance(size, (list, tuple)) and len(size) == 2 else None
    if rule == "resize_hw":
        return _image_size(a, arg(1, "target_height"), arg(2, "target_width"))
    if rule == "box":
        return _image_size(a, arg(3, "target_height"), arg(4, "target_width"))
    if rule == "random_crop":
        size = arg(1, "size")
        ok = isinstance(size, (list, tuple)) and size and all(is_size(d) for d in size)
        return replace(a, shape=tuple(size)) if ok else None
    return replace(a, shape=(*a.shape[:-1], 1 if rule == "gray" else 3)) if a.shape else None


def _tensor_rule(rule: str, a: Array, arg: Callable[..., Any], line: int) -> Any:
    """tf functions that change a tensor's axes (one-hot, expand, reshape, squeeze, transpose)."""
    if rule == "one_hot":
        depth = arg(1, "depth")
        return Array((*a.shape, depth), a.what, classes=depth, onehot=True) if is_size(depth) else None
    if rule == "expand_dims":
        return data.expand_dims(a, arg(1, "axis", -1))
    if rule == "reshape":
        got = data.reshape(a, arg(1, "shape"), line)
        return got if isinstance(got, Array) and all(d is not None for d in got.shape) else None
    if rule == "squeeze":
        return _squeeze(a, arg(1, "axis"))
    if rule == "transpose":
        perm = arg(1, "perm")
        if isinstance(perm, (list, tuple)) and sorted(perm) == list(range(len(a.shape))):
            return replace(a, shape=tuple(a.shape[i] for i in perm))
    return None


def _squeeze(a: Array, axis: Any) -> Any:
    if axis is None:
        if any(not isinstance(d, int) for d in a.shape):
            return None
        return replace(a, shape=tuple(d for d in a.shape if d != 1))
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    rank = len(a.shape)
    if not all(isinstance(x, int) and -rank <= x < rank for x in axes):
        return None
    drop = {x % rank for x in axes}
    if any(a.shape[i] != 1 for i in drop):
        return None
    return replace(a, shape=tuple(d for i, d in enumerate(a.shape) if i not in drop))


def _image_size(a: Array, h: Any, w: Any) -> Any:
    if len(a.shape) not in (3, 4) or not (is_size(h) and is_size(w)):
        return None
    return replace(a, shape=(*a.shape[:-3], h, w, a.shape[-1]))
