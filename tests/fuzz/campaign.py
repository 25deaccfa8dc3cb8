"""A fuzz campaign for a bounded time: fresh seeds, every front-end, and the figures.

    nice -n 10 python -m tests.fuzz.campaign --seconds 540 --seed 2901 --big 20000 --out /tmp/fuzz

runs the mutated seeds (inputs.generate) and the hostile strategies (inputs.hostile) in turn,
each input through every command of harness.COMMANDS, until the time is spent; prints the
inputs, runs, and the failures by kind (tracebacks, runs over the time bound, internal objects
in messages, other), and saves each failing input under ``--out``.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path

from tests.fuzz import harness, inputs


def kind(failure: harness.Failure) -> str:
    r = failure.reason
    if r.startswith("raised") or "Traceback" in r:
        return "tracebacks"
    if r.startswith("took") or r.startswith("still running"):
        return "over the time bound"
    if "object at 0x" in r or "Unknown(" in r or "Mod(" in r:
        return "internal objects"
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=540)
    ap.add_argument("--seed", type=int, default=2901)
    ap.add_argument("--big", type=int, default=20_000)
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "archcalc-fuzz")
    a = ap.parse_args()
    end = time.monotonic() + a.seconds
    streams = [inputs.generate(a.seed, 10**9), inputs.hostile(a.seed + 1, 10**9, a.big)]
    tally: collections.Counter[str] = collections.Counter()
    by_suffix: collections.Counter[str] = collections.Counter()
    failures: list[harness.Failure] = []
    n_inputs = runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < end:
            for stream in streams:
                name, suffix, data = next(stream)
                path = Path(tmp) / name
                path.write_bytes(data)
                n_inputs += 1
                by_suffix[suffix] += 1
                for command in harness.COMMANDS:
                    runs += 1
                    failure = harness.run(command, path, data)
                    if failure is not None:
                        failures.append(failure)
                        tally[kind(failure)] += 1
                        a.out.mkdir(parents=True, exist_ok=True)
                        (a.out / f"{command}-{name}").write_bytes(data)
                path.unlink()
    print(f"seeds {a.seed} (mutations) and {a.seed + 1} (hostile), {a.seconds:.0f} s: {n_inputs} inputs "
          f"({', '.join(f'{n} {s}' for s, n in sorted(by_suffix.items()))}), {runs} runs")
    for k in ("tracebacks", "over the time bound", "internal objects", "other"):
        print(f"  {k}: {tally[k]}")
    for f in failures[:20]:
        print("\n" + str(f)[:1500])


if __name__ == "__main__":
    main()
