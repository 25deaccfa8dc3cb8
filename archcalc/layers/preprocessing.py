"""Text, category and audio preprocessing: TextVectorization, StringLookup, IntegerLookup,
Hashing, HashedCrossing, CategoryEncoding, Discretization, MelSpectrogram, STFTSpectrogram.

Shapes follow each layer's ``compute_output_shape`` in Keras 3.15. A lookup's vocabulary is
a table, not a weight: these layers have no weights, except STFTSpectrogram, whose DFT
kernels are (trainable) weights. An encoded width that depends on a vocabulary not given
in the call (one to be adapted) is unknown (None), as in Keras.
"""

from __future__ import annotations

from typing import Any, ClassVar

from archcalc.errors import describe_value
from archcalc.layers import formulas as F
from archcalc.layers.base import (
    DATA_FORMAT,
    RF,
    Arg,
    ArgError,
    LayerType,
    Shape,
    Weight,
    any_arg,
    bool_arg,
    channels_last,
    choice_arg,
    fmt_shape,
    int_arg,
)

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class Preprocessing(LayerType):
    family = "preprocessing"

    def receptive_field(self, rfs: list[RF | None], inputs: list[Shape], output: Any) -> RF | None:
        return None


def _vocab_size(vocabulary: Any, oov: Any) -> Any:
    """Entries of a vocabulary given as a list, plus the OOV indices; None for a file path
    or a vocabulary to be adapted."""
    if isinstance(vocabulary, (list, tuple)):
        return len(vocabulary) + (oov if F.is_int(oov) else 0)
    return None


def _encode_last(shape: Shape, depth: Any, mode: str) -> Shape:
    """Keras's encoding of a lookup's ids: one_hot appends the depth (replacing a last axis
    of 1); multi_hot, count and tf_idf replace the last (sample) axis with it."""
    shape = tuple(shape)
    if mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    return (*shape[:-1], depth)


class IndexLookup(Preprocessing):
    """StringLookup / IntegerLookup: ids of the same shape (output_mode='int'), or one
    encoded axis of the vocabulary's size."""

    def depth(self) -> Any:
        c = self.cfg
        if c["pad_to_max_tokens"]:
            return c["max_tokens"]
        return _vocab_size(c["vocabulary"], c["num_oov_indices"])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        if self.cfg["output_mode"] == "int":
            return inputs[0]
        return _encode_last(inputs[0], self.depth(), self.cfg["output_mode"])


def _lookup_args(oov_token: Any, extra: tuple[Arg, ...]) -> tuple[Arg, ...]:
    return (
        Arg("max_tokens", None, int_arg(1, allow_none=True)),
        Arg("num_oov_indices", 1, int_arg(0)),
        Arg("mask_token", None, any_arg),
        Arg("oov_token", oov_token, any_arg),
        Arg("vocabulary", None, any_arg),
        *extra,
    )


class StringLookup(IndexLookup):
    keras_name = "StringLookup"
    reads_ids = True
    ARGS = _lookup_args("[UNK]", (
        Arg("idf_weights", None, any_arg),
        Arg("invert", False, bool_arg),
        Arg("output_mode", "int", choice_arg(*_MODES)),
        Arg("pad_to_max_tokens", False, bool_arg),
        Arg("sparse", False, bool_arg),
        Arg("encoding", "utf-8", any_arg),
        Arg("salt", None, any_arg),
    ))
    example = ("StringLookup(vocabulary=['a', 'b'], output_mode='one_hot')", (1,))


class IntegerLookup(IndexLookup):
    keras_name = "IntegerLookup"
    reads_ids = True
    ARGS = _lookup_args(-1, (
        Arg("vocabulary_dtype", "int64", any_arg),
        Arg("idf_weights", None, any_arg),
        Arg("invert", False, bool_arg),
        Arg("output_mode", "int", choice_arg(*_MODES)),
        Arg("sparse", False, bool_arg),
        Arg("pad_to_max_tokens", False, bool_arg),
        Arg("oov_method", "floormod", any_arg),
        Arg("salt", None, any_arg),
    ))
    example = ("IntegerLookup(vocabulary=[1, 2, 3], output_mode='count')", (3,))


class TextVectorization(Preprocessing):
    """Strings -> token ids (batch, output_sequence_length), or one encoded axis of the
    vocabulary's size (multi_hot, count, tf_idf, one_hot)."""

    keras_name = "TextVectorization"
    ARGS = (
        Arg("max_tokens", None, int_arg(1, allow_none=True)),
        Arg("standardize", "lower_and_strip_punctuation", any_arg),
        Arg("split", "whitespace", any_arg),
        Arg("ngrams", None, any_arg),
        Arg("output_mode", "int", choice_arg(*_MODES)),
        Arg("output_sequence_length", None, int_arg(1, allow_none=True)),
        Arg("pad_to_max_tokens", False, bool_arg),
        Arg("vocabulary", None, any_arg),
        Arg("idf_weights", None, any_arg),
        Arg("sparse", False, bool_arg),
        Arg("ragged", False, bool_arg),
        Arg("encoding", "utf-8", any_arg),
    )
    example = ("TextVectorization(max_tokens=100, output_sequence_length=12)", (1,))

    def validate(self) -> None:
        c = self.cfg
        if c["output_sequence_length"] is not None and c["output_mode"] != "int":
            raise ArgError("output_sequence_length applies to output_mode='int' only")

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = tuple(inputs[0])
        c = self.cfg
        if c["output_mode"] == "int":
            return (shape[0], c["output_sequence_length"])
        if c["split"] is None:
            tokens = (*shape, 1) if len(shape) <= 1 else shape
        else:
            tokens = (*shape, None)
        depth = c["max_tokens"] if c["pad_to_max_tokens"] else _vocab_size(c["vocabulary"], 1)
        return _encode_last(tokens, depth, c["output_mode"])


class Hashing(Preprocessing):
    """Hashes values into num_bins ids (same shape), or encodes them on a num_bins axis."""

    keras_name = "Hashing"
    reads_ids = True
    ARGS = (
        Arg("num_bins", convert=int_arg(1)),
        Arg("mask_value", None, any_arg),
        Arg("salt", None, any_arg),
        Arg("output_mode", "int", choice_arg("int", "one_hot", "multi_hot", "count")),
        Arg("sparse", False, bool_arg),
    )
    example = ("Hashing(10, output_mode='multi_hot')", (3,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        if self.cfg["output_mode"] == "int":
            return inputs[0]
        return (*inputs[0][:-1], self.cfg["num_bins"])


class HashedCrossing(Preprocessing):
    """Crosses two categorical features into num_bins hashed ids."""

    keras_name = "HashedCrossing"
    n_inputs: ClassVar[tuple[int, int | None]] = (2, 2)
    ARGS = (
        Arg("num_bins", convert=int_arg(1)),
        Arg("output_mode", "int", choice_arg("int", "one_hot")),
        Arg("sparse", False, bool_arg),
    )
    example = ("HashedCrossing(10, output_mode='one_hot')", [(1,), (1,)])

    def output_shape(self, inputs: list[Shape]) -> Shape:
        a, b = inputs
        if a[-1] != b[-1]:
            raise self.refuse(f"the two inputs {fmt_shape(a)} and {fmt_shape(b)} need the same last axis")
        if self.cfg["output_mode"] == "int":
            return a
        if a[-1] != 1:
            return (*a, self.cfg["num_bins"])
        return (*a[:-1], self.cfg["num_bins"])


class CategoryEncoding(Preprocessing):
    """Integer ids -> one_hot / multi_hot / count vectors of num_tokens."""

    keras_name = "CategoryEncoding"
    reads_ids = True
    ARGS = (
        Arg("num_tokens", None, int_arg(1, allow_none=True)),
        Arg("output_mode", "multi_hot", choice_arg("one_hot", "multi_hot", "count")),
        Arg("sparse", False, bool_arg),
    )
    example = ("CategoryEncoding(5, output_mode='one_hot')", (3,))

    def validate(self) -> None:
        if self.cfg["num_tokens"] is None:
            raise ArgError("num_tokens is required")

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape, n = tuple(inputs[0]), self.cfg["num_tokens"]
        if self.cfg["output_mode"] == "one_hot" and shape[-1] != 1:
            return (*shape, n)
        if self.cfg["output_mode"] == "one_hot" and len(shape) == 1:
            return (*shape, n)
        return (*shape[:-1], n)


class Discretization(Preprocessing):
    """Bins numbers by bin_boundaries (or num_bins learnt by adapt): bin ids of the same
    shape, or an encoded axis of the number of bins."""

    keras_name = "Discretization"
    ARGS = (
        Arg("bin_boundaries", None, any_arg),
        Arg("num_bins", None, int_arg(1, allow_none=True)),
        Arg("epsilon", 0.01, any_arg),
        Arg("output_mode", "int", choice_arg("int", "one_hot", "multi_hot", "count")),
        Arg("sparse", False, bool_arg),
    )
    example = ("Discretization(bin_boundaries=[0.0, 1.0], output_mode='multi_hot')", (3,))

    def validate(self) -> None:
        c = self.cfg
        if c["bin_boundaries"] is not None and c["num_bins"] is not None:
            raise ArgError("give bin_boundaries or num_bins, not both")
        if c["bin_boundaries"] is None and c["num_bins"] is None:
            raise ArgError("give bin_boundaries or num_bins")
        if c["bin_boundaries"] is not None and not isinstance(c["bin_boundaries"], (list, tuple)):
            raise ArgError(f"bin_boundaries must be a list of numbers, got {describe_value(c['bin_boundaries'])}")

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape, c = tuple(inputs[0]), self.cfg
        if c["output_mode"] == "int":
            return shape
        depth = len(c["bin_boundaries"]) + 1 if c["bin_boundaries"] is not None else c["num_bins"]
        if c["output_mode"] == "one_hot":
            return (*shape[:-1], depth) if len(shape) > 1 and shape[-1] == 1 else (*shape, depth)
        return (shape[0], *shape[2:], depth)


class MelSpectrogram(Preprocessing):
    """Audio samples (batch, samples) -> (batch, num_mel_bins, frames), frames =
    (samples + sequence_stride + 1) // sequence_stride (the signal is padded, centred)."""

    keras_name = "MelSpectrogram"
    ARGS = (
        Arg("fft_length", 2048, int_arg(1)),
        Arg("sequence_stride", 512, int_arg(1)),
        Arg("sequence_length", None, int_arg(1, allow_none=True)),
        Arg("window", "hann", any_arg),
        Arg("sampling_rate", 16000, any_arg),
        Arg("num_mel_bins", 128, int_arg(1)),
        Arg("min_freq", 20.0, any_arg),
        Arg("max_freq", None, any_arg),
        Arg("power_to_db", True, bool_arg),
        Arg("top_db", 80.0, any_arg),
        Arg("mag_exp", 2.0, any_arg),
        Arg("min_power", 1e-10, any_arg),
        Arg("ref_power", 1.0, any_arg),
    )
    example = ("MelSpectrogram(fft_length=512, sequence_stride=128, num_mel_bins=40)", (4000,))

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_rank(shape, 2)
        s = self.cfg["sequence_stride"]
        frames = None if shape[1] is None else F.floor_div(shape[1] + s + 1, s)
        return (shape[0], self.cfg["num_mel_bins"], frames)


class STFTSpectrogram(Preprocessing):
    """A short-time Fourier transform as a strided 1-D convolution with DFT kernels (frame
    length x 1 x (fft_length/2 + 1), a real and an imaginary one): (batch, time, channels) ->
    (batch, frames, bins x channels), or (batch, frames, bins, channels) with expand_dims."""

    keras_name = "STFTSpectrogram"
    ARGS = (
        Arg("mode", "log", choice_arg("log", "magnitude", "psd", "real", "imag", "angle", "stft")),
        Arg("frame_length", 256, int_arg(1)),
        Arg("frame_step", None, int_arg(1, allow_none=True)),
        Arg("fft_length", None, int_arg(1, allow_none=True)),
        Arg("window", "hann", any_arg),
        Arg("periodic", False, bool_arg),
        Arg("scaling", "density", any_arg),
        Arg("padding", "valid", choice_arg("valid", "same")),
        Arg("expand_dims", False, bool_arg),
        DATA_FORMAT,
    )
    example = ("STFTSpectrogram(frame_length=64, frame_step=16, fft_length=128, mode='real')", (1000, 2))

    def validate(self) -> None:
        c = self.cfg
        step, n = c["frame_step"], c["frame_length"]
        if step is not None and F.is_int(step) and F.is_int(n) and step > n:
            raise ArgError(f"frame_step ({step}) must not be greater than frame_length ({n})")
        if c["fft_length"] is not None and F.is_int(c["fft_length"]) and F.is_int(n) and c["fft_length"] < n:
            raise ArgError(f"fft_length ({c['fft_length']}) must not be less than frame_length ({n})")

    @property
    def step(self) -> Any:
        return self.cfg["frame_step"] or F.floor_div(self.cfg["frame_length"], 2)

    @property
    def fft(self) -> Any:
        n = self.cfg["fft_length"]
        if n is not None:
            return n
        n, p = self.cfg["frame_length"], 1
        while p < n:
            p *= 2
        return p

    def bins(self) -> Any:
        return F.floor_div(self.fft, 2) + 1

    def output_shape(self, inputs: list[Shape]) -> Shape:
        shape = inputs[0]
        self.require_rank(shape, 3)
        last = channels_last(self)
        time, ch = (shape[1], shape[2]) if last else (shape[2], shape[1])
        freq = self.bins() * (2 if self.cfg["mode"] == "stft" else 1)
        frames = F.conv_output_length(time, self.cfg["frame_length"], self.step, self.cfg["padding"], 1)
        if frames is not None and F.is_int(frames) and frames <= 0:
            raise self.refuse(f"frame_length {self.cfg['frame_length']} is longer than the signal {fmt_shape(shape)}")
        if self.cfg["expand_dims"]:
            return (shape[0], frames, freq, ch) if last else (shape[0], ch, frames, freq)
        chans = None if ch is None else freq * ch
        return (shape[0], frames, chans) if last else (shape[0], chans, frames)

    def weights(self, inputs: list[Shape]) -> list[Weight]:
        shape = (self.cfg["frame_length"], 1, self.bins())
        mode = self.cfg["mode"]
        ws = []
        if mode != "imag":
            ws.append(Weight("real_kernel", shape))
        if mode != "real":
            ws.append(Weight("imag_kernel", shape))
        return ws
