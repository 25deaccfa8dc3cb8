"""The training planner for the user's own data: what ``archcalc train --data SOURCE`` checks
and decides before TensorFlow starts.

The data is read for the model's input (images at its size, texts for its Embedding) and
checked against it: the samples' shape against the input, the labels against the output
layer and the loss. A mismatch is one clear error and exit 2, with no file written. The
:class:`Plan` says what the run will do (scaling, label encoding, compile() settings, each
choice said aloud); :func:`prepare` applies it to the arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc.engine import Analysis, analyze
from archcalc.errors import ShapeError, UsageError
from archcalc.graph import Graph
from archcalc.layers.base import fmt_shape

from .cluster import Cluster
from .datasets import Dataset, ModelInput
from .losses import BINARY_LOSSES, ONE_HOT_LOSSES, SPARSE_LOSSES, _default_loss, _output_activation

#: how long a worker waits for the others at start-up, by default (seconds)
CLUSTER_TIMEOUT = 300.0


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
    _one_in_one_out(graph)
    shape, text = _sample_shape(graph, data)
    k = _output_units(graph, analysis)
    act, out_desc = _output_activation(graph, analysis)
    n_classes = len(data.classes) if data.classes is not None else None
    given, decisions = _compile_settings(graph, act, k, n_classes, out_desc)
    name = _loss_name(given["loss"])
    one_hot = _check_targets(graph, data, name, k, n_classes, out_desc)
    decisions += _label_decisions(data, one_hot, n_classes, name)
    scale, pixels, said = _input_scaling(graph, data)
    decisions += said
    if data.kind != "texts" and shape != data.sample_shape:
        decisions.append(f"samples: reshaped from {fmt_shape(data.sample_shape)} to the input {fmt_shape(shape)}")
    return Plan(shape, k, act, given, one_hot, scale, n_classes, decisions, pixels, text)


def _sample_shape(graph: Graph, data: Dataset) -> tuple[tuple, tuple[int, int | None] | None]:
    """(the shape samples take to enter the model, the texts' vocabulary and length if texts)."""
    in_shape = tuple(graph.nodes[graph.inputs[0]].shape or ())[1:]
    if any(not (d is None or isinstance(d, int)) for d in in_shape):
        raise ShapeError(f"the model's input {fmt_shape(in_shape)} has symbolic sizes",
                         hint="give the sizes numbers (or --set them) to train")
    if data.kind == "texts":
        text = _text_input(graph, in_shape)
        return (text[1],), text
    try:
        return _fit_input(in_shape, data), None
    except ShapeError as e:
        raise e.with_loc(graph.nodes[graph.inputs[0]].loc) from None


def _output_units(graph: Graph, analysis: Analysis) -> int:
    """The output's units; ShapeError unless the output is (None, units)."""
    out_shape = analysis.by_name[graph.outputs[0]].output_shape
    if isinstance(out_shape, list) or len(out_shape) != 2 or not isinstance(out_shape[1], int):
        raise ShapeError(
            f"train needs an output of shape (None, units), the model gives {fmt_shape(out_shape)}",
            hint="end the model with a Dense layer (add Flatten or global pooling before it)",
        )
    return out_shape[1]


def _compile_settings(graph: Graph, act: str | None, k: int, n_classes: int | None,
                      out_desc: str) -> tuple[dict[str, Any], list[str]]:
    """The spec's compile() settings with a loss, an optimizer and metrics filled in where it
    gives none, and the choices said aloud."""
    decisions: list[str] = []
    given = dict(graph.compile or {})
    loss = given.get("loss")
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
    return given, decisions


def _check_targets(graph: Graph, data: Dataset, name: str | None, k: int, n_classes: int | None,
                   out_desc: str) -> bool:
    """True when the labels must be one-hot; ShapeError when the labels (or the regression
    targets' columns) do not fit the output layer and the loss."""
    spec = graph.compile or {}
    if n_classes is not None and name is not None:
        where = "the spec's compile section" if spec.get("loss") is not None else "the output layer"
        out_loc = graph.compile_loc if graph.compile and "loss" in graph.compile else graph.nodes[graph.outputs[0]].loc
        return check_labels(name, k, n_classes, out_desc, where, out_loc)
    if n_classes is None:
        cols = 1 if data.y.ndim == 1 else int(data.y.shape[1])
        if cols != k:
            raise ShapeError(f"the targets have {cols} column(s) but the output {out_desc} has {k} unit(s)",
                             hint=f"end the model with Dense({cols})")
    return False


def _label_decisions(data: Dataset, one_hot: bool, n_classes: int | None, name: str | None) -> list[str]:
    """The labels' encoding said aloud: class names to numbers, one-hot columns."""
    said = []
    if data.classes is not None and data.kind != "arrays" and data.classes != list(range(len(data.classes))):
        said.append("labels: " + ", ".join(f"{c} -> {i}" for i, c in enumerate(data.classes)))
    if one_hot:
        said.append(f"labels: one-hot encoded into {n_classes} columns (the loss {name} needs it)")
    return said


def _input_scaling(graph: Graph, data: Dataset) -> tuple[bool, bool, list[str]]:
    """(standardise the features, divide pixels by 255, the choice said aloud), by data kind."""
    if data.kind == "images":
        pixels = not _rescales(graph)
        return False, pixels, ["pixels: divided by 255 (values 0..1)" if pixels
                               else "pixels: left at 0..255 (the model's first layer is a Rescaling)"]
    if data.kind == "texts":
        return False, False, []
    scale = not _reads_ids(graph)
    return scale, False, ["features: standardised (mean 0, std 1, fitted on the training split)" if scale
                          else "features: left as they are (the input feeds an Embedding: token ids)"]


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


def check_labels(name: str, k: int, n: int, out_desc: str, where: str, loc: Any) -> bool:
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
