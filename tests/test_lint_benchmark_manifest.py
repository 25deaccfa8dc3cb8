"""The lint benchmark's manifest (tests/lint/benchmarks/manifest.yaml) is well formed: CI cannot
clone the benchmarks, but it can check that every expectation names a rule archcalc has, a
repair for every statically detectable bug, and only references (no program text)."""

from __future__ import annotations

from pathlib import Path

import yaml

from archcalc.lint.rules import all_rules

MANIFEST = Path(__file__).parent / "lint" / "benchmarks" / "manifest.yaml"


def _load() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_every_entry_names_its_benchmark_and_a_path() -> None:
    data = _load()
    benches = data["benchmarks"]
    assert all(len(b["commit"]) == 40 and "/" in b["repo"] for b in benches.values())
    ids = [e["id"] for e in data["entries"]]
    assert len(ids) == len(set(ids))
    for e in data["entries"]:
        assert e["id"].split("/")[0] in benches, e["id"]
        assert e["buggy"].endswith(".py") and not e["buggy"].startswith("/"), e["id"]
        assert isinstance(e["static"], bool) and e["class"], e["id"]


def test_statically_detectable_bugs_have_lines_a_known_rule_and_a_repair() -> None:
    codes = {r.code for r in all_rules()}
    static = [e for e in _load()["entries"] if e["static"]]
    assert len(static) >= 50
    for e in static:
        assert e["lines"] and all(isinstance(n, int) and n > 0 for n in e["lines"]), e["id"]
        assert e["rule"] in codes, f"{e['id']}: no rule {e['rule']}"
        assert e.get("fixed") or e.get("fix"), f"{e['id']}: no repaired program"
        for line, old, new in e.get("fix", []):
            assert isinstance(line, int) and old and old != new, e["id"]
            assert len(old) < 120 and len(new) < 120, f"{e['id']}: an edit, not a copy of the program"
