"""Keras 3 layer families (attention, EinsumDense, RNN cells, ConvLSTM, preprocessing and
augmentation, text and category layers, spectrograms): parity with real Keras, and the
check that every class of the installed ``keras.layers`` is accounted for.

Each case is call text built in Keras (``keras3ref``) and in archcalc (a YAML spec); the
output shapes and both parameter counts must agree, or both must refuse.
"""

from __future__ import annotations

import inspect

import pytest

pytest.importorskip("keras")

from keras3ref import Refused, assert_same_one, keras_one  # noqa: E402
from kerasref import archcalc_stack  # noqa: E402

from archcalc.layers import refusals  # noqa: E402
from archcalc.layers.registry import REGISTRY  # noqa: E402

pytestmark = [pytest.mark.keras]


def _keras_layer_classes() -> list[str]:
    import keras

    return sorted(
        n for n in dir(keras.layers)
        if inspect.isclass(getattr(keras.layers, n)) and issubclass(getattr(keras.layers, n), keras.layers.Layer)
    )


KERAS_CLASSES = _keras_layer_classes()


@pytest.mark.parametrize("name", KERAS_CLASSES)
def test_every_keras_layer_class_is_accounted_for(name):
    """Registered, or in the documented refusal list; a Keras upgrade that adds a layer fails
    here instead of going unnoticed."""
    registered = name in REGISTRY
    refused = name in refusals.REFUSED
    assert registered or refused, f"keras.layers.{name} is neither registered nor in archcalc.layers.refusals"
    assert not (registered and refused), f"{name} is both registered and refused"


def test_the_refusal_list_names_only_keras_classes():
    stale = sorted(set(refusals.REFUSED) - set(KERAS_CLASSES))
    assert not stale, f"refusals of classes keras.layers no longer has: {stale}"


def test_registered_names_are_keras_classes_with_the_same_class():
    import keras

    for name, cls in REGISTRY.items():
        if not getattr(cls, "keras_name", ""):
            continue
        assert hasattr(keras.layers, name), name
        assert getattr(keras.layers, name) is getattr(keras.layers, cls.keras_name), name


TWO = [(6, 8), (5, 8)]

CASES = [
    # EinsumDense
    ("einsum-plain", "EinsumDense('ab,bc->ac', output_shape=4, bias_axes='c')", (3,)),
    ("einsum-none-axis", "EinsumDense('abc,cd->abd', output_shape=(None, 4), bias_axes='d')", (5, 3)),
    ("einsum-known-axis", "EinsumDense('abc,cd->abd', output_shape=(5, 4))", (5, 3)),
    ("einsum-heads", "EinsumDense('abc,cde->abde', output_shape=(5, 2, 4), bias_axes='de', activation='relu')", (5, 3)),
    ("einsum-left-elided", "EinsumDense('...b,bc->...c', output_shape=4, bias_axes='c')", (5, 6, 3)),
    ("einsum-right-elided", "EinsumDense('ab...,bc->ac...', output_shape=4, bias_axes='c')", (3, 6, 2)),
    ("einsum-bias-middle", "EinsumDense('abc,cd->abd', output_shape=(5, 4), bias_axes='b')", (5, 3)),
    ("einsum-bad-axis", "EinsumDense('ab,bc->ad', output_shape=4)", (3,)),
    ("einsum-bad-bias", "EinsumDense('ab,bc->ac', output_shape=4, bias_axes='b')", (3,)),
    ("einsum-mismatch", "EinsumDense('abc,cd->abd', output_shape=(6, 4))", (5, 3)),
    # MultiHeadAttention
    ("mha-self", "MultiHeadAttention(2, 4)", [(6, 8), (6, 8)]),
    ("mha-cross", "MultiHeadAttention(2, 4)", TWO),
    ("mha-key", "MultiHeadAttention(3, 4, value_dim=5)", [(6, 8), (5, 7), (5, 3)]),
    ("mha-no-bias", "MultiHeadAttention(2, 4, use_bias=False)", TWO),
    ("mha-output-int", "MultiHeadAttention(2, 4, output_shape=10)", TWO),
    ("mha-output-tuple", "MultiHeadAttention(2, 4, output_shape=(3, 2))", TWO),
    ("mha-gate", "MultiHeadAttention(2, 4, value_dim=3, use_gate=True)", TWO),
    ("mha-4d", "MultiHeadAttention(2, 4)", [(3, 6, 8), (3, 6, 8)]),
    ("mha-4d-axes", "MultiHeadAttention(2, 4, attention_axes=(2,))", [(3, 6, 8), (3, 5, 8)]),
    ("mha-4d-axes-int", "MultiHeadAttention(2, 4, attention_axes=1)", [(3, 6, 8), (4, 6, 8)]),
    ("mha-causal", "MultiHeadAttention(2, 4, use_causal_mask=True)", [(6, 8), (6, 8)]),
    ("mha-frozen", "MultiHeadAttention(2, 4, trainable=False)", TWO),
    ("mha-unknown-length", "MultiHeadAttention(2, 4, dropout=0.1)", [(None, 8), (None, 8)]),
    ("mha-scores-self", "MultiHeadAttention(2, 4, return_attention_scores=True)", [(6, 8), (6, 8)]),
    ("mha-key-value-differ", "MultiHeadAttention(2, 4)", [(6, 8), (5, 8), (4, 8)]),
    # GroupQueryAttention
    ("gqa", "GroupQueryAttention(4, 4, 2)", TWO),
    ("gqa-mqa", "GroupQueryAttention(8, 4, 1, use_bias=False)", [(6, 8), (6, 8)]),
    ("gqa-key", "GroupQueryAttention(4, 2, 2, use_gate=True)", [(6, 8), (5, 8), (5, 3)]),
    ("gqa-scores", "GroupQueryAttention(4, 4, 2, return_attention_scores=True)", TWO),
    ("gqa-alias", "GroupedQueryAttention(4, 4, 4)", TWO),
    ("gqa-features-differ", "GroupQueryAttention(4, 4, 2)", [(6, 8), (5, 7)]),
    # Attention, AdditiveAttention
    ("attention-default", "Attention()", [(6, 4), (5, 4)]),
    ("attention-scale-concat", "Attention(use_scale=True, score_mode='concat')", [(6, 4), (5, 3), (5, 4)]),
    ("attention-scores", "Attention(return_attention_scores=True)", [(6, 4), (5, 4)]),
    ("attention-causal", "Attention(use_causal_mask=True)", [(6, 4), (6, 4)]),
    ("additive-default", "AdditiveAttention()", [(6, 4), (5, 4)]),
    ("additive-no-scale", "AdditiveAttention(use_scale=False)", [(6, 4), (5, 2), (5, 4)]),
    ("additive-scores", "AdditiveAttention(return_attention_scores=True)", [(6, 4), (5, 4)]),
    # RNN(cell), StackedRNNCells
    ("rnn-simple-cell", "RNN(SimpleRNNCell(5, use_bias=False))", (4, 3)),
    ("rnn-lstm-cell-state", "RNN(LSTMCell(4), return_state=True)", (5, 3)),
    ("rnn-gru-cell", "RNN(GRUCell(4), return_sequences=True)", (5, 3)),
    ("rnn-gru-cell-before", "RNN(GRUCell(4, reset_after=False, use_bias=False))", (5, 3)),
    ("rnn-cell-list", "RNN([LSTMCell(4), GRUCell(3)])", (5, 2)),
    ("rnn-cell-list-state", "RNN([SimpleRNNCell(3), LSTMCell(2)], return_state=True)", (5, 2)),
    ("rnn-stacked-state", "RNN(StackedRNNCells([GRUCell(3), LSTMCell(2)]), return_state=True, return_sequences=True)", (5, 2)),
    ("rnn-unknown-steps", "RNN(LSTMCell(4))", (None, 3)),
    ("rnn-frozen", "RNN(LSTMCell(4), trainable=False)", (5, 3)),
    ("rnn-on-2d", "RNN(LSTMCell(4))", (5,)),
    # ConvLSTM
    ("convlstm1d", "ConvLSTM1D(4, 3)", (5, 8, 2)),
    ("convlstm1d-dilated", "ConvLSTM1D(4, 3, dilation_rate=2, return_sequences=True)", (5, 9, 2)),
    ("convlstm2d-same-seq", "ConvLSTM2D(4, 3, padding='same', return_sequences=True)", (3, 8, 8, 2)),
    ("convlstm2d-stride-state", "ConvLSTM2D(4, (3, 2), strides=2, return_state=True)", (3, 9, 8, 2)),
    ("convlstm2d-cf", "ConvLSTM2D(4, 3, data_format='channels_first')", (3, 2, 8, 8)),
    ("convlstm2d-nobias", "ConvLSTM2D(4, 3, use_bias=False)", (3, 8, 8, 2)),
    ("convlstm2d-unknown-steps", "ConvLSTM2D(2, 3)", (None, 6, 6, 1)),
    ("convlstm3d", "ConvLSTM3D(2, 3, padding='same')", (2, 4, 4, 4, 1)),
    ("convlstm2d-too-small", "ConvLSTM2D(2, 5)", (3, 4, 4, 1)),
    ("convlstm2d-rank", "ConvLSTM2D(2, 3)", (8, 8, 1)),
    # image augmentation and resizing
    ("flip-horizontal", "RandomFlip('horizontal', seed=1)", (8, 8, 3)),
    ("rotation-cf", "RandomRotation(0.1, data_format='channels_first')", (3, 8, 8)),
    ("zoom-two", "RandomZoom(0.1, 0.2, fill_mode='constant')", (8, 8, 3)),
    ("translation", "RandomTranslation(0.1, (-0.2, 0.2))", (8, 8, 1)),
    ("contrast-range", "RandomContrast(0.3, value_range=(0, 1))", (8, 8, 3)),
    ("brightness", "RandomBrightness((-0.2, 0.2))", (8, 8, 3)),
    ("randaugment", "RandAugment(num_ops=3)", (8, 8, 3)),
    ("mixup", "MixUp(alpha=0.4)", (8, 8, 3)),
    ("cutmix", "CutMix(0.5)", (8, 8, 3)),
    ("augmix", "AugMix(num_chains=2)", (8, 8, 3)),
    ("erasing", "RandomErasing(scale=(0.1, 0.2))", (8, 8, 3)),
    ("solarization", "Solarization(threshold_factor=0.5)", (8, 8, 3)),
    ("resizing-cf", "Resizing(4, 5, data_format='channels_first')", (3, 8, 8)),
    ("resizing-unknown", "Resizing(4, 5, interpolation='nearest')", (None, None, 3)),
    ("resizing-crop-aspect", "Resizing(6, 3, crop_to_aspect_ratio=True)", (8, 8, 3)),
    ("centercrop-bigger", "CenterCrop(10, 5)", (8, 8, 3)),
    ("centercrop-cf", "CenterCrop(4, 5, data_format='channels_first')", (3, 8, 8)),
    ("randomcrop-unknown", "RandomCrop(4, 5, seed=3)", (None, None, 3)),
    ("pipeline-dense", "Pipeline([Dense(3), Dense(2, use_bias=False)])", (8,)),
    ("pipeline-images", "Pipeline([RandomFlip(), CenterCrop(4, 4), Rescaling(0.5)])", (8, 8, 3)),
    # text and categories
    ("textvec-int", "TextVectorization()", (1,)),
    ("textvec-int-length", "TextVectorization(max_tokens=50, output_sequence_length=7)", (1,)),
    ("textvec-multi-hot", "TextVectorization(max_tokens=20, output_mode='multi_hot')", (1,)),
    ("textvec-multi-hot-padded", "TextVectorization(max_tokens=20, output_mode='multi_hot', pad_to_max_tokens=True)", (1,)),
    ("textvec-count-vocab", "TextVectorization(output_mode='count', vocabulary=['a', 'b', 'c'])", (1,)),
    ("textvec-tfidf-padded", "TextVectorization(max_tokens=9, output_mode='tf_idf', pad_to_max_tokens=True)", (1,)),
    ("textvec-split-none-onehot", "TextVectorization(split=None, output_mode='one_hot', vocabulary=['a', 'b'])", (1,)),
    ("stringlookup-int", "StringLookup()", (3,)),
    ("stringlookup-multi-hot", "StringLookup(vocabulary=['a', 'b'], output_mode='multi_hot')", (3,)),
    ("stringlookup-onehot-3", "StringLookup(vocabulary=['a', 'b', 'c'], num_oov_indices=2, output_mode='one_hot')", (3,)),
    ("stringlookup-unknown-vocab", "StringLookup(max_tokens=5, output_mode='count')", (3,)),
    ("integerlookup-padded", "IntegerLookup(max_tokens=6, output_mode='multi_hot', pad_to_max_tokens=True)", (3,)),
    ("integerlookup-mask", "IntegerLookup(vocabulary=[4, 5], mask_token=0, output_mode='one_hot')", (1,)),
    ("hashing-int", "Hashing(10, salt=3)", (3,)),
    ("hashing-onehot", "Hashing(10, output_mode='one_hot')", (1,)),
    ("hashing-count-3d", "Hashing(7, output_mode='count')", (4, 3)),
    ("hashedcrossing-int", "HashedCrossing(10)", [(1,), (1,)]),
    ("hashedcrossing-onehot-3", "HashedCrossing(10, output_mode='one_hot')", [(3,), (3,)]),
    ("category-multi-hot", "CategoryEncoding(5)", (3,)),
    ("category-onehot-1", "CategoryEncoding(5, output_mode='one_hot')", (1,)),
    ("category-count-3d", "CategoryEncoding(6, output_mode='count')", (3, 2)),
    ("discretization-int", "Discretization(bin_boundaries=[0.0, 1.0])", (3,)),
    ("discretization-onehot", "Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode='one_hot')", (1,)),
    ("discretization-count-numbins", "Discretization(num_bins=4, output_mode='count')", (3, 2)),
    # audio
    ("mel-default", "MelSpectrogram()", (16000,)),
    ("mel-seq-length", "MelSpectrogram(fft_length=512, sequence_stride=100, sequence_length=400)", (4001,)),
    ("mel-unknown", "MelSpectrogram(num_mel_bins=64)", (None,)),
    ("stft-default", "STFTSpectrogram()", (1000, 1)),
    ("stft-same-stft", "STFTSpectrogram(frame_length=64, frame_step=16, mode='stft', padding='same')", (1000, 1)),
    ("stft-expand", "STFTSpectrogram(frame_length=64, expand_dims=True)", (1000, 2)),
    ("stft-cf", "STFTSpectrogram(frame_length=60, mode='magnitude', data_format='channels_first')", (2, 1000)),
    ("stft-cf-expand", "STFTSpectrogram(frame_length=64, mode='imag', expand_dims=True, data_format='channels_first')", (2, 1000)),
    ("stft-unknown", "STFTSpectrogram(frame_length=64, mode='psd')", (None, 1)),
    ("stft-frozen", "STFTSpectrogram(frame_length=32, trainable=False)", (500, 1)),
    ("stft-step-too-long", "STFTSpectrogram(frame_length=64, frame_step=65)", (1000, 1)),
    # adaptive pooling, RMSNormalization, ReversibleEmbedding, SpectralNormalization, Lambda
    ("adaptive-avg1d-cf", "AdaptiveAveragePooling1D(4, data_format='channels_first')", (3, 9)),
    ("adaptive-max2d-bigger", "AdaptiveMaxPooling2D(10)", (5, 6, 3)),
    ("adaptive-avg2d-unknown", "AdaptiveAveragePooling2D(2)", (None, None, 3)),
    ("adaptive-max3d-cf", "AdaptiveMaxPooling3D(2, data_format='channels_first')", (3, 5, 6, 7)),
    ("rmsnorm-default", "RMSNormalization()", (8, 4)),
    ("rmsnorm-axis1", "RMSNormalization(axis=1)", (8, 4)),
    ("rmsnorm-frozen", "RMSNormalization(trainable=False)", (8, 4)),
    ("revemb-tied", "ReversibleEmbedding(10, 4)", (8,)),
    ("revemb-reverse", "ReversibleEmbedding(10, 4, reverse=True)", (8, 4)),
    ("revemb-reverse-untied", "ReversibleEmbedding(10, 4, tie_weights=False, reverse=True)", (8, 4)),
    ("spectral-dense", "SpectralNormalization(Dense(3))", (8,)),
    ("spectral-conv-iterations", "SpectralNormalization(Conv2D(3, 3, use_bias=False), power_iterations=2)", (8, 8, 2)),
    ("spectral-embedding", "SpectralNormalization(Embedding(10, 4))", (8,)),
    ("spectral-frozen", "SpectralNormalization(Dense(3), trainable=False)", (8,)),
    ("lambda-shape", "Lambda(output_shape=(4, 2))", (8,)),
    ("lambda-int", "Lambda(output_shape=5)", (8,)),
    ("lambda-two-outputs", "Lambda(output_shape=[(4,), (3,)])", (8,)),
]


def _case_ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("case_id,text,inputs", CASES, ids=_case_ids(CASES))
def test_layer_matches_keras(case_id, text, inputs):
    assert_same_one(text, inputs)


#: Keras's symbolic shape of the attention scores is (batch, heads, Tq, Tq) whatever the
#: key's length and attention_axes; running the model gives (batch, ..., heads, Tq..., Tk...).
#: archcalc reports what running gives; the weights agree.
RUN_CASES = [
    ("mha-scores-cross", "MultiHeadAttention(2, 4, return_attention_scores=True)", TWO),
    ("mha-scores-4d-axes", "MultiHeadAttention(2, 4, attention_axes=(2,), return_attention_scores=True)",
     [(3, 6, 8), (3, 5, 8)]),
    ("mha-scores-4d", "MultiHeadAttention(2, 4, return_attention_scores=True)", [(3, 6, 8), (2, 5, 8)]),
]


@pytest.mark.parametrize("case_id,text,inputs", RUN_CASES, ids=_case_ids(RUN_CASES))
def test_attention_scores_shape_is_what_running_gives(case_id, text, inputs):
    symbolic = keras_one(text, inputs)
    ran = assert_same_one(text, inputs, run=True)
    assert not isinstance(ran, Refused) and not isinstance(symbolic, Refused)
    assert symbolic[0].output != ran[0].output  # Keras's symbolic scores shape is the odd one


#: archcalc refuses these; Keras builds the graph but the model fails when run
RUN_REFUSALS = [
    # the equation names 2 input axes, the input has 3: Keras pads the output shape oddly
    ("einsum-rank-mismatch", "EinsumDense('ab,bc->ac', output_shape=4)", (5, 3)),
    # dot-product scores need the query and key features to agree
    ("attention-features-differ", "Attention()", [(6, 4), (5, 3)]),
]


@pytest.mark.parametrize("case_id,text,inputs", RUN_REFUSALS, ids=_case_ids(RUN_REFUSALS))
def test_refused_where_keras_fails_when_run(case_id, text, inputs):
    assert not isinstance(keras_one(text, inputs), Refused)
    with pytest.raises(Exception):  # noqa: B017  (whatever the backend raises)
        keras_one(text, inputs, run=True)
    ours = archcalc_stack([text], inputs)
    assert isinstance(ours, Refused) and ours.error.startswith("ShapeError"), ours


def test_lambda_without_output_shape_says_to_give_it():
    ours = archcalc_stack(["Lambda()"], (8,))
    assert isinstance(ours, Refused) and ours.error.startswith("SpecError")
    assert "output_shape=" in ours.error and "never runs" in ours.error and "Python code" in ours.error


@pytest.mark.parametrize("name", sorted(refusals.REFUSED))
def test_refused_classes_point_to_the_custom_layer_declaration(name, tmp_path, run_cli):
    spec = tmp_path / "m.yaml"
    spec.write_text(f"input: [4]\nlayers:\n  - {name}()\n")
    result = run_cli("summary", str(spec))
    assert result.exit_code == 2
    assert f"m.yaml:3:5: error: {name} " in result.output
    assert "archcalc-layers.yaml" in result.output and "Traceback" not in result.output


def test_refusal_message_names_the_reason_and_the_declaration():
    ours = archcalc_stack(["TorchModuleWrapper()"], (4,))
    assert isinstance(ours, Refused)
    assert "PyTorch" in ours.error


def test_a_cell_alone_is_refused_with_a_hint():
    ours = archcalc_stack(["LSTMCell(4)"], (5, 3))
    assert isinstance(ours, Refused) and "RNN(" in ours.error


# --- the samples, built in real Keras by hand ------------------------------------------------


def _transformer_text(keras):
    L = keras.layers
    tokens, positions = keras.Input((200,), name="tokens"), keras.Input((200,), name="positions")
    x = L.Add(name="x")([L.Embedding(20000, 32, name="tok")(tokens), L.Embedding(200, 32, name="pos")(positions)])
    att = L.MultiHeadAttention(num_heads=2, key_dim=32, name="att")(x, x)
    res1 = L.Add(name="res1")([x, L.Dropout(0.1, name="att_drop")(att)])
    ln1 = L.LayerNormalization(epsilon=1e-6, name="ln1")(res1)
    ff = L.Dense(32, name="ff2")(L.Dense(32, activation="relu", name="ff1")(ln1))
    res2 = L.Add(name="res2")([ln1, L.Dropout(0.1, name="ff_drop")(ff)])
    y = L.GlobalAveragePooling1D(name="pool")(L.LayerNormalization(epsilon=1e-6, name="ln2")(res2))
    y = L.Dense(20, activation="relu", name="hidden")(L.Dropout(0.1, name="drop")(y))
    y = L.Dense(2, activation="softmax", name="outputs")(L.Dropout(0.1, name="drop2")(y))
    return keras.Model([tokens, positions], y)


def _vit_small(keras):
    L = keras.layers
    inputs = keras.Input((32, 32, 3))
    tokens = L.Reshape((64, 64), name="tokens")(L.Conv2D(64, 4, strides=4, name="patches")(inputs))
    ln1 = L.LayerNormalization(epsilon=1e-6, name="ln1")(tokens)
    att = L.MultiHeadAttention(num_heads=4, key_dim=16, dropout=0.1, name="att")(ln1, ln1)
    res1 = L.Add(name="res1")([tokens, att])
    mlp = L.Dense(64, name="mlp2")(L.Dense(128, activation="gelu", name="mlp1")(
        L.LayerNormalization(epsilon=1e-6, name="ln2")(res1)))
    res2 = L.Add(name="res2")([res1, mlp])
    y = L.GlobalAveragePooling1D(name="pool")(L.LayerNormalization(epsilon=1e-6, name="ln3")(res2))
    return keras.Model(inputs, L.Dense(10, activation="softmax", name="outputs")(y))


def _convlstm_video(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input((10, 40, 40, 1)),
        L.ConvLSTM2D(16, (5, 5), padding="same", return_sequences=True, activation="relu", name="conv_lstm2d"),
        L.BatchNormalization(name="batch_normalization"),
        L.ConvLSTM2D(16, (3, 3), padding="same", return_sequences=True, activation="relu", name="conv_lstm2d_1"),
        L.BatchNormalization(name="batch_normalization_1"),
        L.Conv3D(1, (3, 3, 3), padding="same", activation="sigmoid", name="conv3d"),
    ])


def _augmented_cnn(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input((64, 64, 3)),
        L.RandomFlip("horizontal", name="random_flip"),
        L.RandomRotation(0.1, name="random_rotation"),
        L.RandomZoom(0.1, name="random_zoom"),
        L.RandomContrast(0.2, name="random_contrast"),
        L.Rescaling(1 / 255, name="rescaling"),
        L.Conv2D(32, 3, activation="relu", name="conv2d"),
        L.MaxPooling2D(name="max_pooling2d"),
        L.Conv2D(64, 3, activation="relu", name="conv2d_1"),
        L.MaxPooling2D(name="max_pooling2d_1"),
        L.Conv2D(64, 3, activation="relu", name="conv2d_2"),
        L.GlobalAveragePooling2D(name="global_average_pooling2d"),
        L.Dropout(0.3, name="dropout"),
        L.Dense(10, activation="softmax", name="dense"),
    ])


SAMPLE_MODELS = {
    "transformer_text": _transformer_text,
    "vit_small": _vit_small,
    "convlstm_video": _convlstm_video,
    "augmented_cnn": _augmented_cnn,
}


@pytest.mark.parametrize("stem", sorted(SAMPLE_MODELS))
def test_sample_matches_the_same_model_built_in_keras(stem):
    import keras
    from keras3ref import keras_model_counts
    from kerasref import _count

    from archcalc.engine import analyze
    from archcalc.readers.yaml_spec import load
    from tests.conftest import SAMPLES

    model = SAMPLE_MODELS[stem](keras)
    analysis = analyze(load(SAMPLES / f"{stem}.yaml"))
    # model.summary()'s totals
    assert keras_model_counts(model) == (analysis.trainable_params, analysis.non_trainable_params)
    assert model.count_params() == analysis.total_params
    # every layer: output shape and both counts
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        row = analysis.by_name[layer.name]
        assert tuple(layer.output.shape) == row.output_shape, layer.name
        assert (_count(layer.trainable_weights), _count(layer.non_trainable_weights)) == (
            row.trainable_params, row.non_trainable_params), layer.name


def test_transformer_sample_explains_the_attention_parameters():
    from archcalc.engine import analyze
    from archcalc.explain.model import explain_analysis
    from archcalc.readers.yaml_spec import load
    from tests.conftest import SAMPLES

    text = explain_analysis(analyze(load(SAMPLES / "transformer_text.yaml")), ["att"]).render()
    for line in ("query projection = d_model × h × d_k + h × d_k", "= (d_model + 1) × h × d_k",
                 "= (32 + 1) × 2 × 32", "output projection = h × d_k × d_model + d_model",
                 "= (h × d_k + 1) × d_model", "= 2112 + 2112 + 2112 + 2080", "= 8,416"):
        assert line in text, line
