"""One formula, two uses: for every registered layer type and random arguments, each
derivation's formula with the numbers put in equals the engine's number."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archcalc.engine import analyze
from archcalc.errors import ArchcalcError
from archcalc.explain import explain_analysis
from archcalc.layers.registry import canonical_types
from archcalc.readers.yaml_spec import load_text


def example_spec(call: str, shapes: Any) -> str:
    """A one-layer spec for a layer type's registry example (one or several inputs)."""

    def dims(shape: tuple) -> str:
        return "[" + ", ".join("null" if d is None else str(d) for d in shape) + "]"

    if isinstance(shapes, list):
        names = [f"x{i}" for i in range(len(shapes))]
        inputs = "{" + ", ".join(f"{n}: {dims(s)}" for n, s in zip(names, shapes, strict=True)) + "}"
        return f"input: {inputs}\nlayers:\n  - \"{call}([{', '.join(names)}])\"\n"
    return f"input: {dims(shapes)}\nlayers:\n  - \"{call}\"\n"


TYPES = canonical_types()
SIZE_KEYS = ("units", "filters", "output_dim", "depth_multiplier")


def _vary(cls, draw_int, shapes):
    """The example with its size arguments and input channels drawn at random."""
    from archcalc.layers.registry import lookup
    from archcalc.readers.calls import Evaluator, func_name, parse_expr

    def make(c):
        a, k = Evaluator({}, make_layer=make).call_args(c)
        return lookup(func_name(c)).bind(a, k)

    call, shape = cls.example
    layer = make(parse_expr(call))
    given = dict(layer.given)
    groups = given.get("groups", 1)
    for k in SIZE_KEYS:
        if isinstance(given.get(k), int) and not isinstance(given.get(k), bool):
            given[k] = draw_int(1, 12) * (groups if k == "filters" else 1)
    new_call = type(layer).bind([], given).call_repr() if "layer" not in given else call

    def bump(s):
        s = list(s)
        if s and isinstance(s[-1], int) and cls.family not in ("merging",) and cls.keras_name != "Embedding":
            s[-1] = s[-1] * draw_int(1, 3) if groups == 1 else s[-1]
        if len(s) >= 2:
            extra = draw_int(0, 6)
            s[:-1] = [d + extra if isinstance(d, int) else d for d in s[:-1]]
        return tuple(s)

    shapes = [bump(x) for x in shape] if isinstance(shape, list) else bump(shape)
    return new_call, shapes


def _check(spec: str) -> None:
    try:
        a = analyze(load_text(spec, "<property>"))
    except ArchcalcError:
        return  # the drawn sizes do not build; Keras would refuse them too
    ex = explain_analysis(a)  # check() inside raises when a formula disagrees
    for layer in ex.layers:
        row = a.by_name[layer.name]
        for d in layer.params:
            if d.part_of:  # a part (an attention projection): check() compared it with its weights
                continue
            want = row.non_trainable_params if d.quantity.startswith("non-") else row.trainable_params
            assert d.value == want
            for form in d.forms:
                got = form.doit().xreplace(d.values) if hasattr(form, "doit") else form
                assert int(got) == want, (spec, d.quantity)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.keras_name)
def test_example_derivations_match_engine(cls):
    _check(example_spec(*cls.example))


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.keras_name)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_arguments_match_engine(cls, data):
    call, shapes = _vary(cls, lambda lo, hi: data.draw(st.integers(lo, hi)), None)
    _check(example_spec(call, shapes))
