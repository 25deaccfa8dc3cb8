"""Reporters: render a :class:`archcalc.lint.LintResult` for people or machines.

``REPORTERS`` maps a ``--format`` name to ``"module:function"``; each function takes the
result and returns the text to print (the text reporter may print itself, with colour).
"""

from __future__ import annotations

from archcalc.lazy import LazyTable

REPORTERS = LazyTable({
    "text": "archcalc.lint.reporters.text:render",
    "json": "archcalc.lint.reporters.json_:render",
    "sarif": "archcalc.lint.reporters.sarif:render",
    "github": "archcalc.lint.reporters.github:render",
})

#: the reporter for a --format name
get = REPORTERS.load
