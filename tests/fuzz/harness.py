"""Run one input through one archcalc command in-process and judge how it ended.

A run is good when it ends with exit 0, 1 (lint findings) or 2 with one clear error line,
within the time bound, and nothing it printed shows an internal object or a traceback. A
run that raised (click's runner catches the exception), printed ``Traceback``, ``Unknown(``,
``Mod(`` or `` object at 0x``, or took longer than the bound is a :class:`Failure` that names
the input, so it can be saved under ``tests/fuzz/regressions/`` as it is.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

#: the commands every input is run through, with their extra arguments
COMMANDS: dict[str, tuple[str, ...]] = {
    "summary": (),
    "lint": ("--isolated",),
    "explain": (),
    "convert": (),
    "diagram": (),
}

#: text no message may contain: internal objects and tracebacks
FORBIDDEN = ("Unknown(", "Mod(", " object at 0x", "Traceback")

#: an error line as every command prints it: ``where: error: message``
ERROR_LINE = re.compile(r"^\S.*: error: \S")

#: CPU seconds one run may take (docs/limits.md's bound is 10 s; the CI inputs are small)
TIME_BOUND = float(os.environ.get("ARCHCALC_FUZZ_TIME_BOUND", "10"))


@dataclass
class Failure:
    """One run that did not end cleanly."""

    command: str
    name: str
    reason: str
    detail: str
    data: bytes

    def __str__(self) -> str:
        shown = self.data[:600].decode("utf-8", "backslashreplace")
        return (f"archcalc {self.command} {self.name}: {self.reason}\n{self.detail}\n"
                f"--- input ({len(self.data)} bytes) ---\n{shown}")


#: failures found and not fixed yet, by (command, what the run raised or printed): each is
#: a file in tests/fuzz/regressions/ whose test is a strict xfail, so that fixing one fails
#: until its entry is removed here. A failure of any other kind fails the run.
KNOWN_OPEN: dict[tuple[str, str], str] = {}


def is_known(failure: Failure) -> bool:
    return (failure.command, failure.reason) in KNOWN_OPEN


def judge(command: str, name: str, data: bytes, exit_code: int, output: str,
          exc: BaseException | None, seconds: float, time_bound: float = TIME_BOUND) -> Failure | None:
    """The failure of a finished run, or None when it ended cleanly."""
    def fail(reason: str, detail: str = "") -> Failure:
        return Failure(command, name, reason, detail or output[-2000:], data)

    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return fail(f"raised {type(exc).__name__}", tb[-4000:])
    if seconds > time_bound:
        return fail(f"took {seconds:.1f} s of CPU time (the bound is {time_bound:.0f} s)")
    for bad in FORBIDDEN:
        if bad in output:
            return fail(f"printed {bad!r}")
    allowed = (0, 1, 2) if command == "lint" else (0, 2)
    if exit_code not in allowed:
        return fail(f"exit status {exit_code}")
    if exit_code == 2 and command != "lint":
        errors = [line for line in output.splitlines() if ERROR_LINE.match(line)]
        if len(errors) != 1:
            return fail(f"exit 2 with {len(errors)} error lines (one is expected)")
    return None


class RunTimeout(BaseException):
    """Raised into a run that is still going at twice the time bound of CPU time, or six times
    it of wall time (not an Exception, so that no ``except Exception`` in the code under test
    can swallow it)."""


#: wall-clock seconds a run may last, as a multiple of the bound: it only catches a run that
#: waits without computing (a hang); a busy run is judged on its CPU time, which other work on
#: a shared machine does not stretch
WALL_FACTOR = 6


@contextlib.contextmanager
def _alarm(time_bound: float) -> Iterator[None]:
    """Interrupt the run past twice the bound in CPU time, or WALL_FACTOR times it in wall
    time (a hung run must not hang the fuzzer)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise RunTimeout()

    old = {sig: signal.signal(sig, _raise) for sig in (signal.SIGALRM, signal.SIGPROF)}
    signal.setitimer(signal.ITIMER_REAL, WALL_FACTOR * time_bound)
    signal.setitimer(signal.ITIMER_PROF, 2 * time_bound)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)
        for sig, handler in old.items():
            signal.signal(sig, handler)


def run(command: str, path: Path, data: bytes | None = None,
        time_bound: float = TIME_BOUND) -> Failure | None:
    """Run ``archcalc <command> <path>`` in-process; the failure, or None."""
    from archcalc.cli import cli

    if data is None:
        data = path.read_bytes()
    args = [command, *COMMANDS[command], str(path)]
    runner = CliRunner()
    start, wall = time.process_time(), time.perf_counter()
    try:
        with _alarm(time_bound):
            result = runner.invoke(cli, args, catch_exceptions=True)
    except RunTimeout:
        seconds, waited = time.process_time() - start, time.perf_counter() - wall
        return Failure(command, path.name, f"still running after {seconds:.1f} s of CPU time, {waited:.1f} s "
                       f"in all (the bound is {time_bound:.0f} s)", "", data)
    seconds = time.process_time() - start  # CPU time: what the run takes on an idle machine
    output = result.output  # stdout and stderr together
    return judge(command, path.name, data, result.exit_code, output, result.exception, seconds, time_bound)
