"""The spec format: named entries, calls on names, several inputs/outputs, quoting,
repetition, blocks, parameters and Keras-style input_shape."""

from __future__ import annotations

import json

import pytest

from archcalc.readers.yaml_spec import load, load_text
from tests.conftest import SAMPLES


def test_quoted_and_plain_entries_agree(analyze_text):
    a = analyze_text('input: [8, 8, 1]\nlayers:\n  - "Conv2D(8, 3)"\n  - \'Flatten()\'\n')
    b = analyze_text("input: [8, 8, 1]\nlayers:\n  - Conv2D(8, 3)\n  - Flatten()\n")
    assert [r.output_shape for r in a] == [r.output_shape for r in b]


def test_named_entries_and_functional_calls(analyze_text):
    a = analyze_text(
        "input: [16, 16, 3]\nlayers:\n  - c1: Conv2D(4, 3, padding='same')\n  - c2: Conv2D(6, 3, padding='same')\n"
        "  - m: Concatenate()([c1, c2])\n  - Add()([m, m])\n"
    )
    assert a.by_name["m"].output_shape == (None, 16, 16, 10)
    assert a.by_name["m"].inputs == ["c1", "c2"]
    assert a.rows[-1].inputs == ["m", "m"]


def test_keras_auto_names(analyze_text):
    a = analyze_text("input: [8]\nlayers:\n  - Dense(3)\n  - Dense(3)\n  - BatchNormalization()\n")
    assert [r.name for r in a] == ["input", "dense", "dense_1", "batch_normalization"]


def test_multiple_inputs_and_outputs():
    a = __import__("archcalc").analyze(load(SAMPLES / "multi_input.yaml"))
    assert a.graph.inputs == ["title", "tags"]
    assert a.output_shapes == [(None, 1), (None, 4)]


def test_repetition_chains_layers(analyze_text):
    a = analyze_text("input: [8]\nlayers:\n  - h: Dense(16, activation='relu') * 3\n  - Dense(2)([h])\n")
    assert [r.name for r in a][1:4] == ["h_1", "h_2", "h_3"]
    assert a.rows[-1].inputs == ["h_3"]
    assert a.total_params == (8 * 16 + 16) + 2 * (16 * 16 + 16) + (16 * 2 + 2)


def test_blocks_with_parameters_defaults_and_repeat():
    g = load(SAMPLES / "vgg_blocks.yaml")
    names = list(g.nodes)
    assert "stage3_max_pooling2d" not in names  # unnamed block layers get Keras auto names
    convs = [n for n in g.nodes.values() if n.type == "Conv2D"]
    assert len(convs) == 2 + 2 + 3  # convs defaults to 2, stage3 passes convs=3


def test_block_skip_connection_reads_block_input():
    g = load(SAMPLES / "resnet_blocks.yaml")
    adds = [n for n in g.nodes.values() if n.type == "Add"]
    assert len(adds) == 2
    first, second = adds
    assert first.inputs == ["residual_block_1_bn2", "conv2d"]
    assert second.inputs[1] == "activation_1"  # the second block's input is the first's output


def test_params_and_set_override():
    g = load(SAMPLES / "autoencoder.yaml", overrides={"latent_dimension": 64})
    a = __import__("archcalc").analyze(g)
    assert a.by_name["encoder"].output_shape == (None, 64)
    assert a.total_params == 784 * 64 + 64 + 64 * 784 + 784


def test_input_shape_on_first_layer(analyze_text):
    a = analyze_text("layers:\n  - Dense(10, activation='relu', input_shape=(8,))\n  - Dense(1)\n")
    assert a.rows[0].output_shape == (None, 8)
    assert a.total_params == 8 * 10 + 10 + 11


def test_arithmetic_in_arguments(analyze_text):
    a = analyze_text("params: {n: 4}\ninput: [7, 7, 64]\nlayers:\n  - Reshape((7 * 7 * 64,))\n  - Dense(n * 2)\n")
    assert a.rows[1].output_shape == (None, 3136)
    assert a.rows[2].output_shape == (None, 8)


def test_summary_json_schema(run_cli):
    result = run_cli("summary", "samples/unet.yaml", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) >= {"name", "layers", "outputs", "total_params", "trainable_params", "non_trainable_params"}
    first = data["layers"][0]
    assert first["type"] == "InputLayer" and first["output_shape"] == [None, 128, 128, 1]
    c1 = data["layers"][1]
    assert c1 == {**c1, "name": "c1", "type": "Conv2D", "inputs": ["input"],
                  "output_shape": [None, 128, 128, 64], "params": 640, "trainable_params": 640,
                  "non_trainable_params": 0, "receptive_field": [3, 3]}
    assert data["outputs"] == [[None, 128, 128, 1]]
    assert data["total_params"] == sum(layer["params"] for layer in data["layers"])


def test_summary_table_and_markdown(run_cli):
    table = run_cli("summary", "samples/cnn.yaml")
    assert table.exit_code == 0
    assert "Total params: 3,938,570" in table.output
    assert all(len(line) <= 80 for line in table.output.splitlines())
    md = run_cli("summary", "samples/unet.yaml", "--format", "markdown")
    assert "| c4 (Conv2D) | (None, 64, 64, 128) | 442,496 |" in md.output
    assert "Connected to" in md.output


def test_load_text_defaults_name_to_file_stem():
    assert load_text("input: [3]\nlayers:\n  - Dense(1)\n", "dir/my_model.yaml").name == "my_model"


def test_one_output_of_a_multi_output_layer(analyze_text):
    a = analyze_text(
        "input: [null, 10]\nlayers:\n  - enc: LSTM(32, return_state=True)\n"
        "  - h: Dense(8)(enc[1])\n  - both: Concatenate()([enc[0], h, enc[2]])\n"
        "outputs:\n  - both\n  - enc[1]\n"
    )
    assert a.by_name["enc"].output_shape == [(None, 32)] * 3  # [output, h, c]
    assert a.by_name["h"].input_shapes == [(None, 32)]
    assert a.by_name["both"].output_shape == (None, 72)
    assert a.output_shapes == [(None, 72), (None, 32)]


def test_multi_output_errors_point_at_the_fix(run_cli, tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("input: [null, 10]\nlayers:\n  - enc: LSTM(32, return_state=True)\n  - Dense(8)(enc[3])\n")
    r = run_cli("summary", str(p))
    assert r.exit_code == 2 and "'enc' has 3 output(s); there is no output [3]" in r.stderr
    p.write_text("input: [null, 10]\nlayers:\n  - enc: LSTM(32, return_state=True)\n  - Dense(8)\n")
    r = run_cli("summary", str(p))
    assert r.exit_code == 2 and "pick one with name[i]" in r.stderr


@pytest.mark.keras
def test_a_name_argument_names_the_layer_as_in_keras(analyze_text):
    """Dense(2, name='foo') is 'foo', and the next Dense is still 'dense' (Keras 3 counts
    automatic names only)."""
    import keras

    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="foo"), keras.layers.Dense(3)])
    result = analyze_text("input: [4]\nlayers:\n  - Dense(2, name='foo')\n  - Dense(3)\n")
    assert [r.name for r in result.rows[1:]] == [layer.name for layer in model.layers]
