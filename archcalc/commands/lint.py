"""archcalc lint / archcalc rules: the model linter and its rule documentation."""

from __future__ import annotations

from pathlib import Path

import click

from archcalc.commands.options import (
    LINT_FORMATS,
    RULE_FORMATS,
    check_stdin_format,
    format_option,
    stdin_format_option,
)
from archcalc.errors import UsageError

FORMATS = LINT_FORMATS


def _codes(values: tuple[str, ...]) -> list[str]:
    """--select A,B --select C -> [A, B, C]."""
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(LINT_FORMATS, "Output format: text for people, json, sarif (code scanning), github (annotations).")
@click.option("--strict", is_flag=True, help="Exit 1 on any finding, warnings and info included.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes, prefixes (AC1) or names (loss), comma-separated. "
                   "Replaces `select` from pyproject.toml.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rules (added to `ignore` from pyproject.toml).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Read [tool.archcalc] from this pyproject.toml instead of the nearest one.")
@click.option("--isolated", is_flag=True, help="Ignore pyproject.toml: default settings only.")
@click.option("--skip-non-models", is_flag=True,
              help="Skip files that do not look like models (for pre-commit hooks).")
@stdin_format_option
@click.pass_context
def lint(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool, select: tuple[str, ...],
         ignore: tuple[str, ...], config_path: str | None, isolated: bool, skip_non_models: bool,
         stdin_format: str | None) -> None:
    """Check models for Keras bugs: wrong loss for the output, missing Flatten, bad
    Dropout rates, shapes Keras refuses, failed expect:/budget: checks, and more.

    PATHS are model files (YAML specs, Keras .py files, notebooks, .json/.keras) or folders
    to search for them; `-` reads standard input.
    Exit status: 0 clean (warnings allowed), 1 error findings (or warnings with
    --strict), 2 input or usage errors. `archcalc rules` lists the checks.
    """
    from archcalc.lint import LintOptions, lint_paths, reporters

    check_stdin_format(paths, stdin_format)
    if config_path is not None and not Path(config_path).is_file():
        raise UsageError(f"--config {config_path}: no such file")
    options = LintOptions(
        select=_codes(select) or None,
        ignore=_codes(ignore),
        strict=strict,
        config_path=Path(config_path) if config_path else None,
        skip_non_models=skip_non_models,
        isolated=isolated,
        stdin_format=stdin_format,
    )
    result = lint_paths(paths, options)
    for error in result.input_errors:
        click.echo(error.format(), err=True)
    text = reporters.get(fmt)(result)
    if text:
        click.echo(text)
    ctx.exit(result.exit_code)


@click.command()
@click.argument("code", required=False)
@format_option(RULE_FORMATS, "text for the terminal, json, or markdown (the documentation site's page).")
def rules(code: str | None, fmt: str) -> None:
    """List the lint rules, or show one rule's documentation (CODE or dotted name)."""
    import json

    from archcalc.errors import did_you_mean
    from archcalc.lint.rules import all_rules

    known = all_rules()
    if code is None:
        if fmt == "json":
            click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                    "summary": r.summary()} for r in known], indent=2))
            return
        width = max(len(r.name) for r in known)
        for r in known:
            click.echo(f"{r.code:<6} {r.severity.value:<8} {r.name:<{width}}  {r.summary()}")
        return
    match = [r for r in known if code.upper() == r.code or code == r.name]
    if not match:
        pool = [r.code for r in known] + [r.name for r in known]
        raise UsageError(f"no rule '{code}'", hint=did_you_mean(code, pool) or "run `archcalc rules`")
    rule = match[0]
    if fmt == "json":
        click.echo(json.dumps({"code": rule.code, "name": rule.name, "severity": rule.severity.value,
                               "summary": rule.summary(), "doc": rule.doc()}, indent=2))
        return
    if fmt == "markdown":
        click.echo(f"# {rule.code}: {rule.summary()}\n\nName: `{rule.name}`, default severity: "
                   f"{rule.severity.value}\n")
        click.echo(rule.sections().markdown(), nl=False)
        return
    from archcalc.render.common import color_enabled, terminal_width

    bold = (lambda s: click.style(s, bold=True)) if color_enabled() else None
    head = f"{rule.code} {rule.name} ({rule.severity.value})"
    click.echo((bold(head) if bold else head) + "\n")
    click.echo(rule.sections().terminal(terminal_width(), bold), nl=False)
