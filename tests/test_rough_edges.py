"""What a new user meets first (issue 27): each message says what is wrong and what to do,
with exit status 2 and no traceback, and points at nothing a wheel does not ship."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from tests.conftest import ROOT, SAMPLES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archcalc", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                       "NO_COLOR": "1"})


def test_train_without_the_keras_extra_says_what_to_install() -> None:
    """The core install has no numpy or TensorFlow: `train` (and `verify`) name the extra."""
    code = ("import sys\n"
            "for m in ('numpy', 'tensorflow', 'keras'): sys.modules[m] = None  # as on the core install\n"
            "from archcalc.cli import run\n"
            "sys.argv = ['archcalc', sys.argv[1], sys.argv[2]]\n"
            "run()\n")
    for command in ("train", "verify"):
        proc = subprocess.run([sys.executable, "-c", code, command, str(SAMPLES / "cnn.yaml")], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"error: archcalc {command} needs TensorFlow and Keras, which are not installed " \
               "(no module named 'numpy')" in proc.stderr
        assert "hint: pip install 'archcalc[keras]'" in proc.stderr


@pytest.mark.parametrize("text, hint", [
    ("input: [4, 4]\nlayers: [Dense(2), Dense(3)\n",
     "the list opened with `[` on line 2 is not closed: add the missing `]`"),
    ("input: [4, 4\nlayers:\n  - Dense(2)\n", "the list opened with `[` on line 1 is not closed"),
    ("input: [4]\nlayers:\n\t- Dense(2)\n", "YAML indents with spaces, not tabs"),
    ("", "a spec needs `input:` and `layers:`, e.g. `input: [28, 28, 1]`"),
    ("- Dense(2)\n", "`archcalc samples cnn` prints the path of a complete one"),
])
def test_yaml_mistakes_get_a_hint_that_fits(tmp_path: Path, text: str, hint: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    r = CliRunner().invoke(cli, ["summary", str(spec)])
    assert r.exit_code == 2
    assert "hint: " in r.stderr and hint in r.stderr.split("hint: ", 1)[1], r.stderr
    assert "samples/" not in r.stderr  # the wheel has no samples/ folder


def test_the_h5_hint_names_the_h5_extra(tmp_path: Path) -> None:
    code = ("import sys\nsys.modules['h5py'] = None\nfrom archcalc.cli import run\n"
            "sys.argv = ['archcalc', 'summary', sys.argv[1]]\nrun()\n")
    model = tmp_path / "model.h5"
    model.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    proc = subprocess.run([sys.executable, "-c", code, str(model)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "reading .h5 model files needs the h5py package" in proc.stderr
    assert "pip install 'archcalc[h5]'" in proc.stderr


def test_convert_of_a_model_that_does_not_build_does_not_claim_the_same_shapes(tmp_path: Path) -> None:
    program = tmp_path / "broken.py"
    program.write_text("from keras import layers, models\n"
                       "model = models.Sequential([layers.Input((4, 4, 3)), layers.Conv2D(8, 5), "
                       "layers.Flatten(), layers.Dense(2)])\n")
    r = CliRunner().invoke(cli, ["convert", str(program)])
    assert r.exit_code == 0
    assert "unchanged" not in r.stdout
    assert r.stdout.startswith("# Converted by archcalc from broken.py. The model does not build: Conv2D: "
                               "output size would be (0, 0)")
    assert f"{program}:2:" in r.stderr and "warning: the model does not build" in r.stderr
    ok = CliRunner().invoke(cli, ["convert", str(SAMPLES / "cnn.py")])
    assert ok.stdout.startswith("# Converted by archcalc from cnn.py; shapes and parameter counts are unchanged.")
    assert ok.stderr == ""


def test_samples_lists_and_finds_the_bundled_models() -> None:
    r = CliRunner().invoke(cli, ["samples"])
    assert r.exit_code == 0 and "cnn.yaml" in r.stdout and "notes-cnn" in r.stdout
    path = run("samples", "cnn").stdout.strip()
    assert path == "samples/cnn.yaml"  # the YAML spec first, relative to the working directory
    assert run("samples", "cnn.py").stdout.strip() == "samples/cnn.py"
    bad = run("samples", "cnnn")
    assert bad.returncode == 2 and "did you mean cnn?" in bad.stderr


def test_no_message_points_at_the_readme() -> None:
    """Hints point at the documentation (the README is a first screen now, and not installed)."""
    for path in (ROOT / "archcalc").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "hint" in line or "raise" in line:
                assert "README" not in line, f"{path}: {line.strip()}"
                assert not re.search(r"\b(samples|tests|docs)/", line), f"{path}: {line.strip()}"
