"""What lint knows of the training code: every ``compile()`` and every ``fit()`` call.

The YAML, JSON and .keras front-ends keep one ``compile`` (``graph.compile``). The Python
reader keeps every call: ``graph.extras["compiles"]`` (a list of ``{settings, loc}``, when
there are several) and ``graph.extras["fit_calls"]`` (one record per ``fit()``, written by
``archcalc.readers.python.values.fit_record``)::

    {"x": {"shape": (60000, 28, 28), "classes": None, "onehot": False, "what": "x_train"},
     "y": {"shape": (60000, 10), "classes": 10, "onehot": True, "what": "y_train"},
     "batch_size": 32, "epochs": 5, "positional": 2, "loc": "train.py:41:1"}

``x``/``y`` are None when the data is not known (read from a file, a generator); sizes may
be sympy symbols. Rules that need a concrete size ask :func:`concrete` and skip otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeGuard

from archcalc.errors import Location
from archcalc.graph import Graph

_LOC = re.compile(r"^(?P<path>.*?)(?::cell (?P<cell>\d+))?:(?P<line>\d+):(?P<col>\d+)$")


def concrete(v: Any) -> TypeGuard[int]:
    """A size known as a plain int (not None, not a symbol)."""
    return isinstance(v, int) and not isinstance(v, bool)


def as_location(loc: Any) -> Location | None:
    """A Location kept as is, or parsed back from ``path[:cell N]:line:col``."""
    if isinstance(loc, Location) or loc is None:
        return loc
    m = _LOC.match(str(loc))
    if not m:
        return None
    cell = int(m.group("cell")) if m.group("cell") else None
    return Location(m.group("path"), int(m.group("line")), int(m.group("col")), cell)


@dataclass(frozen=True)
class CompileCall:
    settings: dict[str, Any]
    loc: Location | None


@dataclass(frozen=True)
class Data:
    """An array given to fit(): its shape (batch axis first) and, for labels, classes."""

    shape: tuple
    classes: Any = None
    onehot: bool = False
    what: str = ""
    #: where batches come from (a generator, flow_from_directory...); "" for arrays
    source: str = ""

    @property
    def samples(self) -> Any:
        return self.shape[0] if self.shape else None

    @property
    def concrete_shape(self) -> bool:
        return all(concrete(d) for d in self.shape)


@dataclass(frozen=True)
class FitCall:
    x: Data | None
    y: Data | None
    batch_size: int | None
    epochs: int | None
    loc: Location | None
    #: how many arguments were positional (4: x, y, batch_size and epochs by position)
    positional: int = 0
    #: the method the data were given to: "fit" (fit_generator too), "train_on_batch", or, when
    #: the program never trains, "evaluate" / "test_on_batch": Keras checks the data against
    #: the model there just as fit() does
    call: str = "fit"


def _data(rec: Any) -> Data | None:
    if not isinstance(rec, dict) or not isinstance(rec.get("shape"), (tuple, list)):
        return None  # unknown, or several arrays (multi-input models are not compared)
    return Data(tuple(rec["shape"]), rec.get("classes"), bool(rec.get("onehot")), str(rec.get("what", "")),
                str(rec.get("source") or ""))


def compiles(graph: Graph) -> list[CompileCall]:
    """Every compile() of the model, in order (one, or none, outside Python files)."""
    many = graph.extras.get("compiles")
    if isinstance(many, list) and many:
        out = [CompileCall(c["settings"], as_location(c.get("loc"))) for c in many
               if isinstance(c, dict) and isinstance(c.get("settings"), dict)]
        if out:
            return out
    if isinstance(graph.compile, dict):
        return [CompileCall(graph.compile, as_location(graph.compile_loc))]
    return []


def fits(graph: Graph) -> list[FitCall]:
    """Every fit() of the model the Python reader saw; when there is none, the data given to
    evaluate() (or test_on_batch()), whose labels and inputs Keras checks in the same way."""
    out = []
    for rec in graph.extras.get("fit_calls", []) or []:
        if not isinstance(rec, dict):
            continue
        bs, ep = rec.get("batch_size"), rec.get("epochs")
        out.append(FitCall(_data(rec.get("x")), _data(rec.get("y")), bs if concrete(bs) else None,
                           ep if concrete(ep) else None, as_location(rec.get("loc")),
                           int(rec.get("positional") or 0), str(rec.get("call") or "fit")))
    training = [f for f in out if f.call in ("fit", "train_on_batch")]
    if training:
        return training
    seen: set[tuple[Any, Any]] = set()  # evaluate(x_test, y_test) twice: the data once
    once = []
    for f in out:
        key = (f.x, f.y)
        try:
            if key in seen:
                continue
            seen.add(key)
        except TypeError:  # data holding an unhashable size
            pass
        once.append(f)
    return once
