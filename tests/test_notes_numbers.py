"""The course notes' own numbers, reproduced by the engine (values from the notes)."""

from __future__ import annotations

import pytest

from archcalc.engine import analyze
from archcalc.layers import formulas as F
from archcalc.readers.yaml_spec import load
from tests.conftest import SAMPLES


def totals(name: str) -> tuple[int, int, int]:
    a = analyze(load(SAMPLES / name))
    return a.total_params, a.trainable_params, a.non_trainable_params


def test_cnn_total():
    # notes, "Convolutional Neural Networks (CNN) / Example": 3,938,570 parameters
    assert totals("cnn.yaml") == (3_938_570, 3_938_570, 0)


@pytest.mark.parametrize(
    "layer, expected",
    [
        ("SimpleRNN(64, dropout=0.2, recurrent_dropout=0.2)", 4_800),   # notes: RNN example
        ("LSTM(64, dropout=0.2, recurrent_dropout=0.2)", 19_200),       # notes: LSTM example
        ("Bidirectional(LSTM(64))", 38_400),                            # notes: "doubled"
        ("GRU(64, reset_after=False)", 14_400),                         # notes' GRU formula
        ("GRU(64)", 14_592),  # Keras default reset_after=True: 3u(n+u+2) (DESIGN.md, issue 2)
    ],
)
def test_recurrent_examples(analyze_text, layer, expected):
    a = analyze_text(f"input: [null, 10]\nlayers:\n  - {layer}\n")
    assert a.total_params == expected


def test_recurrent_formulas_match_notes():
    # notes: parameters = gates x units x (input_dim + units + 1)
    for gates, layer in ((1, "SimpleRNN"), (4, "LSTM")):
        from archcalc.readers.yaml_spec import load_text

        a = analyze(load_text(f"input: [null, 10]\nlayers:\n  - {layer}(64)\n"))
        assert a.total_params == gates * 64 * (10 + 64 + 1)


# The notes' "Example calculations": kernel, stride, padding -> shape, params, receptive field.
# Keras has no numeric padding argument: padding P is a ZeroPadding2D(P) before the conv.
EXAMPLES = [
    ("notes_example_1", 5, 1, 0, (28, 28, 8), 608, 32),
    ("notes_example_2", 5, 1, 2, (32, 32, 8), 608, 32),
    ("notes_example_3", 2, 2, 2, (18, 18, 8), 104, 32),
]


@pytest.mark.parametrize("name, k, s, p, shape, params, rf_input", EXAMPLES)
def test_example_calculations(analyze_text, name, k, s, p, shape, params, rf_input):
    pad = f"  - ZeroPadding2D({p})\n" if p else ""
    a = analyze_text(f"input: [32, 32, 3]\nlayers:\n{pad}  - Conv2D(8, {k}, strides={s})\n")
    conv = a.rows[-1]
    assert conv.output_shape == (None, *shape)
    assert conv.params == params
    o = shape[0]
    # the notes' output size O = (I - K + 2P)/S + 1 agrees with Keras's shape
    assert F.notes_output_size(32, k, s, p) == o
    # the notes' inverse I = O*S + (K - S) - 2P ...
    assert F.notes_input_size(o, k, s, p) == rf_input
    # ... equals the forward recursion: the input span seen by all O outputs, minus 2P
    axis = conv.rf.axes[0]
    assert axis.span(o) - 2 * p == rf_input


def test_resnet_sample_counts_batchnorm_statistics_as_non_trainable():
    total, trainable, non_trainable = totals("resnet_blocks.yaml")
    # 4 BatchNormalization(64) layers: 2 x 64 trainable + 2 x 64 statistics each
    assert non_trainable == 4 * 2 * 64
    assert total == trainable + non_trainable
