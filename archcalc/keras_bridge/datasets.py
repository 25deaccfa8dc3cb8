"""Training data: scikit-learn's bundled datasets, or the user's .npz / .csv file.

Every loader returns a :class:`Dataset` (features ``x`` as float arrays, one row per
sample, and labels ``y``). A file that is missing or unreadable raises an ArchcalcError
with its path (and line, for a CSV), so the CLI exits 2 before any training starts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archcalc.errors import Location, SpecError, UsageError

#: scikit-learn loaders that need no download
BUNDLED = {
    "digits": "load_digits",
    "iris": "load_iris",
    "wine": "load_wine",
    "breast_cancer": "load_breast_cancer",
}


@dataclass
class Dataset:
    """Samples and labels, plus what a person needs to read the run."""

    name: str
    x: Any  # numpy array, shape (n, ...)
    y: Any  # numpy array, shape (n,) or (n, k)
    #: class names or codes when the labels are categories (None for regression targets)
    classes: list[Any] | None = None

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def sample_shape(self) -> tuple:
        return tuple(int(d) for d in self.x.shape[1:])

    def describe(self) -> str:
        shape = "x".join(str(d) for d in self.sample_shape)
        kinds = f", {len(self.classes)} classes" if self.classes is not None else ""
        return f"{self.name}: {self.n} samples of {shape} features{kinds}"


def load(source: str, label: str | None = None) -> Dataset:
    """A bundled dataset by name, or a .npz / .csv file by path."""
    if source in BUNDLED:
        return _bundled(source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in (".npz", ".csv"):
        raise UsageError(
            f"unknown data source '{source}'",
            hint="use one of " + ", ".join(BUNDLED) + ", or a .npz (arrays x, y) or .csv file",
        )
    if not path.is_file():
        raise UsageError(f"data file '{source}' does not exist", hint="check the path given to --data")
    return _npz(path) if suffix == ".npz" else _csv(path, label)


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


def _csv(path: Path, label: str | None) -> Dataset:
    import numpy as np

    loc = Location(str(path))
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = [(i, r) for i, r in enumerate(csv.reader(f), start=1) if any(c.strip() for c in r)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise SpecError(f"cannot read the CSV file: {e}", loc=loc) from None
    if not rows:
        raise SpecError("the CSV file is empty", loc=loc)
    header: list[str] | None = None
    first = rows[0][1]
    if not all(_is_number(c) for c in first[:-1]):
        header = [c.strip() for c in first]
        rows = rows[1:]
    if not rows:
        raise SpecError("the CSV file has a header but no data rows", loc=loc)
    width = len(header) if header else len(rows[0][1])
    if width < 2:
        raise SpecError("the CSV file needs at least one feature column and a label column", loc=loc)
    col = _label_column(label, header, width, loc)
    feats, labels = [], []
    for line, r in rows:
        if len(r) != width:
            raise SpecError(f"row has {len(r)} columns, expected {width}", loc=Location(str(path), line, 1),
                            hint="every row needs the same number of comma-separated values")
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
                                hint="features must be numbers; only the label column may hold text") from None
        feats.append(values)
        labels.append(r[col].strip())
    y = np.asarray(labels)
    if all(_is_number(v) for v in labels):
        y = y.astype("float64")
        if np.all(np.mod(y, 1) == 0):
            y = y.astype("int64")
    return _with_labels(path.name, np.asarray(feats, dtype="float32"), y)


def _label_column(label: str | None, header: list[str] | None, width: int, loc: Location) -> int:
    if label is None:
        return width - 1
    if header and label in header:
        return header.index(label)
    if label.lstrip("-").isdigit():
        i = int(label)
        if -width <= i < width:
            return i % width
    choices = ", ".join(header) if header else f"0..{width - 1}"
    raise UsageError(f"--label '{label}' is not a column of {loc.path}", hint=f"columns: {choices}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
