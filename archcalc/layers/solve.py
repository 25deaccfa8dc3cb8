"""Backward questions about one layer, answered under Keras's own arithmetic.

"Which padding (or stride, kernel, input size...) turns I into O?" Keras floors (conv,
pooling) and has its own rule for transposed convolutions, so often several integers are
right. This module finds *every* one, by brute force over a bounded integer range with the
one forward function of :mod:`archcalc.layers.formulas` (no second copy of any formula):

- ``forward(question, values)`` is the output size Keras gives, or ``None`` where Keras
  refuses the layer (an output below 1, ``strides > 1`` with ``dilation_rate > 1``,
  ``output_padding >= strides``, dilation in a pooling layer);
- ``solve(question, letter)`` tries every integer of the letter's range (``search_bound``:
  past the last bend of the piecewise-linear forward function, derived for each case below)
  and, where the forward function no longer changes past that bound (a stride so large that
  one window is left, a kernel that 'same' padding ignores, the parity of a kernel under
  'same' with ``output_padding``), reports the answer as open-ended: every n >= a, or every
  other n.

No sympy here: :mod:`archcalc.explain.solve_backward` presents the notes' exact-fit equation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archcalc.layers import formulas as F

#: the notes' letters, in the order the calculator prints them
LETTERS = ("I", "O", "K", "S", "P", "D")
#: the smallest valid value of each letter
MINIMUM = {"I": 1, "O": 1, "K": 1, "S": 1, "P": 0, "D": 1}
#: what each letter stands for (messages)
WORDS = {"I": "input size", "O": "output size", "K": "kernel size", "S": "stride", "P": "padding",
         "D": "dilation"}
#: the largest size a question may give, and the widest range searched (bounded time)
MAX_VALUE = 100_000
MAX_SEARCH = 1_000_000

KINDS = ("conv", "pool", "transpose")
MODES = ("valid", "same")


@dataclass(frozen=True)
class Question:
    """One layer along one axis, with up to one value missing.

    ``values`` maps letters to ints. ``mode`` is Keras's ``padding``: 'valid' (with the
    notes' numeric padding P added on each side first, as ``ZeroPadding`` does) or 'same'
    (then P is not used). ``output_padding`` is the transposed convolution's (None: Keras's
    default). ``tied_stride``: a pooling layer whose strides default to its pool size (Keras's
    ``strides=None``), so S follows K.
    """

    kind: str
    values: dict[str, int]
    mode: str = "valid"
    output_padding: int | None = None
    tied_stride: bool = False

    def with_value(self, letter: str, n: int) -> dict[str, int]:
        out = {**self.values, letter: n}
        if self.tied_stride:
            out["S"] = out["K"]
        return out


def refusal(q: Question, v: dict[str, int]) -> str | None:
    """Why Keras refuses this layer (None: it builds)."""
    for letter in LETTERS:
        if letter in v and v[letter] < MINIMUM[letter]:
            return f"the {WORDS[letter]} must be >= {MINIMUM[letter]}"
    if q.kind == "pool" and v.get("D", 1) != 1:
        return "pooling layers have no dilation"
    if q.kind != "pool" and v["S"] > 1 and v.get("D", 1) > 1:
        return "Keras refuses strides > 1 together with dilation_rate > 1"
    if q.kind == "transpose":
        if q.output_padding is not None and q.output_padding >= v["S"]:
            return f"Keras needs output_padding ({q.output_padding}) smaller than the stride ({v['S']})"
        if v.get("P", 0):
            return "a transposed convolution has no numeric padding, only padding='valid' or 'same'"
    return None


def output_size(q: Question, v: dict[str, int]) -> int:
    """The output size by the engine's formula, whether or not Keras would build the layer."""
    d = v.get("D", 1)
    if q.kind == "transpose":
        return int(F.transpose_output_length(v["I"], v["K"], v["S"], q.mode, q.output_padding, d))
    if q.mode == "same":
        return int(F.conv_output_length(v["I"], v["K"], v["S"], "same", d))
    return int(F.notes_output_size(v["I"], v["K"], v["S"], v.get("P", 0), d))


def forward(q: Question, v: dict[str, int]) -> int | None:
    """The output size Keras gives, or None where Keras refuses the layer."""
    if refusal(q, v) is not None:
        return None
    o = output_size(q, v)
    return o if o >= 1 else None


def search_bound(q: Question, x: str) -> int:
    """An n past which the forward function, as a function of the letter ``x``, either moves
    away from O for good or repeats itself (period 1 or 2). Each line is the reason."""
    v = q.values
    o, k, d, i, p = v.get("O", 1), v.get("K", 1), v.get("D", 1), v.get("I", 1), v.get("P", 0)
    s = k if q.tied_stride else v.get("S", 1)
    ke = F.effective_kernel(k, d)
    if x == "I":
        # conv/pool: O grows with I and O*S + K_eff > any input that gives O;
        # transpose: O >= I - 1 always
        return o + 2 if q.kind == "transpose" else o * s + ke + 2
    if x == "P":
        # O grows with P: I + 2P >= O*S + K_eff gives more than O
        return (o * s + ke) // 2 + 2
    if q.kind == "transpose":
        # O >= K_eff, O >= S when I > 1, O >= D(K - 1); with I = 1 or 'same', O may stop
        # depending on the letter (periodic tail, found by ``solve``)
        return o + 2
    # conv / pool: past I + 2P the kernel no longer fits (or one window is left, for S)
    return i + 2 * p + 2


@dataclass
class Answer:
    """Every integer value of ``letter`` that gives the output size.

    ``values`` are the solutions up to the search bound; ``every_from`` (with ``step``) says
    that every n >= every_from (every other one when step is 2) is a solution too.
    ``modes`` lists, when solving for P, Keras's paddings that give O as well:
    ('valid', None) and ('same', None) for conv/pool, and (padding, output_padding) pairs
    for a transposed convolution.
    """

    letter: str
    values: list[int] = field(default_factory=list)
    every_from: int | None = None
    step: int = 1
    modes: list[tuple[str, int | None]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.values and self.every_from is None and not self.modes

    @property
    def unique(self) -> int | None:
        return self.values[0] if len(self.values) == 1 and self.every_from is None else None

    def contains(self, n: int) -> bool:
        if n in self.values:
            return True
        return self.every_from is not None and n >= self.every_from and (n - self.every_from) % self.step == 0

    def text(self) -> str:
        """5, 5..6, 3, 5, 9, or '>= 28' / '3, 5, 7, ...' for open answers."""
        if self.every_from is not None:
            if self.step == 1:
                return f">= {self.every_from}" if not self.values else (
                    ", ".join(map(str, self.values)) + f", and every value >= {self.every_from}")
            start = [*self.values, self.every_from, self.every_from + 2, self.every_from + 4]
            return ", ".join(map(str, start)) + ", ..."
        return values_text(self.values)


def values_text(values: list[int]) -> str:
    """A value, a range a..b, or a short list."""
    if not values:
        return "none"
    if len(values) == 1:
        return str(values[0])
    if values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}..{values[-1]}"
    if len(values) <= 8:
        return ", ".join(map(str, values))
    return ", ".join(map(str, values[:4])) + ", ..., " + str(values[-1])


def solve(q: Question, x: str) -> Answer:
    """Every integer value of ``x`` that gives ``q.values['O']`` (``x`` not in q.values)."""
    target = q.values["O"]
    if x == "P" and q.kind == "transpose":
        return _transpose_paddings(q, target)
    ans = Answer(x)
    hi = _search_end(q, x)
    found = [n for n in range(MINIMUM[x], hi + 1) if forward(q, q.with_value(x, n)) == target]
    # past the bound the function is either away from O for good or periodic (1 or 2)
    tail = [forward(q, q.with_value(x, n)) for n in range(hi + 1, hi + 5)]
    every_from, step = _open_end(found, tail, target, hi)
    if every_from is not None:
        ans.every_from, ans.step = every_from, step
        found = [n for n in found if n < every_from]
    ans.values = found
    if x == "P":
        ans.modes = [(mode, None) for mode in MODES
                     if forward(Question(q.kind, {**q.values, "P": 0}, mode, None, q.tied_stride),
                                q.with_value("P", 0)) == target]
    return ans


def _transpose_paddings(q: Question, target: int) -> Answer:
    """A transposed convolution's padding asked: the (padding, output_padding) pairs that give
    the target (every output_padding below the stride, and None, unless one is given)."""
    ans = Answer("P")
    ops: list[int | None] = [q.output_padding] if q.output_padding is not None else [None, *range(q.values["S"])]
    for mode in MODES:
        for op in ops:
            alt = Question(q.kind, {**q.values, "P": 0}, mode, op)
            if forward(alt, alt.values) == target:
                ans.modes.append((mode, op))
    return ans


def _search_end(q: Question, x: str) -> int:
    """The search bound, refused when the range is too wide to try (bounded time)."""
    lo = MINIMUM[x]
    hi = search_bound(q, x)
    if hi - lo > MAX_SEARCH:
        from archcalc.errors import UsageError

        raise UsageError(f"the search for {x} would try {hi - lo:,} values",
                         hint=f"give sizes below {MAX_VALUE:,}")
    return hi


def _open_end(found: list[int], tail: list[int | None], target: int, hi: int) -> tuple[int | None, int]:
    """Where an open-ended answer starts, and its step: every n from there on (step 1) when the
    forward function stays at the target past the bound ``hi``, every other n (step 2) when it
    alternates; the start moves back over the values ``found`` just before it that continue
    the run. (None, 1): the function moves away from the target for good."""
    if tail[0] == target and tail[1] == target and tail[2] == target:
        start, step = hi + 1, 1
    elif tail[0] == tail[2] and tail[1] == tail[3] and target in (tail[0], tail[1]):
        start, step = (hi + 1 if tail[0] == target else hi + 2), 2
    else:
        return None, 1
    while start - step in found:
        start -= step
    return start, step


def nearest(q: Question, x: str, below: int = 3) -> list[tuple[int, int]]:
    """(value of x, output size) for the values of x nearest to giving O: the closest outputs
    above and below the one asked for (for the no-solution error)."""
    target = q.values["O"]
    hi = min(search_bound(q, x), MINIMUM[x] + MAX_SEARCH)
    got = [(n, forward(q, q.with_value(x, n))) for n in range(MINIMUM[x], hi + 1)]
    valid = [(n, o) for n, o in got if o is not None]
    under = [t for t in valid if t[1] < target]
    over = [t for t in valid if t[1] > target]
    out = []
    if over:
        best = min(o for _, o in over)
        out += [t for t in over if t[1] == best][-1:]
    if under:
        best = max(o for _, o in under)
        out += [t for t in under if t[1] == best][:1]
    return sorted(out)[:below]


def describe_values(q: Question, v: dict[str, Any] | None = None) -> str:
    """'K=5, S=2, P=1' for the messages (the letters given, in the notes' order)."""
    v = q.values if v is None else v
    parts = [f"{k}={v[k]}" for k in LETTERS if k in v and k != "O" and not (k == "D" and v[k] == 1)
             and not (k == "P" and (q.mode == "same" or q.kind == "transpose"))]
    if q.mode == "same" or q.kind == "transpose":
        parts.append(f"padding='{q.mode}'")
    if q.output_padding is not None:
        parts.append(f"output_padding={q.output_padding}")
    return ", ".join(parts)
