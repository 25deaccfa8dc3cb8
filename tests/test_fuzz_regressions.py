"""Every input that ever failed a fuzz run (tests/fuzz/regressions/, one file each), run
through every command; and the cases that are not files (FIFOs, devices, output paths)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fuzz import harness

REGRESSIONS = Path(__file__).resolve().parent / "fuzz" / "regressions"
#: inputs of many layers or lines: the layer and time limits are what they test, and one
#: command (summary) reads them as every other command does
LARGE = 64 * 1024
CASES = sorted(p for p in REGRESSIONS.iterdir() if p.is_file())


def _commands(path: Path) -> list[str]:
    # summary and lint read a large input as every other command does; lint adds its own
    # passes (syntax check, suppression comments, rules) over the whole file
    return ["summary", "lint"] if path.stat().st_size > LARGE or "loop" in path.name else list(harness.COMMANDS)


#: (file, command) pairs that still fail (see harness.KNOWN_OPEN): strict xfails
OPEN: set[tuple[str, str]] = set()

RUNS = [pytest.param(p, c, id=f"{p.name}-{c}",
                     marks=[pytest.mark.xfail(strict=True, reason="open: see harness.KNOWN_OPEN")]
                     if (p.name, c) in OPEN else [])
        for p in CASES for c in _commands(p)]


@pytest.mark.parametrize("path, command", RUNS)
def test_regression(path: Path, command: str) -> None:
    failure = harness.run(command, path)
    assert failure is None, str(failure)


def test_corpus_holds_every_issue_case() -> None:
    names = {p.stem for p in CASES}
    for case in ("yaml_tag_python_name", "yaml_blocks_blowup", "py_model_add_self", "json_config_list",
                 "keras_bad_deflate", "keras_encrypted", "json_units_4300_digits"):
        assert case in names


def _run(*args: str, env: dict[str, str] | None = None):
    from archcalc.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=True, env=env)


def _one_error(result, *words: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    for w in words:
        assert w in errors[0], result.output


@pytest.mark.parametrize("suffix", [".yaml", ".py", ".json", ".ipynb", ".keras"])
def test_device_behind_a_symlink_is_refused(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    _one_error(_run("summary", str(link)), "a device, not a regular file")


@pytest.mark.parametrize("suffix", [".yaml", ".py", ".json"])
def test_fifo_is_refused_without_blocking(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    _one_error(_run("summary", str(fifo)), "a FIFO, not a regular file")


def test_layers_file_on_a_device_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "m.yaml"
    spec.write_text("input: [4]\nlayers:\n  - Dense(2)\n")
    _one_error(_run("summary", str(spec), env={"ARCHCALC_LAYERS": "/dev/zero"}), "a device")


def test_convert_into_a_missing_directory(tmp_path: Path) -> None:
    _one_error(_run("convert", str(REGRESSIONS.parent.parent.parent / "samples" / "cnn.yaml"),
                    "-o", str(tmp_path / "nodir" / "x.yaml")), "does not exist")


def test_model_of_too_many_layers_names_the_limit(tmp_path: Path) -> None:
    from archcalc.limits import MAX_LAYERS

    result = _run("summary", str(REGRESSIONS / "yaml_blocks_blowup.yaml"))
    _one_error(result, f"more than {MAX_LAYERS} layers")
