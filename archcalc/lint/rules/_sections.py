"""Lines of the keys inside a spec section (``expect:``, ``budget:``), for findings.

The YAML front-end keeps each free section's composed node in ``extras['<key>_node']``;
other front-ends may not, and then every finding points at the section itself.
"""

from __future__ import annotations

from typing import Any

from archcalc.errors import Location


class Section:
    """A mapping section with the location of each key (and of nested keys)."""

    def __init__(self, path: str, value: Any, node: Any, loc: Location | None) -> None:
        self.path = path
        self.raw = value
        self.value = value if isinstance(value, dict) else {}
        self.node = node
        self.loc = loc

    @classmethod
    def of(cls, graph: Any, key: str, path: str) -> Section | None:
        if key not in graph.extras:
            return None
        return cls(path, graph.extras[key], graph.extras.get(key + "_node"), graph.extras.get(key + "_loc"))

    def where(self, *keys: str) -> Location | None:
        """The location of a (nested) key, or of the closest enclosing key known."""
        node, best = self.node, self.loc
        for key in keys:
            pairs = getattr(node, "value", None)
            if not isinstance(pairs, list):
                return best
            for k, v in pairs:
                if getattr(k, "value", None) == key:
                    mark = k.start_mark
                    best = Location(self.path, mark.line + 1, mark.column + 1)
                    node = v
                    break
            else:
                return best
        return best
