"""Where one training run's work is done: on this machine (no strategy, or MirroredStrategy
over its devices) or across machines, this worker joining the multi-worker cluster
(TF_CONFIG set for TensorFlow, a bounded wait for the others, the global batch split across
them). Also BackupAndRestore's folder, from which a restarted run resumes, and a broken
cluster's TensorFlow errors as one clear :class:`TrainingError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archcalc.errors import ArchcalcError, UsageError

from .cluster import HINT_TF_CONFIG, Cluster
from .train_plan import TrainOptions

STRATEGIES = ("default", "mirrored", "multi-worker")


class TrainingError(ArchcalcError):
    """Training could not go on (a worker of the cluster is gone)."""

    code = "E004"


def choose_strategy(opts: TrainOptions, cluster: Cluster | None, say: Callable[[str], None]) -> Any:
    """The tf.distribute strategy of the run, said aloud (None: Keras's default)."""
    if cluster is not None:
        return join_workers(cluster, opts, say)
    strategy = local_strategy(opts.strategy)
    if strategy is not None:
        say(f"strategy: MirroredStrategy over {strategy.num_replicas_in_sync} device(s)")
    return strategy


def local_strategy(name: str) -> Any:
    """The strategy on this machine: None (Keras's default) or MirroredStrategy."""
    if name not in STRATEGIES:
        raise UsageError(f"unknown strategy '{name}'", hint="use one of: " + ", ".join(STRATEGIES))
    if name == "multi-worker":
        raise UsageError("--strategy multi-worker needs the cluster (TF_CONFIG or --workers)",
                         hint=HINT_TF_CONFIG)
    if name == "mirrored":
        import tensorflow as tf

        return tf.distribute.MirroredStrategy()
    return None


def check_global_batch(batch_size: int, workers: int) -> None:
    """--batch-size is the global batch: it must split evenly across the workers."""
    if batch_size % workers:
        lower = max(workers, batch_size - batch_size % workers)
        raise UsageError(f"--batch-size {batch_size} does not split evenly across {workers} workers "
                         f"(--batch-size is the global batch, divided among the workers at every step)",
                         hint=f"use --batch-size {lower} or {lower + workers}")


def backup_folder(opts: TrainOptions, cluster: Cluster | None) -> Path | None:
    """Where BackupAndRestore keeps this task's state: a subfolder (``worker-1``, or ``run``
    on one machine) of ``--backup-dir`` (by default, multi-worker, ``<output>.backup`` beside
    the model file). One per task: Keras 3's BackupAndRestore writes one file per run, which
    two workers sharing a folder would overwrite; and a subfolder, because it removes its
    whole folder at the end of a run, which must not be the user's."""
    if opts.backup_dir is None and cluster is None:
        return None
    out = Path(opts.output)
    base = Path(opts.backup_dir) if opts.backup_dir is not None else out.with_name(out.stem + ".backup")
    if base.exists() and not base.is_dir():
        raise UsageError(f"the backup folder '{base}' exists and is not a folder",
                         hint="give another --backup-dir")
    # a subfolder, always: BackupAndRestore deletes its whole folder when a run ends
    return base / (cluster.name.replace(" ", "-") if cluster is not None else "run")


def backup_epoch(backup: Path) -> int:
    """The epoch a backup was taken after (BackupAndRestore's training_metadata.json), 0 if none."""
    import json

    from archcalc.limits import read_file_bytes

    meta = backup / "training_metadata.json"
    if not meta.is_file():
        return 0
    try:
        epoch = json.loads(read_file_bytes(meta, 4096)).get("epoch")
    except (OSError, ValueError, AttributeError, ArchcalcError):
        return 0
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) and epoch > 0 else 0


def remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` if nothing is left in it."""
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another worker's backup, or the user's files), or gone


def join_workers(cluster: Cluster, opts: TrainOptions, say: Callable[[str], None]) -> Any:
    """Set TF_CONFIG for TensorFlow, join the other workers within --cluster-timeout."""
    import os

    from .multiworker import READY_FD, join_cluster

    others = [a for j in ("chief", "worker") for a in cluster.jobs.get(j, []) if a != cluster.address]
    chief = "this task" if cluster.is_chief else ("the chief" if "chief" in cluster.jobs else "worker 0")
    say(f"cluster: {cluster.name} of {cluster.count} ({cluster.source}), at {cluster.address}; "
        f"{chief} alone writes the model, plots and reports")
    os.environ["TF_CONFIG"] = cluster.tf_config()
    say(f"waiting for {', '.join(others)}"
        + (f" (up to {opts.cluster_timeout:g}s, --cluster-timeout)" if os.environ.get(READY_FD) else ""))
    with cluster_errors(cluster, None, joining=True):
        strategy = join_cluster()
    per_worker = strategy.num_replicas_in_sync // cluster.count
    from .multiworker import communication_options

    implementation = communication_options().implementation.name
    say(f"strategy: MultiWorkerMirroredStrategy over {cluster.count} workers, "
        f"{strategy.num_replicas_in_sync} replica(s) in all ({implementation} collectives)")
    say(f"batch: the global batch of {opts.batch_size} is split across the {cluster.count} workers, "
        f"{opts.batch_size // cluster.count} samples per worker per step"
        + (f" ({per_worker} device(s) each)" if per_worker > 1 else "")
        + "; --batch-size is the global batch")
    return strategy


def timeout_message(cluster: Cluster, seconds: float) -> str:
    """What a worker says when the others did not come within --cluster-timeout."""
    others = [a for j in ("chief", "worker") for a in cluster.jobs.get(j, []) if a != cluster.address]
    return (f"archcalc: error: the cluster did not assemble within {seconds:g}s: {cluster.name} "
            f"({cluster.address}) waited for {', '.join(others)}\n"
            "  hint: start every worker (the same command, each with its own --worker-index or TF_CONFIG "
            "task) within --cluster-timeout seconds of each other, and check that the addresses are right "
            "and the ports open between the machines")


@contextmanager
def cluster_errors(cluster: Cluster | None, backup: Path | None, joining: bool = False) -> Iterator[None]:
    """TensorFlow's errors of a broken cluster (a worker gone, a port taken) as one clear error."""
    if cluster is None:
        yield
        return
    import tensorflow as tf

    try:
        yield
    except tf.errors.OpError as e:
        first = next((line for line in str(e.message).splitlines() if line.strip()), type(e).__name__)
        after = backup_epoch(backup) if backup is not None else 0
        resume = ("" if backup is None
                  else f"; each resumes from its backup ({backup.parent}, after epoch {after})" if after
                  else "; no epoch had finished, so training starts over")
        raise TrainingError(f"multi-worker training stopped on {cluster.name}: {first.strip()}",
                            hint="restart every worker with the same command" + resume) from None
    except RuntimeError as e:  # TensorFlow's own start-up failures (a port in use...)
        if not joining:
            raise
        raise TrainingError(f"{cluster.name} could not join the cluster: {e}",
                            hint="check the addresses and that no other program uses the port") from None
