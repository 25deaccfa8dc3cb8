"""Conditions on symbolic input sizes (``input: [H, W, 3]``).

The symbolic analysis gives the conditions as formulas: every size stays positive, and the
inputs of a merge (the U-Net's Concatenate) agree. Which sizes satisfy them is then
settled by the engine itself: the model is analysed with numbers put in for the symbols,
and a size is valid exactly when the engine builds the model.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from archcalc.engine import Analysis, analyze
from archcalc.errors import ArchcalcError
from archcalc.graph import Graph
from archcalc.layers.merging import Concatenate, Merge

LIMIT = 4096  # largest size tried when looking for the smallest valid input
WINDOW = 96  # sizes checked past the smallest one to find the pattern (period)


@dataclass
class Condition:
    layer: str
    relation: Any  # a sympy relational (>= or Eq)
    kind: str  # "positive" or "merge"


@dataclass
class SymbolRule:
    """The valid values of one size symbol, found by building the model: x >= minimum and
    x mod period in residues (checked up to ``checked_up_to``)."""

    symbol: sp.Symbol
    minimum: int
    period: int
    residues: list[int]
    checked_up_to: int

    def text(self) -> str:
        s = self.symbol.name
        if self.period == 1:
            return f"{s} >= {self.minimum}"
        if self.residues == [0]:
            return f"{s} >= {self.minimum} and {s} divisible by {self.period}"
        return f"{s} >= {self.minimum} and {s} mod {self.period} in {{{', '.join(map(str, self.residues))}}}"


@dataclass
class Validity:
    symbols: list[sp.Symbol]
    conditions: list[Condition] = field(default_factory=list)
    rules: list[SymbolRule] = field(default_factory=list)
    smallest: dict[sp.Symbol, int] | None = None
    smallest_shapes: dict[str, tuple] | None = None


def symbols_of(analysis: Analysis) -> list[sp.Symbol]:
    found: set[Any] = set()
    for name in analysis.graph.inputs:
        for d in analysis.graph.nodes[name].shape or ():
            found |= getattr(d, "free_symbols", set())
    return sorted(found, key=lambda s: s.name)


def substitute(graph: Graph, values: dict[sp.Symbol, int]) -> Graph:
    """The graph with numbers in place of the symbolic input sizes."""
    g = copy.copy(graph)
    g.nodes = dict(graph.nodes)
    for name in graph.inputs:
        node = graph.nodes[name]
        shape = tuple(_num(d, values) for d in node.shape or ())
        g.nodes[name] = dataclasses.replace(node, shape=shape)
    return g


def _num(d: Any, values: dict) -> Any:
    if getattr(d, "free_symbols", None):
        v = sp.sympify(d).xreplace({k: sp.Integer(x) for k, x in values.items()})
        return int(v) if v.is_Integer else v
    return d


def builds(graph: Graph, values: dict[sp.Symbol, int]) -> bool:
    """Whether the engine builds the model with these sizes (Keras would refuse otherwise)."""
    try:
        analyze(substitute(graph, values))
    except ArchcalcError:
        return False
    return True


def conditions(analysis: Analysis) -> list[Condition]:
    out: list[Condition] = []
    seen: set[Any] = set()
    for row in analysis.rows:
        for shape in row.output_shapes():
            for d in shape[1:]:
                if d is None or not getattr(d, "free_symbols", None):
                    continue
                rel = sp.Ge(d, 1)
                if rel is sp.true or rel in seen:
                    continue
                seen.add(rel)
                out.append(Condition(row.name, rel, "positive"))
        layer = row.node.layer
        if isinstance(layer, Merge) and len(row.input_shapes) > 1:
            rank = len(row.input_shapes[0])
            skip = layer.cfg["axis"] % rank if isinstance(layer, Concatenate) else None
            for ax in range(1, rank):
                if ax == skip:
                    continue
                dims = [s[ax] for s in row.input_shapes if ax < len(s) and s[ax] is not None]
                for other in dims[1:]:
                    rel = sp.Eq(dims[0], other)
                    if rel is sp.true or rel in seen:
                        continue
                    seen.add(rel)
                    out.append(Condition(row.name, rel, "merge"))
    return out


def _rule(graph: Graph, s: sp.Symbol, base: dict[sp.Symbol, int]) -> SymbolRule | None:
    top = max(base.values()) + WINDOW
    ok = [x for x in range(1, top + 1) if builds(graph, {**base, s: x})]
    if not ok:
        return None
    m = ok[0]
    okset = set(ok)
    for p in range(1, 33):
        if all((x in okset) == (x + p in okset) for x in range(m, top + 1 - p)):
            residues = sorted({x % p for x in ok})
            return SymbolRule(s, m, p, residues, top)
    return SymbolRule(s, m, 0, sorted(okset), top)


def smallest_input(graph: Graph, symbols: list[sp.Symbol]) -> dict[sp.Symbol, int] | None:
    """The smallest sizes for which the model builds: first one size for all symbols, then
    each symbol lowered on its own."""
    n0 = next((n for n in range(1, LIMIT + 1) if builds(graph, {s: n for s in symbols})), None)
    if n0 is None:
        return None
    best = {s: n0 for s in symbols}
    for s in symbols:
        for x in range(1, n0):
            if builds(graph, {**best, s: x}):
                best[s] = x
                break
    return best


def validity(analysis: Analysis) -> Validity:
    symbols = symbols_of(analysis)
    v = Validity(symbols, conditions(analysis))
    graph = analysis.graph
    v.smallest = smallest_input(graph, symbols)
    if v.smallest is not None:
        for s in symbols:
            rule = _rule(graph, s, dict(v.smallest))
            if rule is not None:
                v.rules.append(rule)
        v.smallest_shapes = {
            name: tuple(_num(d, v.smallest) for d in graph.nodes[name].shape or ()) for name in graph.inputs
        }
    return v
