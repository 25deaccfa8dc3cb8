"""NO_COLOR and COLUMNS, in every command that styles or lays out text: run on a real
pseudo-terminal, styles appear only without NO_COLOR; widths follow COLUMNS."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner

from archcalc.cli import cli
from tests.conftest import ROOT, SAMPLES

ESC = "\x1b["


def on_terminal(args: list[str], **env: str) -> str:
    """The command's output as a terminal shows it (stdout and stderr on a pty)."""
    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", **env)
    proc = subprocess.Popen([sys.executable, "-m", "archcalc", *args], cwd=ROOT, stdin=slave, stdout=slave,
                            stderr=slave, env=environ, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("args", [
    ["lint", "samples/sequential_8_10_1.yaml"],
    ["summary", "samples/cnn.yaml"],
    ["rules", "AC202"],
], ids=lambda a: a[0])
def test_styles_only_on_a_terminal_without_no_color(args: list[str]) -> None:
    assert ESC in on_terminal(args), "a terminal without NO_COLOR gets bold or colour"
    plain = on_terminal(args, NO_COLOR="1")
    assert ESC not in plain, repr(plain[:300])


@pytest.mark.parametrize("args", [
    ["diff", str(SAMPLES / "cnn.yaml"), str(SAMPLES / "lenet5.yaml")],
    ["summary", str(SAMPLES / "unet.yaml")],
    ["explain", str(SAMPLES / "lenet5.yaml")],
    ["rules", "AC202"],
], ids=lambda a: a[0])
def test_columns_sets_the_width(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for width in (60, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 0, r.output
        # prose and tables fit; only a single word wider than the line may stick out
        over = [ln for ln in r.stdout.splitlines() if len(ln) > width and " " in ln.strip()]
        assert not over, over
