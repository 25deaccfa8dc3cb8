"""Keras parity: every registered layer type, and many argument variants, built in real
Keras 3 and in archcalc, must give the same output shape and the same trainable and
non-trainable parameter counts, or both must refuse to build.

The layer is written once as call text; ``kerasref`` hands the same text to Keras (via
archcalc's call parser) and to archcalc (via a YAML spec), so no expected number is
written by hand.
"""

from __future__ import annotations

import pytest

pytest.importorskip("keras")

from kerasref import Refused, archcalc_stack, assert_same, keras_stack  # noqa: E402

from archcalc.errors import ShapeError, SpecError  # noqa: E402
from archcalc.layers.registry import REGISTRY, canonical_types  # noqa: E402

pytestmark = [
    pytest.mark.keras,
    pytest.mark.filterwarnings("ignore:You passed `rms_scaling=True`"),
]

CANONICAL = canonical_types()
ALIASES = sorted((name, cls) for name, cls in REGISTRY.items() if name != cls.keras_name)


def _ids(cases):
    return [c[0] for c in cases]


# --- every registered layer type ---------------------------------------------------------


def test_every_canonical_type_has_an_example():
    missing = [c.keras_name for c in CANONICAL if c.example is None]
    assert not missing, f"layer types without an `example` (the parity test needs one): {missing}"


@pytest.mark.parametrize("cls", CANONICAL, ids=[c.keras_name for c in CANONICAL])
def test_registered_type_matches_keras(cls):
    import keras

    assert hasattr(keras.layers, cls.keras_name), f"keras.layers has no {cls.keras_name}"
    assert cls.example is not None, f"{cls.keras_name} has no example"
    text, shape = cls.example
    # a type used only inside another layer (an RNN cell) is shown wrapped: RNN(LSTMCell(4))
    used = text.startswith(cls.keras_name + "(") or (
        getattr(cls, "inner_only", False) and f"({cls.keras_name}(" in text)
    assert used, f"example {text!r} does not use {cls.keras_name}"
    # keras_model_fails: Keras builds the layer but not a keras.Model around it (a Keras bug)
    result = assert_same([text], shape, model=not getattr(cls, "keras_model_fails", False))
    assert not isinstance(result, Refused), f"Keras refuses the example {text!r}: {result.error}"


@pytest.mark.parametrize("name,cls", ALIASES, ids=[a[0] for a in ALIASES])
def test_alias_is_the_same_keras_class(name, cls):
    import keras

    assert getattr(keras.layers, name) is getattr(keras.layers, cls.keras_name)
    text, shape = cls.example
    result = assert_same([name + text[len(cls.keras_name):]], shape, model=False)
    assert not isinstance(result, Refused)


SAVED_ONLY = canonical_types(saved=True)


@pytest.mark.parametrize("cls", SAVED_ONLY, ids=[c.keras_name for c in SAVED_ONLY])
def test_config_only_type_matches_keras(cls):
    """A class Keras defines outside keras.layers (ConvNeXt's LayerScale): built from its
    Keras module with the class's ``example``, saved with to_json() and read back, it gives
    Keras's output shape and both counts."""
    import ast
    import importlib
    import json

    import keras

    from archcalc import analyze
    from archcalc.readers.keras_json import load_config

    assert cls.example is not None, f"{cls.keras_name} has no example"
    text, shape = cls.example
    call = ast.parse(text, mode="eval").body
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == cls.keras_name, text
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    keras_cls = getattr(importlib.import_module(cls.keras_module), cls.keras_name)
    shapes = shape if isinstance(shape, list) else [shape]
    inputs = [keras.Input(s) for s in shapes]
    layer = keras_cls(*args, **kwargs, name="probe")
    model = keras.Model(inputs, layer(inputs if isinstance(shape, list) else inputs[0]))
    row = analyze(load_config(json.loads(model.to_json()), "probe.json")).by_name["probe"]
    assert row.output_shape == tuple(model.output.shape)
    assert (row.trainable_params, row.non_trainable_params) == (
        _size(layer.trainable_weights), _size(layer.non_trainable_weights))
    # emit and to_keras write archcalc's copy of the class (keras_bridge/helper_layers.py)
    from archcalc.keras_bridge import helper_layers

    assert cls.keras_name in helper_layers.SOURCES, f"emit cannot write {cls.keras_name}"
    ours = helper_layers.classes()[cls.keras_name](*args, **kwargs)
    again = [keras.Input(s) for s in shapes]
    out = ours(again if isinstance(shape, list) else again[0])
    assert tuple(out.shape) == row.output_shape
    assert (_size(ours.trainable_weights), _size(ours.non_trainable_weights)) == (
        row.trainable_params, row.non_trainable_params)


def _size(weights):
    return sum(int(w.numpy().size) for w in weights)


# --- argument variants, per family -------------------------------------------------------

CF = "data_format='channels_first'"

CASES = [
    # core
    ("dense-3d", ["Dense(4)"], (5, 3)),
    ("dense-unknown-steps", ["Dense(4, use_bias=False)"], (None, 3)),
    ("dense-frozen", ["Dense(4, trainable=False)"], (6,)),
    ("embedding-2d-input", ["Embedding(50, 8)"], (4, 5)),
    ("embedding-unknown-length", ["Embedding(50, 8, mask_zero=True)"], (None,)),
    ("embedding-frozen", ["Embedding(20, 3, trainable=False)"], (5,)),
    ("normalization-mean-variance", ["Normalization(mean=2.0, variance=3.0)"], (4,)),
    ("normalization-axis-none", ["Normalization(axis=None)"], (4, 3)),
    ("normalization-axis-1", ["Normalization(axis=1)"], (4, 3)),
    ("normalization-axis-tuple", ["Normalization(axis=(1, 2))"], (4, 3, 2)),
    ("rescaling-offset", ["Rescaling(2.0, offset=-1.0)"], (3, 3)),
    # activations
    ("prelu-default", ["PReLU()"], (4, 3)),
    ("prelu-shared-int", ["PReLU(shared_axes=1)"], (4, 3)),
    ("prelu-shared-all", ["PReLU(shared_axes=[1, 2, 3])"], (4, 4, 2)),
    ("prelu-frozen", ["PReLU(trainable=False)"], (4,)),
    ("softmax-axis", ["Softmax(axis=1)"], (4, 3)),
    ("leakyrelu-default", ["LeakyReLU()"], (4,)),
    # regularization
    ("dropout-noise-shape", ["Dropout(0.3, noise_shape=(None, 1, 4))"], (5, 4)),
    ("spatialdropout2d-cf", [f"SpatialDropout2D(0.1, {CF})"], (3, 5, 5)),
    # reshaping
    ("flatten-1d", ["Flatten()"], (7,)),
    ("flatten-cf", [f"Flatten({CF})"], (3, 4, 5)),
    ("flatten-unknown", ["Flatten()"], (None, 4)),
    ("reshape-minus-one-first", ["Reshape((-1,))"], (4, 4, 2)),
    ("reshape-minus-one-middle", ["Reshape((2, -1, 3))"], (4, 6)),
    ("reshape-explicit", ["Reshape((8, 3))"], (4, 6)),
    ("reshape-unknown", ["Reshape((-1, 2))"], (None, 4)),
    ("permute-3", ["Permute((3, 1, 2))"], (4, 5, 6)),
    ("permute-unknown", ["Permute((2, 1))"], (None, 6)),
    ("repeatvector", ["RepeatVector(5)"], (3,)),
    ("zeropadding1d-int", ["ZeroPadding1D(3)"], (4, 2)),
    ("zeropadding2d-pair", ["ZeroPadding2D((1, 2))"], (4, 4, 2)),
    ("zeropadding2d-cf", [f"ZeroPadding2D(((1, 0), (2, 3)), {CF})"], (2, 4, 5)),
    ("zeropadding3d-pairs", ["ZeroPadding3D(((1, 0), (0, 2), (1, 1)))"], (3, 3, 3, 2)),
    ("zeropadding3d-cf", [f"ZeroPadding3D(1, {CF})"], (2, 3, 3, 3)),
    ("cropping1d-int", ["Cropping1D(2)"], (7, 2)),
    ("cropping2d-int", ["Cropping2D(1)"], (6, 6, 2)),
    ("cropping2d-cf", [f"Cropping2D(((1, 0), (2, 1)), {CF})"], (2, 6, 7)),
    ("cropping3d-pairs", ["Cropping3D(((1, 0), (0, 2), (1, 1)))"], (4, 4, 4, 2)),
    ("cropping3d-cf", [f"Cropping3D(1, {CF})"], (2, 4, 4, 4)),
    ("cropping2d-unknown", ["Cropping2D(1)"], (None, 6, 2)),
    ("upsampling1d-default", ["UpSampling1D()"], (4, 2)),
    ("upsampling2d-cf", [f"UpSampling2D((2, 3), {CF})"], (2, 4, 5)),
    ("upsampling2d-bilinear", ["UpSampling2D(2, interpolation='bilinear')"], (4, 4, 2)),
    ("upsampling3d-tuple", ["UpSampling3D((1, 2, 3))"], (2, 3, 3, 2)),
    ("upsampling3d-cf", [f"UpSampling3D(2, {CF})"], (2, 2, 3, 3)),
    # convolutions
    ("conv1d-causal-dilated", ["Conv1D(4, 3, padding='causal', dilation_rate=2)"], (20, 3)),
    ("conv1d-valid-stride3", ["Conv1D(4, 5, strides=3)"], (20, 3)),
    ("conv1d-same-stride2-odd", ["Conv1D(4, 4, strides=2, padding='same')"], (11, 3)),
    ("conv1d-cf", [f"Conv1D(4, 3, {CF})"], (3, 10)),
    ("conv1d-causal-groups", ["Conv1D(6, 3, padding='causal', groups=3)"], (9, 6)),
    ("conv1d-unknown-steps", ["Conv1D(4, 3, strides=2)"], (None, 3)),
    ("conv2d-rect-kernel", ["Conv2D(6, (3, 5), strides=(2, 1), padding='same')"], (11, 13, 4)),
    ("conv2d-groups-nobias", ["Conv2D(6, 3, groups=3, use_bias=False)"], (9, 9, 6)),
    ("conv2d-cf", [f"Conv2D(4, 3, strides=2, {CF})"], (3, 10, 10)),
    ("conv2d-cf-same-dilated", [f"Conv2D(4, 3, padding='same', dilation_rate=(1, 3), {CF})"], (3, 10, 10)),
    ("conv2d-valid-exact", ["Conv2D(2, 5)"], (5, 5, 1)),
    ("conv2d-frozen", ["Conv2D(4, 3, trainable=False)"], (6, 6, 2)),
    ("conv3d-cf", [f"Conv3D(4, (2, 3, 3), {CF})"], (2, 6, 7, 8)),
    ("conv3d-same-stride", ["Conv3D(2, 3, strides=2, padding='same')"], (5, 6, 7, 1)),
    ("conv1dtranspose-valid", ["Conv1DTranspose(4, 3)"], (7, 3)),
    ("conv1dtranspose-same-op", ["Conv1DTranspose(4, 4, strides=3, padding='same', output_padding=2)"], (5, 2)),
    ("conv1dtranspose-kernel-lt-stride", ["Conv1DTranspose(4, 2, strides=3)"], (5, 2)),
    ("conv2dtranspose-valid-stride2", ["Conv2DTranspose(4, 3, strides=2)"], (5, 5, 3)),
    ("conv2dtranspose-valid-op", ["Conv2DTranspose(4, 3, strides=2, output_padding=1)"], (5, 5, 3)),
    ("conv2dtranspose-same-stride3", ["Conv2DTranspose(4, 3, strides=3, padding='same')"], (5, 5, 3)),
    ("conv2dtranspose-dilated", ["Conv2DTranspose(4, 3, dilation_rate=2)"], (5, 5, 3)),
    ("conv2dtranspose-cf-nobias", [f"Conv2DTranspose(4, (2, 3), strides=(2, 1), use_bias=False, {CF})"], (3, 5, 6)),
    ("conv3dtranspose-cf", [f"Conv3DTranspose(2, 3, strides=2, padding='same', {CF})"], (2, 3, 4, 5)),
    ("depthwise2d-multiplier-nobias", ["DepthwiseConv2D(3, depth_multiplier=3, use_bias=False)"], (8, 8, 2)),
    ("depthwise2d-cf", [f"DepthwiseConv2D((3, 2), strides=(2, 1), {CF})"], (3, 9, 9)),
    ("depthwise2d-dilated", ["DepthwiseConv2D(3, dilation_rate=2, padding='same')"], (9, 9, 2)),
    ("depthwise1d-same-stride", ["DepthwiseConv1D(3, strides=2, padding='same', depth_multiplier=2)"], (9, 3)),
    ("separable2d-cf-multiplier", [f"SeparableConv2D(8, 3, strides=2, depth_multiplier=2, use_bias=False, {CF})"], (3, 9, 9)),
    ("separable2d-dilated", ["SeparableConv2D(4, 3, dilation_rate=2)"], (9, 9, 3)),
    ("separable1d-frozen", ["SeparableConv1D(4, 3, trainable=False)"], (9, 3)),
    # pooling
    ("maxpool1d-default", ["MaxPooling1D()"], (9, 3)),
    ("maxpool1d-cf", [f"MaxPooling1D(2, {CF})"], (3, 9)),
    ("maxpool2d-same-stride2", ["MaxPooling2D(3, strides=2, padding='same')"], (9, 9, 3)),
    ("maxpool2d-cf", [f"MaxPooling2D(3, strides=2, padding='same', {CF})"], (3, 9, 8)),
    ("maxpool2d-rect", ["MaxPooling2D((2, 3), strides=(1, 2))"], (7, 9, 3)),
    ("avgpool1d-same", ["AveragePooling1D(3, strides=1, padding='same')"], (9, 3)),
    ("avgpool2d-cf", [f"AveragePooling2D(2, {CF})"], (3, 7, 7)),
    ("avgpool3d-cf", [f"AveragePooling3D(2, padding='same', {CF})"], (2, 5, 5, 5)),
    ("maxpool3d-strides", ["MaxPooling3D(3, strides=(1, 2, 2))"], (4, 7, 7, 2)),
    ("globalmax1d-keepdims", ["GlobalMaxPooling1D(keepdims=True)"], (7, 4)),
    ("globalavg2d-cf-keepdims", [f"GlobalAveragePooling2D({CF}, keepdims=True)"], (4, 5, 5)),
    ("globalavg1d-cf", [f"GlobalAveragePooling1D({CF})"], (4, 7)),
    ("globalmax3d-cf", [f"GlobalMaxPooling3D({CF})"], (4, 2, 2, 2)),
    ("globalavg1d-unknown", ["GlobalAveragePooling1D()"], (None, 4)),
    # normalization
    ("batchnorm-default", ["BatchNormalization()"], (6, 6, 5)),
    ("batchnorm-no-center-no-scale", ["BatchNormalization(center=False, scale=False)"], (6, 5)),
    ("batchnorm-scale-only", ["BatchNormalization(center=False)"], (5,)),
    ("batchnorm-renorm", ["BatchNormalization(renorm=True)"], (6, 5)),
    ("batchnorm-axis1", ["BatchNormalization(axis=1)"], (3, 5, 5)),
    ("batchnorm-frozen", ["BatchNormalization(trainable=False)"], (4,)),
    ("layernorm-default", ["LayerNormalization()"], (4, 3)),
    ("layernorm-axis-minus2", ["LayerNormalization(axis=-2)"], (4, 3)),
    ("layernorm-axis-list", ["LayerNormalization(axis=[-1, -2])"], (5, 4, 3)),
    ("layernorm-rms", ["LayerNormalization(rms_scaling=True)"], (4, 3)),
    ("layernorm-no-center", ["LayerNormalization(center=False)"], (4, 3)),
    ("layernorm-no-scale", ["LayerNormalization(scale=False)"], (4, 3)),
    ("groupnorm-minus1", ["GroupNormalization(groups=-1)"], (5, 5, 6)),
    ("groupnorm-axis1", ["GroupNormalization(groups=3, axis=1)"], (6, 4, 4)),
    ("groupnorm-no-center", ["GroupNormalization(groups=2, center=False)"], (4, 4)),
    ("groupnorm-equal", ["GroupNormalization(groups=4)"], (4, 4)),
    ("unitnorm-axis-list", ["UnitNormalization(axis=[1, 2])"], (4, 3)),
    # recurrent
    ("simplernn-state", ["SimpleRNN(3, return_state=True)"], (5, 2)),
    ("simplernn-nobias", ["SimpleRNN(3, use_bias=False)"], (5, 2)),
    ("lstm-sequences-state", ["LSTM(5, return_sequences=True, return_state=True)"], (6, 3)),
    ("lstm-nobias", ["LSTM(4, use_bias=False)"], (6, 3)),
    ("lstm-unknown-steps", ["LSTM(4, return_sequences=True)"], (None, 3)),
    ("lstm-frozen", ["LSTM(4, trainable=False)"], (6, 3)),
    ("gru-reset-after", ["GRU(4, reset_after=True)"], (6, 3)),
    ("gru-reset-before", ["GRU(4, reset_after=False, return_sequences=True)"], (6, 3)),
    ("gru-state", ["GRU(4, return_state=True)"], (6, 3)),
    ("gru-nobias", ["GRU(4, use_bias=False)"], (6, 3)),
    ("gru-nobias-reset-before", ["GRU(4, use_bias=False, reset_after=False)"], (6, 3)),
    ("bidir-sum", ["Bidirectional(LSTM(4), merge_mode='sum')"], (6, 3)),
    ("bidir-ave", ["Bidirectional(GRU(4, return_sequences=True), merge_mode='ave')"], (6, 3)),
    ("bidir-mul", ["Bidirectional(SimpleRNN(4), merge_mode='mul')"], (6, 3)),
    ("bidir-none", ["Bidirectional(LSTM(4), merge_mode=None)"], (6, 3)),
    ("bidir-none-seq", ["Bidirectional(GRU(3, return_sequences=True), merge_mode=None)"], (6, 3)),
    ("bidir-state", ["Bidirectional(LSTM(4, return_state=True))"], (6, 3)),
    ("bidir-state-seq-sum", ["Bidirectional(GRU(4, return_state=True, return_sequences=True), merge_mode='sum')"], (6, 3)),
    ("bidir-backward-layer", ["Bidirectional(LSTM(4), backward_layer=LSTM(4, go_backwards=True, use_bias=False))"], (6, 3)),
    ("bidir-forward-go-backwards", ["Bidirectional(LSTM(4, go_backwards=True), backward_layer=LSTM(4))"], (6, 3)),
    ("bidir-backward-gru", ["Bidirectional(GRU(4, return_sequences=True), backward_layer=GRU(4, return_sequences=True, go_backwards=True, reset_after=False))"], (6, 3)),
    ("bidir-frozen", ["Bidirectional(LSTM(4), trainable=False)"], (6, 3)),
    ("timedistributed-conv2d", ["TimeDistributed(Conv2D(4, 3))"], (5, 8, 8, 3)),
    ("timedistributed-dense-nobias", ["TimeDistributed(Dense(3, use_bias=False))"], (None, 4)),
    ("timedistributed-flatten", ["TimeDistributed(Flatten())"], (5, 3, 4)),
    ("timedistributed-bn", ["TimeDistributed(BatchNormalization())"], (5, 3)),
    ("timedistributed-maxpool", ["TimeDistributed(MaxPooling2D())"], (5, 6, 6, 2)),
    ("timedistributed-frozen", ["TimeDistributed(Dense(3), trainable=False)"], (5, 4)),
    # merging
    ("add-three", ["Add()"], [(4, 3), (4, 3), (4, 3)]),
    ("add-broadcast-1", ["Add()"], [(4, 1), (4, 3)]),
    ("multiply-unknown", ["Multiply()"], [(None, 3), (5, 3)]),
    ("concatenate-axis1", ["Concatenate(axis=1)"], [(3, 4), (5, 4)]),
    ("concatenate-axis-minus2", ["Concatenate(axis=-2)"], [(4, 3, 2), (4, 5, 2)]),
    ("concatenate-three", ["Concatenate()"], [(4, 1), (4, 2), (4, 3)]),
    ("concatenate-unknown", ["Concatenate()"], [(None, 1), (None, 2)]),
    ("dot-axes-pair", ["Dot(axes=(1, 2))"], [(3, 4), (5, 3)]),
    ("dot-axes-2", ["Dot(axes=2)"], [(3, 4), (5, 4)]),
    ("dot-axes-minus1", ["Dot(axes=-1)"], [(3, 4), (3, 4)]),
    ("dot-normalize", ["Dot(axes=1, normalize=True)"], [(4,), (4,)]),
    # short stacks
    ("stack-cnn", ["Conv2D(8, 3, padding='same')", "BatchNormalization()", "MaxPooling2D()",
                   "Flatten()", "Dense(10)"], (8, 8, 3)),
    ("stack-sentiment", ["Embedding(100, 8)", "LSTM(6, return_sequences=True)",
                         "Bidirectional(GRU(4))", "Dense(1)"], (12,)),
]


@pytest.mark.parametrize("case_id,calls,inputs", CASES, ids=_ids(CASES))
def test_variant_matches_keras(case_id, calls, inputs):
    result = assert_same(calls, inputs)
    assert not isinstance(result, Refused), f"Keras refuses {calls}: {result.error}"


# --- refusal parity: what Keras will not build, archcalc refuses too ---------------------

REFUSALS = [
    ("conv-valid-to-zero", ["Conv2D(4, 5)"], (4, 4, 1)),
    ("conv-valid-to-negative", ["Conv1D(4, 7)"], (4, 1)),
    ("conv-dilated-to-zero", ["Conv2D(4, 3, dilation_rate=3)"], (6, 6, 1)),
    ("conv-on-2d-tensor", ["Conv2D(4, 3)"], (10,)),
    ("conv1d-on-4d-spatial", ["Conv1D(4, 3)"], (10,)),
    ("conv-strides-and-dilation", ["Conv2D(4, 3, strides=2, dilation_rate=2)"], (10, 10, 1)),
    ("conv1d-strides-and-dilation", ["Conv1D(4, 3, strides=2, dilation_rate=2)"], (10, 1)),
    ("conv-groups-channels", ["Conv2D(4, 3, groups=2)"], (8, 8, 3)),
    ("conv-groups-filters", ["Conv2D(5, 3, groups=2)"], (8, 8, 4)),
    ("conv-causal-2d", ["Conv2D(4, 3, padding='causal')"], (8, 8, 1)),
    ("conv-unknown-channels", ["Conv2D(4, 3)"], (8, 8, None)),
    ("transpose-output-padding-ge-strides", ["Conv2DTranspose(4, 3, strides=2, output_padding=2)"], (5, 5, 1)),
    ("transpose-strides-and-dilation", ["Conv2DTranspose(4, 3, strides=2, dilation_rate=2)"], (5, 5, 1)),
    ("separable1d-causal", ["SeparableConv1D(4, 3, padding='causal')"], (9, 3)),
    ("depthwise-valid-to-zero", ["DepthwiseConv2D(5)"], (4, 4, 1)),
    ("separable-valid-to-zero", ["SeparableConv1D(2, 5)"], (4, 1)),
    ("pool-valid-to-zero", ["MaxPooling2D(3)"], (2, 2, 1)),
    ("pool-on-3d", ["MaxPooling2D()"], (4, 4)),
    ("globalpool-rank", ["GlobalMaxPooling2D()"], (4, 4)),
    ("add-unequal", ["Add()"], [(4, 3), (4, 5)]),
    ("subtract-three", ["Subtract()"], [(4,), (4,), (4,)]),
    ("concatenate-mismatch", ["Concatenate()"], [(4, 3), (5, 3)]),
    ("concatenate-rank", ["Concatenate()"], [(4, 3), (4,)]),
    ("dot-mismatch", ["Dot(axes=1)"], [(4,), (5,)]),
    ("reshape-count", ["Reshape((7,))"], (4, 4)),
    ("reshape-minus-one-indivisible", ["Reshape((-1, 3))"], (4, 4)),
    ("permute-length", ["Permute((2, 1))"], (4, 4, 2)),
    ("groupnorm-not-dividing", ["GroupNormalization(groups=3)"], (4, 4, 4)),
    ("groupnorm-more-groups", ["GroupNormalization(groups=8)"], (4, 4)),
    ("cropping1d-everything", ["Cropping1D((3, 3))"], (6, 3)),
    ("cropping2d-everything", ["Cropping2D(((2, 2), (0, 0)))"], (4, 5, 1)),
    ("cropping2d-beyond", ["Cropping2D(3)"], (5, 5, 1)),
    ("lstm-on-2d", ["LSTM(4)"], (10,)),
    ("rnn-unknown-features", ["GRU(4)"], (5, None)),
    ("repeatvector-on-3d", ["RepeatVector(3)"], (4, 2)),
    ("dense-unknown-features", ["Dense(4)"], (None,)),
    ("spatialdropout1d-rank", ["SpatialDropout1D(0.1)"], (4,)),
    ("bidirectional-not-rnn", ["Bidirectional(Dense(3))"], (4, 2)),
    ("bidir-backward-not-backwards", ["Bidirectional(LSTM(4), backward_layer=LSTM(4))"], (6, 3)),
    ("bidir-forward-go-backwards-default", ["Bidirectional(GRU(4, go_backwards=True))"], (6, 3)),
    ("bidir-sequences-differ", ["Bidirectional(LSTM(4, return_sequences=True), backward_layer=LSTM(4, go_backwards=True))"], (6, 3)),
    ("bidir-state-differs", ["Bidirectional(LSTM(4), backward_layer=LSTM(4, go_backwards=True, return_state=True))"], (6, 3)),
    ("timedistributed-2d", ["TimeDistributed(Dense(3))"], (4,)),
    ("normalization-unknown-axis", ["Normalization()"], (4, None)),
    ("batchnorm-unknown-axis", ["BatchNormalization()"], (4, None)),
    ("repeatvector-zero", ["RepeatVector(0)"], (4,)),
    ("relu-negative-max-value", ["ReLU(max_value=-1.0)"], (6,)),
    ("relu-negative-threshold", ["ReLU(threshold=-1.0)"], (6,)),
    ("gaussiannoise-stddev-above-1", ["GaussianNoise(1.5)"], (6,)),
    ("normalization-repeated-axis", ["Normalization(axis=[1, -2])"], (4, 3)),
    ("stack-shrinks", ["Conv2D(4, 3)", "MaxPooling2D()", "Conv2D(4, 3)", "Conv2D(4, 3)"], (8, 8, 1)),
]


@pytest.mark.parametrize("case_id,calls,inputs", REFUSALS, ids=_ids(REFUSALS))
def test_refusal_matches_keras(case_id, calls, inputs):
    keras_result = keras_stack(calls, inputs)
    assert isinstance(keras_result, Refused), f"Keras builds {calls} on {inputs}: {keras_result}"
    ours = archcalc_stack(calls, inputs)
    assert isinstance(ours, Refused), f"archcalc accepts {calls} on {inputs}: {ours}"
    assert ours.index == keras_result.index, (
        f"archcalc refuses at l{ours.index}, Keras at l{keras_result.index}: {ours.error}"
    )
    assert ours.error.startswith(("ShapeError", "SpecError"))


# --- deliberate differences --------------------------------------------------------------


@pytest.mark.parametrize("layer", ["Dropout", "SpatialDropout1D", "GaussianDropout", "AlphaDropout"])
def test_rate_one_is_refused_although_keras_accepts_it(layer):
    """archcalc refuses rate=1.0 (every unit dropped is never meant); Keras builds it."""
    shape = (4, 3)
    keras_result = keras_stack([f"{layer}(1.0)"], shape)
    assert not isinstance(keras_result, Refused), keras_result
    ours = archcalc_stack([f"{layer}(1.0)"], shape)
    assert isinstance(ours, Refused)
    assert ours.error.startswith("SpecError") and "rate" in ours.error
    # just below 1 both build
    assert_same([f"{layer}(0.99)"], shape)


DIFFERENCES = [
    # merging one tensor is a no-op; archcalc takes it for a forgotten list: Add()([a, b])
    ("add-of-one", ["Add()"], [(4,)]),
    ("maximum-of-one", ["Maximum()"], [(4,)]),
    # Keras concatenates along the batch axis; in a model that is a mistake (Dot(axes=0), which
    # contracts it, is read as Keras builds it: tests/test_differential_keras.py)
    ("concatenate-batch-axis", ["Concatenate(axis=0)"], [(4,), (4,)]),
    ("concatenate-batch-axis-negative", ["Concatenate(axis=-3)"], [(4, 3), (4, 3)]),
    # Keras clips recurrent dropout into [0, 1]; archcalc refuses a rate it would clip
    ("rnn-dropout-above-1", ["LSTM(3, dropout=1.5)"], (6, 3)),
]


@pytest.mark.parametrize("case_id,calls,inputs", DIFFERENCES, ids=_ids(DIFFERENCES))
def test_deliberate_refusals_keras_accepts(case_id, calls, inputs):
    """archcalc refuses these on purpose (see the comments above); Keras builds them."""
    keras_result = keras_stack(calls, inputs, model=False)
    assert not isinstance(keras_result, Refused), keras_result
    ours = archcalc_stack(calls, inputs)
    assert isinstance(ours, Refused), ours
    assert ours.error.startswith(("ShapeError", "SpecError"))


def test_bidirectional_backward_width_follows_what_keras_computes():
    """A backward layer wider than the forward one: Keras's symbolic shape doubles the
    forward width ((None, 8)), but the model really outputs forward + backward units
    ((None, 10)). archcalc reports what running the model gives; the weights agree."""
    import keras
    import numpy as np
    from kerasref import keras_layer

    text = "Bidirectional(LSTM(4), backward_layer=LSTM(6, go_backwards=True))"
    x = keras.Input((6, 3))
    layer = keras_layer(text)
    y = layer(x)
    assert tuple(y.shape) == (None, 8)
    ran = keras.Model(x, y)(np.zeros((2, 6, 3), "float32"))
    (ours,) = archcalc_stack([text], (6, 3))
    assert ours.output == (None, *ran.shape[1:]) == (None, 10)
    assert ours.trainable == sum(int(np.prod(w.shape)) for w in layer.trainable_weights)


def test_bidirectional_elementwise_merge_of_unequal_widths_is_refused():
    """merge_mode='sum' of 4 and 6 units: Keras builds the graph but fails when run."""
    import keras
    import numpy as np
    from kerasref import keras_layer

    text = "Bidirectional(LSTM(4), merge_mode='sum', backward_layer=LSTM(6, go_backwards=True))"
    x = keras.Input((6, 3))
    model = keras.Model(x, keras_layer(text)(x))
    with pytest.raises(Exception):  # noqa: B017  (whatever the backend raises)
        model(np.zeros((2, 6, 3), "float32"))
    ours = archcalc_stack([text], (6, 3))
    assert isinstance(ours, Refused) and ours.error.startswith("ShapeError")


def test_errors_are_archcalc_errors():
    """The refusal helper only counts ArchcalcError subclasses as refusals."""
    from kerasref import spec_text

    from archcalc.engine import analyze
    from archcalc.readers.yaml_spec import load_text

    with pytest.raises(ShapeError):
        analyze(load_text(spec_text(["Conv2D(4, 5)"], (4, 4, 1))))
    with pytest.raises(SpecError):
        load_text(spec_text(["Conv2D(4, 3, strides=2, dilation_rate=2)"], (9, 9, 1)))


@pytest.mark.keras
@pytest.mark.parametrize("name", ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
                                  "AveragePooling2D", "AveragePooling3D"])
def test_pool_size_default_matches_keras(name):
    """Keras 3 gives MaxPooling a default pool_size but requires one for AveragePooling."""
    import inspect

    import keras

    from archcalc.errors import SpecError
    from archcalc.layers.registry import lookup

    keras_default = inspect.signature(getattr(keras.layers, name).__init__).parameters["pool_size"].default
    if keras_default is inspect.Parameter.empty:
        with pytest.raises(SpecError, match="required argument 'pool_size'"):
            lookup(name).bind([], {})
    else:
        layer = lookup(name).bind([], {})
        rank = layer.RANK
        expected = keras_default if isinstance(keras_default, tuple) else (keras_default,) * rank
        assert layer.cfg["pool_size"] == expected
