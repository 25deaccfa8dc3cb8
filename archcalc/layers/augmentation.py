"""Image preprocessing and augmentation: the random transforms at the front of most vision
models (RandomFlip, RandomRotation, ..., MixUp, CutMix, AugMix, RandAugment), the
deterministic ones (AutoContrast, Equalization, Solarization, CLAHE), and the layers that
change the image size (Resizing, CenterCrop, RandomCrop).

None has weights. The random ones keep the input's shape and are the identity at
inference (as Keras runs them with training=False); Resizing, CenterCrop and RandomCrop give
(height, width) images. The argument tables below are Keras 3.15's constructor signatures.
"""

from __future__ import annotations

from typing import Any

from archcalc.layers.base import (
    DATA_FORMAT,
    REQUIRED,
    RF,
    Arg,
    LayerType,
    Shape,
    any_arg,
    bool_arg,
    channels_last,
    choice_arg,
    int_arg,
)


class ImageLayer(LayerType):
    """Shape-preserving image preprocessing; no weights."""

    family = "preprocessing"
    #: the identity at inference (random augmentation); False: a deterministic transform
    inference_identity = True

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class ImageTransform(ImageLayer):
    """A deterministic per-image transform (contrast stretch, histogram equalisation, ...)."""

    inference_identity = False


def _args(spec: tuple[tuple[str, Any], ...]) -> tuple[Arg, ...]:
    return tuple(DATA_FORMAT if n == "data_format" else Arg(n, d, any_arg) for n, d in spec)


_R = REQUIRED
_VR = ("value_range", (0, 255))

#: name -> (constructor arguments in Keras's order with their defaults, deterministic?)
_IMAGE_LAYERS: dict[str, tuple[tuple[tuple[str, Any], ...], bool]] = {
    "AugMix": ((_VR, ("num_chains", 3), ("chain_depth", 3), ("factor", 0.3), ("alpha", 1.0),
                ("all_ops", True), ("interpolation", "bilinear"), ("seed", None), ("data_format", None)), False),
    "AutoContrast": ((_VR,), True),
    "ContrastLimitedAdaptiveHistogramEqualization": (
        (_VR, ("clip_limit", 4.0), ("tile_grid_size", (8, 8)), ("data_format", None)), True),
    "CutMix": ((("factor", 1.0), ("seed", None), ("data_format", None)), False),
    "Equalization": ((_VR, ("bins", 256), ("data_format", None)), True),
    "MixUp": ((("alpha", 0.2), ("data_format", None), ("seed", None)), False),
    "RandAugment": ((_VR, ("num_ops", 2), ("factor", 0.5), ("interpolation", "bilinear"), ("seed", None),
                     ("data_format", None)), False),
    "RandomBrightness": ((("factor", _R), _VR, ("seed", None)), False),
    "RandomColorDegeneration": ((("factor", _R), _VR, ("data_format", None), ("seed", None)), False),
    "RandomColorJitter": ((_VR, ("brightness_factor", None), ("contrast_factor", None),
                           ("saturation_factor", None), ("hue_factor", None), ("seed", None),
                           ("data_format", None)), False),
    "RandomContrast": ((("factor", _R), _VR, ("seed", None)), False),
    "RandomElasticTransform": ((("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"),
                                ("fill_mode", "reflect"), ("fill_value", 0.0), _VR, ("seed", None),
                                ("data_format", None)), False),
    "RandomErasing": ((("factor", 1.0), ("scale", (0.02, 0.33)), ("fill_value", None), _VR, ("seed", None),
                       ("data_format", None)), False),
    "RandomFlip": ((("mode", "horizontal_and_vertical"), ("seed", None), ("data_format", None)), False),
    "RandomGaussianBlur": ((("factor", 1.0), ("kernel_size", 3), ("sigma", 1.0), _VR, ("data_format", None),
                            ("seed", None)), False),
    "RandomGrayscale": ((("factor", 0.5), ("data_format", None), ("seed", None)), False),
    "RandomHue": ((("factor", _R), _VR, ("data_format", None), ("seed", None)), False),
    "RandomInvert": ((("factor", 1.0), _VR, ("seed", None), ("data_format", None)), False),
    "RandomPerspective": ((("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"), ("fill_value", 0.0),
                           ("seed", None), ("data_format", None)), False),
    "RandomPosterization": ((("factor", _R), _VR, ("data_format", None), ("seed", None)), False),
    "RandomRotation": ((("factor", _R), ("fill_mode", "reflect"), ("interpolation", "bilinear"), ("seed", None),
                        ("fill_value", 0.0), ("data_format", None)), False),
    "RandomSaturation": ((("factor", _R), _VR, ("data_format", None), ("seed", None)), False),
    "RandomSharpness": ((("factor", _R), _VR, ("data_format", None), ("seed", None)), False),
    "RandomShear": ((("x_factor", 0.0), ("y_factor", 0.0), ("interpolation", "bilinear"), ("fill_mode", "reflect"),
                     ("fill_value", 0.0), ("data_format", None), ("seed", None)), False),
    "RandomTranslation": ((("height_factor", _R), ("width_factor", _R), ("fill_mode", "reflect"),
                           ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0),
                           ("data_format", None)), False),
    "RandomZoom": ((("height_factor", _R), ("width_factor", None), ("fill_mode", "reflect"),
                    ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0), ("data_format", None)), False),
    "Solarization": ((("addition_factor", 0.0), ("threshold_factor", 0.0), _VR, ("seed", None)), True),
}


def _example(name: str, spec: tuple[tuple[str, Any], ...]) -> tuple[str, Any]:
    required = [n for n, d in spec if d is REQUIRED]
    values = {"factor": "0.2", "height_factor": "0.1", "width_factor": "0.1"}
    if name == "RandomPosterization":
        values["factor"] = "4"
    return f"{name}({', '.join(values[n] for n in required)})", (8, 8, 3)


def _make_image_classes() -> dict[str, type[ImageLayer]]:
    out: dict[str, type[ImageLayer]] = {}
    for name, (spec, deterministic) in _IMAGE_LAYERS.items():
        base = ImageTransform if deterministic else ImageLayer
        out[name] = type(name, (base,), {
            "__doc__": f"keras.layers.{name}: keeps the input's shape; no weights.",
            "keras_name": name, "ARGS": _args(spec), "example": _example(name, spec),
            "__module__": __name__,
        })
    return out


IMAGE_CLASSES = _make_image_classes()
# Keras 3.15's Equalization returns its input tensor itself when called symbolically, so a
# keras.Model around it fails ("part of a cycle"); the parity test builds the layer alone.
IMAGE_CLASSES["Equalization"].keras_model_fails = True  # type: ignore[attr-defined]


class MaxNumBoundingBoxes(LayerType):
    """Pads or trims the bounding boxes that travel with the images; the images pass unchanged."""

    keras_name = "MaxNumBoundingBoxes"
    family = "preprocessing"
    ARGS = (Arg("max_number", convert=int_arg(1)), Arg("fill_value", -1, any_arg))
    example = ("MaxNumBoundingBoxes(5)", (8, 8, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return inputs[0]


class Resize(LayerType):
    """Layers that output (height, width) images: (batch, H, W, C) -> (batch, height, width, C)."""

    family = "preprocessing"

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_rank(shape, 4)
        h, w = self.cfg["height"], self.cfg["width"]
        if channels_last(self):
            return (shape[0], h, w, shape[3])
        return (shape[0], shape[1], h, w)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None  # resampling changes the grid


class Resizing(Resize):
    """Resamples every image to (height, width); no weights."""

    keras_name = "Resizing"
    ARGS = (
        Arg("height", convert=int_arg(1)),
        Arg("width", convert=int_arg(1)),
        Arg("interpolation", "bilinear", choice_arg("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area")),
        Arg("crop_to_aspect_ratio", False, bool_arg),
        Arg("pad_to_aspect_ratio", False, bool_arg),
        Arg("fill_mode", "constant", any_arg),
        Arg("fill_value", 0.0, any_arg),
        Arg("antialias", False, bool_arg),
        DATA_FORMAT,
    )
    example = ("Resizing(4, 5)", (8, 8, 3))


class CenterCrop(Resize):
    """The central (height, width) window (an image smaller than that is resized up)."""

    keras_name = "CenterCrop"
    ARGS = (Arg("height", convert=int_arg(1)), Arg("width", convert=int_arg(1)), DATA_FORMAT)
    example = ("CenterCrop(4, 5)", (8, 8, 3))


class RandomCrop(Resize):
    """A random (height, width) window in training; the central one at inference."""

    keras_name = "RandomCrop"
    ARGS = (
        Arg("height", convert=int_arg(1)),
        Arg("width", convert=int_arg(1)),
        Arg("seed", None, any_arg),
        DATA_FORMAT,
    )
    example = ("RandomCrop(4, 5)", (8, 8, 3))
