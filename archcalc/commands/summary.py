"""archcalc summary: the model table (shapes, parameters, receptive fields)."""

from __future__ import annotations

import click

from archcalc.commands.options import (
    REPORT_FORMATS,
    format_option,
    load_graph,
    model_option,
    set_option,
    stdin_format_option,
)

_COLUMN_HELP = ("input_shape, output_shape, kernel_shape, params, trainable, macs, other_ops, flops, "
                "memory (activation memory), rf, connected_to")


@click.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@format_option(REPORT_FORMATS, "text (a table for the terminal), json, markdown (a GitHub table) or latex "
               "(a tabular for a document).")
@click.option("--dtype", type=click.Choice(["float32", "float16", "bfloat16", "mixed"]), default="float32",
              show_default=True, help="Weight and activation precision for the memory estimates "
              "(mixed: float32 weights, 16-bit activations).")
@click.option("--batch-size", type=click.IntRange(min=1), default=1, show_default=True,
              help="Samples per batch for the activation and training memory estimates.")
@click.option("--cost-convention", type=click.Choice(["archcalc", "tf-profiler"]), default="archcalc",
              show_default=True, help="Which FLOPs to report: archcalc's 2 x MACs + other ops, or the count "
              "of TensorFlow's profiler (tf.compat.v1.profiler float_operation) on the Keras model.")
@click.option("--list-models", is_flag=True, default=False,
              help="List what the file builds (model variables, builder functions, model classes): "
              "the names --model takes.")
@click.option("--expand-nested", is_flag=True,
              help="Show the layers inside nested models and wrappers (TimeDistributed, Bidirectional) "
              "as indented rows under them, as Keras's expand_nested does.")
@click.option("--depth", type=click.IntRange(min=1), default=None, metavar="N",
              help="With --expand-nested: expand N levels deep (implies --expand-nested) [default: all].")
@click.option("--show-trainable", is_flag=True, help="Add a Trainable column (Y, N, or - for no weights).")
@click.option("--layer-range", metavar="FIRST:LAST", default=None,
              help="Show only the layers from FIRST to LAST (names, or patterns matched at the start "
              "of names as Keras's layer_range does; an empty end means the first or last layer).")
@click.option("--columns", "columns", multiple=True, metavar="A,B,...",
              help=f"The columns to show, in order (repeatable or comma-separated): {_COLUMN_HELP}.")
@click.option("--layout", type=click.Choice(["auto", "table", "stacked"]), default="auto", show_default=True,
              help="auto: a table when it fits the terminal (cells wrap between whole items), else one "
              "block per layer; table: always a table, leaving out (and naming) the columns that do "
              "not fit; stacked: one block per layer.")
@set_option
@model_option
@stdin_format_option
def summary(spec: str, fmt: str, dtype: str, batch_size: int, expand_nested: bool, depth: int | None,
            show_trainable: bool, layer_range: str | None, columns: tuple[str, ...], layout: str,
            sets: tuple[str, ...], model_name: str | None, stdin_format: str | None = None,
            list_models: bool = False, cost_convention: str = "archcalc") -> None:
    """Show every layer's output shape, parameters, MACs and receptive field, then the totals
    and memory estimates (weights, activations, training).

    SPEC is a YAML spec (or any model file archcalc reads). The table fits the terminal's
    width (COLUMNS=N sets it): nothing is cut or left out silently.
    """
    from archcalc import render
    from archcalc.engine import analyze
    from archcalc.errors import UsageError

    if list_models:
        from archcalc.readers import list_models as models_of

        for name in models_of(spec):
            click.echo(name)
        return
    table_only = {"--expand-nested": expand_nested or depth is not None, "--show-trainable": show_trainable,
                  "--layer-range": layer_range, "--columns": columns, "--layout": layout != "auto"}
    if fmt == "json" and any(table_only.values()):
        used = ", ".join(k for k, v in table_only.items() if v)
        raise UsageError(f"{used}: only for --format text, markdown or latex",
                         hint="the JSON report always holds every layer and every field")
    analysis = analyze(load_graph(spec, sets, model_name, stdin_format))
    options: dict = {"cost_convention": cost_convention}
    options.update({} if fmt == "json" else {
        "columns": columns, "show_trainable": show_trainable, "layer_range": layer_range,
        "expand_nested": expand_nested, "depth": depth, "layout": layout})
    text = render.get(fmt)(analysis, dtype=dtype, batch_size=batch_size, **options)
    if text is not None:
        click.echo(text)
