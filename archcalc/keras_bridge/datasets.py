"""Training data: scikit-learn's bundled datasets, or the user's .npz / .csv file, a folder
of images (one subfolder per class) or a CSV of labelled texts.

Every loader returns a :class:`Dataset` (features ``x``, one row per sample, and labels
``y``). A file or folder that is missing, empty or unreadable raises an ArchcalcError with
its path (and line, for a CSV), so the CLI exits 2 before any training starts. Images and
texts depend on the model: a folder is read at the input's height, width and channels
(:class:`ModelInput`); a CSV is read as texts when the input feeds an Embedding and a column
holds words, or when ``--text-column`` names one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archcalc import limits
from archcalc.errors import Location, ShapeError, SpecError, UsageError
from archcalc.limits import MAX_CSV_BYTES, read_file_bytes

#: scikit-learn loaders that need no download
BUNDLED = {
    "digits": "load_digits",
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
}


#: the files image_dataset_from_directory reads (keras.utils.image_dataset_utils.ALLOWLIST_FORMATS)
IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
#: image_dataset_from_directory's color_mode for the input's channels
COLOR_MODES = {1: "grayscale", 3: "rgb", 4: "rgba"}
#: the decoded images of a folder are held in memory as float32: refuse more than this
MAX_IMAGE_BYTES = limits.MAX_IMAGE_BYTES


@dataclass
class ModelInput:
    """What a loader needs to know of the model's (single) input."""

    shape: tuple  # without the batch axis
    loc: Location | None = None
    #: the Embedding's input_dim when the input holds token ids, else None
    vocab: int | None = None


@dataclass
class Dataset:
    """Samples and labels, plus what a person needs to read the run."""

    name: str
    x: Any  # numpy array, shape (n, ...); for texts an object array of str, shape (n,)
    y: Any  # numpy array, shape (n,) or (n, k)
    #: class names or codes when the labels are categories (None for regression targets)
    classes: list[Any] | None = None
    #: arrays (numbers as given) | images (pixel values 0..255) | texts (strings)
    kind: str = "arrays"
    #: how the samples were read, said aloud before training
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def sample_shape(self) -> tuple:
        return tuple(int(d) for d in self.x.shape[1:])

    def describe(self) -> str:
        kinds = f", {len(self.classes)} classes" if self.classes is not None else ""
        if self.kind == "texts":
            return f"{self.name}: {self.n} texts{kinds}"
        shape = "x".join(str(d) for d in self.sample_shape)
        what = "images" if self.kind == "images" else "features"
        return f"{self.name}: {self.n} samples of {shape} {what}{kinds}"


def load(source: str, label: str | None = None, *, text_column: str | None = None,
         model_input: ModelInput | None = None) -> Dataset:
    """A bundled dataset by name, a .npz / .csv file or a folder of images by path."""
    if source in BUNDLED:
        return _bundled(source)
    path = Path(source)
    if path.is_dir():
        return _image_folder(path, model_input)
    suffix = path.suffix.lower()
    if suffix not in (".npz", ".csv"):
        raise UsageError(
            f"unknown data source '{source}'",
            hint="use one of " + ", ".join(BUNDLED) + ", a .npz (arrays x, y) or .csv file, "
                 "or a folder of images with one subfolder per class",
        )
    if not path.is_file():
        raise UsageError(f"data file '{source}' does not exist", hint="check the path given to --data")
    if suffix == ".npz":
        return _npz(path)
    return _csv(path, label, text_column, model_input)


def _bundled(name: str) -> Dataset:
    import numpy as np
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, BUNDLED[name])()
    x = np.asarray(bunch.data, dtype="float32")
    y = np.asarray(bunch.target)
    return Dataset(name, x, y, classes=sorted(int(c) for c in np.unique(y)))


def _npz(path: Path) -> Dataset:
    import zipfile

    import numpy as np

    loc = Location(str(path))
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in ("x", "y") if k not in data.files]
            if missing:
                raise SpecError(
                    f"the .npz file has no array named {', '.join(repr(m) for m in missing)} "
                    f"(it has: {', '.join(data.files) or 'nothing'})",
                    loc=loc,
                    hint="save it with numpy.savez(path, x=features, y=labels)",
                )
            x, y = data["x"], data["y"]
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise SpecError(f"cannot read the .npz file: {e}", loc=loc,
                        hint="save it with numpy.savez(path, x=features, y=labels)") from None
    if x.shape[0] != y.shape[0]:
        raise SpecError(f"x has {x.shape[0]} samples but y has {y.shape[0]}", loc=loc)
    if x.dtype.kind not in "fiub":
        raise SpecError(f"x must hold numbers, got dtype {x.dtype}", loc=loc)
    return _with_labels(path.name, x.astype("float32"), y)


def _with_labels(name: str, x: Any, y: Any) -> Dataset:
    """Integer or string labels are categories (coded 0..k-1); float labels are targets."""
    import numpy as np

    y = np.asarray(y)
    if y.ndim == 1 and (y.dtype.kind in "iub" or y.dtype.kind in "USO"
                        or (y.dtype.kind == "f" and np.all(np.mod(y, 1) == 0) and len(np.unique(y)) <= 1000)):
        classes, codes = np.unique(y, return_inverse=True)
        return Dataset(name, x, codes.astype("int64"), classes=[c.item() if hasattr(c, "item") else c for c in classes])
    return Dataset(name, x, y.astype("float32"), classes=None)


def _csv(path: Path, label: str | None, text_column: str | None = None,
         model_input: ModelInput | None = None) -> Dataset:
    loc = Location(str(path))
    try:
        text = read_file_bytes(path, MAX_CSV_BYTES, "CSV file").decode("utf-8")
        rows = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
                if any(c.strip() for c in r)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise SpecError(f"cannot read the CSV file: {e}", loc=loc) from None
    if not rows:
        raise SpecError("the CSV file is empty", loc=loc)
    maybe_texts = text_column is not None or (model_input is not None and model_input.vocab is not None)
    header: list[str] | None = None
    first = [c.strip() for c in rows[0][1]]
    if _is_header(first, [r for _, r in rows[1:]], label, text_column, maybe_texts):
        header = first
        rows = rows[1:]
    if not rows:
        raise SpecError("the CSV file has a header but no data rows", loc=loc)
    width = len(header) if header else len(rows[0][1])
    if width < 2:
        raise SpecError("the CSV file needs at least one feature column and a label column", loc=loc)
    col = _label_column(label, header, width, loc)
    for line, r in rows:
        if len(r) != width:
            raise SpecError(f"row has {len(r)} columns, expected {width}", loc=Location(str(path), line, 1),
                            hint="every row needs the same number of comma-separated values")
    text_col = _text_column(text_column, header, width, col, rows, loc) if maybe_texts else None
    if text_col is not None:
        return _texts(path, rows, header, col, text_col, width)
    feats, labels = [], []
    for line, r in rows:
        values = []
        for j, c in enumerate(r):
            if j == col:
                continue
            try:
                values.append(float(c))
            except ValueError:
                name = f" ('{header[j]}')" if header else ""
                raise SpecError(f"column {j + 1}{name} holds '{c}', which is not a number",
                                loc=Location(str(path), line, 1),
                                hint="features must be numbers; only the label column may hold text (a "
                                     "column of texts needs a model whose input feeds an Embedding, or "
                                     "--text-column)") from None
        feats.append(values)
        labels.append(r[col].strip())
    import numpy as np

    return _with_labels(path.name, np.asarray(feats, dtype="float32"), _label_values(labels))


def _label_values(labels: list[str]) -> Any:
    """CSV label cells as an array: integers or floats when they are all numbers, else strings."""
    import numpy as np

    y = np.asarray(labels)
    if all(_is_number(v) for v in labels):
        y = y.astype("float64")
        if np.all(np.mod(y, 1) == 0):
            y = y.astype("int64")
    return y


def _is_header(first: list[str], rest: list[list[str]], label: str | None, text_column: str | None,
               maybe_texts: bool) -> bool:
    """Whether the first row names the columns."""
    named = [n for n in (label, text_column) if n is not None and not n.lstrip("-").isdigit()]
    if named and all(n in first for n in named):
        return True
    if all(_is_number(c) for c in first[:-1]):
        return False
    if not maybe_texts or not rest:
        return True
    # texts fill every row with words: the first row is a header when its label cell does not
    # look like the others (a word over numbers, or a value no other row has)
    i = len(first) - 1 if label is None or not label.lstrip("-").isdigit() else int(label) % len(first)
    labels = {r[i].strip() for r in rest if len(r) > i}
    if all(_is_number(v) for v in labels) and not _is_number(first[i]):
        return True
    return first[i] not in labels


def _text_column(text_column: str | None, header: list[str] | None, width: int, label: int,
                 rows: list[tuple[int, list[str]]], loc: Location) -> int | None:
    """The column of texts: named by --text-column, or the only non-label column holding words
    (None: every other column holds numbers, e.g. token ids already)."""
    if text_column is not None:
        j = _column(text_column, header, width)
        if j is None:
            choices = ", ".join(header) if header else f"0..{width - 1}"
            raise UsageError(f"--text-column '{text_column}' is not a column of {loc.path}",
                             hint=f"columns: {choices}")
        if j == label:
            raise UsageError(f"--text-column '{text_column}' is also the label column",
                             hint="name the label with --label-column")
        return j
    words = [j for j in range(width) if j != label and not all(_is_number(r[j]) for _, r in rows)]
    if len(words) > 1:
        names = ", ".join(repr(header[j]) if header else str(j) for j in words)
        raise UsageError(f"several columns of {loc.path} hold text ({names})",
                         hint="name the one to read with --text-column")
    return words[0] if words else None


def _texts(path: Path, rows: list[tuple[int, list[str]]], header: list[str] | None, col: int,
           text_col: int, width: int) -> Dataset:
    import numpy as np

    labels = []
    for line, r in rows:
        if not r[col].strip():
            raise SpecError("the label is empty", loc=Location(str(path), line, 1),
                            hint="every text needs a label")
        labels.append(r[col].strip())
    texts = np.asarray([r[text_col] for _, r in rows], dtype=object)
    data = _with_labels(path.name, texts, _label_values(labels))
    if data.classes is None:
        raise SpecError("the labels of a CSV of texts must be classes (integers or words), "
                        "not measurements", loc=Location(str(path)))
    data.kind = "texts"

    def name(j: int) -> str:
        return f"'{header[j]}'" if header else f"{j}"

    ignored = [name(j) for j in range(width) if j not in (col, text_col)]
    data.notes.append(f"texts: column {name(text_col)}, labels: column {name(col)}"
                      + (f" (ignored: {', '.join(ignored)})" if ignored else ""))
    return data


def _column(name: str, header: list[str] | None, width: int) -> int | None:
    if header and name in header:
        return header.index(name)
    if name.lstrip("-").isdigit():
        i = int(name)
        if -width <= i < width:
            return i % width
    return None


def _label_column(label: str | None, header: list[str] | None, width: int, loc: Location) -> int:
    if label is None:
        return width - 1
    j = _column(label, header, width)
    if j is not None:
        return j
    choices = ", ".join(header) if header else f"0..{width - 1}"
    raise UsageError(f"--label '{label}' is not a column of {loc.path}", hint=f"columns: {choices}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- a folder of images: one subfolder per class ----------------------------------------------

def _image_files(folder: Path) -> list[Path]:
    """The files image_dataset_from_directory would read under ``folder`` (it walks it, without
    following links, and keeps the allowed suffixes)."""
    import os

    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found += [Path(root) / f for f in sorted(files) if f.lower().endswith(IMAGE_FORMATS)]
    return found


def _image_folder(path: Path, model_input: ModelInput | None) -> Dataset:
    """The images under ``path``/<class>/ at the model's height, width and channels (pixel
    values 0..255; train.py scales them), with one label per class folder."""
    loc = Location(str(path))
    formats = ", ".join(IMAGE_FORMATS)
    layout = f"put the images in one subfolder per class: {path}/<class>/<image>.png"
    classes = sorted(d.name for d in path.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        loose = _image_files(path)
        if loose:
            raise SpecError(f"the folder holds {len(loose)} image(s) but no class subfolders", loc=loc, hint=layout)
        raise SpecError("the folder is empty" if not any(path.iterdir()) else "the folder has no class subfolders",
                        loc=loc, hint=layout)
    files = {c: _image_files(path / c) for c in classes}
    if not any(files.values()):
        raise SpecError(f"the class folders ({', '.join(classes)}) hold no images ({formats})", loc=loc,
                        hint=layout)
    if len(classes) == 1:
        raise SpecError(f"the folder has one class only ('{classes[0]}'); a classifier needs at least two",
                        loc=loc, hint=layout)
    empty = [c for c in classes if not files[c]]
    if empty:
        raise SpecError(f"the class folder(s) {', '.join(repr(c) for c in empty)} hold no images ({formats})",
                        loc=loc, hint="remove the folder or add its images")
    h, w, ch = _image_input(model_input)
    n = sum(len(v) for v in files.values())
    if n * h * w * ch * 4 > MAX_IMAGE_BYTES:
        raise SpecError(f"{n} images of {h}x{w}x{ch} need {n * h * w * ch * 4 / 1024**3:.1f} GB in memory "
                        f"(the limit is {MAX_IMAGE_BYTES / 1024**3:.0f} GB)", loc=loc,
                        hint="train on a subset: archcalc train checks whether the model learns")
    x, y = _read_images(path, files, (h, w), COLOR_MODES[ch])
    counts = ", ".join(f"{c} {len(files[c])}" for c in classes)
    data = Dataset(path.name or str(path), x, y, classes=list(classes), kind="images")
    data.notes.append(f"images: keras.utils.image_dataset_from_directory(image_size=({h}, {w}), "
                      f"color_mode='{COLOR_MODES[ch]}'), labels from the subfolders ({counts})")
    return data


def _image_input(model_input: ModelInput | None) -> tuple[int, int, int]:
    """(height, width, channels) of an image input; ShapeError when the input is no image."""
    from archcalc.layers.base import fmt_shape

    shape = model_input.shape if model_input is not None else ()
    where = model_input.loc if model_input is not None else None
    if len(shape) != 3:
        raise ShapeError(f"a folder of images needs a model whose input is an image (height, width, "
                         f"channels); the model's input is {fmt_shape(shape)}", loc=where,
                         hint="give the model an input like [64, 64, 3], or --data a .npz / .csv file")
    h, w, ch = shape
    if not all(isinstance(d, int) for d in (h, w)):
        raise ShapeError(f"the model's input {fmt_shape(shape)} leaves the image size open; the images "
                         f"are resized to it", loc=where, hint="give the input a height and width, e.g. "
                         f"[64, 64, {ch if isinstance(ch, int) else 3}]")
    if ch not in COLOR_MODES:
        raise ShapeError(f"the model's input {fmt_shape(shape)} has {ch} channels; images have 1 (grayscale), "
                         f"3 (rgb) or 4 (rgba)", loc=where, hint="make the last axis of the input 1, 3 or 4")
    return int(h), int(w), int(ch)


def _read_images(path: Path, files: dict[str, list[Path]], size: tuple[int, int], mode: str) -> tuple[Any, Any]:
    """All images as one float32 array (n, h, w, c) and their class ids, read by Keras."""
    import numpy as np

    from .backend import import_keras

    keras = import_keras()
    import tensorflow as tf

    ds = keras.utils.image_dataset_from_directory(str(path), labels="inferred", label_mode="int",
                                                   color_mode=mode, batch_size=64, image_size=size,
                                                   shuffle=False, verbose=False)
    xs, ys = [], []
    try:
        for images, labels in ds.as_numpy_iterator():
            xs.append(images)
            ys.append(labels)
    except tf.errors.OpError:
        bad = next((f for fs in files.values() for f in fs if not _decodes(tf, f)), None)
        raise SpecError("cannot decode this image" if bad else "cannot decode an image in the folder",
                        loc=Location(str(bad or path)),
                        hint="image_dataset_from_directory reads .bmp, .gif, .jpeg, .jpg and .png files") from None
    return np.concatenate(xs).astype("float32"), np.concatenate(ys).astype("int64")


def _decodes(tf: Any, file: Path) -> bool:
    try:
        tf.io.decode_image(tf.io.read_file(str(file)), expand_animations=False)
    except tf.errors.OpError:
        return False
    return True
