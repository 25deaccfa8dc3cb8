"""Every file archcalc reads goes through the one size-capped reader
(``archcalc.limits.read_file_bytes``): ``lint`` too refuses a FIFO, a device and an
oversized file with one line and exit status 2 instead of blocking or reading without end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from archcalc.readers import max_bytes


def _lint(*args: str):
    return CliRunner().invoke(cli, ["lint", *args], catch_exceptions=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_lint_refuses_a_fifo_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "model.yaml"
    os.mkfifo(fifo)
    r = _lint(str(fifo))
    assert r.exit_code == 2
    assert f"{fifo}: error: is a FIFO, not a regular file" in r.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_lint_refuses_a_device_behind_a_link(tmp_path: Path) -> None:
    link = tmp_path / "model.yaml"
    link.symlink_to("/dev/zero")
    r = _lint(str(link))
    assert r.exit_code == 2
    assert f"{link}: error: is a device, not a regular file" in r.stderr


def test_lint_refuses_a_file_beyond_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "model.yaml"
    big.write_bytes(b"#" * (max_bytes("yaml") + 1))
    r = _lint(str(big))
    assert r.exit_code == 2
    assert f"{big}: error: the file is too large" in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_lint_walking_a_folder_skips_nothing_silently(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text("input: [4]\nlayers:\n  - Dense(1)\n")
    os.mkfifo(tmp_path / "pipe.yaml")
    r = _lint(str(tmp_path))
    assert r.exit_code == 2
    assert "pipe.yaml: error: is a FIFO, not a regular file" in r.stderr
