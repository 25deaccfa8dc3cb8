"""Memory estimates: weights by dtype, activations by batch size, the training estimate with
the compiled optimizer's slots, and the summary options that select them."""

from __future__ import annotations

import json

import pytest

from archcalc.memory import (
    budget_measures,
    estimate,
    optimizer_slots,
    parse_bytes,
)
from tests.conftest import SAMPLES

# Dense(4) on 3 inputs: 16 params; outputs: input 3 values + dense 4 values = 7 per sample
SMALL = "input: [3]\nlayers:\n  - Dense(4)\n"


@pytest.mark.parametrize("dtype,weights,activations", [
    ("float32", 16 * 4, 7 * 10 * 4),
    ("float16", 16 * 2, 7 * 10 * 2),
    ("bfloat16", 16 * 2, 7 * 10 * 2),
    ("mixed", 16 * 4, 7 * 10 * 2),  # float32 variables, 16-bit activations
])
def test_bytes_by_dtype_and_batch(analyze_text, dtype, weights, activations):
    mem = estimate(analyze_text(SMALL), dtype, batch_size=10)
    assert mem.weights == weights
    assert mem.activations == activations
    assert mem.gradients == weights  # one gradient per trainable weight, in the variables' dtype
    assert mem.optimizer_state == 0  # nothing compiled
    assert mem.training == mem.weights + mem.gradients + mem.activations


@pytest.mark.parametrize("optimizer,slots", [
    ("adam", 2),
    ("Adam", 2),
    ("sgd", 0),
    ("SGD(momentum=0.9)", 1),
    ("keras.optimizers.SGD(0.01, momentum=0.9)", 1),
    ("SGD(0.01, 0.9)", 1),  # momentum given positionally (SGD(learning_rate, momentum, ...))
    ("RMSprop(0.001, 0.9, 0.5)", 2),  # RMSprop(learning_rate, rho, momentum, ...)
    ("rmsprop", 1),
    ({"rmsprop": {"momentum": 0.5, "centered": True}}, 3),
    ({"class_name": "Adam", "config": {"amsgrad": True}}, 3),
    ({"name": "adagrad"}, 1),
    ("adamw", 2),
    ("nadam", 2),
    ("adadelta", 2),
    ("ftrl", 2),
    ("lion", 1),
])
def test_optimizer_slots(optimizer, slots):
    assert optimizer_slots(optimizer).slots == slots


def test_unknown_optimizer_is_said_not_guessed():
    opt = optimizer_slots("my_custom_opt")
    assert opt.slots == 0 and "unknown" in opt.note
    assert optimizer_slots(None).name is None


def test_training_estimate_reads_the_compiled_optimizer(analyze_text):
    """BatchNormalization's moving statistics are weights but get no gradient and no slots."""
    spec = (
        "input: [3]\nlayers:\n  - Dense(4)\n  - BatchNormalization()\n"
        "compile: {optimizer: adam, loss: mse}\n"
    )
    mem = estimate(analyze_text(spec))
    # params: Dense 16 trainable; BN gamma+beta 8 trainable, moving mean+variance 8 not
    assert (mem.params, mem.trainable_params) == (32, 24)
    assert mem.weights == 32 * 4
    assert mem.gradients == 24 * 4
    assert mem.optimizer_state == 24 * 2 * 4
    # activations: 3 + 4 + 4 values
    assert mem.activations == 11 * 4
    assert mem.training == 128 + 96 + 192 + 44
    assert mem.formula()[-1].endswith(f"= {mem.training}")


def test_unknown_length_is_per_step(analyze_text):
    mem = estimate(analyze_text("input: [null, 3]\nlayers:\n  - LSTM(2, return_sequences=True)\n"))
    assert mem.per_step
    assert mem.activations == (3 + 2) * 4  # one step of the input and the output


def test_summary_options(run_cli):
    path = str(SAMPLES / "cnn.yaml")
    base = json.loads(run_cli("summary", path, "--format", "json").output)
    half = json.loads(run_cli("summary", path, "--format", "json", "--dtype", "float16",
                              "--batch-size", "8").output)
    assert base["weights_bytes"] == base["total_params"] * 4
    assert half["weights_bytes"] == half["total_params"] * 2
    mem = half["memory"]
    assert mem["dtype"] == "float16" and mem["batch_size"] == 8
    assert mem["activations_bytes"] == base["memory"]["activations_bytes"] * 8 // 2
    assert mem["optimizer"] == "adam" and mem["optimizer_slots"] == 2
    assert mem["training_bytes"] == (mem["weights_bytes"] + mem["gradients_bytes"]
                                     + mem["optimizer_bytes"] + mem["activations_bytes"])
    table = run_cli("summary", path, "--dtype", "mixed", "--batch-size", "32").output
    assert "Memory (mixed, batch size 32): weights" in table and "(all params)" in table
    assert "+ activations" in table and "MiB" in table and " MB" not in table
    assert "Training memory:" in table and "adam: 2 slots per weight" in table


def test_bad_options_exit_2(run_cli):
    from click.testing import CliRunner

    from archcalc.cli import cli

    for args in (["--batch-size", "0"], ["--dtype", "float8"]):
        result = CliRunner().invoke(cli, ["summary", str(SAMPLES / "cnn.yaml"), *args])
        assert result.exit_code == 2, args


def test_budget_measures_and_sizes(analyze_text):
    measures = budget_measures(analyze_text(SMALL), batch_size=2)
    assert measures["params"] == 16 and measures["macs"] == 12  # 4 x 3 kernel products
    assert measures["flops"] == 2 * 12 + 4  # + 4 bias adds
    assert measures["activations_bytes"] == 7 * 2 * 4
    assert parse_bytes("25 MB") == 25_000_000
    assert parse_bytes("1.5GiB") == 3 * 2**29
    assert parse_bytes(1024) == 1024
    with pytest.raises(ValueError):
        parse_bytes("3 parsecs")


def test_json_has_activation_memory_per_layer_and_labels(run_cli):
    data = json.loads(run_cli("summary", str(SAMPLES / "cnn.yaml"), "--format", "json",
                              "--batch-size", "4").output)
    conv = next(layer for layer in data["layers"] if layer["type"] == "Conv2D")
    assert conv["activations_bytes"] == 62 * 62 * 32 * 4 * 4  # values x batch x float32
    assert sum(layer["activations_bytes"] for layer in data["layers"]) == data["memory"]["activations_bytes"]
    assert set(data["memory"]["includes"]) == {"weights_bytes", "activations_bytes", "gradients_bytes",
                                               "optimizer_bytes", "training_bytes"}


def test_activation_column_is_opt_in(run_cli):
    path = str(SAMPLES / "cnn.yaml")
    assert "Activations" not in run_cli("summary", path).output.split("\n")[1]
    table = run_cli("summary", path, "--columns", "output,activations").output
    assert "Activations" in table and "480.50 KiB" in table  # 62 x 62 x 32 x 4 bytes


def test_sizes_are_printed_in_binary_units_and_parsed_as_written():
    from archcalc.render.common import readable_bytes

    assert readable_bytes(1536) == "1.50 KiB"
    assert readable_bytes(3 * 2**20) == "3.00 MiB"
    assert parse_bytes("1MB") == 10**6 and parse_bytes("1MiB") == 2**20
    assert parse_bytes("2 GB") == 2 * 10**9 and parse_bytes("2GiB") == 2 * 2**30
