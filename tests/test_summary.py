"""`archcalc summary`: golden tables for each option at 60, 80 and 120 columns, piped and on a
terminal; nothing cut mid-word; the parameter column sums to the printed totals; nested
rows checked against real Keras.

Rewrite the goldens after an intended change with ``python -m pytest tests/test_summary.py
--overwrite``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import archcalc
from archcalc.cli import cli
from archcalc.render.common import fmt_shape
from tests.conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden" / "summary"
NESTED = GOLDEN / "nested.py"
WIDTHS = (60, 80, 120)

#: golden name -> (model file, summary options)
CASES = {
    "cnn": (SAMPLES / "cnn.yaml", []),
    "unet": (SAMPLES / "unet.yaml", []),
    "unet-trainable": (SAMPLES / "unet.yaml", ["--show-trainable"]),
    "unet-range": (SAMPLES / "unet.yaml", ["--layer-range", "c2:m1"]),
    "unet-layout-table": (SAMPLES / "unet.yaml", ["--layout", "table"]),
    "cnn-columns": (SAMPLES / "cnn.yaml", ["--columns", "input_shape,output_shape,kernel_shape,params",
                                           "--columns", "memory"]),
    "cnn-stacked": (SAMPLES / "cnn.yaml", ["--layout", "stacked"]),
    "nested": (NESTED, []),
    "nested-expand": (NESTED, ["--expand-nested", "--show-trainable"]),
    "nested-depth1-columns": (NESTED, ["--depth", "1", "--columns", "input,output,params,trainable,rf"]),
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _piped(path: Path, options: list[str], width: int) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(cli, ["summary", str(path), *options])
    assert result.exit_code == 0, result.output
    return result.output


def _terminal(path: Path, options: list[str], width: int) -> str:
    """The same table printed on a terminal: rich's Console, forced to be one."""
    from rich.console import Console

    from archcalc.commands.summary import summary
    from archcalc.render.table import render

    ctx = summary.make_context("summary", [str(path), *options])
    p = ctx.params
    console = Console(file=io.StringIO(), force_terminal=True, width=width, color_system="standard")
    render(archcalc.analyze(archcalc.load(path)), console=console, columns=p["columns"],
           show_trainable=p["show_trainable"], layer_range=p["layer_range"], expand_nested=p["expand_nested"],
           depth=p["depth"], layout=p["layout"])
    return console.file.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", list(CASES))
def test_golden_piped_and_terminal(case, width, golden):
    path, options = CASES[case]
    text = _piped(path, options, width)
    golden.check(GOLDEN / f"{case}-{width}.txt", text)
    for line in text.splitlines():
        assert len(line) <= width, f"{case} at {width}: {line!r}"
    on_terminal = _terminal(path, options, width)
    assert "\x1b[1m" in on_terminal  # the title and the header are bold there
    assert ANSI.sub("", on_terminal) == text


def test_goldens_have_cases():
    names = {p.name for p in GOLDEN.glob("*.txt")}
    assert names == {f"{c}-{w}.txt" for c in CASES for w in WIDTHS}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("sample", ["cnn.yaml", "unet.yaml", "resnet_stages.yaml", "multi_input.yaml",
                                    "bidirectional_lstm.yaml", "sentiment.py"])
def test_nothing_is_cut(sample, width):
    """Every layer name, every shape and every number appears whole, at every width, in
    whichever layout the width calls for."""
    analysis = archcalc.analyze(archcalc.load(SAMPLES / sample))
    text = _piped(SAMPLES / sample, ["--show-trainable"], width)
    for row in analysis.rows:
        assert re.search(rf"(^|\s){re.escape(row.name)}(\s|,|$)", text, re.M), row.name
        for shape in row.output_shapes():
            assert fmt_shape(shape) in text, (row.name, shape)
        assert f"{row.params:,}" in text
    assert f"Total params: {analysis.total_params:,}" in text


def _param_column(text: str) -> list[tuple[str, int]]:
    """(layer cell, Param #) for every body row of a printed table."""
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Layer (type)"))
    end = lines[header].index("Param #") + len("Param #")
    rules = [i for i, line in enumerate(lines) if line.startswith("\u2501")]
    out = []
    for line in lines[rules[0] + 1:rules[1]]:
        if line[end - 1:end].isdigit():  # a row's first line (a wrapped cell adds lines without a count)
            number = line[:end].split()[-1]
            out.append((line[:end - len(number)].strip(), int(number.replace(",", ""))))
    return out


#: every model in samples/ (globbed at test time, so a new sample is covered)
ALL_SAMPLES = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*")
                     if p.suffix in (".yaml", ".py", ".ipynb", ".json") and p.name != "archcalc-layers.yaml")


def _count(text: str, label: str) -> int:
    return int(re.search(rf"^{label} params: ([\d,]+)", text, re.M).group(1).replace(",", ""))


@pytest.mark.parametrize("sample", ALL_SAMPLES)
def test_param_column_sums_to_the_totals(sample):
    """torchinfo's invariant: the printed rows add up to the printed totals, and trainable plus
    non-trainable is the total."""
    text = _piped(SAMPLES / sample, [], 250)
    total = _count(text, "Total")
    rows = _param_column(text)
    assert len(rows) == len(archcalc.analyze(archcalc.load(SAMPLES / sample)).rows)
    assert sum(n for _, n in rows) == total
    assert _count(text, "Trainable") + _count(text, "Non-trainable") == total


def test_nested_rows_sum_to_their_parent():
    text = _piped(NESTED, ["--expand-nested"], 200)
    rows = _param_column(text)
    total = int(re.search(r"^Total params: ([\d,]+)", text, re.M).group(1).replace(",", ""))
    assert sum(n for cell, n in rows if "\u2514" not in cell) == total
    parents = {cell.split()[0]: n for cell, n in rows if "\u2514" not in cell}
    children: dict[str, int] = {}
    parent = None
    for cell, n in rows:
        if "\u2514" in cell:
            children[parent] = children.get(parent, 0) + n
        else:
            parent = cell.split()[0]
    assert children == {p: parents[p] for p in ("encoder", "bi", "td_head")}


def test_frozen_nested_model_rows_are_not_trainable():
    text = _piped(NESTED, ["--expand-nested", "--columns", "params,trainable"], 120)
    assert re.search(r"└ enc_dense \(Dense\)\s+136\s+N$", text, re.M)
    assert re.search(r"└ forward_lstm \(LSTM\)\s+208\s+Y$", text, re.M)
    assert "Non-trainable params: 168" in text


def test_layer_range_and_bad_values(run_cli):
    out = run_cli("summary", str(SAMPLES / "unet.yaml"), "--layer-range", "c2:c3").output
    assert "c2 (Conv2D)" in out and "p2 (MaxPooling2D)" in out and "c1 (Conv2D)" not in out
    assert "Shown: 3 of 13 layers (c2 to c3), 369,024 of the params" in out  # 73,856 + 295,168
    bad = CliRunner().invoke(cli, ["summary", str(SAMPLES / "unet.yaml"), "--layer-range", "c44:c3"])
    assert bad.exit_code == 2 and "no layer is named 'c44'" in bad.output and "did you mean c4?" in bad.output
    bad = CliRunner().invoke(cli, ["summary", str(SAMPLES / "cnn.yaml"), "--columns", "param,rff"])
    assert bad.exit_code == 2 and "unknown column 'rff'" in bad.output and "did you mean rf?" in bad.output
    bad = CliRunner().invoke(cli, ["summary", str(SAMPLES / "cnn.yaml"), "--format", "json", "--columns", "rf"])
    assert bad.exit_code == 2 and "--columns: only for --format text" in bad.output


def test_text_is_the_table(run_cli):
    path = str(SAMPLES / "cnn.yaml")
    assert run_cli("summary", path, "--format", "text").output == run_cli("summary", path).output


def test_mistyped_command_gets_a_suggestion():
    result = CliRunner().invoke(cli, ["sumary", str(SAMPLES / "cnn.yaml")])
    assert result.exit_code == 2 and "Did you mean summary?" in result.output


def test_markdown_keeps_the_rf_legend_and_options(run_cli):
    md = run_cli("summary", str(SAMPLES / "unet.yaml"), "--format", "markdown").output
    assert "| m1 (Concatenate) | (None, 64, 64, 384) | 0 | 0 | 18x18* | u1, c2 |" in md
    assert "* = merge of branches on different grids" in md
    plain = run_cli("summary", str(SAMPLES / "cnn.yaml"), "--format", "markdown").output
    assert "* = merge" not in plain
    nested = run_cli("summary", str(NESTED), "--format", "markdown", "--expand-nested", "--show-trainable").output
    assert "| \u00a0\u00a0\u00a0└ backward_lstm (LSTM) | (None, 5, 4) | 208 |" in nested
    assert "| Trainable |" in nested


# --- Keras is the ground truth for what the nested rows hold --------------------------------

@pytest.mark.keras
def test_nested_rows_match_keras():
    """Each expanded row: the name, output shape and parameter count Keras gives the nested
    model's own layers (``layer.layers``), a Bidirectional's forward and backward layers and
    a TimeDistributed's inner layer."""
    import keras

    from archcalc.engine import sub_rows

    keras.backend.clear_session()
    scope: dict = {}
    exec(compile(NESTED.read_text(), str(NESTED), "exec"), scope)  # our own test file
    model = scope["model"]
    analysis = archcalc.analyze(archcalc.load(NESTED))
    for row in analysis.rows:
        layer = model.get_layer(row.name)
        kids = sub_rows(row)
        if hasattr(layer, "layers"):  # the nested Sequential
            expected = [(sub.name, tuple(sub.output.shape), sub.count_params(),
                         sum(int(w.numpy().size) for w in sub.trainable_weights)) for sub in layer.layers]
            got = [(r.name, tuple(r.output_shape), r.params, r.trainable_params) for r in kids]
            assert got == expected
            assert expected[0][3] == 0  # frozen with its model, as archcalc says
        elif hasattr(layer, "forward_layer"):
            pairs = [(layer.forward_layer, layer.input.shape), (layer.backward_layer, layer.input.shape)]
            expected = [(sub.name, tuple(sub.compute_output_shape(shape)), sub.count_params())
                        for sub, shape in pairs]
            assert [(r.name, tuple(r.output_shape), r.params) for r in kids] == expected
        elif hasattr(layer, "layer"):  # TimeDistributed
            inner_in = (layer.input.shape[0], *layer.input.shape[2:])
            expected = [(layer.layer.name, tuple(layer.layer.compute_output_shape(inner_in)),
                         layer.layer.count_params())]
            assert [(r.name, tuple(r.output_shape), r.params) for r in kids] == expected
        else:
            assert kids == []
        assert sum(r.params for r in kids) in (0, layer.count_params())
    assert analysis.total_params == model.count_params()


def test_json_and_table_paths_import_no_rich():
    """rich is only for a console handed to render(); the CLI's table is plain text."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("import sys\nfrom archcalc.cli import main\n"
            "for fmt in ('json', 'table'):\n"
            "    try:\n        main(['summary', 'samples/unet.yaml', '--format', fmt])\n"
            "    except SystemExit as e:\n        assert not e.code\n"
            "print('LOADED:', sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'rich', 'sympy', 'numpy', 'keras', 'tensorflow'}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "LOADED: []"


def test_cost_is_computed_once_per_analysis(monkeypatch):
    """The cost is part of the analysis (``Analysis.cost``, computed on first use): the
    table, JSON and Markdown renderers and the memory estimate all read the same object."""
    from archcalc import cost, render
    from archcalc.engine import analyze
    from archcalc.readers.yaml_spec import load

    calls = []
    real = cost.model_cost

    def counted(analysis):
        calls.append(analysis)
        return real(analysis)

    monkeypatch.setattr(cost, "model_cost", counted)
    analysis = analyze(load(SAMPLES / "cnn.yaml"))
    for fmt in ("table", "json", "markdown"):
        assert render.get(fmt)(analysis)
    from archcalc.memory import budget_measures

    assert budget_measures(analysis)["macs"] == analysis.cost.macs
    assert calls == [analysis]
