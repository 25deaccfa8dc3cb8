"""archcalc benchmarks: a script that prints numbers (no assertions, not collected by pytest).

    python tests/bench/bench.py [--repeat N] [--quick]

It prints
  1. the cold-start wall time of `archcalc summary samples/cnn.yaml` (a fresh process each run);
  2. the time for generated 2,000- and 20,000-layer specs, JSON and table, and the time per
     layer (linear cost shows as a flat time per layer);
  3. the time Keras needs to build ResNet50 (weights=None) next to `archcalc summary` on the
     `.json` that Keras's `to_json()` writes for it (needs TensorFlow, and the .json front-end);
  4. `archcalc lint` of 100 sample files next to one `python -c "import tensorflow"`;
  5. `archcalc explain` (samples/cnn.yaml, generated 1,000- and 5,000-layer specs) and
     `archcalc calc conv`, cold (the issue's targets: under 1 s, under 3 s, under 0.8 s);
  6. reading real-looking code: a 1,000-line training script and a 50-cell notebook
     (`summary --format json`, and the reader alone in-process).
Every archcalc timing runs the installed command in a new process, as a user or CI would.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def archcalc_cmd() -> list[str]:
    exe = shutil.which("archcalc")
    return [exe] if exe else [sys.executable, "-m", "archcalc"]


#: where the benchmarked processes keep their bytecode (set in main): an installed archcalc has
#: .pyc files, but PYTHONDONTWRITEBYTECODE=1 (set in some sandboxes and CI images) makes every
#: run compile archcalc's sources again, about 45 ms of a cold start
PYCACHE: str | None = None


def bench_env() -> dict[str, str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", NO_COLOR="1")
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


def run_timed(cmd: list[str], repeat: int, cwd: Path = ROOT) -> tuple[Timings, subprocess.CompletedProcess]:
    """Wall times of ``repeat`` fresh runs (after one untimed run that fills the bytecode
    cache); the last run's result for checking its status."""
    times, proc = Timings(), None
    env = bench_env()
    subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
    cpu: list[float] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    assert proc is not None
    times.cpu = cpu
    return times, proc


class Timings(list):
    """Wall times, and in ``cpu`` the CPU seconds (user + system) of the same runs: on a
    shared machine the wall time includes waiting for a core, the CPU time does not."""

    cpu: list[float] = []


def fmt_times(times: list[float]) -> str:
    cpu = getattr(times, "cpu", None)
    extra = f"; CPU min {min(cpu):.3f} s" if cpu else ""
    return f"min {min(times):.3f} s, median {statistics.median(times):.3f} s ({len(times)} runs{extra})"


def status(proc: subprocess.CompletedProcess) -> str:
    if proc.returncode in (0, 1):
        return ""
    err = (proc.stderr or proc.stdout).strip().splitlines()
    return f"   [exit {proc.returncode}: {err[-1] if err else ''}]"


def generated_spec(n_layers: int) -> str:
    """A plain stack of n layers: Dense, ReLU, BatchNormalization and Dropout in turn."""
    cycle = ["Dense(32)", "ReLU()", "BatchNormalization()", "Dropout(0.1)"]
    lines = [f"name: generated-{n_layers}", "input: [32]", "layers:"]
    lines += [f"  - {cycle[i % len(cycle)]}" for i in range(n_layers)]
    return "\n".join(lines) + "\n"


def bench_cold_start(repeat: int) -> None:
    print("1. cold start: archcalc summary samples/cnn.yaml")
    for fmt in ("table", "json"):
        times, proc = run_timed([*archcalc_cmd(), "summary", "samples/cnn.yaml", "--format", fmt], repeat)
        print(f"   --format {fmt:<5}  {fmt_times(times)}{status(proc)}")
    times, _ = run_timed([sys.executable, "-c", "pass"], repeat)
    print(f"   (python -c pass: {fmt_times(times)}: the interpreter's own start)")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        env = dict(os.environ, NO_COLOR="1")
        times = Timings()
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([*archcalc_cmd(), "summary", "samples/cnn.yaml", "--format", "json"], cwd=ROOT,
                           capture_output=True, env=env)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.cpu = [*times.cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime]
        print(f"   --format json without bytecode (PYTHONDONTWRITEBYTECODE is set here): {fmt_times(times)}")


def bench_generated(repeat: int, tmp: Path, sizes: tuple[int, ...]) -> None:
    print("2. generated specs (a fresh process each run; includes the cold start)")
    base = None
    for n in sizes:
        path = tmp / f"gen{n}.yaml"
        path.write_text(generated_spec(n))
        for fmt in ("json", "table"):
            times, proc = run_timed([*archcalc_cmd(), "summary", str(path), "--format", fmt],
                                    max(1, repeat // 2))
            best = min(times)
            print(f"   {n:>6} layers, --format {fmt:<5}  {fmt_times(times)}  "
                  f"= {best / n * 1e6:.1f} us/layer{status(proc)}")
            if fmt == "json":
                if base is not None:
                    n0, t0 = base
                    print(f"          marginal cost {n0}->{n}: {(best - t0) / (n - n0) * 1e6:.1f} us/layer")
                base = (n, best)


def has_json_front_end() -> bool:
    if importlib.util.find_spec("archcalc.readers.keras_json") is None:
        return False
    from archcalc.readers import FRONT_ENDS

    return ".json" in FRONT_ENDS


KERAS_BUILD = """
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
t0 = time.perf_counter()
import keras
t1 = time.perf_counter()
model = keras.applications.ResNet50(weights=None)
t2 = time.perf_counter()
open(sys.argv[1], "w").write(model.to_json())
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {model.count_params()}")
"""


def bench_resnet50(repeat: int, tmp: Path) -> None:
    print("3. ResNet50: Keras builds it vs archcalc reads its to_json()")
    if importlib.util.find_spec("tensorflow") is None:
        print("   skipped: TensorFlow is not installed (pip install 'archcalc[keras]')")
        return
    path = tmp / "resnet50.json"
    builds, imports, params = [], [], None
    for _ in range(max(1, repeat // 2)):
        proc = subprocess.run([sys.executable, "-c", KERAS_BUILD, str(path)], capture_output=True, text=True,
                              env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        if proc.returncode:
            print(f"   skipped: Keras could not build ResNet50: {proc.stderr.strip().splitlines()[-1:]}")
            return
        t_import, t_build, params = proc.stdout.split()
        imports.append(float(t_import))
        builds.append(float(t_build))
    print(f"   import keras:                      {fmt_times(imports)}")
    print(f"   keras.applications.ResNet50(weights=None): {fmt_times(builds)}  ({int(params):,} params)")
    if not has_json_front_end():
        print("   archcalc summary resnet50.json: skipped: .json front-end not available")
        return
    for fmt in ("json", "table"):
        times, proc = run_timed([*archcalc_cmd(), "summary", str(path), "--format", fmt], repeat)
        ratio = min(times) / min(builds)
        print(f"   archcalc summary resnet50.json --format {fmt:<5} {fmt_times(times)}  "
              f"= {ratio:.1%} of the build alone{status(proc)}")
        if proc.returncode == 0 and fmt == "json" and params and f'"total_params": {int(params)}' not in proc.stdout:
            print("   note: archcalc's total_params differs from Keras's count_params()")


def bench_lint(repeat: int, tmp: Path) -> None:
    print("4. lint of 100 sample files vs one TensorFlow import")
    if importlib.util.find_spec("archcalc.commands.lint") is None:
        print("   skipped: `archcalc lint` is not available yet")
    else:
        samples = sorted(SAMPLES.glob("*.yaml")) + sorted(SAMPLES.glob("*.py"))
        folder = tmp / "lint100"
        folder.mkdir(exist_ok=True)
        files = []
        for i in range(100):
            src = samples[i % len(samples)]
            dst = folder / f"{i:03d}_{src.name}"
            shutil.copyfile(src, dst)
            files.append(str(dst))
        times, proc = run_timed([*archcalc_cmd(), "lint", *files], repeat)
        print(f"   archcalc lint (100 files, one process): {fmt_times(times)}{status(proc)}")
    if importlib.util.find_spec("tensorflow") is None:
        print("   import tensorflow: skipped: TensorFlow is not installed")
        return
    times, _ = run_timed([sys.executable, "-c", "import tensorflow"], max(1, repeat // 2))
    print(f"   python -c 'import tensorflow':          {fmt_times(times)}")


def training_script(n_lines: int = 1000) -> str:
    """A training script as people write them: the model in the middle of data loading,
    preparation, a training loop, evaluation and plots (about ``n_lines`` lines)."""
    head = [
        "import numpy as np", "import matplotlib.pyplot as plt", "import keras",
        "from keras import layers", "from keras.datasets import cifar10",
        "(x_train, y_train), (x_test, y_test) = cifar10.load_data()",
        "x_train = x_train.astype('float32') / 255", "x_test = x_test.astype('float32') / 255",
        "num_classes = len(np.unique(y_train))",
        "y_train = keras.utils.to_categorical(y_train, num_classes)",
        "inputs = keras.Input(shape=x_train.shape[1:])", "x = inputs",
    ]
    model = []
    for i, f in enumerate((32, 32, 64, 64, 128, 128)):
        model += [f"x = layers.Conv2D({f}, 3, padding='same', activation='relu')(x)",
                  "x = layers.BatchNormalization()(x)"]
        if i % 2:
            model.append("x = layers.MaxPooling2D()(x)")
    model += ["x = layers.Flatten()(x)", "x = layers.Dense(256, activation='relu')(x)",
              "outputs = layers.Dense(num_classes, activation='softmax')(x)",
              "model = keras.Model(inputs, outputs)",
              "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])"]
    body = []
    i = 0
    while len(head) + len(model) + len(body) < n_lines:
        body += [f"def augment_{i}(batch, seed={i}):", "    out = []", "    for img in batch:",
                 "        if np.random.rand() > 0.5:", "            img = img[:, ::-1]", "        out.append(img)",
                 "    return np.array(out)", f"history_{i} = model.fit(augment_{i}(x_train[:256]), y_train[:256], "
                 "epochs=1, verbose=0)", f"loss_{i}, acc_{i} = model.evaluate(x_test, keras.utils.to_categorical("
                 "y_test, num_classes), verbose=0)", f"plt.plot(history_{i}.history['loss'], label='run {i}')",
                 "step = 0", "while step < 3:", "    step += 1", f"print('run', {i}, loss_{i}, acc_{i})", ""]
        i += 1
    return "\n".join(head + model + body + ["plt.legend()", "plt.show()", ""])


def notebook(n_cells: int = 50) -> str:
    """A student's notebook: markdown, magics, data, the model, training and plots."""
    import json

    # cells hold whole statements: the script's top-level blocks, split at blank lines
    blocks: list[list[str]] = [[]]
    for line in training_script(400).splitlines():
        if not line.strip():
            blocks.append([])
        elif line.startswith((" ", "def ")) or not blocks[-1] or not blocks[-1][-1].startswith(" "):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    blocks = [b for b in blocks if b]
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# CIFAR-10 with a small CNN"]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
              "source": ["%matplotlib inline\n", "!pip install -q keras"]}]
    n = n_cells - len(cells)
    for k in range(n):
        group = blocks[k * len(blocks) // n:(k + 1) * len(blocks) // n]
        src = [line + "\n" for b in group for line in b]
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": len(cells), "outputs": [],
                      "source": src})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {
        "language": "python", "name": "python3"}}, "cells": cells})


def bench_reading(repeat: int, tmp: Path) -> None:
    print("6. reading real-looking code (summary --format json, a fresh process each run)")
    script = tmp / "train_cifar.py"
    script.write_text(training_script(1000))
    nb = tmp / "cifar.ipynb"
    nb.write_text(notebook(50))
    for path, what in ((script, f"{len(script.read_text().splitlines())}-line training script"),
                       (nb, "50-cell notebook")):
        times, proc = run_timed([*archcalc_cmd(), "summary", str(path), "--format", "json"], repeat)
        print(f"   {what:28s} {fmt_times(times)}{status(proc)}")
    sys.path.insert(0, str(ROOT))
    from archcalc.readers import load

    for path in (script, nb):
        best = min(_time_once(load, path) for _ in range(max(1, repeat)))
        print(f"   read in-process, {path.name:17s} {best * 1000:.1f} ms")


def _time_once(load: Any, path: Path) -> float:
    start = time.perf_counter()
    load(path)
    return time.perf_counter() - start


def bench_explain(repeat: int, tmp: Path, sizes: tuple[int, ...]) -> None:
    print("5. explain and calc (a fresh process each run; sympy's import included)")
    cases = [("explain samples/cnn.yaml", ["explain", "samples/cnn.yaml"]),
             ("calc conv I=32 K=5 S=1 P=0", ["calc", "conv", "I=32", "K=5", "S=1", "P=0"]),
             ("calc params lstm units=64 input_dim=10", ["calc", "params", "lstm", "units=64", "input_dim=10"])]
    for n in sizes:
        path = tmp / f"explain{n}.yaml"
        path.write_text(generated_spec(n))
        cases.append((f"explain, {n:,} generated layers", ["explain", str(path)]))
    for label, args in cases:
        times, proc = run_timed([*archcalc_cmd(), *args], repeat if "generated" not in label else max(1, repeat // 2))
        print(f"   {label:<40} {fmt_times(times)}{status(proc)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--quick", action="store_true", help="skip the 20,000-layer spec and ResNet50")
    parser.add_argument("--only", choices=["explain"], help="run only this part")
    args = parser.parse_args(argv)
    print(f"archcalc bench: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {' '.join(archcalc_cmd())}")
    print("(each run a fresh process; bytecode cached in a temporary folder, as after pip install)")
    global PYCACHE
    with tempfile.TemporaryDirectory(prefix="archcalc-bench-") as d:
        tmp = Path(d)
        PYCACHE = str(tmp / "pycache")
        if args.only == "explain":
            bench_explain(args.repeat, tmp, (1000,) if args.quick else (1000, 5000))
            return
        bench_cold_start(args.repeat)
        bench_generated(args.repeat, tmp, (2000,) if args.quick else (2000, 20000))
        if not args.quick:
            bench_resnet50(args.repeat, tmp)
        bench_lint(args.repeat, tmp)
        bench_explain(args.repeat, tmp, (1000,) if args.quick else (1000, 5000))
        bench_reading(args.repeat, tmp)


if __name__ == "__main__":
    main()
