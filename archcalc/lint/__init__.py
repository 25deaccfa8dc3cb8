"""archcalc lint: static checks for Keras models, built for CI.

``lint_paths(paths, options)`` reads each model, runs the engine and every enabled rule
(one module per rule under :mod:`archcalc.lint.rules`), applies ``# archcalc: noqa``
suppressions and returns a :class:`LintResult` whose ``exit_code`` follows the shared
convention (0 clean, 1 findings, 2 input or usage error). Reporters under
:mod:`archcalc.lint.reporters` render the result as text, JSON, SARIF or GitHub annotations.

Nothing here imports sympy, numpy or TensorFlow: lint must stay fast.
"""

from archcalc.lint.finding import Finding, Severity
from archcalc.lint.runner import LintOptions, LintResult, lint_paths

__all__ = ["Finding", "LintOptions", "LintResult", "Severity", "lint_paths"]
