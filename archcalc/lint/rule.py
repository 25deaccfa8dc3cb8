"""The rule protocol: a small class with a code, a dotted name, a default severity and a
docstring that is its documentation (shown by ``archcalc rules CODE``).

A rule yields :class:`Report` objects from :meth:`LintRule.check`; the runner turns them
into findings (adding the code, the severity and the file). A rule may also *claim* an
engine refusal (:meth:`LintRule.claim`), so that e.g. ``Dropout(1.5)``, which the spec
reader refuses, is reported under the rule's own code with the rule's hint.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from archcalc.errors import ArchcalcError, Location
from archcalc.lint.finding import Severity

if TYPE_CHECKING:
    from archcalc.graph import Graph, Node
    from archcalc.lint.context import LintContext


@dataclass(frozen=True)
class Report:
    """What a rule found, before the runner adds code, severity and path.

    ``loc`` is where the fix goes; ``related`` names the other places involved (the layer
    where the symptom shows, the ``fit()`` whose data disagrees), each with a short note."""

    message: str
    loc: Location | None = None
    layer: str | None = None
    hint: str | None = None
    related: tuple[tuple[Location, str], ...] = ()


class LintRule:
    """Base class of all rules; subclasses live one per module in ``archcalc.lint.rules``."""

    code: ClassVar[str] = ""
    #: dotted name: "<group>.<what-it-catches>", usable in select/ignore like the code
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    #: True for rules that only report engine refusals (they have no graph check)
    refusal_only: ClassVar[bool] = False

    def check(self, ctx: LintContext) -> Iterable[Report]:
        """Yield a report for each problem in the analysed model."""
        return ()

    def claim(self, error: ArchcalcError, graph: Graph | None) -> Report | None:
        """Return a report when this rule explains the engine refusal ``error``."""
        return None

    # -- documentation ------------------------------------------------------------------

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0].rstrip(".").replace("``", "")

    @classmethod
    def examples(cls) -> dict[str, str]:
        """The ``Failing::`` and ``Passing::`` blocks of the docstring (YAML specs)."""
        out: dict[str, str] = {}
        lines = cls.doc().splitlines()
        i = 0
        while i < len(lines):
            m = re.match(r"^(Failing|Passing)::\s*$", lines[i])
            if not m:
                i += 1
                continue
            block: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith("    ")):
                block.append(lines[i][4:])
                i += 1
            out[m.group(1).lower()] = "\n".join(block).strip("\n") + "\n"
        return out

    # -- helpers for subclasses ---------------------------------------------------------

    @staticmethod
    def at(node: Node, message: str, hint: str | None = None,
           related: tuple[tuple[Location | None, str], ...] = ()) -> Report:
        return Report(message, node.loc, node.name, hint,
                      tuple((loc, note) for loc, note in related if loc is not None and loc.line))


def plural(n: Any, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
