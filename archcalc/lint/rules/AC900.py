"""An unused ``# archcalc: noqa`` suppression.

``# archcalc: noqa`` (all codes) or ``# archcalc: noqa: AC101,AC304`` on a layer's line
hides findings on that line. When nothing on the line is reported any more (the bug was
fixed, or the layer moved), the comment is stale: it would hide a future finding
silently. Codes that the run does not check (``--select``/``--ignore``) are not reported.

Fix: remove the comment, or the codes it no longer needs.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='relu')  # archcalc: noqa: AC305
      - Dense(1, activation='sigmoid')

Passing::

    input: [20]
    layers:
      - Dense(64)  # archcalc: noqa: AC305
      - Dense(1, activation='sigmoid')
"""

from __future__ import annotations

from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule


class UnusedSuppression(LintRule):
    # reported by the runner, which knows what each comment suppressed
    __doc__ = __doc__
    code = "AC900"
    name = "meta.unused-noqa"
    severity = Severity.INFO
