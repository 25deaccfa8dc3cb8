"""`archcalc summary` must stay light: no tensorflow, keras, sympy or numpy."""

from __future__ import annotations

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
