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

    def text_lines(self) -> list[str]:
        lines = [self.heading]
        for d in self.derivations:
            lines += ["  " + x for x in d.text_lines()]
        return lines or [self.heading]

    def __str__(self) -> str:
        return "\n".join(self.text_lines())

    def __repr__(self) -> str:
        from archcalc.explain.printing import fmt_shape_text

        return f"<LayerExplanation {self.name} ({self.type}) -> {fmt_shape_text(self.output_shape)}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # Jupyter/IPython text/plain
        p.text(repr(self) if cycle else str(self))

    def _repr_markdown_(self) -> str:
        from archcalc.explain.render import layer_markdown

        return "\n".join(layer_markdown(self))

    @property
    def heading(self) -> str:
        from archcalc.explain.printing import fmt_shape_text

        ins = ", ".join(fmt_shape_text(s) for s in self.input_shapes)
        return f"{self.name} ({self.type}): {self.call}   {ins} -> {fmt_shape_text(self.output_shape)}"


def chain_dims(shape: Any) -> str:
    """A shape without its batch axis as the notes write it: 32x32x1."""
    from archcalc.explain.printing import fmt_dim_text

    dims = [fmt_dim_text(d) for d in shape[1:]]
    plain = all(d.isdigit() for d in dims)
    return ("x" if plain else " x ").join(dims) or "scalar"


@dataclass
class Totals:
    """The model's worked totals: the sum of the layers' parameter counts (the engine's
    rows), the trainable / non-trainable split, the output shape(s) and, for a plain stack,
    the chain of shapes."""

    terms: list[tuple[str, Any]]
    trainable_terms: list[tuple[str, Any]]
    non_trainable_terms: list[tuple[str, Any]]
    trainable: Any
    non_trainable: Any
    total: Any
    outputs: list[Any]
    chain: list[Any] | None = None

    @classmethod
    def of(cls, analysis: Analysis) -> Totals:
        rows = analysis.rows
        chain = [r.output_shape for r in rows] if analysis.graph.is_chain() else None
        return cls([(r.name, r.params) for r in rows if r.params != 0],
                   [(r.name, r.trainable_params) for r in rows if r.trainable_params != 0],
                   [(r.name, r.non_trainable_params) for r in rows if r.non_trainable_params != 0],
                   analysis.trainable_params, analysis.non_trainable_params, analysis.total_params,
                   list(analysis.output_shapes), chain)

    def chain_runs(self) -> list[tuple[Any, int]]:
        """The shape chain with runs of one shape (activations, normalization, dropout)
        folded: (shape, how many layers in a row give it)."""
        runs: list[list] = []
        for shape in self.chain or []:
            if runs and runs[-1][0] == shape:
                runs[-1][1] += 1
            else:
                runs.append([shape, 1])
        return [(sh, n) for sh, n in runs]

    def chain_text(self) -> str:
        return " -> ".join(chain_dims(s) + (f" (x{n})" if n > 2 else " -> " + chain_dims(s) if n == 2 else "")
                           for s, n in self.chain_runs())

    def output_text(self) -> str:
        from archcalc.explain.printing import fmt_shape_text

        return ", ".join(fmt_shape_text(s) for s in self.outputs)


@dataclass
class ModelExplanation:
    """Every explained layer, the model's totals, and (for symbolic input sizes) the
    validity conditions."""

    name: str
    layers: list[LayerExplanation]
    validity: Any = None  # archcalc.explain.validity.Validity when an input size is symbolic
    totals: Totals | None = None  # None when only some layers were asked for

    def render(self, fmt: str = "text", width: int = 100, standalone: bool = False) -> str:
        from archcalc.explain import render

        return render.render(self, fmt, width=width, standalone=standalone)

    def _repr_markdown_(self) -> str:
        return self.render("markdown")

    def _repr_latex_(self) -> str:
        return self.render("latex")

    def __str__(self) -> str:
        return self.render("text")

    def __repr__(self) -> str:
        n = len(self.layers)
        total = f", {self.totals.total:,} parameters" if self.totals and isinstance(self.totals.total, int) else ""
        return f"<ModelExplanation {self.name}: {n} layer{'s' if n != 1 else ''}{total}>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self) if cycle else self.render("text"))

def _pad_before(row: Row, analysis: Analysis) -> tuple[Any, Any]:
    """The ZeroPadding layer feeding this one (the notes' numeric padding P), and its input."""
    if len(row.inputs) != 1:
        return None, None
    src = analysis.by_name[row.inputs[0]]
    layer = src.node.layer
    if isinstance(layer, ZeroPadding) and symmetric_padding(layer):
        return layer, src.input_shapes[0]
    return None, None


#: arguments that size a window: (3, 3) is written 3
_WINDOW_ARGS = ("kernel_size", "strides", "pool_size", "dilation_rate", "size")


def written_call(layer: Any) -> str:
    """The call as a user writes it: a layer read from a Keras config (a live model, a .json
    or .keras file) carries every argument; keep the required ones positionally and the
    others only where they differ from Keras's default (``Conv2D(8, 3, activation='relu')``)."""
    from archcalc.layers.base import REQUIRED, LayerType

    given = layer.given
    if "name" not in given or getattr(layer, "family", "") in ("nested", "custom"):
        return str(layer.call_repr())  # written by the user already (YAML, Python), or a model
    positional, keywords = [], []
    for arg in type(layer).ARGS:
        if arg.name not in given:
            continue
        value = given[arg.name]
        shown = layer.cfg.get(arg.name, value)
        if isinstance(value, LayerType):
            text = written_call(value)
        else:
            if arg.name in _WINDOW_ARGS and isinstance(shown, (tuple, list)) and len(set(shown)) == 1:
                shown = shown[0]
            text = repr(tuple(shown) if isinstance(shown, list) else shown)
        if arg.default is REQUIRED:
            positional.append(text)
            continue
        if _is_default(arg, value, layer):
            continue
        keywords.append(f"{arg.name}={text}")
    return f"{layer.keras_name}({', '.join(positional + keywords)})"


#: Keras's defaults for arguments archcalc does not model (initializers)
_KERAS_DEFAULTS = {"kernel_initializer": "glorot_uniform", "bias_initializer": "zeros",
                   "recurrent_initializer": "orthogonal", "embeddings_initializer": "uniform",
                   "depthwise_initializer": "glorot_uniform", "pointwise_initializer": "glorot_uniform",
                   "beta_initializer": "zeros", "gamma_initializer": "ones",
                   "moving_mean_initializer": "zeros", "moving_variance_initializer": "ones"}


def _is_default(arg: Any, value: Any, layer: Any) -> bool:
    import re

    default = _KERAS_DEFAULTS.get(arg.name, arg.default)
    if isinstance(value, dict) and "class_name" in value:  # a serialized initializer, regularizer ...
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", str(value["class_name"])).lower()
        cfg = value.get("config") or {}
        if not isinstance(cfg, dict):
            return False
        plain = all(v is None for k, v in cfg.items() if k != "seed")
        return isinstance(default, str) and snake == default and plain
    if arg.name == "data_format" and value == "channels_last":
        return True
    if arg.name == "strides" and "pool_size" in layer.cfg and layer.cfg.get("strides") == layer.cfg["pool_size"]:
        return True  # pooling: strides default to the pool size
    if arg.name == "activation" and value in ("linear", None) and default in ("linear", None):
        return True
    if value == default:
        return True
    from archcalc.explain.derivation import needs_numbers

    try:
        conv = arg.convert(default, layer) if arg.convert else default
        return bool(conv == (arg.convert(value, layer) if arg.convert else value))
    except needs_numbers():  # a default the argument's converter refuses: shown as written
        return False


def explain_row(row: Row, analysis: Analysis) -> LayerExplanation:
    """Derive one row's numbers from the engine's formulas on symbols."""
    layer = row.node.layer
    call = row.node.meta.get("source") or (written_call(layer) if layer else "Input")
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
    if not wanted:
        out.totals = Totals.of(analysis)
    from archcalc.explain.validity import symbols_of, validity

    if symbols_of(analysis):
        out.validity = validity(analysis)
    return out
