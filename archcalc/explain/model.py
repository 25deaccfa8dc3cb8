"""A whole model explained: one section per layer, plus the conditions a symbolic input
size must meet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.engine import Analysis, Row
from archcalc.explain.derivation import Derivation
from archcalc.explain.params import param_derivations
from archcalc.explain.rf import cumulative, notes_inverse
from archcalc.explain.sizes import generic_size_derivations, symmetric_padding, window_derivations
from archcalc.layers.base import fmt_shape
from archcalc.layers.conv import SpatialLayer
from archcalc.layers.reshaping import ZeroPadding


@dataclass
class LayerExplanation:
    """The derivations of one layer: parameters, output sizes, receptive field."""

    name: str
    type: str
    call: str
    input_shapes: list
    output_shape: Any
    params: list[Derivation] = field(default_factory=list)
    sizes: list[Derivation] = field(default_factory=list)
    rf: list[Derivation] = field(default_factory=list)

    @property
    def derivations(self) -> list[Derivation]:
        return [*self.params, *self.sizes, *self.rf]

    @property
    def heading(self) -> str:
        ins = ", ".join(fmt_shape(s) for s in self.input_shapes)
        return f"{self.name} ({self.type}): {self.call}   {ins} -> {fmt_shape(self.output_shape)}"


@dataclass
class ModelExplanation:
    """Every explained layer, and (for symbolic input sizes) the validity conditions."""

    name: str
    layers: list[LayerExplanation]
    validity: Any = None  # archcalc.explain.validity.Validity when an input size is symbolic

    def render(self, fmt: str = "text", width: int = 100) -> str:
        from archcalc.explain import render

        return render.RENDERERS[fmt](self, width=width) if fmt == "text" else render.RENDERERS[fmt](self)

    def _repr_markdown_(self) -> str:
        return self.render("markdown")

    def _repr_latex_(self) -> str:
        return self.render("latex")


def _pad_before(row: Row, analysis: Analysis) -> tuple[Any, Any]:
    """The ZeroPadding layer feeding this one (the notes' numeric padding P), and its input."""
    if len(row.inputs) != 1:
        return None, None
    src = analysis.by_name[row.inputs[0]]
    layer = src.node.layer
    if isinstance(layer, ZeroPadding) and symmetric_padding(layer):
        return layer, src.input_shapes[0]
    return None, None


def explain_row(row: Row, analysis: Analysis) -> LayerExplanation:
    """Derive one row's numbers from the engine's formulas on symbols."""
    layer = row.node.layer
    call = row.node.meta.get("source") or (layer.call_repr() if layer else "Input")
    ex = LayerExplanation(row.name, row.type, call, row.input_shapes, row.output_shape)
    if layer is None:
        return ex
    if row.node.shared_with:  # a second call of a shared layer: its weights are counted once, at the first
        ex.params = []
    else:
        ex.params = param_derivations(layer, row.input_shapes, row.trainable_params,
                                      row.non_trainable_params)
    if isinstance(layer, SpatialLayer) and not row.multi_output:
        pad_layer, pad_in = _pad_before(row, analysis)
        out_shape = row.output_shape
        assert not isinstance(out_shape, list)  # a single output (not row.multi_output)
        ex.sizes = window_derivations(layer, row.input_shapes[0], out_shape, pad_layer, pad_in)
        ex.rf = notes_inverse(layer, out_shape, pad_layer)
    else:
        ex.sizes = generic_size_derivations(layer, row.input_shapes, row.output_shape)
    if len(row.inputs) == 1:
        src = analysis.by_name[row.inputs[0]]
        ex.rf += cumulative(layer, src.rf, row.input_shapes, row.output_shape, row.rf)
    return ex


def explain_analysis(analysis: Analysis, layers: list[str] | None = None) -> ModelExplanation:
    """Explain every layer (or the named ones) of an analysed model."""
    from archcalc.errors import UsageError, did_you_mean

    wanted = list(layers or [])
    for name in wanted:
        if name not in analysis.by_name:
            raise UsageError(f"--layer {name}: the model has no layer '{name}'",
                             hint=did_you_mean(name, list(analysis.by_name)) or "layers: " + ", ".join(analysis.by_name))
    rows = [analysis.by_name[n] for n in wanted] if wanted else [r for r in analysis.rows if r.node.layer is not None]
    out = ModelExplanation(analysis.name, [explain_row(r, analysis) for r in rows])
    from archcalc.explain.validity import symbols_of, validity

    if symbols_of(analysis):
        out.validity = validity(analysis)
    return out


def _layer_markdown(self: LayerExplanation) -> str:
    from archcalc.explain.render import _md_layer

    return "\n".join(_md_layer(self))


LayerExplanation._repr_markdown_ = _layer_markdown  # type: ignore[attr-defined]
