"""Cold start of `archcalc summary --format json`: a YAML spec and a Keras `.py` model, next to a
bare `python -c pass` (a script that prints numbers; no assertions, not collected by pytest).

    python tests/bench/bench_startup.py [--repeat N] [--yaml FILE] [--py FILE]

Each run is a fresh process, as a user or CI starts it (`python -m archcalc`, the working tree's
code first on PYTHONPATH). It prints the best and the median wall time of each, their ratio to
`python -c pass` (issue 24's goal: YAML at most 2.5x, `.py` at most 4x), and the archcalc
modules each read imports (the Python reader must not be among a YAML read's).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

MODULES = """
import sys
from archcalc.cli import main
try:
    main(["summary", sys.argv[1], "--format", "json"])
except SystemExit as e:
    assert not e.code, e.code
mods = sorted(m for m in sys.modules if m == "archcalc" or m.startswith("archcalc."))
print("MODULES", len(mods), " ".join(mods))
"""


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), out.get("PYTHONPATH", "")) if p)
    return out


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system of the child): on a shared machine the CPU
    time is the steadier figure."""
    wall, cpu = [], []
    e = env()
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=e)
        wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if proc.returncode:
            sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    return wall, cpu


def modules(path: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", MODULES, str(path)], capture_output=True, text=True,
                          cwd=ROOT, env=env())
    line = next(x for x in proc.stdout.splitlines() if x.startswith("MODULES"))
    return line.split()[2:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--yaml", type=Path, default=SAMPLES / "cnn.yaml")
    ap.add_argument("--py", type=Path, default=SAMPLES / "cnn.py")
    args = ap.parse_args()
    runs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        f"summary {args.yaml.name} --format json": [sys.executable, "-m", "archcalc", "summary", str(args.yaml),
                                                    "--format", "json"],
        f"summary {args.py.name} --format json": [sys.executable, "-m", "archcalc", "summary", str(args.py),
                                                  "--format", "json"],
    }
    base = None
    print(f"{'run':<40} {'wall best':>10} {'median':>8} {'cpu best':>9} {'median':>8}   x pass: wall best, cpu best")
    for label, cmd in runs.items():
        wall, cpu = timed(cmd, args.repeat)
        row = (min(wall), statistics.median(wall), min(cpu), statistics.median(cpu))
        if base is None:
            base = row
        print(f"{label:<40} {row[0] * 1000:>8.1f}ms {row[1] * 1000:>6.1f}ms {row[2] * 1000:>7.1f}ms "
              f"{row[3] * 1000:>6.1f}ms   {row[0] / base[0]:.2f}x, {row[2] / base[2]:.2f}x")
    for path in (args.yaml, args.py):
        mods = modules(path)
        reader = [m for m in mods if m.startswith("archcalc.readers.python")]
        families = [m for m in mods if m.startswith("archcalc.layers.") and m.count(".") == 2]
        print(f"{path.name}: {len(mods)} archcalc modules imported, {len(reader)} of the Python reader, "
              f"{len(families)} of archcalc.layers")


if __name__ == "__main__":
    main()
