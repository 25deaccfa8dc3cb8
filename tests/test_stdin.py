"""`-` reads standard input in every command that takes a model file (format given with
--stdin-format or sniffed, messages naming `<stdin>`, size-capped), and a UTF-8 byte-order
mark reads in every text front-end without shifting a column."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.engine import analyze
from archcalc.errors import SpecError
from archcalc.readers import load, sniff
from archcalc.readers.builder import read_stdin

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BOM = b"\xef\xbb\xbf"

#: a Keras 3 model.to_json() of Sequential([Input((8,)), Dense(10, relu), Dense(1, sigmoid)]),
#: written by hand in the form Keras saves (the reader computes every shape from the configs)
KERAS_JSON = json.dumps({
    "module": "keras", "class_name": "Sequential",
    "config": {"name": "sequential", "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer",
         "config": {"batch_shape": [None, 8], "dtype": "float32", "sparse": False, "name": "input_layer"}},
        {"module": "keras.layers", "class_name": "Dense",
         "config": {"name": "dense", "trainable": True, "units": 10, "activation": "relu", "use_bias": True}},
        {"module": "keras.layers", "class_name": "Dense",
         "config": {"name": "dense_1", "trainable": True, "units": 1, "activation": "sigmoid", "use_bias": True}},
    ]},
})


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    """One model file per format (the notes' samples and the JSON above)."""
    (tmp_path / "model.json").write_text(KERAS_JSON)
    return {"yaml": SAMPLES / "cnn.yaml", "py": SAMPLES / "cnn.py", "ipynb": SAMPLES / "notes_cnn.ipynb",
            "json": tmp_path / "model.json"}


def totals(analysis) -> tuple:
    return (analysis.total_params, analysis.trainable_params, analysis.output_shapes)


# -- every format, sniffed or given ---------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "py", "ipynb", "json"])
def test_sniffing_tells_each_format_apart(sources: dict[str, Path], fmt: str) -> None:
    assert sniff(sources[fmt].read_text()) == fmt


@pytest.mark.parametrize(("text", "fmt"), [
    ('{"input": [8], "layers": ["Dense(1)"]}', "yaml"),  # a spec written as JSON is YAML
    ("{input: [8], layers: [Dense(1)]}", "yaml"),  # a YAML flow mapping
    ('{"nbformat": 4}', "ipynb"),
    ("{broken", "json"),  # the JSON reader says where
    ("layers: list = []\nimport keras\n", "py"),  # an annotation, not a spec
    ("# no layers key\ninput: [8]\n", "py"),
])
def test_sniffing_edge_cases(text: str, fmt: str) -> None:
    assert sniff(text) == fmt


@pytest.mark.parametrize("fmt", ["yaml", "py", "ipynb", "json"])
@pytest.mark.parametrize("given", [False, True])
def test_summary_reads_standard_input_like_the_file(sources: dict[str, Path], fmt: str, given: bool) -> None:
    path = sources[fmt]
    args = ["summary", "-", "--format", "json", *(["--stdin-format", fmt] if given else [])]
    r = run(*args, input=path.read_bytes())
    assert r.exit_code == 0, r.output
    f = run("summary", str(path), "--format", "json")
    got, want = json.loads(r.stdout), json.loads(f.stdout)
    assert (got["total_params"], got["trainable_params"]) == (want["total_params"], want["trainable_params"])
    assert got["layers"] == want["layers"]


@pytest.mark.parametrize("command", [["explain"], ["diagram"], ["convert"]])
def test_the_other_commands_read_standard_input(command: list[str]) -> None:
    source = (SAMPLES / "cnn.py").read_bytes()
    r = run(*command, "-", input=source)
    f = run(*command, str(SAMPLES / "cnn.py"))
    assert r.exit_code == 0 == f.exit_code, r.output
    if command == ["convert"]:
        assert r.stdout.splitlines()[0] == "# Converted by archcalc from <stdin>; shapes and parameter counts are unchanged."
        assert r.stdout.splitlines()[1:] == f.stdout.splitlines()[1:]
    else:
        assert r.stdout == f.stdout


def test_stdin_format_overrides_sniffing() -> None:
    r = run("summary", "-", "--stdin-format", "yaml", input=(SAMPLES / "cnn.py").read_bytes())
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>:")
    assert "invalid YAML" in r.stderr


def test_stdin_format_without_dash_is_a_usage_error() -> None:
    r = run("summary", str(SAMPLES / "cnn.py"), "--stdin-format", "py")
    assert r.exit_code == 2
    assert "--stdin-format describes standard input, but no file is `-`" in r.stderr


def test_messages_name_stdin() -> None:
    r = run("summary", "-", input="import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(0)])\n")
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>:2:")
    nb = json.dumps({"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "# t"},
                                              {"cell_type": "code", "source": "x = (1,"}]})
    r = run("summary", "-", input=nb)
    assert r.stderr.startswith("<stdin>:cell 2:1:5: error: invalid Python: '(' was never closed")


def test_model_option_works_on_standard_input() -> None:
    text = ("import keras\nsmall = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
            "big = keras.Sequential([keras.Input((4,)), keras.layers.Dense(20)])\n")
    r = run("summary", "-", "--model", "small", "--format", "json", input=text)
    assert json.loads(r.stdout)["total_params"] == (4 + 1) * 2  # the notes' (n + 1) * u


def test_a_keras_archive_on_standard_input_is_refused_clearly() -> None:
    r = run("summary", "-", input=b"PK\x03\x04" + b"\0" * 100)
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>: error: standard input holds a zip archive")


def test_binary_garbage_on_standard_input() -> None:
    r = run("summary", "-", input=b"\xff\xfe\x00garbage")
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>: error: the file is not UTF-8 text")
    assert "Traceback" not in r.output


# -- size cap ---------------------------------------------------------------------------------

def test_read_stdin_reads_at_most_the_cap_plus_one_byte() -> None:
    stream = io.BytesIO(b"x" * 10_000)
    with pytest.raises(SpecError, match="standard input is too large"):
        read_stdin(100, stream)
    assert stream.tell() == 101
    assert read_stdin(100, io.BytesIO(b"y" * 100)) == b"y" * 100


def test_a_huge_standard_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from archcalc.readers import yaml_spec
    from archcalc.readers.python import interpreter

    monkeypatch.setattr(interpreter, "MAX_BYTES", 50)  # the format's own cap applies after sniffing
    r = run("summary", "-", input=(SAMPLES / "cnn.py").read_bytes())
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>: error: standard input is too large for py (the limit is 50 bytes)")
    monkeypatch.setattr(yaml_spec, "MAX_BYTES", 50)
    r = run("summary", "-", "--stdin-format", "yaml", input=(SAMPLES / "cnn.yaml").read_bytes())
    assert r.stderr.startswith("<stdin>: error: standard input is too large (more than 50 bytes)")


# -- lint -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "where"), [
    ("yaml", "<stdin>:11:1:"), ("py", "<stdin>:14:1:"), ("ipynb", "<stdin>:cell 3:8:1:")])
def test_lint_reads_standard_input(fmt: str, where: str) -> None:
    if fmt == "ipynb":  # the sample's code after its docstring, as the notebook's third cell
        body = (SAMPLES / "sequential_8_10_1.py").read_text().split('"""\n', 1)[1]
        assert body.splitlines()[7].startswith("model.compile(")
        cells = [{"cell_type": "markdown", "source": "# the notes' bug"},
                 {"cell_type": "code", "source": "%matplotlib inline"},
                 {"cell_type": "code", "source": body}]
        text = json.dumps({"nbformat": 4, "cells": cells})
    else:
        text = (SAMPLES / f"sequential_8_10_1.{fmt}").read_text()
    r = run("lint", "--isolated", "-", input=text)
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith(f"{where} AC101 ")
    r = run("lint", "--isolated", "-", "--stdin-format", fmt, "--format", "json", input=text)
    assert json.loads(r.stdout)["findings"][0]["path"] == "<stdin>"


def test_lint_standard_input_with_noqa_and_files_together() -> None:
    text = (SAMPLES / "sequential_8_10_1.py").read_text().replace(
        "# bug kept from the notes", "# archcalc: noqa: AC101")
    r = run("lint", "--isolated", "-", str(SAMPLES / "sequential_8_10_1.yaml"), input=text)
    assert r.exit_code == 1
    assert "<stdin>" not in r.stdout
    assert r.stdout.splitlines()[-1] == "1 error in 2 files"


def test_lint_of_broken_standard_input_is_an_input_error() -> None:
    r = run("lint", "--isolated", "-", input="def f(:\n")
    assert r.exit_code == 2
    assert r.stderr.startswith("<stdin>:1:7: error: invalid Python")


# -- byte-order marks ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "py", "ipynb", "json"])
def test_a_bom_file_reads_in_every_front_end(sources: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    path = sources[fmt]
    bom = tmp_path / f"bom{path.suffix}"
    bom.write_bytes(BOM + path.read_bytes())
    assert totals(analyze(load(bom))) == totals(analyze(load(path)))
    r = run("lint", "--isolated", str(bom))
    assert r.exit_code in (0, 1) and "could not be read" not in r.stdout, r.output
    s = run("summary", "-", input=BOM + path.read_bytes())
    assert s.exit_code == 0, s.output


@pytest.mark.parametrize(("suffix", "text"), [
    (".yaml", "input: [8]\nlayers: [Dense(1, activation='rleu')]\n"),
    (".yaml", "input: [8]\nlayers:\n  - Dense(1)\n  - Conv2d(3)\n"),
    (".yaml", "{input: [8], layers: [Dense(1)], oops: 1}\n"),
    (".py", "import keras; model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(0)])\n"),
    (".py", "x = (1,\n"),
    (".json", '{"class_name": "Sequential", "config": {"layers": [}'),
    (".ipynb", '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x = (1,"}]}'),
])
def test_a_bom_does_not_shift_positions(tmp_path: Path, suffix: str, text: str) -> None:
    plain, bom = tmp_path / f"plain{suffix}", tmp_path / f"bom{suffix}"
    plain.write_text(text)
    bom.write_bytes(BOM + text.encode())
    a, b = run("summary", str(plain)), run("summary", str(bom))
    assert a.exit_code == 2 == b.exit_code
    assert a.stderr.replace(str(plain), "F") == b.stderr.replace(str(bom), "F")
    assert a.stderr.startswith(f"{plain}:")
