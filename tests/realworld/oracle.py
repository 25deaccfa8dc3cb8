"""The Keras oracle of the real-program corpus: run a program's model-building code, record its models.

Benchmark tooling only (archcalc itself never runs user code). Each program of the corpus
(tests/realworld/programs.txt: repository, commit, path) is run from its local clone
(``--repos DIR``, one folder ``owner+name`` per repository, checked out at the commit) in a
child process with real TensorFlow/Keras, where

- data loaders that would download (``keras.datasets``) give zero-filled arrays of the
  documented shapes, image/text folders that are not in the clone give small fake datasets
  (the class count and sizes they give are data sizes the program does not hold);
- ``fit``/``fit_generator``/``train_on_batch``/``evaluate``/``predict`` do not train: they
  build the model (a subclassed model is called on one batch) and record the event;
- plotting, downloads (urllib, requests, wget, ``get_file``, sockets), file writes (``open``
  for writing, ``save``, ``np.save``, ``to_csv``, ``mkdir``...), ``input()`` and ``sleep`` are
  stubbed; pretrained weights are not loaded (``weights=None``: the same architecture);
- a few cheap Keras 2 -> 3 shims: old module paths (``keras.layers.convolutional``,
  ``keras.utils.np_utils``...), ``lr=`` for ``learning_rate=``, a small ``Tokenizer``.

It records every model built (per layer: name, type, first output shape, trainable and
non-trainable counts; totals), each at the moment of its last ``fit`` (so trainable flags
changed later are as at training) or else at the end, and which model the program trains
last (else saves or summarises last, else the last built). A program that does not run under
Keras 3 gets no oracle (its error is recorded).

The zygote imports TensorFlow once and forks one child per program (one at a time); each child
has a CPU-time limit (60 s), a memory cap and lowered priority. Results are cached per program
under ``--cache`` so a rerun only runs what is new.

    nice -n 15 python tests/realworld/oracle.py --repos /work/corpus-repos
    python tests/realworld/oracle.py --repos /work/corpus-repos --only owner/name  # a subset
    python tests/realworld/oracle.py --manifest-only   # rewrite manifest.json from the cache
"""

from __future__ import annotations

import argparse
import builtins
import hashlib
import json
import math
import os
import re
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROGRAMS_LIST = HERE / "programs.txt"
MANIFEST = HERE / "manifest.json"
#: bump when the harness changes what it records, so cached results are redone
HARNESS_VERSION = 3  # the Keras-2 legacy shim does not change what ran before
CPU_SECONDS = 60
WALL_SECONDS = 120
REAL_OPEN = builtins.open
MEMORY_EXTRA = 6 << 30  # bytes of address space above what the zygote has mapped


# --- the program list ---------------------------------------------------------------------------


def read_programs(path: Path = PROGRAMS_LIST) -> list[dict[str, str]]:
    """programs.txt: one `owner/name commit path` a line (# comments)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not line:
            continue
        repo, commit, rel = line.split(None, 2)
        out.append({"repo": repo, "commit": commit, "path": rel})
    return out


def program_key(p: dict[str, str]) -> str:
    return f"{p['repo']}@{p['commit'][:12]}:{p['path']}"


def local_path(repos: Path, p: dict[str, str]) -> Path:
    return repos / p["repo"].replace("/", "+") / p["path"]


#: an IPython magic (%matplotlib, %%time) or shell line (!pip, !ls ./data); not `% x)` or `!= 0`
MAGIC = re.compile(r"(%{1,2}[A-Za-z]|![A-Za-z./~$\"'])")


#: the line between two notebook cells in a notebook's source: a training loop stopped in one
#: cell ends that cell only, and the next cells run (a notebook that trains two GANs in turn)
CELL_MARK = "# -- oracle: next notebook cell --"


def notebook_source(text: str) -> str:
    """A notebook's code cells joined; IPython magics and shell lines become `pass`."""
    nb = json.loads(text)
    cells = nb.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
    parts = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", cell.get("input", ""))
        src = "".join(src) if isinstance(src, list) else src
        lines = src.splitlines()
        if lines and lines[0].startswith("%%") and not lines[0].startswith(("%%time", "%%capture")):
            continue  # %%bash, %%writefile, ...: not Python
        body = []
        for line in lines:
            stripped = line.lstrip()
            indent = line[: len(line) - len(stripped)]
            if (MAGIC.match(stripped) or "get_ipython()" in stripped
                    or stripped.startswith("from __future__ import")):
                body.append(indent + "pass")
            elif stripped.endswith("?") and not stripped.startswith("#") and "=" not in stripped:
                body.append(indent + "pass")  # obj? help
            else:
                body.append(line)
        parts.append("\n".join(body))
    return ("\n" + CELL_MARK + "\n").join(parts) + "\n"


def program_source(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return notebook_source(text) if path.suffix == ".ipynb" else text


# --- the zygote: what is imported once -------------------------------------------------------------


def prepare_zygote() -> None:
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ["MPLBACKEND"] = "Agg"
    import matplotlib

    matplotlib.use("Agg")
    import keras  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401

    for name in ("pandas", "sklearn", "sklearn.model_selection", "sklearn.preprocessing", "scipy",
                 "seaborn", "PIL.Image", "h5py"):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001  (a missing optional library only costs its programs)
            pass


# --- in the child: the stubs ---------------------------------------------------------------------


class Stopped(BaseException):
    """Raised on SIGXCPU: the program ran out of its CPU time."""


class LoopStopped(BaseException):
    """Raised after many training calls: a training loop, whose models are all built by now."""


TRAINING_CALLS = 700  # a round of a WGAN loop may be 100 critic steps of two calls and one generator step


class State:
    def __init__(self) -> None:
        self.models: list[Any] = []
        self.ids: set[int] = set()
        self.events: list[tuple[str, int]] = []
        self.fit_snapshots: dict[int, dict[str, Any]] = {}
        self.seen_shapes: dict[int, Any] = {}
        self.tmp = ""
        self.training_calls = 0
        self.program_dir = "/nonexistent"
        self.rebuilding = 0
        self.saved: dict[str, Any] = {}


STATE = State()


def shapes_of(out: Any) -> Any:
    if isinstance(out, dict):
        return [shapes_of(v) for v in out.values()]
    if isinstance(out, (list, tuple)):
        return [shapes_of(v) for v in out]
    shape = getattr(out, "shape", None)
    if shape is None:
        return None
    try:
        return [None if d is None else int(d) for d in shape]
    except (TypeError, ValueError):
        return None


def _count(weights: Any) -> int:
    import math

    return sum(math.prod(int(d) for d in w.shape) for w in weights)


def snapshot(model: Any) -> dict[str, Any]:
    """A model's totals and layers now; {"built": False} for a model never built."""
    rec: dict[str, Any] = {"name": model.name, "class": type(model).__name__}
    if not model.built:
        rec["built"] = False
        return rec
    try:
        rec["total"] = int(model.count_params())
    except Exception as e:  # noqa: BLE001
        rec["built"] = False
        rec["error"] = f"{type(e).__name__}: {e}"[:300]
        return rec
    rec["trainable"] = _count(model.trainable_weights)
    rec["non_trainable"] = _count(model.non_trainable_weights)
    outputs = None
    try:
        if getattr(model, "outputs", None):
            outputs = [shapes_of(t) for t in model.outputs]
    except Exception:  # noqa: BLE001
        outputs = None
    if outputs is None:
        rec_out = STATE.seen_shapes.get(id(model))
        if rec_out is not None:
            outputs = rec_out if rec_out and isinstance(rec_out[0], list) else [rec_out]
    rec["outputs"] = outputs
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        shape = STATE.seen_shapes.get(id(layer))
        if shape is None:
            try:
                shape = shapes_of(layer.output)
            except Exception:  # noqa: BLE001
                shape = None
        layers.append([layer.name, type(layer).__name__.lstrip("_"), shape,
                       _count(layer.trainable_weights), _count(layer.non_trainable_weights)])
    rec["layers"] = layers
    return rec


def _register(model: Any) -> None:
    if STATE.rebuilding:  # a Sequential's own Functional, remade at each add(): no user model
        return
    if id(model) not in STATE.ids:
        STATE.ids.add(id(model))
        STATE.models.append(model)


def _event(kind: str, model: Any) -> None:
    _register(model)
    STATE.events.append((kind, STATE.models.index(model)))
    if kind == "fit":
        STATE.training_calls += 1
        if STATE.training_calls > TRAINING_CALLS:
            STATE.events.pop()  # the call that would start one more round is not made
            raise LoopStopped


def _first_batch(data: Any, n: int | None = 2) -> Any:
    """A small batch of the inputs the program passes to fit/predict (None if unknown)."""
    import numpy as np

    if data is None:
        return None
    if isinstance(data, dict):
        parts = {k: _first_batch(v, n) for k, v in data.items()}
        return None if any(v is None for v in parts.values()) else parts
    if isinstance(data, (list, tuple)) and data and not isinstance(data[0], (int, float)):
        if all(hasattr(d, "shape") for d in data):
            return [d[:n] for d in data]
    if hasattr(data, "shape") and hasattr(data, "__getitem__"):
        try:
            return data[:n]
        except Exception:  # noqa: BLE001
            return None
    try:
        import tensorflow as tf

        if isinstance(data, tf.data.Dataset):
            for item in data.take(1):
                return item[0] if isinstance(item, tuple) else item
    except Exception:  # noqa: BLE001
        return None
    try:  # a generator or a keras Sequence / PyDataset
        if hasattr(data, "__getitem__") and hasattr(data, "__len__"):
            item = data[0]
        else:
            item = next(iter(data)) if not hasattr(data, "__next__") else next(data)
        return item[0] if isinstance(item, tuple) else item
    except Exception:  # noqa: BLE001
        return np.zeros((0,))


def _batch_size(value: Any) -> int:
    """The batch fit/evaluate/predict cut the data into (Keras's default: 32)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 32


def _rows(data: Any) -> int | None:
    """How many samples an array (or a list/dict of arrays) holds; None for a dataset/generator."""
    if isinstance(data, dict) and data:
        data = next(iter(data.values()))
    if isinstance(data, (list, tuple)) and data and hasattr(data[0], "shape"):
        data = data[0]
    shape = getattr(data, "shape", None)  # a tf.data dataset has none
    if shape is None or not len(shape):
        return None
    return int(shape[0]) if shape[0] is not None else None


def spec_batch(data: Any, batch_size: int, symbolic: bool, validation_split: Any = 0.0) -> int | None:
    """The batch size of the input Keras 3 builds a Sequential with no input shape on.

    Measured in Keras 3.15: fit and evaluate build it symbolically from the data's spec, whose
    batch is ``batch_size`` when it divides the number of samples (every batch alike) and None
    otherwise, None for a generator, and a tf.data dataset's own static batch; predict builds it
    on its first batch (``min(batch_size, samples)``); train_on_batch on the batch given.
    """
    rows = _rows(data)
    if rows is None:
        try:
            import tensorflow as tf

            if isinstance(data, tf.data.Dataset):
                spec = data.element_spec
                spec = spec[0] if isinstance(spec, tuple) else spec
                shape = getattr(spec, "shape", None)
                return int(shape[0]) if shape is not None and len(shape) and shape[0] is not None \
                    else None
        except Exception:  # noqa: BLE001
            return None
        return None
    if symbolic:
        if isinstance(validation_split, float) and 0 < validation_split < 1:
            # keras/src/trainers/data_adapters/array_slicing.py, train_validation_split
            rows = int(math.floor(rows * (1.0 - validation_split)))
        return batch_size if rows and rows % batch_size == 0 else None
    return min(batch_size, rows)


def _deferred_sequential(model: Any, batch: Any, spec: int | None) -> bool:
    """Build a Sequential with no input shape as Keras 3 does: on an input whose batch size is
    the data spec's (``spec_batch``), which stays in the model's shapes."""
    import keras

    if not isinstance(model, keras.Sequential) or model.built or not hasattr(batch, "shape"):
        return False
    try:
        model.build((spec, *tuple(batch.shape)[1:]))
    except Exception:  # noqa: BLE001
        return False
    return bool(model.built)


_UNSET = object()


def _ensure_built(model: Any, x: Any, n: int | None = 2, spec: Any = _UNSET) -> None:
    """Build a model the program never built before it trains or uses it, as Keras does: a
    Sequential with no input shape on the data's spec (``spec_batch``), any other model by a
    call on the first batch of the data."""
    if model.built and getattr(model, "outputs", None) is not None:
        return
    if model.built and id(model) in STATE.seen_shapes:
        return
    batch = _first_batch(x, n)
    if batch is None:
        return
    if spec is not _UNSET and _deferred_sequential(model, batch, spec):
        return
    try:
        model(batch)
    except Exception:  # noqa: BLE001
        try:
            import numpy as np

            model(np.asarray(batch, dtype="float32"))
        except Exception:  # noqa: BLE001
            pass


class AutoHistory(dict):
    def __init__(self, epochs: int) -> None:
        super().__init__()
        self.epochs = max(1, int(epochs or 1))

    def __missing__(self, key: str) -> list[float]:
        return [0.0] * self.epochs


def install_stubs(program_dir: str, source: str = "") -> None:  # noqa: C901, PLR0915
    import io
    import shutil
    import socket
    import tempfile
    import types
    import urllib.request

    import keras
    import numpy as np
    import tensorflow as tf

    STATE.tmp = tempfile.mkdtemp(prefix="oracle-")
    tmp = STATE.tmp

    # --- models: registration, per-layer shapes ------------------------------------------------
    Model = keras.src.models.model.Model
    Layer = keras.src.layers.layer.Layer
    original_call = Layer.__call__

    def layer_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = original_call(self, *args, **kwargs)
        if id(self) not in STATE.seen_shapes:
            STATE.seen_shapes[id(self)] = shapes_of(out)
        if isinstance(self, Model):
            _register(self)
        return out

    Layer.__call__ = layer_call

    for cls in (Model, keras.src.models.sequential.Sequential,
                keras.src.models.functional.Functional):
        init = cls.__init__

        def wrapped_init(self: Any, *a: Any, __init: Any = init, **k: Any) -> None:
            __init(self, *a, **k)
            _register(self)

        cls.__init__ = wrapped_init

    sequential_cls = keras.src.models.sequential.Sequential
    original_rebuild = sequential_cls._maybe_rebuild

    def maybe_rebuild(self: Any, *a: Any, **k: Any) -> Any:
        STATE.rebuilding += 1
        try:
            return original_rebuild(self, *a, **k)
        finally:
            STATE.rebuilding -= 1

    sequential_cls._maybe_rebuild = maybe_rebuild
    original_build = sequential_cls.build

    def sequential_build(self: Any, *a: Any, **k: Any) -> Any:
        STATE.rebuilding += 1
        try:
            return original_build(self, *a, **k)
        finally:
            STATE.rebuilding -= 1

    sequential_cls.build = sequential_build

    # --- training and inference do not run -------------------------------------------------------
    def n_metrics(model: Any) -> int:
        return int(getattr(model, "_oracle_nmetrics", 0))

    original_compile = Model.compile

    def compile_(self: Any, *a: Any, **k: Any) -> Any:
        metrics = k.get("metrics", a[2] if len(a) > 2 else None)
        self._oracle_nmetrics = len(metrics) if isinstance(metrics, (list, tuple)) else (
            len(metrics) if isinstance(metrics, dict) else (1 if metrics else 0))
        try:
            return original_compile(self, *a, **k)
        except Exception:  # noqa: BLE001  (an optimizer spelling Keras 3 rejects: no training here)
            return original_compile(self, optimizer="adam", loss=k.get("loss", "mse"))

    Model.compile = compile_

    def fit(self: Any, x: Any = None, y: Any = None, *a: Any, **k: Any) -> Any:
        data = x if x is not None else k.get("generator")
        size = _batch_size(k.get("batch_size", a[0] if a else None))
        _ensure_built(self, data, size, spec_batch(data, size, symbolic=True,
                                                   validation_split=k.get("validation_split", 0.0)))
        _event("fit", self)
        for cb in k.get("callbacks") or ():
            path = getattr(cb, "_program_filepath", None)
            if isinstance(path, (str, os.PathLike)) and not getattr(cb, "save_weights_only", 0):
                STATE.saved[os.path.normpath(os.fspath(path))] = self
        STATE.fit_snapshots[STATE.models.index(self)] = snapshot(self)
        epochs = k.get("epochs", k.get("nb_epoch", 1))
        hist = keras.callbacks.History()
        hist.history = AutoHistory(epochs if isinstance(epochs, int) else 1)
        hist.epoch = list(range(hist.history.epochs))
        hist.params = {"epochs": hist.history.epochs}
        try:
            hist.set_model(self)
        except Exception:  # noqa: BLE001
            pass
        self.history = hist  # as Keras's own History callback leaves it
        return hist

    def fit_generator(self: Any, generator: Any = None, *a: Any, **k: Any) -> Any:
        return fit(self, generator, None, *a, **k)

    def train_on_batch(self: Any, x: Any = None, y: Any = None, *a: Any, **k: Any) -> Any:
        _ensure_built(self, x, None, _rows(x))  # the whole batch given
        _register(self)
        STATE.fit_snapshots[STATE.models.index(self)] = snapshot(self)
        _event("fit", self)
        m = n_metrics(self)
        return [0.0] * (m + 1) if m else 0.0

    def evaluate(self: Any, x: Any = None, *a: Any, **k: Any) -> Any:
        size = _batch_size(k.get("batch_size", a[1] if len(a) > 1 else None))
        _ensure_built(self, x, size, spec_batch(x, size, symbolic=True))
        m = n_metrics(self)
        if k.get("return_dict"):
            return AutoHistory(1) and {}
        return [0.0] * (m + 1) if m else 0.0

    def predict(self: Any, x: Any = None, *a: Any, **k: Any) -> Any:
        size = _batch_size(k.get("batch_size", a[0] if a else None))
        _ensure_built(self, x, size, spec_batch(x, size, symbolic=False))
        n = 2
        try:
            if hasattr(x, "shape"):
                n = int(x.shape[0])
            elif isinstance(x, (list, tuple)) and x and hasattr(x[0], "shape"):
                n = int(x[0].shape[0])
            elif isinstance(x, dict) and x:
                n = int(next(iter(x.values())).shape[0])
        except Exception:  # noqa: BLE001
            n = 2
        n = max(1, min(n, 100000))
        try:
            outs = [[n, *[d or 1 for d in t.shape[1:]]] for t in self.outputs]
        except Exception:  # noqa: BLE001
            rec = STATE.seen_shapes.get(id(self))
            if rec is None:
                return np.zeros((n, 1), dtype="float32")
            recs = rec if rec and isinstance(rec[0], list) else [rec]
            outs = [[n, *[d or 1 for d in r[1:]]] for r in recs]
        arrays = [np.zeros(s, dtype="float32") for s in outs]
        return arrays[0] if len(arrays) == 1 else arrays

    def predict_classes(self: Any, x: Any = None, *a: Any, **k: Any) -> Any:
        p = predict(self, x)
        return (p > 0.5).astype("int32") if p.shape[-1] == 1 else p.argmax(axis=-1)

    Model.predict_classes = predict_classes
    Model.predict_proba = lambda self, x=None, *a, **k: predict(self, x)

    def no_save(self: Any, *a: Any, **k: Any) -> None:
        _event("save", self)
        path = a[0] if a else k.get("filepath", k.get("filename"))
        if isinstance(path, (str, os.PathLike)):
            STATE.saved[os.path.normpath(os.fspath(path))] = self

    original_summary = Model.summary

    def summary(self: Any, *a: Any, **k: Any) -> None:
        _event("summary", self)
        try:
            original_summary(self, print_fn=lambda *x, **y: None)
        except Exception:  # noqa: BLE001
            pass

    for name, fn in (("fit", fit), ("fit_generator", fit_generator),
                     ("train_on_batch", train_on_batch), ("evaluate", evaluate),
                     ("evaluate_generator", evaluate), ("test_on_batch", evaluate),
                     ("predict", predict), ("predict_generator", predict),
                     ("predict_on_batch", predict), ("save", no_save), ("save_weights", no_save),
                     ("load_weights", lambda self, *a, **k: None), ("summary", summary),
                     ("export", no_save)):
        setattr(Model, name, fn)

    # a model the program saved and loads back from the same path is that model (its
    # architecture and trainable flags are what the file would hold); any other load fails
    original_load = keras.models.load_model

    def load_model(filepath: Any, *a: Any, **k: Any) -> Any:
        if isinstance(filepath, (str, os.PathLike)):
            model = STATE.saved.get(os.path.normpath(os.fspath(filepath)))
            if model is not None:
                return model
        return original_load(filepath, *a, **k)

    for mod in (keras.models, keras.saving, getattr(tf.keras, "models", None)):
        if mod is not None:
            mod.load_model = load_model

    def plot_model(model: Any, *a: Any, **k: Any) -> None:
        _event("save", model)

    for mod in (keras.utils, getattr(tf.keras, "utils", None)):
        if mod is not None:
            mod.plot_model = plot_model
    keras.src.utils.model_visualization.plot_model = plot_model

    # --- gradient tapes: a custom training loop trains the model whose variables it differentiates
    original_gradient = tf.GradientTape.gradient

    def gradient(self: Any, target: Any, sources: Any, *a: Any, **k: Any) -> Any:
        try:
            flat = tf.nest.flatten(sources)
            ids = {id(v) for v in flat}
            # the model trained is the largest whose trainable variables are all differentiated
            # (a model's own submodels are differentiated with it); the later one on a tie
            best = None
            for index in range(len(STATE.models) - 1, -1, -1):
                model = STATE.models[index]
                if not model.built:
                    continue
                mine = {id(v) for v in model.trainable_variables}
                if mine and mine <= ids and (best is None or len(mine) > best[1]):
                    best = (index, len(mine))
            if best is not None:
                model = STATE.models[best[0]]
                STATE.fit_snapshots[best[0]] = snapshot(model)
                # a custom loop trains for real (each step costs): stop it sooner
                STATE.training_calls += TRAINING_CALLS // 10
                _event("fit", model)
        except Exception:  # noqa: BLE001
            pass
        return original_gradient(self, target, sources, *a, **k)


    tf.GradientTape.gradient = gradient

    # --- pretrained weights are not loaded (the same architecture) -----------------------------
    import inspect

    def no_weights(fn: Any) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            if k.get("weights") not in (None,):
                k["weights"] = None
            return fn(*a, **k)

        call.__wrapped__ = fn  # type: ignore[attr-defined]
        return call

    for modname, mod in list(sys.modules.items()):
        if "applications" not in modname or not modname.startswith(("keras", "tensorflow")):
            continue
        for attr, fn in list(vars(mod).items()):
            if callable(fn) and not isinstance(fn, type) and attr[:1].isupper():
                try:
                    params = inspect.signature(fn).parameters
                except (TypeError, ValueError):
                    continue
                if "weights" in params and "include_top" in params:
                    setattr(mod, attr, no_weights(fn))

    # --- keras.datasets: the documented shapes, zero-filled -----------------------------------
    def images(n_train: int, n_test: int, shape: tuple[int, ...], classes: int,
               label_shape: tuple[int, ...] = ()) -> Any:
        def load_data(*a: Any, **k: Any) -> Any:
            def part(n: int) -> Any:
                x = np.zeros((n, *shape), dtype="uint8")
                y = (np.arange(n) % classes).astype("uint8").reshape((n, *label_shape))
                return x, y

            return part(n_train), part(n_test)

        return load_data

    def sequences(n_train: int, n_test: int, classes: int, vocab: int) -> Any:
        def load_data(*a: Any, num_words: Any = None, maxlen: Any = None, **k: Any) -> Any:
            top = int(num_words) if num_words else vocab
            length = 40 if not maxlen else min(40, int(maxlen))

            def part(n: int) -> Any:
                x = np.empty(n, dtype=object)
                for i in range(n):
                    x[i] = [1] + [2 + (i + j) % max(1, top - 2) for j in range(length - 1)]
                return x, (np.arange(n) % classes).astype("int64")

            return part(n_train), part(n_test)

        return load_data

    def word_index(*a: Any, **k: Any) -> dict[str, int]:
        return {f"w{i}": i for i in range(1, 1000)}

    def table(n: int, features: int) -> Any:
        def load_data(*a: Any, **k: Any) -> Any:
            x = np.zeros((n, features), dtype="float64")
            y = np.zeros((n,), dtype="float64")
            cut = int(n * 0.8)
            return (x[:cut], y[:cut]), (x[cut:], y[cut:])

        return load_data

    loaders = {
        "mnist": images(60000, 10000, (28, 28), 10),
        "fashion_mnist": images(60000, 10000, (28, 28), 10),
        "cifar10": images(50000, 10000, (32, 32, 3), 10, (1,)),
        "cifar100": images(50000, 10000, (32, 32, 3), 100, (1,)),
        "imdb": sequences(25000, 25000, 2, 88585),
        "reuters": sequences(8982, 2246, 46, 30980),
        "boston_housing": table(506, 13),
        "california_housing": table(20640, 8),
    }
    for modname, mod in list(sys.modules.items()):
        last = modname.rsplit(".", 1)[-1]
        if ".datasets" in modname and last in loaders and hasattr(mod, "load_data"):
            mod.load_data = loaders[last]
            if hasattr(mod, "get_word_index"):
                mod.get_word_index = word_index

    # --- folders of data that are not in the clone -------------------------------------------
    def missing(directory: Any) -> bool:
        try:
            return not Path(str(directory)).is_dir()
        except Exception:  # noqa: BLE001
            return True

    from keras.src.legacy.preprocessing import image as legacy_image

    class FakeIterator(keras.utils.PyDataset):
        def __init__(self, shape: tuple[int, ...], batch_size: int, class_mode: Any) -> None:
            super().__init__()
            self.image_shape = shape
            self.batch_size = batch_size
            self.class_mode = class_mode
            self.num_classes = 2
            self.class_indices = {"class_a": 0, "class_b": 1}
            self.samples = self.n = 4 * batch_size
            self.classes = np.arange(self.samples) % 2
            self.filenames = [f"class_{'ab'[i % 2]}/{i}.jpg" for i in range(self.samples)]
            self.labels = self.classes

        def __len__(self) -> int:
            return 4

        def __getitem__(self, i: int) -> Any:
            x = np.zeros((self.batch_size, *self.image_shape), dtype="float32")
            if self.class_mode == "categorical":
                y = np.zeros((self.batch_size, 2), dtype="float32")
            elif self.class_mode in (None, "input"):
                return x if self.class_mode is None else (x, x)
            else:
                y = np.zeros((self.batch_size,), dtype="float32")
            return x, y

        def __iter__(self) -> Any:
            while True:
                for i in range(len(self)):
                    yield self[i]

        def __next__(self) -> Any:
            return self[0]

        def reset(self) -> None:
            pass

    original_ffd = legacy_image.ImageDataGenerator.flow_from_directory

    def flow_from_directory(self: Any, directory: Any, target_size: Any = (256, 256),
                            color_mode: str = "rgb", classes: Any = None,
                            class_mode: Any = "categorical", batch_size: int = 32,
                            *a: Any, **k: Any) -> Any:
        if not missing(directory):
            return original_ffd(self, directory, target_size, color_mode, classes, class_mode,
                                batch_size, *a, **k)
        channels = {"grayscale": 1, "rgba": 4}.get(color_mode, 3)
        return FakeIterator((*tuple(target_size), channels), min(int(batch_size), 8), class_mode)

    def flow_from_dataframe(self: Any, dataframe: Any, directory: Any = None, *a: Any,
                            target_size: Any = (256, 256), color_mode: str = "rgb",
                            class_mode: Any = "categorical", batch_size: int = 32,
                            **k: Any) -> Any:
        channels = {"grayscale": 1, "rgba": 4}.get(color_mode, 3)
        return FakeIterator((*tuple(target_size), channels), min(int(batch_size), 8), class_mode)

    legacy_image.ImageDataGenerator.flow_from_directory = flow_from_directory
    legacy_image.ImageDataGenerator.flow_from_dataframe = flow_from_dataframe

    from keras.src.utils import image_dataset_utils, text_dataset_utils

    original_idfd = image_dataset_utils.image_dataset_from_directory

    def image_dataset_from_directory(directory: Any, *a: Any, **k: Any) -> Any:
        if not missing(directory):
            return original_idfd(directory, *a, **k)
        size = tuple(k.get("image_size", (256, 256)))
        channels = {"grayscale": 1, "rgba": 4}.get(k.get("color_mode", "rgb"), 3)
        batch = k.get("batch_size", 32)
        mode = k.get("label_mode", "int")
        x = np.zeros((8, *size, channels), dtype="float32")
        y = np.zeros((8, 2), dtype="float32") if mode == "categorical" else (
            np.arange(8) % 2).astype("int32")
        ds = tf.data.Dataset.from_tensor_slices((x, y) if mode is not None else x)
        if batch is not None:
            ds = ds.batch(min(int(batch), 8))
        ds.class_names = ["class_a", "class_b"]
        if k.get("subset") == "both":
            other = ds.take(1)
            other.class_names = ds.class_names
            return ds, other
        return ds

    def text_dataset_from_directory(directory: Any, *a: Any, **k: Any) -> Any:
        if not missing(directory):
            return text_dataset_utils.text_dataset_from_directory(directory, *a, **k)
        batch = k.get("batch_size", 32)
        x = tf.constant(["a fake text sample"] * 8)
        y = (np.arange(8) % 2).astype("int32")
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        if batch is not None:
            ds = ds.batch(min(int(batch), 8))
        ds.class_names = ["class_a", "class_b"]
        if k.get("subset") == "both":
            other = ds.take(1)
            other.class_names = ds.class_names
            return ds, other
        return ds

    for modname, mod in list(sys.modules.items()):
        if not modname.startswith(("keras", "tensorflow")):
            continue
        if getattr(mod, "image_dataset_from_directory", None) is original_idfd:
            mod.image_dataset_from_directory = image_dataset_from_directory
        if hasattr(mod, "text_dataset_from_directory") and modname.startswith("keras"):
            mod.text_dataset_from_directory = text_dataset_from_directory

    # --- downloads ------------------------------------------------------------------------------
    def no_download(*a: Any, **k: Any) -> Any:
        raise OSError("oracle: downloads are stubbed")

    urllib.request.urlretrieve = no_download
    urllib.request.urlopen = no_download
    socket.socket.connect = no_download  # type: ignore[method-assign]
    socket.create_connection = no_download
    for modname, mod in list(sys.modules.items()):
        if modname.startswith(("keras", "tensorflow")) and hasattr(mod, "get_file"):
            mod.get_file = no_download
    try:
        import requests

        requests.get = requests.post = requests.request = no_download
        requests.Session.request = no_download
    except ImportError:
        pass
    sys.modules["wget"] = types.SimpleNamespace(download=no_download)  # type: ignore[assignment]

    # --- file writes go nowhere ----------------------------------------------------------------
    original_open = builtins.open

    def guarded_open(file: Any, mode: str = "r", *a: Any, **k: Any) -> Any:
        if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+"):
            name = os.path.basename(os.fsdecode(file)) or "file"
            file = os.path.join(tmp, name)
        return original_open(file, mode, *a, **k)

    builtins.open = guarded_open
    io.open = guarded_open

    def nothing(*a: Any, **k: Any) -> None:
        return None

    for mod, names in ((os, ("makedirs", "mkdir", "remove", "unlink", "rename", "replace",
                              "rmdir", "removedirs", "symlink", "chmod", "system")),
                       (shutil, ("copy", "copyfile", "copy2", "copytree", "move", "rmtree",
                                 "make_archive", "unpack_archive")),
                       (np, ("save", "savez", "savez_compressed", "savetxt"))):
        for n in names:
            setattr(mod, n, nothing)
    try:
        import pandas as pd

        for n in ("to_csv", "to_excel", "to_pickle", "to_json", "to_parquet"):
            setattr(pd.DataFrame, n, nothing)
            setattr(pd.Series, n, nothing)
    except ImportError:
        pass
    tf.saved_model.save = nothing
    import subprocess

    subprocess.run = subprocess.call = subprocess.check_call = subprocess.check_output = nothing
    subprocess.Popen = no_download  # type: ignore[misc,assignment]

    # --- plotting, input, sleep ----------------------------------------------------------------
    import matplotlib.pyplot as plt

    plt.show = nothing
    plt.savefig = nothing
    import matplotlib.figure

    matplotlib.figure.Figure.savefig = nothing
    # a plot of stubbed predictions or histories (shapes that need not match) draws nothing
    import matplotlib.axes

    def quiet(fn: Any) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            try:
                return fn(*a, **k)
            except Exception:  # noqa: BLE001
                return None

        return call

    for name in ("plot", "scatter", "imshow", "hist", "bar", "fill_between", "errorbar",
                 "semilogy", "semilogx", "loglog", "matshow", "contour", "contourf", "pie",
                 "barh", "stem", "step", "axvline", "axhline", "text", "legend"):
        if hasattr(plt, name):
            setattr(plt, name, quiet(getattr(plt, name)))
        if hasattr(matplotlib.axes.Axes, name):
            setattr(matplotlib.axes.Axes, name, quiet(getattr(matplotlib.axes.Axes, name)))
    builtins.input = lambda *a, **k: ""  # type: ignore[assignment]
    builtins.display = nothing  # type: ignore[attr-defined]

    class Shell:
        def __getattr__(self, name: str) -> Any:
            return nothing

    builtins.get_ipython = lambda: Shell()  # type: ignore[attr-defined]
    time.sleep = nothing

    # callbacks never run here: a Keras 2 checkpoint path (weights.h5) must not stop the program
    checkpoint = keras.callbacks.ModelCheckpoint
    original_checkpoint_init = checkpoint.__init__

    def checkpoint_init(self: Any, filepath: Any = "model.keras", *a: Any, **k: Any) -> None:
        self._program_filepath = filepath  # the model fitted with it is saved there
        for gone in ("period", "load_weights_on_restart"):
            k.pop(gone, None)
        name = str(filepath)
        if k.get("save_weights_only"):
            name = name if name.endswith(".weights.h5") else "model.weights.h5"
        elif not name.endswith(".keras"):
            name = "model.keras"
        original_checkpoint_init(self, os.path.join(tmp, os.path.basename(name)), *a, **k)

    checkpoint.__init__ = checkpoint_init
    original_to_categorical = keras.utils.to_categorical

    def to_categorical(y: Any, num_classes: Any = None, dtype: Any = None, **k: Any) -> Any:
        out = original_to_categorical(y, num_classes)
        return out.astype(dtype) if dtype else out

    for mod in (keras.utils, getattr(tf.keras, "utils", None)):
        if mod is not None:
            mod.to_categorical = to_categorical

    # NumPy 1's aliases NumPy 2 removed (data code: np.int, np.float, ...)
    for alias, value in (("int", int), ("float", float), ("bool", bool), ("object", object),
                         ("str", str), ("complex", complex)):
        if alias not in np.__dict__:
            setattr(np, alias, value)
    for alias, value in (("in1d", np.isin), ("product", np.prod), ("cumproduct", np.cumprod),
                         ("alltrue", np.all), ("sometrue", np.any), ("float_", np.float64),
                         ("NaN", np.nan), ("Inf", np.inf)):
        if alias not in np.__dict__:
            setattr(np, alias, value)

    # --- Keras 2 spellings Keras 3 dropped (module paths, lr=, Tokenizer) ----------------------
    install_shims(source)


#: spellings only Keras 1 or 2 accepted: with standalone `keras`, the program is of that era
LEGACY = re.compile(r"Convolution[123]D|border_mode|nb_epoch|subsample|output_dim\s*=|"
                    r"image_dim_ordering|keras\.layers\.(core|convolutional|recurrent|pooling|"
                    r"normalization|embeddings|merge)\b|\binit\s*=\s*['\"]|W_regularizer|"
                    r"nb_filter|np_utils|dropout_W|samples_per_epoch|from keras\.engine|"
                    r"predict_classes")
STANDALONE = re.compile(r"^\s*(from keras\b|import keras\b)", re.M)

RENAMES = {
    "init": "kernel_initializer", "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer", "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint", "bias": "use_bias", "border_mode": "padding",
    "subsample": "strides", "subsample_length": "strides", "nb_filter": "filters",
    "filter_length": "kernel_size", "pool_length": "pool_size", "stride": "strides",
    "atrous_rate": "dilation_rate", "dropout_W": "dropout", "dropout_U": "recurrent_dropout",
    "inner_init": "recurrent_initializer", "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer", "U_constraint": "recurrent_constraint",
    "beta_init": "beta_initializer", "gamma_init": "gamma_initializer",
    "sigma": "stddev", "p": "rate",
}
DROPPED = ("consume_less", "mode", "dim_ordering_default", "weights_init")


def legacy_layers(positional: bool) -> None:  # noqa: C901
    """Keras 2's legacy interfaces: the Keras 1 argument names it converted, as it converted them."""
    import keras

    def convert(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        name = cls.__name__
        for old, new in RENAMES.items():
            if old in kwargs and new not in kwargs:
                if old == "p" and name not in ("Dropout", "SpatialDropout1D", "SpatialDropout2D",
                                               "SpatialDropout3D", "AlphaDropout"):
                    continue
                value = kwargs.pop(old)
                if old == "bias":
                    value = bool(value)
                kwargs[new] = value
        if "output_dim" in kwargs and name != "Embedding":
            kwargs["units"] = kwargs.pop("output_dim")
        for gone in DROPPED:
            kwargs.pop(gone, None)
        if "dim_ordering" in kwargs:
            order = kwargs.pop("dim_ordering")
            if order in ("th", "tf"):
                kwargs["data_format"] = "channels_first" if order == "th" else "channels_last"
        if "nb_row" in kwargs and "nb_col" in kwargs:
            kwargs["kernel_size"] = (kwargs.pop("nb_row"), kwargs.pop("nb_col"))
        if name == "Embedding" and kwargs.get("input_length") and "input_shape" not in kwargs:
            length = kwargs.pop("input_length")
            if isinstance(length, int):
                kwargs["input_shape"] = (length,)
        if name in ("AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
                    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D") and not args and (
                "pool_size" not in kwargs):
            kwargs["pool_size"] = {"1": 2, "2": (2, 2), "3": (2, 2, 2)}[name[-2]]
        if positional and "Conv" in name and name[-2] in "23" and len(args) >= 3 and all(
                isinstance(a, int) for a in args[1:]):
            dims = int(name[-2])
            if len(args) == dims + 1:  # filters, then one int per kernel dimension
                args = (args[0], tuple(args[1:]))
        return args

    for attr in dir(keras.layers):
        cls = getattr(keras.layers, attr)
        if not isinstance(cls, type) or not issubclass(cls, keras.layers.Layer):
            continue
        if "__init__" not in vars(cls):
            continue
        init = vars(cls)["__init__"]

        def legacy_init(self: Any, *a: Any, __init: Any = init, __cls: type = cls, **k: Any) -> None:
            batch_shape = k.pop("batch_input_shape", None)
            if type(self) is __cls or type(self).__module__.startswith("keras"):
                a = convert(__cls, a, k)
            __init(self, *a, **k)
            if batch_shape is not None:  # Keras 2: the first layer's input, batch size included
                self._input_shape_arg = None
                self._oracle_batch_shape = tuple(batch_shape)

        cls.__init__ = legacy_init

    for cls in (keras.src.models.functional.Functional, keras.src.models.model.Model):
        init = vars(cls)["__init__"]

        def model_init(self: Any, *a: Any, __init: Any = init, **k: Any) -> None:
            if "input" in k and "inputs" not in k:
                k["inputs"] = k.pop("input")
            if "output" in k and "outputs" not in k:
                k["outputs"] = k.pop("output")
            __init(self, *a, **k)

        cls.__init__ = model_init
    sequential = keras.src.models.sequential.Sequential
    original_add = sequential.add

    def add(self: Any, layer: Any, *a: Any, **k: Any) -> Any:
        batch_shape = getattr(layer, "_oracle_batch_shape", None)
        if batch_shape is not None and not self._layers:
            original_add(self, keras.layers.InputLayer(batch_shape=batch_shape))
        return original_add(self, layer, *a, **k)

    sequential.add = add
    original_new = keras.src.models.model.Model.__new__

    def model_new(cls: Any, *a: Any, **k: Any) -> Any:
        if "input" in k and "inputs" not in k:
            k["inputs"] = k.pop("input")
        if "output" in k and "outputs" not in k:
            k["outputs"] = k.pop("output")
        return original_new(cls, *a, **k)

    keras.src.models.model.Model.__new__ = model_new


def install_shims(source: str = "") -> None:  # noqa: C901, PLR0915
    import types

    import keras
    import numpy as np
    import tensorflow as tf

    layers_alias = ("core", "convolutional", "recurrent", "pooling", "normalization",
                    "embeddings", "merge", "advanced_activations", "wrappers", "noise", "local",
                    "convolutional_recurrent", "cudnn_recurrent", "dense_attention",
                    "normalization_v2", "preprocessing")
    for sub in layers_alias:
        for prefix in ("keras.layers.", "tensorflow.keras.layers."):
            sys.modules.setdefault(prefix + sub, keras.layers)  # type: ignore[arg-type]

    np_utils = types.ModuleType("keras.utils.np_utils")
    np_utils.to_categorical = keras.utils.to_categorical  # type: ignore[attr-defined]
    np_utils.normalize = keras.utils.normalize  # type: ignore[attr-defined]
    for name in ("keras.utils.np_utils", "tensorflow.keras.utils.np_utils"):
        sys.modules.setdefault(name, np_utils)
    vis = types.ModuleType("keras.utils.vis_utils")
    vis.plot_model = keras.utils.plot_model  # type: ignore[attr-defined]
    class Dot:  # a graph that draws nothing (SVG(model_to_dot(model).create(...)))
        def __getattr__(self, name: str) -> Any:
            return lambda *a, **k: b""

    vis.model_to_dot = lambda *a, **k: Dot()  # type: ignore[attr-defined]
    sys.modules.setdefault("keras.utils.vis_utils", vis)
    keras.utils.np_utils = np_utils  # type: ignore[attr-defined]
    keras.utils.vis_utils = vis  # type: ignore[attr-defined]
    engine = types.ModuleType("keras.engine")
    engine.Layer = keras.layers.Layer  # type: ignore[attr-defined]
    engine.InputSpec = keras.layers.InputSpec  # type: ignore[attr-defined]
    engine.Model = keras.Model  # type: ignore[attr-defined]
    engine.Input = keras.Input  # type: ignore[attr-defined]
    engine.get_source_inputs = keras.utils.get_source_inputs  # type: ignore[attr-defined]
    from keras.src.layers.merging.base_merge import Merge

    if not hasattr(keras.layers, "_Merge"):
        keras.layers._Merge = Merge  # type: ignore[attr-defined]
    for name in ("keras.engine", "keras.engine.topology", "keras.engine.base_layer",
                 "keras.engine.training", "keras.engine.input_layer"):
        sys.modules.setdefault(name, engine)
    keras.engine = engine  # type: ignore[attr-defined]

    legacy_layers(bool(STANDALONE.search(source) and LEGACY.search(source)))

    # keras.preprocessing.image: Keras 3 keeps its Keras 2 classes only under keras.src.legacy
    from keras.src.legacy.preprocessing import image as legacy_image
    from keras.src.legacy.preprocessing import sequence as legacy_sequence

    for mod in (keras.preprocessing.image, getattr(tf.keras.preprocessing, "image", None)):
        if mod is None:
            continue
        for n in ("ImageDataGenerator", "DirectoryIterator", "NumpyArrayIterator", "Iterator"):
            if not hasattr(mod, n) and hasattr(legacy_image, n):
                setattr(mod, n, getattr(legacy_image, n))
    for n in ("TimeseriesGenerator",):
        if not hasattr(keras.preprocessing.sequence, n) and hasattr(legacy_sequence, n):
            setattr(keras.preprocessing.sequence, n, getattr(legacy_sequence, n))
    layer_utils = types.ModuleType("keras.utils.layer_utils")
    layer_utils.print_summary = lambda model, *a, **k: None  # type: ignore[attr-defined]
    layer_utils.count_params = lambda weights: sum(  # type: ignore[attr-defined]
        int(np.prod(w.shape)) for w in weights)
    layer_utils.convert_all_kernels_in_model = lambda model: None  # type: ignore[attr-defined]
    sys.modules.setdefault("keras.utils.layer_utils", layer_utils)
    keras.utils.layer_utils = layer_utils  # type: ignore[attr-defined]
    data_utils = types.ModuleType("keras.utils.data_utils")
    data_utils.get_file = keras.utils.get_file  # type: ignore[attr-defined]
    data_utils.Sequence = keras.utils.Sequence  # type: ignore[attr-defined]
    sys.modules.setdefault("keras.utils.data_utils", data_utils)
    if "IPython" not in sys.modules:
        ipython = types.ModuleType("IPython")
        ipython.__path__ = []  # type: ignore[attr-defined]
        display_mod = types.ModuleType("IPython.display")
        for n in ("display", "SVG", "Image", "HTML", "Markdown", "clear_output", "Audio",
                  "IFrame", "Javascript", "Video"):
            setattr(display_mod, n, lambda *a, **k: None)
        ipython.display = display_mod  # type: ignore[attr-defined]
        ipython.get_ipython = lambda: None  # type: ignore[attr-defined]
        ipython.version_info = (8, 0, 0, "")  # type: ignore[attr-defined]
        ipython.__version__ = "8.0.0"  # type: ignore[attr-defined]
        sys.modules["IPython"] = ipython
        sys.modules["IPython.display"] = display_mod

    for name in ("pydot", "graphviz", "pydotplus"):
        if name not in sys.modules:
            try:
                __import__(name)
            except ImportError:
                stub = types.ModuleType(name)
                stub.__getattr__ = lambda attr: (lambda *a, **k: None)  # type: ignore[attr-defined]
                sys.modules[name] = stub

    # a library that is not installed: a stand-in module whose every value refuses to be a
    # size (no len, int or index), so nothing it gives can become a layer's size silently
    class StandIn(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            return Anything()

    class Missing:
        def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
            import importlib.machinery

            top = name.split(".")[0]
            if top in ("keras", "tensorflow", "tf_keras", "numpy", "pandas", "sklearn",
                       "scipy", "matplotlib", "torch", "jax") or name in sys.modules:
                return None
            if Path(top + ".py").exists() or Path(top).is_dir():
                return None  # the program's own module: let its own error show
            # only the program's own imports: a library probing for an optional module
            # (zstandard, ...) must get its ImportError
            frame = sys._getframe(1)
            while frame is not None and "importlib" in frame.f_code.co_filename:
                frame = frame.f_back
            if frame is None or not frame.f_code.co_filename.startswith(STATE.program_dir):
                return None
            return importlib.machinery.ModuleSpec(name, self, is_package=True)

        def create_module(self, spec: Any) -> Any:
            module = StandIn(spec.name)
            module.__path__ = []
            return module

        def exec_module(self, module: Any) -> None:
            pass

    sys.meta_path.append(Missing())

    # Keras 2 names Keras 3 dropped, which change no model: set_learning_phase, objectives,
    # Layer.output_shape, Iterator.next
    if not hasattr(keras.backend, "set_learning_phase"):
        keras.backend.set_learning_phase = lambda value: None  # type: ignore[attr-defined]
        keras.backend.learning_phase = lambda: 0  # type: ignore[attr-defined]
    keras.objectives = keras.losses  # type: ignore[attr-defined]
    sys.modules.setdefault("keras.objectives", keras.losses)  # type: ignore[arg-type]
    layer_cls = keras.src.layers.layer.Layer
    if not hasattr(layer_cls, "output_shape"):
        def output_shape(self: Any) -> Any:
            out = shapes_of(self.output)
            if out and isinstance(out[0], list):
                return [tuple(o) for o in out]
            return tuple(out) if out is not None else None

        layer_cls.output_shape = property(output_shape)  # type: ignore[attr-defined]
    if not hasattr(legacy_image.Iterator, "next"):
        legacy_image.Iterator.next = legacy_image.Iterator.__next__  # type: ignore[attr-defined]

    # Keras 2 backend functions (K.square, K.mean, K.exp...) that Keras 3 keeps in keras.ops
    # (the same shapes), and K.random_normal; TF 1's seed setters
    for name in dir(keras.ops):
        if not name.startswith("_") and not hasattr(keras.backend, name):
            setattr(keras.backend, name, getattr(keras.ops, name))
    if not hasattr(keras.backend, "int_shape"):
        keras.backend.int_shape = lambda x: tuple(x.shape)  # type: ignore[attr-defined]
    for name in ("mean_absolute_error", "mean_squared_error", "binary_crossentropy",
                 "categorical_crossentropy", "sparse_categorical_crossentropy",
                 "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "hinge"):
        for mod in (keras.metrics, getattr(tf.keras, "metrics", None)):
            if mod is not None and not hasattr(mod, name) and hasattr(keras.losses, name):
                setattr(mod, name, getattr(keras.losses, name))
    metric_cls = keras.metrics.Metric
    if not hasattr(metric_cls, "reset_states"):
        metric_cls.reset_states = lambda self: self.reset_state()  # type: ignore[attr-defined]
    if not hasattr(keras.Model, "reset_states"):  # Keras 2: every stateful layer's states
        def reset_states(self: Any) -> None:
            for layer in self.layers:
                if hasattr(layer, "reset_states") and getattr(layer, "stateful", False):
                    layer.reset_states()

        keras.Model.reset_states = reset_states  # type: ignore[attr-defined]
    if not hasattr(keras.Model, "to_yaml"):
        keras.Model.to_yaml = lambda self, **k: ""  # type: ignore[attr-defined]
    if not hasattr(keras.backend, "random_normal"):
        keras.backend.random_normal = keras.random.normal  # type: ignore[attr-defined]
        keras.backend.random_uniform = keras.random.uniform  # type: ignore[attr-defined]
    # TF 1 names around a Keras model that change no model: eager mode is on, its optimizers
    if not hasattr(tf, "enable_eager_execution"):
        tf.enable_eager_execution = lambda *a, **k: None  # type: ignore[attr-defined]
    for old_name, new_cls in (("AdamOptimizer", "Adam"), ("GradientDescentOptimizer", "SGD"),
                              ("RMSPropOptimizer", "RMSprop"), ("AdagradOptimizer", "Adagrad")):
        if not hasattr(tf.train, old_name):
            setattr(tf.train, old_name, getattr(keras.optimizers, new_cls))
    # Keras 2's lower-case constraint aliases; time.clock (Python 2)
    for alias, cls_name in (("maxnorm", "MaxNorm"), ("nonneg", "NonNeg"), ("unitnorm", "UnitNorm"),
                            ("min_max_norm", "MinMaxNorm"), ("max_norm", "MaxNorm")):
        if not hasattr(keras.constraints, alias):
            setattr(keras.constraints, alias, getattr(keras.constraints, cls_name))
    import time as _time

    if not hasattr(_time, "clock"):
        _time.clock = _time.perf_counter  # type: ignore[attr-defined]
    if not hasattr(tf, "set_random_seed"):
        tf.set_random_seed = tf.random.set_seed  # type: ignore[attr-defined]
        tf.random.set_random_seed = tf.random.set_seed  # type: ignore[attr-defined]

    # Keras 1/2 backend names for the image data format (Keras 2 mapped them so)
    backend = keras.backend
    if not hasattr(backend, "image_dim_ordering"):
        backend.image_dim_ordering = lambda: (  # type: ignore[attr-defined]
            "th" if backend.image_data_format() == "channels_first" else "tf")
        backend.set_image_dim_ordering = lambda v: backend.set_image_data_format(  # type: ignore[attr-defined]
            "channels_first" if v == "th" else "channels_last")

    # keras.wrappers.scikit_learn (Keras 2): an estimator whose fit builds the model with
    # build_fn(**the parameters build_fn names) and fits it, as Keras 2's wrapper did
    import inspect as _inspect

    try:
        from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    except ImportError:  # pragma: no cover
        BaseEstimator = ClassifierMixin = RegressorMixin = object  # type: ignore[assignment,misc]

    class SkWrapper(BaseEstimator):  # type: ignore[misc]
        def __init__(self, build_fn: Any = None, **sk_params: Any) -> None:
            self.build_fn = build_fn
            self.sk_params = sk_params

        def get_params(self, deep: bool = True) -> dict[str, Any]:
            return {"build_fn": self.build_fn, **self.sk_params}

        def set_params(self, **params: Any) -> Any:
            if "build_fn" in params:
                self.build_fn = params.pop("build_fn")
            self.sk_params.update(params)
            return self

        def fit(self, x: Any, y: Any = None, **kwargs: Any) -> Any:
            fn = self.build_fn
            if fn is None:
                fn = self.__call__  # type: ignore[attr-defined]
            elif not (_inspect.isfunction(fn) or _inspect.ismethod(fn)):
                fn = fn.__call__
            names = _inspect.signature(fn).parameters
            self.model = fn(**{n: v for n, v in self.sk_params.items() if n in names})
            fit_names = ("epochs", "batch_size", "verbose", "nb_epoch", "validation_split")
            fit_args = {n: v for n, v in self.sk_params.items() if n in fit_names}
            fit_args.update(kwargs)
            self.model.fit(x, y, **fit_args)
            return self

        def predict(self, x: Any, **k: Any) -> Any:
            return self.model.predict(x)

        def score(self, x: Any, y: Any = None, **k: Any) -> float:
            return 0.0

    class KerasClassifier(ClassifierMixin, SkWrapper):  # type: ignore[misc]
        score = SkWrapper.score

    class KerasRegressor(RegressorMixin, SkWrapper):  # type: ignore[misc]
        score = SkWrapper.score

    wrappers = types.ModuleType("keras.wrappers")
    wrappers.__path__ = []  # type: ignore[attr-defined]
    sk = types.ModuleType("keras.wrappers.scikit_learn")
    sk.KerasClassifier = KerasClassifier  # type: ignore[attr-defined]
    sk.KerasRegressor = KerasRegressor  # type: ignore[attr-defined]
    wrappers.scikit_learn = sk  # type: ignore[attr-defined]
    for prefix in ("keras", "tensorflow.keras"):
        sys.modules.setdefault(prefix + ".wrappers", wrappers)
        sys.modules.setdefault(prefix + ".wrappers.scikit_learn", sk)
    keras.wrappers = wrappers  # type: ignore[attr-defined]

    # experiment trackers: configuration in, nothing out
    class Config(dict):
        def __getattr__(self, name: str) -> Any:
            try:
                return self[name]
            except KeyError:
                raise AttributeError(name) from None

        def __setattr__(self, name: str, value: Any) -> None:
            self[name] = value

        def update(self, *a: Any, **k: Any) -> None:  # type: ignore[override]
            for d in a:
                dict.update(self, dict(d) if not hasattr(d, "__dict__") else vars(d))
            dict.update(self, k)

        def setdefaults(self, d: Any) -> None:
            for key, value in dict(d).items():
                self.setdefault(key, value)

    class Anything:
        def __init__(self, *a: Any, **k: Any) -> None:
            pass

        def __call__(self, *a: Any, **k: Any) -> Any:
            return Anything()

        def __getattr__(self, name: str) -> Any:
            return Anything()

    wandb = types.ModuleType("wandb")
    wandb.config = Config()  # type: ignore[attr-defined]

    def wandb_init(*a: Any, config: Any = None, **k: Any) -> Any:
        if config:
            wandb.config.update(config if isinstance(config, dict) else vars(config))  # type: ignore[attr-defined]
        run = Anything()
        return run

    wandb.init = wandb_init  # type: ignore[attr-defined]
    wandb.__path__ = []  # type: ignore[attr-defined]
    wandb.__getattr__ = lambda name: Anything()  # type: ignore[attr-defined]
    for n in ("log", "save", "finish", "watch", "Image", "Histogram", "Table", "Audio", "Video",
              "plot", "run", "login", "summary", "sklearn"):
        setattr(wandb, n, Anything())
    wk = types.ModuleType("wandb.keras")
    wk.WandbCallback = lambda *a, **k: keras.callbacks.Callback()  # type: ignore[attr-defined]
    wandb.keras = wk  # type: ignore[attr-defined]
    sys.modules.setdefault("wandb", wandb)
    sys.modules.setdefault("wandb.keras", wk)
    sys.modules.setdefault("wandb.wandb_keras", wk)
    wi = types.ModuleType("wandb.integration.keras")
    for n in ("WandbMetricsLogger", "WandbModelCheckpoint", "WandbEvalCallback"):
        setattr(wk, n, wk.WandbCallback)
    wi.WandbCallback = wk.WandbCallback  # type: ignore[attr-defined]
    wi.WandbMetricsLogger = wk.WandbCallback  # type: ignore[attr-defined]
    wi.WandbModelCheckpoint = wk.WandbCallback  # type: ignore[attr-defined]
    sys.modules.setdefault("wandb.integration", types.ModuleType("wandb.integration"))
    sys.modules.setdefault("wandb.integration.keras", wi)

    # optimizers: lr= is learning_rate=; decay= is gone (neither changes a model's shape)
    import keras.src.optimizers.optimizer as base_opt

    base_cls = base_opt.Optimizer
    original_init = base_cls.__init__

    def opt_init(self: Any, *a: Any, **k: Any) -> None:
        if "lr" in k:
            k["learning_rate"] = k.pop("lr")
        for gone in ("decay", "epsilon_decay", "schedule_decay"):
            k.pop(gone, None)
        original_init(self, *a, **k)

    base_cls.__init__ = opt_init
    for name in dir(keras.optimizers):
        cls = getattr(keras.optimizers, name)
        if isinstance(cls, type) and issubclass(cls, base_cls) and cls is not base_cls:
            init = cls.__init__

            def sub_init(self: Any, *a: Any, __init: Any = init, **k: Any) -> None:
                if "lr" in k:
                    k["learning_rate"] = k.pop("lr")
                for gone in ("decay", "schedule_decay"):
                    k.pop(gone, None)
                __init(self, *a, **k)

            cls.__init__ = sub_init
            setattr(keras.optimizers, name.lower(), cls) if not hasattr(
                keras.optimizers, name.lower()) else None

    # keras.preprocessing.text: a small Tokenizer (data-derived sizes: the vocabulary)
    text = types.ModuleType("keras.preprocessing.text")

    class Tokenizer:
        def __init__(self, num_words: Any = None, oov_token: Any = None, **k: Any) -> None:
            self.num_words = num_words
            self.oov_token = oov_token
            self.word_index: dict[str, int] = {}
            self.word_counts: dict[str, int] = {}
            self.index_word: dict[int, str] = {}
            self.document_count = 0

        def _words(self, t: Any) -> list[str]:
            if isinstance(t, (list, tuple)):
                return [str(w) for w in t]
            return keras.preprocessing.text.text_to_word_sequence(str(t)) if hasattr(
                keras.preprocessing, "text") else str(t).lower().split()

        def fit_on_texts(self, texts: Any) -> None:
            for t in texts:
                self.document_count += 1
                for w in str(t).lower().split() if not isinstance(t, (list, tuple)) else t:
                    w = "".join(ch for ch in str(w) if ch.isalnum() or ch == "'")
                    if w:
                        self.word_counts[w] = self.word_counts.get(w, 0) + 1
            order = sorted(self.word_counts, key=lambda w: -self.word_counts[w])
            if self.oov_token is not None:
                order = [self.oov_token, *order]
            self.word_index = {w: i + 1 for i, w in enumerate(order)}
            self.index_word = {i: w for w, i in self.word_index.items()}

        def texts_to_sequences(self, texts: Any) -> list[list[int]]:
            out = []
            for t in texts:
                seq = []
                for w in str(t).lower().split() if not isinstance(t, (list, tuple)) else t:
                    w = "".join(ch for ch in str(w) if ch.isalnum() or ch == "'")
                    i = self.word_index.get(w)
                    if i is None and self.oov_token is not None:
                        i = self.word_index[self.oov_token]
                    if i is not None and (not self.num_words or i < self.num_words):
                        seq.append(i)
                out.append(seq)
            return out

        def texts_to_matrix(self, texts: Any, mode: str = "binary") -> Any:
            n = self.num_words or len(self.word_index) + 1
            m = np.zeros((len(texts), n))
            for r, seq in enumerate(self.texts_to_sequences(texts)):
                for i in seq:
                    m[r, i] = 1
            return m

        def sequences_to_matrix(self, seqs: Any, mode: str = "binary") -> Any:
            n = self.num_words or len(self.word_index) + 1
            m = np.zeros((len(seqs), n))
            for r, seq in enumerate(seqs):
                for i in seq:
                    if i < n:
                        m[r, i] = 1
            return m

    text.Tokenizer = Tokenizer  # type: ignore[attr-defined]
    text.text_to_word_sequence = lambda t, *a, **k: str(t).lower().split()  # type: ignore[attr-defined]
    text.one_hot = lambda t, n, *a, **k: [hash(w) % (n - 1) + 1 for w in str(t).split()]  # type: ignore[attr-defined]
    for name in ("keras.preprocessing.text", "tensorflow.keras.preprocessing.text"):
        sys.modules.setdefault(name, text)
    keras.preprocessing.text = text  # type: ignore[attr-defined]
    import tensorflow as tf

    try:
        tf.keras.preprocessing.text = text
    except Exception:  # noqa: BLE001
        pass


# --- in the child: run and record -------------------------------------------------------------


def loop_end(events: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The events up to the end of the last whole round of a training loop stopped midway.

    The loop's training calls repeat with a period (discriminator, then the combined model)
    from the loop's first call on; the program's last training call is the last one of a
    round, not wherever it was stopped.
    """
    fits = [i for i, (ev, _) in enumerate(events) if ev == "fit"]
    seq = [events[i][1] for i in fits]
    # a round may hold an inner loop (five critic steps, each training the critic twice, then
    # the combined model: a period of 11), so every period that repeats three times is tried
    for period in range(1, len(seq) // 3 + 1):
        start = len(seq) - period
        while start > 0 and seq[start - 1] == seq[start - 1 + period]:
            start -= 1
        if len(seq) - start >= max(3 * period, len(seq) // 2):
            rounds = (len(seq) - start) // period
            return events[: fits[start + rounds * period - 1] + 1]
    return events


def choose(events: list[tuple[str, int]], models: list[dict[str, Any]]) -> tuple[int | None, str]:
    for kind, why in (("fit", "trained last"), (None, "saved or summarised last")):
        for ev, index in reversed(events):
            if (ev == kind) if kind else ev in ("save", "summary"):
                return index, why
    for index in range(len(models) - 1, -1, -1):
        if models[index].get("built", True):
            return index, "built last"
    return None, "no model built"


def child(path: Path, source: str, result: Path) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 50))
    try:
        vm = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (vm + MEMORY_EXTRA, vm + MEMORY_EXTRA))
    except (OSError, ValueError, IndexError):
        pass

    def on_xcpu(*_: Any) -> None:
        raise Stopped("CPU time limit")

    signal.signal(signal.SIGXCPU, on_xcpu)
    out: dict[str, Any] = {"status": "ran"}
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:
            pass
        STATE.program_dir = str(path.parent)
        install_stubs(str(path.parent), source)
        os.chdir(path.parent)
        sys.argv = [str(path)]
        sys.path.insert(0, str(path.parent))
        code = compile(source, str(path), "exec")
        scope = {"__name__": "__main__", "__file__": str(path), "__builtins__": builtins}
        cells = source.split("\n" + CELL_MARK + "\n")
        if len(cells) == 1:
            exec(code, scope)  # noqa: S102  (benchmark tooling: the oracle runs the program)
        else:
            offset = 0
            for cell in cells:
                cell_code = compile("\n" * offset + cell, str(path), "exec")
                offset += cell.count("\n") + 2
                try:
                    exec(cell_code, scope)  # noqa: S102
                except LoopStopped:  # this cell's training loop is over; the next cells run
                    STATE.events = loop_end(STATE.events)
                    STATE.training_calls = 0
                    out["loops"] = out.get("loops", 0) + 1
    except SystemExit as e:
        if e.code not in (None, 0):
            out = {"status": "error", "error": f"SystemExit({e.code!r})"}
    except Stopped:
        out = {"status": "timeout", "error": f"over {CPU_SECONDS} s of CPU"}
    except LoopStopped:
        out = {"status": "loop", "error": f"stopped after {TRAINING_CALLS} training calls"}
    except BaseException as e:  # noqa: BLE001
        tb = traceback.extract_tb(e.__traceback__)
        line = next((f.lineno for f in reversed(tb) if f.filename == str(path)), None)
        out = {"status": "error", "error": f"{type(e).__name__}: {e}"[:400], "line": line}
    try:
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS + 40, CPU_SECONDS + 50))
        # a Sequential keeps a Functional of its own: not a model the program built
        inner = {id(getattr(m, "_functional", None)) for m in STATE.models}
        keep = [i for i, m in enumerate(STATE.models) if id(m) not in inner]
        renumber = {old: new for new, old in enumerate(keep)}
        models = [STATE.fit_snapshots.get(i) or snapshot(STATE.models[i]) for i in keep]
        events = [(ev, renumber[i]) for ev, i in STATE.events if i in renumber]
        if out.get("status") == "loop":
            events = loop_end(events)
        index, why = choose(events, models)
        out.update({"models": models, "events": events, "chosen": index, "why": why})
    except BaseException as e:  # noqa: BLE001
        out = {"status": "error", "error": f"recording: {type(e).__name__}: {e}"[:400]}
    with REAL_OPEN(result, "w", encoding="utf-8") as f:
        json.dump(out, f)


def run_one(path: Path, source: str, result: Path) -> dict[str, Any]:
    if result.exists():
        result.unlink()
    start = time.time()
    pid = os.fork()
    if pid == 0:
        try:
            child(path, source, result)
        finally:
            os._exit(0)
    status = None
    while time.time() - start < WALL_SECONDS:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.2)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return {"status": "timeout", "error": f"over {WALL_SECONDS} s of wall time"}
    if result.exists():
        try:
            return json.loads(result.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass
    return {"status": "crash", "error": f"child ended with status {status}"}


# --- the manifest -------------------------------------------------------------------------------


def verdict(rec: dict[str, Any]) -> str:
    """oracle: the program ran (or ended in an error after training a model); else no oracle."""
    if rec.get("chosen") is None:
        return "none"
    chosen = rec["models"][rec["chosen"]]
    if "total" not in chosen:
        return "none"  # the model it trains was never built (its call failed): no numbers
    if not chosen["total"] and not chosen.get("outputs") and not any(
            layer[2] for layer in chosen.get("layers") or []):
        return "none"  # marked built by build() although its call failed: no shapes, no weights
    if rec["status"] == "ran":
        return "ran"
    fitted = any(ev == "fit" for ev, _ in rec.get("events", []))
    if rec["status"] == "loop":
        return "ran"  # every model was built before the training loop began
    return "partial" if fitted else "none"


def drop_sequential_internals(rec: dict[str, Any]) -> dict[str, Any]:
    """Leave out the Functional models a Sequential made of itself at each add() (records of
    harness runs before the rebuild was told apart): auto-named `functional...` models whose
    layers are a prefix of an earlier Sequential's layers. The choice is made again."""
    models = rec.get("models") or []
    sequential_layers = []
    keep = []
    for i, m in enumerate(models):
        names = [layer[0] for layer in m.get("layers") or []]
        if m.get("class") == "Sequential":
            sequential_layers.append(names)
        inner = (m.get("class") == "Functional" and str(m.get("name", "")).startswith("functional")
                 and names and any(s[: len(names)] == names for s in sequential_layers))
        if not inner:
            keep.append(i)
    if len(keep) == len(models):
        return rec
    renumber = {old: new for new, old in enumerate(keep)}
    out = dict(rec)
    out["models"] = [models[i] for i in keep]
    out["events"] = [(ev, renumber[i]) for ev, i in rec.get("events", []) if i in renumber]
    out["chosen"], out["why"] = choose(out["events"], out["models"])
    return out


def cache_file(cache: Path, p: dict[str, str]) -> Path:
    key = hashlib.sha1(f"{HARNESS_VERSION}|{program_key(p)}".encode()).hexdigest()[:20]
    return cache / f"{key}.json"


def manifest_text(harness: int, entries: list[dict[str, Any]]) -> str:
    """The manifest as JSON with one program a line (reviewable diffs)."""
    body = ",\n".join(json.dumps(e, separators=(",", ":")) for e in entries)
    return f'{{"harness": {harness}, "programs": [\n{body}\n]}}\n'


def write_manifest(programs: list[dict[str, str]], cache: Path) -> dict[str, int]:
    entries = []
    counts: dict[str, int] = {}
    # the data sizes the benchmark found (``set``, written by realworld.py --write-sets) stay
    # while the truth they were found for stays
    before = {}
    if MANIFEST.exists():
        before = {(e["repo"], e["path"]): e
                  for e in json.loads(MANIFEST.read_text(encoding="utf-8"))["programs"]}
    for p in programs:
        f = cache_file(cache, p)
        if not f.exists():
            continue
        rec = json.loads(f.read_text(encoding="utf-8"))
        v = verdict(rec)
        counts[v] = counts.get(v, 0) + 1
        entry: dict[str, Any] = dict(p)
        entry["oracle"] = v
        if rec.get("error"):
            entry["error"] = rec["error"]
        if v != "none":
            rec = drop_sequential_internals(rec)
            entry["chosen"] = rec["chosen"]
            entry["why"] = rec["why"]
            entry["models"] = rec["models"]
            was = before.get((entry["repo"], entry["path"]), {})
            if "set" in was and was.get("models") == entry["models"] \
                    and was.get("chosen") == entry["chosen"]:
                entry["set"] = was["set"]
        entries.append(entry)
    MANIFEST.write_text(manifest_text(HARNESS_VERSION, entries), encoding="utf-8")
    return counts


def _legacy(path: Path) -> bool:
    try:
        source = program_source(path)
    except (OSError, ValueError):
        return False
    return bool(STANDALONE.search(source) and LEGACY.search(source))


def _status(f: Path) -> str:
    return str(json.loads(f.read_text(encoding="utf-8")).get("status"))


def _no_oracle(f: Path) -> bool:
    return verdict(json.loads(f.read_text(encoding="utf-8"))) == "none"


def _partial(f: Path) -> bool:
    return verdict(json.loads(f.read_text(encoding="utf-8"))) == "partial"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repos", type=Path, default=Path("/work/corpus-repos"))
    ap.add_argument("--cache", type=Path, default=Path("/work/corpus-cache/oracle"))
    ap.add_argument("--only", action="append", default=[], help="a repository or program key part")
    ap.add_argument("--force", action="store_true", help="rerun cached programs")
    ap.add_argument("--retry-none", action="store_true",
                    help="rerun cached programs that got no oracle (after a harness fix)")
    ap.add_argument("--retry-partial", action="store_true",
                    help="rerun cached programs that ended in an error after training (partial)")
    ap.add_argument("--retry-loop", action="store_true",
                    help="rerun cached programs stopped in a training loop")
    ap.add_argument("--retry-legacy", action="store_true",
                    help="rerun cached programs of the Keras 1/2 era (after a shim fix)")
    ap.add_argument("--keys", type=Path,
                    help="rerun these programs (a file of program keys, one a line), those not "
                         "rerun since the file was written")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many runs")
    ap.add_argument("--manifest-only", action="store_true")
    ap.add_argument("--file", type=Path, help="run one program file and print what it records")
    args = ap.parse_args(argv)
    if args.file:
        prepare_zygote()
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rec = run_one(args.file.resolve(), program_source(args.file),
                          Path(tmp) / "result.json")
        print(json.dumps(rec, indent=1))
        return 0
    programs = read_programs()
    args.cache.mkdir(parents=True, exist_ok=True)
    if not args.manifest_only:
        todo = [p for p in programs if (not args.only or any(o in program_key(p) for o in args.only))
                and (args.force or not cache_file(args.cache, p).exists()
                     or (args.retry_none and _no_oracle(cache_file(args.cache, p)))
                     or (args.retry_partial and _partial(cache_file(args.cache, p)))
                     or (args.retry_loop and _status(cache_file(args.cache, p)) == "loop")
                     or (args.retry_legacy and _legacy(local_path(args.repos, p))))]
        if args.keys:
            wanted = set(args.keys.read_text(encoding="utf-8").split("\n"))
            since = args.keys.stat().st_mtime  # a batch stopped midway goes on where it was
            todo = [p for p in programs if program_key(p) in wanted and (
                not cache_file(args.cache, p).exists()
                or cache_file(args.cache, p).stat().st_mtime < since)]
        print(f"{len(todo)} programs to run", flush=True)
        if todo:
            prepare_zygote()
        for n, p in enumerate(todo, 1):
            if args.limit and n > args.limit:
                break
            path = local_path(args.repos, p)
            start = time.time()
            try:
                source = program_source(path)
                rec = run_one(path, source, args.cache / "result.tmp")
            except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
                rec = {"status": "error", "error": f"not readable: {e}"}
            cache_file(args.cache, p).write_text(json.dumps(rec), encoding="utf-8")
            print(f"[{n}/{len(todo)}] {verdict(rec):7} {time.time() - start:5.1f}s "
                  f"{program_key(p)}  {rec.get('error', '')[:120]}", flush=True)
    counts = write_manifest(programs, args.cache)
    print("manifest:", counts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
