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


def test_a_cell_alone_is_refused_with_a_hint():
    ours = archcalc_stack(["LSTMCell(4)"], (5, 3))
    assert isinstance(ours, Refused) and "RNN(" in ours.error
