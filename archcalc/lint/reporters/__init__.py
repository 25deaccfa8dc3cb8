"""Reporters: render a :class:`archcalc.lint.LintResult` for people or machines.

``REPORTERS`` maps a ``--format`` name to ``"module:function"``; each function takes the
result and returns the text to print (the text reporter may print itself, with colour).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

REPORTERS: dict[str, str] = {
    "text": "archcalc.lint.reporters.text:render",
    "json": "archcalc.lint.reporters.json_:render",
    "sarif": "archcalc.lint.reporters.sarif:render",
    "github": "archcalc.lint.reporters.github:render",
}


def get(name: str) -> Callable[..., Any]:
    module, func = REPORTERS[name].split(":")
    return getattr(importlib.import_module(module), func)
