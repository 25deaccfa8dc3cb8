"""``archcalc emit``, ``archcalc verify`` and ``archcalc train``: the Keras bridge commands.

They stay thin: load the spec, call ``archcalc.keras_bridge``, render, exit. TensorFlow
is imported only when ``verify`` or ``train`` runs, never for ``--help`` or ``emit``.
"""

from __future__ import annotations

import json

import click

from archcalc.commands.options import load_graph, model_option, set_option
from archcalc.errors import EXIT_FINDINGS, EXIT_OK

SPEC = click.argument("spec", type=click.Path(dir_okay=False))


@click.command()
@SPEC
@click.option("--style", type=click.Choice(["auto", "sequential", "functional"]), default="auto",
              show_default=True, help="keras.Sequential for a plain stack (auto), or force a style.")
@click.option("--output", "-o", default=None, metavar="FILE", help="Write the code to FILE instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@set_option
@model_option
def emit(spec: str, style: str, output: str | None, force: bool, sets: tuple[str, ...],
         model_name: str | None) -> None:
    """Print idiomatic Keras 3 code that builds SPEC's model (bound to `model`)."""
    from archcalc.engine import analyze
    from archcalc.fileio import check_target, write_atomic
    from archcalc.keras_bridge.codegen import generate

    if output:
        check_target(output, force=force)  # before reading the spec
    graph = load_graph(spec, sets, model_name)
    analyze(graph)  # refuse, with the engine's message, a model Keras would refuse
    code = generate(graph, style)
    if output:
        write_atomic(output, code, force=force)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(code, nl=False)


@click.command()
@SPEC
@set_option
@model_option
@click.pass_context
def verify(ctx: click.Context, spec: str, sets: tuple[str, ...], model_name: str | None) -> None:
    """Build SPEC with real Keras and compare every layer with archcalc.

    Exit 0 when output shapes and trainable / non-trainable counts all agree, 1 when any
    disagrees, 2 on an input error.
    """
    from rich.console import Console

    from archcalc.keras_bridge.verify import render
    from archcalc.keras_bridge.verify import verify as run_verify

    graph = load_graph(spec, sets, model_name)
    report = run_verify(graph)
    render(report, Console(width=max(100, Console().width)))
    ctx.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@click.command()
@SPEC
@click.option("--data", default="digits", show_default=True, metavar="SOURCE",
              help="digits, iris, wine, breast_cancer (scikit-learn, no download), or a .npz (x, y) / .csv file.")
@click.option("--label", default=None, metavar="COLUMN", help="CSV label column (name or index); default the last.")
@click.option("--epochs", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(min=1))
@click.option("--validation-split", default=0.1, show_default=True, type=click.FloatRange(0, 1, max_open=True),
              help="Fraction of the training split used for validation during fit().")
@click.option("--test-split", default=0.2, show_default=True,
              type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Fraction held out for the final evaluation.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for the split, the weights and shuffling.")
@click.option("--output", "-o", default="model.keras", show_default=True, metavar="FILE.keras")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--strategy", type=click.Choice(["default", "mirrored"]), default="default", show_default=True,
              help="mirrored: tf.distribute.MirroredStrategy over the GPUs present (a CPU works too).")
@click.option("--json", "as_json", is_flag=True, help="Print the history and evaluation as JSON on the last line.")
@set_option
@model_option
def train(spec: str, data: str, label: str | None, epochs: int, batch_size: int, validation_split: float,
          test_split: float, seed: int, output: str, force: bool, strategy: str, as_json: bool,
          sets: tuple[str, ...], model_name: str | None) -> None:
    """Train SPEC's model on DATA, evaluate it on a held-out split and save it as .keras."""
    from rich.console import Console

    from archcalc.keras_bridge import datasets
    from archcalc.keras_bridge.train import RichProgress, TrainOptions, check_output
    from archcalc.keras_bridge.train import train as run_train

    check_output(output, force)  # before anything slow
    graph = load_graph(spec, sets, model_name)
    dataset = datasets.load(data, label)
    console = Console(stderr=as_json, highlight=False, soft_wrap=True, markup=False)
    console.print(f"data {dataset.describe()}")
    opts = TrainOptions(data=data, label=label, epochs=epochs, batch_size=batch_size,
                        validation_split=validation_split, test_split=test_split, seed=seed,
                        output=output, force=force, strategy=strategy)
    result = run_train(graph, dataset, opts, say=console.print, progress=RichProgress(console))
    scores = ", ".join(f"{k} {v:.4f}" for k, v in result.evaluation.items())
    console.print(f"held-out test: {scores}")
    console.print(f"saved {result.output}")
    if as_json:
        click.echo(json.dumps(result.as_json()))
