"""A ``budget:`` limit exceeded.

A spec (or ``[tool.archcalc.budget]`` in pyproject.toml, for every model) can bound what
a model may cost, so that CI fails when a change makes it too big for its target::

    budget:
      params: 1.5M          # counts: 1500000, '1.5M', '300k'
      macs: 300M            # multiply-accumulates per sample (see the Cost section)
      memory: 64MB          # training memory estimate (weights, gradients, optimizer, activations)
      batch_size: 32        # for the memory estimate (default 1)
      dtype: float32

Limits: ``params``, ``trainable_params``, ``macs``, ``flops``, ``memory`` (=
``training_bytes``), ``weights_bytes``, ``activations_bytes``. MACs and memory come from
archcalc's cost and memory estimates (``archcalc.cost``, ``archcalc.memory``). A limit in
the spec overrides the default from pyproject.toml.

Fix: shrink the model, or raise the budget if the growth is intended.

Failing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, activation='relu')
      - Flatten()
      - Dense(10, activation='softmax')
    budget:
      params: 100k

Passing::

    input: [64, 64, 3]
    layers:
      - Conv2D(32, 3, activation='relu')
      - GlobalAveragePooling2D()
      - Dense(10, activation='softmax')
    budget:
      params: 100k
      macs: 10M
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from archcalc.errors import did_you_mean
from archcalc.lint.context import LintContext
from archcalc.lint.finding import Severity
from archcalc.lint.rule import LintRule, Report
from archcalc.lint.rules._sections import Section

ALIASES = {"memory": "training_bytes", "weights": "weights_bytes", "activations": "activations_bytes"}
COUNT_KEYS = ("params", "trainable_params", "macs", "flops")
BYTE_KEYS = ("training_bytes", "weights_bytes", "activations_bytes")
OPTION_KEYS = ("batch_size", "dtype")
KEYS = (*COUNT_KEYS, *BYTE_KEYS, *ALIASES, *OPTION_KEYS)


def measures(ctx: LintContext, dtype: str, batch_size: int) -> dict[str, Any]:
    """What can be bounded; params only when the cost/memory estimates are unavailable."""
    try:
        from archcalc.memory import budget_measures
    except ImportError:  # pragma: no cover - cost.py and memory.py ship with archcalc
        return {"params": ctx.analysis.total_params, "trainable_params": ctx.analysis.trainable_params}
    return budget_measures(ctx.analysis, dtype, batch_size)


def parse_limit(key: str, value: Any) -> int:
    if key in BYTE_KEYS:
        from archcalc.memory import parse_bytes

        return parse_bytes(value)
    from archcalc.cost import parse_count

    return parse_count(value)


def show(key: str, n: Any) -> str:
    if key in BYTE_KEYS:
        return f"{n:,} bytes ({n / 2**20:.3g} MiB)"
    from archcalc.render.common import fmt_si

    return f"{n:,} ({fmt_si(n)})"


class BudgetExceeded(LintRule):
    __doc__ = __doc__
    code = "AC502"
    name = "check.budget"
    severity = Severity.ERROR

    def check(self, ctx: LintContext) -> Iterator[Report]:
        sec = Section.of(ctx.graph, "budget", ctx.path)
        spec: dict[str, Any] = {}
        if sec is not None:
            if not isinstance(sec.raw, dict):
                yield Report("`budget:` must be a mapping such as {params: 1.5M}", sec.loc)
                return
            spec = dict(sec.value)
        limits: dict[str, tuple[Any, Any, str]] = {}  # canonical key -> (value, loc, origin)
        for key, value in ctx.budget_defaults.items():
            limits[ALIASES.get(key, key)] = (value, None, "pyproject.toml")
        for key, value in spec.items():
            if key not in KEYS:
                yield Report(f"unknown budget key '{key}'", sec.where(key) if sec else None, None,
                             did_you_mean(str(key), KEYS) or "keys: " + ", ".join(KEYS))
                continue
            limits[ALIASES.get(key, key)] = (value, sec.where(key) if sec else None, "spec")
        if not limits:
            return
        dtype = str(limits.pop("dtype", ("float32",))[0])
        batch = limits.pop("batch_size", (1,))[0]
        try:
            values = measures(ctx, dtype, int(batch))
        except (KeyError, ValueError, TypeError) as e:
            yield Report(f"budget: cannot estimate with dtype={dtype!r}, batch_size={batch!r}: {e}",
                         sec.loc if sec else None)
            return
        for key, (raw, loc, origin) in limits.items():
            try:
                limit = parse_limit(key, raw)
            except ValueError as e:
                yield Report(f"budget {key}: {e}", loc)
                continue
            got = values.get(key)
            if not isinstance(got, (int, float)):
                continue
            if got > limit:
                src = "" if origin == "spec" else f" (default from {origin})"
                yield Report(
                    f"budget {key} {raw}{src} exceeded: computed {show(key, got)}, limit {show(key, limit)}",
                    loc,
                    None,
                    "shrink the model, or raise the budget if the growth is intended",
                )
