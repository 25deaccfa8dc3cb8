"""The lint rules, one module per rule, named after its code (``AC101.py``).

A rule module defines one :class:`archcalc.lint.rule.LintRule` subclass. :func:`all_rules`
finds them by walking this package, so adding a rule touches one file here plus one case
folder under ``tests/lint/cases/<CODE>/``. Modules starting with ``_`` hold shared helpers.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from archcalc.lint.rule import LintRule


@cache
def all_rules() -> tuple[type[LintRule], ...]:
    """Every rule class, sorted by code."""
    found: dict[str, type[LintRule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, LintRule) and value.code \
                    and value.__module__ == module.__name__:
                if value.code != info.name:
                    raise RuntimeError(f"rule {value.code} lives in {info.name}.py; name the file after the code")
                found[value.code] = value
    return tuple(found[c] for c in sorted(found))


def by_code() -> dict[str, type[LintRule]]:
    return {r.code: r for r in all_rules()}
