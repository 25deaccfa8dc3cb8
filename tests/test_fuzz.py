"""Fuzzing: mutated and generated inputs through summary, lint, explain, convert and diagram.

The CI budget is fixed (seed 12, ``CI_INPUTS`` inputs, each through one command in turn);
``ARCHCALC_FUZZ=N`` runs N inputs per seed through every command, and ``ARCHCALC_FUZZ_SEED``
picks the seed (e.g. ``ARCHCALC_FUZZ=20000 ARCHCALC_FUZZ_SEED=7 pytest tests/test_fuzz.py``).
Failing inputs are written to ``ARCHCALC_FUZZ_OUT`` (default: pytest's tmp dir) so that they
can be copied to ``tests/fuzz/regressions/``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz import harness, inputs

CI_INPUTS = 2000
CI_SEED = 12
#: the hostile strategies of issue 29 (tests/fuzz/inputs.py::hostile): inputs in CI, their
#: seed, and the size of their huge literals (``ARCHCALC_FUZZ_BIG`` in a long run)
CI_HOSTILE = 48
CI_HOSTILE_SEED = 29


def _budget() -> tuple[int, int, list[str]]:
    slow = os.environ.get("ARCHCALC_FUZZ")
    seed = int(os.environ.get("ARCHCALC_FUZZ_SEED", CI_SEED))
    if slow:
        return int(slow), seed, list(harness.COMMANDS)
    return CI_INPUTS, seed, []


def test_fuzz_budget(tmp_path: Path) -> None:
    count, seed, every = _budget()
    out = Path(os.environ.get("ARCHCALC_FUZZ_OUT", tmp_path / "failures"))
    commands = list(harness.COMMANDS)
    failures: list[harness.Failure] = []
    known: list[harness.Failure] = []
    runs = 0
    start = time.perf_counter()
    for i, (name, _suffix, data) in enumerate(inputs.generate(seed, count)):
        path = tmp_path / name
        path.write_bytes(data)
        for command in every or [commands[i % len(commands)]]:
            runs += 1
            failure = harness.run(command, path, data)
            if failure is not None:
                if harness.is_known(failure):
                    known.append(failure)
                    continue
                failures.append(failure)
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(data)
        path.unlink()
    seconds = time.perf_counter() - start
    print(f"fuzz: {count} inputs, {runs} runs, seed {seed}, {seconds:.0f} s, {len(failures)} failures, "
          f"{len(known)} of the known open kinds")
    assert runs >= count
    assert not failures, f"{len(failures)} of {runs} runs failed (inputs in {out}):\n\n" + \
        "\n\n".join(str(f) for f in failures[:10])


def test_fuzz_hostile(tmp_path: Path) -> None:
    """Real programs made hostile, pathological notebooks, .keras zip bombs and .h5 files: each
    through one command in CI, through every command with ``ARCHCALC_FUZZ``."""
    slow = os.environ.get("ARCHCALC_FUZZ")
    count = int(slow) if slow else CI_HOSTILE
    seed = int(os.environ.get("ARCHCALC_FUZZ_SEED", CI_HOSTILE_SEED))
    big = int(os.environ.get("ARCHCALC_FUZZ_BIG", 2_000))
    out = Path(os.environ.get("ARCHCALC_FUZZ_OUT", tmp_path / "failures"))
    commands = list(harness.COMMANDS)
    failures: list[harness.Failure] = []
    runs = 0
    start = time.perf_counter()
    for i, (name, _suffix, data) in enumerate(inputs.hostile(seed, count, big)):
        path = tmp_path / name
        path.write_bytes(data)
        for command in commands if slow else [commands[i % len(commands)]]:
            runs += 1
            failure = harness.run(command, path, data)
            if failure is not None and not harness.is_known(failure):
                failures.append(failure)
                out.mkdir(parents=True, exist_ok=True)
                (out / name).write_bytes(data)
        path.unlink()
    print(f"fuzz (hostile): {count} inputs, {runs} runs, seed {seed}, {time.perf_counter() - start:.0f} s, "
          f"{len(failures)} failures")
    assert runs >= count
    assert not failures, f"{len(failures)} of {runs} runs failed (inputs in {out}):\n\n" + \
        "\n\n".join(str(f) for f in failures[:10])


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=inputs.yaml_specs())
def test_generated_specs(spec: str, tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    data = spec.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    for command in ("summary", "lint"):
        failure = harness.run(command, path, data)
        assert failure is None, str(failure)


@pytest.mark.parametrize("output, exit_code, reason", [
    ("x.yaml:1:1: error: bad\n", 2, None),
    ("", 0, None),
    ("Traceback (most recent call last):\n", 2, "printed 'Traceback'"),
    ("x.yaml: error: Unknown(n)\n", 2, "printed 'Unknown('"),
    ("<Node object at 0x7f>\n", 0, "printed ' object at 0x'"),
    ("no error line\n", 2, "exit 2 with 0 error lines (one is expected)"),
    ("", 3, "exit status 3"),
])
def test_judge(output: str, exit_code: int, reason: str | None) -> None:
    failure = harness.judge("summary", "x.yaml", b"", exit_code, output, None, 0.1)
    assert (failure.reason if failure else None) == reason


def test_judge_exception_and_time() -> None:
    try:
        raise OverflowError("big")
    except OverflowError as e:
        failure = harness.judge("lint", "x.py", b"", 1, "", e, 0.1)
    assert failure is not None and failure.reason == "raised OverflowError"
    slow = harness.judge("lint", "x.py", b"", 0, "", None, 11.0, time_bound=10)
    assert slow is not None and slow.reason.startswith("took 11.0 s")
