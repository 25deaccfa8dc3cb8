"""Multi-worker training at run time: joining the cluster within a time limit (a supervising
process), and the two repairs Keras 3's ``fit()`` needs under ``tf.distribute.MultiWorkerMirroredStrategy``.

``archcalc train --strategy multi-worker`` calls these functions, and ``emit --train
--strategy multi-worker`` copies their source into the program it writes (:func:`source`),
so both run the same code. Each function imports what it uses, so its text stands alone.

Why the repairs: Keras 3 (3.15 here; keras-team/keras#20585, tensorflow/tensorflow#72388)
fails in ``fit()`` as soon as the strategy spans more than one worker. Its symbolic build
passes a whole (x, y) batch of per-replica values to ``strategy.reduce``, which takes one
tensor; and its step reduces every logged value with ``strategy.reduce("MEAN", v, axis=0)``,
which refuses the scalar loss and metrics. :func:`repair_keras_fit` builds from this worker's
own batch and takes the mean over the workers of a scalar (``axis=None``); nothing else changes:
the gradients are still summed over every replica by the optimizer, as Keras does.
"""

from __future__ import annotations

import inspect
from typing import Any

#: the environment variable that tells a worker process which pipe to report readiness on
READY_FD = "ARCHCALC_WORKER_READY_FD"


def supervise(command: list[str], seconds: float, message: str) -> int:
    """Run ``command`` (this same program, as a child process) and return its exit status;
    if the child has not joined its cluster (:func:`report_ready`) within ``seconds``, kill
    it, print ``message`` on standard error and return 2.

    Why a child: a worker waiting for peers that never come blocks inside TensorFlow's
    runtime with Python's lock held, where no Python thread, timer or signal handler runs
    (and SIGTERM does not stop it); only a process outside can bound the wait."""
    import os
    import select
    import signal
    import subprocess
    import sys

    read, write = os.pipe()
    child = subprocess.Popen(command, env=dict(os.environ, **{READY_FD: str(write)}), pass_fds=(write,))
    os.close(write)
    signal.signal(signal.SIGTERM, lambda signum, frame: child.kill())
    try:
        ready, _, _ = select.select([read], [], [], seconds)
        if ready:  # joined (b"1"), or exited before (the pipe closed): its status either way
            code = child.wait()
            return 128 - code if code < 0 else code  # killed by signal N: 128 + N, as a shell says
        child.kill()
        child.wait()
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
        return 2
    except KeyboardInterrupt:
        child.kill()
        child.wait()
        return 130
    finally:
        os.close(read)


def report_ready() -> None:
    """Tell the supervising process (:func:`supervise`), if any, that the cluster is up."""
    import os

    fd = os.environ.pop(READY_FD, None)
    if fd is not None and fd.isdigit():
        try:
            os.write(int(fd), b"1")
            os.close(int(fd))
        except OSError:
            pass  # no supervisor listens (the variable was inherited from elsewhere)


def communication_options() -> Any:
    """RING collectives on CPUs (NCCL needs GPUs); on GPUs TensorFlow chooses (NCCL)."""
    import tensorflow as tf

    implementation = tf.distribute.experimental.CommunicationImplementation
    gpus = tf.config.list_physical_devices("GPU")
    return tf.distribute.experimental.CommunicationOptions(
        implementation=implementation.AUTO if gpus else implementation.RING
    )


def join_cluster() -> Any:
    """A MultiWorkerMirroredStrategy over the cluster TF_CONFIG describes, returned once
    every worker has answered a first all-reduce (then :func:`report_ready`)."""
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=communication_options())

    @tf.function
    def everyone() -> Any:  # an all-reduce returns when every worker took part
        return strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.0)), axis=None)

    everyone()
    report_ready()
    return strategy


def is_chief(strategy: Any) -> bool:
    """The chief writes the files: the "chief" task if the cluster has one, else worker 0."""
    resolver = strategy.cluster_resolver
    jobs = resolver.cluster_spec().as_dict()
    if "chief" in jobs:
        return resolver.task_type == "chief"
    return resolver.task_type == "worker" and resolver.task_id == 0


def repair_keras_fit(model: Any, strategy: Any) -> None:
    """Let Keras 3's fit() and evaluate() run under a multi-worker strategy (see the module
    notes): ``model`` builds its metrics from this worker's first batch, and logged scalars
    are averaged over the workers. A Keras without the faulty functions is left alone."""
    import tensorflow as tf
    from keras.src.backend.tensorflow import trainer

    if not hasattr(trainer, "_collective_all_reduce_multi_worker") or not hasattr(
        model, "_symbolic_build"
    ):
        return

    def local(value: Any) -> Any:
        if isinstance(value, tf.distribute.DistributedValues):
            return strategy.experimental_local_results(value)[0]
        return value

    def maybe_symbolic_build(iterator: Any = None, data_batch: Any = None) -> None:
        if iterator is not None:
            for _, _, batches in iterator:
                data_batch = tf.nest.map_structure(local, next(batches))
                break
        with strategy.scope():
            model._symbolic_build(data_batch=data_batch)

    model._maybe_symbolic_build = maybe_symbolic_build
    original = getattr(trainer.reduce_per_replica, "__wrapped__", trainer.reduce_per_replica)

    def reduce_per_replica(values: Any, strategy: Any, reduction: str = "auto") -> Any:
        if reduction in ("auto", "mean") and trainer._collective_all_reduce_multi_worker(strategy):

            def mean(value: Any) -> Any:
                rank = strategy.experimental_local_results(value)[0].shape.rank
                return strategy.reduce("MEAN", value, axis=0 if rank else None)

            return tf.nest.map_structure(mean, values)
        return original(values, strategy, reduction)

    reduce_per_replica.__wrapped__ = original  # type: ignore[attr-defined]
    trainer.reduce_per_replica = reduce_per_replica


#: the functions an emitted multi-worker program defines, in order
EMITTED = (supervise, report_ready, communication_options, join_cluster, is_chief, repair_keras_fit)


def source() -> str:
    """The text of :data:`EMITTED`, type hints and all, for ``emit --train``."""
    functions = "\n\n".join(inspect.getsource(f) for f in EMITTED)
    return f"{functions}\n\n# the environment variable through which a worker tells supervise() it joined\nREADY_FD = \"{READY_FD}\""
