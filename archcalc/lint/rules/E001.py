"""The spec cannot be built: archcalc's reader refused it.

Reported when the model file is readable (valid YAML or Python) but describes something
Keras would not build: an unknown layer type, a wrong argument (``Conv2D(8, 0)``), a
name used before it is defined, a missing ``input:``. The message and hint are the ones
``archcalc summary`` prints. Lint reports it as a finding (exit 1) so that a CI run lists
every broken model instead of stopping at the first; the other rules cannot run on that
file.

Fix: follow the hint; ``archcalc summary FILE`` shows the same message.

Failing::

    input: [20]
    layers:
      - Dense(64, activation='rleu')

Passing::

    input: [20]
    layers:
      - Dense(64, activation='relu')
"""

from __future__ import annotations

from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule


class SpecRefused(LintRule):
    __doc__ = __doc__
    code = "E001"
    name = "engine.spec-refused"
    severity = Severity.ERROR
    refusal_only = True
