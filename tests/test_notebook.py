"""Jupyter notebooks (.ipynb): code cells read in order, IPython syntax skipped, positions
that name the cell (``x.ipynb:cell 7:3:5``) in messages and in every lint format, noqa in
cells, folder discovery, and malformed notebooks refused cleanly (exit 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.engine import analyze
from archcalc.errors import Location, SpecError
from archcalc.lint import LintOptions, lint_paths
from archcalc.readers import load
from archcalc.readers import notebook as nbreader
from archcalc.readers.notebook import read_code, strip_ipython

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def code(text: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": text.splitlines(keepends=True)}


def notebook(*cells: dict, **extra) -> str:
    doc = {"cells": list(cells), "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
           "nbformat": 4, "nbformat_minor": 5}
    doc.update(extra)
    return json.dumps(doc, indent=1)


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


#: the course notes' 8-10-1 Sequential example, with its bug (one sigmoid unit compiled with
#: categorical_crossentropy), as a student's notebook: the compile is in cell 7, line 3
NOTES_BUG = (
    md("# The notes' first Sequential example"),
    code("%matplotlib inline\nimport numpy as np"),
    md("## The model"),
    code("from keras.models import Sequential\nfrom keras.layers import Dense\n\n"
         "model = Sequential()\n"
         "model.add(Dense(10, activation='relu', input_shape=(8,)))\n"
         "model.add(Dense(1, activation='sigmoid'))"),
    md("## Training"),
    code("!pip install -q keras"),
    code("X_train = np.random.rand(100, 8)\n\n"
         "model.compile(optimizer='adam', loss='categorical_crossentropy',\n"
         "              metrics=['accuracy'])"),
    code("history = model.fit(X_train, y_train, epochs=5, batch_size=16)"),
)


@pytest.fixture
def bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bug.ipynb").write_text(notebook(*NOTES_BUG))
    return tmp_path / "bug.ipynb"


# -- reading ------------------------------------------------------------------------------

@pytest.mark.keras
def test_the_sample_notebook_matches_keras() -> None:
    import keras

    model = keras.Sequential([
        keras.Input((64, 64, 3)),
        keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    result = analyze(load(SAMPLES / "notes_cnn.ipynb"))
    rows = [r for r in result.rows if not r.node.is_input]
    assert len(rows) == len(model.layers)
    for row, layer in zip(rows, model.layers, strict=True):
        assert row.output_shape == tuple(layer.output.shape)
        assert row.trainable_params == sum(int(w.numpy().size) for w in layer.trainable_weights)
        assert row.non_trainable_params == sum(int(w.numpy().size) for w in layer.non_trainable_weights)
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(int(w.numpy().size) for w in model.trainable_weights)


@pytest.mark.keras
def test_a_functional_model_spread_over_cells_matches_keras(tmp_path: Path) -> None:
    import keras

    path = tmp_path / "functional.ipynb"
    path.write_text(notebook(
        md("# Two branches"),
        code("%load_ext autoreload\n%autoreload 2\nimport keras\nfrom keras import layers"),
        code("inputs = keras.Input(shape=(32, 32, 3))\nx = layers.Conv2D(16, 3, padding='same')(inputs)"),
        code("?layers.Conv2D"),
        code("a = layers.Conv2D(8, 1)(x)\nb = layers.Conv2D(8, 3, padding='same')(x)\n"
             "x = layers.concatenate([a, b])\nx = layers.GlobalAveragePooling2D()(x)"),
        code("%%time\noutputs = layers.Dense(5, activation='softmax')(x)\nmodel = keras.Model(inputs, outputs)"),
        code("model.summary()\nmodel.fit?"),
    ))
    inputs = keras.Input(shape=(32, 32, 3))
    x = keras.layers.Conv2D(16, 3, padding="same")(inputs)
    a = keras.layers.Conv2D(8, 1)(x)
    b = keras.layers.Conv2D(8, 3, padding="same")(x)
    x = keras.layers.concatenate([a, b])
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, keras.layers.Dense(5, activation="softmax")(x))
    result = analyze(load(path))
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(int(w.numpy().size) for w in model.trainable_weights)
    assert [r.output_shape for r in result.rows] == [tuple(layer.output.shape) for layer in model.layers]


def test_layer_locations_name_the_cell_counting_every_cell() -> None:
    graph = load(SAMPLES / "notes_cnn.ipynb")
    cells = json.loads((SAMPLES / "notes_cnn.ipynb").read_text())["cells"]
    conv = graph.nodes["conv2d"].loc
    assert (conv.cell, conv.line, conv.column) == (7, 5, 11)
    source = "".join(cells[conv.cell - 1]["source"]).splitlines()
    assert source[conv.line - 1][conv.column - 1:].startswith("Conv2D(filters=32")
    assert str(conv) == f"{SAMPLES / 'notes_cnn.ipynb'}:cell 7:5:11"


def test_an_error_in_cell_7_names_cell_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.ipynb"
    path.write_text(notebook(
        md("# title"), code("import keras"), md("text"), code("n = 8"), md("more"), code("print(n)"),
        code("model = keras.Sequential([\n    keras.Input((n,)),\n    keras.layers.Dense(0),\n])"),
    ))
    with pytest.raises(SpecError) as info:
        load(path)
    first = info.value.format().splitlines()[0]
    assert first.startswith(f"{path}:cell 7:3:5: error: Dense"), first
    r = run("summary", str(path))
    assert r.exit_code == 2
    assert r.stderr.splitlines()[0] == first
    assert "Traceback" not in r.output


def test_an_undefined_name_names_its_cell_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.ipynb"
    path.write_text(notebook(md("# t"), code("import keras"),
                             code("model = keras.Sequential([\n    keras.Input((8,)),\n    Flaten(),\n])")))
    r = run("summary", str(path))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"{path}:cell 3:3:")
    assert "name 'Flaten' is not defined\n  hint: did you mean Flatten?" in r.stderr


def test_a_syntax_error_is_placed_in_its_own_cell(tmp_path: Path) -> None:
    """Each cell is parsed alone, as Jupyter runs it: an unclosed bracket does not run on."""
    path = tmp_path / "x.ipynb"
    path.write_text(notebook(code("import keras"), md("m"), code("x = (1,\n  2"), code("y = 3")))
    r = run("summary", str(path))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"{path}:cell 3:1:5: error: invalid Python: '(' was never closed")


def test_nbformat_3_worksheets(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({
        "nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"},
        "worksheets": [{"cells": [
            {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Old notebook"]},
            {"cell_type": "code", "language": "python", "metadata": {}, "outputs": [],
             "input": ["import keras\n", "model = keras.Sequential([keras.Input((8,)),\n",
                       "    keras.layers.Dense(10), keras.layers.Dense(1)])"]},
        ]}],
    }))
    same = tmp_path / "same.py"
    same.write_text("import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10), "
                    "keras.layers.Dense(1)])\n")
    got, want = analyze(load(path)), analyze(load(same))
    assert (got.total_params, got.output_shapes) == (want.total_params, want.output_shapes)
    assert load(path).nodes["dense"].loc.cell == 2


def test_model_option_picks_a_model_in_a_notebook(tmp_path: Path) -> None:
    path = tmp_path / "two.ipynb"
    path.write_text(notebook(
        code("import keras\nsmall = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])"),
        code("big = keras.Sequential([keras.Input((4,)), keras.layers.Dense(20)])"),
    ))
    assert analyze(load(path)).total_params == analyze(load(path, model_name="big")).total_params
    assert analyze(load(path, model_name="small")).total_params != analyze(load(path)).total_params


# -- IPython syntax -----------------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("%matplotlib inline\nimport keras", ["", "import keras"]),
    ("!pip install keras\nx = 1", ["", "x = 1"]),
    ("  !ls", ["  pass"]),  # odd, but Jupyter runs it; kept aligned
    ("?keras.layers.Dense\nx = 1", ["", "x = 1"]),
    ("model.fit?\nx = 1", ["", "x = 1"]),
    ("model??\nx = 1", ["", "x = 1"]),
    ("%%time\nhistory = model.fit(x)", ["", "history = model.fit(x)"]),
    ("\n%%capture out\nx = 1", ["", "", "x = 1"]),
    ("%%bash\nls -l\necho hi", ["", "", ""]),
    ("%%writefile model.py\nimport keras\nmodel = keras.Sequential()", ["", "", ""]),
    ("files = !ls *.csv\nx = 1", ["files = get_ipython().getoutput('ls *.csv')", "x = 1"]),
    ("t = %timeit -o f()\nx = 1", ["t = get_ipython().run_line_magic('timeit', '-o f()')", "x = 1"]),
    ("for i in range(2):\n    %time f(i)\n", ["for i in range(2):", "    pass", ""]),
    ("!pip install \\\n    keras tensorflow\nx = 1", ["", "", "x = 1"]),
    ("pip install keras\nx = 1", ["", "x = 1"]),
    ("matplotlib inline\nx = 1", ["", "x = 1"]),
])
def test_ipython_lines_are_replaced_and_lines_stay_aligned(source: str, expected: list[str]) -> None:
    assert strip_ipython(source) == expected


@pytest.mark.parametrize("source", [
    "get_ipython().run_line_magic('matplotlib', 'inline')\nx = 1",
    "x = (a\n     % b)\n",  # a modulo at the start of a continued line
    'doc = """\n!important\n%s\n"""\n',  # text inside a string
    "ratio = 10 % 3\n",
])
def test_python_is_never_changed(source: str) -> None:
    assert strip_ipython(source) == source.split("\n")


def test_python_next_to_a_magic_is_kept() -> None:
    source = '%matplotlib inline\nx = (a\n     % b)\ndoc = """\n!keep\n"""\n'
    assert strip_ipython(source) == ["", "x = (a", "     % b)", 'doc = """', "!keep", '"""', ""]


def test_the_joined_text_maps_every_line_to_its_cell() -> None:
    nb = read_code(notebook(md("a"), code("x = 1\ny = 2"), md("b"), code("%time z = 3\nw = 4\n")), "n.ipynb")
    assert nb.text.splitlines() == ["x = 1", "y = 2", "", "w = 4", ""]
    assert nb.lines == [(2, 1), (2, 2), (4, 1), (4, 2), (4, 3)]
    assert nb.locate(4, 3) == Location("n.ipynb", 2, 3, cell=4)
    assert nb.locate(99, 1) == Location("n.ipynb")


def test_location_renders_the_cell() -> None:
    assert str(Location("x.ipynb", 3, 5, cell=7)) == "x.ipynb:cell 7:3:5"
    assert str(Location("x.ipynb", cell=7)) == "x.ipynb:cell 7"
    assert str(Location("x.py", 3, 5)) == "x.py:3:5"


# -- malformed notebooks ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("{not json", ":1:2: error: invalid notebook: not JSON"),
    ("", ":1:1: error: invalid notebook: not JSON"),
    ("[1, 2]", ": error: a notebook is a JSON object, got a list"),
    ('{"cells": 3}', ": error: `cells` must be a list, got a number"),
    ('{"nbformat": 4, "cells": [3]}', ":cell 1: error: a cell must be a JSON object, got a number"),
    ('{"nbformat": 4, "cells": [{"source": "x"}]}', ":cell 1: error: the cell has no `cell_type` string"),
    ('{"nbformat": 4, "cells": [{"cell_type": "markdown"}, {"cell_type": "code", "source": 5}]}',
     ":cell 2: error: the cell's `source` must be a string or a list of strings, got a number"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a", 1]}]}',
     ":cell 1: error: the cell's `source` must be a string or a list of strings, got a list"),
    ('{"nbformat": "4", "cells": []}', ": error: `nbformat` must be a number, got a string"),
    ('{"nbformat": 2, "cells": []}', ": error: nbformat 2 is not supported"),
    ('{"nbformat": 3, "worksheets": 1}', ": error: an nbformat 3 notebook has a list of `worksheets`"),
    ('{"class_name": "Sequential", "config": {}}', ": error: this JSON is not a Jupyter notebook"),
    ('{"nbformat": 4, "metadata": {"kernelspec": {"language": "R"}}, "cells": []}',
     ": error: the notebook's language is 'R', not Python"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x = 1"}]}',
     ": error: no Keras model is built in this file"),
    ('{"nbformat": ' + "4" * 5000 + ', "cells": []}', ": error: invalid notebook: "),
    ("[" * 100_000 + "]" * 100_000, ": error: "),
])
def test_malformed_notebooks_exit_2_with_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    r = run("summary", str(path))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"{path}{message}"), r.stderr
    assert "Traceback" not in r.output and " object at 0x" not in r.output


def test_a_huge_notebook_is_refused_before_it_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nbreader, "MAX_BYTES", 1000)
    path = tmp_path / "huge.ipynb"
    path.write_text(notebook(code("x = 1\n" * 500)))
    r = run("summary", str(path))
    assert r.exit_code == 2
    assert r.stderr.startswith(f"{path}: error: the file is too large (")


def test_too_much_code_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nbreader, "MAX_CODE_BYTES", 100)
    with pytest.raises(SpecError, match="too much code"):
        read_code(notebook(*[code("x = 1\n" * 10) for _ in range(3)]), "n.ipynb")


def test_lint_reports_a_malformed_notebook_as_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(notebook(code("import keras"), code("model = keras.Sequential(")))
    result = lint_paths([str(path)], LintOptions(isolated=True))
    assert result.exit_code == 2
    assert [e.format().splitlines()[0] for e in result.input_errors] == [
        f"{path}:cell 2:1:25: error: invalid Python: '(' was never closed"]


# -- lint ---------------------------------------------------------------------------------

AC101_MESSAGE = ("categorical_crossentropy on the one-unit output 'dense_1': over a single class the "
                 "loss is always 0 and nothing is learned")


def test_lint_text_points_at_the_cell(bug: Path) -> None:
    r = run("lint", "--isolated", "bug.ipynb")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0] == f"bug.ipynb:cell 7:3:1: AC101 [error] {AC101_MESSAGE}"
    assert r.stdout.splitlines()[-1] == "1 error in 1 file"


def test_lint_json_has_a_cell_field(bug: Path) -> None:
    r = run("lint", "--isolated", "bug.ipynb", "--format", "json")
    finding = json.loads(r.stdout)["findings"][0]
    assert {k: finding[k] for k in ("path", "cell", "line", "column", "code")} == {
        "path": "bug.ipynb", "cell": 7, "line": 3, "column": 1, "code": "AC101"}
    assert list(finding)[:4] == ["path", "cell", "line", "column"]


def test_lint_sarif_gives_the_cell_line_and_the_cell(bug: Path) -> None:
    r = run("lint", "--isolated", "bug.ipynb", "--format", "sarif")
    result = json.loads(r.stdout)["runs"][0]["results"][0]
    location = result["locations"][0]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "bug.ipynb"},
                                            "region": {"startLine": 3, "startColumn": 1}}
    assert location["properties"] == {"cell": 7}
    assert result["message"]["text"].startswith(f"cell 7:3:1: {AC101_MESSAGE}")


def test_lint_sarif_of_a_notebook_is_valid_sarif(bug: Path) -> None:
    from test_lint_sarif import validate  # the SARIF 2.1.0 schema subset kept there

    (bug.parent / "broken.ipynb").write_text("{")
    r = run("lint", "--isolated", "bug.ipynb", "broken.ipynb", "--format", "sarif")
    doc = json.loads(r.stdout)
    validate(doc)
    note = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "broken.ipynb"}


def test_lint_github_puts_the_cell_in_title_and_message(bug: Path) -> None:
    r = run("lint", "--isolated", "bug.ipynb", "--format", "github")
    assert r.stdout.splitlines() == [
        f"::error file=bug.ipynb,line=1,title=AC101 cell 7%3A3%3A1::cell 7:3:1: {AC101_MESSAGE} "
        "(hint: for a yes/no target use loss='binary_crossentropy' with one sigmoid unit; for n classes "
        "use Dense(n, activation='softmax')) (see bug.ipynb:cell 4:6:11: the output layer 'dense_1')"]


def test_noqa_works_inside_a_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cells = list(NOTES_BUG)
    cells[6] = code("X_train = np.random.rand(100, 8)\n\n"
                    "model.compile(optimizer='adam', loss='categorical_crossentropy',  # archcalc: noqa: AC101\n"
                    "              metrics=['accuracy'])")
    cells[7] = code("x = 1  # archcalc: noqa")  # nothing on this line: reported as unused
    (tmp_path / "ok.ipynb").write_text(notebook(*cells))
    result = lint_paths(["ok.ipynb"], LintOptions(isolated=True))
    assert [(f.code, f.cell, f.line, f.column) for f in result.findings] == [("AC900", 8, 1, 8)]
    assert result.exit_code == 0


def test_lint_finds_notebooks_in_folders_and_skips_those_without_keras(tmp_path: Path) -> None:
    (tmp_path / "bug.ipynb").write_text(notebook(*NOTES_BUG))
    (tmp_path / "pandas.ipynb").write_text(notebook(
        md("# Not a model"), code("import pandas as pd\ndf = pd.read_csv('x.csv')\ndf.add(1)")))
    (tmp_path / "outputs_only.ipynb").write_text(notebook(
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["print(1)"],
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["keras Sequential Model(\n"]}]}))
    result = lint_paths([str(tmp_path)], LintOptions(isolated=True))
    assert result.files == [str(tmp_path / "bug.ipynb")]
    skipped = lint_paths([str(tmp_path / "pandas.ipynb")], LintOptions(isolated=True, skip_non_models=True))
    assert skipped.files == []
