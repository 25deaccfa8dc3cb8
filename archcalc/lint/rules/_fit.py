"""Shared views for the rules that compare the data given to ``fit()`` with the model."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from archcalc.errors import Location
from archcalc.graph import Node
from archcalc.lint.context import LintContext
from archcalc.lint.training import Data, FitCall, concrete


@dataclass(frozen=True)
class LabelsVsLoss:
    """One (compile, fit) pair of a one-output model whose labels are known."""

    fit: FitCall
    y: Data
    loss_name: str
    written: str
    units: Any
    compile_loc: Location | None
    output: str


def labels_and_losses(ctx: LintContext) -> Iterator[LabelsVsLoss]:
    """Each compile() loss paired with each fit() whose labels the reader saw."""
    if len(ctx.graph.outputs) != 1:
        return
    out = ctx.graph.outputs[0]
    for call in ctx.compiles:
        loss = ctx.losses_of(call).get(out)
        if loss is None:
            continue
        for fit in ctx.fits:
            if fit.y is not None and fit.y.shape:
                yield LabelsVsLoss(fit, fit.y, loss.name, loss.written, ctx.last_dim(out),
                                   call.loc or ctx.compile_loc, out)


def input_written_at(ctx: LintContext) -> Node | None:
    """Where the model's input shape is written: the layer given ``input_shape=``, else the
    Input node (None for several inputs)."""
    if len(ctx.graph.inputs) != 1:
        return None
    name = ctx.graph.inputs[0]
    for user in ctx.consumers.get(name, []):
        node = ctx.node(user)
        given = node.layer.given if node.layer is not None else {}
        if any(k in given for k in ("input_shape", "batch_input_shape", "batch_shape", "input_dim")):
            return node
    return ctx.node(name)


def concrete_dims(shape: tuple | None) -> bool:
    return shape is not None and all(concrete(d) for d in shape)
