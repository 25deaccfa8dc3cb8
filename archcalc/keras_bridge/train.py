"""Train a spec's model on real data, evaluate it on a held-out split, save it as .keras.

Everything that can be checked before TensorFlow starts is checked first (output file,
data file, data shape against the model's input, labels against the output layer and
loss), so a mismatch is one clear error and exit 2, with no file written. The model file
is written to a temporary file in the target directory and renamed into place.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.engine import analyze
from archcalc.errors import ArchcalcError, ShapeError, UsageError
from archcalc.graph import Graph
from archcalc.layers.base import fmt_shape

from .cluster import HINT_TF_CONFIG, Cluster
from .datasets import Dataset, ModelInput
from .losses import BINARY_LOSSES, ONE_HOT_LOSSES, SPARSE_LOSSES, _default_loss, _output_activation

#: losses that want one column per class
#: layers whose inputs are token ids, which must not be standardised
#: a first layer that scales pixel values itself: images enter it as read (0..255)
STRATEGIES = ("default", "mirrored", "multi-worker")
#: how long a worker waits for the others at start-up, by default (seconds)
CLUSTER_TIMEOUT = 300.0


class TrainingError(ArchcalcError):
    """Training could not go on (a worker of the cluster is gone)."""

    code = "E004"


@dataclass
class TrainOptions:
    """The command line's choices."""

    data: str = "digits"
    label: str | None = None
    #: a CSV of texts: the column holding them (else the only non-label column of words)
    text_column: str | None = None
    epochs: int = 10
    batch_size: int = 32
    validation_split: float = 0.1
    test_split: float = 0.2
    seed: int = 0
    output: str = "model.keras"
    force: bool = False
    strategy: str = "default"
    #: --data auto: force an output kind (tasks.KINDS), and the number of samples
    task: str | None = None
    samples: int | None = None
    #: where the learning curves go (a .png), if anywhere
    plot: str | None = None
    #: --strategy multi-worker: the cluster (cluster.resolve), the backup folder and how long
    #: to wait for the other workers at start-up
    cluster: Cluster | None = None
    backup_dir: str | None = None
    cluster_timeout: float = CLUSTER_TIMEOUT


@dataclass
class Plan:
    """What the run will do, decided before TensorFlow is imported."""

    input_shape: tuple
    output_units: int
    activation: str | None
    compile: dict[str, Any]
    one_hot: bool
    scale: bool
    classes: int | None
    #: what archcalc chose for the user, said aloud
    decisions: list[str] = field(default_factory=list)
    #: images: divide the pixel values by 255
    pixels: bool = False
    #: texts: (vocabulary size, sequence length or None for the longest training text)
    text: tuple[int, int | None] | None = None


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


def check_output(path: str, force: bool) -> Path:
    """Where the model goes; refuse an existing file without --force, a device or a wrong suffix."""
    from archcalc.fileio import check_target

    out = Path(path)
    if out.suffix != ".keras":
        raise UsageError(f"the model file must end in .keras, got '{path}'", hint="e.g. --output model.keras")
    check_target(out, force=force)
    return out


def _loss_name(loss: Any) -> str | None:
    from archcalc.compile_spec import loss_name

    return loss_name(loss)


def model_input(graph: Graph) -> ModelInput:
    """The model's input as the data loaders need it (its shape, where it is, a vocabulary)."""
    first = graph.nodes[graph.inputs[0]]
    return ModelInput(tuple(first.shape or (None,))[1:], first.loc, _embedding_vocab(graph))


def _embedding_vocab(graph: Graph) -> int | None:
    """The input_dim of the Embedding that reads the (first) input, if one does."""
    first = graph.inputs[0]
    for n in graph.nodes.values():
        if n.layer is not None and n.layer.is_embedding and first in n.inputs:
            dim = n.layer.cfg.get("input_dim")
            return dim if isinstance(dim, int) else None
    return None


def _one_in_one_out(graph: Graph) -> None:
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise UsageError(
            f"train supports models with one input and one output; '{graph.name}' has "
            f"{len(graph.inputs)} input(s) and {len(graph.outputs)} output(s)",
            hint="train it from Python: archcalc.to_keras(spec).fit(...)",
        )


def load_data(graph: Graph, source: str, label: str | None = None, text_column: str | None = None) -> Dataset:
    """``--data SOURCE`` read for ``graph``'s input (images at its size, texts for its Embedding)."""
    from . import datasets

    _one_in_one_out(graph)  # with your own data; --data auto covers several
    return datasets.load(source, label, text_column=text_column, model_input=model_input(graph))


def plan(graph: Graph, data: Dataset) -> Plan:
    """Check the data against the model and decide scaling, encoding and compile()."""
    analysis = analyze(graph)
    loc = graph.compile_loc
    _one_in_one_out(graph)
    in_shape = tuple(graph.nodes[graph.inputs[0]].shape or ())[1:]
    if any(not (d is None or isinstance(d, int)) for d in in_shape):
        raise ShapeError(f"the model's input {fmt_shape(in_shape)} has symbolic sizes",
                         hint="give the sizes numbers (or --set them) to train")
    text: tuple[int, int | None] | None = None
    if data.kind == "texts":
        text = _text_input(graph, in_shape)
        shape: tuple = (text[1],)
    else:
        try:
            shape = _fit_input(in_shape, data)
        except ShapeError as e:
            raise e.with_loc(graph.nodes[graph.inputs[0]].loc) from None
    out_shape = analysis.by_name[graph.outputs[0]].output_shape
    if isinstance(out_shape, list) or len(out_shape) != 2 or not isinstance(out_shape[1], int):
        raise ShapeError(
            f"train needs an output of shape (None, units), the model gives {fmt_shape(out_shape)}",
            hint="end the model with a Dense layer (add Flatten or global pooling before it)",
        )
    k = out_shape[1]
    act, out_desc = _output_activation(graph, analysis)
    decisions: list[str] = []
    given = dict(graph.compile or {})
    loss = given.get("loss")
    n_classes = len(data.classes) if data.classes is not None else None
    where = "the spec's compile section" if loss is not None else "the output layer"
    if loss is None:
        loss = _default_loss(act, k, n_classes, out_desc)
        given["loss"] = loss
        shown = loss if isinstance(loss, str) else f"{loss['class']}(from_logits=True)"
        decisions.append(f"loss: {shown} (no compile loss in the spec; chosen from the output {out_desc})")
    if "optimizer" not in given:
        given["optimizer"] = "adam"
        decisions.append("optimizer: adam (default)")
    if "metrics" not in given and graph.compile is None:
        given["metrics"] = ["accuracy"] if n_classes is not None else ["mae"]
        decisions.append(f"metrics: {given['metrics'][0]} (default)")
    name = _loss_name(loss)
    one_hot = False
    if n_classes is not None and name is not None:
        out_loc = loc if graph.compile and "loss" in graph.compile else graph.nodes[graph.outputs[0]].loc
        one_hot = _check_labels(name, k, n_classes, out_desc, where, out_loc)
    elif n_classes is None:
        cols = 1 if data.y.ndim == 1 else int(data.y.shape[1])
        if cols != k:
            raise ShapeError(f"the targets have {cols} column(s) but the output {out_desc} has {k} unit(s)",
                             hint=f"end the model with Dense({cols})")
    if data.classes is not None and data.kind != "arrays" and data.classes != list(range(len(data.classes))):
        decisions.append("labels: " + ", ".join(f"{c} -> {i}" for i, c in enumerate(data.classes)))
    if one_hot:
        decisions.append(f"labels: one-hot encoded into {n_classes} columns (the loss {name} needs it)")
    pixels = False
    if data.kind == "images":
        scale = False
        pixels = not _rescales(graph)
        decisions.append("pixels: divided by 255 (values 0..1)" if pixels
                         else "pixels: left at 0..255 (the model's first layer is a Rescaling)")
    elif data.kind == "texts":
        scale = False
    else:
        scale = not _reads_ids(graph)
        decisions.append("features: standardised (mean 0, std 1, fitted on the training split)" if scale
                         else "features: left as they are (the input feeds an Embedding: token ids)")
    if data.kind != "texts" and shape != data.sample_shape:
        decisions.append(f"samples: reshaped from {fmt_shape(data.sample_shape)} to the input {fmt_shape(shape)}")
    return Plan(shape, k, act, given, one_hot, scale, n_classes, decisions, pixels, text)


def _text_input(graph: Graph, in_shape: tuple) -> tuple[int, int | None]:
    """(vocabulary, sequence length) for texts: the Embedding's input_dim and the input's time axis."""
    first = graph.nodes[graph.inputs[0]]
    vocab = _embedding_vocab(graph)
    if vocab is None or len(in_shape) != 1:
        raise ShapeError(f"a CSV of texts needs a model whose input holds token ids (input: [T] feeding an "
                         f"Embedding); the model's input is {fmt_shape(in_shape)}"
                         + ("" if vocab is not None else ", which feeds no Embedding"),
                         loc=first.loc, hint="start the model with Embedding(vocabulary, dim), or give "
                                             "--data numbers")
    if vocab < 3:
        raise ShapeError(f"the Embedding's vocabulary of {vocab} leaves no room for words (ids 0 and 1 are "
                         f"TextVectorization's padding and out-of-vocabulary)", loc=first.loc,
                         hint="give the Embedding an input_dim of a few hundred or more")
    length = in_shape[0]
    return vocab, length if isinstance(length, int) else None


def _fit_input(in_shape: tuple, data: Dataset) -> tuple:
    """The shape samples take to enter the model; ShapeError when the sizes disagree."""
    have = data.sample_shape
    if None in in_shape:
        if len(have) == len(in_shape) and all(d is None or d == h for d, h in zip(in_shape, have, strict=True)):
            return have
        raise ShapeError(
            f"the data's samples are {fmt_shape(have)}, which do not fit the model's input "
            f"{fmt_shape(in_shape)}",
            hint="give the input a fixed shape that matches the data",
        )
    want = math.prod(in_shape)
    got = math.prod(have)
    if want != got:
        raise ShapeError(
            f"the data ({data.name}) has {got} features per sample but the model's input "
            f"{fmt_shape(in_shape)} holds {want}",
            hint=f"use input: {list(have) if len(have) > 1 else [got]} (or a shape of {got} values) in the spec",
        )
    return tuple(in_shape)


def _check_labels(name: str, k: int, n: int, out_desc: str, where: str, loc: Any) -> bool:
    """True when the labels must be one-hot; ShapeError when classes and output disagree."""
    if name in BINARY_LOSSES or (k == 1 and name not in ONE_HOT_LOSSES | SPARSE_LOSSES):
        if k == 1 and n == 2:
            return False
        if k == 1:
            raise ShapeError(
                f"the data has {n} classes but the output {out_desc} has a single unit, "
                f"which separates only 2",
                loc=loc,
                hint=f"end the model with Dense({n}, activation='softmax') and a categorical loss",
            )
        raise ShapeError(
            f"{name} with {k} output units needs one 0/1 column per unit; the data has one label per sample",
            loc=loc,
            hint=f"use Dense({n}, activation='softmax') with sparse_categorical_crossentropy",
        )
    if k != n:
        raise ShapeError(
            f"the data has {n} classes but the output {out_desc} has {k} unit(s)",
            loc=loc,
            hint=f"make the last layer Dense({n}, ...) to match the data",
        )
    return name not in SPARSE_LOSSES


def _rescales(graph: Graph) -> bool:
    first = graph.inputs[0]
    return any(n.layer is not None and n.layer.rescales_inputs and first in n.inputs for n in graph.nodes.values())


def _reads_ids(graph: Graph) -> bool:
    first = graph.inputs[0]
    return any(n.layer is not None and n.layer.reads_ids and first in n.inputs for n in graph.nodes.values())


def prepare(data: Dataset, p: Plan, opts: TrainOptions) -> tuple[Any, Any, Any, Any]:
    """(x_train, x_test, y_train, y_test): split, scaled, reshaped and encoded."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    x = data.x.reshape(data.n, -1)
    stratify = None
    if p.classes is not None:
        counts = np.bincount(data.y)
        if counts.min() >= 2 and round(opts.test_split * data.n) >= len(counts):
            stratify = data.y
    x_tr, x_te, y_tr, y_te = train_test_split(x, data.y, test_size=opts.test_split,
                                              random_state=opts.seed, stratify=stratify)
    if p.text is not None:
        x_tr, x_te = _vectorize(x_tr[:, 0], x_te[:, 0], p)
    elif p.scale:
        scaler = StandardScaler().fit(x_tr)
        x_tr, x_te = scaler.transform(x_tr), scaler.transform(x_te)
    elif p.pixels:
        x_tr, x_te = x_tr / 255.0, x_te / 255.0
    if p.text is None:
        x_tr = x_tr.astype("float32").reshape((-1, *p.input_shape))
        x_te = x_te.astype("float32").reshape((-1, *p.input_shape))
    if p.one_hot and p.classes is not None:
        eye = np.eye(p.classes, dtype="float32")
        y_tr, y_te = eye[y_tr], eye[y_te]
    elif p.classes is not None and p.output_units == 1:
        y_tr, y_te = y_tr.astype("float32"), y_te.astype("float32")
    return x_tr, x_te, y_tr, y_te


def _vectorize(train_texts: Any, test_texts: Any, p: Plan) -> tuple[Any, Any]:
    """Token ids through keras.layers.TextVectorization, its vocabulary adapted on the training
    texts only (max_tokens = the Embedding's input_dim), cut or padded at the end to the
    input's time axis (the longest training text when the axis is open)."""
    import numpy as np

    from .build import import_keras

    assert p.text is not None
    vocab, length = p.text
    keras = import_keras()
    layer = keras.layers.TextVectorization(max_tokens=vocab, output_mode="int")
    layer.adapt(np.asarray(train_texts, dtype=str))

    def ids(texts: Any) -> Any:
        if len(texts) == 0:
            return np.zeros((0, 0), dtype="int64")
        return np.asarray(keras.ops.convert_to_numpy(layer(np.asarray(texts, dtype=str))), dtype="int64")

    tr, te = ids(train_texts), ids(test_texts)
    words = (tr != 0).sum(axis=1)
    steps = length if length is not None else max(1, int(words.max(initial=1)))

    def fit(a: Any) -> Any:
        out = np.zeros((a.shape[0], steps), dtype="int64")
        out[:, :min(steps, a.shape[1])] = a[:, :steps]
        return out

    known = len(layer.get_vocabulary())
    longer = int((words > steps).sum())
    seen = te[te != 0]
    unknown = float((seen == 1).mean()) if seen.size else 0.0
    p.decisions.append(
        f"texts: keras.layers.TextVectorization(max_tokens={vocab}) adapted on the {len(train_texts)} "
        f"training texts: {known} entries (padding, [UNK] and {known - 2} words) for the Embedding's "
        f"input_dim {vocab}; each text cut or padded to {steps} ids "
        + ("(the input's time axis)" if length is not None else "(the longest training text; the input's "
           "time axis is open)")
        + (f", {longer} training text(s) cut" if longer else "")
        + f"; {unknown:.0%} of the test words are out of the vocabulary")
    return fit(tr), fit(te)


# --- one run: what fit() gets, whichever the data -------------------------------------------

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


def _from_dataset(graph: Graph, data: Dataset, opts: TrainOptions, say: Callable[[str], None]) -> Prepared:
    p = plan(graph, data)
    x_tr, x_te, y_tr, y_te = prepare(data, p, opts)
    for d in [*data.notes, *p.decisions]:
        say(d)
    kind = "classify" if p.classes is not None else "regress"
    target = Target(graph.outputs[0], kind, p.compile.get("loss"), p.classes)
    return Prepared([x_tr], [x_te], [y_tr], [y_te], p.compile, [target], data.describe())


def _auto(graph: Graph, opts: TrainOptions, say: Callable[[str], None]) -> Prepared:
    """A generated task (see tasks.py): split, labels encoded for each output's loss."""
    import numpy as np

    from archcalc.compile_spec import read_compile

    from . import tasks

    analysis = analyze(graph)
    given = dict(graph.compile or {})
    spec_loss = given.get("loss")
    by_output = read_compile(given).losses_by_output(graph)
    task = tasks.plan_task(graph, analysis, opts.task or graph.extras.get("task"), spec_loss)
    tasks.generate(task, analysis, seed=opts.seed, samples=opts.samples)
    say(f"data auto: task {task.name} ({task.why})")
    n = task.n
    order = np.random.default_rng(opts.seed).permutation(n)
    n_test = max(1, round(opts.test_split * n))
    test, train_ = order[:n_test], order[n_test:]
    losses: list[Any] = []
    metrics: list[list[Any]] = []
    targets: list[Target] = []
    ys_tr, ys_te = [], []
    multi = len(task.outputs) > 1
    for out, y in zip(task.outputs, task.y, strict=True):
        act, desc = tasks.output_activation(graph, out.name)
        chosen = by_output.get(out.name)  # the spec's loss for this output, in the form it was written
        loss = chosen.written if chosen is not None else None
        if out.kind == "classify":
            assert out.classes is not None
            units = out.shape[-1]
            if loss is None:
                loss = _default_loss(act, units, out.classes, desc)
            name = _loss_name(loss) or ""
            one_hot = _check_labels(name, units, out.classes, desc, "", graph.nodes[out.name].loc)
            if one_hot:
                y = np.eye(out.classes, dtype="float32")[y]
            elif units == 1:
                y = y.astype("float32")[:, None]
            metrics.append(["accuracy"])
        elif out.kind == "segment":
            if loss is None:
                loss = ("binary_crossentropy" if out.classes == 2 and act == "sigmoid"
                        else "sparse_categorical_crossentropy" if act == "softmax" else "mse")
            metrics.append(["accuracy"] if out.classes == 2 or act == "softmax" else [])
        else:
            if loss is None:
                loss = "binary_crossentropy" if out.kind == "vae" and act == "sigmoid" else "mse"
            metrics.append([])
        losses.append(loss)
        targets.append(Target(out.name, out.kind, loss, out.classes))
        ys_tr.append(y[train_])
        ys_te.append(y[test])
    shown = ", ".join(f"{t.name}: {t.loss if isinstance(t.loss, str) else t.loss.get('class')}" for t in targets)
    if spec_loss is None or multi:
        say(f"loss: {shown} (chosen from the task and the output layers)")
    compile_cfg: dict[str, Any] = {"optimizer": given.get("optimizer", "adam")}
    if "optimizer" not in given:
        say("optimizer: adam (default)")
    vae = None
    if task.vae is not None:
        recon = next(o for o in task.outputs if o.kind == "vae")
        vae = (task.vae[0], task.vae[1], int(math.prod(recon.shape)))
        say(f"loss: + KL term -0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2) on {task.vae[0]}, "
            f"{task.vae[1]}, divided by the {vae[2]} reconstructed values (the reconstruction loss "
            f"is a mean over them)")
    compile_cfg["loss"] = losses if multi else losses[0]
    compile_cfg["metrics"] = metrics if multi else metrics[0]
    xs_tr = [x[train_] for x in task.x]
    xs_te = [x[test] for x in task.x]
    return Prepared(xs_tr, xs_te, ys_tr, ys_te, compile_cfg, targets, task.describe(), vae)


def _strategy(name: str) -> Any:
    if name not in STRATEGIES:
        raise UsageError(f"unknown strategy '{name}'", hint="use one of: " + ", ".join(STRATEGIES))
    if name == "multi-worker":
        raise UsageError("--strategy multi-worker needs the cluster (TF_CONFIG or --workers)",
                         hint=HINT_TF_CONFIG)
    if name == "mirrored":
        import tensorflow as tf

        return tf.distribute.MirroredStrategy()
    return None


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


def _baseline_loss(keras: Any, target: Target, y_train: Any, y_test: Any) -> tuple[float, float] | None:
    """(the loss of the best constant guess, the training targets' mean; the loss of a perfect
    prediction, which is above 0 for a cross-entropy on soft targets), under the target's loss."""
    import numpy as np

    from archcalc.compile_spec import read_object

    from .build import compile_args

    if target.kind == "classify":
        return None
    try:
        fn = keras.losses.get(compile_args({"loss": target.loss})["loss"])
    except (ValueError, TypeError):
        return None
    mean = np.broadcast_to(y_train.mean(axis=0, dtype="float64"), y_test.shape).astype("float32")
    name = _loss_name(target.loss) or ""
    written = read_object(target.loss, "losses")
    logits = written is not None and written.get("from_logits") is True
    if "crossentropy" in name and target.kind != "classify":
        mean = np.clip(mean, 1e-6, 1 - 1e-6)
        if logits:
            mean = np.log(mean / (1 - mean))
    if target.kind == "segment" and name == "sparse_categorical_crossentropy":
        return None

    def loss(pred: Any) -> float:
        return float(np.mean(keras.ops.convert_to_numpy(fn(y_test.astype("float32"), pred))))

    perfect = y_test.astype("float32")
    if "crossentropy" in name:
        perfect = np.clip(perfect, 1e-6, 1 - 1e-6)
        if logits:
            perfect = np.log(perfect / (1 - perfect))
    return loss(mean), loss(perfect)


@dataclass
class Verdict:
    """Whether the model learned: the test numbers against the task's baseline."""

    learns: bool
    text: str
    checks: list[dict[str, Any]] = field(default_factory=list)


def _key(base: str, name: str, multi: bool) -> str:
    return f"{name}_{base}" if multi else base


def verdict(targets: list[Target], initial: dict[str, float], final: dict[str, float],
            baselines: list[tuple[float, float] | None], chance: list[float | None]) -> Verdict:
    """"learns" when every output beats its baseline on the held-out test: a classifier's
    accuracy at least min(0.2, (1 - chance) / 2) above chance (the most common class's share);
    any other output's loss at most halfway from the best constant guess (the training
    targets' mean) to a perfect prediction (0 for mse; a cross-entropy's floor on soft targets)."""
    multi = len(targets) > 1
    parts = [f"loss {initial.get('loss', float('nan')):.4g} -> {final.get('loss', float('nan')):.4g}"]
    ok = True
    checks: list[dict[str, Any]] = []
    for t, base, ch in zip(targets, baselines, chance, strict=True):
        label = f"{t.name} " if multi else ""
        acc = final.get(_key("accuracy", t.name, multi))
        if t.kind == "classify" and acc is not None and ch is not None:
            need = ch + min(0.2, (1 - ch) / 2)
            passed = acc >= need
            parts.append(f"{label}accuracy {acc:.2f} vs {ch:.2f} by chance (needs {need:.2f})")
            checks.append({"output": t.name, "metric": "accuracy", "value": acc, "baseline": ch,
                           "needs": need, "passed": passed})
        else:
            value = final.get(_key("loss", t.name, multi) if multi else "loss")
            if t.kind == "vae" or value is None:
                value = final.get("loss")
            if base is None or value is None:
                continue
            guess, floor = base
            need = floor + (guess - floor) / 2
            passed = value <= need
            what = "reconstruction + KL " if t.kind == "vae" else ""
            floor_text = f", {floor:.4g} for a perfect one" if floor > 1e-9 else ""
            parts.append(f"{label}{what}loss {value:.4g} vs {guess:.4g} predicting the mean{floor_text} "
                         f"(needs {need:.4g})")
            checks.append({"output": t.name, "metric": "loss", "value": value, "baseline": guess,
                           "perfect": floor, "needs": need, "passed": passed})
        ok = ok and passed
    head = "learns" if ok and checks else "does not beat its baseline"
    return Verdict(ok and bool(checks), f"{head}: " + "; ".join(parts), checks)


def _chance(target: Target, y_train: Any, y_test: Any) -> float | None:
    """The accuracy of always guessing the most common class (1/K for balanced classes)."""
    import numpy as np

    if target.kind != "classify":
        return None

    def labels(y: Any) -> Any:
        return y.argmax(-1) if y.ndim == 2 and y.shape[-1] > 1 else y.reshape(-1).round()

    every = np.concatenate([labels(y_train), labels(y_test)])
    counts = np.unique(every, return_counts=True)[1]
    return float(counts.max() / counts.sum())


def train(graph: Graph, data: Dataset | None, opts: TrainOptions, say: Callable[[str], None],
          progress: Any = None) -> TrainResult:
    """Check, prepare, build, compile, fit, evaluate and save; returns the result.

    ``data`` None means ``--data auto``: a task generated for the model (tasks.py).
    With ``--strategy multi-worker`` every worker runs this same function on the same
    (seeded) data; only the chief writes the model and the plot.
    """
    from archcalc.fileio import write_atomic, write_with

    cluster = opts.cluster if opts.strategy == "multi-worker" else None
    if opts.strategy == "multi-worker" and cluster is None:
        raise UsageError("--strategy multi-worker needs the cluster (TF_CONFIG or --workers)",
                         hint=HINT_TF_CONFIG)
    chief = cluster is None or cluster.is_chief
    out = check_output(opts.output, opts.force) if chief else Path(opts.output)
    if opts.plot and chief:
        _check_plot(opts.plot, opts.force)
    if opts.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    if not 0 < opts.test_split < 1 or not 0 <= opts.validation_split < 1:
        raise UsageError("--validation-split must be in [0, 1) and the test split in (0, 1)")
    if cluster is not None:
        check_global_batch(opts.batch_size, cluster.count)
    backup = backup_folder(opts, cluster)
    prep = _auto(graph, opts, say) if data is None else _from_dataset(graph, data, opts, say)
    n_train = len(prep.x_train[0])
    say(f"split: {n_train} training samples ({opts.validation_split:.0%} of them for validation), "
        f"{len(prep.x_test[0])} held out for the test")

    from .build import import_keras

    keras = import_keras()
    keras.utils.set_random_seed(opts.seed)
    if cluster is not None:
        strategy = _join_cluster(cluster, opts, say)
    else:
        strategy = _strategy(opts.strategy)
        if strategy is not None:
            say(f"strategy: MirroredStrategy over {strategy.num_replicas_in_sync} device(s)")
    if strategy is not None:
        with strategy.scope():
            model, trainer, vae = _model(graph, prep, keras)
    else:
        model, trainer, vae = _model(graph, prep, keras)
    if cluster is not None:
        from .multiworker import repair_keras_fit

        repair_keras_fit(trainer, strategy)
    x_tr, y_tr = _fit_arrays(prep, "train", bool(vae))
    x_te, y_te = _fit_arrays(prep, "test", bool(vae))
    steps = math.ceil(n_train * (1 - opts.validation_split) / opts.batch_size)
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
    with _cluster_errors(cluster, backup):
        initial = trainer.evaluate(x_te, y_te, verbose=0, return_dict=True, batch_size=opts.batch_size)
        history = trainer.fit(x_tr, y_tr, epochs=opts.epochs, batch_size=opts.batch_size,
                              validation_split=opts.validation_split, verbose=0, shuffle=True,
                              callbacks=callbacks)
        fitted = math.floor(n_train * (1.0 - opts.validation_split))  # fit()'s split: the first rows
        calibrated, momentum = recalibrate_batchnorm(keras, trainer, _rows(x_tr, fitted), opts.batch_size)
        if calibrated:
            done = steps * opts.epochs
            say(f"batch normalization: the moving mean and variance of {calibrated} layer(s) recomputed "
                f"as averages over the {fitted} training samples (after {done} steps, fit()'s moving "
                f"averages still weigh their start values by {momentum:g}^{done} = {momentum ** done:.2f})")
        evaluation = trainer.evaluate(x_te, y_te, verbose=0, return_dict=True, batch_size=opts.batch_size)
    evaluation = {k: float(v) for k, v in evaluation.items()}
    baselines = [_baseline_loss(keras, t, ytr, yte)
                 for t, ytr, yte in zip(prep.targets, prep.y_train, prep.y_test, strict=True)]
    chance = [_chance(t, ytr, yte) for t, ytr, yte in zip(prep.targets, prep.y_train, prep.y_test, strict=True)]
    judged = verdict(prep.targets, {k: float(v) for k, v in initial.items()}, evaluation, baselines, chance)
    if chief:
        write_with(out, model.save, force=opts.force)  # model.save writes a temporary beside `out`
    else:
        # every worker saves (TensorFlow's multi-worker guide: saving may take part in
        # collectives); a worker that is not the chief saves into a folder that is removed
        with tempfile.TemporaryDirectory() as tmp:
            model.save(Path(tmp) / out.name)
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    result = TrainResult(opts.epochs, hist, evaluation, str(out) if chief else "", [], judged,
                         {k: float(v) for k, v in initial.items()}, prep.describe)
    if opts.plot and chief:
        write_atomic(opts.plot, plot_png(hist, graph.name), force=opts.force)
        result.plot = opts.plot
    if cluster is not None:
        result.worker = {"task": cluster.name, "workers": cluster.count, "chief": chief,
                         "resumed_after_epoch": resumed or 0}
    if backup is not None and opts.backup_dir is None:
        _remove_if_empty(backup.parent)  # the default folder, once BackupAndRestore removed its part
    return result


# --- several workers --------------------------------------------------------------------------

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


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another worker's backup, or the user's files), or gone


def _join_cluster(cluster: Cluster, opts: TrainOptions, say: Callable[[str], None]) -> Any:
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
    with _cluster_errors(cluster, None, joining=True):
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
def _cluster_errors(cluster: Cluster | None, backup: Path | None, joining: bool = False) -> Iterator[None]:
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


def _check_plot(path: str, force: bool) -> None:
    from archcalc.fileio import check_target

    if Path(path).suffix.lower() != ".png":
        raise UsageError(f"the learning-curve file must end in .png, got '{path}'", hint="e.g. --plot curves.png")
    check_target(path, force=force)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UsageError("--plot needs matplotlib, which is not installed",
                         hint="pip install 'archcalc[keras]'") from None


def plot_png(history: dict[str, list[float]], title: str) -> bytes:
    """The learning curves (one panel per metric, training and validation) as PNG bytes."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    bases = [k for k in history if not k.startswith("val_")]
    fig = Figure(figsize=(4.5 * len(bases), 3.4), dpi=100)
    for i, key in enumerate(bases, start=1):
        ax = fig.add_subplot(1, len(bases), i)
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], marker="o", label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], marker="o", label="validation")
        ax.set_title(key)
        ax.set_xlabel("epoch")
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# --- progress --------------------------------------------------------------------------------

def _logs_text(logs: Any) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items())


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class PlainProgress:
    """One plain line per epoch (NO_COLOR, or no terminal): epoch, loss, metrics, time left."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def callback(self, keras: Any, epochs: int, steps: int) -> Any:
        import time

        write = self.write

        class _Callback(keras.callbacks.Callback):
            def on_train_begin(self, logs: Any = None) -> None:
                self.start = time.monotonic()
                self.first: int | None = None  # a run resumed from a backup starts later

            def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
                if self.first is None:
                    self.first = epoch

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                spent = time.monotonic() - self.start
                left = spent / (epoch + 1 - (self.first or 0)) * (epochs - epoch - 1)
                write(f"epoch {epoch + 1}/{epochs}  {_logs_text(logs)}  "
                      f"({_duration(spent)} so far, about {_duration(left)} left)")

        return _Callback()


class RichProgress:
    """A rich progress bar over all training steps (epoch, loss, metrics, time left), with
    one line per finished epoch."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def callback(self, keras: Any, epochs: int, steps: int) -> Any:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = self.console

        class _Callback(keras.callbacks.Callback):
            def on_train_begin(self, logs: Any = None) -> None:
                self.bar = Progress(TextColumn("epoch {task.fields[epoch]}/" + str(epochs)),
                                    BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[logs]}"),
                                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                                    console=console, transient=True)
                self.bar.start()
                self.task = self.bar.add_task("train", total=epochs * max(1, steps), epoch=1, logs="")
                self.epoch = 0

            def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
                self.epoch = epoch
                self.bar.update(self.task, epoch=epoch + 1, completed=epoch * max(1, steps))

            def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
                text = f"loss {logs['loss']:.4f}" if logs and "loss" in logs else ""
                self.bar.update(self.task, completed=self.epoch * max(1, steps) + batch + 1, logs=text)

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                self.bar.console.print(f"epoch {epoch + 1:>3}/{epochs}  {_logs_text(logs)}", highlight=False)
                self.bar.update(self.task, completed=(epoch + 1) * max(1, steps))

            def on_train_end(self, logs: Any = None) -> None:
                self.bar.stop()

        return _Callback()
