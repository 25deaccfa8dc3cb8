"""A whole model explained: one section per layer, plus the conditions a symbolic input
size must meet."""

from __future__ import annotations

from typing import Any

from archcalc.engine import Analysis, Row
from archcalc.explain.params import param_derivations
from archcalc.explain.render import LayerExplanation, ModelExplanation, Totals
from archcalc.explain.rf import cumulative, notes_inverse
from archcalc.explain.sizes import generic_size_derivations, symmetric_padding, window_derivations
from archcalc.layers.conv import SpatialLayer
from archcalc.layers.reshaping import ZeroPadding


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
