"""archcalc summary: the model table (shapes, parameters, receptive fields)."""

from __future__ import annotations

import click

from archcalc.commands.options import load_graph, model_option, set_option
from archcalc.render import REGISTRY


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sorted(REGISTRY)), default="table", show_default=True,
              help="Output format.")
@set_option
@model_option
def summary(spec: str, fmt: str, sets: tuple[str, ...], model_name: str | None) -> None:
    """Show every layer's output shape, parameters and receptive field.

    SPEC is a YAML spec (or any model file archcalc reads).
    """
    from archcalc import render
    from archcalc.engine import analyze

    analysis = analyze(load_graph(spec, sets, model_name))
    text = render.get(fmt)(analysis)
    if text is not None:
        click.echo(text)
