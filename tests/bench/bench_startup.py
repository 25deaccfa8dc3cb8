"""Cold start of `archcalc summary --format json`: a YAML spec and a Keras `.py` model, next to a
bare `python -c pass` (a script that prints numbers; no assertions, not collected by pytest).

    python tests/bench/bench_startup.py [--repeat N] [--yaml FILE] [--py FILE] [--instructions]

Each run is a fresh process, as a user or CI starts it (`python -m archcalc`, the working
tree's code first on PYTHONPATH). It prints the best and the median wall and CPU time of each
and their ratio to `python -c pass` (issue 24's goal: YAML at most 2.5x, `.py` at most 4x);
the floor under them (click, PyYAML and the standard modules archcalc uses, nothing of
archcalc); and the archcalc modules each read imports (the Python reader must not be among a
YAML read's). Compiled modules are cached (PYTHONPYCACHEPREFIX, a temporary folder) and each
command runs once before it is timed, as an installed package starts. On a shared machine wall
and CPU times swing with the load; ``--instructions`` also counts the instructions each run
executes under valgrind's callgrind (slow, but the same on a busy machine as on an idle one).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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


#: compiled modules go here (an installed package has its .pyc files; a run that compiles every
#: module measures the compiler), outside the working tree
PYCACHE = Path(tempfile.gettempdir()) / "archcalc-bench-pycache"


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), out.get("PYTHONPATH", "")) if p)
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return out


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system of the child): on a shared machine the CPU
    time is the steadier figure."""
    wall, cpu = [], []
    e = env()
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=e)  # warm: compiled modules cached
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


def instructions(cmd: list[str]) -> int:
    """Instructions executed (valgrind --tool=callgrind's "Collected" count), after a warm run."""
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env())
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          capture_output=True, text=True, cwd=ROOT, env=env())
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode or not found:
        sys.exit(f"valgrind {' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


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
    ap.add_argument("--instructions", action="store_true", help="also count instructions (needs valgrind)")
    args = ap.parse_args()
    runs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        # what summary cannot start without: its command line (click), PyYAML, the stdlib it uses
        "import click, yaml, ... (the floor)": [sys.executable, "-c", "import click, yaml, json, dataclasses, "
                                                "pathlib, ast, fractions, contextvars"],
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
    if args.instructions:
        if shutil.which("valgrind") is None:
            sys.exit("--instructions needs valgrind")
        first = None
        for label, cmd in runs.items():
            n = instructions(cmd)
            first = first or n
            print(f"{label:<40} {n / 1e6:>8.1f}M instructions   {n / first:.2f}x pass")
    for path in (args.yaml, args.py):
        mods = modules(path)
        reader = [m for m in mods if m.startswith("archcalc.readers.python")]
        families = [m for m in mods if m.startswith("archcalc.layers.") and m.count(".") == 2]
        print(f"{path.name}: {len(mods)} archcalc modules imported, {len(reader)} of the Python reader, "
              f"{len(families)} of archcalc.layers")


if __name__ == "__main__":
    main()
