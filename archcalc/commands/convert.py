"""archcalc convert: turn a Keras .py, .json or .keras model (or a spec) into a YAML spec."""

from __future__ import annotations

import click

from archcalc.commands.options import load_graph, model_option, stdin_format_option


@click.command()
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("--to", "target", type=click.Choice(["yaml"]), default="yaml", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the spec to this file (atomically; `-` is standard output) instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@model_option
@stdin_format_option
def convert(model: str, target: str, output: str | None, force: bool, model_name: str | None,
            stdin_format: str | None) -> None:
    """Convert MODEL (Keras Python code, model.to_json() output, a .keras archive or a spec)
    into an archcalc YAML spec with the same shapes and parameter counts. `-` reads standard
    input."""
    from pathlib import Path

    from archcalc.engine import analyze
    from archcalc.errors import ArchcalcError
    from archcalc.fileio import STDOUT, check_target, write_atomic
    from archcalc.readers.to_yaml import to_yaml

    if output == STDOUT:  # `-o -`: standard output
        output = None
    if output is not None:
        check_target(output, force=force)  # a link or a device is refused before the read
    graph = load_graph(model, (), model_name, stdin_format)
    refused = None
    try:  # the header promises the same shapes and counts only for a model that builds
        analyze(graph)
    except ArchcalcError as e:
        refused = e.message
        where = f"{e.loc}: " if e.loc is not None else ""
        click.echo(f"{where}warning: the model does not build: {e.message}\n"
                   "  hint: the spec is written as the file has it, to be fixed there", err=True)
    text = to_yaml(graph, source="<stdin>" if model == "-" else Path(model).name, refused=refused)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text, force=force)
    click.echo(f"wrote {output}", err=True)
