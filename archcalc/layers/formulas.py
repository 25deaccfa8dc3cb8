"""The course notes' arithmetic, written once.

Every function here works on plain ``int`` values (the engine's numbers) and on sympy
expressions (the ``explain`` derivations): they use only ``+ - * //`` and the helpers
below, which import sympy lazily and only when handed a symbolic value. ``None`` stands
for an unknown size and propagates.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

Dim = Any  # int | None | sympy.Expr


def is_int(x: Any) -> bool:
    """A plain int (not a bool, not a symbol): a size that can be computed with."""
    return isinstance(x, int) and not isinstance(x, bool)


class Axis(NamedTuple):
    """One spatial axis of a layer: the notes' symbol, its name, and one step along it."""

    symbol: str
    name: str
    step: str
    steps: str


#: the spatial axes of a 1-D, 2-D and 3-D layer, in Keras's channels_last order
SPATIAL_AXES: dict[int, tuple[Axis, ...]] = {
    1: (Axis("T", "steps", "step", "steps"),),
    2: (Axis("H", "height", "row", "rows"), Axis("W", "width", "column", "columns")),
    3: (Axis("D", "depth", "depth slice", "slices"), Axis("H", "height", "row", "rows"),
        Axis("W", "width", "column", "columns")),
}


def _symbolic(*xs: Any) -> bool:
    return any(x is not None and not isinstance(x, (int, Fraction)) for x in xs)


def smax(a: Dim, b: Dim) -> Dim:
    """max() that also works on sympy expressions."""
    if _symbolic(a, b):
        import sympy

        return sympy.Max(a, b)
    return a if a >= b else b


def floor_div(a: Dim, b: Dim) -> Dim:
    """a // b; on symbols floor((u + c)/b) replaces floor((floor(u) + c)/b) (equal for
    integer c and positive integer b) so stacked poolings read floor(H/4), not nested floors."""
    if _symbolic(a, b):
        import sympy

        c, rest = sympy.sympify(a).as_coeff_Add()
        if isinstance(rest, sympy.floor) and sympy.sympify(c).is_integer and sympy.sympify(b).is_integer and sympy.sympify(b).is_positive:
            return sympy.floor((rest.args[0] + c) / b)
        return sympy.floor(sympy.sympify(a) / b)
    return a // b


def ceil_div(a: Dim, b: Dim) -> Dim:
    """ceil(a / b) for positive b, exact for ints and symbols alike."""
    if _symbolic(a, b):
        import sympy

        c, rest = sympy.sympify(a).as_coeff_Add()
        if isinstance(rest, sympy.ceiling) and sympy.sympify(c).is_integer and sympy.sympify(b).is_integer and sympy.sympify(b).is_positive:
            return sympy.ceiling((rest.args[0] + c) / b)
        return sympy.ceiling(sympy.sympify(a) / b)
    return -((-a) // b)


def prod(values: Any) -> Dim:
    out: Dim = 1
    for v in values:
        if v is None:
            return None
        out = out * v
    return out


def effective_kernel(k: Dim, d: Dim = 1) -> Dim:
    """Dilation widens a kernel: K_eff = D(K - 1) + 1."""
    return d * (k - 1) + 1


def conv_output_length(i: Dim, k: Dim, s: Dim, padding: str, d: Dim = 1) -> Dim:
    """Output size of a convolution along one axis, exactly as Keras computes it.

    'valid': O = floor((I - K_eff) / S) + 1 (the notes' (I - K + 2P)/S + 1 with P = 0);
    'same' and 'causal': O = ceil(I / S).
    """
    if i is None:
        return None
    if padding == "valid":
        return floor_div(i - effective_kernel(k, d), s) + 1
    return ceil_div(i, s)


def same_padding(i: Dim, k: Dim, s: Dim, d: Dim = 1) -> tuple[Dim, Dim]:
    """(before, after) zero padding that TensorFlow's 'same' adds; the odd one goes after."""
    total = smax((ceil_div(i, s) - 1) * s + effective_kernel(k, d) - i, 0)
    before = total // 2
    return before, total - before


def padding_before(i: Dim, k: Dim, s: Dim, padding: str, d: Dim = 1) -> Dim:
    """Padding added before the first input element (for the receptive field's start)."""
    if padding == "valid":
        return 0
    if padding == "causal":
        return effective_kernel(k, d) - 1
    if i is None:
        # unknown size: the split of 'same' padding depends on it; use the symmetric part
        return (effective_kernel(k, d) - 1) // 2 if s == 1 else 0
    return same_padding(i, k, s, d)[0]


def transpose_output_length(
    i: Dim, k: Dim, s: Dim, padding: str, output_padding: Dim = None, d: Dim = 1
) -> Dim:
    """Output size of a transposed convolution along one axis (Keras's TF-padding rule)."""
    if i is None:
        return None
    ke = effective_kernel(k, d)
    if padding == "valid":
        if output_padding is None:
            output_padding = smax(ke, s) - ke
        return (i - 1) * s + ke + output_padding
    if output_padding is None:
        return i * s
    return (i - 1) * s + ke % 2 + output_padding


def dropped_inputs(i: Dim, k: Dim, s: Dim, d: Dim = 1, p: Dim = 0) -> Dim:
    """Input positions a 'valid' window never reaches when the stride does not divide evenly:
    the remainder of (I + 2P - K_eff) / S, which the floor in the output size throws away."""
    return (i + 2 * p - effective_kernel(k, d)) % s


def notes_output_size(i: Dim, k: Dim, s: Dim, p: Dim, d: Dim = 1) -> Dim:
    """The notes' output size with a numeric padding P on each side: Keras's 'valid' rule
    (``conv_output_length``) on the padded input I + 2P. Not a second formula: the notes'
    way of writing it, ``NOTES_OUTPUT_SIZE``, is a presentation that ``archcalc.explain``
    proves equal to this function on symbols before printing it."""
    if i is None:
        return None
    return conv_output_length(i + 2 * p, k, s, "valid", d)


#: the notes' output-size formula as they write it (without Keras's floor): the text that
#: lint messages quote and that ``explain`` arranges its derivations by
NOTES_OUTPUT_SIZE = "(I - K + 2P)/S + 1"


def notes_output_text(values: dict[str, Any] | None = None) -> str:
    """``NOTES_OUTPUT_SIZE``, with numbers put in for the letters given:
    ``notes_output_text({"I": 31, "K": 2, "P": 0, "S": 2})`` is ``(31 - 2 + 2*0)/2 + 1``."""
    import re

    given = values or {}

    def put(m: re.Match) -> str:
        coeff, letter = m.group(1), m.group(2)
        if letter not in given:
            return m.group(0)
        return f"{coeff}*{given[letter]}" if coeff else str(given[letter])

    return re.sub(r"(\d*)([IKSP])", put, NOTES_OUTPUT_SIZE)


def notes_input_size(o: Dim, k: Dim, s: Dim, p: Dim) -> Dim:
    """The notes' inverse: I = O x S + (K - S) - 2P (the input span seen by O outputs)."""
    return o * s + (k - s) - 2 * p


# --- parameter counts -------------------------------------------------------------

def rnn_params(n_in: Dim, units: Dim, gates: int = 1, use_bias: bool = True, bias_rows: int = 1) -> Dim:
    """gates x units x (input_dim + units + bias_rows).

    SimpleRNN has 1 gate, LSTM 4, GRU 3; Keras's GRU default reset_after=True keeps two
    bias rows (input and recurrent), so bias_rows=2 there.
    """
    return gates * units * (n_in + units) + (gates * units * bias_rows if use_bias else 0)


def strided_and_dilated(strides: Any, dilation_rate: Any) -> bool:
    """True when a stride > 1 and a dilation > 1 are both known (Keras refuses the pair); a
    named size (H) or any other non-int is not judged."""
    return any(is_int(s) and s > 1 for s in strides) and any(is_int(d) and d > 1 for d in dilation_rate)
