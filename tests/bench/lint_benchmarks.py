"""Benchmark: `archcalc lint` on published benchmarks of real Keras faults.

Run: python tests/bench/lint_benchmarks.py --repos /work/lint-bench-repos [--verbose]

The programs are not in this repository: `tests/lint/benchmarks/manifest.yaml` names them
(repository, commit, path) with the expectations we wrote after reading each bug and its
repair. `--repos` is a folder holding each benchmark repository, checked out at the
manifest's commit, as `<owner>+<name>` (or `<owner>/<name>`); see
tests/lint/benchmarks/README.md. Each buggy program is copied with the files next to it
into a temporary folder, its repair written beside it (the benchmark's own fixed file, or
the manifest's edits applied to the buggy one), and the whole folder is linted in one
`archcalc lint --format json --isolated` run.

Prints, for the statically detectable bugs: caught on a line where the repair goes, caught
on another line, missed (by class, with the reading problem when the manifest names one);
and every error-level finding on a repaired program (a false error). Prints numbers;
asserts nothing (not collected by pytest).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "tests" / "lint" / "benchmarks" / "manifest.yaml"
#: files copied next to a program (data files the reader may look at); others are left out
COPIED = {".py", ".csv", ".txt", ".json", ".yaml", ".yml", ".npy", ".npz"}
MAX_COPY = 2_000_000  # bytes per file


@dataclass
class Entry:
    id: str
    bench: str
    buggy: str
    static: bool
    cls: str
    lines: list[int] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    fix: list[list[Any]] = field(default_factory=list)
    fixed: str | None = None
    reader: str | None = None

    @property
    def slug(self) -> str:
        return self.id.replace("/", "_")


def load_manifest(path: Path) -> tuple[dict[str, Any], list[Entry]]:
    data = yaml.safe_load(path.read_text())
    entries = []
    for raw in data["entries"]:
        rule = raw.get("rule")
        entries.append(Entry(
            id=raw["id"], bench=raw["id"].split("/")[0], buggy=raw["buggy"], static=bool(raw["static"]),
            cls=raw["class"], lines=list(raw.get("lines", [])),
            rules=[rule] if isinstance(rule, str) else list(rule or []),
            fix=list(raw.get("fix", [])), fixed=raw.get("fixed"), reader=raw.get("reader")))
    return data["benchmarks"], entries


def repo_dir(repos: Path, repo: str) -> Path | None:
    owner, name = repo.split("/")
    for cand in (repos / f"{owner}+{name}", repos / owner / name, repos / name):
        if cand.is_dir():
            return cand
    return None


def apply_fix(text: str, edits: list[list[Any]], where: str) -> str:
    lines = text.splitlines(keepends=True)
    for line, old, new in edits:
        if old not in lines[line - 1]:
            raise SystemExit(f"{where}: line {line} does not contain {old!r}: the checkout differs "
                             "from the manifest's commit")
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


def stage(entries: list[Entry], benches: dict[str, Any], repos: Path, into: Path) -> list[Entry]:
    """Copy each buggy program (and its repair) into `into/<slug>/`; return the entries staged."""
    staged = []
    for e in entries:
        base = repo_dir(repos, benches[e.bench]["repo"])
        if base is None:
            continue
        src = base / e.buggy
        if not src.is_file():
            print(f"missing: {src}", file=sys.stderr)
            continue
        folder = into / e.slug
        folder.mkdir(parents=True)
        for f in src.parent.iterdir():
            if f.is_file() and f.suffix in COPIED and f.stat().st_size <= MAX_COPY and f != src:
                if f.suffix != ".py":  # sibling programs (the benchmark's own repair) stay out
                    shutil.copy(f, folder / f.name)
        text = src.read_text(encoding="utf-8", errors="replace")
        (folder / "buggy.py").write_text(text)
        if e.fixed:
            (folder / "repaired.py").write_text((base / e.fixed).read_text(encoding="utf-8", errors="replace"))
        elif e.fix:
            (folder / "repaired.py").write_text(apply_fix(text, e.fix, e.id))
        staged.append(e)
    return staged


def run_lint(folder: Path) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-m", "archcalc", "lint", str(folder), "--format", "json", "--isolated"],
        capture_output=True, text=True, cwd=ROOT)
    try:
        return list(json.loads(proc.stdout)["findings"])
    except (json.JSONDecodeError, KeyError):
        raise SystemExit(f"archcalc lint failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}") from None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repos", type=Path, required=True, help="folder of the benchmark checkouts")
    ap.add_argument("--manifest", type=Path, default=MANIFEST)
    ap.add_argument("--verbose", action="store_true", help="list every miss and false error")
    args = ap.parse_args()

    benches, entries = load_manifest(args.manifest)
    with tempfile.TemporaryDirectory() as tmp:
        staged = stage(entries, benches, args.repos, Path(tmp))
        findings = run_lint(Path(tmp))
        by_file: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for f in findings:
            p = Path(f["path"])
            by_file[(p.parent.name, p.name)].append(f)

    used = sorted({e.bench for e in staged})
    print(f"{len(staged)} benchmark entries from {len(used)} benchmarks ({', '.join(used)}); "
          f"{len(entries) - len(staged)} not found under {args.repos}")
    static = [e for e in staged if e.static]
    on_line, elsewhere, missed = [], [], []
    for e in static:
        got = [f for f in by_file[(e.slug, "buggy.py")] if f["severity"] in ("error", "warning")]
        relevant = [f for f in got if f["code"] in e.rules or f["severity"] == "error"]
        if any(f["line"] in e.lines for f in relevant):
            on_line.append(e)
        elif any(f["code"] in e.rules for f in got):
            elsewhere.append(e)
        else:
            missed.append(e)
    n = len(static)
    pct = (lambda k: f"{k / n:.0%}") if n else (lambda k: "-")
    print(f"statically detectable bugs: {n}")
    print(f"  caught on a line where the repair goes: {len(on_line)} ({pct(len(on_line))})")
    print(f"  caught on another line:                 {len(elsewhere)} ({pct(len(elsewhere))})")
    print(f"  missed:                                 {len(missed)} ({pct(len(missed))})")
    if missed:
        print("misses by class:")
        for cls, k in Counter(e.cls for e in missed).most_common():
            print(f"  {cls}: {k}")
        reading = [e for e in missed if e.reader]
        print(f"  of which caused by reading: {len(reading)}")
    if args.verbose:
        for e in elsewhere:
            lines = sorted({f["line"] for f in by_file[(e.slug, "buggy.py")] if f["code"] in e.rules})
            print(f"  elsewhere {e.id}: {e.rules} on {lines}, repair on {e.lines}")
        for e in missed:
            print(f"  missed {e.id} ({e.cls}, expected {e.rules} on {e.lines})"
                  + (f" [reader: {e.reader}]" if e.reader else ""))

    repaired = [e for e in staged if e.fixed or e.fix]
    false_errors = [(e, f) for e in repaired for f in by_file[(e.slug, "repaired.py")]
                    if f["severity"] == "error"]
    bad = sorted({e.id for e, _ in false_errors})
    print(f"repaired programs: {len(repaired)}; with an error: {len(bad)} "
          f"({len(false_errors)} error findings)")
    for e, f in false_errors:
        print(f"  {e.id}:{f['line']}: {f['code']} {f['message'][:110]}")
    other = [e for e in staged if not e.static]
    noisy = [e for e in other if any(f["severity"] == "error" for f in by_file[(e.slug, "buggy.py")])]
    print(f"bugs not statically detectable: {len(other)}; with an error finding: {len(noisy)}")
    if args.verbose:
        for e in noisy:
            errs = [f"{f['code']}@{f['line']}" for f in by_file[(e.slug, "buggy.py")] if f["severity"] == "error"]
            print(f"  {e.id}: {', '.join(errs)}")


if __name__ == "__main__":
    main()
