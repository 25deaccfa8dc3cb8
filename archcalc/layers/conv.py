"""Convolutions: Conv1D/2D/3D, their transposes, depthwise and separable variants.

As in Keras, one class serves 1D, 2D and 3D, parametrised by ``RANK``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from archcalc.layers import formulas as F
from archcalc.layers.base import (
    DATA_FORMAT,
    RF,
    Arg,
    ArgError,
    AxisRF,
    LayerType,
    Shape,
    Weight,
    activation_arg,
    bool_arg,
    channels_last,
    choice_arg,
    fmt_shape,
    ignored,
    int_arg,
    tuple_arg,
)

INIT_ARGS = ignored(
    "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
    "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha",
)
DEPTHWISE_INIT_ARGS = ignored(
    "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer",
    "depthwise_constraint", "bias_constraint",
)
SEPARABLE_INIT_ARGS = ignored(
    "depthwise_initializer", "pointwise_initializer", "bias_initializer",
    "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer",
    "depthwise_constraint", "pointwise_constraint", "bias_constraint",
)


def _padding_arg(v: Any, layer: Any) -> Any:
    allowed = ("valid", "same", "causal") if layer.RANK == 1 and layer.allows_causal else ("valid", "same")
    return choice_arg(*allowed)(v, layer)


def _sym_or_positive(xs: Any) -> bool:
    return all(not F.is_int(x) or x > 0 for x in xs)


class SpatialLayer(LayerType):
    """Shared machinery for layers that slide a window over spatial axes."""

    RANK = 2
    allows_causal = False

    def split(self, shape: Shape) -> tuple[list[Any], Any]:
        """(spatial dims, channel dim) of a tensor for this layer's data_format."""
        if channels_last(self):
            return list(shape[1:-1]), shape[-1]
        return list(shape[2:]), shape[1]

    def join(self, batch: Any, spatial: list[Any], channels: Any) -> Shape:
        if channels_last(self):
            return (batch, *spatial, channels)
        return (batch, channels, *spatial)

    def window(self) -> tuple[tuple, tuple, tuple, str]:
        """(kernel, strides, dilation, padding) per spatial axis."""
        raise NotImplementedError

    def check_input(self, shape: Shape) -> tuple[list[Any], Any]:
        self.require_rank(shape, self.RANK + 2)
        spatial, ch = self.split(shape)
        return spatial, ch

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        rf = rfs[0]
        if rf is None or len(rf.axes) != self.RANK:
            return rf
        kernel, strides, dilation, padding = self.window()
        spatial, _ = self.split(inputs[0])
        axes = []
        for a, k, s, d, i in zip(rf.axes, kernel, strides, dilation, spatial):
            ke = F.effective_kernel(k, d)
            pb = F.padding_before(i, k, s, padding, d)
            axes.append(
                AxisRF(
                    size=a.size + (ke - 1) * a.jump,
                    jump=a.jump * s,
                    start=a.start + (Fraction(ke - 1, 2) - pb) * a.jump,
                )
            )
        return RF(tuple(axes), rf.aligned)


def _filters_form(layer: SpatialLayer, inputs: list[Shape], f: Any) -> Any:
    """The notes' count of a convolution: (filter area x input channels per group + 1) x filters."""
    _, ch = layer.split(inputs[0])
    groups = layer.cfg.get("groups", 1)
    per = ch if groups == 1 else F.floor_div(ch, groups)
    area = f.mul(f.area(layer.cfg["kernel_size"]), per)
    return f.mul(f.add(area, 1), layer.cfg["filters"]) if layer.cfg["use_bias"] else f.mul(area, layer.cfg["filters"])


class Conv(SpatialLayer):
    """Conv1D / Conv2D / Conv3D: (filter area x input channels / groups + 1) x filters."""

    family = "conv"
    allows_causal = True
    ARGS = (
        Arg("filters", convert=int_arg(1)),
        Arg("kernel_size", convert=tuple_arg()),
        Arg("strides", 1, tuple_arg()),
        Arg("padding", "valid", _padding_arg),
        DATA_FORMAT,
        Arg("dilation_rate", 1, tuple_arg()),
        Arg("groups", 1, int_arg(1)),
        Arg("activation", None, activation_arg),
        Arg("use_bias", True, bool_arg),
        *INIT_ARGS,
    )

    def validate(self) -> None:
        c = self.cfg
        if F.is_int(c["filters"]) and F.is_int(c["groups"]) and c["filters"] % c["groups"]:
            raise ArgError(
                f"filters ({c['filters']}) must be divisible by groups ({c['groups']})"
            )
        if F.strided_and_dilated(c["strides"], c["dilation_rate"]):
            raise ArgError(
                f"strides {c['strides']} > 1 cannot be combined with dilation_rate {c['dilation_rate']} > 1"
            )

    def window(self) -> tuple[tuple, tuple, tuple, str]:
        c = self.cfg
        return c["kernel_size"], c["strides"], c["dilation_rate"], c["padding"]

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        spatial, ch = self.check_input(shape)
        c = self.cfg
        if ch is None:
            raise self.refuse(f"the channel axis of the input {fmt_shape(shape)} must be known")
        groups = c.get("groups", 1)  # SeparableConv has no groups argument
        if F.is_int(ch) and F.is_int(groups) and ch % groups:
            raise self.refuse(
                f"input channels ({ch}) must be divisible by groups ({groups}); input {fmt_shape(shape)}"
            )
        out = self.spatial_out(spatial, shape)
        return self.join(shape[0], out, self.out_channels(ch))

    def spatial_out(self, spatial: list[Any], shape: Shape) -> list[Any]:
        kernel, strides, dilation, padding = self.window()
        out = [F.conv_output_length(i, k, s, padding, d) for i, k, s, d in zip(spatial, kernel, strides, dilation)]
        if not _sym_or_positive([o for o in out if o is not None]):
            raise self.refuse(
                f"output size would be {tuple(out)}: kernel {kernel} (dilation {dilation}) does not "
                f"fit the input {fmt_shape(shape)} with padding='{padding}'",
                hint="use padding='same', a smaller kernel or stride, or a larger input",
            )
        return out

    def out_channels(self, ch: Any) -> Any:
        return self.cfg["filters"]

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        return _filters_form(self, inputs, f)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        _, ch = self.split(inputs[0])
        c = self.cfg
        ws = [Weight("kernel", (*c["kernel_size"], ch // c["groups"], c["filters"]))]
        if c["use_bias"]:
            ws.append(Weight("bias", (c["filters"],)))
        return ws


class Conv1D(Conv):
    keras_name = "Conv1D"
    aliases = ("Convolution1D",)
    RANK = 1
    example = ("Conv1D(4, 3, strides=2, padding='same')", (12, 3))


class Conv2D(Conv):
    keras_name = "Conv2D"
    aliases = ("Convolution2D",)
    RANK = 2
    example = ("Conv2D(8, (3, 3), dilation_rate=2)", (16, 16, 3))


class Conv3D(Conv):
    keras_name = "Conv3D"
    aliases = ("Convolution3D",)
    RANK = 3
    example = ("Conv3D(4, 3, strides=(1, 2, 2), groups=2)", (8, 9, 9, 4))


class ConvTranspose(SpatialLayer):
    upsamples = True
    """Conv1DTranspose / Conv2DTranspose / Conv3DTranspose."""

    family = "conv"
    ARGS = (
        Arg("filters", convert=int_arg(1)),
        Arg("kernel_size", convert=tuple_arg()),
        Arg("strides", 1, tuple_arg()),
        Arg("padding", "valid", _padding_arg),
        Arg("output_padding", None, tuple_arg(min_value=0, allow_none=True)),
        DATA_FORMAT,
        Arg("dilation_rate", 1, tuple_arg()),
        Arg("activation", None, activation_arg),
        Arg("use_bias", True, bool_arg),
        *INIT_ARGS,
    )

    def validate(self) -> None:
        c = self.cfg
        if c["output_padding"] is not None:
            for op, s in zip(c["output_padding"], c["strides"]):
                if op >= s:
                    raise ArgError(
                        f"output_padding {c['output_padding']} must be smaller than strides {c['strides']}"
                    )
        if F.strided_and_dilated(c["strides"], c["dilation_rate"]):
            raise ArgError(
                f"strides {c['strides']} > 1 cannot be combined with dilation_rate {c['dilation_rate']} > 1"
            )

    def window(self) -> tuple[tuple, tuple, tuple, str]:
        c = self.cfg
        return c["kernel_size"], c["strides"], c["dilation_rate"], c["padding"]

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        spatial, ch = self.check_input(shape)
        if ch is None:
            raise self.refuse(f"the channel axis of the input {fmt_shape(shape)} must be known")
        c = self.cfg
        ops = c["output_padding"] or (None,) * self.RANK
        out = [
            F.transpose_output_length(i, k, s, c["padding"], op, d)
            for i, k, s, op, d in zip(spatial, c["kernel_size"], c["strides"], ops, c["dilation_rate"])
        ]
        return self.join(shape[0], out, c["filters"])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        return _filters_form(self, inputs, f)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        _, ch = self.split(inputs[0])
        c = self.cfg
        ws = [Weight("kernel", (*c["kernel_size"], c["filters"], ch))]
        if c["use_bias"]:
            ws.append(Weight("bias", (c["filters"],)))
        return ws

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        rf = rfs[0]
        if rf is None or len(rf.axes) != self.RANK:
            return rf
        c = self.cfg
        axes = []
        ops = c["output_padding"] or (None,) * self.RANK
        for a, k, s, d, op in zip(rf.axes, c["kernel_size"], c["strides"], c["dilation_rate"], ops):
            ke = F.effective_kernel(k, d)
            left = _transpose_left_pad(ke, s, c["padding"], op)
            axes.append(
                AxisRF(
                    size=a.size + (F.ceil_div(ke, s) - 1) * a.jump,
                    jump=a.jump / s,
                    start=a.start + (Fraction(ke - 1, 2) - left) / s * a.jump,
                )
            )
        return RF(tuple(axes), rf.aligned)


def _transpose_left_pad(ke: int, s: int, padding: str, output_padding: int | None) -> int:
    """Left padding of the equivalent stride-1 convolution over the zero-dilated input."""
    if padding == "valid":
        return ke - 1
    pad_len = s + ke - 2 if output_padding is None else ke + ke % 2 - 2 + output_padding
    return min(pad_len // 2 + pad_len % 2, ke - 1)


class Conv1DTranspose(ConvTranspose):
    keras_name = "Conv1DTranspose"
    aliases = ("Convolution1DTranspose",)
    RANK = 1
    example = ("Conv1DTranspose(4, 3, strides=2)", (7, 3))


class Conv2DTranspose(ConvTranspose):
    keras_name = "Conv2DTranspose"
    aliases = ("Convolution2DTranspose",)
    RANK = 2
    example = ("Conv2DTranspose(8, 3, strides=2, padding='same', output_padding=1)", (7, 7, 4))


class Conv3DTranspose(ConvTranspose):
    keras_name = "Conv3DTranspose"
    aliases = ("Convolution3DTranspose",)
    RANK = 3
    example = ("Conv3DTranspose(2, 2, strides=2)", (3, 4, 4, 2))


class DepthwiseConv(Conv):
    """DepthwiseConv1D/2D: one filter (x depth_multiplier) per input channel."""

    allows_causal = False
    ARGS = (
        Arg("kernel_size", convert=tuple_arg()),
        Arg("strides", 1, tuple_arg()),
        Arg("padding", "valid", _padding_arg),
        Arg("depth_multiplier", 1, int_arg(1)),
        DATA_FORMAT,
        Arg("dilation_rate", 1, tuple_arg()),
        Arg("activation", None, activation_arg),
        Arg("use_bias", True, bool_arg),
        *DEPTHWISE_INIT_ARGS,
    )

    def validate(self) -> None:
        """Keras does not refuse strides > 1 with dilation > 1 here."""

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        spatial, ch = self.check_input(shape)
        if ch is None:
            raise self.refuse(f"the channel axis of the input {fmt_shape(shape)} must be known")
        return self.join(shape[0], self.spatial_out(spatial, shape), ch * self.cfg["depth_multiplier"])

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """(filter area + 1) x channels x depth multiplier."""
        _, ch = self.split(inputs[0])
        dm, area = self.cfg["depth_multiplier"], f.area(self.cfg["kernel_size"])
        return f.mul(f.add(area, 1), ch, dm) if self.cfg["use_bias"] else f.mul(area, ch, dm)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        _, ch = self.split(inputs[0])
        c = self.cfg
        dm = c["depth_multiplier"]
        ws = [Weight("kernel", (*c["kernel_size"], ch, dm))]
        if c["use_bias"]:
            ws.append(Weight("bias", (ch * dm,)))
        return ws


class DepthwiseConv1D(DepthwiseConv):
    keras_name = "DepthwiseConv1D"
    RANK = 1
    example = ("DepthwiseConv1D(3, depth_multiplier=2)", (10, 4))


class DepthwiseConv2D(DepthwiseConv):
    keras_name = "DepthwiseConv2D"
    RANK = 2
    example = ("DepthwiseConv2D((3, 3), strides=2, padding='same')", (15, 15, 6))


class SeparableConv(Conv):
    """SeparableConv1D/2D: a depthwise convolution followed by a 1x1 pointwise one."""

    allows_causal = False  # Keras 3 refuses padding='causal' here, unlike Conv1D
    ARGS = (
        Arg("filters", convert=int_arg(1)),
        Arg("kernel_size", convert=tuple_arg()),
        Arg("strides", 1, tuple_arg()),
        Arg("padding", "valid", _padding_arg),
        DATA_FORMAT,
        Arg("dilation_rate", 1, tuple_arg()),
        Arg("depth_multiplier", 1, int_arg(1)),
        Arg("activation", None, activation_arg),
        Arg("use_bias", True, bool_arg),
        *SEPARABLE_INIT_ARGS,
    )

    def validate(self) -> None:
        """Keras does not refuse strides > 1 with dilation > 1 here."""

    def notes_params(self, inputs: list[Shape], f: Any) -> Any | None:
        """depthwise (filter area x channels x multiplier) + pointwise ((channels x multiplier + 1) x filters)."""
        _, ch = self.split(inputs[0])
        dm, filters = self.cfg["depth_multiplier"], self.cfg["filters"]
        depthwise = f.mul(f.area(self.cfg["kernel_size"]), ch, dm)
        pointwise = f.mul(f.add(f.mul(ch, dm), 1), filters) if self.cfg["use_bias"] else f.mul(ch, dm, filters)
        return f.add(depthwise, pointwise)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        _, ch = self.split(inputs[0])
        c = self.cfg
        dm = c["depth_multiplier"]
        ws = [
            Weight("depthwise_kernel", (*c["kernel_size"], ch, dm)),
            Weight("pointwise_kernel", (*(1,) * self.RANK, ch * dm, c["filters"])),
        ]
        if c["use_bias"]:
            ws.append(Weight("bias", (c["filters"],)))
        return ws


class SeparableConv1D(SeparableConv):
    keras_name = "SeparableConv1D"
    aliases = ("SeparableConvolution1D",)
    RANK = 1
    example = ("SeparableConv1D(8, 3, depth_multiplier=2)", (10, 4))


class SeparableConv2D(SeparableConv):
    keras_name = "SeparableConv2D"
    aliases = ("SeparableConvolution2D",)
    RANK = 2
    example = ("SeparableConv2D(16, (3, 3), padding='same')", (12, 12, 3))
