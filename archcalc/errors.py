"""Errors a user can cause, each rendered as one ``path:line:col: error: ...`` line.

Every failure that comes from the input (a spec, a Python file, a Keras file, a
command-line value) is raised as an :class:`ArchcalcError`. The CLI prints
:meth:`ArchcalcError.format` and exits with :data:`EXIT_INPUT_ERROR`; it never shows a
traceback for these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# Exit codes, shared by every command (0 clean, 1 findings/disagreement, 2 usage/input).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based (0 when unknown).

    In a Jupyter notebook, ``cell`` is the cell's position counting every cell from 1 (as
    Jupyter lists them) and ``line`` is the line inside that cell: ``nb.ipynb:cell 7:3:5``.
    """

    path: str
    line: int = 0
    column: int = 0
    cell: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:cell {self.cell}" if self.cell is not None else self.path
        if self.line:
            return f"{where}:{self.line}:{self.column or 1}"
        return where


class ArchcalcError(Exception):
    """A user-caused failure with a location, the layer involved and a hint."""

    #: short machine-readable code, used by lint to report engine refusals as findings
    code = "E000"
    #: True when Keras itself would refuse the same input (a shape that does not fit, an
    #: argument a layer does not take); False when the failure is a limit of archcalc's
    #: reading. Lint reports the second kind as "not read" (AC000), never as a bug.
    keras_refuses = False

    def __init__(
        self,
        message: str,
        *,
        loc: Location | None = None,
        layer: str | None = None,
        hint: str | None = None,
        code: str | None = None,
        keras_refuses: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.layer = layer
        self.hint = hint
        if code:
            self.code = code
        if keras_refuses is not None:
            self.keras_refuses = keras_refuses

    def with_loc(self, loc: Location | None, layer: str | None = None) -> ArchcalcError:
        """Fill in the location (and layer) when the raiser did not know it."""
        if self.loc is None or not self.loc.line:
            self.loc = loc or self.loc
        if self.layer is None:
            self.layer = layer
        return self

    def format(self) -> str:
        where = str(self.loc) if self.loc else "archcalc"
        text = f"{where}: error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:  # pragma: no cover - convenience for debugging
        return self.format()


class SpecError(ArchcalcError):
    """The input could not be read: bad syntax, unknown names, wrong argument types."""

    code = "E001"


class LimitError(SpecError):
    """A resource bound of the read itself (steps, sizes, layers): it always stops the read,
    where a statement's other failures only make the names it binds unknown."""


class ShapeError(ArchcalcError):
    """The model is well-formed but Keras would refuse to build it."""

    code = "E002"
    keras_refuses = True


class UsageError(ArchcalcError):
    """A bad command-line value (not tied to a line of an input file)."""

    code = "E003"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Return ``"did you mean X?"`` for the closest choice, or None."""
    pool = list(choices)
    close = _closest(word, pool)
    if not close:
        lower = {c.lower(): c for c in pool}
        if word.lower() in lower:
            close = [lower[word.lower()]]
        else:
            close = [lower[c] for c in _closest(word.lower(), list(lower))]
    return f"did you mean {close[0]}?" if close else None


def _closest(word: str, pool: list[str]) -> list[str]:
    """difflib's best match with cutoff 0.6; a tie goes to the earlier choice (difflib would
    pick the larger string: 'AC1O1' -> AC311 rather than AC101)."""
    import difflib  # only on the error path

    best: tuple[float, int] | None = None
    for i, choice in enumerate(pool):
        m = difflib.SequenceMatcher(None, word, choice)
        if m.real_quick_ratio() < 0.6 or m.quick_ratio() < 0.6:
            continue
        score = m.ratio()
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, i)
    return [pool[best[1]]] if best is not None else []


#: how much of a value a message shows: characters of a string or number, items of a list
_SHOWN_CHARS = 60
_SHOWN_ITEMS = 6


def describe_value(v: object, _depth: int = 0) -> str:
    """A value as a message shows it: as the user would write it (``'relu'``, ``(3, 3)``,
    ``LSTM(units=8)``), shortened, and never an internal object (``<... object at 0x...>``,
    ``Unknown(...)``): what has no user-facing text is named by its type (``a LayerObj``).

    Every message that quotes a value the input gave goes through here (the layers' argument
    checks, the readers' type errors). Plain values are shown by their type's row of
    ``_BY_TYPE`` (the first row whose types the value is an instance of: bool before int);
    any other object by :func:`_describe_object`."""
    for types, describe in _BY_TYPE:
        if isinstance(v, types):
            return describe(v, _depth)
    return _describe_object(v)


def _constant(v: object, _depth: int) -> str:
    """True, False, None."""
    return repr(v)


def _number(v: float, _depth: int) -> str:
    if isinstance(v, int) and abs(v) >= 10**_SHOWN_CHARS:
        return f"an integer of more than {_SHOWN_CHARS} digits"  # str() of 4,300 digits fails
    return repr(v)


def _string(v: str, _depth: int) -> str:
    return repr(v if len(v) <= _SHOWN_CHARS else v[:_SHOWN_CHARS]) + ("..." if len(v) > _SHOWN_CHARS else "")


def _items(parts: list[str], n: int) -> str:
    """The first items shown, and "..." when there are more."""
    return ", ".join([*parts, "..."] if n > _SHOWN_ITEMS else parts)


def _list(v: list, depth: int) -> str:
    if depth >= 3:
        return "[...]"
    return "[" + _items([describe_value(x, depth + 1) for x in v[:_SHOWN_ITEMS]], len(v)) + "]"


def _tuple(v: tuple, depth: int) -> str:
    if depth >= 3:
        return "(...)"
    inner = _items([describe_value(x, depth + 1) for x in v[:_SHOWN_ITEMS]], len(v))
    return "(" + inner + ("," if len(v) == 1 else "") + ")"


def _dict(v: dict, depth: int) -> str:
    if depth >= 3:
        return "{...}"
    parts = [f"{describe_value(k, depth + 1)}: {describe_value(x, depth + 1)}"
             for k, x in list(v.items())[:_SHOWN_ITEMS]]
    return "{" + _items(parts, len(v)) + "}"


#: how each kind of plain value is shown, tried in order (isinstance: bool is an int, so first)
_BY_TYPE: tuple[tuple[type | tuple[type, ...], Callable[[Any, int], str]], ...] = (
    ((bool, type(None)), _constant),
    ((int, float), _number),
    (str, _string),
    (list, _list),
    (tuple, _tuple),
    (dict, _dict),
)


def _describe_object(v: object) -> str:
    """A layer type as its constructor call, a symbolic size (sympy) as its text, anything
    else by its type's name (``a LayerObj``)."""
    call = _call_text(v)
    if call:
        return call
    if hasattr(v, "free_symbols"):  # a symbolic size (sympy)
        text = str(v)
        return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "..."
    name = type(v).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _call_text(v: object) -> str | None:
    """A layer type's constructor call (``LSTM(units=8)``), shortened; None when the value has
    none, or it fails, or it is an internal repr."""
    call_repr = getattr(v, "call_repr", None)
    if not callable(call_repr):
        return None
    try:
        text = str(call_repr())
    except Exception:  # noqa: BLE001 - a message must not fail on the value it shows
        return None
    if not text or " object at 0x" in text:
        return None
    return text if len(text) <= 2 * _SHOWN_CHARS else text[:2 * _SHOWN_CHARS] + "...)"
