"""`archcalc summary` must stay light: no tensorflow, keras, sympy or numpy."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("tensorflow", "keras", "sympy", "numpy")

SCRIPT = """
import sys
from archcalc.cli import main
for fmt in ("table", "json", "markdown"):
    try:
        main(["summary", sys.argv[1], "--format", fmt])
    except SystemExit as e:
        assert not e.code, e.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print("HEAVY:", ",".join(heavy))
"""


def test_summary_imports_nothing_heavy():
    for sample in ("cnn.yaml", "unet.yaml", "resnet_stages.yaml", "multi_input.yaml"):
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT.format(heavy=set(HEAVY)), str(ROOT / "samples" / sample)],
            capture_output=True, text=True, cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr
        last = proc.stdout.strip().splitlines()[-1]
        assert last == "HEAVY:", f"{sample}: {last}"


ARCHCALC_MODULES = """
import json, sys
from archcalc.cli import main
try:
    main(["summary", sys.argv[1], "--format", "json"])
except SystemExit as e:
    assert not e.code, e.code
print("ARCHCALC:" + json.dumps(sorted(m for m in sys.modules if m.startswith("archcalc."))))
"""


def _archcalc_modules(path) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", ARCHCALC_MODULES, str(path)], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1].removeprefix("ARCHCALC:")))


def test_a_yaml_read_imports_no_python_reader_and_only_its_layer_families():
    """samples/cnn.yaml is Conv2D, MaxPooling2D, Flatten and Dense: a YAML read loads the YAML
    front-end, those four families and nothing of the Python reader, the op table or the
    Keras 1/2 tables (issue 24: import only what the input needs)."""
    loaded = _archcalc_modules(ROOT / "samples" / "cnn.yaml")
    assert not {m for m in loaded if m.startswith("archcalc.readers.python")}, sorted(loaded)
    families = {m.rpartition(".")[2] for m in loaded if m.startswith("archcalc.layers.")}
    assert {"conv", "pooling", "reshaping", "core"} <= families
    unused = {"recurrent", "rnn_cells", "attention", "augmentation", "preprocessing", "ops", "eras", "nested",
              "wrappers", "language", "merging", "normalization", "activations", "adaptive_pooling"}
    assert not unused & families, sorted(unused & families)
    assert not {"archcalc.explain", "archcalc.lint", "archcalc.keras_bridge"} & {
        ".".join(m.split(".")[:2]) for m in loaded}


def test_a_json_read_imports_no_python_reader():
    """A saved Keras config (samples/hard_swish_ops.json: layers and keras.ops nodes) loads the
    .json front-end, the op table because the file has ops, and nothing of the Python reader."""
    loaded = _archcalc_modules(ROOT / "samples" / "hard_swish_ops.json")
    assert not {m for m in loaded if m.startswith("archcalc.readers.python")}, sorted(loaded)
    assert {"archcalc.readers.keras_json", "archcalc.layers.ops"} <= loaded
    assert not {"archcalc.layers.recurrent", "archcalc.layers.attention", "archcalc.layers.eras"} & loaded
