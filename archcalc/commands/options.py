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
        help="Pin a value (repeatable): a parameter under `params:` in a spec; in Python code a "
             "module-level name or a named unknown size (n_features, x_train.shape[1]).",
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


#: --stdin-format choices: the formats standard input (`-`) can hold
STDIN_FORMATS = ("yaml", "py", "ipynb", "json")


def stdin_format_option(f: Any) -> Any:
    return click.option(
        "--stdin-format", type=click.Choice(STDIN_FORMATS), default=None,
        help="With `-` as the file: the format of standard input [default: sniffed: a JSON object "
             "with `cells` is a notebook, with `class_name`/`config` a Keras model; YAML with `layers:` "
             "a spec; else Python].",
    )(f)


def check_stdin_format(paths: tuple[str, ...] | list[str], stdin_format: str | None) -> None:
    """--stdin-format describes `-`; given without it, it is a mistake worth saying."""
    if stdin_format is not None and "-" not in paths:
        raise UsageError("--stdin-format describes standard input, but no file is `-`",
                         hint="pass `-` as the file to read standard input, or leave out --stdin-format")


def load_graph(path: str, sets: tuple[str, ...] = (), model_name: str | None = None,
               stdin_format: str | None = None) -> Any:
    """Read the command's model file; `-` reads standard input (``stdin_format`` or sniffed)."""
    from archcalc.readers import load, load_stdin

    options: dict[str, Any] = {}
    if model_name:
        options["model_name"] = model_name
    ctx = click.get_current_context(silent=True)
    era = ctx.meta.get(ERA_KEY) if ctx is not None else None
    if era:
        if path != "-" and not path.endswith((".py", ".ipynb")):
            raise UsageError("--era applies to Python files and notebooks", hint="leave out --era")
        options["era"] = era
    check_stdin_format([path], stdin_format)
    if path == "-":
        return load_stdin(stdin_format, overrides=parse_sets(sets) or None, **options)
    return load(path, overrides=parse_sets(sets) or None, **options)


# -- output formats: named once here, the same words in every command -----------------------

#: text for people (the default everywhere); json for tools; markdown for GitHub and notes;
#: latex for exam sheets
TEXT, JSON, MARKDOWN, LATEX = "text", "json", "markdown", "latex"
#: each command family's choices (a family takes those that make sense for its output)
REPORT_FORMATS = (TEXT, JSON, MARKDOWN, LATEX)  # summary: a table of layers
DERIVATION_FORMATS = (TEXT, MARKDOWN, LATEX)  # explain, quiz: worked formulas
COMPARISON_FORMATS = (TEXT, JSON, MARKDOWN)  # diff: a pull-request comment
ANSWER_FORMATS = (TEXT, JSON)  # fit, train: an answer and how it was found
LINT_FORMATS = (TEXT, JSON, "sarif", "github")  # lint: findings for people, tools, CI
RULE_FORMATS = (TEXT, JSON, MARKDOWN)  # rules: the rule documentation
DIAGRAM_FORMATS = ("mermaid", "dot", "svg", "png")  # diagram: a picture's source or the picture (render.diagram.FORMATS)
#: older spellings still accepted (not listed in --help)
FORMAT_ALIASES = {"table": TEXT}


class FormatChoice(click.Choice):
    """A --format choice that also takes the old aliases (``table`` = ``text``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.lower() in FORMAT_ALIASES and FORMAT_ALIASES[value.lower()] in self.choices:
            value = FORMAT_ALIASES[value.lower()]
        return super().convert(value, param, ctx)


def format_option(choices: tuple[str, ...], help: str, default: str | None = TEXT) -> Any:
    """``--format`` with one of the families above; text by default."""
    return click.option("--format", "fmt", type=FormatChoice(choices), default=default,
                        show_default=default is not None, help=help)
