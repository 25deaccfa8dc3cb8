"""A lint finding and its severity."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a finding is; ``error`` findings fail the run (all of them with --strict)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    @classmethod
    def parse(cls, value: Any) -> Severity:
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r}; use error, warning or info") from None


@dataclass(frozen=True)
class Related:
    """Another place a finding involves (SARIF's ``relatedLocations``)."""

    path: str
    line: int
    column: int
    message: str
    cell: int | None = None

    @property
    def where(self) -> str:
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path, "line": self.line, "column": self.column,
                             "message": self.message}
        if self.cell is not None:
            d["cell"] = self.cell
        return d


@dataclass(frozen=True)
class Finding:
    """One problem at one place: the fixed fields of ``archcalc lint --format json``."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    layer: str | None = None
    hint: str | None = None
    #: in a notebook, the cell (counting every cell from 1); ``line`` is then the line in the cell
    cell: int | None = None
    #: the other places involved (where the symptom shows, the fit() call...)
    related: tuple[Related, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        keys: tuple[str, ...] = ("path", "line", "column", "code", "severity", "layer", "message", "hint")
        if self.cell is not None:  # only notebooks have cells; other files keep the fixed fields
            keys = ("path", "cell", *keys[1:])
        out = {k: d[k] for k in keys}
        if self.related:
            out["related"] = [r.to_dict() for r in self.related]
        return out

    def __repr__(self) -> str:
        return f"<Finding {self.code} [{self.severity.value}] at {self.where}: {self.message}>"

    @property
    def where(self) -> str:
        """``path:line:col``, or ``path:cell N:line:col`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code, self.message)
