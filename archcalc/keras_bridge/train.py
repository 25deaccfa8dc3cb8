"""Train a spec's model on real data, evaluate it on a held-out split, save it as .keras.

Everything that can be checked before TensorFlow starts is checked first (output file,
data file, data shape against the model's input, labels against the output layer and
loss), so a mismatch is one clear error and exit 2, with no file written. The model file
is written to a temporary file in the target directory and renamed into place.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.engine import Analysis, analyze
from archcalc.errors import ShapeError, UsageError
from archcalc.graph import Graph
from archcalc.layers.base import fmt_shape

from .datasets import Dataset

#: losses that want one column per class
ONE_HOT_LOSSES = {"categorical_crossentropy", "categorical_focal_crossentropy",
                  "categorical_hinge", "kl_divergence", "kld", "kullback_leibler_divergence"}
SPARSE_LOSSES = {"sparse_categorical_crossentropy"}
BINARY_LOSSES = {"binary_crossentropy", "binary_focal_crossentropy", "hinge", "squared_hinge"}
#: layers whose inputs are token ids, which must not be standardised
ID_INPUT_LAYERS = {"Embedding", "CategoryEncoding", "StringLookup", "IntegerLookup", "Hashing"}
STRATEGIES = ("default", "mirrored")


@dataclass
class TrainOptions:
    """The command line's choices."""

    data: str = "digits"
    label: str | None = None
    epochs: int = 10
    batch_size: int = 32
    validation_split: float = 0.1
    test_split: float = 0.2
    seed: int = 0
    output: str = "model.keras"
    force: bool = False
    strategy: str = "default"


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


@dataclass
class TrainResult:
    """History per epoch and the held-out evaluation."""

    epochs: int
    history: dict[str, list[float]]
    evaluation: dict[str, float]
    output: str
    decisions: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"epochs": self.epochs, "history": self.history, "evaluation": self.evaluation}


def check_output(path: str, force: bool) -> Path:
    """Where the model goes; refuse an existing file without --force, or a wrong suffix."""
    out = Path(path)
    if out.suffix != ".keras":
        raise UsageError(f"the model file must end in .keras, got '{path}'", hint="e.g. --output model.keras")
    if out.exists() and not force:
        raise UsageError(f"'{path}' already exists", hint="pass --force to overwrite it, or choose --output")
    if not out.parent.is_dir():
        raise UsageError(f"the directory '{out.parent}' does not exist", hint="create it first")
    return out


def _output_activation(graph: Graph, analysis: Analysis) -> tuple[str | None, str]:
    """The activation of the output tensor and a label for messages."""
    node = graph.nodes[graph.outputs[0]]
    layer = node.layer
    if layer is None:
        return None, node.name
    act: str | None
    if layer.keras_name == "Softmax":
        act = "softmax"
    elif layer.keras_name == "Activation":
        act = layer.cfg.get("activation")
    else:
        act = layer.cfg.get("activation")
    act = None if act in (None, "linear") else act
    return act, layer.call_repr().replace("units=", "")


def _loss_name(loss: Any) -> str | None:
    if isinstance(loss, str):
        return loss.lower()
    if isinstance(loss, dict):
        cls = loss.get("class") or loss.get("class_name") or ""
        import re

        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls).lower() or None
    return None


def plan(graph: Graph, data: Dataset) -> Plan:
    """Check the data against the model and decide scaling, encoding and compile()."""
    analysis = analyze(graph)
    loc = graph.compile_loc
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise UsageError(
            f"train supports models with one input and one output; '{graph.name}' has "
            f"{len(graph.inputs)} input(s) and {len(graph.outputs)} output(s)",
            hint="train it from Python: archcalc.to_keras(spec).fit(...)",
        )
    in_shape = tuple(graph.nodes[graph.inputs[0]].shape or ())[1:]
    if any(not (d is None or isinstance(d, int)) for d in in_shape):
        raise ShapeError(f"the model's input {fmt_shape(in_shape)} has symbolic sizes",
                         hint="give the sizes numbers (or --set them) to train")
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
    if one_hot:
        decisions.append(f"labels: one-hot encoded into {n_classes} columns (the loss {name} needs it)")
    scale = not _reads_ids(graph)
    decisions.append("features: standardised (mean 0, std 1, fitted on the training split)" if scale
                     else "features: left as they are (the input feeds an Embedding: token ids)")
    if shape != data.sample_shape:
        decisions.append(f"samples: reshaped from {fmt_shape(data.sample_shape)} to the input {fmt_shape(shape)}")
    return Plan(shape, k, act, given, one_hot, scale, n_classes, decisions)


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


def _default_loss(act: str | None, k: int, n_classes: int | None, out_desc: str) -> Any:
    if n_classes is None:
        return "mse"
    if act == "softmax" and k > 1:
        return "sparse_categorical_crossentropy"
    if act == "sigmoid" and k == 1:
        return "binary_crossentropy"
    if act is None and k > 1:
        return {"class": "SparseCategoricalCrossentropy", "from_logits": True}
    if act is None and k == 1:
        return {"class": "BinaryCrossentropy", "from_logits": True}
    raise ShapeError(
        f"cannot choose a loss for the output {out_desc} with activation '{act}'",
        hint="add a compile: section with a loss to the spec",
    )


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


def _reads_ids(graph: Graph) -> bool:
    first = graph.inputs[0]
    return any(n.layer is not None and n.layer.keras_name in ID_INPUT_LAYERS and first in n.inputs
               for n in graph.nodes.values())


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
    if p.scale:
        scaler = StandardScaler().fit(x_tr)
        x_tr, x_te = scaler.transform(x_tr), scaler.transform(x_te)
    x_tr = x_tr.astype("float32").reshape((-1, *p.input_shape))
    x_te = x_te.astype("float32").reshape((-1, *p.input_shape))
    if p.one_hot and p.classes is not None:
        eye = np.eye(p.classes, dtype="float32")
        y_tr, y_te = eye[y_tr], eye[y_te]
    elif p.classes is not None and p.output_units == 1:
        y_tr, y_te = y_tr.astype("float32"), y_te.astype("float32")
    return x_tr, x_te, y_tr, y_te


def _strategy(name: str) -> Any:
    if name not in STRATEGIES:
        raise UsageError(f"unknown strategy '{name}'", hint="use one of: " + ", ".join(STRATEGIES))
    if name == "mirrored":
        import tensorflow as tf

        return tf.distribute.MirroredStrategy()
    return None


def save_atomically(model: Any, out: Path) -> None:
    """Write the .keras file beside its target, then rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".keras", dir=out.parent)
    os.close(fd)
    try:
        model.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def train(graph: Graph, data: Dataset, opts: TrainOptions, say: Callable[[str], None],
          progress: Any = None) -> TrainResult:
    """Check, prepare, build, compile, fit, evaluate and save; returns the result."""
    out = check_output(opts.output, opts.force)
    if opts.epochs < 1:
        raise UsageError("--epochs must be at least 1")
    if not 0 < opts.test_split < 1 or not 0 <= opts.validation_split < 1:
        raise UsageError("--validation-split must be in [0, 1) and the test split in (0, 1)")
    p = plan(graph, data)
    for d in p.decisions:
        say(d)
    x_tr, x_te, y_tr, y_te = prepare(data, p, opts)
    say(f"split: {len(x_tr)} training samples ({opts.validation_split:.0%} of them for validation), "
        f"{len(x_te)} held out for the test")

    from .build import build, compile_args, import_keras

    keras = import_keras()
    keras.utils.set_random_seed(opts.seed)
    strategy = _strategy(opts.strategy)
    if strategy is not None:
        say(f"strategy: MirroredStrategy over {strategy.num_replicas_in_sync} device(s)")
        with strategy.scope():
            model = build(graph, compile=False).model
            model.compile(**compile_args(p.compile))
    else:
        model = build(graph, compile=False).model
        model.compile(**compile_args(p.compile))
    callbacks = [progress.callback(keras, opts.epochs)] if progress is not None else []
    history = model.fit(x_tr, y_tr, epochs=opts.epochs, batch_size=opts.batch_size,
                        validation_split=opts.validation_split, verbose=0, shuffle=True,
                        callbacks=callbacks)
    evaluation = model.evaluate(x_te, y_te, verbose=0, return_dict=True)
    save_atomically(model, out)
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    return TrainResult(opts.epochs, hist, {k: float(v) for k, v in evaluation.items()}, str(out), p.decisions)


class RichProgress:
    """A rich progress bar over all training steps, with one line per epoch."""

    def __init__(self, console: Any) -> None:
        self.console = console

    def callback(self, keras: Any, epochs: int) -> Any:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = self.console

        class _Callback(keras.callbacks.Callback):
            def on_train_begin(self, logs: Any = None) -> None:
                self.bar = Progress(TextColumn("epoch {task.fields[epoch]}/" + str(epochs)),
                                    BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                    console=console, transient=True)
                self.bar.start()
                self.task = self.bar.add_task("train", total=epochs, epoch=1)

            def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
                text = "  ".join(f"{k} {v:.4f}" for k, v in (logs or {}).items())
                self.bar.console.print(f"epoch {epoch + 1:>3}/{epochs}  {text}", highlight=False)
                self.bar.update(self.task, advance=1, epoch=min(epoch + 2, epochs))

            def on_train_end(self, logs: Any = None) -> None:
                self.bar.stop()

        return _Callback()
