"""Complexity limits (issue 24): no function over cyclomatic complexity 25 and no module with a
maintainability index below 10, both as radon measures them (radon is a pinned dev tool), except
the entries of the allow-lists below, each of which ARCHITECTURE.md ("Complexity") explains.

``python tests/test_complexity.py`` prints the measures: every function over the limit, every
module under it, and allow-list entries that no longer need to be there.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.metrics import mi_visit

ROOT = Path(__file__).resolve().parent.parent
MAX_COMPLEXITY = 25
MIN_MAINTAINABILITY = 10
#: modules not measured (none: the Python reader is measured since its split, issue 24)
EXCLUDED: tuple[str, ...] = ()

#: "path::function" (methods as Class.method) allowed over MAX_COMPLEXITY
ALLOWED_FUNCTIONS: set[str] = set()
#: modules allowed under MIN_MAINTAINABILITY
ALLOWED_MODULES: set[str] = set()


def _files() -> list[Path]:
    return [p for p in sorted((ROOT / "archcalc").rglob("*.py"))
            if not p.relative_to(ROOT).as_posix().startswith(EXCLUDED)]


def _functions(blocks: list, prefix: str = "") -> list[tuple[str, int]]:
    """(qualified name, complexity) of every function and method, closures included (radon
    lists methods among the functions, as ``Class.method``; a class's own entry is a sum)."""
    out = []
    for b in blocks:
        if hasattr(b, "methods"):
            continue
        out.append((prefix + b.fullname, b.complexity))
        out += _functions(getattr(b, "closures", []), f"{prefix}{b.fullname}.")
    return out


@functools.cache
def measure() -> tuple[dict[str, int], dict[str, float]]:
    """Functions over the limit (name -> complexity) and modules under it (path -> MI)."""
    over: dict[str, int] = {}
    under: dict[str, float] = {}
    for path in _files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for name, cc in _functions(cc_visit(text)):
            if cc > MAX_COMPLEXITY:
                over[f"{rel}::{name}"] = cc
        mi = mi_visit(text, multi=True)
        if mi < MIN_MAINTAINABILITY:
            under[rel] = mi
    return over, under


def test_no_function_over_the_complexity_limit():
    over, _ = measure()
    new = {k: v for k, v in over.items() if k not in ALLOWED_FUNCTIONS}
    assert not new, (f"functions over cyclomatic complexity {MAX_COMPLEXITY} (split them, or add them to "
                     f"ALLOWED_FUNCTIONS with a reason in ARCHITECTURE.md): {new}")


def test_no_module_under_the_maintainability_limit():
    _, under = measure()
    new = {k: round(v, 1) for k, v in under.items() if k not in ALLOWED_MODULES}
    assert not new, (f"modules with a maintainability index under {MIN_MAINTAINABILITY} (split them, or add "
                     f"them to ALLOWED_MODULES with a reason in ARCHITECTURE.md): {new}")


def test_every_allowed_entry_has_a_reason_in_architecture_md():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Complexity", 1)[-1] if "## Complexity" in text else ""
    missing = [e for e in sorted(ALLOWED_FUNCTIONS | ALLOWED_MODULES)
               if f"`{e.split('::')[-1] if '::' in e else e.removeprefix('archcalc/')}`" not in section]
    assert not missing, f"allow-list entries without a reason in ARCHITECTURE.md's Complexity section: {missing}"


if __name__ == "__main__":
    over, under = measure()
    print(f"functions over complexity {MAX_COMPLEXITY}: {len(over)}")
    for k, v in sorted(over.items(), key=lambda kv: -kv[1]):
        print(f"  {v:3d} {k}{'' if k in ALLOWED_FUNCTIONS else '   (not allowed)'}")
    print(f"modules with a maintainability index under {MIN_MAINTAINABILITY}: {len(under)}")
    for k, mi in sorted(under.items(), key=lambda kv: kv[1]):
        print(f"  {mi:5.1f} {k}{'' if k in ALLOWED_MODULES else '   (not allowed)'}")
    stale = sorted((ALLOWED_FUNCTIONS - set(over)) | (ALLOWED_MODULES - set(under)))
    if stale:
        print("allowed but now within the limits (remove them from the lists):", ", ".join(stale))
    sys.exit(1 if set(over) - ALLOWED_FUNCTIONS or set(under) - ALLOWED_MODULES else 0)
