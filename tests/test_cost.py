"""MACs and FLOPs: the rule registry, hand-computed cases for every family, the summary
report, and TensorFlow's own profiler on Conv2D and Dense models.

Conventions under test (README, "Cost"): MACs are the kernel multiply-adds of convolutions,
Dense, recurrent and attention layers (no bias); other_ops the element-wise work (bias adds,
normalisation, activations, pooling, merges); FLOPs = 2 x MACs + other_ops; per sample;
unknown lengths count as 1 step.
"""

from __future__ import annotations

import json

import pytest

from archcalc.cost import (
    LayerCost,
    cost_rule,
    layer_cost,
    model_cost,
    parse_count,
    rule_for,
)
from archcalc.layers.conv import Conv2D
from archcalc.layers.registry import canonical_types
from archcalc.render.common import fmt_si
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

@pytest.mark.parametrize("cls", canonical_types() + canonical_types(saved=True), ids=lambda c: c.keras_name)
def test_every_layer_type_has_a_cost_rule(cls, analyze_text):
    """A new layer type cannot ship without a MAC rule; its example must give a count."""
    assert rule_for(cls) is not None, f"{cls.keras_name} has no @cost_rule in archcalc/cost.py"
    call, shape = cls.example
    cost = macs(analyze_text, shape, call)
    assert isinstance(cost.macs, int) and cost.macs >= 0
    assert isinstance(cost.other_ops, int) and cost.other_ops >= 0
    assert cost.flops == 2 * cost.macs + cost.other_ops


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

#: (input shape, layer, macs, other_ops): in the comments, the kernel products are the MACs and
#: the "+ bias", activation and element-wise terms are other_ops
CASES = [
    # core
    # Dense(10) on 5 inputs: 10 x 5 multiply-adds + 10 bias adds
    ((5,), "Dense(10)", 50, 10),
    # + relu on each of the 10 outputs
    ((5,), "Dense(10, activation='relu')", 50, 20),
    # softmax costs 3 per output: 10 x 5 + 10 bias + 3 x 10
    ((5,), "Dense(10, activation='softmax')", 50, 40),
    # no bias: 7 x 5
    ((5,), "Dense(7, use_bias=False)", 35, 0),
    # on a sequence (4 steps of 3 features): 4 positions x 2 units x (3 + 1)
    ((4, 3), "Dense(2)", 24, 8),
    # a lookup moves data: 0
    ((5,), "Embedding(100, 16)", 0, 0),
    # x * scale + offset: one per value, 8 x 8 x 3 = 192
    ((8, 8, 3), "Rescaling(1 / 255)", 0, 192),
    # convolutions
    # notes' worked example: 28 x 28 x 8 outputs x (5 x 5 x 3 + 1 bias) = 6272 x 76
    ((32, 32, 3), "Conv2D(8, 5)", 470400, 6272),
    # padding='same', stride 2: 8 x 8 x 4 outputs x (3 x 3 x 2 + 1) = 256 x 19
    ((16, 16, 2), "Conv2D(4, 3, strides=2, padding='same')", 4608, 256),
    # dilation 2 widens the window but not the work: 12 x 12 x 4 outputs x (9 x 2 + 1)
    ((16, 16, 2), "Conv2D(4, 3, dilation_rate=2)", 10368, 576),
    # groups=2: each filter sees 4 / 2 channels: 6 x 6 x 4 outputs x (3 x 3 x 2 + 1)
    ((8, 8, 4), "Conv2D(4, 3, groups=2)", 2592, 144),
    # Conv1D causal: 10 steps x 6 filters x (3 x 2 + 1)
    ((10, 2), "Conv1D(6, 3, padding='causal')", 360, 60),
    # Conv3D: 2 x 2 x 2 positions x 2 filters x (2 x 2 x 2 x 1 + 1)
    ((3, 3, 3, 1), "Conv3D(2, 2)", 128, 16),
    # depthwise: 6 x 6 positions x 3 x 2 channels x (3 x 3 + 1 bias)
    ((8, 8, 3), "DepthwiseConv2D(3, depth_multiplier=2)", 1944, 216),
    # separable: depthwise 6 x 6 x 3 x 9 = 972, pointwise 6 x 6 x 3 x 4 = 432, bias 6 x 6 x 4 = 144
    ((8, 8, 3), "SeparableConv2D(4, 3)", 1404, 144),
    # transpose: every input value (4 x 4 x 2) hits 3 x 3 x 5 weights = 1440,
    # + bias on the 9 x 9 x 5 output = 405
    ((4, 4, 2), "Conv2DTranspose(5, 3, strides=2)", 1440, 405),
    # pooling
    # max pooling: 4 x 4 x 3 outputs x a 2 x 2 window
    ((8, 8, 3), "MaxPooling2D(2)", 0, 192),
    # average pooling, stride 1: 6 x 6 x 2 outputs x 3 x 3
    ((8, 8, 2), "AveragePooling2D(3, strides=1)", 0, 648),
    # global pooling reads each of the 5 x 5 x 4 values once
    ((5, 5, 4), "GlobalAveragePooling2D()", 0, 100),
    # normalization
    # batch norm at inference: one scale-and-shift per value, 6 x 6 x 5
    ((6, 6, 5), "BatchNormalization()", 0, 180),
    # layer norm: mean, variance, scale-and-shift: 3 per value, 4 x 3 x 3
    ((4, 3), "LayerNormalization()", 0, 36),
    # rms_scaling skips the mean: 2 per value
    ((4, 3), "LayerNormalization(rms_scaling=True)", 0, 24),
    ((5, 5, 4), "GroupNormalization(groups=2)", 0, 300),
    # sum of squares and division: 2 per value
    ((4, 3), "UnitNormalization()", 0, 24),
    # activations and regularization
    ((4, 3), "Activation('relu')", 0, 12),
    ((4, 3), "Activation('linear')", 0, 0),
    ((4, 3), "Softmax()", 0, 36),
    ((4, 3), "LeakyReLU(0.2)", 0, 12),
    ((5, 5, 3), "PReLU()", 0, 75),
    ((10,), "Dropout(0.5)", 0, 0),
    ((6, 6, 4), "SpatialDropout2D(0.2)", 0, 0),
    # reshaping
    ((4, 4, 3), "Flatten()", 0, 0),
    ((4, 4, 2), "Reshape((-1, 4))", 0, 0),
    ((5, 5, 3), "ZeroPadding2D(1)", 0, 0),
    ((4, 4, 2), "UpSampling2D(2)", 0, 0),
    # bilinear: 4 taps per output value, 8 x 8 x 2 outputs
    ((4, 4, 2), "UpSampling2D(2, interpolation='bilinear')", 0, 512),
    # merging
    # Add of 3 inputs of 4 x 4 x 3: 2 adds per output value
    ([(4, 4, 3), (4, 4, 3), (4, 4, 3)], "Add()", 0, 96),
    ([(5,), (5,)], "Subtract()", 0, 5),
    # Average of 3: 2 adds and a multiply by 1/3 per value
    ([(6,), (6,), (6,)], "Average()", 0, 18),
    ([(6,), (6,)], "Maximum()", 0, 6),
    ([(4, 4, 3), (4, 4, 5)], "Concatenate()", 0, 0),
    # Dot over axis 1 of two 5-vectors: one output, 5 multiply-adds
    ([(5,), (5,)], "Dot(axes=1)", 5, 0),
    # normalize=True adds 2 per input value: 5 + 2 x 10
    ([(5,), (5,)], "Dot(axes=1, normalize=True)", 5, 20),
    # Dot of (3, 4) and (3, 4) over axis 2: 3 x 3 outputs x 4
    ([(3, 4), (3, 4)], "Dot(axes=2)", 36, 0),
]


@pytest.mark.parametrize("shape,call,expected,other", CASES, ids=[c[1] for c in CASES])
def test_hand_computed_macs(analyze_text, shape, call, expected, other):
    cost = macs(analyze_text, shape, call)
    assert (cost.macs, cost.other_ops) == (expected, other)
    assert cost.flops == 2 * expected + other
    assert not cost.per_step


RNN_CASES = [
    # SimpleRNN(4) on 3 features, 5 steps: per step 4 x (3 + 4) = 28 MACs; 4 bias + 4 tanh
    ((5, 3), "SimpleRNN(4)", 5 * 28, 5 * 8),
    # LSTM(2) on 3 features, 6 steps: per step 4 x 2 x (3 + 2) = 40 MACs; 8 bias + 8 x 2 gate ops
    ((6, 3), "LSTM(2)", 6 * 40, 6 * 24),
    # GRU(2), Keras default reset_after=True: 3 x 2 x (3 + 2) = 30; 2 x 6 bias + 7 x 2
    ((4, 3), "GRU(2)", 4 * 30, 4 * 26),
    # the notes' GRU (reset_after=False): one bias row, 6 + 14
    ((4, 3), "GRU(2, reset_after=False)", 4 * 30, 4 * 20),
    # both directions of the LSTM(2) above, concatenated (free)
    ((6, 3), "Bidirectional(LSTM(2))", 2 * 6 * 40, 2 * 6 * 24),
    # merge_mode='sum' adds the two 2-unit outputs: + 2
    ((6, 3), "Bidirectional(LSTM(2), merge_mode='sum')", 2 * 6 * 40, 2 * 6 * 24 + 2),
    # sequences summed: 6 steps x 2 units
    ((6, 3), "Bidirectional(LSTM(2, return_sequences=True), merge_mode='sum')", 2 * 6 * 40, 2 * 6 * 24 + 12),
    # Dense(5) on each of 4 steps of 3 features: 4 x 5 x 3 MACs, 4 x 5 bias adds
    ((4, 3), "TimeDistributed(Dense(5))", 60, 20),
]


@pytest.mark.parametrize("shape,call,expected,other", RNN_CASES, ids=[c[1] for c in RNN_CASES])
def test_recurrent_macs_are_per_step_times_length(analyze_text, shape, call, expected, other):
    cost = macs(analyze_text, shape, call)
    assert (cost.macs, cost.other_ops) == (expected, other)
    assert not cost.per_step


def test_unknown_sequence_length_gives_per_step_cost(analyze_text):
    cost = macs(analyze_text, (None, 3), "LSTM(2)")
    assert (cost.macs, cost.other_ops) == (40, 24) and cost.per_step  # one step of the LSTM(2) case
    known = macs(analyze_text, (7, 3), "LSTM(2)")
    assert known.macs == 7 * cost.macs


def test_notes_cnn_total(analyze_text):
    """notes' CNN: conv 62 x 62 x 32 x 27 = 3,321,216 MACs, + bias and relu 2 x 123,008; pool
    31 x 31 x 32 x 4 = 123,008 compares; Dense(128) 128 x 30752 = 3,936,256, + 2 x 128;
    Dense(10) 10 x 128 = 1,280, + bias 10 and softmax 3 x 10."""
    import archcalc

    analysis = archcalc.analyze(archcalc.load(SAMPLES / "cnn.yaml"))
    cost = model_cost(analysis)
    assert [c.macs for c in cost.layers.values()] == [0, 3321216, 0, 0, 3936256, 1280]
    assert [c.other_ops for c in cost.layers.values()] == [0, 246016, 123008, 0, 256, 40]
    assert cost.macs == 7258752 and cost.other_ops == 369320
    assert cost.flops == 2 * 7258752 + 369320


def test_a_shared_layer_costs_at_every_call(analyze_text):
    analysis = analyze_text(
        "input: {a: [5], b: [5]}\nlayers:\n  - enc: Dense(3)(a)\n  - enc_b: enc(b)\n  - Add()([enc, enc_b])\n"
    )
    cost = model_cost(analysis)
    names = [r.name for r in analysis.rows if r.type == "Dense"]
    assert len(names) == 2
    assert all((cost.layers[n].macs, cost.layers[n].other_ops) == (15, 3) for n in names)  # each call


# --- the summary report ---------------------------------------------------------------------------

def test_json_has_macs_and_flops_per_layer_and_in_totals(run_cli):
    result = run_cli("summary", str(SAMPLES / "unet.yaml"), "--format", "json")
    data = json.loads(result.output)
    assert {"total_params", "trainable_params", "non_trainable_params", "weight_bytes"} <= set(data)
    assert data["macs"] == sum(layer["macs"] for layer in data["layers"])
    assert data["other_ops"] == sum(layer["other_ops"] for layer in data["layers"])
    assert data["flops"] == 2 * data["macs"] + data["other_ops"]
    assert data["cost_convention"] == "archcalc"
    for layer in data["layers"]:
        assert layer["flops"] == 2 * layer["macs"] + layer["other_ops"]
    c1 = next(layer for layer in data["layers"] if layer["name"] == "c1")
    # 128 x 128 x 64 outputs x 3 x 3 x 1 kernel products; a bias add and a relu per output
    assert c1["macs"] == 128 * 128 * 64 * 9
    assert c1["other_ops"] == 128 * 128 * 64 * 2


def test_json_marks_per_step_costs(run_cli):
    data = json.loads(run_cli("summary", str(SAMPLES / "multi_input.yaml"), "--format", "json").output)
    assert data.get("macs_per_step") is True
    lstm = next(layer for layer in data["layers"] if layer["type"] == "LSTM")
    assert lstm["macs_per_step"] is True


def test_table_and_markdown_show_macs(run_cli):
    table = run_cli("summary", str(SAMPLES / "cnn.yaml")).output
    assert "MACs" in table and "3.32M" in table
    assert "MACs: 7,258,752 (7.26M) kernel multiply-adds; other ops: 369,320 (369K)" in table
    assert "FLOPs: 14,886,824 (14.9M) = 2 x MACs + other ops" in table
    md = run_cli("summary", str(SAMPLES / "cnn.yaml"), "--format", "markdown").output
    assert "| MACs |" in md and "7,258,752" in md


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
    (["Conv2D(8, 3, padding='same')", "BatchNormalization()", "Activation('relu')", "MaxPooling2D(2)",
      "DepthwiseConv2D(3)", "BatchNormalization(scale=False)", "AveragePooling2D(2)",
      "GlobalAveragePooling2D()", "Dense(5, activation='softmax')"], (16, 16, 3)),
    (["Conv2D(4, 3, activation='sigmoid')", "GlobalMaxPooling2D()", "Dense(3, activation='tanh')"],
     (10, 10, 2)),
]


def _profiler_flops(model, shape) -> int:
    import tensorflow as tf

    fn = tf.function(lambda x: model(x, training=False))
    graph = fn.get_concrete_function(tf.TensorSpec((1, *shape), tf.float32)).graph
    opts = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    opts["output"] = "none"
    return tf.compat.v1.profiler.profile(graph=graph, cmd="op", options=opts).total_float_ops


@pytest.mark.keras
@pytest.mark.parametrize("layers,shape", TF_MODELS,
                         ids=["plain", "relu-same-stride", "dilated-nobias", "bn-pool-depthwise", "sigmoid-gmax"])
def test_tf_profiler_convention_is_the_profilers_count(analyze_text, layers, shape):
    """--cost-convention tf-profiler reports exactly what TensorFlow's profiler counts on the
    Keras model (2 per multiply-add, 1 per bias add, 0 for ReLU/sigmoid/tanh, 5 per softmax
    value, batch normalisation's 2 per value + 5 or 6 per channel, pooling's window)."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    text = f"input: {list(shape)}\nlayers:\n" + "".join(f"  - {line}\n" for line in layers)
    cost = model_cost(analyze_text(text))
    # the spec lines are Keras calls: evaluate them against keras.layers only
    model = keras.Sequential([keras.Input(shape)] + [eval(c, {}, vars(keras.layers)) for c in layers])
    assert cost.tf_flops == _profiler_flops(model, shape)
    assert cost.flops_for("tf-profiler") == cost.tf_flops


@pytest.mark.keras
def test_tf_profiler_convention_on_a_residual_block(analyze_text):
    """A residual add (1 per value, as archcalc's other_ops) on a functional model."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    spec = ("input: [8, 8, 4]\nlayers:\n  - a: Conv2D(4, 3, padding='same', activation='relu')(input)\n"
            "  - b: Conv2D(4, 3, padding='same')(a)\n  - s: Add()([input, b])\n  - Flatten()(s)\n")
    cost = model_cost(analyze_text(spec))
    x = keras.Input((8, 8, 4))
    a = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(x)
    b = keras.layers.Conv2D(4, 3, padding="same")(a)
    model = keras.Model(x, keras.layers.Flatten()(keras.layers.Add()([x, b])))
    assert cost.tf_flops == _profiler_flops(model, (8, 8, 4))
    assert cost.layers["s"].other_ops == 8 * 8 * 4


def test_cost_convention_option(run_cli):
    path = str(SAMPLES / "cnn.yaml")
    base = json.loads(run_cli("summary", path, "--format", "json").output)
    tf = json.loads(run_cli("summary", path, "--format", "json", "--cost-convention", "tf-profiler").output)
    assert tf["cost_convention"] == "tf-profiler" and tf["macs"] == base["macs"]
    # Conv2D and Dense: 2 per multiply-add + 1 per bias add; relu 0; softmax 5; pooling 4 per value
    conv, pool, dense, out = (62 * 62 * 32, 27), 31 * 31 * 32 * 4, (128, 30752), (10, 128)
    assert tf["flops"] == (2 * conv[0] * conv[1] + conv[0] + pool + 2 * dense[0] * dense[1] + dense[0]
                           + 2 * out[0] * out[1] + out[0] + 5 * out[0])
    table = run_cli("summary", path, "--cost-convention", "tf-profiler").output
    assert f"FLOPs (TensorFlow profiler's count): {tf['flops']:,}" in table


def test_layers_outside_the_registry_have_rules():
    """Nested models and ConvNeXt's helper layers come from Keras files, not keras.layers."""
    from archcalc.layers import nested
    from archcalc.nested_model import NestedModel
    for cls in (NestedModel, nested.LayerScale, nested.StochasticDepth, nested.CustomScaleLayer):
        assert rule_for(cls) is not None, cls.__name__
    from archcalc.readers.yaml_spec import load_text

    inner = load_text("input: [5]\nlayers:\n  - Dense(3)\n  - Dense(2)\n", "inner.yaml")
    model = NestedModel.of(inner)
    # Dense(3) on 5: 3 x 5 MACs + 3 bias adds; Dense(2) on 3: 2 x 3 + 2
    cost = layer_cost(model, [(None, 5)], model.output_shape([(None, 5)]))
    assert (cost.macs, cost.other_ops) == (21, 5)
    scale = nested.LayerScale.bind([1e-6, 8], {})
    assert layer_cost(scale, [(None, 4, 4, 8)], (None, 4, 4, 8)).other_ops == 128  # one multiply per value
