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
    import os

    # lexically absolute (not resolved): a path under the working directory stays under it,
    # so that messages can name the file relative to it
    start = Path(os.path.normpath(os.path.abspath(start)))
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


def _list(value: Any, key: str, where: str, loc: Location | None = None) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise UsageError(f"`{key}` must be a list of rule codes, got {value!r}",
                     loc=loc or Location(where), hint='e.g. ignore = ["AC308"]')


def _key_location(text: str, where: str, section: str, key: str | None = None) -> Location:
    """Where ``key`` is written in the table ``section`` (``tool.archcalc.budget``) of a
    pyproject.toml: ``[section]`` and ``key = ...`` below it, or a dotted ``budget.key = ...``
    / inline table under ``[tool.archcalc]``. tomllib keeps no positions, so the text is
    searched; the table's header line, else line 1, when the key is not found."""
    import re

    header_re = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+\s*(#.*)?$")
    current = ""
    header_line = 0
    parent = "tool.archcalc"
    lines = text.splitlines()
    for i, line in enumerate(lines, 1):
        m = header_re.match(line)
        if m:
            current = re.sub(r"\s*\.\s*", ".", m.group(1).replace('"', "").replace("'", ""))
            if current == section and not header_line:
                header_line = i
            continue
        if key is None:
            continue
        stripped = line.lstrip()
        names = [key]
        if current == parent and section != parent:
            names.append(f"{section[len(parent) + 1:]}.{key}")  # budget.key = ... under [tool.archcalc]
        if current == section or (current == parent and section != parent):
            for name in names:
                if re.match(rf"[\"']?{re.escape(name)}[\"']?\s*=", stripped):
                    return Location(where, i, len(line) - len(stripped) + 1)
            if current == parent and section != parent and re.match(rf"{re.escape(section[len(parent) + 1:])}\s*=", stripped):
                col = line.find(key)
                if col >= 0:
                    return Location(where, i, col + 1)
    return Location(where, header_line or 1, 1)


def load_config(path: Path | None) -> LintConfig:
    """Read the lint settings from a pyproject.toml (defaults when None). A mistake in them is
    one ``pyproject.toml:line:col: error:`` (exit status 2), raised once for the run."""
    if path is None:
        return LintConfig()
    try:  # messages name it as the user would: relative to the working directory when inside it
        where = str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        where = str(path)
    try:
        text = read_file_bytes(path, MAX_CONFIG_BYTES, "pyproject.toml").decode("utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        import re

        m = re.search(r"\(at line (\d+), column (\d+)\)$", str(e))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        raise UsageError(f"invalid TOML: {str(e)[:m.start()].rstrip() if m else e}",
                         loc=Location(where, line, col)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {where}: {e}", loc=Location(where)) from None
    except ArchcalcError as e:
        raise UsageError(f"cannot read {where}: {e.message}", loc=Location(where)) from None

    def at(section: str, key: str | None = None) -> Location:
        return _key_location(text, where, section, key)

    table = data.get("tool", {}).get("archcalc", {})
    if not isinstance(table, dict):
        raise UsageError("[tool.archcalc] must be a table", loc=at("tool"))
    if "lint" in table and not isinstance(table["lint"], dict):
        raise UsageError("[tool.archcalc.lint] must be a table", loc=at("tool.archcalc", "lint"))
    merged = {k: v for k, v in table.items() if k != "lint"}
    merged.update(table.get("lint", {}))
    for key in merged:
        if key not in KEYS:
            section = "tool.archcalc.lint" if key in table.get("lint", {}) else "tool.archcalc"
            raise UsageError(f"unknown key `{key}` in [{section}]", loc=at(section, key),
                             hint=did_you_mean(key, KEYS) or "the keys are " + ", ".join(KEYS))
    cfg = LintConfig(source=where)
    if "select" in merged:
        cfg.select = _list(merged["select"], "select", where, at("tool.archcalc", "select"))
    if "ignore" in merged:
        cfg.ignore = _list(merged["ignore"], "ignore", where, at("tool.archcalc", "ignore"))
    sev = merged.get("severity", {})
    if not isinstance(sev, dict):
        raise UsageError("[tool.archcalc.severity] must map codes to levels", loc=at("tool.archcalc", "severity"))
    for code, level in sev.items():
        try:
            cfg.severity[str(code)] = Severity.parse(level)
        except ValueError as e:
            raise UsageError(f"severity of {code}: {e}", loc=at("tool.archcalc.severity", str(code))) from None
    budget = merged.get("budget", {})
    if not isinstance(budget, dict):
        raise UsageError("[tool.archcalc.budget] must be a table", loc=at("tool.archcalc", "budget"))
    _check_budget(budget, lambda key: at("tool.archcalc.budget", key))
    cfg.budget = dict(budget)
    return cfg


def _check_budget(budget: dict[str, Any], at: Any) -> None:
    """The default budget's keys and values, checked once here (rule AC502 applies them to
    every model): a mistake is the configuration's, not each model's."""
    from archcalc.lint.rules.AC502 import ALIASES, OPTION_KEYS, parse_limit
    from archcalc.lint.rules.AC502 import KEYS as BUDGET_KEYS

    for key, value in budget.items():
        if key not in BUDGET_KEYS:
            raise UsageError(f"unknown key `{key}` in [tool.archcalc.budget]", loc=at(key),
                             hint=did_you_mean(str(key), BUDGET_KEYS) or "the keys are " + ", ".join(BUDGET_KEYS))
        if key in OPTION_KEYS:
            continue
        try:
            parse_limit(ALIASES.get(key, key), value)
        except (ValueError, TypeError) as e:
            raise UsageError(f"[tool.archcalc.budget] {key} = {value!r}: {e}", loc=at(key),
                             hint="a count such as 1.5M or 300k; a size such as 64MB or 2GiB") from None


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
