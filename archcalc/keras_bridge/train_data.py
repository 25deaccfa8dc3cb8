"""What one training run's ``fit()`` gets, whichever the data: arrays per input and output
(train and test), the compile() settings and each output's target (:class:`Prepared`).

Two sources: the user's data, checked and prepared by the planner (:func:`from_dataset`,
``train_plan.py``), or ``--data auto``, a task generated for the model by ``tasks.py``
(:func:`from_task`), its labels encoded for each output's loss. Nothing here imports Keras.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archcalc.engine import analyze
from archcalc.graph import Graph

from .datasets import Dataset
from .losses import _default_loss
from .train_plan import TrainOptions, check_labels, plan, prepare

if TYPE_CHECKING:
    from .tasks import OutputSpec, Task


@dataclass
class Target:
    """One model output as trained: what the task asks and how success is judged."""

    name: str
    kind: str  # classify | segment | reconstruct | regress | vae
    loss: Any
    classes: int | None = None


@dataclass
class Prepared:
    """Arrays per input and output (train and test), compile() settings, targets."""

    x_train: list[Any]
    x_test: list[Any]
    y_train: list[Any]
    y_test: list[Any]
    compile: dict[str, Any]
    targets: list[Target]
    describe: str
    #: a VAE: (z_mean node, z_log_var node, values reconstructed per sample)
    vae: tuple[str, str, int] | None = None


def from_dataset(graph: Graph, data: Dataset, opts: TrainOptions, say: Callable[[str], None]) -> Prepared:
    """The user's data, checked against the model and prepared as the plan says."""
    p = plan(graph, data)
    x_tr, x_te, y_tr, y_te = prepare(data, p, opts)
    for d in [*data.notes, *p.decisions]:
        say(d)
    kind = "classify" if p.classes is not None else "regress"
    target = Target(graph.outputs[0], kind, p.compile.get("loss"), p.classes)
    return Prepared([x_tr], [x_te], [y_tr], [y_te], p.compile, [target], data.describe())


def from_task(graph: Graph, opts: TrainOptions, say: Callable[[str], None]) -> Prepared:
    """A generated task (see tasks.py): split, labels encoded for each output's loss."""
    from archcalc.compile_spec import read_compile

    from . import tasks

    analysis = analyze(graph)
    given = dict(graph.compile or {})
    spec_loss = given.get("loss")
    by_output = read_compile(given).losses_by_output(graph)
    task = tasks.plan_task(graph, analysis, opts.task or graph.extras.get("task"), spec_loss)
    tasks.generate(task, analysis, seed=opts.seed, samples=opts.samples)
    say(f"data auto: task {task.name} ({task.why})")
    test, train_ = _split(task.n, opts)
    losses: list[Any] = []
    metrics: list[list[Any]] = []
    targets: list[Target] = []
    ys_tr, ys_te = [], []
    for out, y in zip(task.outputs, task.y, strict=True):
        chosen = by_output.get(out.name)  # the spec's loss for this output, in the form it was written
        loss, metric, y = _output_training(graph, out, y, chosen.written if chosen is not None else None)
        losses.append(loss)
        metrics.append(metric)
        targets.append(Target(out.name, out.kind, loss, out.classes))
        ys_tr.append(y[train_])
        ys_te.append(y[test])
    multi = len(task.outputs) > 1
    compile_cfg = _task_compile(given, targets, multi, say)
    vae = _vae_term(task, say)
    compile_cfg["loss"] = losses if multi else losses[0]
    compile_cfg["metrics"] = metrics if multi else metrics[0]
    xs_tr = [x[train_] for x in task.x]
    xs_te = [x[test] for x in task.x]
    return Prepared(xs_tr, xs_te, ys_tr, ys_te, compile_cfg, targets, task.describe(), vae)


def _split(n: int, opts: TrainOptions) -> tuple[Any, Any]:
    """(test rows, training rows): a seeded permutation, --test-split of it held out (one at least)."""
    import numpy as np

    order = np.random.default_rng(opts.seed).permutation(n)
    n_test = max(1, round(opts.test_split * n))
    return order[:n_test], order[n_test:]


def _output_training(graph: Graph, out: OutputSpec, y: Any, loss: Any) -> tuple[Any, list[Any], Any]:
    """(loss, metrics, labels) of one output: the spec's loss, else one chosen for the output's
    kind and activation (``OUTPUT_KINDS``), and the labels as that loss wants them."""
    from . import tasks

    act, desc = tasks.output_activation(graph, out.name)
    return OUTPUT_KINDS.get(out.kind, _continuous_output)(graph, out, y, loss, act, desc)


def _classify_output(graph: Graph, out: OutputSpec, y: Any, loss: Any, act: str | None,
                     desc: str) -> tuple[Any, list[Any], Any]:
    """Classes: the labels checked against the output's units, one-hot where the loss wants it."""
    import numpy as np

    from archcalc.compile_spec import loss_name

    assert out.classes is not None
    units = out.shape[-1]
    if loss is None:
        loss = _default_loss(act, units, out.classes, desc)
    name = loss_name(loss) or ""
    one_hot = check_labels(name, units, out.classes, desc, "", graph.nodes[out.name].loc)
    if one_hot:
        y = np.eye(out.classes, dtype="float32")[y]
    elif units == 1:
        y = y.astype("float32")[:, None]
    return loss, ["accuracy"], y


def _segment_output(graph: Graph, out: OutputSpec, y: Any, loss: Any, act: str | None,
                    desc: str) -> tuple[Any, list[Any], Any]:
    """A mask or a class per position: a cross-entropy for a sigmoid or softmax, else mse."""
    if loss is None:
        loss = ("binary_crossentropy" if out.classes == 2 and act == "sigmoid"
                else "sparse_categorical_crossentropy" if act == "softmax" else "mse")
    return loss, ["accuracy"] if out.classes == 2 or act == "softmax" else [], y


def _continuous_output(graph: Graph, out: OutputSpec, y: Any, loss: Any, act: str | None,
                       desc: str) -> tuple[Any, list[Any], Any]:
    """Values (reconstruct, regress, a VAE's reconstruction): mse, or a binary cross-entropy
    for a VAE's sigmoid output."""
    if loss is None:
        loss = "binary_crossentropy" if out.kind == "vae" and act == "sigmoid" else "mse"
    return loss, [], y


#: an output's kind -> its loss when the spec gives none, its metrics and its labels
#: (any other kind: ``_continuous_output``)
OUTPUT_KINDS: dict[str, Callable[..., tuple[Any, list[Any], Any]]] = {
    "classify": _classify_output,
    "segment": _segment_output,
}


def _task_compile(given: dict[str, Any], targets: list[Target], multi: bool,
                  say: Callable[[str], None]) -> dict[str, Any]:
    """compile()'s optimizer (the spec's, else adam), with the losses chosen said aloud."""
    shown = ", ".join(f"{t.name}: {t.loss if isinstance(t.loss, str) else t.loss.get('class')}" for t in targets)
    if given.get("loss") is None or multi:
        say(f"loss: {shown} (chosen from the task and the output layers)")
    compile_cfg: dict[str, Any] = {"optimizer": given.get("optimizer", "adam")}
    if "optimizer" not in given:
        say("optimizer: adam (default)")
    return compile_cfg


def _vae_term(task: Task, say: Callable[[str], None]) -> tuple[str, str, int] | None:
    """A VAE's KL term: (z_mean node, z_log_var node, values reconstructed per sample)."""
    if task.vae is None:
        return None
    recon = next(o for o in task.outputs if o.kind == "vae")
    vae = (task.vae[0], task.vae[1], int(math.prod(recon.shape)))
    say(f"loss: + KL term -0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2) on {task.vae[0]}, "
        f"{task.vae[1]}, divided by the {vae[2]} reconstructed values (the reconstruction loss "
        f"is a mean over them)")
    return vae
