"""Lint configuration: ``[tool.archcalc]`` in the nearest pyproject.toml, then the command
line.

Keys (all optional)::

    [tool.archcalc]
    select = ["ALL"]              # codes, code prefixes (AC1) or dotted names (loss, loss.mse-after-softmax)
    ignore = ["AC308"]
    [tool.archcalc.severity]      # per-rule severity: error, warning or info
    AC306 = "error"
    [tool.archcalc.budget]        # default budget: limits for every model (see AC502)
    params = "5M"

The same keys may sit in a ``[tool.archcalc.lint]`` table, which wins over the top level.
Any other key, or a value of the wrong type, is a usage error (exit status 2): a typo
such as ``ignroe`` must not silently lint with the defaults.

Each file is linted with the pyproject.toml nearest to *its* folder (searched upwards, as
ruff does), not the working directory's.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.errors import ArchcalcError, Location, UsageError, did_you_mean
from archcalc.limits import MAX_CONFIG_BYTES, read_file_bytes
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass
class LintConfig:
    """What the runner needs to know about which rules run and how loudly."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    budget: dict[str, Any] = field(default_factory=dict)
    source: str | None = None


#: the keys of [tool.archcalc] (and of [tool.archcalc.lint])
KEYS = ("select", "ignore", "severity", "budget")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.archcalc] table, from ``start`` upwards."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = read_file_bytes(candidate, MAX_CONFIG_BYTES, "pyproject.toml").decode("utf-8", "replace")
            except (OSError, ArchcalcError):
                continue
            if "[tool.archcalc" in text:
                return candidate
    return None


def _list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise UsageError(f"{where}: `{key}` must be a list of rule codes, got {value!r}",
                     loc=Location(where), hint='e.g. ignore = ["AC308"]')


def load_config(path: Path | None) -> LintConfig:
    """Read the lint settings from a pyproject.toml (defaults when None)."""
    if path is None:
        return LintConfig()
    where = str(path)
    try:
        data = tomllib.loads(read_file_bytes(path, MAX_CONFIG_BYTES, "pyproject.toml").decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise UsageError(f"cannot read {where}: {e}", loc=Location(where)) from None
    except ArchcalcError as e:
        raise UsageError(f"cannot read {where}: {e.message}", loc=Location(where)) from None
    table = data.get("tool", {}).get("archcalc", {})
    if not isinstance(table, dict):
        raise UsageError(f"{where}: [tool.archcalc] must be a table", loc=Location(where))
    if "lint" in table and not isinstance(table["lint"], dict):
        raise UsageError(f"{where}: [tool.archcalc.lint] must be a table", loc=Location(where))
    merged = {k: v for k, v in table.items() if k != "lint"}
    merged.update(table.get("lint", {}))
    for key in merged:
        if key not in KEYS:
            raise UsageError(f"{where}: unknown key `{key}` in [tool.archcalc]", loc=Location(where),
                             hint=did_you_mean(key, KEYS) or "the keys are " + ", ".join(KEYS))
    cfg = LintConfig(source=where)
    if "select" in merged:
        cfg.select = _list(merged["select"], "select", where)
    if "ignore" in merged:
        cfg.ignore = _list(merged["ignore"], "ignore", where)
    sev = merged.get("severity", {})
    if not isinstance(sev, dict):
        raise UsageError(f"{where}: [tool.archcalc.severity] must map codes to levels", loc=Location(where))
    for code, level in sev.items():
        try:
            cfg.severity[str(code)] = Severity.parse(level)
        except ValueError as e:
            raise UsageError(f"{where}: severity of {code}: {e}", loc=Location(where)) from None
    budget = merged.get("budget", {})
    if not isinstance(budget, dict):
        raise UsageError(f"{where}: [tool.archcalc.budget] must be a table", loc=Location(where))
    cfg.budget = dict(budget)
    return cfg


def _matches(selector: str, rule: type[LintRule]) -> bool:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    if rule.code.upper().startswith(sel.upper()):
        return True
    return rule.name == sel or rule.name.startswith(sel + ".")


def resolve(selectors: Iterable[str], rules: Sequence[type[LintRule]], what: str) -> set[str]:
    """The codes the selectors name; an unknown selector is a usage error."""
    out: set[str] = set()
    for sel in selectors:
        if not sel.strip():
            continue
        hit = {r.code for r in rules if _matches(sel, r)}
        if not hit:
            pool = [r.code for r in rules] + [r.name for r in rules]
            raise UsageError(f"{what}: no rule matches '{sel}'",
                             hint=did_you_mean(sel, pool) or "run `archcalc rules` to list them")
        out |= hit
    return out


def check_severity_codes(cfg: LintConfig, rules: Sequence[type[LintRule]]) -> None:
    codes = {r.code for r in rules}
    for code in cfg.severity:
        if code not in codes:
            raise UsageError(f"{cfg.source}: severity for unknown rule '{code}'",
                             hint=did_you_mean(code, codes) or "run `archcalc rules` to list them")
