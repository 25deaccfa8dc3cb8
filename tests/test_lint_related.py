"""Findings are reported where the fix goes, and name the other line involved: in the text
report (``note:``), in JSON (``related``), in SARIF (``relatedLocations``) and in GitHub
annotations."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from archcalc.cli import cli

STACKED = """\
from keras.models import Sequential
from keras.layers import LSTM, Dense

model = Sequential()
model.add(LSTM(50, input_shape=(60, 1)))
model.add(LSTM(50))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
"""

FLATTEN = """\
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Conv2D(16, 3, activation='relu', input_shape=(28, 28, 1)),
    keras.layers.MaxPooling2D(2),
    keras.layers.Dense(64, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy')
"""


def _lint(tmp_path: Path, text: str, fmt: str, *extra: str) -> str:
    path = tmp_path / "bug.py"
    path.write_text(text)
    r = CliRunner().invoke(cli, ["lint", "--isolated", "--format", fmt, *extra, str(path)])
    assert r.exit_code == 1, r.output
    return r.stdout


def test_stacked_lstm_is_reported_at_the_lstm_to_fix_with_the_refusing_layer_named(tmp_path: Path) -> None:
    doc = json.loads(_lint(tmp_path, STACKED, "json"))
    [f] = [f for f in doc["findings"] if f["code"] == "AC206"]
    assert f["line"] == 5 and "return_sequences=True" in f["hint"]
    assert [(r["line"], "lstm_1" in r["message"]) for r in f["related"]] == [(6, True)]


def test_missing_flatten_goes_before_the_first_dense_that_reads_the_feature_map(tmp_path: Path) -> None:
    text = _lint(tmp_path, FLATTEN, "text")
    assert "bug.py:6:5: AC201" in text, text
    assert "note: " in text and "bug.py:7:5: the classifier 'dense_1'" in text, text


def test_sarif_related_locations(tmp_path: Path) -> None:
    log = json.loads(_lint(tmp_path, FLATTEN, "sarif"))
    [res] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "AC201"]
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    [rel] = res["relatedLocations"]
    assert rel["id"] == 1 and rel["physicalLocation"]["region"]["startLine"] == 7
    assert rel["physicalLocation"]["artifactLocation"]["uri"].endswith("bug.py")
    assert "dense_1" in rel["message"]["text"]


def test_github_annotation_names_the_other_line(tmp_path: Path) -> None:
    out = _lint(tmp_path, FLATTEN, "github")
    [line] = [ln for ln in out.splitlines() if "AC201" in ln]
    assert line.startswith("::error ") and ",line=6," in line and "bug.py:7:5" in line


OUTPUT_VS_LOSS = """\
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Dense(32, activation='relu', input_shape=(12,)),
    keras.layers.Dense(6, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
"""

LOGITS = """\
from tensorflow import keras

model = keras.Sequential([
    keras.layers.Flatten(input_shape=(28, 28)),
    keras.layers.Dense(10),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
"""


def test_output_activation_that_misfits_the_loss_is_reported_at_the_layer(tmp_path: Path) -> None:
    """AC102: the repair is the output layer's activation; the compile() line is named."""
    doc = json.loads(_lint(tmp_path, OUTPUT_VS_LOSS, "json", "--strict"))  # a warning
    [f] = [f for f in doc["findings"] if f["code"] == "AC102"]
    assert f["line"] == 5
    assert [(r["line"], "categorical_crossentropy" in r["message"]) for r in f["related"]] == [(7, True)]


def test_class_scores_left_as_logits_are_reported_at_the_compile_call(tmp_path: Path) -> None:
    """AC104 on Dense(10) without activation: from_logits=True in compile() is the repair,
    and the output layer is named."""
    doc = json.loads(_lint(tmp_path, LOGITS, "json"))
    [f] = [f for f in doc["findings"] if f["code"] == "AC104"]
    assert f["line"] == 7 and f["hint"].startswith("pass from_logits=True")
    assert [r["line"] for r in f["related"]] == [5]
