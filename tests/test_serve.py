"""`archcalc serve`: every endpoint over HTTP (Starlette's TestClient), hostile inputs
included. Every number the page shows is compared with the CLI's own output for the same
text; the CLI's numbers are Keras's (tests/test_keras_parity.py and the golden files)."""

from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SAMPLES, in_ci

try:
    from starlette.testclient import TestClient
except ImportError:  # the web extra is part of dev: in CI its absence is a failure, not a skip
    if in_ci():
        raise
    pytest.skip("archcalc serve needs the web extra: pip install -e '.[dev]'", allow_module_level=True)

from archcalc.cli import cli  # noqa: E402
from archcalc.web import service  # noqa: E402
from archcalc.web.app import MAX_BODY_BYTES, create_app  # noqa: E402

BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url=BASE) as c:
        yield c


def cli_out(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def analyze(client, text: str, fmt: str = "auto", pins: dict | None = None):
    return client.post("/api/analyze", json={"text": text, "format": fmt, "pins": pins or {}})


# -- the page and its files ---------------------------------------------------------------------

def test_index_has_no_inline_script_and_a_strict_csp(client):
    r = client.get("/")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    html = r.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handlers are blocked by the CSP"
    assert "http://" not in html and "https://" not in html, "nothing is fetched from another site"


def test_static_files_are_the_packages_own(client):
    for name in ("app.js", "app.css", "favicon.svg"):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and r.content, name
        assert "content-security-policy" in r.headers
    js = client.get("/static/app.js").text
    assert "http://" not in js.replace("http://www.w3.org/2000/svg", "") and "https://" not in js
    assert "eval(" not in js and "innerHTML" not in js


@pytest.mark.parametrize("path", ["/static/../service.py", "/static/%2e%2e/service.py", "/static/..%2fapp.py",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/api/samples/..%2f..%2fapp.py",
                                  "/api/samples/../../../etc/passwd"])
def test_no_path_reaches_the_file_system(client, path):
    r = client.get(path)
    assert r.status_code in (404, 422)
    assert "import" not in r.text and "root:" not in r.text


def test_unknown_routes_and_methods(client):
    assert client.get("/api/nothing").status_code == 404
    r = client.put("/api/analyze", json={})
    assert r.status_code == 405 and "error" in r.json()
    assert client.get("/api/analyze").status_code == 405


# -- samples -----------------------------------------------------------------------------------

def test_the_menus_models_are_the_bundled_samples():
    """The menu reads the samples where `archcalc samples` finds them (one copy, no drift)."""
    for key, (name, _title) in service.SAMPLES.items():
        assert service.sample_text(key)["text"] == (SAMPLES / name).read_text(encoding="utf-8"), name


def test_every_sample_reads_with_the_clis_numbers(client):
    listed = client.get("/api/samples").json()
    assert {s["id"] for s in listed} == set(service.SAMPLES)
    for s in listed:
        sample = client.get(f"/api/samples/{s['id']}").json()
        r = analyze(client, sample["text"], sample["format"])
        assert r.status_code == 200, (s["id"], r.text)
        page = r.json()
        name = service.SAMPLES[s["id"]][0]
        report = json.loads(cli_out("summary", str(SAMPLES / name), "--format", "json"))
        assert page["name"] == report["name"]
        assert [row["name"] for row in page["rows"]] == [row["name"] for row in report["layers"]]
        assert [row["params_value"] for row in page["rows"]] == [
            row["params"] if isinstance(row["params"], int) else None for row in report["layers"]]
        # the footer is the CLI's, line for line
        text = " ".join(cli_out("summary", str(SAMPLES / name)).split())  # the CLI wraps to the terminal
        for line in page["footer"]:
            assert " ".join(line.split()) in text, (s["id"], line)


def test_unknown_sample(client):
    r = client.get("/api/samples/nope")
    assert r.status_code == 422
    assert "no sample 'nope'" in r.json()["error"]["message"]


# -- the summary ------------------------------------------------------------------------------

def test_summary_cells_are_the_clis(client):
    text = (SAMPLES / "cnn.yaml").read_text()
    page = analyze(client, text).json()
    conv = next(r for r in page["rows"] if r["name"] == "conv2d")
    assert (conv["output_shape"], conv["params"], conv["trainable"], conv["non_trainable"], conv["macs"],
            conv["rf"]) == ("(None, 62, 62, 32)", "896", "896", "0", "3.32M", "3x3")
    table = cli_out("summary", str(SAMPLES / "cnn.yaml"), "--columns", "output_shape,params,macs,rf,memory")
    for row in page["rows"]:
        line = next(ln for ln in table.splitlines() if ln.startswith(row["name"] + " "))
        for key in ("output_shape", "params", "macs", "rf", "memory"):
            assert row[key] in line, (row["name"], key)
    assert page["format"] == "yaml" and page["symbols"] == []


def test_connections_are_shown_for_a_graph(client):
    page = analyze(client, (SAMPLES / "unet.yaml").read_text()).json()
    assert page["connections"] is True
    m1 = next(r for r in page["rows"] if r["name"] == "m1")
    assert m1["connected_to"] == "u1, c2"  # m1: Concatenate()([u1, c2])
    assert analyze(client, (SAMPLES / "cnn.yaml").read_text()).json()["connections"] is False


def test_batch_norm_trainable_split(client):
    text = "input: [8, 8, 3]\nlayers:\n  - Conv2D(4, 3)\n  - BatchNormalization()\n"
    page = analyze(client, text).json()
    bn = page["rows"][-1]
    assert (bn["params"], bn["trainable"], bn["non_trainable"]) == ("16", "8", "8")


KERAS_STACKS = [
    # the notes' CNN with the kernel edited to 5 x 5 (the browser test's journey)
    (["Conv2D(32, (5, 5), activation='relu')", "MaxPooling2D((2, 2))", "Flatten()",
      "Dense(128, activation='relu')", "Dense(10, activation='softmax')"], (64, 64, 3)),
    (["Conv2D(4, 3)", "BatchNormalization()", "Flatten()", "Dense(2)"], (8, 8, 3)),
    (["Conv1D(16, 5, strides=2, padding='same')", "MaxPooling1D(2)", "GlobalAveragePooling1D()", "Dense(3)"], (100, 8)),
]


@pytest.mark.keras
@pytest.mark.parametrize("calls,shape", KERAS_STACKS)
def test_page_numbers_are_keras(client, calls, shape):
    """The page's shapes and trainable / non-trainable counts for a stack are Keras's own."""
    from tests.kerasref import keras_stack, spec_text

    keras = keras_stack(calls, shape)
    page = analyze(client, spec_text(calls, shape), "yaml").json()
    rows = [r for r in page["rows"] if r["type"] != "InputLayer"]
    for row, k in zip(rows, keras, strict=True):
        assert row["output_shape"] == str(tuple(k.output))  # "(None, 60, 60, 32)", as Keras prints it
        assert (row["trainable"], row["non_trainable"]) == (f"{k.trainable:,}", f"{k.non_trainable:,}")


def test_editing_a_kernel_changes_the_table(client):
    text = (SAMPLES / "cnn.yaml").read_text()
    before = analyze(client, text).json()["rows"][1]
    after = analyze(client, text.replace("(3, 3)", "(5, 5)")).json()["rows"][1]
    assert (before["output_shape"], after["output_shape"]) == ("(None, 62, 62, 32)", "(None, 60, 60, 32)")
    assert after["params"] == "2,432"  # (5 x 5 x 3 + 1) x 32


def test_python_code_is_read_not_run(client, tmp_path):
    marker = tmp_path / "pwned"
    payloads = [
        f"import os\nos.system('touch {marker}')\n",
        f"__import__('os').system('touch {marker}')\n",
        f"open('{marker}', 'w').write('x')\n",
        f"exec(\"open('{marker}', 'w')\")\n",
        f"eval(compile(\"open('{marker}', 'w')\", 'x', 'exec'))\n",
        f"import subprocess\nsubprocess.run(['touch', '{marker}'])\n",
        f"import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n        open('{marker}', 'w')\n"
        f"        return x\nmodel = keras.Sequential([keras.Input((4,)), L()])\nopen('{marker}', 'w')\n",
    ]
    for code in payloads:
        for endpoint in ("/api/analyze", "/api/diagram", "/api/export/keras", "/api/export/json"):
            r = client.post(endpoint, json={"text": code, "format": "py"})
            assert r.status_code in (200, 422), (endpoint, r.text)
    assert not marker.exists()


def test_yaml_tags_are_not_constructed(client, tmp_path):
    marker = tmp_path / "pwned"
    text = f"input: [4]\nlayers: !!python/object/apply:os.system ['touch {marker}']\n"
    r = analyze(client, text, "yaml")
    assert r.status_code == 422
    assert not marker.exists()


def test_errors_are_the_clis_with_the_place(client):
    cases = [
        ("yaml", "input: [32, 32, 3]\nlayers:\n  - Conv2D(8, 3\n"),
        ("yaml", "input: [32, 32, 3]\nlayers:\n  - Conv2D(8, 3)\n  - Dense(10)\n  - Flaten()\n"),
        ("py", "import keras\nmodel = keras.Sequential([\n  keras.Input((4,)),\n  keras.layers.Dense(3,\n"),
        ("yaml", "input: [4, 4, 1]\nlayers:\n  - Conv2D(8, 5)\n"),
    ]
    for fmt, text in cases:
        r = analyze(client, text, fmt)
        assert r.status_code == 422, r.text
        err = r.json()["error"]
        result = CliRunner().invoke(cli, ["summary", "-", "--stdin-format", fmt], input=text)
        assert result.exit_code == 2
        assert err["text"] == result.output.strip().replace("<stdin>", "<editor>")
        assert err["line"] > 0 and err["column"] > 0
        assert "Traceback" not in err["text"] and "object at 0x" not in err["text"]


def test_empty_editor_and_wrong_fields(client):
    assert "empty" in analyze(client, "   \n").json()["error"]["message"]
    r = client.post("/api/analyze", json={"text": 5})
    assert r.status_code == 422
    r = client.post("/api/analyze", json={"text": "input: [3]\nlayers: []\n", "format": "exe"})
    assert r.status_code == 422 and "unknown format" in r.json()["error"]["message"]


# -- pins (--set) ------------------------------------------------------------------------------

SYMBOLIC_PY = """import numpy as np
from tensorflow import keras
X = np.load("data.npy")
model = keras.Sequential([keras.Input(shape=(X.shape[1],)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(1)])
"""


def test_python_unknown_sizes_and_pins_are_set(client, tmp_path):
    page = analyze(client, SYMBOLIC_PY, "py").json()
    assert page["symbols"] == ["X.shape[1]"]
    assert page["rows"][1]["params"] == "64 × X.shape[1] + 64"
    pinned = analyze(client, SYMBOLIC_PY, "py", {"X.shape[1]": "20"}).json()
    src = tmp_path / "model.py"
    src.write_text(SYMBOLIC_PY)
    report = json.loads(cli_out("summary", str(src), "--set", "X.shape[1]=20", "--format", "json"))
    assert [r["params_value"] for r in pinned["rows"]] == [r["params"] for r in report["layers"]]
    assert pinned["symbols"] == []


def test_yaml_input_sizes_and_params_are_pinned(client):
    text = (SAMPLES / "unet_symbolic.yaml").read_text()
    assert analyze(client, text).json()["symbols"] == ["H", "W"]
    pinned = analyze(client, text, pins={"H": 128, "W": 128}).json()
    # the same model with 128 x 128 written in: the notes' U-Net sample
    fixed = analyze(client, text.replace("input: [H, W, 1]", "input: [128, 128, 1]")).json()
    assert [r["output_shape"] for r in pinned["rows"]] == [r["output_shape"] for r in fixed["rows"]]
    auto = (SAMPLES / "autoencoder.yaml").read_text()
    page = analyze(client, auto, pins={"latent_dimension": 64}).json()
    report = json.loads(cli_out("summary", str(SAMPLES / "autoencoder.yaml"), "--set", "latent_dimension=64",
                                "--format", "json"))
    assert [r["params_value"] for r in page["rows"]] == [r["params"] for r in report["layers"]]


@pytest.mark.parametrize("pins", [{"H": "0"}, {"H": "-3"}, {"H": "abc"}, {"H": 2**70}, {"Q": 3}, [1, 2],
                                  {str(i): 1 for i in range(100)}])
def test_bad_pins(client, pins):
    text = (SAMPLES / "unet_symbolic.yaml").read_text()
    r = client.post("/api/analyze", json={"text": text, "pins": pins})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"]


TWO_MODELS = """import keras
from keras import layers
small = keras.Sequential([keras.Input((8,)), layers.Dense(4)])
big = keras.Sequential([keras.Input((8,)), layers.Dense(64), layers.Dense(1)])
"""


def test_a_file_with_several_models(client, tmp_path):
    src = tmp_path / "two.py"
    src.write_text(TWO_MODELS)
    page = analyze(client, TWO_MODELS, "py").json()
    assert (page["models"], page["variable"]) == (["small", "big"], "big")
    r = client.post("/api/analyze", json={"text": TWO_MODELS, "format": "py", "model": "small"})
    report = json.loads(cli_out("summary", str(src), "--model", "small", "--format", "json"))
    assert [row["params_value"] for row in r.json()["rows"]] == [row["params"] for row in report["layers"]]
    r = client.post("/api/analyze", json={"text": TWO_MODELS, "format": "py", "model": "nope"})
    assert r.status_code == 422 and r.json()["error"]["hint"] == "models in the file: small, big"


# -- lint ------------------------------------------------------------------------------------------

def test_lint_findings_are_the_linters(client):
    text = (SAMPLES / "sequential_8_10_1.yaml").read_text()
    findings = analyze(client, text).json()["lint"]
    result = CliRunner().invoke(cli, ["lint", "--isolated", str(SAMPLES / "sequential_8_10_1.yaml")])
    for f in findings:
        assert f"sequential_8_10_1.yaml:{f['line']}:{f['column']}: {f['code']}" in result.output.replace("\\", "/")
    assert any(f["code"] == "AC101" and f["severity"] == "error" for f in findings)


# -- diagram ------------------------------------------------------------------------------------------

def test_diagram_graphviz_or_fallback(client, monkeypatch):
    import xml.etree.ElementTree as ET

    from archcalc.render import diagram as D

    text = (SAMPLES / "resnet_blocks.yaml").read_text()
    if D.dot_program() is not None:
        r = client.post("/api/diagram", json={"text": text})
        assert r.status_code == 200 and r.json()["drawn_by"] == "graphviz"
        assert "<svg" in r.json()["svg"]
    monkeypatch.setattr(D, "dot_program", lambda: None)
    r = client.post("/api/diagram", json={"text": text + "\n# no dot\n"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["drawn_by"] == "archcalc"
    root = ET.fromstring(data["svg"])  # well-formed SVG
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    page = analyze(client, text).json()
    for row in page["rows"]:
        assert row["name"] in texts
    assert "32×32×16" in texts or any("×" in (t or "") for t in texts)  # shapes on the edges


def test_fallback_diagram_escapes_names():
    from archcalc.engine import analyze as run
    from archcalc.readers.yaml_spec import load_text
    from archcalc.web.diagram import fallback_svg

    svg = fallback_svg(run(load_text("name: '<b>&'\ninput: [4]\nlayers:\n  - Dense(2)\n", "<t>")))
    import xml.etree.ElementTree as ET

    ET.fromstring(svg)


# -- explain ---------------------------------------------------------------------------------------

def test_explain_is_the_clis_derivation_as_mathml(client):
    import xml.etree.ElementTree as ET

    text = (SAMPLES / "notes_example_2.yaml").read_text()
    page = analyze(client, text).json()
    layer = next(r["name"] for r in page["rows"] if r["type"] == "Conv2D")
    r = client.post("/api/explain", json={"text": text, "layer": layer})
    assert r.status_code == 200, r.text
    data = r.json()
    cli_text = cli_out("explain", str(SAMPLES / "notes_example_2.yaml"), "--layer", layer)
    for d in data["derivations"]:
        ET.fromstring(d["mathml"])
        assert d["mathml"].startswith("<math") and "<mtable" in d["mathml"]
        assert d["text"][0] in cli_text
        for w in d["where"]:
            ET.fromstring(w["mathml"])
    params = next(d for d in data["derivations"] if d["quantity"] == "parameters")
    assert "608" in params["text"][-1] or any("608" in t for t in params["text"])  # the notes: 608


def test_explain_errors(client):
    text = (SAMPLES / "cnn.yaml").read_text()
    r = client.post("/api/explain", json={"text": text, "layer": "conv3d"})
    assert r.status_code == 422
    assert "no layer 'conv3d'" in r.json()["error"]["message"]
    assert client.post("/api/explain", json={"text": text}).status_code == 400
    assert client.post("/api/explain", json={"text": text, "layer": ["x"]}).status_code == 400


# -- downloads ------------------------------------------------------------------------------------------

def test_downloads_are_the_clis_output(client):
    path = SAMPLES / "cnn.yaml"
    text = path.read_text()
    expected = {
        "sheet-latex": cli_out("explain", str(path), "--format", "latex", "--standalone"),
        "sheet-markdown": cli_out("explain", str(path), "--format", "markdown", "--standalone"),
        "json": cli_out("summary", str(path), "--format", "json"),
        "keras": cli_out("emit", "-", input=text).replace("<stdin>", "<editor>"),
    }
    for kind, want in expected.items():
        r = client.post(f"/api/export/{kind}", json={"text": text})
        assert r.status_code == 200, (kind, r.text)
        assert r.headers["content-disposition"].startswith("attachment; filename=\"notes-cnn")
        assert r.text == want, kind


def test_download_of_a_broken_model_and_unknown_kind(client):
    r = client.post("/api/export/json", json={"text": "input: [3]\nlayers:\n  - Dens(3)\n"})
    assert r.status_code == 422 and "Dens" in r.json()["error"]["message"]
    assert client.post("/api/export/..%2f..%2fetc", json={"text": "x"}).status_code == 404
    assert client.post("/api/export/pdf", json={"text": "x"}).status_code == 404


# -- calc and quiz ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,values,args", [
    ("conv", {"I": 227, "K": 11, "S": 4, "P": 0}, ["I=227", "K=11", "S=4", "P=0"]),
    ("conv", {"I": 32, "O": 28, "S": 1, "P": 0}, ["I=32", "O=28", "S=1", "P=0"]),
    ("pool", {"I": 28, "K": 2}, ["I=28", "K=2"]),
    ("transpose", {"I": 7, "K": 3, "S": 2}, ["I=7", "K=3", "S=2"]),
])
def test_calc_is_the_clis(client, kind, values, args):
    r = client.post("/api/calc", json={"kind": kind, "values": {k: str(v) for k, v in values.items()}})
    assert r.status_code == 200, r.text
    assert r.json()["report"] == json.loads(cli_out("calc", kind, *args, "--format", "json"))
    text = cli_out("calc", kind, *args)
    assert r.json()["answer"] in text  # the values line, every solution as the CLI prints it
    assert r.json()["derivations"]


def test_calc_backward_answers_every_integer(client):
    """A backward question shows every integer Keras's floor accepts, as the CLI does."""
    r = client.post("/api/calc", json={"kind": "conv", "values": {"I": "32", "O": "15", "S": "2", "P": "1"}})
    assert r.status_code == 200, r.text
    assert r.json()["values"]["K"] == "5..6"
    assert r.json()["report"]["solutions"] == [5, 6]
    assert any("exact fit" in n for n in r.json()["notes"])


def test_calc_errors(client):
    r = client.post("/api/calc", json={"kind": "conv", "values": {"I": "7", "O": "15", "S": "2", "P": "0", "K": "3"}})
    assert r.status_code == 422 and "does not fit" in r.json()["error"]["message"]
    r = client.post("/api/calc", json={"kind": "conv", "values": {"I": "x"}})
    assert r.status_code == 422 and "expected an integer" in r.json()["error"]["message"]
    assert client.post("/api/calc", json={"kind": "rm -rf", "values": {}}).status_code == 422
    assert client.post("/api/calc", json={"kind": "conv", "values": "I=3"}).status_code == 400


def test_quiz_questions_and_checks(client):
    from archcalc.explain.quiz import make_quiz

    qs = client.get("/api/quiz", params={"topic": "conv", "count": 3, "seed": 7}).json()
    truth = make_quiz("conv", 3, 7)
    assert [q["prompt"] for q in qs] == [q.prompt for q in truth]
    q = truth[0]
    shape = q.answers["output shape"]  # "(None, a, b, c)"
    sizes = re.findall(r"\d+", shape)
    args = {"topic": "conv", "count": 3, "seed": 7, "number": 1}
    for typed, right in [(shape, True), ("x".join(sizes), True), ("(" + ", ".join(sizes) + ")", True),
                         ("1, 2, 3", False), ("", False), ("rm -rf /", False)]:
        r = client.post("/api/quiz/check", json={**args, "ask": "output shape", "answer": typed})
        assert r.json()["correct"] is right, typed
    params = q.answers["parameters"]
    r = client.post("/api/quiz/check", json={**args, "ask": "parameters", "answer": f"{params:,}"})
    assert r.json()["correct"] is True
    r = client.post("/api/quiz/check", json={**args, "ask": "parameters", "answer": str(params + 1)})
    assert r.json()["correct"] is False
    assert "answer" not in r.json()
    r = client.post("/api/quiz/check", json={**args, "ask": "parameters", "answer": "", "reveal": True})
    assert r.json()["answer"] == f"{params:,}" and r.json()["working"]


def test_quiz_bad_arguments(client):
    assert client.get("/api/quiz", params={"topic": "x"}).status_code == 422
    assert client.get("/api/quiz", params={"count": 10_000}).status_code == 422
    assert client.get("/api/quiz", params={"seed": "abc"}).status_code == 400
    r = client.post("/api/quiz/check", json={"topic": "conv", "count": 3, "seed": 1, "number": 9, "ask": "x"})
    assert r.status_code == 422


# -- uploads --------------------------------------------------------------------------------------

def test_uploads(client):
    for name in ("cnn.yaml", "cnn.py"):
        data = (SAMPLES / name).read_bytes()
        r = client.post(f"/api/upload?name={name}", content=data)
        assert r.status_code == 200 and r.json()["text"] == data.decode()
    nb = client.post("/api/upload?name=notes_cnn.ipynb", content=(SAMPLES / "notes_cnn.ipynb").read_bytes()).json()
    assert nb["format"] == "py"
    page = analyze(client, nb["text"], "py").json()
    report = json.loads(cli_out("summary", str(SAMPLES / "notes_cnn.ipynb"), "--format", "json"))
    assert [r["params_value"] for r in page["rows"]] == [r["params"] for r in report["layers"]]


def test_upload_of_a_keras_archive(client, tmp_path):
    config = (SAMPLES / "hard_swish_ops.json").read_text()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("config.json", config)
        zf.writestr("metadata.json", "{}")
    archive = tmp_path / "m.keras"
    archive.write_bytes(buf.getvalue())
    r = client.post("/api/upload?name=m.keras", content=buf.getvalue())
    assert r.status_code == 200, r.text
    up = r.json()
    assert up["format"] == "json"
    page = analyze(client, up["text"], "json").json()
    report = json.loads(cli_out("summary", str(archive), "--format", "json"))
    assert [r["params_value"] for r in page["rows"]] == [r["params"] for r in report["layers"]]


@pytest.mark.parametrize("name,data,message", [
    ("model.exe", b"MZ\x90\x00", "unsupported file type"),
    ("junk.keras", b"\x00\xff" * 100, "not a valid .keras archive"),
    ("junk.py", b"\xff\xfe\x00\x00garbage\x00", ""),
    ("../../etc/passwd.yaml", b"input: [3]\nlayers:\n  - Dense(2)\n", ""),
    ("bomb.ipynb", b"{" * 10_000, ""),
])
def test_hostile_uploads(client, tmp_path, name, data, message):
    r = client.post("/api/upload", params={"name": name}, content=data)
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        err = r.json()["error"]
        assert message in err["message"] and "Traceback" not in err["text"] and "/tmp/" not in err["text"]
    else:
        assert "passwd" not in json.dumps(r.json()).replace("passwd.yaml", "")
    assert not message or r.status_code == 422


def test_zip_slip_archive_is_refused(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../../evil.json", "{}")
        zf.writestr("config.json", "{}")
    r = client.post("/api/upload?name=evil.keras", content=buf.getvalue())
    assert r.status_code == 422 and "unsafe path" in r.json()["error"]["message"]
    assert "archcalc-upload-" not in r.json()["error"]["text"]


def test_upload_needs_a_name(client):
    assert client.post("/api/upload", content=b"x").status_code == 400


# -- hostile requests ------------------------------------------------------------------------------

def test_huge_bodies_are_refused(client):
    big = b"a" * (MAX_BODY_BYTES + 10)
    r = client.post("/api/analyze", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(MAX_BODY_BYTES // (1 << 20) + 2):
            yield b" " * (1 << 20)

    r = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/upload?name=x.py", content=b"#" * (service.MAX_UPLOAD_BYTES + 1))
    assert r.status_code == 413


def test_model_text_over_the_readers_cap(client):
    from archcalc.readers import max_bytes

    text = "# " + "x" * max_bytes("py") + "\n"
    r = analyze(client, text, "py")
    assert r.status_code == 422 and "too large" in r.json()["error"]["message"]


@pytest.mark.parametrize("body,ctype,status", [
    (b"\x00\x01\x02\xff\xfe", "application/json", 400),
    (b"[1, 2, 3]", "application/json", 400),
    (b"{" * 100_000, "application/json", 400),
    (b'{"text": "x"}', "text/plain", 415),
    (b'{"text": "x"}', "application/x-www-form-urlencoded", 415),
])
def test_junk_requests(client, body, ctype, status):
    r = client.post("/api/analyze", content=body, headers={"content-type": ctype})
    assert r.status_code == status
    assert r.json()["error"]["message"]


@pytest.mark.parametrize("text", ["\x00\x01binary\xff", "[" * 5000, "x = (" * 3000, "\ud800", "a: &a [*a]"])
def test_junk_model_text(client, text):
    for fmt in ("auto", "yaml", "py", "json"):
        r = client.post("/api/analyze", content=json.dumps({"text": text, "format": fmt}),
                        headers={"content-type": "application/json"})
        assert r.status_code == 422, (fmt, r.text)
        err = r.json()["error"]
        assert err["text"].startswith(("<editor>", "archcalc")) and "Traceback" not in err["text"]


def test_other_hosts_and_origins_are_refused(client):
    r = client.get("/", headers={"host": "evil.example"})
    assert r.status_code == 400
    r = client.post("/api/analyze", json={"text": "x"}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/analyze", json={"text": "input: [3]\nlayers:\n  - Dense(2)\n"},
                    headers={"origin": BASE})
    assert r.status_code == 200


# -- the command ------------------------------------------------------------------------------------

def test_serve_without_the_web_extra(monkeypatch):
    from archcalc.commands import serve

    monkeypatch.setattr(serve, "missing_web_modules", lambda: ["starlette", "uvicorn"])
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "needs starlette, uvicorn" in result.output and "pip install 'archcalc[web]'" in result.output


def test_serve_on_a_port_in_use():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.output and "Traceback" not in result.output


def test_allowed_hosts():
    from archcalc.commands.serve import allowed_hosts

    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost"]
    assert allowed_hosts("192.168.1.5") == ["192.168.1.5"]
    assert allowed_hosts("0.0.0.0") == ["*"]


def test_summary_never_imports_the_web_stack():
    script = ("import sys\nfrom archcalc.cli import main\ntry:\n    main(['summary', sys.argv[1]])\n"
              "except SystemExit:\n    pass\nprint('WEB:', sorted(m for m in sys.modules if m.split('.')[0] in "
              "('starlette', 'uvicorn', 'latex2mathml', 'anyio', 'httpx', 'archcalc.web')))\n")
    proc = subprocess.run([sys.executable, "-c", script, str(SAMPLES / "cnn.yaml")], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.stdout.strip().splitlines()[-1] == "WEB: []", proc.stderr
    help_text = cli_out("--help")
    assert "serve" in help_text


def test_package_data_lists_the_page():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"web/static/*"' in text and '"share/archcalc/samples"' in text
    static = Path(service.__file__).parent / "static"
    assert {p.name for p in static.iterdir()} >= {"index.html", "app.js", "app.css", "favicon.svg"}
