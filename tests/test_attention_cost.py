"""The cost of attention: the projections plus the products Q.K^T and A.V, per head, which
grow with the square of the sequence length (Vaswani et al. 2017, "Attention is all you
need", table 1: O(n^2 d) per self-attention layer), symbolic when the length is a symbol."""

from __future__ import annotations

import sympy as sp

from archcalc.cost import attention_parts, model_cost
from archcalc.engine import analyze
from archcalc.readers.yaml_spec import load_text

SPEC = """
input: [{n}, 64]
layers:
  - att: MultiHeadAttention(num_heads=4, key_dim=16, value_dim=8)([input, input])
"""


def _att(n):
    analysis = analyze(load_text(SPEC.format(n=n)))
    row = analysis.by_name["att"]
    return row, model_cost(analysis).layers["att"]


def test_attention_products_are_quadratic_in_a_symbolic_length():
    row, cost = _att("T")
    parts = attention_parts(row.node.layer, row.input_shapes)
    t = next(iter(sp.sympify(parts["Q.K^T"].macs).free_symbols))
    assert sp.expand(parts["Q.K^T"].macs - 4 * t**2 * 16) == 0  # heads x T x T x key_dim
    assert sp.expand(parts["A.V"].macs - 4 * t**2 * 8) == 0     # heads x T x T x value_dim
    assert sp.expand(parts["softmax"].other - 3 * 4 * t**2) == 0
    assert sp.degree(sp.expand(cost.macs), t) == 2
    assert t.name == "T"


def test_symbolic_cost_gives_the_concrete_cost_at_every_length():
    row, cost = _att("T")
    t = next(iter(sp.sympify(cost.macs).free_symbols))
    for n in (1, 7, 50):
        _, concrete = _att(n)
        assert sp.sympify(cost.macs).subs(t, n) == concrete.macs
        assert sp.sympify(cost.other_ops).subs(t, n) == concrete.other_ops


def test_cost_parts_sum_to_the_layer_cost():
    row, cost = _att(10)
    parts = attention_parts(row.node.layer, row.input_shapes)
    assert sum(p.macs for p in parts.values()) == cost.macs
    assert sum(p.other for p in parts.values()) == cost.other_ops
    # each projection: positions x features x heads x head size MACs, + its bias adds
    assert (parts["query projection"].macs, parts["query projection"].other) == (10 * 64 * 4 * 16, 10 * 4 * 16)
    assert (parts["value projection"].macs, parts["value projection"].other) == (10 * 64 * 4 * 8, 10 * 4 * 8)
    assert (parts["output projection"].macs, parts["output projection"].other) == (10 * 64 * 4 * 8, 10 * 64)
