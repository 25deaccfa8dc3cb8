"""Train a spec's model on real data, evaluate it on a held-out split, save it as .keras.

Everything that can be checked before TensorFlow starts is checked first (output file,
data file, data shape against the model's input, labels against the output layer and
loss: ``train_plan.py``), so a mismatch is one clear error and exit 2, with no file written.
Then the run: the data prepared for fit() (``train_data.py``), the model built under its
strategy (``train_cluster.py``), fit() with BackupAndRestore and a progress display
(``train_display.py``), the BatchNormalization statistics recomputed, the held-out
evaluation judged against the task's baseline (``train_verdict.py``). The model file is
written to a temporary file in the target directory and renamed into place.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.errors import UsageError
from archcalc.graph import Graph

from .cluster import HINT_TF_CONFIG, Cluster
from .datasets import Dataset
from .train_cluster import (
    backup_epoch,
    backup_folder,
    check_global_batch,
    choose_strategy,
    cluster_errors,
    remove_if_empty,
)
from .train_data import Prepared, from_dataset, from_task
from .train_display import check_plot, plot_png
from .train_plan import TrainOptions, check_output
from .train_verdict import judge


@dataclass
class TrainResult:
    """History per epoch and the held-out evaluation."""

    epochs: int
    history: dict[str, list[float]]
    evaluation: dict[str, float]
    output: str
    decisions: list[str]
    verdict: Any = None
    #: the test metrics before training
    initial: dict[str, float] = field(default_factory=dict)
    data: str = ""
    plot: str | None = None
    #: multi-worker: {"task": "worker 1", "workers": 2, "chief": False, "resumed_at_epoch": 3}
    worker: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"data": self.data, "epochs": self.epochs, "history": self.history,
                               "initial": self.initial, "evaluation": self.evaluation,
                               "output": self.output or None, "plot": self.plot}
        if self.worker is not None:
            out["worker"] = self.worker
        if self.verdict is not None:
            out["verdict"] = {"learns": self.verdict.learns, "text": self.verdict.text,
                              "checks": self.verdict.checks}
        return out


def train(graph: Graph, data: Dataset | None, opts: TrainOptions, say: Callable[[str], None],
          progress: Any = None) -> TrainResult:
    """Check, prepare, build, compile, fit, evaluate and save; returns the result.

    ``data`` None means ``--data auto``: a task generated for the model (tasks.py).
    With ``--strategy multi-worker`` every worker runs this same function on the same
    (seeded) data; only the chief writes the model and the plot.
    """
    from archcalc.fileio import write_atomic

    cluster, chief, out = _check_run(opts)
    backup = backup_folder(opts, cluster)
    prep = from_task(graph, opts, say) if data is None else from_dataset(graph, data, opts, say)
    n_train = len(prep.x_train[0])
    say(f"split: {n_train} training samples ({opts.validation_split:.0%} of them for validation), "
        f"{len(prep.x_test[0])} held out for the test")

    from .build import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(opts.seed)
    model, trainer, vae = _build(graph, prep, keras, opts, cluster, say)
    x_tr, y_tr = _fit_arrays(prep, "train", bool(vae))
    x_te, y_te = _fit_arrays(prep, "test", bool(vae))
    steps = math.ceil(n_train * (1 - opts.validation_split) / opts.batch_size)
    callbacks, resumed = _callbacks(keras, opts, backup, progress, steps, say)
    with cluster_errors(cluster, backup):
        initial = trainer.evaluate(x_te, y_te, verbose=0, return_dict=True, batch_size=opts.batch_size)
        history = trainer.fit(x_tr, y_tr, epochs=opts.epochs, batch_size=opts.batch_size,
                              validation_split=opts.validation_split, verbose=0, shuffle=True,
                              callbacks=callbacks)
        _recalibrate(keras, trainer, x_tr, n_train, steps, opts, say)
        evaluation = trainer.evaluate(x_te, y_te, verbose=0, return_dict=True, batch_size=opts.batch_size)
    evaluation = {k: float(v) for k, v in evaluation.items()}
    initial = {k: float(v) for k, v in initial.items()}
    judged = judge(keras, prep, initial, evaluation)
    _save(model, out, chief, opts.force)
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    result = TrainResult(opts.epochs, hist, evaluation, str(out) if chief else "", [], judged, initial,
                         prep.describe)
    if opts.plot and chief:
        write_atomic(opts.plot, plot_png(hist, graph.name), force=opts.force)
        result.plot = opts.plot
    if cluster is not None:
        result.worker = {"task": cluster.name, "workers": cluster.count, "chief": chief,
                         "resumed_after_epoch": resumed or 0}
    if backup is not None and opts.backup_dir is None:
        remove_if_empty(backup.parent)  # the default folder, once BackupAndRestore removed its part
    return result


def _check_run(opts: TrainOptions) -> tuple[Cluster | None, bool, Path]:
    """The options checked before anything slow: (the cluster of a multi-worker run, whether
    this task is the chief, the model file)."""
    cluster = opts.cluster if opts.strategy == "multi-worker" else None
    if opts.strategy == "multi-worker" and cluster is None:
        raise UsageError("--strategy multi-worker needs the cluster (TF_CONFIG or --workers)",
                         hint=HINT_TF_CONFIG)
    chief = cluster is None or cluster.is_chief
    out = check_output(opts.output, opts.force) if chief else Path(opts.output)
    if opts.plot and chief:
        check_plot(opts.plot, opts.force)
    if opts.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    if not 0 < opts.test_split < 1 or not 0 <= opts.validation_split < 1:
        raise UsageError("--validation-split must be in [0, 1) and the test split in (0, 1)")
    if cluster is not None:
        check_global_batch(opts.batch_size, cluster.count)
    return cluster, chief, out


def _build(graph: Graph, prep: Prepared, keras: Any, opts: TrainOptions, cluster: Cluster | None,
           say: Callable[[str], None]) -> tuple[Any, Any, Any]:
    """(model to save, model to fit, y for fit's extra outputs), built under the run's strategy."""
    strategy = choose_strategy(opts, cluster, say)
    if strategy is not None:
        with strategy.scope():
            model, trainer, vae = _model(graph, prep, keras)
    else:
        model, trainer, vae = _model(graph, prep, keras)
    if cluster is not None:
        from .multiworker import repair_keras_fit

        repair_keras_fit(trainer, strategy)
    return model, trainer, vae


def _callbacks(keras: Any, opts: TrainOptions, backup: Path | None, progress: Any, steps: int,
               say: Callable[[str], None]) -> tuple[list[Any], int | None]:
    """fit()'s callbacks (BackupAndRestore, the progress display) and the epoch a backup
    resumes after (None without a backup)."""
    callbacks: list[Any] = []
    resumed = None
    if backup is not None:
        resumed = backup_epoch(backup)
        if resumed:
            say(f"backup: resuming from {backup} after epoch {resumed}/{opts.epochs} (BackupAndRestore)")
        else:
            say(f"backup: {backup} (BackupAndRestore, after every epoch: a restarted run resumes from it)")
        callbacks.append(keras.callbacks.BackupAndRestore(str(backup)))
    if progress is not None:
        callbacks.append(progress.callback(keras, opts.epochs, steps))
    return callbacks, resumed


def _recalibrate(keras: Any, trainer: Any, x_train: Any, n_train: int, steps: int, opts: TrainOptions,
                 say: Callable[[str], None]) -> None:
    """The BatchNormalization statistics recomputed on the rows fit() trained on, said aloud."""
    fitted = math.floor(n_train * (1.0 - opts.validation_split))  # fit()'s split: the first rows
    calibrated, momentum = recalibrate_batchnorm(keras, trainer, _rows(x_train, fitted), opts.batch_size)
    if calibrated:
        done = steps * opts.epochs
        say(f"batch normalization: the moving mean and variance of {calibrated} layer(s) recomputed "
            f"as averages over the {fitted} training samples (after {done} steps, fit()'s moving "
            f"averages still weigh their start values by {momentum:g}^{done} = {momentum ** done:.2f})")


def _save(model: Any, out: Path, chief: bool, force: bool) -> None:
    """The chief writes the model file (model.save writes a temporary beside ``out``)."""
    from archcalc.fileio import write_with

    if chief:
        write_with(out, model.save, force=force)
    else:
        # every worker saves (TensorFlow's multi-worker guide: saving may take part in
        # collectives); a worker that is not the chief saves into a folder that is removed
        with tempfile.TemporaryDirectory() as tmp:
            model.save(Path(tmp) / out.name)


def _kl_parts(keras: Any, values: int) -> tuple[Any, Any]:
    """The notes' KL term, KL = -0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2), split as
    sum(mu^2) / 2 + sum(sigma^2 - 1 - log(sigma^2)) / 2 so each half is the loss of one
    encoder output (z_mean, z_log_var); scaled by 1/values like the mean reconstruction."""
    ops = keras.ops

    def kl_mean(y_true: Any, z_mean: Any) -> Any:
        return 0.5 * ops.sum(ops.square(z_mean), axis=-1) / values

    def kl_log_var(y_true: Any, z_log_var: Any) -> Any:
        return 0.5 * ops.sum(ops.exp(z_log_var) - 1.0 - z_log_var, axis=-1) / values

    return kl_mean, kl_log_var


def _model(graph: Graph, prep: Prepared, keras: Any) -> tuple[Any, Any, Any]:
    """(model to save, model to fit, y for fit's extra outputs): one set of weights."""
    from .build import build, compile_args

    built = build(graph, compile=False)
    model = built.model
    cfg = compile_args(prep.compile)
    if prep.vae is None:
        model.compile(**cfg)
        return model, model, None
    mean, log_var, values = prep.vae
    trainer = keras.Model(model.inputs, [*model.outputs, built.tensors[mean], built.tensors[log_var]],
                          name=f"{model.name}_training")
    kl_mean, kl_log_var = _kl_parts(keras, values)
    losses = cfg["loss"] if isinstance(cfg["loss"], list) else [cfg["loss"]]
    metrics = cfg.get("metrics") or []
    metrics = metrics if metrics and isinstance(metrics[0], list) else [metrics]
    trainer.compile(optimizer=cfg["optimizer"], loss=[*losses, kl_mean, kl_log_var],
                    metrics=[*metrics, [], []])
    model.compile(optimizer="adam", loss=losses[0] if len(losses) == 1 else losses)
    return model, trainer, True


def _fit_arrays(prep: Prepared, split: str, vae: bool) -> tuple[Any, Any]:
    import numpy as np

    xs = prep.x_train if split == "train" else prep.x_test
    ys = list(prep.y_train if split == "train" else prep.y_test)
    if vae:
        assert prep.vae is not None
        n = ys[0].shape[0]
        ys += [np.zeros((n, 1), "float32"), np.zeros((n, 1), "float32")]
    x = xs[0] if len(xs) == 1 else xs
    y = ys[0] if len(ys) == 1 else ys
    return x, y


# --- BatchNormalization after fit() ---------------------------------------------------------

def _rows(x: Any, n: int) -> Any:
    return [a[:n] for a in x] if isinstance(x, list) else x[:n]


def _batchnorm_layers(keras: Any, layer: Any) -> list[Any]:
    """Every BatchNormalization inside ``layer``: nested models and wrappers included."""
    if isinstance(layer, keras.layers.BatchNormalization):
        return [layer]
    found: list[Any] = []
    for inner in [*getattr(layer, "layers", []), *([layer.layer] if hasattr(layer, "layer") else [])]:
        for bn in _batchnorm_layers(keras, inner):
            if all(bn is not f for f in found):
                found.append(bn)
    return found


def recalibrate_batchnorm(keras: Any, model: Any, x: Any, batch_size: int) -> tuple[int, float]:
    """Set every trainable BatchNormalization's moving mean and variance to the average of
    its batch statistics over ``x`` (one pass in training mode, no weight updates); returns
    how many layers changed and their largest momentum.

    ``fit()`` keeps exponential moving averages (momentum 0.99): after a few dozen steps they
    still hold mostly their start values (mean 0, variance 1), so the model evaluated in
    inference mode is not the model that was trained. A pass over the training data with
    the average's weight 1/(i+1) for batch i gives the population statistics instead ("precise
    BN": Wu & Johnson, Rethinking 'Batch' in BatchNorm, 2021, section 3). The test split is
    never seen.
    """
    layers = [bn for bn in _batchnorm_layers(keras, model) if bn.trainable and not bn.renorm]
    n = int((x[0] if isinstance(x, list) else x).shape[0])
    if not layers or n == 0:
        return 0, 0.0
    saved = [bn.momentum for bn in layers]
    try:
        for i, start in enumerate(range(0, n, batch_size)):
            for bn in layers:
                bn.momentum = i / (i + 1)  # batch 0 replaces the start values; then a running mean
            batch = [a[start:start + batch_size] for a in x] if isinstance(x, list) else x[start:start + batch_size]
            model(batch, training=True)
    finally:
        for bn, m in zip(layers, saved, strict=True):
            bn.momentum = m
    return len(layers), max(saved)
