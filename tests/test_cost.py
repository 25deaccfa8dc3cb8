"""MACs and FLOPs: the rule registry, hand-computed cases for every family, the summary
report, and TensorFlow's own profiler on Conv2D and Dense models.

Conventions under test (README, "Cost"): a MAC is one multiply-add, a bias add or one
element-wise operation; FLOPs = 2 x MACs; per sample; unknown lengths count as 1 step.
"""

from __future__ import annotations

import json

import pytest

from archcalc.cost import (
    LayerCost,
    cost_rule,
    fmt_si,
    layer_cost,
    model_cost,
    parse_count,
    rule_for,
)
from archcalc.layers.conv import Conv2D
from archcalc.layers.registry import canonical_types
from tests.conftest import SAMPLES


def _spec(input_shape, call: str) -> str:
    """A one-layer spec; several input shapes become named inputs merged by the layer."""
    if isinstance(input_shape, list):
        names = [f"i{k}" for k in range(len(input_shape))]
        inputs = "{" + ", ".join(f"{n}: {list(s)}" for n, s in zip(names, input_shape, strict=True)) + "}"
        return f"input: {inputs}\nlayers:\n  - {call}([{', '.join(names)}])\n"
    return f"input: {list(input_shape)}\nlayers:\n  - {call}\n"


def macs(analyze_text, input_shape, call: str) -> LayerCost:
    """The cost of the last layer of a one-layer model."""
    text = _spec(input_shape, call).replace("None", "null")
    analysis = analyze_text(text)
    return model_cost(analysis).layers[analysis.rows[-1].name]


# --- the registry ---------------------------------------------------------------------------

@pytest.mark.parametrize("cls", canonical_types(), ids=lambda c: c.keras_name)
def test_every_layer_type_has_a_cost_rule(cls, analyze_text):
    """A new layer type cannot ship without a MAC rule; its example must give a count."""
    assert rule_for(cls) is not None, f"{cls.keras_name} has no @cost_rule in archcalc/cost.py"
    call, shape = cls.example
    cost = macs(analyze_text, shape, call)
    assert isinstance(cost.macs, int) and cost.macs >= 0
    assert cost.flops == 2 * cost.macs


def test_rules_follow_the_class_hierarchy():
    class WideConv2D(Conv2D):  # not registered (no keras_name): inherits Conv's rule
        pass

    assert rule_for(WideConv2D) is rule_for(Conv2D)
    assert rule_for(object) is None
    with pytest.raises(ValueError, match="already has a cost rule"):
        cost_rule(Conv2D.__mro__[1])(lambda *a: 0)


def test_a_layer_without_rule_is_reported_not_guessed():
    class Unruled:
        cfg: dict = {}

    assert layer_cost(Unruled(), [(None, 3)], (None, 3)).macs is None  # type: ignore[arg-type]


# --- hand-computed cases, one family at a time ---------------------------------------------

CASES = [
    # core
    # Dense(10) on 5 inputs: 10 x 5 multiply-adds + 10 bias adds
    ((5,), "Dense(10)", 60),
    # + relu on each of the 10 outputs
    ((5,), "Dense(10, activation='relu')", 70),
    # softmax costs 3 per output: 10 x 5 + 10 bias + 3 x 10
    ((5,), "Dense(10, activation='softmax')", 90),
    # no bias: 7 x 5
    ((5,), "Dense(7, use_bias=False)", 35),
    # on a sequence (4 steps of 3 features): 4 positions x 2 units x (3 + 1)
    ((4, 3), "Dense(2)", 32),
    # a lookup moves data: 0
    ((5,), "Embedding(100, 16)", 0),
    # x * scale + offset: one per value, 8 x 8 x 3 = 192
    ((8, 8, 3), "Rescaling(1 / 255)", 192),
    # convolutions
    # notes' worked example: 28 x 28 x 8 outputs x (5 x 5 x 3 + 1 bias) = 6272 x 76
    ((32, 32, 3), "Conv2D(8, 5)", 476672),
    # padding='same', stride 2: 8 x 8 x 4 outputs x (3 x 3 x 2 + 1) = 256 x 19
    ((16, 16, 2), "Conv2D(4, 3, strides=2, padding='same')", 4864),
    # dilation 2 widens the window but not the work: 12 x 12 x 4 outputs x (9 x 2 + 1)
    ((16, 16, 2), "Conv2D(4, 3, dilation_rate=2)", 10944),
    # groups=2: each filter sees 4 / 2 channels: 6 x 6 x 4 outputs x (3 x 3 x 2 + 1)
    ((8, 8, 4), "Conv2D(4, 3, groups=2)", 2736),
    # Conv1D causal: 10 steps x 6 filters x (3 x 2 + 1)
    ((10, 2), "Conv1D(6, 3, padding='causal')", 420),
    # Conv3D: 2 x 2 x 2 positions x 2 filters x (2 x 2 x 2 x 1 + 1)
    ((3, 3, 3, 1), "Conv3D(2, 2)", 144),
    # depthwise: 6 x 6 positions x 3 x 2 channels x (3 x 3 + 1 bias)
    ((8, 8, 3), "DepthwiseConv2D(3, depth_multiplier=2)", 2160),
    # separable: depthwise 6 x 6 x 3 x 9 = 972, pointwise 6 x 6 x 3 x 4 = 432, bias 6 x 6 x 4 = 144
    ((8, 8, 3), "SeparableConv2D(4, 3)", 1548),
    # transpose: every input value (4 x 4 x 2) hits 3 x 3 x 5 weights = 1440,
    # + bias on the 9 x 9 x 5 output = 405
    ((4, 4, 2), "Conv2DTranspose(5, 3, strides=2)", 1845),
    # pooling
    # max pooling: 4 x 4 x 3 outputs x a 2 x 2 window
    ((8, 8, 3), "MaxPooling2D(2)", 192),
    # average pooling, stride 1: 6 x 6 x 2 outputs x 3 x 3
    ((8, 8, 2), "AveragePooling2D(3, strides=1)", 648),
    # global pooling reads each of the 5 x 5 x 4 values once
    ((5, 5, 4), "GlobalAveragePooling2D()", 100),
    # normalization
    # batch norm at inference: one scale-and-shift per value, 6 x 6 x 5
    ((6, 6, 5), "BatchNormalization()", 180),
    # layer norm: mean, variance, scale-and-shift: 3 per value, 4 x 3 x 3
    ((4, 3), "LayerNormalization()", 36),
    # rms_scaling skips the mean: 2 per value
    ((4, 3), "LayerNormalization(rms_scaling=True)", 24),
    ((5, 5, 4), "GroupNormalization(groups=2)", 300),
    # sum of squares and division: 2 per value
    ((4, 3), "UnitNormalization()", 24),
    # activations and regularization
    ((4, 3), "Activation('relu')", 12),
    ((4, 3), "Activation('linear')", 0),
    ((4, 3), "Softmax()", 36),
    ((4, 3), "LeakyReLU(0.2)", 12),
    ((5, 5, 3), "PReLU()", 75),
    ((10,), "Dropout(0.5)", 0),
    ((6, 6, 4), "SpatialDropout2D(0.2)", 0),
    # reshaping
    ((4, 4, 3), "Flatten()", 0),
    ((4, 4, 2), "Reshape((-1, 4))", 0),
    ((5, 5, 3), "ZeroPadding2D(1)", 0),
    ((4, 4, 2), "UpSampling2D(2)", 0),
    # bilinear: 4 taps per output value, 8 x 8 x 2 outputs
    ((4, 4, 2), "UpSampling2D(2, interpolation='bilinear')", 512),
    # merging
    # Add of 3 inputs of 4 x 4 x 3: 2 adds per output value
    ([(4, 4, 3), (4, 4, 3), (4, 4, 3)], "Add()", 96),
    ([(5,), (5,)], "Subtract()", 5),
    # Average of 3: 2 adds and a multiply by 1/3 per value
    ([(6,), (6,), (6,)], "Average()", 18),
    ([(6,), (6,)], "Maximum()", 6),
    ([(4, 4, 3), (4, 4, 5)], "Concatenate()", 0),
    # Dot over axis 1 of two 5-vectors: one output, 5 multiply-adds
    ([(5,), (5,)], "Dot(axes=1)", 5),
    # normalize=True adds 2 per input value: 5 + 2 x 10
    ([(5,), (5,)], "Dot(axes=1, normalize=True)", 25),
    # Dot of (3, 4) and (3, 4) over axis 2: 3 x 3 outputs x 4
    ([(3, 4), (3, 4)], "Dot(axes=2)", 36),
]


@pytest.mark.parametrize("shape,call,expected", CASES, ids=[c[1] for c in CASES])
def test_hand_computed_macs(analyze_text, shape, call, expected):
    cost = macs(analyze_text, shape, call)
    assert cost.macs == expected
    assert cost.flops == 2 * expected
    assert not cost.per_step


RNN_CASES = [
    # SimpleRNN(4) on 3 features, 5 steps: per step 4 x (3 + 4) + 4 bias + 4 tanh = 36
    ((5, 3), "SimpleRNN(4)", 5 * 36),
    # LSTM(2) on 3 features, 6 steps: per step 4 x 2 x (3 + 2) = 40, + 8 bias, + 8 x 2 gate ops
    ((6, 3), "LSTM(2)", 6 * 64),
    # GRU(2), Keras default reset_after=True: 3 x 2 x (3 + 2) = 30, + 2 x 6 bias, + 7 x 2
    ((4, 3), "GRU(2)", 4 * 56),
    # the notes' GRU (reset_after=False): one bias row, 30 + 6 + 14
    ((4, 3), "GRU(2, reset_after=False)", 4 * 50),
    # both directions of the LSTM(2) above, concatenated (free)
    ((6, 3), "Bidirectional(LSTM(2))", 2 * 6 * 64),
    # merge_mode='sum' adds the two 2-unit outputs: + 2
    ((6, 3), "Bidirectional(LSTM(2), merge_mode='sum')", 2 * 6 * 64 + 2),
    # sequences summed: 6 steps x 2 units
    ((6, 3), "Bidirectional(LSTM(2, return_sequences=True), merge_mode='sum')", 2 * 6 * 64 + 12),
    # Dense(5) on each of 4 steps of 3 features: 4 x 5 x (3 + 1)
    ((4, 3), "TimeDistributed(Dense(5))", 80),
]


@pytest.mark.parametrize("shape,call,expected", RNN_CASES, ids=[c[1] for c in RNN_CASES])
def test_recurrent_macs_are_per_step_times_length(analyze_text, shape, call, expected):
    cost = macs(analyze_text, shape, call)
    assert cost.macs == expected
    assert not cost.per_step


def test_unknown_sequence_length_gives_per_step_cost(analyze_text):
    cost = macs(analyze_text, (None, 3), "LSTM(2)")
    assert cost.macs == 64 and cost.per_step  # one step of the LSTM(2) case above
    known = macs(analyze_text, (7, 3), "LSTM(2)")
    assert known.macs == 7 * cost.macs


def test_notes_cnn_total(analyze_text):
    """notes' CNN: conv 62 x 62 x 32 x (27 + 1 + relu 1) = 3,567,232; pool 31 x 31 x 32 x 4 =
    123,008; Dense(128) 128 x (30752 + 1 + relu 1) = 3,936,512; Dense(10) 10 x (128 + 1 + 3
    softmax) = 1,320."""
    import archcalc

    analysis = archcalc.analyze(archcalc.load(SAMPLES / "cnn.yaml"))
    cost = model_cost(analysis)
    assert [c.macs for c in cost.layers.values()] == [0, 3567232, 123008, 0, 3936512, 1320]
    assert cost.macs == 7628072 and cost.flops == 2 * 7628072


def test_a_shared_layer_costs_at_every_call(analyze_text):
    analysis = analyze_text(
        "input: {a: [5], b: [5]}\nlayers:\n  - enc: Dense(3)(a)\n  - enc_b: enc(b)\n  - Add()([enc, enc_b])\n"
    )
    cost = model_cost(analysis)
    names = [r.name for r in analysis.rows if r.type == "Dense"]
    assert len(names) == 2
    assert all(cost.layers[n].macs == 18 for n in names)  # 3 x (5 + 1) each call


# --- the summary report ---------------------------------------------------------------------------

def test_json_has_macs_and_flops_per_layer_and_in_totals(run_cli):
    result = run_cli("summary", str(SAMPLES / "unet.yaml"), "--format", "json")
    data = json.loads(result.output)
    assert {"total_params", "trainable_params", "non_trainable_params", "weight_bytes"} <= set(data)
    assert data["macs"] == sum(layer["macs"] for layer in data["layers"])
    assert data["flops"] == 2 * data["macs"]
    for layer in data["layers"]:
        assert layer["flops"] == 2 * layer["macs"]
    c1 = next(layer for layer in data["layers"] if layer["name"] == "c1")
    # 128 x 128 x 64 outputs x (3 x 3 x 1 + 1 bias + 1 relu)
    assert c1["macs"] == 128 * 128 * 64 * 11


def test_json_marks_per_step_costs(run_cli):
    data = json.loads(run_cli("summary", str(SAMPLES / "multi_input.yaml"), "--format", "json").output)
    assert data.get("macs_per_step") is True
    lstm = next(layer for layer in data["layers"] if layer["type"] == "LSTM")
    assert lstm["macs_per_step"] is True


def test_table_and_markdown_show_macs(run_cli):
    table = run_cli("summary", str(SAMPLES / "cnn.yaml")).output
    assert "MACs" in table and "3.57M" in table
    assert "MACs: 7,628,072 (7.63M); FLOPs: 15,256,144 (15.3M)" in table
    md = run_cli("summary", str(SAMPLES / "cnn.yaml"), "--format", "markdown").output
    assert "| MACs |" in md and "7,628,072" in md


def test_table_fits_80_columns():
    from click.testing import CliRunner

    from archcalc.cli import cli

    for sample in sorted(SAMPLES.glob("*.yaml")):
        result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["summary", str(sample)])
        if result.exit_code:
            continue  # samples that refuse on purpose are tested elsewhere
        widest = max(len(line.rstrip()) for line in result.output.splitlines())
        assert widest <= 80, f"{sample.name}: {widest} columns"


def test_si_format_and_budget_counts():
    assert fmt_si(999) == "999"
    assert fmt_si(1234567) == "1.23M"
    assert fmt_si(4246765568) == "4.25G"
    assert parse_count("1.5M") == 1500000
    assert parse_count("300k") == 300000
    assert parse_count(42) == 42
    with pytest.raises(ValueError):
        parse_count("lots")


# --- TensorFlow's profiler ---------------------------------------------------------------------

TF_MODELS = [
    # (layers written as Keras calls, input shape)
    (["Conv2D(8, 3)", "Flatten()", "Dense(10)"], (16, 16, 3)),
    (["Conv2D(8, 3, strides=2, padding='same', activation='relu')", "Flatten()",
      "Dense(10, activation='relu')"], (16, 16, 3)),
    (["Conv2D(4, (3, 5), dilation_rate=2)", "Conv2D(6, 1, use_bias=False)", "Flatten()", "Dense(3)"],
     (12, 12, 2)),
]


@pytest.mark.keras
@pytest.mark.parametrize("layers,shape", TF_MODELS, ids=["plain", "relu-same-stride", "dilated-nobias"])
def test_flops_against_tensorflow_profiler(analyze_text, layers, shape):
    """TensorFlow's profiler counts 2 flops per multiply-add of Conv2D and MatMul (as we do),
    but 1 flop per bias add (we count a bias add as a MAC = 2 FLOPs) and nothing for Relu
    (we count 1 MAC = 2 FLOPs per activated value). So exactly:
    tf_flops = archcalc_flops - bias_adds - 2 x relu_values."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import tensorflow as tf

    text = f"input: {list(shape)}\nlayers:\n" + "".join(f"  - {line}\n" for line in layers)
    analysis = analyze_text(text)
    cost = model_cost(analysis)

    # the spec lines are Keras calls: evaluate them against keras.layers only
    model = keras.Sequential([keras.Input(shape)] + [eval(c, {}, vars(keras.layers)) for c in layers])
    fn = tf.function(lambda x: model(x, training=False))
    graph = fn.get_concrete_function(tf.TensorSpec((1, *shape), tf.float32)).graph
    opts = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    opts["output"] = "none"
    tf_flops = tf.compat.v1.profiler.profile(graph=graph, cmd="op", options=opts).total_float_ops

    bias = relu = 0
    for row in analysis.rows:
        if row.node.layer is None:
            continue
        n = 1
        for d in row.output_shape[1:]:
            n *= d
        cfg = row.node.layer.cfg
        bias += n if cfg.get("use_bias") else 0
        relu += n if cfg.get("activation") == "relu" else 0
    assert tf_flops == cost.flops - bias - 2 * relu


def test_layers_outside_the_registry_have_rules():
    """Nested models and ConvNeXt's helper layers come from Keras files, not keras.layers."""
    from archcalc.layers import nested
    for cls in (nested.NestedModel, nested.LayerScale, nested.StochasticDepth):
        assert rule_for(cls) is not None, cls.__name__
    from archcalc.readers.yaml_spec import load_text

    inner = load_text("input: [5]\nlayers:\n  - Dense(3)\n  - Dense(2)\n", "inner.yaml")
    model = nested.NestedModel.of(inner)
    # Dense(3) on 5: 3 x (5 + 1) = 18; Dense(2) on 3: 2 x (3 + 1) = 8
    assert layer_cost(model, [(None, 5)], model.output_shape([(None, 5)])).macs == 26
    scale = nested.LayerScale.bind([1e-6, 8], {})
    assert layer_cost(scale, [(None, 4, 4, 8)], (None, 4, 4, 8)).macs == 128  # one multiply per value
