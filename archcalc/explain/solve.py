"""``archcalc calc``: the notes' output-size equation solved for whichever of I, O, K, S, P
is missing, with sympy, keeping exact integer solutions only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from archcalc.errors import UsageError
from archcalc.explain.derivation import Derivation
from archcalc.explain.notation import (
    LEGEND,
    D,
    I,
    K,
    O,
    P,
    S,
    output_size,
    solved_form,
    transpose_form,
)
from archcalc.explain.notation import LETTERS as NAMES
from archcalc.explain.printing import tidy
from archcalc.layers import formulas as F

WORDS = {"I": "input size", "O": "output size", "K": "kernel", "S": "stride", "P": "padding"}
MINIMUM = {"I": 1, "O": 1, "K": 1, "S": 1, "P": 0, "D": 1}


@dataclass
class Solution:
    """All six values, the derivation of the one that was missing, and notes."""

    values: dict[str, int]
    derivations: list[Derivation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def json(self) -> dict[str, int]:
        return {k: int(self.values[k]) for k in ("I", "O", "K", "S", "P", "D")}


def parse_assignments(items: tuple[str, ...], allowed: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        key, eq, raw = item.partition("=")
        key = key.strip()
        if not eq or key not in allowed:
            raise UsageError(f"expected NAME=VALUE with NAME one of {', '.join(sorted(allowed))}, got '{item}'",
                             hint="e.g. archcalc calc conv I=32 K=5 S=1 P=0")
        if key in out:
            raise UsageError(f"{key} is given twice")
        try:
            value = int(raw)
        except ValueError:
            raise UsageError(f"{key}={raw}: expected an integer") from None
        if value < MINIMUM[key]:
            raise UsageError(f"{key}={value}: the {WORDS.get(key, 'dilation')} must be >= {MINIMUM[key]}")
        out[key] = value
    return out


def _exact(expr: Any) -> Any:
    """The notes' equation without Keras's floor: the sizes that fit exactly."""
    return expr.replace(sp.floor, lambda x: x)


def solve_conv(given: dict[str, int], kind: str = "conv") -> Solution:
    """Fill in the one missing value of I, O, K, S, P (D defaults to 1)."""
    given = dict(given)
    given.setdefault("D", 1)
    if kind == "pool":
        missing_now = [k for k in "IOKSP" if k not in given]
        if "S" in missing_now and len(missing_now) > 1 and "K" in given:
            given["S"] = given["K"]  # Keras: strides default to pool_size
        given.setdefault("P", 0) if len([k for k in "IOKSP" if k not in given]) > 1 else None
    missing = [k for k in "IOKSP" if k not in given]
    claimed = None  # every value given: O is computed and compared with the one given
    if not missing:
        claimed = given.pop("O")
        missing = ["O"]
    if len(missing) != 1:
        raise UsageError(
            f"give all but one of I, O, K, S, P (missing: {', '.join(missing)})",
            hint="e.g. archcalc calc conv I=227 K=11 S=4 P=0   (solves for O); give all five to check them",
        )
    x = missing[0]
    engine = F.notes_output_size(I, K, S, P, D if given["D"] != 1 else 1)  # the engine's rule, on symbols
    known = {NAMES[k]: v for k, v in given.items() if k != "D" or v != 1}
    sol = Solution({})
    if x == "O":
        o = F.notes_output_size(given["I"], given["K"], given["S"], given["P"], given["D"])
        if o < 1:
            raise UsageError(f"the kernel does not fit: O = {o} (K_eff = {F.effective_kernel(given['K'], given['D'])} "
                             f"is larger than I + 2P = {given['I'] + 2 * given['P']})")
        if claimed is not None and claimed != o:
            raise UsageError(f"O={claimed} does not fit: with I={given['I']}, K={given['K']}, S={given['S']}, "
                             f"P={given['P']} the output size is O = {o}",
                             hint="leave out the value to solve for it")
        values = {**given, "O": o}
        forms = [output_size(D if given["D"] != 1 else 1)]
        quantity = "O"
    else:
        target = NAMES[x]
        eq = sp.Eq(O, _exact(engine))
        free = sp.Symbol(x)  # no integer assumption, so the hint can show the non-integer root
        plain = sp.Eq(O, _exact(engine).xreplace({target: free})) if x != "O" else eq
        roots = sp.solve(plain.xreplace({s: v for s, v in known.items() if s != target}), free)
        ints = [r for r in roots if r.is_Integer and int(r) >= MINIMUM[x]]
        if not ints:
            raise UsageError(_none_message(x, given), hint=_hint(x, given, roots))
        if len(ints) > 1:
            raise UsageError(f"{WORDS[x]} is not unique: {', '.join(map(str, ints))}")
        values = {**given, x: int(ints[0])}
        general = sp.solve(eq, target)
        forms = [solved_form(x, general[0])] if len(general) == 1 and given["D"] == 1 else (
            [tidy(sp.together(general[0]))] if len(general) == 1 else [])
        quantity = x
    # the engine, forwards, must agree
    check = F.notes_output_size(values["I"], values["K"], values["S"], values["P"], values["D"])
    if check != values["O"]:
        raise UsageError(f"no integer {WORDS[x]} works here (the forward formula gives O = {check})")
    sol.values = values
    vals = {NAMES[k]: v for k, v in values.items() if k != quantity and (k != "D" or v != 1)}
    d = Derivation(quantity, forms, vals, values[quantity], dict(LEGEND))
    dropped = F.dropped_inputs(values["I"], values["K"], values["S"], values["D"], values["P"])
    if dropped:
        d.notes.append(f"the stride does not divide evenly: Keras floors, and the last {dropped} input "
                       "row(s) are never read")
    if x == "I" and values["S"] > 1:
        top = values["I"] + values["S"] - 1
        d.notes.append(f"with Keras's floor, I = {values['I']}..{top} all give O = {values['O']}; "
                       f"{values['I']} is the exact fit (the notes' I = O x S + (K - S) - 2P)")
    if values["D"] != 1:
        d.notes.append(f"dilation {values['D']}: K_eff = D(K - 1) + 1 = {F.effective_kernel(values['K'], values['D'])}")
    if claimed is not None:
        d.notes.append(f"check: the given O = {claimed} is what the formula gives")
    sol.derivations.append(d)
    return sol


def _none_message(x: str, g: dict[str, int]) -> str:
    if x == "S":
        return (f"no integer stride turns {g['I']} into {g['O']} with K={g['K']}"
                + (f", P={g['P']}" if g.get("P") else ""))
    if x == "K":
        return f"no kernel turns {g['I']} into {g['O']} with S={g['S']}, P={g['P']}"
    if x == "P":
        return f"no padding P >= 0 turns {g['I']} into {g['O']} with K={g['K']}, S={g['S']}"
    if x == "I":
        return f"no input size gives {g['O']} with K={g['K']}, S={g['S']}, P={g['P']}"
    return f"no integer {WORDS[x]} fits"  # pragma: no cover


def _hint(x: str, g: dict[str, int], roots: list[Any]) -> str:
    if roots:
        return f"the equation gives {x} = {roots[0]}, which is not a valid integer {WORDS[x]}"
    return "check the values: the equation has no solution"


def solve_transpose(given: dict[str, int], padding: str = "valid", output_padding: int | None = None) -> Solution:
    """Transposed convolution, Keras's rule: O from I, K, S (and padding); one missing value
    of I, K, S is found among the integers (each candidate checked with the engine's formula)."""
    given = dict(given)
    given.setdefault("D", 1)
    given.setdefault("P", 0)
    missing = [k for k in "IOKS" if k not in given]
    if len(missing) != 1:
        raise UsageError(f"give all but one of I, O, K, S (missing: {', '.join(missing) or 'none'})",
                         hint="e.g. archcalc calc transpose I=7 K=3 S=2 padding=same")
    x = missing[0]

    def forward(v: dict[str, int]) -> int:
        return int(F.transpose_output_length(v["I"], v["K"], v["S"], padding, output_padding, v["D"]))

    if x == "O":
        values = {**given, "O": forward(given)}
    else:
        bound = max(given.get("O", 1), given.get("I", 1)) * 2 + 64
        found = [n for n in range(1, bound) if forward({**given, x: n}) == given["O"]]
        if not found:
            raise UsageError(f"no integer {WORDS[x]} gives O = {given['O']} here")
        if len(found) > 1:
            raise UsageError(f"{WORDS[x]} is not unique: {', '.join(map(str, found))}")
        values = {**given, x: found[0]}
    general = transpose_form(I, padding, output_padding, D if values["D"] != 1 else 1)
    vals = {NAMES[k]: v for k, v in values.items() if k not in ("O", "P") and (k != "D" or v != 1)}
    d = Derivation("O", [general], vals, values["O"], dict(LEGEND),
                   [f"transpose convolution, padding='{padding}'"
                    + ("" if output_padding is None else f", output_padding={output_padding}")])
    return Solution(values, [d])
