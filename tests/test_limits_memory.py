"""The memory bound docs/limits.md states (1 GB for any input up to the size caps), measured on
the largest inputs: each command runs in a process of its own and the kernel reports its peak
resident memory (``getrusage``). Memory, not time: the time bound is the fuzz harness's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archcalc.limits import MAX_LAYERS

REGRESSIONS = Path(__file__).resolve().parent / "fuzz" / "regressions"
ROOT = Path(__file__).resolve().parent.parent
MEMORY_BOUND = 1024 * 1024 * 1024  # bytes: docs/limits.md


#: runs the command in a child of its own and prints that child's peak resident memory: a
#: child forked straight from this test process (which may hold TensorFlow, gigabytes) would
#: report this process's memory as its own peak, since Linux keeps the high-water mark of the
#: forked copy across exec
_LAUNCH = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
           "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")


def _peak_rss(*args: str) -> tuple[int, int, str]:
    """(exit status, peak resident bytes, output) of ``python -m archcalc ARGS``."""
    run = subprocess.run([sys.executable, "-c", _LAUNCH, sys.executable, "-m", "archcalc", *args], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    out = run.stdout.decode("utf-8", "replace")
    lines = out.rstrip().splitlines()
    assert lines and lines[-1].startswith("MAXRSS "), out[-2000:]
    return run.returncode, int(lines[-1].split()[1]) * 1024, "\n".join(lines[:-1])  # ru_maxrss: KB on Linux


def _at_the_cap(tmp_path: Path) -> Path:
    """A YAML model of exactly MAX_LAYERS layers (one input, the rest Dense)."""
    per = 10_000
    rows = "\n".join(f"  - Dense(4) * {per}" for _ in range((MAX_LAYERS - 1) // per))
    rest = (MAX_LAYERS - 1) % per
    path = tmp_path / "cap.yaml"
    path.write_text(f"input: [4]\nlayers:\n{rows}\n" + (f"  - Dense(4) * {rest}\n" if rest else ""))
    return path


CASES = [
    ("summary", "py_chain_30000_lines.py", 0),
    ("lint", "py_chain_30000_lines.py", 0),  # warnings only (AC305)
    ("summary", "py_add_loop_100000.py", 2),
    ("summary", "yaml_blocks_blowup.yaml", 2),
    ("lint", "py_expr_100000_terms.py", None),
    ("summary", "yaml_expr_100000_terms.yaml", None),
]


@pytest.mark.parametrize("command, name, status", CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_largest_inputs_stay_under_the_memory_bound(command: str, name: str, status: int | None) -> None:
    code, peak, out = _peak_rss(command, str(REGRESSIONS / name))
    assert "Traceback" not in out, out[-2000:]
    if status is not None:
        assert code == status, out[-2000:]
    else:
        assert code in (0, 1, 2), out[-2000:]
    assert peak < MEMORY_BOUND, f"{command} {name}: peak {peak / 2**20:.0f} MB"


def test_a_model_at_the_layer_cap_stays_under_the_memory_bound(tmp_path: Path) -> None:
    spec = _at_the_cap(tmp_path)
    code, peak, out = _peak_rss("summary", str(spec), "--format", "json")
    assert code == 0, out[-2000:]
    assert f'"total_params": {(MAX_LAYERS - 1) * 20}' in out  # Dense(4) on 4 features: 4*4 + 4
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MB"


def _at_the_term_cap(tmp_path: Path) -> Path:
    """A Python program of exactly MAX_PY_TERMS terms, most of them one list of distinct names:
    what costs CPython's parser the most memory per term (~1.5 KB)."""
    from archcalc.limits import MAX_PY_TERMS, python_terms

    head = "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"
    n = MAX_PY_TERMS - python_terms(head) - python_terms("x = []\n")
    text = head + "x = [" + ",".join(f"n{i}" for i in range(n + 1)) + "]\n"
    assert python_terms(text) == MAX_PY_TERMS
    path = tmp_path / "terms.py"
    path.write_text(text)
    return path


def _at_the_cell_cap(tmp_path: Path) -> Path:
    """A notebook of MAX_NOTEBOOK_CELLS code cells, the model in the last one."""
    import json

    from archcalc.limits import MAX_NOTEBOOK_CELLS

    def cell(src: str) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": src}

    cells = [cell(f"x{i} = {i}") for i in range(MAX_NOTEBOOK_CELLS - 1)]
    cells.append(cell("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])"))
    path = tmp_path / "cells.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    return path


def _at_the_value_cap(tmp_path: Path) -> Path:
    """A model config of MAX_JSON_VALUES values, nearly all of them empty mappings (~64 bytes
    each once parsed) in a layer's config."""
    import json

    from archcalc.limits import MAX_JSON_VALUES, json_values

    doc = json.loads((REGRESSIONS.parent / "seeds" / "functional_dense.json").read_text())
    text = json.dumps(doc)
    pad = (MAX_JSON_VALUES - json_values(text) - 1) // 2  # each `{},` counts its brace and its comma
    text = text[:-1] + ', "padding": [' + ",".join(["{}"] * pad) + "]}"
    assert MAX_JSON_VALUES - 2 <= json_values(text) <= MAX_JSON_VALUES
    path = tmp_path / "values.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize("command", ["summary", "explain"])
@pytest.mark.parametrize("make", [_at_the_term_cap, _at_the_cell_cap, _at_the_value_cap],
                         ids=["terms", "cells", "json-values"])
def test_inputs_at_the_term_cell_and_value_caps_stay_under_the_memory_bound(tmp_path: Path, make, command) -> None:
    code, peak, out = _peak_rss(command, str(make(tmp_path)))
    assert code == 0, out[-2000:]
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MB"
