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

    @classmethod
    def sections(cls) -> RuleDoc:
        """The docstring split as ruff's rule pages are: what, why, fix, examples."""
        return RuleDoc.parse(cls.doc())

    # -- helpers for subclasses ---------------------------------------------------------

    @staticmethod
    def at(node: Node, message: str, hint: str | None = None,
           related: tuple[tuple[Location | None, str], ...] = ()) -> Report:
        return Report(message, node.loc, node.name, hint,
                      tuple((loc, note) for loc, note in related if loc is not None and loc.line))


def plural(n: Any, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


_LITERAL = re.compile(r"``(.+?)``")


@dataclass(frozen=True)
class DocBlock:
    """A paragraph of a rule's docstring, or a literal block (``text::`` then indented lines)."""

    text: str
    code: bool = False

    @property
    def language(self) -> str:
        """yaml for a spec (``input:``/``layers:``), toml for pyproject, else python."""
        if not self.code:
            return ""
        if re.search(r"^\[tool\.", self.text, re.M):
            return "toml"
        if re.search(r"^(input|layers|name|params|budget|expect|compile):", self.text, re.M):
            return "yaml"
        return "python"


@dataclass(frozen=True)
class RuleDoc:
    """A rule's docstring in parts: ``summary`` (what it catches), ``why`` (paragraphs and
    literal blocks), ``fix`` (the ``Fix:`` paragraph) and the ``Failing::``/``Passing::``
    examples. The docstrings use reStructuredText's two markups only: ````literal```` and
    ``text::`` before an indented block."""

    summary: str
    why: tuple[DocBlock, ...]
    fix: str
    failing: str
    passing: str

    @classmethod
    def parse(cls, doc: str) -> RuleDoc:
        lines = doc.splitlines()
        summary = lines[0].strip() if lines else ""
        blocks: list[DocBlock] = []
        examples: dict[str, str] = {}
        para: list[str] = []
        i = 1
        while i <= len(lines):
            line = lines[i] if i < len(lines) else ""
            if line.strip() and not line.startswith("    "):
                para.append(line.strip())
                i += 1
                if i < len(lines):
                    continue
                line = ""
            if para:
                text = " ".join(para)
                para = []
                literal = text.endswith("::")
                if literal:
                    head = text[:-2].rstrip()
                    block: list[str] = []
                    while i + 1 < len(lines) and (not lines[i + 1].strip() or lines[i + 1].startswith("    ")):
                        i += 1
                        block.append(lines[i][4:])
                    code = "\n".join(block).strip("\n")
                    if head in ("Failing", "Passing"):
                        examples[head.lower()] = code
                    else:
                        blocks.append(DocBlock(head + ":"))
                        blocks.append(DocBlock(code, code=True))
                else:
                    blocks.append(DocBlock(text))
            i += 1
        fix = ""
        why: list[DocBlock] = []
        for b in blocks:
            if not b.code and b.text.startswith("Fix:") and not fix:
                fix = b.text[4:].strip()
                fix = fix[:1].upper() + fix[1:]
            else:
                why.append(b)
        return cls(summary, tuple(why), fix, examples.get("failing", ""), examples.get("passing", ""))

    def markdown(self, heading: str = "##") -> str:
        """Markdown for the documentation site (``literal`` -> `literal`)."""
        def md(text: str) -> str:
            return _LITERAL.sub(r"`\1`", text)

        out = [f"{heading} What it does", "", md(self.summary), ""]
        if self.why:
            out += [f"{heading} Why is this bad?", ""]
            for b in self.why:
                out += ([f"```{b.language}", b.text, "```", ""] if b.code else [md(b.text), ""])
        if self.fix:
            out += [f"{heading} How to fix it", "", md(self.fix), ""]
        for title, code in (("Example", self.failing), ("Use instead", self.passing)):
            if code:
                out += [f"{heading} {title}", "", f"```{DocBlock(code, True).language}", code, "```", ""]
        return "\n".join(out).rstrip() + "\n"

    def terminal(self, width: int, bold: Any = None) -> str:
        """Plain text for ``archcalc rules CODE``: headings (bold when ``bold`` styles them),
        paragraphs wrapped to ``width``, literal markup removed, code indented."""
        import textwrap

        style = bold or (lambda s: s)

        def para(text: str) -> list[str]:
            return textwrap.wrap(_LITERAL.sub(r"\1", text), width=max(40, width) - 2,
                                 initial_indent="  ", subsequent_indent="  ",
                                 break_long_words=False, break_on_hyphens=False) + [""]

        def code(text: str) -> list[str]:
            return ["      " + ln if ln else "" for ln in text.splitlines()] + [""]

        out = [style("What it does"), *para(self.summary)]
        if self.why:
            out.append(style("Why is this bad?"))
            for b in self.why:
                out += code(b.text) if b.code else para(b.text)
        if self.fix:
            out += [style("How to fix it"), *para(self.fix)]
        for title, example in (("Example (reported)", self.failing), ("Use instead", self.passing)):
            if example:
                out += [style(title), *code(example)]
        return "\n".join(out).rstrip() + "\n"
