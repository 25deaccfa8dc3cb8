"""``archcalc calc conv|pool|transpose``: one layer's output-size question, forwards or
backwards.

Forwards (O missing) the engine's number is derived in the notes' form, as before
(:mod:`archcalc.explain.solve_forward`).
Backwards (one of I, K, S, P, D missing) every integer answer is found under Keras's own
arithmetic by :mod:`archcalc.layers.solve` (brute force with the engine's forward
function); the derivation shown is the notes' exact-fit equation solved for the letter
(``archcalc.explain.notation``), and a note says when Keras's floor admits more than the
exact fit. For 'same' padding and transposed convolutions, which the notes' equation does
not cover, Keras's forward rule is shown, checked with the answer
(:mod:`archcalc.explain.solve_backward`).

This module reads the command line's values into a question and picks the direction; the
answer is a :class:`~archcalc.explain.solution.Solution`.
"""

from __future__ import annotations

from dataclasses import dataclass

from archcalc.errors import UsageError
from archcalc.explain.solution import Solution
from archcalc.explain.solve_backward import backward
from archcalc.explain.solve_forward import forward
from archcalc.layers import solve as L
from archcalc.layers.solve import MINIMUM, WORDS, Question

UNKNOWN = "?"


@dataclass
class Request:
    """What the command line said: the values given (``None`` for a letter written ``X=?``),
    the padding mode if one was named."""

    values: dict[str, int | None]
    mode: str | None = None


def parse_assignments(items: tuple[str, ...], allowed: set[str]) -> Request:
    """``I=32 K=5 P=same D=?`` -> values (None for ``?``) and the padding mode."""
    out: dict[str, int | None] = {}
    mode = None
    for item in items:
        key, eq, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if not eq or key not in allowed:
            raise UsageError(f"expected NAME=VALUE with NAME one of {', '.join(sorted(allowed))}, got '{item}'",
                             hint="e.g. archcalc calc conv I=32 K=5 S=1 P=0")
        if key in out or (key == "P" and mode is not None):
            raise UsageError(f"{key} is given twice")
        if raw == UNKNOWN:
            out[key] = None
            continue
        if key == "P" and raw.strip("'\"").lower() in L.MODES:
            mode = raw.strip("'\"").lower()
            if mode == "valid":
                out["P"] = 0
            continue
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"{key}={raw}: expected an integer"
                             + (", 'same' or 'valid'" if key == "P" else "") + " (or ? for the unknown)") from None
        if value < MINIMUM[key]:
            raise UsageError(f"{key}={value}: the {WORDS[key]} must be >= {MINIMUM[key]}")
        if value > L.MAX_VALUE:
            raise UsageError(f"{key}={value}: sizes up to {L.MAX_VALUE:,} only")
        out[key] = value
    return Request(out, mode)


def _mode(request: Request, option: str | None) -> str:
    if option and request.mode and option != request.mode:
        raise UsageError(f"padding is given twice: P={request.mode} and --padding {option}")
    return request.mode or option or "valid"

# -- building the question ---------------------------------------------------------------

def _unknown(request: Request, letters: str, hint: str) -> tuple[dict[str, int], str | None]:
    """The values given and the one letter asked for (None: every letter given, O is checked)."""
    asked = [k for k, v in request.values.items() if v is None]
    given = {k: v for k, v in request.values.items() if v is not None}
    missing = [k for k in letters if k not in request.values]
    if len(asked) > 1:
        raise UsageError(f"ask for one letter at a time (asked: {', '.join(asked)})", hint=hint)
    if asked:
        missing = [k for k in missing if k != asked[0]]
        if missing:
            raise UsageError(f"give all but one of {', '.join(letters)} (missing: {', '.join(missing)})", hint=hint)
        return given, asked[0]
    if len(missing) > 1:
        raise UsageError(f"give all but one of {', '.join(letters)} (missing: {', '.join(missing)})", hint=hint)
    return given, (missing[0] if missing else None)


def solve_conv(request: Request, kind: str = "conv", padding: str | None = None) -> Solution:
    """Fill in the one missing value of I, O, K, S, P (D, asked as ``D=?``, or given)."""
    mode = _mode(request, padding)
    values = dict(request.values)
    if mode == "same":
        if values.get("P") not in (None, 0) or ("P" in values and values["P"] is None):
            raise UsageError("padding='same' chooses the padding itself: give P or padding='same', not both")
        values.pop("P", None)
    tied = False
    letters = "IOKSP" if mode == "valid" else "IOKS"
    if kind == "pool":
        letters, tied = _pool_defaults(values, letters)
    if kind == "pool" and "D" in values:
        raise UsageError("pooling layers have no dilation (D)")
    hint = (f"e.g. archcalc calc {kind} I=227 K=11 S=4 P=0   (solves for O); give all five to check them; "
            "write X=? to ask for X" + (" (D=? for the dilation)" if kind == "conv" else ""))
    given, x = _unknown(Request(values, mode), letters, hint)
    if x != "D":
        given.setdefault("D", 1)
    if mode == "same":
        given.pop("P", None)
    if tied and "K" in given:  # a known pool size: the stride is simply that number
        given["S"], tied = given["K"], False
    q = Question(kind, given, mode, None, tied)
    if x is None or x == "O":
        return forward(q, claimed=given.get("O") if x is None else None)
    return backward(q, x)


def _pool_defaults(values: dict[str, int | None], letters: str) -> tuple[str, bool]:
    """Keras's pooling defaults fill the gaps: padding='valid' (P = 0, set in ``values``), then
    strides=pool_size (S follows K: dropped from the letters asked, and the stride tied)."""
    missing = [k for k in letters if k not in values]
    if "P" in missing and len(missing) > 1:
        values["P"] = 0
        missing.remove("P")
    if "S" in missing and len(missing) > 1:
        return letters.replace("S", ""), True
    return letters, False


def solve_transpose(request: Request, padding: str | None = None, output_padding: int | None = None) -> Solution:
    """Transposed convolution, Keras's rule; one of I, O, K, S, D (or the padding, P=?) missing."""
    mode = _mode(request, padding)
    values = dict(request.values)
    if values.get("P"):
        raise UsageError("a transposed convolution has no numeric padding P",
                         hint="Keras's Conv2DTranspose takes padding='valid' or 'same' (--padding same, or P=same)")
    if output_padding is not None and output_padding < 0:
        raise UsageError(f"--output-padding {output_padding}: must be >= 0")
    asked_p = "P" in values and values["P"] is None
    values.pop("P", None)
    hint = "e.g. archcalc calc transpose I=7 K=3 S=2 --padding same   (solves for O); P=? asks for the padding"
    if asked_p:
        given, x = _unknown(Request(values, mode), "IOKS", hint)
        if x is not None:
            raise UsageError(f"give all but one of I, O, K, S, P (missing: {x}, P)", hint=hint)
        x = "P"
    else:
        given, x = _unknown(Request(values, mode), "IOKS", hint)
    if x != "D":
        given.setdefault("D", 1)
    q = Question("transpose", given, mode, output_padding)
    if x is None or x == "O":
        return forward(q, claimed=given.get("O") if x is None else None)
    return backward(q, x)

