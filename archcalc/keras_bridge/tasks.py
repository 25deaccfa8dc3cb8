"""``--data auto``: a small, seeded, learnable task generated to fit a model's inputs and outputs.

The point is the best practice "overfit a small task first": before collecting data, see
whether the architecture learns at all. Nothing is downloaded; every array is drawn from a
``numpy`` generator seeded by ``--seed``.

How the task is chosen (one rule per input kind and per output kind):

- Every sample has a hidden class ``c`` out of ``K``. Each *input* shows ``c`` in its own way:
  an image (H x W x C) holds a simple shape of kind ``c`` (square, circle, triangle, ...)
  at a random place, size and colour; a sequence (T x F) is noise around a direction of
  class ``c``; token ids (an input read by Embedding) follow a sentiment-like rule (more
  words of group ``c`` than of any other group); a plain vector is a Gaussian cluster.
- Each *output* asks for something the inputs show: a softmax / sigmoid vector asks for
  ``c`` (or one digit of it, when several outputs share ``c``: their class counts multiply);
  an image output of the input's height and width with a sigmoid asks for the shape's mask
  (segmentation, the U-Net); an output shaped like the input asks for the input back
  (reconstruction, the autoencoder), as does a VAE (a ``Sampling`` layer on
  ``[z_mean, z_log_var]``); any other vector output is a regression to a fixed random
  prototype of class ``c`` passed through the output's activation.

For a reconstruction of plain vectors the data has a low intrinsic dimension (``r``
hidden factors through a fixed random matrix, ``r`` at most half the narrowest layer), so
that an autoencoder can learn it; for a VAE, ``r`` is the latent size.

This module imports numpy only inside functions and never imports Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from archcalc.engine import Analysis, analyze
from archcalc.errors import ShapeError, UsageError
from archcalc.graph import Graph
from archcalc.layers.base import LayerType, fmt_shape

#: layers whose inputs are token ids
#: the shapes an image task draws, in class order
SHAPES = ("square", "circle", "triangle", "plus", "cross", "horizontal bar", "vertical bar",
          "ring", "frame", "diamond")
#: output kinds a spec (``task:``) or ``--task`` may ask for
KINDS = ("classify", "segment", "reconstruct", "regress", "vae")
#: a size chosen for an axis the model leaves open (None)
OPEN_TIME_STEPS = 16
OPEN_IMAGE_SIZE = 32
#: how many samples a generated task has, by input kind (kept small: CI trains them all)
SAMPLES = {"image": 240, "sequence": 400, "tokens": 400, "vector": 600}
#: images larger than this many values get fewer samples (the U-Net: 128 x 128)
BIG_IMAGE = 64 * 64 * 3


@dataclass
class InputSpec:
    """One model input: its shape (no batch axis), kind and, for tokens, vocabulary."""

    name: str
    shape: tuple
    kind: str  # image | sequence | tokens | vector
    vocab: int | None = None


@dataclass
class OutputSpec:
    """One model output and what the task asks of it."""

    name: str
    shape: tuple
    activation: str | None
    kind: str  # classify | segment | reconstruct | regress | vae
    classes: int | None = None  # classify: how many; segment: 2 for a sigmoid mask
    source: int = 0  # reconstruct / segment: which input


@dataclass
class Task:
    """A generated data set and what a person needs to read it."""

    name: str
    why: str
    inputs: list[InputSpec]
    outputs: list[OutputSpec]
    x: list[Any] = field(default_factory=list)  # one array per input
    y: list[Any] = field(default_factory=list)  # one array per output (class ids for classify)
    hidden_classes: int = 1
    #: for a VAE: the node names of z_mean and z_log_var, and the latent size
    vae: tuple[str, str] | None = None

    @property
    def n(self) -> int:
        return int(self.x[0].shape[0])

    def describe(self) -> str:
        ins = ", ".join(f"{i.kind} {fmt_shape(i.shape)}" for i in self.inputs)
        return f"{self.name}: {self.n} generated samples of {ins}"


def output_activation(graph: Graph, name: str) -> tuple[str | None, str]:
    """The activation at an output node and a label for messages (``Dense(10, ...)``)."""
    node = graph.nodes[name]
    layer = node.layer
    if layer is None:
        return None, node.name
    inner = layer.cfg.get("layer")
    if isinstance(inner, LayerType) and "activation" not in layer.cfg:  # Bidirectional, TimeDistributed
        act = inner.cfg.get("activation")
        if layer.cfg.get("merge_mode") in ("sum", "ave", "mul"):
            act = None if act not in ("relu", "sigmoid") else act  # the sum of two tanh is not a tanh
    else:
        act = layer.applied_activation()
    if not isinstance(act, str) or act == "linear":
        act = None
    return act, layer.call_repr().replace("units=", "")


def _reads_ids(graph: Graph, name: str) -> int | None:
    """The vocabulary size when input ``name`` feeds an Embedding-like layer (else None)."""
    for node in graph.nodes.values():
        if node.layer is not None and node.layer.reads_ids and name in node.inputs:
            for key in ("input_dim", "num_tokens", "num_bins", "max_tokens"):
                v = node.layer.cfg.get(key)
                if isinstance(v, int) and v > 1:
                    return v
            return 100
    return None


def _sampling_node(graph: Graph) -> tuple[str, str] | None:
    for node in graph.nodes.values():
        if node.layer is not None and node.layer.keras_name == "Sampling" and len(node.inputs) == 2:
            return node.inputs[0], node.inputs[1]
    return None


def describe_inputs(graph: Graph) -> list[InputSpec]:
    out = []
    for name in graph.inputs:
        shape = tuple(graph.nodes[name].shape or (None,))[1:]
        if any(not (d is None or isinstance(d, int)) for d in shape):
            raise ShapeError(f"the input '{name}' {fmt_shape(shape)} has symbolic sizes",
                             loc=graph.nodes[name].loc, hint="give the sizes numbers (or --set them) to train")
        vocab = _reads_ids(graph, name)
        if vocab is not None:
            t = shape[0] if shape and shape[0] is not None else OPEN_TIME_STEPS
            out.append(InputSpec(name, (t,), "tokens", vocab))
        elif len(shape) == 3:
            h, w = (d if d is not None else OPEN_IMAGE_SIZE for d in shape[:2])
            out.append(InputSpec(name, (h, w, shape[2] or 3), "image"))
        elif len(shape) == 2:
            out.append(InputSpec(name, (shape[0] or OPEN_TIME_STEPS, shape[1] or 8), "sequence"))
        elif len(shape) == 1 and shape[0] is not None:
            out.append(InputSpec(name, shape, "vector"))
        else:
            raise ShapeError(f"cannot generate data for the input '{name}' {fmt_shape(shape)}",
                             loc=graph.nodes[name].loc,
                             hint="auto data covers images (H, W, C), sequences (T, F), token ids and vectors; "
                                  "give --data a file")
    return out


def _kind(shape: tuple, act: str | None, loss: str | None, inputs: list[InputSpec]) -> tuple[str, int]:
    """(kind, source input) of an output, from its shape, activation and loss."""
    for i, spec in enumerate(inputs):  # one sigmoid channel at the image's H x W: a mask (U-Net)
        if spec.kind == "image" and len(shape) == 3 and shape[:2] == spec.shape[:2] and (
                shape != spec.shape or (shape[-1] == 1 and act == "sigmoid")):
            return "segment", i
    for i, spec in enumerate(inputs):
        if spec.kind != "tokens" and shape == spec.shape:
            return "reconstruct", i
    if len(shape) == 1:
        if act in ("softmax", "sigmoid") or (loss or "").endswith(("crossentropy", "hinge")):
            return "classify", 0
        return "regress", 0
    return "", 0


def plan_task(graph: Graph, analysis: Analysis | None = None, kind: str | None = None,
              loss: Any = None) -> Task:
    """Decide the task for ``graph`` (no arrays yet); ShapeError when none fits."""
    analysis = analysis or analyze(graph)
    if kind is not None and kind not in ("auto", *KINDS):
        raise UsageError(f"unknown task '{kind}'", hint="use one of: auto, " + ", ".join(KINDS))
    inputs = describe_inputs(graph)
    shapes = analysis.output_shapes
    names = list(graph.outputs)
    vae = _sampling_node(graph)
    outputs: list[OutputSpec] = []
    loss_name = loss.lower() if isinstance(loss, str) else None
    for name, shape in zip(names, shapes, strict=False):
        outputs.append(_output_spec(graph, name, tuple(shape)[1:], kind, loss_name, inputs, vae))
    if kind == "vae" and vae is None:
        raise ShapeError("a VAE task needs a Sampling layer called on [z_mean, z_log_var]",
                         hint="see the notes' VAE sample (`archcalc samples vae` prints its path)")
    counts = [o.classes for o in outputs if o.kind == "classify" and o.classes]
    seg = [o.classes - 1 for o in outputs if o.kind == "segment" and o.classes and o.classes > 2]
    hidden = math.prod(counts) if counts else 4
    if seg:
        hidden = max(hidden, *seg)
    task = Task("", "", inputs, outputs, hidden_classes=hidden, vae=vae)
    task.name, task.why = _name_and_reason(task)
    for spec in inputs:
        if spec.kind == "image" and hidden > 2 * len(SHAPES):
            raise ShapeError(f"the outputs need {hidden} classes, more than the {2 * len(SHAPES)} "
                             f"kinds of shapes an image task draws", hint="give --data your own images")
    return task


def _output_spec(graph: Graph, name: str, shape: tuple[Any, ...], kind: str | None, loss_name: str | None,
                 inputs: list[Any], vae: Any) -> OutputSpec:
    """One output's task: what its shape, activation and loss say (or ``kind`` when given)."""
    act, desc = output_activation(graph, name)
    if any(not isinstance(d, int) for d in shape):
        raise ShapeError(f"the output '{name}' {fmt_shape(shape)} has open sizes",
                         loc=graph.nodes[name].loc, hint="auto data needs outputs of known size")
    k, src = _kind(shape, act, loss_name, inputs)
    if kind not in (None, "auto"):
        k = kind if kind != "vae" else "reconstruct"
    if k == "reconstruct" and vae is not None:
        k = "vae"
    if not k:
        raise ShapeError(f"cannot choose a task for the output '{name}' {fmt_shape(shape)} ({desc})",
                         loc=graph.nodes[name].loc,
                         hint="auto data covers vector outputs, masks at the input's H x W and "
                              "reconstructions; give --data a file")
    classes = None
    if k in ("classify", "segment"):
        classes = 2 if shape[-1] == 1 else shape[-1]
    return OutputSpec(name, shape, act, k, classes, src)


def _name_and_reason(task: Task) -> tuple[str, str]:
    kinds = {o.kind for o in task.outputs}
    ins = {i.kind for i in task.inputs}
    out = task.outputs[0]
    if "vae" in kinds:
        return ("vae-reconstruction", "a Sampling layer on [z_mean, z_log_var] makes it a VAE: reconstruct "
                "the input, with the notes' KL term added to the loss")
    if kinds == {"reconstruct"}:
        return ("reconstruction", f"the output {fmt_shape(out.shape)} has the input's shape: reconstruct the input")
    if "segment" in kinds:
        return ("shape-masks", f"the output {fmt_shape(out.shape)} keeps the image's height and width: "
                "segment the shape drawn in each image")
    what = {"image": "images of simple shapes", "sequence": "noisy sequences of a class's direction",
            "tokens": "token sequences with a sentiment-like rule (more words of the class's group)",
            "vector": "Gaussian clusters"}
    source = " + ".join(what[k] for k in sorted(ins))
    if "classify" in kinds:
        k = task.hidden_classes
        return (f"{'+'.join(sorted(ins))}-classes",
                f"{source}, {k} classes for the output(s) " + ", ".join(
                    f"{o.name} {fmt_shape(o.shape)}" for o in task.outputs))
    return (f"{'+'.join(sorted(ins))}-regression",
            f"{source}; the output(s) " + ", ".join(f"{o.name} {fmt_shape(o.shape)}" for o in task.outputs)
            + f" regress to one fixed random vector per class ({task.hidden_classes} classes)")


def _bottleneck(analysis: Analysis) -> int:
    widths = [r.output_shape[-1] for r in analysis.rows
              if not r.node.is_input and not isinstance(r.output_shape, list) and len(r.output_shape) == 2
              and isinstance(r.output_shape[-1], int)]
    return min(widths) if widths else 8


def generate(task: Task, analysis: Analysis, seed: int = 0, samples: int | None = None) -> Task:
    """Fill ``task.x`` and ``task.y`` with seeded arrays."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = samples or min(_default_count(spec) for spec in task.inputs)
    k = task.hidden_classes
    c = np.arange(n) % k
    rng.shuffle(c)
    masks: dict[int, Any] = {}
    xs = []
    for i, spec in enumerate(task.inputs):
        recon = any(o.kind in ("reconstruct", "vae") and o.source == i for o in task.outputs)
        if spec.kind == "image":
            x, masks[i] = _images(rng, spec.shape, c)
        elif spec.kind == "tokens":
            x = _tokens(rng, spec.shape[0], spec.vocab or 100, c, k)
        elif spec.kind == "sequence":
            x = _sequences(rng, spec.shape, c, k)
        elif recon:
            r = 2 if task.vae is None else None
            if task.vae is not None:
                latent_shape = analysis.by_name[task.vae[0]].output_shape
                r = int(latent_shape[-1]) if isinstance(latent_shape, tuple) else 2
            else:
                r = max(1, min(8, _bottleneck(analysis) // 2))
            sigmoid = any(o.activation == "sigmoid" for o in task.outputs)
            x = _low_rank(rng, spec.shape[0], r, n, sigmoid)
        else:
            x = _clusters(rng, spec.shape[0], c, k)
        xs.append(x)
    ys = []
    radix = 1
    protos: dict[int, Any] = {}
    for o in task.outputs:
        if o.kind == "classify":
            assert o.classes is not None
            ys.append(((c // radix) % o.classes).astype("int64"))
            radix *= o.classes
        elif o.kind in ("reconstruct", "vae"):
            ys.append(xs[o.source].copy())
        elif o.kind == "segment":
            m = masks[o.source]
            if o.classes == 2:
                ys.append(m[..., None].astype("float32"))
            else:
                ys.append(np.where(m, (c % max(1, (o.classes or 2) - 1) + 1)[:, None, None], 0).astype("int64"))
        else:
            units = o.shape[-1]
            if units not in protos:
                protos[units] = rng.normal(0, 1.5, (k, units)).astype("float32")
            ys.append(_activate(protos[units][c], o.activation).reshape((n, *o.shape)))
    task.x, task.y = xs, ys
    return task


def _default_count(spec: InputSpec) -> int:
    n = SAMPLES[spec.kind]
    if spec.kind == "image" and math.prod(spec.shape) > BIG_IMAGE:
        n = 96
    return n


def _activate(v: Any, act: str | None) -> Any:
    import numpy as np

    if act == "tanh":
        return np.tanh(v)
    if act == "sigmoid":
        return 1 / (1 + np.exp(-v))
    if act == "relu":
        return np.maximum(v, 0)
    return v


def _images(rng: Any, shape: tuple, c: Any) -> tuple[Any, Any]:
    """Images of shape kind ``c % len(SHAPES)`` (kinds past the list are hollow/filled twins
    in the second colour half), and the shapes' masks."""
    import numpy as np

    h, w, ch = shape
    n = len(c)
    yy, xx = np.mgrid[0:h, 0:w].astype("float32")
    x = rng.uniform(0, 0.15, (n, h, w, ch)).astype("float32")
    masks = np.zeros((n, h, w), dtype=bool)
    side = min(h, w)
    for i in range(n):
        # near the centre, of a middling size: a small task a model can learn in a few epochs
        r = rng.uniform(max(1.5, side / 6), max(2.0, side / 4))
        cy = h / 2 + rng.uniform(-1, 1) * max(0.0, min(h / 8, h / 2 - r))
        cx = w / 2 + rng.uniform(-1, 1) * max(0.0, min(w / 8, w / 2 - r))
        dy, dx = yy - cy, xx - cx
        kind = int(c[i]) % len(SHAPES)
        m = _shape_mask(kind, dy, dx, r)
        if not m.any():
            m = (np.abs(dy) <= 0.5) & (np.abs(dx) <= 0.5)
        masks[i] = m
        colour = rng.uniform(0.6, 1.0, ch)
        if int(c[i]) >= len(SHAPES) and ch > 1:
            colour[: ch // 2] *= 0.3  # the second set of classes: the same shapes, another hue
        elif int(c[i]) >= len(SHAPES):
            colour *= 0.5
        x[i][m] = colour
    return x, masks


def _shape_mask(kind: int, dy: Any, dx: Any, r: float) -> Any:
    import numpy as np

    ady, adx = np.abs(dy), np.abs(dx)
    t = max(1.0, r / 3)
    d = np.sqrt(dy * dy + dx * dx)
    name = SHAPES[kind]
    if name == "square":
        return (ady <= r) & (adx <= r)
    if name == "circle":
        return d <= r
    if name == "triangle":
        return (dy >= -r) & (dy <= r) & (adx <= (dy + r) / 2)
    if name == "plus":
        return ((ady <= t) & (adx <= r)) | ((adx <= t) & (ady <= r))
    if name == "cross":
        return ((np.abs(dy - dx) <= t) | (np.abs(dy + dx) <= t)) & (ady <= r) & (adx <= r)
    if name == "horizontal bar":
        return (ady <= t) & (adx <= r)
    if name == "vertical bar":
        return (adx <= t) & (ady <= r)
    if name == "ring":
        return (d <= r) & (d >= r - t)
    if name == "frame":
        return (np.maximum(ady, adx) <= r) & (np.maximum(ady, adx) >= r - t)
    return ady + adx <= r  # diamond


def _tokens(rng: Any, length: int, vocab: int, c: Any, k: int) -> Any:
    """Ids 1..: word ``w`` belongs to group ``(w - 1) % (k + 1)``; group ``k`` is neutral.
    A sample of class ``c`` has more words of group ``c`` than of any other group."""
    import numpy as np

    groups = k + 1
    top = max(groups + 1, min(vocab, 20 * groups + 1))  # a small working vocabulary: ids 1..top-1
    words = np.arange(1, top)
    by_group = [words[(words - 1) % groups == g] for g in range(groups)]
    x = np.zeros((len(c), length), dtype="int64")
    for i, cls in enumerate(c):
        seq = list(rng.choice(by_group[k], length))  # neutral filler
        own = int(rng.integers(1, max(1, length // 2) + 1))
        other = int(rng.integers(0, own)) if k > 1 else 0
        slots = rng.permutation(length)
        for j in slots[:own]:
            seq[j] = rng.choice(by_group[int(cls)])
        for j in slots[own:own + other]:
            g = int(rng.choice([g for g in range(k) if g != cls]))
            seq[j] = rng.choice(by_group[g])
        x[i] = seq
    return x


def _sequences(rng: Any, shape: tuple, c: Any, k: int) -> Any:
    import numpy as np

    t, f = shape
    directions = rng.normal(0, 1, (k, f))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    x = rng.normal(0, 0.3, (len(c), t, f)) + directions[c][:, None, :]
    return x.astype("float32")


def _clusters(rng: Any, f: int, c: Any, k: int) -> Any:
    import numpy as np

    centres = rng.normal(0, 1, (k, f))
    centres *= 3.0 / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-6)
    return (centres[c] + rng.normal(0, 1, (len(c), f))).astype("float32")


def _low_rank(rng: Any, f: int, r: int, n: int, sigmoid: bool) -> Any:
    import numpy as np

    z = rng.normal(0, 1, (n, r))
    basis = rng.normal(0, 1, (r, f)) / math.sqrt(r)
    x = z @ basis
    if sigmoid:
        x = 1 / (1 + np.exp(-2 * x))  # values in (0, 1), as a sigmoid output can reproduce
    return x.astype("float32")
