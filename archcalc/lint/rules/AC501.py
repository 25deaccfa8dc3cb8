"""An ``expect:`` check that does not hold.

A spec can state what the model should compute, so that a change that breaks an
assumption (a kernel size, a padding, a layer added) fails CI with the numbers side by
side. Keys, for the whole model or under ``layers:`` for one named layer:
``params``, ``trainable_params``, ``non_trainable_params``, ``output_shape`` (with or
without the batch axis) and ``receptive_field`` (one size, or one per axis)::

    expect:
      params: 104
      output_shape: [16, 16, 8]
      layers:
        conv: {params: 104, receptive_field: 2}

Each mismatch is an error showing the expected and the computed value with its working,
e.g. ``expect params 100, computed 104 = (2*2*3 + 1)*8``.

Fix: correct the model, or the expectation if the model changed on purpose.

Failing::

    input: [32, 32, 3]
    layers:
      - conv: Conv2D(8, 2, strides=2)
    expect:
      params: 100

Passing::

    input: [32, 32, 3]
    layers:
      - conv: Conv2D(8, 2, strides=2)
    expect:
      params: 104
      output_shape: [16, 16, 8]
      layers:
        conv: {receptive_field: 2}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archcalc.engine import Row
from archcalc.errors import did_you_mean
from archcalc.layers.base import fmt_shape
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._sections import Section

COUNTS = ("params", "trainable_params", "non_trainable_params")
MEASURES = (*COUNTS, "output_shape", "receptive_field")
MAX_TERMS = 8


def _dims(shape: tuple) -> str:
    return "*".join(str(d) for d in shape)


def row_formula(row: Row) -> str:
    """A row's parameter count as a product formula: (5*5*3 + 1)*8."""
    ws = row.weights
    if not ws or (row.params == 0 and ws):
        return "0"
    if len(ws) == 2 and ws[1].name == "bias" and len(ws[1].shape) == 1 and len(ws[0].shape) >= 2 \
            and ws[0].shape[-1] == ws[1].shape[0]:
        return f"({_dims(ws[0].shape[:-1])} + 1)*{ws[0].shape[-1]}"
    return " + ".join(_dims(w.shape) for w in ws)


def model_formula(rows: list[Row]) -> str:
    weighted = [r for r in rows if r.weights and r.params]
    if len(weighted) == 1:
        return row_formula(weighted[0])
    terms = [f"{r.params:,} [{r.name}]" for r in weighted[:MAX_TERMS]]
    if len(weighted) > MAX_TERMS:
        terms.append("...")
    return " + ".join(terms)


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        from archcalc.cost import parse_count
    except ImportError:  # pragma: no cover - cost.py ships with archcalc
        return None
    try:
        return parse_count(value)
    except ValueError:
        return None


class ExpectMismatch(LintRule):
    __doc__ = __doc__
    code = "AC501"
    name = "check.expect"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        sec = Section.of(ctx.graph, "expect", ctx.path)
        if sec is None:
            return
        if not isinstance(sec.raw, dict):
            yield Report("`expect:` must be a mapping such as {params: 104}", sec.loc)
            return
        for key, value in sec.value.items():
            if key in MEASURES:
                yield from self._measure(ctx, sec, (key,), key, value, None)
            elif key == "layers" and isinstance(value, dict):
                for lname, checks in value.items():
                    yield from self._layer(ctx, sec, ("layers", lname), lname, checks)
            elif key in ctx.graph.nodes and isinstance(value, dict):
                yield from self._layer(ctx, sec, (key,), key, value)
            else:
                hint = did_you_mean(str(key), [*MEASURES, "layers", *ctx.graph.nodes])
                yield Report(f"unknown expect key '{key}'", sec.where(key), None,
                             hint or "keys: " + ", ".join(MEASURES) + ", layers")

    def _layer(self, ctx: LintContext, sec: Section, keys: tuple, lname: str, checks: Any) -> Iterator[Report]:
        if lname not in ctx.analysis.by_name:
            yield Report(f"expect: no layer named '{lname}'", sec.where(*keys), None,
                         did_you_mean(str(lname), ctx.graph.nodes))
            return
        if not isinstance(checks, dict):
            yield Report(f"expect for layer '{lname}' must be a mapping such as {{params: 104}}",
                         sec.where(*keys), lname)
            return
        for key, value in checks.items():
            if key not in MEASURES:
                yield Report(f"unknown expect key '{key}' for layer '{lname}'", sec.where(*keys, key),
                             lname, did_you_mean(str(key), MEASURES))
                continue
            yield from self._measure(ctx, sec, (*keys, key), key, value, ctx.analysis.by_name[lname])

    def _measure(self, ctx: LintContext, sec: Section, keys: tuple, key: str, value: Any,
                 row: Row | None) -> Iterator[Report]:
        subject = f"layer '{row.name}' " if row is not None else ""
        loc = sec.where(*keys)
        if key in COUNTS:
            want = _count(value)
            got = getattr(row if row is not None else ctx.analysis, key if key != "params" else
                          ("params" if row is not None else "total_params"))
            if want is None:
                yield Report(f"expect {subject}{key}: {value!r} is not a count", loc,
                             row.name if row is not None else "")
                return
            if want != got:
                rows = [row] if row is not None else ctx.analysis.rows
                working = f" = {row_formula(row) if row is not None else model_formula(rows)}" \
                    if key == "params" else ""
                yield Report(f"expect {subject}{key} {want:,}, computed {got:,}{working}", loc,
                             row.name if row is not None else None)
        elif key == "output_shape":
            got_shapes = row.output_shapes() if row is not None else ctx.analysis.output_shapes
            yield from self._shape(subject, value, got_shapes, loc, row)
        elif key == "receptive_field":
            target = row if row is not None else ctx.row(ctx.graph.outputs[0])
            if target.rf is None:
                yield Report(f"expect {subject}receptive_field: the tensor has no spatial axes", loc,
                             target.name)
                return
            got = target.rf.sizes()
            want_sizes = [value] * len(got) if isinstance(value, int) else value
            if want_sizes != got:
                yield Report(f"expect {subject}receptive_field {value}, computed {got}", loc, target.name)

    @staticmethod
    def _shape(subject: str, value: Any, got_shapes: list, loc: Any, row: Row | None) -> Iterator[Report]:
        wanted = value if (isinstance(value, list) and value and all(isinstance(v, list) for v in value)) \
            else [value]
        if len(wanted) != len(got_shapes):
            yield Report(f"expect {subject}output_shape {value}, computed {fmt_shape(got_shapes)}", loc,
                         row.name if row else None)
            return
        for want, got in zip(wanted, got_shapes, strict=True):
            if not isinstance(want, list):
                yield Report(f"expect {subject}output_shape: {want!r} is not a list", loc)
                return
            ok = list(got) == want or list(got[1:]) == want
            if not ok:
                shown = fmt_shape(got) if len(want) == len(got) else fmt_shape(tuple(got[1:]))
                yield Report(f"expect {subject}output_shape {want}, computed {shown}", loc,
                             row.name if row else None)
