"""archcalc lint: static checks for Keras models, built for CI.

``lint_paths(paths, options)`` reads each model, runs the engine and every enabled rule
(one module per rule under :mod:`archcalc.lint.rules`), applies ``# archcalc: noqa``
suppressions and returns a :class:`LintResult` whose ``exit_code`` follows the shared
convention (0 clean, 1 findings, 2 input or usage error). Reporters under
:mod:`archcalc.lint.reporters` render the result as text, JSON, SARIF or GitHub annotations.

Nothing here imports sympy, numpy or TensorFlow: lint must stay fast.
"""

import sys
import types
from collections.abc import Sequence
from typing import Any

from archcalc.lint.finding import Finding, Severity
from archcalc.lint.runner import LintOptions, LintResult, lint_paths

__all__ = ["Finding", "LintOptions", "LintResult", "Severity", "lint", "lint_paths"]


def lint(*paths: Any, select: Sequence[str] | None = None, ignore: Sequence[str] = (),
         strict: bool = False, isolated: bool = False, skip_non_models: bool = False) -> LintResult:
    """Lint model files or folders, as ``archcalc lint`` does; ``archcalc.lint(...)`` is this.

    ``select``/``ignore`` take codes, prefixes (``AC1``) or names (``loss``); ``isolated``
    ignores pyproject.toml. The result's ``findings`` are :class:`Finding` objects, its
    ``exit_code`` the command's; ``print(result)`` shows the text report::

        >>> result = archcalc.lint("samples/sequential_8_10_1.yaml")
        >>> result
        <LintResult: 1 file, 1 error, 0 warnings, 0 info; exit status 1>
        >>> result.findings[0].code
        'AC101'
    """
    options = LintOptions(select=list(select) if select is not None else None, ignore=list(ignore),
                          strict=strict, isolated=isolated, skip_non_models=skip_non_models)
    return lint_paths([str(p) for p in paths], options)


class _CallableModule(types.ModuleType):
    """``archcalc.lint`` is this package and, called, the :func:`lint` function."""

    def __call__(self, *paths: Any, **options: Any) -> LintResult:
        return lint(*paths, **options)


sys.modules[__name__].__class__ = _CallableModule
