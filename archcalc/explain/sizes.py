"""Output-size derivations: the notes' O = (I - K + 2P)/S + 1 (floored, as Keras does),
'same' as ceil(I/S) with the padding it implies, pooling and transpose convolution, and
for any other layer its own output_shape() evaluated on symbolic sizes."""

from __future__ import annotations

from typing import Any

import sympy as sp

from archcalc.explain.derivation import Derivation, check, needs_numbers, not_derived
from archcalc.explain.notation import LEGEND, D, I, K, P, S, output_size, transpose_form
from archcalc.explain.printing import sym, tidy
from archcalc.layers import formulas as F
from archcalc.layers.base import LayerType, Shape
from archcalc.layers.conv import ConvTranspose, SpatialLayer
from archcalc.layers.reshaping import ZeroPadding


def notes_padding(pad_layer: LayerType | None, axis: int) -> int:
    """P of a ZeroPadding layer right before a convolution: Keras's way of writing the
    notes' numeric padding (symmetric only)."""
    if pad_layer is None:
        return 0
    a, b = pad_layer.cfg["padding"][axis]
    return a if a == b else 0


def symmetric_padding(pad_layer: LayerType | None) -> bool:
    if not isinstance(pad_layer, ZeroPadding):
        return False
    return all(a == b for a, b in pad_layer.cfg["padding"])


def axis_label(rank: int, i: int) -> str:
    return F.SPATIAL_AXES[min(max(rank, 1), 3)][i].name


def window_derivations(layer: SpatialLayer, in_shape: Shape, out_shape: Shape,
                       pad_layer: LayerType | None = None, pad_in: Shape | None = None) -> list[Derivation]:
    """Output size per spatial axis of a convolution or pooling layer (axes that agree are
    shown once)."""
    kernel, strides, dilation, padding = layer.window()
    spatial_in, _ = layer.split(in_shape)
    spatial_out, _ = layer.split(out_shape)
    pad_spatial = layer.split(pad_in)[0] if pad_layer is not None and pad_in is not None else None
    seen: dict[tuple, Derivation] = {}
    out = []
    for ax, (i, k, s, d, o) in enumerate(zip(spatial_in, kernel, strides, dilation, spatial_out, strict=False)):
        key = (i, k, s, d, o, notes_padding(pad_layer, ax) if pad_spatial else 0)
        if key in seen:
            seen[key].quantity = seen[key].quantity.replace(")", f", {axis_label(layer.RANK, ax)})", 1)
            continue
        d_ = _one_axis(layer, ax, i, k, s, d, padding, o, pad_layer, pad_spatial)
        if d_ is None:
            continue
        seen[key] = d_
        out.append(d_)
    return out


def _one_axis(layer: SpatialLayer, ax: int, i: Any, k: Any, s: Any, d: Any, padding: str, o: Any,
              pad_layer: LayerType | None, pad_spatial: list | None) -> Derivation | None:
    label = f"output size ({axis_label(layer.RANK, ax)})"
    if i is None or not (F.is_int(k) and F.is_int(s) and F.is_int(d)):
        return None
    transpose = isinstance(layer, ConvTranspose)
    values: dict[sp.Symbol, Any] = {I: i, K: k, S: s}
    dd = D if d != 1 else 1
    if d != 1:
        values[D] = d
    notes: list[str] = []
    if transpose:
        ops = layer.cfg["output_padding"]
        op = None if ops is None else ops[ax]
        form = transpose_form(I, padding, op, dd)
        notes.append(f"transpose convolution, padding='{padding}'"
                     + ("" if op is None else f", output_padding={op}"))
        return check(Derivation(label, [tidy(form)], values, o, dict(LEGEND), notes), o)
    p = notes_padding(pad_layer, ax) if pad_spatial is not None else 0
    if padding == "valid" and p and pad_spatial is not None and F.is_int(pad_spatial[ax]):
        # the notes' numeric padding P, written in Keras as ZeroPadding before the layer
        assert pad_layer is not None  # notes_padding gives P = 0 without a padding layer
        values[I] = pad_spatial[ax]
        values[P] = p
        form = output_size(dd)
        notes.append(
            f"Keras has no numeric padding argument: P = {p} is the {pad_layer.keras_name}({p}) "
            f"layer before this one, so the convolution itself sees I + 2P = {pad_spatial[ax] + 2 * p}"
        )
    elif padding == "valid":
        values[P] = 0
        form = output_size(dd)
        notes.append("padding='valid' is the notes' P = 0")
    else:
        form = F.conv_output_length(I, K, S, padding, dd)
        if F.is_int(i):
            before, after = F.same_padding(i, k, s, d) if padding == "same" else (F.effective_kernel(k, d) - 1, 0)
            notes.append(
                f"padding='{padding}' keeps ⌈I/S⌉ outputs; it pads {before} before and {after} after "
                f"(total {before + after})" + (", the extra one after, as TensorFlow does" if (before + after) % 2 else "")
            )
    if d != 1:
        notes.append(f"dilation {d} widens the kernel: K_eff = D(K - 1) + 1 = {F.effective_kernel(k, d)}")
    if padding == "valid" and F.is_int(o) and F.is_int(values[I]):
        dropped = F.dropped_inputs(values[I], k, s, d, values.get(P, 0))
        if dropped > 0:
            axis_word = F.SPATIAL_AXES[min(layer.RANK, 3)][ax].steps
            notes.append(f"the stride does not divide evenly: the last {dropped} input {axis_word} "
                         "are never read (floor)")
    return check(Derivation(label, [tidy(form)], values, o, dict(LEGEND), notes), o)


def generic_size_derivations(layer: LayerType, inputs: list[Shape], out: Any) -> list[Derivation]:
    """Any other layer: its output_shape() evaluated on symbolic input sizes, for each axis
    whose size it computes (Flatten, ZeroPadding, Cropping, UpSampling, Concatenate ...)."""
    if isinstance(out, list) or not inputs or any(not shape for shape in inputs):
        return []  # a scalar input (a mean over every axis) has no axis to derive
    names = _axis_symbols(inputs)
    sym_inputs = []
    values: dict[sp.Symbol, Any] = {}
    legend: dict[sp.Symbol, str] = {}
    for j, shape in enumerate(inputs):
        new = [shape[0]]
        for a, dim in enumerate(shape[1:], start=1):
            if F.is_int(dim):
                s_ = names[(j, a)]
                values[s_] = dim
                word = _AXIS_WORDS.get(s_.name.split("_")[0], f"axis {a}")
                legend[s_] = f"input{'' if len(inputs) == 1 else ' ' + str(j + 1)} {word}"
                new.append(s_)
            else:
                new.append(dim)
        sym_inputs.append(tuple(new))
    sym_layer = _symbolic_padding(layer, values, legend)
    try:
        sym_out = sym_layer.output_shape(sym_inputs)
    except needs_numbers():  # symbolic padding the layer's checks refuse: its numbers then
        try:
            sym_out = layer.output_shape(sym_inputs)
        except needs_numbers() as error:
            return _not_derived(layer, inputs, out, error)
    if isinstance(sym_out, list):
        return []
    result = []
    for a, (e, o) in enumerate(zip(sym_out[1:], out[1:], strict=False), start=1):
        e = sp.sympify(e) if e is not None else None
        if e is None or not e.free_symbols or e.is_Symbol:
            continue
        result.append(check(Derivation(f"output size (axis {a})", [tidy(e)], dict(values), o, dict(legend)), o))
    return result


def _not_derived(layer: LayerType, inputs: list[Shape], out: Any, error: BaseException) -> list[Derivation]:
    """The output sizes a layer computes but whose output_shape() needs numbers: each axis
    that is not an input's size is listed with the engine's number and a note."""
    from archcalc.errors import ArchcalcError

    passed = {d for shape in inputs for d in shape[1:]}
    why = (error.message if isinstance(error, ArchcalcError) else
           f"{layer.keras_name}'s output shape needs numbers for its input sizes")
    return [not_derived(f"output size (axis {a})", o, why)
            for a, o in enumerate(out[1:], start=1) if o is not None and o not in passed]


_AXIS_WORDS = {"H": "height", "W": "width", "D": "depth", "C": "channels", "T": "steps"}

#: a symmetric ZeroPadding / Cropping amount, written as the notes' P (and C_r for cropping)
_PAD_ARGS = {"padding": ("P", "padding on each side"), "cropping": ("Q", "cropping on each side")}


def _symbolic_padding(layer: LayerType, values: dict, legend: dict) -> LayerType:
    """The layer with its symmetric padding (or cropping) amounts as symbols, so that its own
    output_shape() gives H + 2P rather than H + 4. Other layers come back unchanged."""
    import copy

    from archcalc.layers.reshaping import Cropping

    if not isinstance(layer, (ZeroPadding, Cropping)):
        return layer
    key = "padding" if isinstance(layer, ZeroPadding) else "cropping"
    pairs = layer.cfg[key]
    if not all(F.is_int(a) and a == b for a, b in pairs):
        return layer
    name, words = _PAD_ARGS[key]
    same = len({a for a, _ in pairs}) == 1
    new = []
    for i, (a, _) in enumerate(pairs):
        s_ = sym(name if same else f"{name}_{i + 1}")
        values[s_] = a
        legend[s_] = words
        new.append((s_, s_))
    out = copy.copy(layer)
    out.cfg = {**layer.cfg, key: tuple(new)}
    return out


def _axis_symbols(inputs: list[Shape]) -> dict[tuple[int, int], sp.Symbol]:
    """The notes' names of the input axes: H, W, C (T for steps); with several inputs one
    subscript per input: C_1 + C_2."""
    out = {}
    for j, shape in enumerate(inputs):
        rank = len(shape) - 2
        for a in range(1, len(shape)):
            if a == len(shape) - 1:
                name = "C"
            elif rank in (1, 2, 3):
                name = F.SPATIAL_AXES[rank][a - 1].symbol
            else:
                name = f"N{a}"
            out[(j, a)] = sym(name if len(inputs) == 1 else f"{name}_{j + 1}")
    return out
