"""Shared walk for the loss/output rules: each model output with its loss and activation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archcalc.errors import Location
from archcalc.graph import Node
from archcalc.lint.compile_info import LossSpec
from archcalc.lint.context import LintContext
from archcalc.lint.rule import Report


@dataclass(frozen=True)
class OutputLoss:
    output: str
    loss: LossSpec
    activation: str | None  # None: not known (e.g. the output is a merge)
    head: Node | None  # the layer that applies the activation
    units: Any  # last axis of the output
    loc: Location | None = None  # the compile() call that gave this loss


def outputs_with_loss(ctx: LintContext) -> Iterator[OutputLoss]:
    """Each output with its loss, for every compile() call (a model compiled twice is
    checked twice: the first compile may train too)."""
    calls = ctx.compiles or []
    for call in calls:
        for out, loss in ctx.losses_of(call).items():
            act, head = ctx.final_activation(out)
            yield OutputLoss(out, loss, act, head, ctx.last_dim(out), call.loc or ctx.compile_loc)


def at_compile(ctx: LintContext, item: OutputLoss, message: str, hint: str | None = None) -> Report:
    """A loss problem whose fix is the loss is reported on the compile line (the head's line
    without one), naming the output layer."""
    loc = item.loc or ctx.compile_loc or (item.head.loc if item.head else None)
    head = item.head.loc if item.head is not None else None
    related = ((head, f"the output layer '{item.head.name}'"),) \
        if item.head is not None and head is not None and head.line and head != loc else ()
    return Report(message, loc, item.output, hint, related)


def at_output(ctx: LintContext, item: OutputLoss, message: str, hint: str | None = None,
              node: Node | None = None) -> Report:
    """A loss problem whose fix is in the output layer (its activation, its units) is
    reported on that layer (``node``, else the layer applying the activation), naming the
    compile() line; without a known layer, on the compile line."""
    node = node or item.head
    loc = node.loc if node is not None else None
    if loc is None or not loc.line:
        return at_compile(ctx, item, message, hint)
    where = item.loc or ctx.compile_loc
    related = ((where, f"the loss {item.loss.written} is chosen here"),) if where is not None and where.line else ()
    return Report(message, loc, item.output, hint, related)


def describe(item: OutputLoss) -> str:
    where = f"'{item.output}'"
    if item.head is not None and item.head.name != item.output:
        where += f" ({item.head.type} '{item.head.name}')"
    return where
