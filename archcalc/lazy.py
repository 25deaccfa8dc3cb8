"""Tables of plug-ins imported on first use: a command, a renderer, a lint reporter, a
front-end is a row ``name -> "module:attr"``, and nothing is imported until it is used
(``archcalc summary`` never loads the Keras bridge, a JSON report never loads rich).

The table is a read-only mapping from names to their ``"module:attr"`` text (``in``,
``sorted()``, ``len()`` work as on a dict); :meth:`LazyTable.load` imports a row's module and
returns the attribute. ``tests/test_architecture.py`` reads these strings as imports, so a
lazy row must point down the floors like any import.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator, Mapping
from typing import Any


class LazyTable(Mapping[str, str]):
    """``name -> "module:attr"``, imported by :meth:`load` when a name is used."""

    def __init__(self, rows: Mapping[str, str]) -> None:
        for name, target in rows.items():
            if target.count(":") != 1:
                raise ValueError(f"{name}: expected 'module:attr', got {target!r}")
        self._rows = dict(rows)

    def __getitem__(self, name: str) -> str:
        return self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"LazyTable({self._rows!r})"

    def load(self, name: str) -> Any:
        """The attribute ``name`` stands for, its module imported now (KeyError for a name
        the table does not have)."""
        module, attr = self._rows[name].split(":")
        return getattr(importlib.import_module(module), attr)

    def available(self, name: str) -> bool:
        """Whether the row's module can be imported here (it exists in this installation)."""
        target = self._rows.get(name)
        if target is None:
            return False
        return importlib.util.find_spec(target.split(":")[0]) is not None
