"""``archcalc emit``, ``archcalc verify`` and ``archcalc train``: the Keras bridge commands.

They stay thin: load the spec, call ``archcalc.keras_bridge``, render, exit. TensorFlow
is imported only when ``verify`` or ``train`` runs, never for ``--help`` or ``emit``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from archcalc.commands.options import (
    ANSWER_FORMATS,
    format_option,
    load_graph,
    model_option,
    set_option,
)
from archcalc.errors import EXIT_FINDINGS, EXIT_OK, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from archcalc.keras_bridge.cluster import Cluster
    from archcalc.keras_bridge.train import TrainResult

SPEC = click.argument("spec", type=click.Path(dir_okay=False))


#: what the keras extra brings that verify and train import (pyproject.toml: [keras])
KERAS_EXTRA_MODULES = ("numpy", "tensorflow", "keras")


def require_keras(command: str) -> None:
    """Say what to install (exit status 2) before a command that needs TensorFlow imports it,
    instead of a ModuleNotFoundError traceback on the core install."""
    import importlib.util

    missing = [m for m in KERAS_EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(f"archcalc {command} needs TensorFlow and Keras, which are not installed "
                         f"(no module named '{missing[0]}')", hint="pip install 'archcalc[keras]'")


@click.command()
@SPEC
@click.option("--style", type=click.Choice(["auto", "sequential", "functional"]), default="auto",
              show_default=True, help="keras.Sequential for a plain stack (auto), or force a style.")
@click.option("--output", "-o", default=None, metavar="FILE", help="Write the code to FILE (atomically; `-` is standard output) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--train", "training", is_flag=True,
              help="Write a whole training program instead: the model, its compile() settings, fit() on a "
                   ".npz file (x, y) under --strategy, BackupAndRestore, and saving.")
@click.option("--strategy", type=click.Choice(["default", "mirrored", "multi-worker"]), default=None,
              help="With --train: the tf.distribute strategy of the program (multi-worker: the cluster from "
                   "TF_CONFIG, for a cluster scheduler or a Kubernetes pod each) [default: default].")
@click.option("--epochs", default=None, type=click.IntRange(min=1), help="With --train: the program's default "
              "number of epochs [default: 10].")
@click.option("--batch-size", default=None, type=click.IntRange(min=1),
              help="With --train: the program's default (global) batch size [default: 32].")
@set_option
@model_option
def emit(spec: str, style: str, output: str | None, force: bool, training: bool, strategy: str | None,
         epochs: int | None, batch_size: int | None, sets: tuple[str, ...], model_name: str | None) -> None:
    """Print idiomatic Keras 3 code that builds SPEC's model (bound to `model`), or with
    --train a standalone program that trains it."""
    from archcalc.engine import analyze
    from archcalc.fileio import STDOUT, check_target, write_atomic
    from archcalc.keras_bridge.codegen import generate
    from archcalc.keras_bridge.codegen_training import generate_training

    given = [name for name, value in (("--strategy", strategy), ("--epochs", epochs), ("--batch-size", batch_size))
             if value is not None]
    if given and not training:
        raise UsageError(f"{', '.join(given)} describe the training program: they go with --train",
                         hint="add --train, or leave them out")

    if output == STDOUT:  # `-o -`: standard output
        output = None
    if output:
        check_target(output, force=force)  # before reading the spec
    graph = load_graph(spec, sets, model_name)
    analyze(graph)  # refuse, with the engine's message, a model Keras would refuse
    if training:
        code = generate_training(graph, style, strategy or "default", epochs or 10, batch_size or 32)
    else:
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
@format_option(ANSWER_FORMATS, "text: the comparison table for people; json: every row's archcalc and Keras "
               "numbers, for tools.")
@click.pass_context
def verify(ctx: click.Context, spec: str, sets: tuple[str, ...], model_name: str | None, fmt: str) -> None:
    """Build SPEC with real Keras and compare every layer with archcalc.

    Exit 0 when output shapes and trainable / non-trainable counts all agree, 1 when any
    disagrees, 2 on an input error.
    """
    require_keras("verify")
    from rich.console import Console

    from archcalc.keras_bridge.verify import render, to_json
    from archcalc.keras_bridge.verify import verify as run_verify

    graph = load_graph(spec, sets, model_name)
    report = run_verify(graph)
    if fmt == "json":
        import json

        click.echo(json.dumps(to_json(report), indent=2))
    else:
        render(report, Console(width=max(100, Console().width)))
    ctx.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@click.command()
@SPEC
@click.option("--data", default="auto", show_default=True, metavar="SOURCE",
              help="auto: a small seeded task generated to fit the model (no download); or digits, iris, "
                   "wine, breast_cancer (scikit-learn), a .npz (x, y) / .csv file, a CSV of labelled texts "
                   "(for a model that starts with an Embedding), or a folder of images with one subfolder "
                   "per class.")
@click.option("--task", type=click.Choice(["auto", "classify", "segment", "reconstruct", "regress", "vae"]),
              default=None, help="With --data auto: what every output learns [default: chosen from the model].")
@click.option("--samples", default=None, type=click.IntRange(min=10), metavar="N",
              help="With --data auto: how many samples to generate [default: by input kind, a few hundred].")
@click.option("--label", "--label-column", "label", default=None, metavar="COLUMN",
              help="CSV label column (name or index); default the last.")
@click.option("--text-column", default=None, metavar="COLUMN",
              help="CSV column of texts (name or index), read through TextVectorization; default the only "
                   "non-label column holding words, when the model's input feeds an Embedding.")
@click.option("--epochs", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(min=1))
@click.option("--validation-split", default=0.1, show_default=True, type=click.FloatRange(0, 1, max_open=True),
              help="Fraction of the training split used for validation during fit().")
@click.option("--test-split", default=0.2, show_default=True,
              type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="Fraction held out for the final evaluation.")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed for the generated data, the split, the weights and shuffling.")
@click.option("--output", "-o", default="model.keras", show_default=True, metavar="FILE.keras")
@click.option("--plot", default=None, metavar="FILE.png", help="Write the learning curves (matplotlib) to FILE.png.")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--strategy", type=click.Choice(["default", "mirrored", "multi-worker"]), default="default",
              show_default=True,
              help="mirrored: tf.distribute.MirroredStrategy, one model replica per GPU, gradients summed "
                   "(all GPUs present; a CPU works too). multi-worker: tf.distribute.MultiWorkerMirroredStrategy "
                   "across machines, the cluster read from TF_CONFIG or --workers/--worker-index; run the same "
                   "command on every machine.")
@click.option("--workers", default=None, metavar="HOST:PORT,...",
              help="With --strategy multi-worker: every worker's address, the same list on every machine "
                   "(written into TF_CONFIG for TensorFlow) [default: read TF_CONFIG].")
@click.option("--worker-index", default=None, type=click.IntRange(min=0), metavar="N",
              help="With --workers: this machine's place in the list (0 is the chief, which writes the files).")
@click.option("--backup-dir", default=None, metavar="DIR",
              help="BackupAndRestore's folder: the training state after every epoch, from which a restarted "
                   "run resumes [default with multi-worker: OUTPUT's name + .backup, beside it].")
@click.option("--cluster-timeout", default=300.0, show_default=True, type=click.FloatRange(min=1), metavar="SECONDS",
              help="With multi-worker: how long a worker waits for the others at start-up before it gives up.")
@format_option(ANSWER_FORMATS, "text: a progress display for people; json: no progress display, the history, "
               "evaluation and verdict as JSON on the last line.")
@click.option("--json", "as_json", is_flag=True, hidden=True, help="The same as --format json (older spelling).")
@set_option
@model_option
def train(spec: str, data: str, task: str | None, samples: int | None, label: str | None,
          text_column: str | None, epochs: int,
          batch_size: int, validation_split: float, test_split: float, seed: int, output: str,
          plot: str | None, force: bool, strategy: str, workers: str | None, worker_index: int | None,
          backup_dir: str | None, cluster_timeout: float, fmt: str, as_json: bool, sets: tuple[str, ...],
          model_name: str | None) -> None:
    """Train SPEC's model, evaluate it on a held-out split, judge it against the task's
    baseline and save it as .keras.

    With --data auto (the default) the data is a small task generated to fit the model's
    inputs and outputs: does this architecture learn at all?
    """
    require_keras("train")
    from archcalc.keras_bridge.train import train as run_train
    from archcalc.keras_bridge.train_display import PlainProgress, RichProgress
    from archcalc.keras_bridge.train_plan import TrainOptions, load_data

    as_json = as_json or fmt == "json"
    cluster = _cluster(strategy, workers, worker_index, output, force, cluster_timeout)
    if data != "auto" and (task or samples):
        raise UsageError("--task and --samples shape the generated data: they apply to --data auto only",
                         hint=f"leave them out with --data {data}")
    graph = load_graph(spec, sets, model_name)
    dataset = None if data == "auto" else load_data(graph, data, label, text_column)
    say, console, plain = _messages(as_json)
    if dataset is not None:
        say(f"data {dataset.describe()}")
    opts = TrainOptions(data=data, label=label, text_column=text_column, epochs=epochs, batch_size=batch_size,
                        validation_split=validation_split, test_split=test_split, seed=seed,
                        output=output, force=force, strategy=strategy, task=task, samples=samples,
                        plot=plot, cluster=cluster, backup_dir=backup_dir, cluster_timeout=cluster_timeout)
    progress = None if as_json else PlainProgress(say) if plain else RichProgress(console)
    result = run_train(graph, dataset, opts, say=say, progress=progress)
    _report(result, say, epochs, cluster, output)
    if as_json:
        click.echo(json.dumps(result.as_json()))


def _cluster(strategy: str, workers: str | None, worker_index: int | None, output: str, force: bool,
             cluster_timeout: float) -> Cluster | None:
    """The cluster of a multi-worker run (None for any other), and the model file checked where
    it will be written, both before anything slow. Run from the command line, a worker goes on
    as a child process of this one, so that its wait for the others is bounded."""
    import os
    import sys

    from archcalc.keras_bridge.cluster import resolve
    from archcalc.keras_bridge.train_plan import check_output

    cluster = None
    if strategy == "multi-worker":
        cluster = resolve(workers, worker_index, dict(os.environ))  # before anything slow
    elif workers is not None or worker_index is not None:
        raise UsageError("--workers and --worker-index describe a cluster: they go with --strategy multi-worker",
                         hint="add --strategy multi-worker, or leave them out")
    if cluster is None or cluster.is_chief:
        check_output(output, force)  # before anything slow (only the chief writes it)
    if cluster is not None and _supervisable():
        # the worker runs as a child process, so that its wait for the others is bounded
        from archcalc.keras_bridge.multiworker import supervise
        from archcalc.keras_bridge.train_cluster import timeout_message

        sys.exit(supervise([sys.executable, *sys.orig_argv[1:]], cluster_timeout,
                           timeout_message(cluster, cluster_timeout)))
    return cluster


def _messages(as_json: bool) -> tuple[Callable[[str], None], Console, bool]:
    """(say, the console, whether plain): the run's messages as plain lines (NO_COLOR, or not a
    terminal) or through rich; on standard error with --format json, whose standard output is
    the JSON line."""
    import os
    import sys

    from rich.console import Console

    stream = sys.stderr if as_json else sys.stdout
    plain = bool(os.environ.get("NO_COLOR")) or not stream.isatty()
    console = Console(file=stream, highlight=False, soft_wrap=True, markup=False,
                      no_color=plain, force_terminal=None if not plain else False)

    def say(text: str) -> None:
        if plain:
            click.echo(text, err=as_json)
        else:
            console.print(text)

    return say, console, plain


def _report(result: TrainResult, say: Callable[[str], None], epochs: int, cluster: Cluster | None,
            output: str) -> None:
    """The run's end said aloud: the held-out test before and after, the verdict, the files."""
    before = ", ".join(f"{k} {v:.4f}" for k, v in result.initial.items())
    scores = ", ".join(f"{k} {v:.4f}" for k, v in result.evaluation.items())
    say(f"held-out test before training: {before}")
    say(f"held-out test after {epochs} epoch(s): {scores}")
    if result.verdict is not None:
        say(result.verdict.text)
    if result.output:
        say(f"saved {result.output}")
    elif cluster is not None:
        say(f"not saved here: {cluster.name} is not the chief (the chief writes {output}); this worker's "
            f"copy went to a temporary folder, now removed")
    if result.plot:
        say(f"learning curves: {result.plot}")


def _supervisable() -> bool:
    """This process is the ``archcalc`` program run from a command line (not called from
    Python, nor already the supervised worker): it can run itself again as a child."""
    import os
    import sys
    from pathlib import Path

    from archcalc.keras_bridge.multiworker import READY_FD

    if os.environ.get(READY_FD) or not getattr(sys, "orig_argv", None):
        return False
    program = Path(sys.argv[0])
    return program.name == "archcalc" or (program.name == "__main__.py" and program.parent.name == "archcalc")
