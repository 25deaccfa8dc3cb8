"""archcalc summary: the model table (shapes, parameters, receptive fields)."""

from __future__ import annotations

import click

from archcalc.commands.options import load_graph, model_option, set_option, stdin_format_option
from archcalc.render import REGISTRY


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(sorted(REGISTRY)), default="table", show_default=True,
              help="Output format.")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "mixed"]), default="float32",
              show_default=True, help="Weight and activation precision for the memory estimates "
              "(mixed: float32 weights, 16-bit activations).")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True,
              help="Samples per batch for the activation and training memory estimates.")
@click.option("--list-models", is_flag=True, default=False,
              help="List what the file builds (model variables, builder functions, model classes): "
              "the names --model takes.")
@set_option
@model_option
@stdin_format_option
def summary(spec: str, fmt: str, dtype: str, batch_size: int, sets: tuple[str, ...],
            model_name: str | None, stdin_format: str | None, list_models: bool = False) -> None:
    """Show every layer's output shape, parameters, MACs and receptive field, then the totals
    and memory estimates (weights, activations, training).

    SPEC is a YAML spec (or any model file archcalc reads).
    """
    from archcalc import render
    from archcalc.engine import analyze

    if list_models:
        from archcalc.readers import list_models as models_of

        for name in models_of(spec):
            click.echo(name)
        return
    analysis = analyze(load_graph(spec, sets, model_name, stdin_format))
    text = render.get(fmt)(analysis, dtype=dtype, batch_size=batch_size)
    if text is not None:
        click.echo(text)
