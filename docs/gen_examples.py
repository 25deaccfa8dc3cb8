"""Run the console examples of README.md and docs/*.md and check (or rewrite) their output.

The convention (docs/development.md, "Console examples"): a fenced block tagged ``console``
holds one or more commands, each on a line starting with ``$ ``, and below each command its
exact output (standard output and standard error together), as run from the repository root
with ``NO_COLOR=1 COLUMNS=100``. ``archcalc`` in a command is the archcalc of this checkout,
run by the current Python interpreter.

- A line ``...`` alone in an output stands for any number of lines (zero or more), so a long
  output can be shown in part; the lines around it are still checked.
- A comment on the line before the fence changes how a block is run:
  ``<!-- example: keras -->`` the commands need TensorFlow (or Graphviz): the block is checked
  only with ``--keras`` (CI runs it in a test marked ``keras``);
  ``<!-- example: unchecked (REASON) -->`` the output varies from run to run (training times,
  random weights): the block is shown but never run. Commands whose output is not shown at all
  go in a ``bash`` block instead.
- Commands run in a scratch folder holding links to every entry of the repository root, so a
  command may write a file (``-o model.py``) without touching the checkout.

Usage::

    python docs/gen_examples.py --check [--keras] [FILE...]   # exit 1 and a diff on drift
    python docs/gen_examples.py --write [--keras] [FILE...]   # rewrite outputs in place

``--write`` rewrites the outputs of blocks without ``...``; a block with ``...`` that no
longer matches is reported for a hand edit.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELLIPSIS = "..."
MARKER = re.compile(r"^\s*<!--\s*example:\s*(keras|unchecked)\b.*-->\s*$")
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
TIMEOUT = 300


@dataclass
class Command:
    command: str
    expected: list[str]
    line: int  # 1-based line of the `$ ` line in its file
    actual: list[str] | None = None


@dataclass
class Block:
    path: Path
    start: int  # 0-based index of the first line inside the fence
    end: int  # 0-based index of the closing fence
    indent: str
    kind: str  # "" | "keras" | "unchecked"
    commands: list[Command] = field(default_factory=list)
    problem: str | None = None


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def doc_files() -> list[Path]:
    files = [ROOT / "README.md"]
    files += sorted(p for p in (ROOT / "docs").rglob("*.md"))
    return files


def parse(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, tag = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not (lines[j].strip() == "```" and lines[j].startswith(indent)):
            j += 1
        if tag == "console":
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            marker = MARKER.match(lines[k]) if k >= 0 else None
            block = Block(path, i + 1, j, indent, marker.group(1) if marker else "")
            body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1:j]]
            for n, text in enumerate(body):
                if text.startswith("$ "):
                    block.commands.append(Command(text[2:], [], i + 2 + n))
                elif block.commands:
                    block.commands[-1].expected.append(text)
                elif text.strip():
                    block.problem = (f"{rel(path)}:{i + 2 + n}: a console block must start "
                                     "with a `$ ` command line (use a bash block for commands without output)")
                    break
            if not block.commands and not block.problem:
                block.problem = f"{rel(path)}:{i + 1}: an empty console block"
            blocks.append(block)
        i = j + 1
    return blocks


def _scratch() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="archcalc-examples-"))
    for entry in ROOT.iterdir():
        (tmp / entry.name).symlink_to(entry)
    shim = tmp / ".bin"
    shim.mkdir()
    launcher = shim / "archcalc"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m archcalc "$@"\n')
    launcher.chmod(0o755)
    return tmp


def run(command: str, cwd: Path) -> list[str]:
    env = dict(os.environ)
    # what a user sees by default: no forced colour, and TensorFlow quiet as archcalc makes it (a
    # TF_CPP_MIN_LOG_LEVEL set by an earlier test would let its start-up lines through)
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "TF_CPP_MIN_LOG_LEVEL"):
        env.pop(name, None)
    env.update(NO_COLOR="1", COLUMNS="100", LINES="50", PYTHONUNBUFFERED="1", TERM="dumb",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
               PATH=os.pathsep.join([str(cwd / ".bin"), env.get("PATH", "")]))
    try:
        proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        out = proc.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        out = f"(timed out after {TIMEOUT} s)"
    lines = [ln.rstrip() for ln in out.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """Exact match, except that a `...` line stands for any number of lines."""
    expected = [ln.rstrip() for ln in expected]
    while expected and not expected[-1]:
        expected.pop()
    parts: list[list[str]] = [[]]
    for ln in expected:
        if ln == ELLIPSIS:
            parts.append([])
        else:
            parts[-1].append(ln)
    if len(parts) == 1:
        return expected == actual
    first, *middle, last = parts
    if actual[:len(first)] != first:
        return False
    pos = len(first)
    for part in middle:
        for start in range(pos, len(actual) - len(part) + 1):
            if actual[start:start + len(part)] == part:
                pos = start + len(part)
                break
        else:
            return False
    return len(actual) - pos >= len(last) and (not last or actual[len(actual) - len(last):] == last)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 with a diff when an output differs")
    mode.add_argument("--write", action="store_true", help="rewrite the outputs in place")
    parser.add_argument("--keras", action="store_true",
                        help="also (with --only-keras: only) run blocks marked `example: keras`")
    parser.add_argument("--only-keras", action="store_true", help="run only the blocks marked keras")
    parser.add_argument("--list", action="store_true", help="list the commands, run nothing")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = [p.resolve() for p in args.files] or doc_files()

    blocks = [b for f in files for b in parse(f)]
    problems = [b.problem for b in blocks if b.problem]

    def wanted(b: Block) -> bool:
        if b.problem or b.kind == "unchecked":
            return False
        if args.only_keras:
            return b.kind == "keras"
        return b.kind == "" or (b.kind == "keras" and args.keras)

    todo = [c for b in blocks if wanted(b) for c in b.commands]
    if args.list:
        for b in blocks:
            for c in b.commands:
                print(f"{rel(b.path)}:{c.line}: [{b.kind or 'checked'}] $ {c.command}")
        return 0
    scratch = _scratch()
    try:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            for c, out in zip(todo, pool.map(lambda c: run(c.command, scratch), todo)):
                c.actual = out
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    failed = list(problems)
    changed: set[Path] = set()
    for b in blocks:
        if not wanted(b):
            continue
        for c in b.commands:
            assert c.actual is not None
            if matches(c.expected, c.actual):
                continue
            where = f"{rel(b.path)}:{c.line}"
            broken = any("Traceback (most recent call last)" in ln for ln in c.actual)
            if args.write and not broken and ELLIPSIS not in [ln.rstrip() for ln in c.expected]:
                c.expected = c.actual
                changed.add(b.path)
                print(f"{where}: rewrote the output of `$ {c.command}`")
                continue
            diff = "\n".join(difflib.unified_diff(c.expected, c.actual, "documented", "actual", lineterm=""))
            failed.append(f"{where}: the output of `$ {c.command}` differs"
                          + (" (a block with `...`: edit it by hand)" if args.write else "")
                          + f"\n{diff}")
    for path in changed:
        lines = path.read_text(encoding="utf-8").split("\n")
        for b in sorted((b for b in blocks if b.path == path), key=lambda b: -b.start):
            body: list[str] = []
            for c in b.commands:
                body.append(f"$ {c.command}")
                body.extend(c.expected)
            lines[b.start:b.end] = [(b.indent + ln) if ln else ln for ln in body]
        path.write_text("\n".join(lines), encoding="utf-8")
    for message in failed:
        print(message, file=sys.stderr)
    ran = len(todo)
    print(f"{ran} example command(s) run, {len(failed)} problem(s)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
