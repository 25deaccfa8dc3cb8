"""Jupyter displays: an Analysis as its Markdown summary table; explanations and
derivations as typeset math (their own ``_repr_markdown_`` / ``_repr_latex_``)."""

from __future__ import annotations

from typing import Any


def analysis_markdown(analysis: Any) -> str:
    """The summary table in Markdown, with a pointer to the worked derivations."""
    from archcalc import render

    table = render.get("markdown")(analysis)
    return table + "\n_Derivations: `archcalc.explain.explain_analysis(result)` shows the working._\n"
