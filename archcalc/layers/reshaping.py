"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, and the 1D/2D/3D
ZeroPadding, Cropping and UpSampling layers."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import (
    DATA_FORMAT,
    RF,
    Arg,
    ArgError,
    AxisRF,
    LayerType,
    Shape,
    any_arg,
    channels_last,
    choice_arg,
    fmt_shape,
    int_arg,
    tuple_arg,
)


class Flatten(LayerType):
    """Collapses every axis but the batch one: (batch, product of the rest)."""

    keras_name = "Flatten"
    passes_values_through = reshapes = flattens = True
    family = "reshaping"
    ARGS = (DATA_FORMAT,)
    example = ("Flatten()", (4, 4, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        return (inputs[0][0], F.prod(inputs[0][1:]))

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _target_shape_arg(v: Any, layer: Any) -> Any:
    if F.is_int(v):
        v = (v,)
    if not isinstance(v, (list, tuple)) or not all(F.is_int(d) or hasattr(d, "free_symbols") for d in v):
        raise ArgError(f"expected a tuple of integers, got {describe_value(v)}")
    if any(F.is_int(d) and d < -1 for d in v):
        raise ArgError(f"each dimension must be a positive integer or -1, got {tuple(v)}")
    if sum(1 for d in v if d == -1) > 1:
        raise ArgError(f"at most one dimension may be -1, got {tuple(v)}")
    return tuple(v)


class Reshape(LayerType):
    """Reshape to target_shape (batch axis excluded); one -1 is inferred."""

    keras_name = "Reshape"
    passes_values_through = reshapes = True
    family = "reshaping"
    ARGS = (Arg("target_shape", convert=_target_shape_arg),)
    example = ("Reshape((-1, 4))", (4, 4, 2))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        target = list(self.cfg["target_shape"])
        dims = shape[1:]
        if any(d is None for d in dims):
            return (shape[0], *[None if d == -1 else d for d in target])
        total = F.prod(dims)
        if -1 in target:
            known = F.prod(d for d in target if d != -1)
            if F.is_int(total) and F.is_int(known) and (known == 0 or total % known):
                raise self.refuse(
                    f"cannot reshape {fmt_shape(shape)} ({total} elements) to {tuple(target)}: "
                    f"{total} is not divisible by {known}"
                )
            target[target.index(-1)] = total // known
        elif F.is_int(total) and F.is_int(F.prod(target)) and total != F.prod(target):
            raise self.refuse(
                f"cannot reshape {fmt_shape(shape)} ({total} elements) to {tuple(target)} "
                f"({F.prod(target)} elements)",
                hint="the number of elements must stay the same; use -1 for one inferred axis",
            )
        return (shape[0], *target)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _dims_arg(v: Any, layer: Any) -> Any:
    if not isinstance(v, (list, tuple)) or sorted(v) != list(range(1, len(v) + 1)):
        raise ArgError(f"dims must be a permutation of 1..n, got {describe_value(v)}")
    return tuple(v)


class Permute(LayerType):
    keras_name = "Permute"
    passes_values_through = True
    family = "reshaping"
    ARGS = (Arg("dims", convert=_dims_arg),)
    example = ("Permute((2, 1))", (5, 3))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        dims = self.cfg["dims"]
        if len(dims) != len(shape) - 1:
            raise self.refuse(f"dims {dims} do not fit the input {fmt_shape(shape)}")
        return (shape[0], *[shape[d] for d in dims])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


class RepeatVector(LayerType):
    keras_name = "RepeatVector"
    passes_values_through = True
    family = "reshaping"
    ARGS = (Arg("n", convert=int_arg(1)),)  # Keras refuses n <= 0
    example = ("RepeatVector(3)", (4,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        self.require_rank(inputs[0], 2)
        return (inputs[0][0], self.cfg["n"], inputs[0][1])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _pairs_arg(default_pair: bool = True):
    """Keras's padding/cropping argument: int, one int per axis, or (before, after) per axis."""

    def conv(v: Any, layer: Any) -> Any:
        rank = layer.RANK
        if F.is_int(v):
            return ((v, v),) * rank
        if isinstance(v, (list, tuple)):
            if rank == 1 and len(v) == 2 and all(F.is_int(x) for x in v):
                return (tuple(v),)
            if len(v) == rank:
                out = []
                for x in v:
                    if F.is_int(x):
                        out.append((x, x))
                    elif isinstance(x, (list, tuple)) and len(x) == 2 and all(F.is_int(y) for y in x):
                        out.append(tuple(x))
                    else:
                        raise ArgError(f"expected integers or (before, after) pairs, got {describe_value(v)}")
                if any(y < 0 for p in out for y in p):
                    raise ArgError(f"values must be >= 0, got {describe_value(v)}")
                return tuple(out)
        raise ArgError(f"expected an int, {layer.RANK} ints or {layer.RANK} (before, after) pairs, got {describe_value(v)}")

    return conv


class _SpatialResize(LayerType):
    family = "reshaping"
    RANK = 2

    def split(self, shape: Shape) -> tuple[list[Any], bool]:
        self.require_rank(shape, self.RANK + 2)
        if channels_last(self):
            return list(shape[1:-1]), True
        return list(shape[2:]), False

    def join(self, shape: Shape, spatial: list[Any]) -> Shape:
        if channels_last(self):
            return (shape[0], *spatial, shape[-1])
        return (shape[0], shape[1], *spatial)


class ZeroPadding(_SpatialResize):
    def output_shape(self, inputs: list[Shape]) -> Shape:
        spatial, _ = self.split(inputs[0])
        out = [None if i is None else i + a + b for i, (a, b) in zip(spatial, self.cfg["padding"])]
        return self.join(inputs[0], out)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        rf = rfs[0]
        if rf is None or len(rf.axes) != self.RANK:
            return rf
        return RF(
            tuple(AxisRF(a.size, a.jump, a.start - p[0] * a.jump) for a, p in zip(rf.axes, self.cfg["padding"])),
            rf.aligned,
        )


class ZeroPadding1D(ZeroPadding):
    keras_name = "ZeroPadding1D"
    RANK = 1
    ARGS = (Arg("padding", 1, _pairs_arg()), DATA_FORMAT)
    example = ("ZeroPadding1D((1, 2))", (5, 3))


class ZeroPadding2D(ZeroPadding):
    keras_name = "ZeroPadding2D"
    RANK = 2
    ARGS = (Arg("padding", (1, 1), _pairs_arg()), DATA_FORMAT)
    example = ("ZeroPadding2D(((1, 2), (0, 3)))", (5, 5, 3))


class ZeroPadding3D(ZeroPadding):
    keras_name = "ZeroPadding3D"
    RANK = 3
    ARGS = (Arg("padding", ((1, 1), (1, 1), (1, 1)), _pairs_arg()), DATA_FORMAT)
    example = ("ZeroPadding3D(2)", (3, 3, 3, 2))


class Cropping(_SpatialResize):
    def output_shape(self, inputs: list[Shape]) -> Shape:
        spatial, _ = self.split(inputs[0])
        out: list[Any] = []
        for i, (a, b) in zip(spatial, self.cfg["cropping"]):
            if i is None:
                out.append(None)
                continue
            if F.is_int(i) and a + b >= i:
                raise self.refuse(
                    f"cropping {self.cfg['cropping']} removes the whole axis of size {i} "
                    f"of the input {fmt_shape(inputs[0])}"
                )
            out.append(i - a - b)
        return self.join(inputs[0], out)

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        rf = rfs[0]
        if rf is None or len(rf.axes) != self.RANK:
            return rf
        return RF(
            tuple(AxisRF(a.size, a.jump, a.start + c[0] * a.jump) for a, c in zip(rf.axes, self.cfg["cropping"])),
            rf.aligned,
        )


class Cropping1D(Cropping):
    keras_name = "Cropping1D"
    RANK = 1
    ARGS = (Arg("cropping", (1, 1), _pairs_arg()),)
    example = ("Cropping1D((1, 2))", (8, 3))


class Cropping2D(Cropping):
    keras_name = "Cropping2D"
    RANK = 2
    ARGS = (Arg("cropping", ((0, 0), (0, 0)), _pairs_arg()), DATA_FORMAT)
    example = ("Cropping2D(((1, 0), (2, 2)))", (8, 8, 3))


class Cropping3D(Cropping):
    keras_name = "Cropping3D"
    RANK = 3
    ARGS = (Arg("cropping", ((1, 1), (1, 1), (1, 1)), _pairs_arg()), DATA_FORMAT)
    example = ("Cropping3D(1)", (5, 5, 5, 2))


class UpSampling(_SpatialResize):
    upsamples = True
    def output_shape(self, inputs: list[Shape]) -> Shape:
        spatial, _ = self.split(inputs[0])
        return self.join(inputs[0], [None if i is None else i * s for i, s in zip(spatial, self.cfg["size"])])

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        rf = rfs[0]
        if rf is None or len(rf.axes) != self.RANK:
            return rf
        # nearest-neighbour: output units 0..s-1 copy input unit 0, so the first unit keeps
        # its field and centre; the grid gets s times finer (on average)
        return RF(
            tuple(AxisRF(a.size, a.jump / s, a.start) for a, s in zip(rf.axes, self.cfg["size"])),
            rf.aligned,
        )


class UpSampling1D(UpSampling):
    keras_name = "UpSampling1D"
    RANK = 1
    ARGS = (Arg("size", 2, tuple_arg()),)
    example = ("UpSampling1D(3)", (4, 2))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        self.require_rank(inputs[0], 3)
        s = inputs[0]
        return (s[0], None if s[1] is None else s[1] * self.cfg["size"][0], s[2])


class UpSampling2D(UpSampling):
    keras_name = "UpSampling2D"
    RANK = 2
    ARGS = (
        Arg("size", (2, 2), tuple_arg()),
        DATA_FORMAT,
        Arg("interpolation", "nearest", choice_arg("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area")),
    )
    example = ("UpSampling2D((2, 3))", (4, 4, 2))


class UpSampling3D(UpSampling):
    keras_name = "UpSampling3D"
    RANK = 3
    ARGS = (Arg("size", (2, 2, 2), tuple_arg()), DATA_FORMAT)
    example = ("UpSampling3D(2)", (2, 3, 3, 2))


_ = (Fraction, any_arg)
