"""Benchmark: lint 100 model files, compared with one cold `import tensorflow`.

Run: python tests/bench/bench_lint.py [N]. Prints numbers; asserts nothing (timings are not
tests). Both measurements are cold processes, best of 3, so they include Python start-up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def best_of(cmd: list[str], cwd: Path, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


def main(n: int = 100) -> None:
    # the symbolic sample needs sympy to be read at all: it is not a typical lint input
    samples = sorted(p for p in (ROOT / "samples").iterdir()
                     if p.suffix in (".yaml", ".py") and "symbolic" not in p.name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "models"
        folder.mkdir()
        for i in range(n):
            src = samples[i % len(samples)]
            shutil.copy(src, folder / f"{i:03d}_{src.name}")
        lint = best_of([sys.executable, "-m", "archcalc", "lint", str(folder), "--format", "json"], ROOT)
        start = best_of([sys.executable, "-c", "pass"], ROOT)
        tf = best_of([sys.executable, "-c", "import tensorflow"], ROOT)
    print(f"archcalc lint of {n} files ({len(samples)} samples, YAML and .py): {lint:.2f} s")
    print(f"python start-up alone:                          {start:.2f} s")
    print(f"python -c 'import tensorflow':                  {tf:.2f} s")
    print(f"lint / tensorflow import:                       {lint / tf:.0%}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
