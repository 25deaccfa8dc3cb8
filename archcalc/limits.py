"""The resource limits every front-end applies, in one place.

An input up to these caps is read in bounded time and memory (docs/limits.md states the bound:
10 s and 1 GB on one core). Each limit is a guard against one resource:

- bytes: :data:`MAX_SPEC_BYTES` ... are checked *as read* (never trusting ``stat``), and a
  path that is not a regular file (a FIFO, a device such as ``/dev/zero``, a socket) is
  refused before anything is read (:func:`read_file_bytes`);
- size before the parse: :data:`MAX_PY_TERMS` terms of a Python text and
  :data:`MAX_JSON_VALUES` values of a JSON document, counted from characters (the parsers
  of Python and JSON take memory per node before archcalc sees any), and
  :data:`MAX_NOTEBOOK_CELLS`; :data:`MAX_LITERAL_ITEMS` elements of a literal the Python
  reader builds (a longer one is an unknown value);
- layers: :data:`MAX_LAYERS` in one read, after every repeat, block call and loop is
  expanded (the Graph counts them as they are added, nested models included);
- evaluation steps: :data:`MAX_STEPS` expressions the Python reader evaluates;
- nesting: :data:`MAX_BLOCK_DEPTH` (YAML blocks calling blocks), :data:`MAX_CALL_DEPTH`
  (Python functions calling functions), :data:`MAX_MODEL_NESTING` (models inside models),
  :data:`MAX_SYNTAX_DEPTH` (expression nesting in the text itself), :data:`MAX_CONFIG_DEPTH`
  (lists and mappings in a JSON config);
- numbers: :data:`MAX_INT` and :data:`MAX_FLOAT` for every integer and float an input
  gives or computes.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from archcalc.errors import LimitError, Location, SpecError

# -- bytes --------------------------------------------------------------------------------
MAX_SPEC_BYTES = 20 * 1024 * 1024  # a YAML spec
MAX_PY_BYTES = 5 * 1024 * 1024  # a Python file (and each module it imports)
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024  # a notebook (outputs and images included)
MAX_JSON_BYTES = 64 * 1024 * 1024  # a model.to_json() file or a .keras archive's config.json
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024  # a .keras archive (only config.json is read)
MAX_LAYERS_FILE_BYTES = 1024 * 1024  # archcalc-layers.yaml (custom layer declarations)
MAX_CONFIG_BYTES = 1024 * 1024  # a pyproject.toml read for [tool.archcalc]; a JSON/YAML config beside a program
MAX_CSV_BYTES = 512 * 1024 * 1024  # a CSV data file for train
MAX_IMAGE_BYTES = 2 * 1024**3  # an image folder for train, decoded (n x h x w x c float32)
MAX_MODULE_BYTES = 20 * 1024 * 1024  # all sibling modules of one Python read together
MAX_DATA_HEADER_BYTES = 64 * 1024  # the header of a data file next to a program (.npy, .csv first line)
MAX_DATA_FILES = 64  # data files one Python read looks at
MAX_SOURCE_BYTES = 200_000  # a user's class or function copied into emit's program
MAX_CALL_TEXT = 20_000  # one YAML layer call, ``Conv2D(32, 3)``, as text
MAX_ARCHIVE_ENTRIES = 10_000  # files in a .keras archive
MAX_COMPRESSION_RATIO = 200  # uncompressed/compressed; JSON compresses ~10-30x, bombs ~1000x

# -- cells, layers, steps, nesting ------------------------------------------------------------------
MAX_NOTEBOOK_CELLS = 100_000  # cells of one notebook (every kind)
MAX_LAYERS = 50_000  # nodes of one model after expansion, nested models included
MAX_STEPS = 2_000_000  # expressions the Python reader evaluates, loops included
#: elements of one list, tuple or dict display the Python reader builds; a longer one (data
#: pasted into the code) is an unknown value, never built
MAX_LITERAL_ITEMS = 100_000
#: the "terms" of one Python text (a file, a module it imports, a notebook's code), counted
#: before it is parsed: Python's own parser takes up to ~1.5 KB of memory per term (a
#: 2-million-element list literal took 1.9 GB before archcalc saw a single node)
MAX_PY_TERMS = 400_000
MAX_BLOCK_DEPTH = 32
MAX_CALL_DEPTH = 60
MAX_MODEL_NESTING = 64
MAX_SYNTAX_DEPTH = 200  # brackets and unary operators nested in one expression
MAX_YAML_NODES = 2_000_000  # YAML nodes visited, aliases expanded (stops "billion laughs")
MAX_REPEAT = 10_000  # one `* N` in a spec; all repeats together are capped by MAX_LAYERS
MAX_MODULES = 32  # sibling modules one Python read imports
MAX_SEQ = 100_000  # the longest list or str the Python reader builds by arithmetic
#: lists and mappings nested in a JSON config (a model config, a .keras archive's config.json,
#: an .h5 file's attributes): 64 nested models take 3 levels each, and every reader and writer
#: after the parse (convert's YAML, the compile reader) walks the value recursively
MAX_CONFIG_DEPTH = 256
#: values (numbers, strings, lists, mappings) of one JSON document (a model config, a
#: notebook), counted before it is parsed: each takes up to ~100 bytes once parsed (64 MB of
#: ``{},{},...`` made 1.6 GB); a Keras config writes 50 to 60 values per layer, so a model of
#: MAX_LAYERS layers fits
MAX_JSON_VALUES = 4_000_000

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


def nesting_depth(value: object, bound: int) -> int:
    """How deeply lists, tuples and dicts nest in ``value`` (a scalar is 0), counted without
    recursion and in memory proportional to the depth; stops counting past ``bound`` (returns
    ``bound + 1``)."""
    def children(v: object) -> Iterator[object] | None:
        if isinstance(v, dict):
            return iter(v.values())
        if isinstance(v, (list, tuple)):
            return iter(v)
        return None

    top = children(value)
    if top is None:
        return 0
    stack = [top]
    deepest = 1
    while stack:
        nxt = next(stack[-1], _END)
        if nxt is _END:
            stack.pop()
            continue
        inner = children(nxt)
        if inner is not None:
            stack.append(inner)
            if len(stack) > bound:
                return bound + 1
            deepest = max(deepest, len(stack))
    return deepest


_END = object()


def json_values(text: str | bytes) -> int:
    """An upper estimate of the values in a JSON text: every value but the first of a list or
    mapping follows a comma, and the first follows its bracket (characters in strings count too)."""
    if isinstance(text, str):
        return text.count(",") + text.count("[") + text.count("{") + 1
    return text.count(b",") + text.count(b"[") + text.count(b"{") + 1


def check_json_values(text: str | bytes, where: Location, what: str = "JSON") -> None:
    """SpecError when ``text`` holds more than :data:`MAX_JSON_VALUES` values (before parsing it)."""
    if json_values(text) > MAX_JSON_VALUES:
        raise LimitError(f"the {what} holds too many values to read (more than {MAX_JSON_VALUES} lists, "
                        "mappings, numbers and strings)", loc=where,
                        hint=f"archcalc reads {what} documents of up to {MAX_JSON_VALUES} values; clear the "
                        "outputs of a notebook (jupyter nbconvert --clear-output) to make it smaller")


#: what separates terms in Python text: each makes at most one or two syntax-tree nodes (a
#: name or a number sits between two of them); a statement separator counts twice (it starts
#: a statement node besides its expression); the keyword operators count once each; an opening
#: brace counts :data:`_BRACE_TERMS`: Python 3.11's parser takes time quadratic in the
#: replacement fields of one f-string (80,000 ``{a}`` in one string: 4 s before archcalc runs)
_TERM_CHARS = ",:=+-*/%@&|^~<>.([!"
_STATEMENT_CHARS = "\n;"
_TERM_WORDS = (" and ", " or ", " if ", " else ", " for ", " in ", " is ", " not ", "lambda", "await ",
               "yield ")
_BRACE_TERMS = 8


def python_terms(text: str, start: int = 0, end: int | None = None) -> int:
    """An upper estimate of the syntax-tree nodes of ``text[start:end]``, from character counts
    (linear, at C speed: no tokenizer, no parse)."""
    stop = len(text) if end is None else end
    n = sum(text.count(c, start, stop) for c in _TERM_CHARS)
    n += 2 * sum(text.count(c, start, stop) for c in _STATEMENT_CHARS)
    n += _BRACE_TERMS * text.count("{", start, stop)
    return n + sum(text.count(w, start, stop) for w in _TERM_WORDS)


def check_python_text(text: str, path: str, at: Callable[[int, int], Location] | None = None) -> None:
    """SpecError when ``text`` has more than :data:`MAX_PY_TERMS` terms, placed at the line where
    the count passes the limit (``at`` maps a line and column of ``text`` to the Location to
    report, for a notebook's cells); called before every parse of a user's Python text."""
    if python_terms(text) <= MAX_PY_TERMS:
        return
    lo, hi = 0, len(text)  # the shortest prefix over the limit
    while lo < hi:
        mid = (lo + hi) // 2
        if python_terms(text, 0, mid) > MAX_PY_TERMS:
            hi = mid
        else:
            lo = mid + 1
    line = text.count("\n", 0, lo) + 1
    loc = at(line, 1) if at is not None else Location(path, line, 1)
    raise LimitError(f"the code is too large to read: more than {MAX_PY_TERMS} terms (names, numbers, "
                    "operators, statements)", loc=loc,
                    hint="data belongs in a data file (np.load, pd.read_csv), not in the code; archcalc "
                    f"reads Python files of up to {MAX_PY_TERMS} terms")


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
        raise LimitError(f"the model has more than {MAX_LAYERS} layers once repeats, blocks and loops are "
                        "expanded", loc=loc, hint="archcalc reads models of up to "
                        f"{MAX_LAYERS} layers; is a repeat count or a loop bound too large?")
