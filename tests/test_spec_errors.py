"""Malformed specs: one clear `path:line:col: error:` line, exit status 2, no traceback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

ERROR_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$", re.M)

CASES = {
    "bad_yaml": ("input: [64, 64, 3\nlayers:\n  - Dense(3)\n", 2, "invalid YAML", None),
    "unknown_layer": ("input: [8]\nlayers:\n  - Dens(3)\n", 3, "unknown layer type 'Dens'", "did you mean Dense?"),
    "unknown_layer_case": ("input: [8, 8, 1]\nlayers:\n  - Conv2d(3, 3)\n", 3, "unknown layer type", "did you mean Conv2D?"),
    "bad_argument_type": ("input: [8]\nlayers:\n  - Dense('ten')\n", 3, "expected an integer", None),
    "unknown_keyword": ("input: [8]\nlayers:\n  - Dense(3, activaton='relu')\n", 3, "unexpected keyword argument 'activaton'", "did you mean activation?"),
    "unknown_activation": ("input: [8]\nlayers:\n  - Dense(3, activation='rleu')\n", 3, "unknown activation 'rleu'", None),
    "zero_units": ("input: [8]\nlayers:\n  - Dense(0)\n", 3, "must be >= 1", None),
    "negative_kernel": ("input: [8, 8, 1]\nlayers:\n  - Conv2D(4, -3)\n", 3, "kernel_size", None),
    "negative_input": ("input: [-8, 8, 1]\nlayers:\n  - Flatten()\n", 1, "positive integers", None),
    "zero_input": ("input: [0]\nlayers:\n  - Dense(2)\n", 1, "positive integers", None),
    "used_before_defined": ("input: [8]\nlayers:\n  - a: Dense(3)\n  - Add()([a, b])\n  - b: Dense(3)\n", 4, "'b' is used before it is defined", None),
    "self_reference": ("input: [8]\nlayers:\n  - a: Dense(3)([a])\n", 3, "used before it is defined", None),
    "duplicate_name": ("input: [8]\nlayers:\n  - a: Dense(3)\n  - a: Dense(3)\n", 4, "already used", None),
    "empty_layers": ("input: [8]\nlayers: []\n", 2, "non-empty list", None),
    "unknown_section": ("input: [8]\nlayer:\n  - Dense(3)\n", 2, "unknown section 'layer'", "did you mean layers?"),
    "not_a_call": ("input: [8]\nlayers:\n  - 42\n", 3, "expected a layer call", None),
    "bad_syntax": ("input: [8]\nlayers:\n  - Dense(3,, 4)\n", 3, "invalid syntax", None),
    "code_injection": ("input: [8]\nlayers:\n  - Dense(__import__('os').system('echo pwned'))\n", 3, "expected a Keras layer call", None),
    "shape_refusal": ("input: [4, 4, 3]\nlayers:\n  - Conv2D(8, 5)\n", 3, "output size would be", None),
    "missing_required": ("input: [8, 8, 1]\nlayers:\n  - Conv2D(8)\n", 3, "missing the required argument 'kernel_size'", None),
    "repeat_not_int": ("input: [8]\nlayers:\n  - Dense(3) * 'x'\n", 3, "repeat", None),
    "block_missing_param": (
        "input: [8]\nblocks:\n  blk:\n    params: [units]\n    layers:\n      - Dense(units)\nlayers:\n  - blk()\n",
        8, "needs a value for 'units'", None),
    "no_input": ("layers:\n  - Dense(3)\n", 1, "no `input:`", None),
    "top_level_list": ("- Dense(3)\n", 1, "must be a mapping", None),
    "set_unknown_param": None,  # covered below (a command-line error)
}


def _write(tmp_path, text):
    p = tmp_path / "model.yaml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("case", [k for k, v in CASES.items() if v])
def test_malformed_spec(run_cli, tmp_path, case):
    text, line, fragment, hint = CASES[case]
    path = _write(tmp_path, text)
    result = run_cli("summary", str(path))
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert "Traceback" not in err
    errors = ERROR_LINE.findall(err)
    assert len(errors) == 1, err
    m = ERROR_LINE.search(err)
    assert m.group("path") == str(path)
    assert int(m.group("line")) == line, err
    assert fragment in m.group("msg"), err
    if hint:
        assert hint in err


def test_empty_file(run_cli, tmp_path):
    path = _write(tmp_path, "")
    result = run_cli("summary", str(path))
    assert result.exit_code == 2
    assert "the spec is empty" in result.stderr


def test_missing_file(run_cli, tmp_path):
    result = run_cli("summary", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_unsupported_suffix(run_cli, tmp_path):
    p = tmp_path / "model.txt"
    p.write_text("x")
    result = run_cli("summary", str(p))
    assert result.exit_code == 2
    assert "unsupported file type" in result.stderr


def test_set_unknown_parameter(run_cli):
    result = run_cli("summary", "samples/autoencoder.yaml", "--set", "latent=3")
    assert result.exit_code == 2
    assert "no parameter 'latent'" in result.stderr and "latent_dimension" in result.stderr


def test_column_points_into_the_entry(run_cli, tmp_path):
    path = _write(tmp_path, "input: [8]\nlayers:\n  - d: Dense(3, activaton='relu')\n")
    err = run_cli("summary", str(path)).stderr
    m = ERROR_LINE.search(err)
    assert int(m.group("col")) == 8  # the column where `Dense(` starts


def test_yaml_alias_bomb_is_refused_quickly(run_cli, tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                     f"*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, "
                     f"*{chr(96 + i)}, *{chr(96 + i)}]")
    text = "description:\n" + "\n".join("  " + x for x in lines) + "\ninput: [8]\nlayers:\n  - Dense(2)\n"
    result = run_cli("summary", str(_write(tmp_path, text)))
    assert result.exit_code == 2
    assert "too many values" in result.stderr


def test_no_traceback_in_a_real_process(tmp_path):
    path = _write(tmp_path, "input: [8]\nlayers:\n  - Dens(3)\n")
    proc = subprocess.run([sys.executable, "-m", "archcalc", "summary", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"{path}:3:5: error: unknown layer type 'Dens'")
    assert "Traceback" not in proc.stderr
