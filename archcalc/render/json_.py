"""The JSON report (a fixed interface: other tools rely on its keys)."""

from __future__ import annotations

import json
from typing import Any

from archcalc.engine import Analysis, Row
from archcalc.render.common import dim_json, shape_json


def row_json(row: Row, cost: Any = None, convention: str = "archcalc", act_bytes: int = 4,
             batch_size: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": row.name,
        "type": row.type,
        "inputs": list(row.inputs),
        "output_shape": shape_json(row.output_shape),
        "params": dim_json(row.params),
        "trainable_params": dim_json(row.trainable_params),
        "non_trainable_params": dim_json(row.non_trainable_params),
        "receptive_field": row.rf.sizes() if row.rf is not None else None,
    }
    if cost is not None:
        out["macs"] = dim_json(cost.macs)
        out["other_ops"] = dim_json(cost.other_ops)
        out["flops"] = dim_json(cost.flops_for(convention))
        if cost.per_step:
            out["macs_per_step"] = True
    from archcalc.memory import row_activation_values

    values, unknown = row_activation_values(row)
    out["activations_bytes"] = dim_json(values * batch_size * act_bytes)
    if unknown:
        out["activations_per_step"] = True
    if row.rf is not None:
        out["receptive_field_jump"] = [_num(a.jump) for a in row.rf.axes]
        out["receptive_field_start"] = [_num(a.start) for a in row.rf.axes]
        if not row.rf.aligned:
            out["receptive_field_aligned"] = False
    if row.node.input_index:  # which output of a multi-output input each input reads
        out["input_index"] = list(row.node.input_index)
    if row.node.shared_with:
        out["shared_with"] = row.node.shared_with
    if row.node.loc is not None and row.node.loc.line:
        out["line"] = row.node.loc.line
    return out


def _num(x: Any) -> Any:
    """A receptive-field jump or start: int, float, or the formula as a string when symbolic
    (a strided chain over a size taken from data)."""
    if getattr(x, "free_symbols", None):
        return dim_json(x)
    return int(x) if x == int(x) else float(x)


def to_dict(analysis: Analysis, dtype: str = "float32", batch_size: int = 1,
            cost_convention: str = "archcalc") -> dict[str, Any]:
    """The report; ``weights_bytes`` follows ``dtype`` (float32 unless asked otherwise). Byte
    figures are exact byte counts; ``flops`` follows ``cost_convention``."""
    from archcalc.memory import DTYPES, estimate

    cost = analysis.cost
    mem = estimate(analysis, dtype, batch_size)
    act = DTYPES[dtype][1]
    out = {
        "name": analysis.name,
        "layers": [row_json(r, cost.layers[r.name], cost_convention, act, batch_size) for r in analysis.rows],
        "outputs": [shape_json(s) for s in analysis.output_shapes],
        "total_params": dim_json(analysis.total_params),
        "trainable_params": dim_json(analysis.trainable_params),
        "non_trainable_params": dim_json(analysis.non_trainable_params),
        "weights_bytes": dim_json(mem.weights),
        "macs": dim_json(cost.macs),
        "other_ops": dim_json(cost.other_ops),
        "flops": dim_json(cost.flops_for(cost_convention)),
        "cost_convention": cost_convention,
    }
    if cost.per_step:
        out["macs_per_step"] = True
    if cost.uncounted:
        out["macs_uncounted"] = cost.uncounted
    out["memory"] = {k: dim_json(v) if k.endswith("bytes") else v for k, v in mem.as_dict().items()}
    if analysis.graph.extras.get("era"):  # the Python reader says which Keras the code is written for
        from archcalc.layers.eras import era_report  # the Keras 1/2 tables: only for such a read

        out["era"] = era_report(analysis.graph)
    notes = analysis.graph.extras.get("notes")
    if notes:
        out["notes"] = list(notes)  # how the reader filled in what the code does not say
    return out


def render(analysis: Analysis, dtype: str = "float32", batch_size: int = 1, cost_convention: str = "archcalc",
           **options: Any) -> str:
    """Pretty but fast: one line per layer (json's indenting encoder is pure Python and
    dominated the run time on large models)."""
    data = to_dict(analysis, dtype, batch_size, cost_convention)
    layers = data.pop("layers")
    name = json.dumps({"name": data.pop("name")})[1:-1]
    rest = json.dumps(data)[1:-1]
    body = ",\n    ".join(json.dumps(layer) for layer in layers)
    return "{\n  " + name + ",\n  \"layers\": [\n    " + body + "\n  ],\n  " + rest + "\n}"
