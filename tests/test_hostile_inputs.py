"""Issue 29, hostile input round three: each cause, with its input as a regression test (the
inputs themselves are in tests/fuzz/regressions/, run through every command by
test_fuzz_regressions.py; these tests check what the fix promises)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc import limits
from archcalc.errors import describe_value
from archcalc.safe_output import escape
from tests.fuzz import harness

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"
HEAD = "import keras\n"
MODEL = "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(DATA[-1] if DATA else 2)])\n"


def _run(*args: str):
    from archcalc.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def _one_error(result, *words: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    for w in words:
        assert w in result.output, result.output
    return errors[0]


# -- output that cannot be encoded ------------------------------------------------------------

def test_escape_keeps_text_and_colours_and_escapes_the_rest() -> None:
    assert escape("Dense (None, 4)\n\tx\r") == "Dense (None, 4)\n\tx\r"
    assert escape("\x1b[1mbold\x1b[0m") == "\x1b[1mbold\x1b[0m"  # colours (SGR) pass
    assert escape("d\ud800") == "d\\ud800"
    assert escape("a\x07\x1b[2J\u202eb\x00\x85") == "a\\x07\\x1b[2J\\u202eb\\x00\\x85"
    assert escape("été Δ 層") == "été Δ 層"


SURROGATE = str(REGRESSIONS / "json_surrogate_layer_name.json")


@pytest.mark.parametrize("args", [
    ["summary"], ["summary", "--format", "json"], ["summary", "--format", "markdown"], ["lint"],
    ["lint", "--format", "json"], ["lint", "--format", "sarif"], ["lint", "--format", "github"], ["explain"],
    ["explain", "--format", "markdown"], ["explain", "--format", "latex"], ["convert"], ["diagram"],
    ["diagram", "--format", "dot"], ["emit"],
])
def test_a_lone_surrogate_in_a_name_is_printed_escaped_by_every_command(args: list[str]) -> None:
    lint = args[0] == "lint"  # lint names a layer only in a finding: the layer's units are 'x'
    result = _run(*args, str(REGRESSIONS / "json_surrogate_name_in_error.json") if lint else SURROGATE)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == (1 if lint else 0), result.output
    assert "\ud800" not in result.output
    # \ud800 as text (JSON: the same escape, which reads back); LaTeX writes what TeX cannot set
    # as ?, and convert makes the name a YAML key of its own (d_)
    shown = "d?" if "latex" in args else "d_:" if args[0] == "convert" else "ud800"
    assert shown in result.output, result.output


def test_an_ascii_terminal_gets_escapes_or_utf8_never_a_crash() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    for command in ("summary", "explain", "diagram"):
        done = subprocess.run([sys.executable, "-m", "archcalc", command, SURROGATE], env=env,
                              capture_output=True, cwd=ROOT, timeout=120)
        assert b"Traceback" not in done.stderr, done.stderr[-2000:]
        assert done.returncode == 0 and b"d\\ud800" in done.stdout, done.stdout[-2000:]


def test_control_characters_and_bidi_overrides_in_names_are_escaped() -> None:
    path = str(REGRESSIONS / "json_control_chars_name.json")
    for args in (["summary"], ["explain"], ["diagram"], ["diagram", "--format", "dot"]):
        result = _run(*args, path)
        assert result.exit_code == 0, result.output
        assert "\x07" not in result.output and "\u202e" not in result.output
        assert "\\x07" in result.output and "\\u202e" in result.output


# -- values in messages --------------------------------------------------------------------------

def test_describe_value_shows_values_as_written_and_never_an_object() -> None:
    from archcalc.layers import registry

    lstm = registry.get("LSTM").bind([8], {})
    assert describe_value(lstm) == "LSTM(units=8)"
    assert describe_value([lstm, "relu", (3, 3)]) == "[LSTM(units=8), 'relu', (3, 3)]"
    assert describe_value(object()) == "an object"
    assert describe_value("x" * 100) == repr("x" * 60) + "..."
    assert describe_value(10**5000) == "an integer of more than 60 digits"
    assert describe_value(list(range(10))) == "[0, 1, 2, 3, 4, 5, ...]"
    assert " object at 0x" not in repr(lstm)


@pytest.mark.parametrize("name, message", [
    ("py_bidirectional_layer_as_merge_mode.py", "expected one of 'concat', 'sum', 'ave', 'mul', None, got LSTM(units=8)"),
])
def test_a_layer_where_a_value_goes_is_named_by_its_call(name: str, message: str) -> None:
    assert message in _one_error(_run("summary", str(REGRESSIONS / name)))


def test_a_layer_object_as_activation_is_read_as_that_activation() -> None:
    """activation=keras.layers.LeakyReLU(0.1) (once refused with the object in the message)
    is what Keras does: the layer applied to the output; no number changes, nothing leaks."""
    result = _run("summary", str(REGRESSIONS / "py_activation_layer_object.py"))
    assert result.exit_code == 0, result.output
    assert "dense (Dense)" in result.output and "40" in result.output
    assert " object at 0x" not in result.output


# -- tracebacks ------------------------------------------------------------------------------

def test_a_params_integer_past_the_cap_is_refused_where_it_is_written() -> None:
    error = _one_error(_run("summary", str(REGRESSIONS / "yaml_params_int_overflow.yaml")))
    assert ":2:6: error: the number 10000000000000000000... is too large" in error


@pytest.mark.parametrize("name, words", [
    ("json_compile_config_str.json", ["the config of 'Adam' is a string"]),
    ("json_compile_loss_and_metric_str.json", ["the config of 'MeanSquaredError' is a string"]),
    ("json_initializer_config_list.json", ["the config of its kernel_initializer is a list"]),
    ("json_deep_compile_config.json", [f"nested too deeply (more than {limits.MAX_CONFIG_DEPTH} levels)"]),
    ("py_nested_input_shape.py", ["has no valid shape: (None, [4], 3)"]),
])
def test_damaged_configs_are_clear_errors(name: str, words: list[str]) -> None:
    for command in ("summary", "explain", "convert"):
        _one_error(_run(command, str(REGRESSIONS / name)), *words)


@pytest.mark.keras
def test_h5_training_config_whose_config_is_a_string(tmp_path: Path) -> None:
    import h5py

    config = (REGRESSIONS.parent / "seeds" / "functional_dense.json").read_text()
    path = tmp_path / "m.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = config.encode()
        f.attrs["training_config"] = b'{"optimizer_config": {"class_name": "Adam", "config": "x"}, ' \
                                     b'"metrics": [{"class_name": "MeanMetricWrapper", "config": "acc"}]}'
    _one_error(_run("summary", str(path)), "the config of 'Adam' is a string")


def test_a_real_keras_config_at_the_model_nesting_cap_fits_the_depth_limit() -> None:
    # tests/data/nested_64_models.json: 64 models nested in turn (Sequential, Functional),
    # written by Keras 3's to_json()
    doc = json.loads((ROOT / "tests" / "data" / "nested_64_models.json").read_text())
    assert limits.MAX_CONFIG_DEPTH >= limits.nesting_depth(doc, 10_000) > limits.MAX_CONFIG_DEPTH * 3 // 4
    result = _run("summary", str(ROOT / "tests" / "data" / "nested_64_models.json"))
    assert result.exit_code == 0, result.output


def test_nesting_depth() -> None:
    assert [limits.nesting_depth(v, 5) for v in (1, [], [[]], {"a": [1, {"b": 2}]})] == [0, 1, 2, 3]
    deep: object = 1
    for _ in range(100_000):
        deep = [deep]
    assert limits.nesting_depth(deep, 300) == 301  # no recursion, no RecursionError


# -- time and memory: the quadratic read, literals, terms, values ------------------------------

def test_segment_is_ast_get_source_segment() -> None:
    from archcalc.readers.python.user_source import segment

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "corpus" / "programs").glob("*.py"))[:25]]
    texts.append("x = 1\r\ny = (\r  2 +\n\t\t3)\nclass A:\n    def f(self): return 'é' + 'ü'\n")
    for text in texts:
        for node in ast.walk(ast.parse(text)):
            for padded in (False, True):
                assert segment(text, node, padded) == ast.get_source_segment(text, node, padded=padded)


def test_a_long_string_beside_a_layer_class_reads_in_linear_time(tmp_path: Path) -> None:
    # 1 MB: over a minute of CPU when every source segment re-split the file
    path = tmp_path / "long.py"
    path.write_text(f"import keras\nBLOB = {'a' * 1_000_000!r}\n\nclass Scale(keras.layers.Layer):\n"
                    "    def call(self, x):\n        return x * 2\n\n"
                    "inputs = keras.Input((8,))\nmodel = keras.Model(inputs, keras.layers.Dense(4)(Scale()(inputs)))\n")
    for command in ("summary", "lint"):
        assert harness.run(command, path) is None


@pytest.mark.parametrize("n", [limits.MAX_LITERAL_ITEMS, limits.MAX_LITERAL_ITEMS + 1])
def test_a_literal_is_built_up_to_the_bound_and_unknown_past_it(tmp_path: Path, n: int) -> None:
    path = tmp_path / "data.py"
    path.write_text(HEAD + "DATA = [" + ",".join(["4"] * n) + "]\n" + MODEL)
    result = _run("summary", "--format", "json", str(path))
    assert result.exit_code == 0, result.output
    units = json.loads(result.output)["layers"][-1]["output_shape"][-1]
    # past the bound the list is never built: its element is a named size (--set DATA=4 pins it)
    assert units == (4 if n <= limits.MAX_LITERAL_ITEMS else "DATA")


def _names_at(terms: int) -> str:
    """A program of exactly ``terms`` terms, most of them a list of distinct names (the kind of
    text that costs CPython's parser the most memory per term)."""
    head = HEAD + "DATA = []\n" + MODEL
    n = terms - limits.python_terms(head) - limits.python_terms("x = []\n")
    return head + "x = [" + ",".join(f"n{i}" for i in range(n + 1)) + "]\n"


def test_python_terms_bound_is_exact_and_placed(tmp_path: Path) -> None:
    text = _names_at(limits.MAX_PY_TERMS)
    assert limits.python_terms(text) == limits.MAX_PY_TERMS
    path = tmp_path / "at.py"
    path.write_text(text)
    assert _run("summary", str(path)).exit_code == 0
    path.write_text(text + "y = 1\n")
    error = _one_error(_run("summary", str(path)), f"more than {limits.MAX_PY_TERMS} terms")
    assert f"{path}:5:1: error" in error
    nb = tmp_path / "nb.ipynb"
    nb.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 1"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": text + "y = 1\n"}]}))
    assert f"{nb}:cell 2:5:1: error" in _one_error(_run("summary", str(nb)))


def test_json_values_bound(tmp_path: Path) -> None:
    for suffix, what in ((".json", "JSON"), (".ipynb", "notebook")):
        path = tmp_path / f"many{suffix}"
        path.write_text("[" + "{}," * limits.MAX_JSON_VALUES + "{}]")
        _one_error(_run("summary", str(path)), f"the {what} holds too many values to read")
