"""Sizes from data files next to a program: only their headers, never the data.

``np.load('x.npy')`` is an array of the shape its header states; ``np.load('d.npz')`` a mapping
of such arrays; ``pd.read_csv('train.csv')`` a table whose columns are its first line. Each
function reads at most ``limits.MAX_DATA_HEADER_BYTES`` of a regular file (FIFOs and devices
are not opened), and returns None when the file is not there or its header cannot be read:
the value then stays unknown, a named size that ``--set`` pins.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import stat
from pathlib import Path
from typing import Any

from archcalc import limits

_MAGIC = b"\x93NUMPY"


def resolve(program: str, name: str) -> Path | None:
    """The data file ``name`` as the program opens it when run in its own folder; None when
    it is not a regular file there."""
    if not name or "\x00" in name:
        return None
    base = Path(program).resolve().parent if program and not program.startswith("<") else Path.cwd()
    path = base / os.path.expanduser(name)
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return path if stat.S_ISREG(mode) else None


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(limits.MAX_DATA_HEADER_BYTES)


def npy_header_shape(head: bytes) -> tuple[int, ...] | None:
    """The shape an .npy header states (format versions 1 to 3)."""
    if not head.startswith(_MAGIC) or len(head) < 10:
        return None
    major = head[6]
    if major == 1:
        n, start = int.from_bytes(head[8:10], "little"), 10
    elif major in (2, 3) and len(head) >= 12:
        n, start = int.from_bytes(head[8:12], "little"), 12
    else:
        return None
    text = head[start:start + n]
    if len(text) < n:
        return None
    try:
        header = ast.literal_eval(text.decode("latin1"))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    shape = header.get("shape") if isinstance(header, dict) else None
    if isinstance(shape, tuple) and all(type(d) is int and d >= 0 for d in shape):
        return shape
    return None


def npy_shape(path: Path) -> tuple[int, ...] | None:
    try:
        return npy_header_shape(_head(path))
    except OSError:
        return None


def npz_shapes(path: Path) -> dict[str, tuple[int, ...]] | None:
    """The arrays of an .npz archive and their shapes (each member's header only)."""
    import zipfile  # only for an .npz: a program's read need not load it

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > limits.MAX_ARCHIVE_ENTRIES:
                return None
            out: dict[str, tuple[int, ...]] = {}
            for info in infos:
                if not info.filename.endswith(".npy"):
                    continue
                with z.open(info) as member:
                    shape = npy_header_shape(member.read(limits.MAX_DATA_HEADER_BYTES))
                if shape is None:
                    return None
                out[info.filename[:-4]] = shape
            return out
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):
        return None


def csv_columns(path: Path, sep: str = ",", header: Any = 0) -> list[str] | None:
    """The column names of a CSV file (its first line), or None."""
    if header is None or not isinstance(sep, str) or len(sep) != 1:
        return None
    try:
        head = _head(path)
    except OSError:
        return None
    text = head.decode("utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    if not first or (len(head) == limits.MAX_DATA_HEADER_BYTES and "\n" not in text):
        return None
    try:
        row = next(csv.reader(io.StringIO(first), delimiter=sep))
    except (csv.Error, StopIteration):
        return None
    return [c.strip() for c in row] or None


def text_columns(path: Path, delimiter: Any = None, skiprows: int = 0, comments: str = "#") -> int | None:
    """How many values the first data line of a text table holds (``np.loadtxt``'s rows), or
    None: ``delimiter`` None splits on whitespace, as NumPy does."""
    if delimiter is not None and not isinstance(delimiter, str):
        return None
    try:
        head = _head(path)
    except OSError:
        return None
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    if len(head) == limits.MAX_DATA_HEADER_BYTES:
        lines = lines[:-1]  # the last line read may be cut short
    rows = [ln for ln in lines[skiprows:] if ln.strip() and not (comments and ln.lstrip().startswith(comments))]
    if not rows:
        return None
    fields = rows[0].split(delimiter) if delimiter else rows[0].split()
    return len(fields) or None
