"""Receptive-field derivations: the notes' one-layer inverse I = O x S + (K - S) - 2P, and
the cumulative (size, jump, start) recursion the engine keeps per axis (``Row.rf``)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

from archcalc.explain.derivation import Derivation, check, needs_numbers, not_derived
from archcalc.explain.notation import LEGEND as LETTER_LEGEND
from archcalc.explain.notation import K, O, P, S, input_size_form
from archcalc.explain.printing import put_numbers, tidy, to_text
from archcalc.explain.sizes import axis_label, notes_padding
from archcalc.layers import formulas as F
from archcalc.layers.base import RF, AxisRF, LayerType, Shape
from archcalc.layers.conv import ConvTranspose, SpatialLayer

R_IN, J_IN, START_IN = sp.Symbol("r_in", positive=True), sp.Symbol("j_in", positive=True), sp.Symbol("start_in")
LEGEND = {**{s: LETTER_LEGEND[s] for s in (O, K, S, P)},
          R_IN: "receptive field of the input", J_IN: "jump of the input: input pixels between neighbouring units"}


def _rational(v: Any) -> Any:
    return sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v


def notes_inverse(layer: SpatialLayer, out_shape: Shape, pad_layer: LayerType | None) -> list[Derivation]:
    """The notes' 'receptive field' of one layer: the input size I that its O outputs cover,
    I = O x S + (K - S) - 2P (valid padding; P from a ZeroPadding layer before it)."""
    if isinstance(layer, ConvTranspose):
        return []
    kernel, strides, dilation, padding = layer.window()
    if padding != "valid":
        return []
    spatial_out, _ = layer.split(out_shape)
    out: list[Derivation] = []
    seen: dict[tuple, Derivation] = {}
    for ax, (o, k, s, d) in enumerate(zip(spatial_out, kernel, strides, dilation, strict=False)):
        if not isinstance(o, int):
            continue
        p = notes_padding(pad_layer, ax)
        ke = F.effective_kernel(k, d)
        key = (o, ke, s, p)
        if key in seen:
            seen[key].quantity = seen[key].quantity.replace(")", f", {axis_label(layer.RANK, ax)})", 1)
            continue
        value = F.notes_input_size(o, ke, s, p)
        d_ = Derivation(f"receptive field ({axis_label(layer.RANK, ax)})", [input_size_form()],
                        {O: o, S: s, K: ke, P: p}, value, dict(LEGEND))
        d_.notes.append("the notes' receptive field: the input size I that the O outputs of this layer "
                        "cover (the output-size formula solved for I)")
        if d != 1:
            d_.notes.append(f"K here is the dilated kernel D(K - 1) + 1 = {ke}")
        seen[key] = d_
        out.append(check(d_, value))
    return out


def cumulative(layer: LayerType, in_rf: RF | None, inputs: list[Shape], out: Any, rf: RF | None) -> list[Derivation]:
    """How this layer grows the field of one output unit: the engine's own
    receptive_field() applied to symbolic (size, jump, start), then the previous row's numbers."""
    if in_rf is None or rf is None or len(inputs) != 1:
        return []
    if [(a.size, a.jump) for a in in_rf.axes] == [(a.size, a.jump) for a in rf.axes]:
        return []
    sym_rf = RF(tuple(AxisRF(R_IN, J_IN, START_IN) for _ in in_rf.axes), in_rf.aligned)
    try:
        sym_out = layer.receptive_field([sym_rf], inputs, out)
    except needs_numbers():  # a step that needs numbers (e.g. Fraction arithmetic on symbols)
        sym_out = None
    if sym_out is None or len(sym_out.axes) != len(rf.axes):
        return _rf_not_derived(layer, rf)
    result: list[Derivation] = []
    seen: dict[tuple, Derivation] = {}
    rank = len(rf.axes)
    for ax, (a_in, a_sym, a_out) in enumerate(zip(in_rf.axes, sym_out.axes, rf.axes, strict=False)):
        key = (a_in, a_out)
        label = axis_label(rank, ax) if rank <= 3 else f"axis {ax + 1}"
        if key in seen:
            seen[key].quantity = seen[key].quantity.replace(")", f", {label})", 1)
            continue
        size = sp.sympify(a_sym.size)
        jump = sp.sympify(a_sym.jump)
        form, jump_form, extra = _general_step(layer, ax, size, jump)
        # in the order the form reads: r_in, K, j_in (S only in the jump)
        values = {R_IN: _rational(a_in.size), **extra, J_IN: _rational(a_in.jump)}
        d = Derivation(f"receptive field of one unit ({label})", [form], values,
                       _rational(a_out.size), dict(LEGEND))
        if jump != J_IN:
            shown = put_numbers(jump_form, values)
            steps = _dedupe_text([to_text(jump_form), to_text(shown), _fmt(_rational(a_out.jump))])
            d.notes.append("jump: j = " + " = ".join(steps) + " input pixels between neighbouring outputs")
        seen[key] = d
        result.append(check(d, _rational(a_out.size)))
    return result


def _rf_not_derived(layer: LayerType, rf: RF) -> list[Derivation]:
    """The engine's receptive field per axis (axes that agree once), with a note that the
    layer's step could not be derived on symbols."""
    rank = len(rf.axes)
    by_size: dict[Any, list[str]] = {}
    for ax, a in enumerate(rf.axes):
        by_size.setdefault(_rational(a.size), []).append(axis_label(rank, ax) if rank <= 3 else f"axis {ax + 1}")
    why = f"{layer.keras_name}'s receptive-field step needs numbers"
    return [not_derived(f"receptive field of one unit ({', '.join(labels)})", size, why)
            for size, labels in by_size.items()]


def _general_step(layer: LayerType, ax: int, size: Any, jump: Any) -> tuple[Any, Any, dict]:
    """The notes' general form of one layer's step, r = r_in + (K - 1) x j_in and
    j = j_in x S (K, S as symbols, their numbers put in), when it equals what the engine's
    receptive_field() gave on symbolic r_in, j_in; otherwise the engine's expression."""
    if isinstance(layer, SpatialLayer):
        kernel, strides, dilation, _ = layer.window()
        ke, s = F.effective_kernel(kernel[ax], dilation[ax]), strides[ax]
        if F.is_int(ke) and F.is_int(s):
            with sp.evaluate(False):
                if isinstance(layer, ConvTranspose):
                    form = sp.Add(R_IN, sp.Mul(sp.Add(sp.ceiling(sp.Mul(K, sp.Pow(S, -1))), -1), J_IN))
                    jump_form = sp.Mul(J_IN, sp.Pow(S, -1))
                else:
                    form = sp.Add(R_IN, sp.Mul(sp.Add(K, -1), J_IN))
                    jump_form = sp.Mul(J_IN, S)
            numbers = {K: ke, S: s}
            if (sp.expand(form.doit().xreplace(numbers) - size) == 0
                    and sp.expand(jump_form.doit().xreplace(numbers) - jump) == 0):
                return form, jump_form, numbers
    return tidy(size), tidy(jump), {}



def _dedupe_text(items: list[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _fmt(v: Any) -> str:
    return str(v)
