"""docs/calc.md: every `$ archcalc calc ...` example shows the command's exact output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "calc.md"


def examples() -> list[tuple[str, str]]:
    out = []
    for block in re.findall(r"```console\n(.*?)\n```", DOC.read_text(encoding="utf-8"), flags=re.S):
        command, shown = None, []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command:
                    out.append((command, "\n".join(shown)))
                command, shown = line[2:], []
            else:
                shown.append(line)
    return out


def test_the_page_has_examples():
    assert len(examples()) >= 15


@pytest.mark.parametrize("command, shown", examples(), ids=[c for c, _ in examples()])
def test_example_output_is_exact(run_cli, monkeypatch, command, shown):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    args = shlex.split(command)
    assert args[:2] == ["archcalc", "calc"]
    r = run_cli(*args[1:])
    assert r.output.rstrip("\n") == shown
