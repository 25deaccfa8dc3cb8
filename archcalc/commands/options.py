"""Options several commands share."""

from __future__ import annotations

from typing import Any

import click

from archcalc.errors import UsageError


def parse_sets(values: tuple[str, ...]) -> dict[str, Any]:
    """--set name=value pairs; values are read as Python literals (ints, floats, strings)."""
    import ast

    out: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise UsageError(f"--set expects name=value, got '{item}'", hint="e.g. --set n_hidden=256")
        name, _, raw = item.partition("=")
        name = name.strip()
        try:
            value = ast.literal_eval(raw.strip())
        except (ValueError, SyntaxError):
            value = raw.strip()
        out[name] = value
    return out


def set_option(f: Any) -> Any:
    return click.option(
        "--set", "sets", multiple=True, metavar="NAME=VALUE",
        help="Override a parameter declared under `params:` in the spec (repeatable).",
    )(f)


ERA_KEY = "archcalc.era"


def _store_era(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[ERA_KEY] = value


def model_option(f: Any) -> Any:
    """--model NAME, and --era (kept in the click context: load_graph reads it)."""
    f = click.option(
        "--era", type=click.Choice(["keras1", "keras2", "keras3"]), default=None, expose_value=False,
        callback=_store_era,
        help="For Python files: read the code as Keras 1, 2 or 3 (default: detected from the API it uses).",
    )(f)
    return click.option(
        "--model", "model_name", default=None, metavar="NAME",
        help="For Python files holding several models: the variable name of the one to read.",
    )(f)


def load_graph(path: str, sets: tuple[str, ...] = (), model_name: str | None = None) -> Any:
    from archcalc.readers import load

    options: dict[str, Any] = {}
    if model_name:
        options["model_name"] = model_name
    ctx = click.get_current_context(silent=True)
    era = ctx.meta.get(ERA_KEY) if ctx is not None else None
    if era:
        if not path.endswith((".py", ".ipynb")):
            raise UsageError("--era applies to Python files", hint="leave out --era")
        options["era"] = era
    return load(path, overrides=parse_sets(sets) or None, **options)
