"""Benchmark (prints numbers, asserts nothing): reading ResNet50's to_json() with archcalc
versus building the same model with Keras.

    python tests/bench/bench_keras_json.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "resnet50.json"
    t0 = time.perf_counter()
    import keras

    t1 = time.perf_counter()
    model = keras.applications.ResNet50(weights=None, input_shape=(224, 224, 3))
    t2 = time.perf_counter()
    path.write_text(model.to_json())
    code = (
        "import time; t=time.perf_counter()\n"
        "from archcalc.readers import load; from archcalc.engine import analyze\n"
        f"a = analyze(load({str(path)!r})); print(time.perf_counter()-t, a.total_params)"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        runs.append(float(out[0]))
    t3 = time.perf_counter()
    subprocess.run(["archcalc", "summary", str(path)], capture_output=True, check=True)
    cli = time.perf_counter() - t3
    print(json.dumps({
        "keras_import_s": round(t1 - t0, 3),
        "keras_build_resnet50_s": round(t2 - t1, 3),
        "archcalc_load_and_analyze_s": round(min(runs), 3),
        "archcalc_summary_cli_s": round(cli, 3),
        "params": int(out[1]),
        "keras_params": model.count_params(),
    }, indent=2))


if __name__ == "__main__":
    main()
