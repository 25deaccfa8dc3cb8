"""The resource limits every front-end applies, in one place.

An input up to these caps is read in bounded time and memory (the README states the bound:
10 s and 1 GB on one core). Each limit is a guard against one resource:

- bytes: :data:`MAX_SPEC_BYTES` ... are checked *as read* (never trusting ``stat``), and a
  path that is not a regular file (a FIFO, a device such as ``/dev/zero``, a socket) is
  refused before anything is read (:func:`read_file_bytes`);
- layers: :data:`MAX_LAYERS` in one read, after every repeat, block call and loop is
  expanded (the Graph counts them as they are added, nested models included);
- evaluation steps: :data:`MAX_STEPS` expressions the Python reader evaluates;
- nesting: :data:`MAX_BLOCK_DEPTH` (YAML blocks calling blocks), :data:`MAX_CALL_DEPTH`
  (Python functions calling functions), :data:`MAX_MODEL_NESTING` (models inside models),
  :data:`MAX_SYNTAX_DEPTH` (expression nesting in the text itself);
- numbers: :data:`MAX_INT` and :data:`MAX_FLOAT` for every integer and float an input
  gives or computes.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from archcalc.errors import Location, SpecError

# -- bytes --------------------------------------------------------------------------------
MAX_SPEC_BYTES = 20 * 1024 * 1024  # a YAML spec
MAX_PY_BYTES = 5 * 1024 * 1024  # a Python file (and each module it imports)
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024  # a notebook (outputs and images included)
MAX_JSON_BYTES = 64 * 1024 * 1024  # a model.to_json() file or a .keras archive's config.json
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024  # a .keras archive (only config.json is read)
MAX_LAYERS_FILE_BYTES = 1024 * 1024  # archcalc-layers.yaml (custom layer declarations)
MAX_CONFIG_BYTES = 1024 * 1024  # a pyproject.toml read for [tool.archcalc]
MAX_CSV_BYTES = 512 * 1024 * 1024  # a CSV data file for train
MAX_IMAGE_BYTES = 2 * 1024**3  # an image folder for train, decoded (n x h x w x c float32)
MAX_MODULE_BYTES = 20 * 1024 * 1024  # all sibling modules of one Python read together
MAX_DATA_HEADER_BYTES = 64 * 1024  # the header of a data file next to a program (.npy, .csv first line)
MAX_DATA_FILES = 64  # data files one Python read looks at
MAX_SOURCE_BYTES = 200_000  # a user's class or function copied into emit's program
MAX_CALL_TEXT = 20_000  # one YAML layer call, ``Conv2D(32, 3)``, as text
MAX_ARCHIVE_ENTRIES = 10_000  # files in a .keras archive
MAX_COMPRESSION_RATIO = 200  # uncompressed/compressed; JSON compresses ~10-30x, bombs ~1000x

# -- layers, steps, nesting ------------------------------------------------------------------
MAX_LAYERS = 50_000  # nodes of one model after expansion, nested models included
MAX_STEPS = 2_000_000  # expressions the Python reader evaluates, loops included
MAX_BLOCK_DEPTH = 32
MAX_CALL_DEPTH = 60
MAX_MODEL_NESTING = 64
MAX_SYNTAX_DEPTH = 200  # brackets and unary operators nested in one expression
MAX_YAML_NODES = 2_000_000  # YAML nodes visited, aliases expanded (stops "billion laughs")
MAX_REPEAT = 10_000  # one `* N` in a spec; all repeats together are capped by MAX_LAYERS
MAX_MODULES = 32  # sibling modules one Python read imports
MAX_CELLS = 100_000  # cells of a notebook
MAX_SEQ = 100_000  # the longest list or str the Python reader builds by arithmetic

# -- numbers ----------------------------------------------------------------------------------
MAX_INT = 2**62
MAX_FLOAT = 1e300


def number_ok(v: object) -> bool:
    """Whether an int or float is within the limits (nan and inf are refused elsewhere)."""
    if isinstance(v, bool):
        return True
    if isinstance(v, int):
        return abs(v) <= MAX_INT
    if isinstance(v, float):
        return not math.isfinite(v) or abs(v) <= MAX_FLOAT
    return True


# -- files -------------------------------------------------------------------------------------

def check_regular(path: str | Path, kind: str = "model file") -> None:
    """SpecError unless ``path`` (links followed) is a regular file: FIFOs, devices and
    sockets are refused before anything is opened (opening a FIFO blocks)."""
    where = Location(str(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SpecError("no such file", loc=where) from None
    except OSError as e:
        raise SpecError(f"cannot read the file: {e.strerror}", loc=where) from None
    if stat.S_ISDIR(st.st_mode):
        raise SpecError(f"is a directory, not a {kind}", loc=where)
    if not stat.S_ISREG(st.st_mode):
        what = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a special file")
        raise SpecError(f"is {what}, not a regular file", loc=where,
                        hint=f"archcalc reads a {kind} from a regular file (or `-` for standard input)")


def read_file_bytes(path: str | Path, max_bytes: int, kind: str = "model file") -> bytes:
    """At most ``max_bytes`` of a regular file; SpecError for anything else or anything more."""
    where = Location(str(path))
    check_regular(path, kind)
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the check
                raise SpecError("is not a regular file", loc=where)
            data = f.read(max_bytes + 1)  # the size as read: stat may lie (/proc, a growing file)
    except FileNotFoundError:
        raise SpecError("no such file", loc=where) from None
    except IsADirectoryError:
        raise SpecError(f"is a directory, not a {kind}", loc=where) from None
    except OSError as e:
        raise SpecError(f"cannot read the file: {e.strerror}", loc=where) from None
    if len(data) > max_bytes:
        raise SpecError(f"the file is too large (more than {max_bytes} bytes; the limit is {max_bytes})",
                        loc=where)
    return data


# -- layers in one read --------------------------------------------------------------------------

_layers_read: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("layers_read", default=None)


@contextlib.contextmanager
def one_read() -> Iterator[None]:
    """Count the layers of one read (every graph built inside, nested ones included)."""
    token = _layers_read.set(set())
    try:
        yield
    finally:
        _layers_read.reset(token)


def count_layer(graph_size: int, loc: Location | None, node: object) -> None:
    """Called for each node a Graph gets: SpecError past :data:`MAX_LAYERS` in the graph or
    in the whole read. A node put in several graphs of the read (the Python reader builds a
    model's graph when ``Model()`` is called and again at the end) counts once."""
    seen = _layers_read.get()
    total = graph_size
    if seen is not None:
        seen.add(id(node))
        total = max(total, len(seen))
    check_layers(total, loc)


def check_layers(total: int, loc: Location | None) -> None:
    """SpecError when ``total`` layers are more than :data:`MAX_LAYERS` (a reader calls it as
    it goes, so a loop that adds 100,000 layers stops at the cap, not after the loop)."""
    if total > MAX_LAYERS:
        raise SpecError(f"the model has more than {MAX_LAYERS} layers once repeats, blocks and loops are "
                        "expanded", loc=loc, hint="archcalc reads models of up to "
                        f"{MAX_LAYERS} layers; is a repeat count or a loop bound too large?")
