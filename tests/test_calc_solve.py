"""Backward questions (issue 26): every integer answer under Keras's arithmetic.

The solver (``archcalc.layers.solve``) searches with the engine's forward function; these
tests check it from both sides: the value a forward question started from is always among
the answers, and every answer gives the output back. The Keras test builds solved layers in
real Keras.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archcalc.layers import solve as L
from archcalc.layers.solve import Question


def calc_json(run_cli, *args):
    r = run_cli("calc", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@st.composite
def layers(draw, kinds=("conv", "pool", "transpose")):
    """A random valid layer along one axis: (kind, values, mode, output_padding)."""
    kind = draw(st.sampled_from(kinds))
    v = {"I": draw(st.integers(1, 64)), "K": draw(st.integers(1, 7)), "S": draw(st.integers(1, 4)),
         "P": 0, "D": 1}
    mode = draw(st.sampled_from(L.MODES))
    op = None
    if kind == "conv":
        v["D"] = draw(st.integers(1, 3)) if v["S"] == 1 else 1
    if kind != "transpose" and mode == "valid":
        v["P"] = draw(st.integers(0, 3))
    if kind == "transpose":
        op = draw(st.none() | st.integers(0, v["S"] - 1))
    q = Question(kind, v, mode, op)
    o = L.forward(q, v)
    assume(o is not None)
    return kind, {**v, "O": o}, mode, op


def letters_of(kind: str, mode: str, values: dict) -> str:
    out = "IKS"
    if kind != "transpose" and mode == "valid":
        out += "P"
    if kind != "pool":
        out += "D"
    return out


def check_answer(q: Question, x: str, start: int) -> L.Answer:
    ans = L.solve(q, x)
    assert ans.contains(start), (q, x, start, ans)
    tail = [] if ans.every_from is None else [ans.every_from + ans.step * j for j in range(6)]
    for n in [*ans.values, *tail]:
        assert L.forward(q, q.with_value(x, n)) == q.values["O"], (q, x, n)
    return ans


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers())
def test_every_backward_solve_contains_the_start_and_gives_the_output_back(layer):
    kind, values, mode, op = layer
    for x in letters_of(kind, mode, values):
        given_values = {k: v for k, v in values.items() if k != x}
        check_answer(Question(kind, given_values, mode, op), x, values[x])


@settings(max_examples=150, deadline=None)
@given(layers(kinds=("conv", "pool")))
def test_the_answers_are_all_the_integers_that_work(layer):
    """No answer is left out: every integer of a wide range that gives O is in the answer."""
    kind, values, mode, op = layer
    for x in letters_of(kind, mode, values):
        q = Question(kind, {k: v for k, v in values.items() if k != x}, mode, op)
        ans = L.solve(q, x)
        for n in range(L.MINIMUM[x], 200):
            if L.forward(q, q.with_value(x, n)) == values["O"]:
                assert ans.contains(n), (q, x, n, ans)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layers())
def test_the_command_names_the_start_among_its_solutions(run_cli, layer):
    kind, values, mode, op = layer
    x = "I" if values["I"] % 2 else "K"
    args = [f"{k}={values[k]}" for k in "IOKS" if k != x]
    args += [f"{x}=?"]
    if kind == "conv":
        args.append(f"D={values['D']}")
    if kind != "transpose" and mode == "valid":
        args.append(f"P={values['P']}")
    else:
        args += ["--padding", mode]
    if op is not None:
        args += ["--output-padding", str(op)]
    got = calc_json(run_cli, kind, *args)
    assert got["unknown"] == x
    n = values[x]
    assert n in got["solutions"] or (got["every_from"] is not None and n >= got["every_from"]
                                     and (n - got["every_from"]) % got["step"] == 0)


def test_160_textbook_questions_are_all_answered_with_the_start():
    """The issue's experiment: I 5..64, K 1..7, S 1..4, P 0..3, each unknown in turn."""
    import random

    rng = random.Random(26)
    answered = 0
    while answered < 160:
        v = {"I": rng.randint(5, 64), "K": rng.randint(1, 7), "S": rng.randint(1, 4), "P": rng.randint(0, 3),
             "D": 1}
        o = L.forward(Question("conv", v), v)
        if o is None:
            continue
        answered += 1
        for x in "IKSP":
            check_answer(Question("conv", {**{k: n for k, n in v.items() if k != x}, "O": o}), x, v[x])


# -- the cases ---------------------------------------------------------------------------

def test_forward_is_unchanged(run_cli):
    r = run_cli("calc", "conv", "I=32", "K=5", "S=2", "P=1")
    assert r.exit_code == 0
    assert r.output.splitlines()[2] == "  = 15"
    assert r.output.splitlines()[-1] == "  I=32  O=15  K=5  S=2  P=1  D=1"


def test_padding_that_the_floor_admits(run_cli):
    r = run_cli("calc", "conv", "I=32", "O=15", "K=5", "S=2")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[:3] == ["P = (S × (O - 1) + K - I)/2", "  = (2 × (15 - 1) + 5 - 32)/2", "  = 1/2"]
    assert "the exact fit P = 1/2 is not a valid integer padding; with Keras's floor P = 1 gives O = 15" \
        in r.output
    assert "neither padding='same' (O = 16) nor padding='valid' (O = 14)" in r.output
    assert lines[-1] == "  I=32  O=15  K=5  S=2  P=1  D=1"


def test_stride_that_the_floor_admits(run_cli):
    got = calc_json(run_cli, "conv", "I=32", "O=15", "K=5", "P=1")
    assert got["solutions"] == [2] and got["S"] == 2 and got["exact_fit"] == "29/14"


def test_kernel_lists_every_kernel(run_cli):
    r = run_cli("calc", "conv", "I=32", "O=15", "S=2", "P=1")
    assert "with Keras's floor, K = 5..6 all give O = 15; 6 is the exact fit" in r.output
    assert r.output.splitlines()[-1] == "  I=32  O=15  K=5..6  S=2  P=1  D=1"
    got = calc_json(run_cli, "conv", "I=32", "O=15", "S=2", "P=1")
    assert got["solutions"] == [5, 6] and got["K"] is None and got["exact_fit"] == "6"


def test_input_range(run_cli):
    got = calc_json(run_cli, "conv", "O=15", "K=5", "S=2", "P=1")
    assert got["solutions"] == [31, 32]


def test_same_and_valid_as_answers_for_padding(run_cli):
    # 32 -> 16 with K=4, S=2: P = 1 fits exactly, and padding='same' gives 16 too
    got = calc_json(run_cli, "conv", "I=32", "O=16", "K=4", "S=2")
    assert got["solutions"] == [1]
    assert got["paddings"] == [{"padding": "same"}]
    # 32 -> 29 with K=4, S=1: P = 0 is 'valid'
    r = run_cli("calc", "conv", "I=32", "O=29", "K=4", "S=1")
    assert "padding='valid' is P = 0" in r.output
    # a transposed convolution's padding: which of same/valid (and output_padding)
    got = calc_json(run_cli, "transpose", "I=7", "O=14", "K=3", "S=2", "P=?")
    assert got["paddings"] == [{"padding": "same", "output_padding": None},
                               {"padding": "same", "output_padding": 1}]


def test_same_as_an_input(run_cli):
    # padding='same': O = ceil(I/S) whatever the kernel, so every K >= 1 is an answer
    got = calc_json(run_cli, "conv", "I=32", "O=32", "S=1", "P=same")
    assert got["every_from"] == 1 and got["step"] == 1 and got["P"] is None and got["padding"] == "same"
    got = calc_json(run_cli, "conv", "I=32", "O=11", "K=3", "--padding", "same")
    assert got["solutions"] == [3]
    got = calc_json(run_cli, "pool", "O=11", "K=3", "S=3", "P=same")
    assert got["solutions"] == [31, 32, 33]


def test_stride_open_ended_when_one_window_is_left(run_cli):
    r = run_cli("calc", "conv", "I=5", "O=1", "K=5", "P=0")
    assert r.exit_code == 0 and "every stride from 1 up gives O = 1" in r.output
    assert "S>=1" in r.output.splitlines()[-1]


def test_transpose_kernel_parity(run_cli):
    # 'same' with output_padding: O = (I - 1)S + K mod 2 + output_padding, so every odd K
    got = calc_json(run_cli, "transpose", "I=7", "O=14", "S=2", "--padding", "same", "--output-padding", "1")
    assert got["every_from"] == 1 and got["step"] == 2


def test_dilation_can_be_asked_for(run_cli):
    got = calc_json(run_cli, "conv", "I=32", "O=28", "K=3", "S=1", "P=0", "D=?")
    assert got["solutions"] == [2] and got["unknown"] == "D"
    # Keras refuses strides > 1 with dilation > 1: only S = 1 can answer
    r = run_cli("calc", "conv", "I=32", "O=14", "K=3", "P=0", "D=2")
    assert r.exit_code == 2
    assert "S = 2 would, but Keras refuses strides > 1 together with dilation_rate > 1" in r.output


@pytest.mark.parametrize("args, message, hint", [
    (("conv", "I=32", "O=33", "K=5", "S=1"), "no padding turns 32 into 33 with K=5, S=1",
     "the exact-fit equation gives P = 5/2, not a valid padding; the nearest: P = 2 gives O = 32; "
     "P = 3 gives O = 34"),
    (("conv", "I=32", "O=27", "K=5", "P=0"), "no stride turns 32 into 27",
     "the nearest: S = 1 gives O = 28; S = 2 gives O = 14"),
    (("transpose", "I=7", "O=99", "K=3", "S=2", "P=?"), "no padding turns 7 into 99 with K=3, S=2",
     "O = 15 (padding='valid')"),
    (("conv", "I=32", "O=12", "K=5", "P=same"), "no stride turns 32 into 12",
     "S = 2 gives O = 16; S = 3 gives O = 11"),
])
def test_no_solution_says_why_with_the_nearest_values(run_cli, args, message, hint):
    r = run_cli("calc", *args)
    assert r.exit_code == 2
    assert r.output.startswith("archcalc: error: " + message)
    assert "hint: " in r.output and hint in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("args, message", [
    (("conv", "I=32", "O=?", "K=?", "S=1", "P=0"), "one letter at a time"),
    (("conv", "I=32", "O=28", "K=5", "P=2", "--padding", "same"), "not both"),
    (("conv", "I=32", "K=5", "P=same", "--padding", "valid"), "padding is given twice"),
    (("pool", "I=32", "K=2", "D=2"), "NAME one of I, K, O, P, S"),
    (("transpose", "I=7", "K=3", "S=2", "P=1"), "no numeric padding"),
    (("transpose", "I=7", "K=3", "S=2", "--output-padding", "2"), "smaller than the stride"),
    (("conv", "I=999999", "K=5", "S=1", "P=0"), "sizes up to"),
])
def test_bad_questions_exit_2(run_cli, args, message):
    r = run_cli("calc", *args)
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output


# -- formats ---------------------------------------------------------------------------------------

def test_json_lists_all_solutions_and_the_old_flag_still_works(run_cli):
    new = calc_json(run_cli, "conv", "I=227", "O=55", "S=4", "P=0")
    assert new["solutions"] == [8, 9, 10, 11] and new["exact_fit"] == "11"
    r = run_cli("calc", "conv", "I=227", "O=55", "S=4", "P=0", "--json")
    assert r.exit_code == 0 and json.loads(r.output) == new
    assert "--json" not in run_cli("calc", "conv", "--help").output


def test_markdown_and_latex_show_the_derivation_and_every_answer(run_cli):
    md = run_cli("calc", "conv", "I=32", "O=15", "S=2", "P=1", "--format", "markdown").output
    assert md.startswith("$$\\begin{aligned} \\text{K} &= ")
    assert "**Answer:** $5 \\le K \\le 6$" in md
    assert "> with Keras's floor, K = 5..6 all give O = 15; 6 is the exact fit" in md
    tex = run_cli("calc", "conv", "I=32", "O=15", "S=2", "P=1", "--format", "latex").output
    assert tex.startswith("\\[ \\begin{aligned}")
    assert "\\textbf{Answer:} $5 \\le K \\le 6$" in tex
    tex = run_cli("calc", "transpose", "I=7", "O=14", "K=3", "S=2", "P=?", "--format", "latex").output
    assert "\\textbf{Answer:} padding=same (output\\_padding=None or 1)" in tex


def test_params_takes_format_too(run_cli):
    got = json.loads(run_cli("calc", "params", "lstm", "units=64", "input_dim=10", "--format", "json").output)
    assert got["params"] == 19_200
    md = run_cli("calc", "params", "lstm", "units=64", "input_dim=10", "--format", "markdown").output
    assert "$$" in md and "19{,}200" in md


# -- real Keras --------------------------------------------------------------------------------------

def _sample_questions():
    """Backward questions from a fixed sample of layers, with every answer (each a layer)."""
    import random

    rng = random.Random(2026)
    out = []
    while len(out) < 60:
        kind = rng.choice(["conv", "conv", "pool", "transpose"])
        v = {"I": rng.randint(3, 40), "K": rng.randint(1, 6), "S": rng.randint(1, 3), "P": 0, "D": 1}
        mode = rng.choice(L.MODES)
        op = None
        if kind == "conv" and v["S"] == 1:
            v["D"] = rng.randint(1, 2)
        if kind != "transpose" and mode == "valid":
            v["P"] = rng.randint(0, 2)
        if kind == "transpose":
            op = rng.choice([None, *range(v["S"])])
        q = Question(kind, v, mode, op)
        o = L.forward(q, v)
        if o is None:
            continue
        x = rng.choice(letters_of(kind, mode, v))
        asked = Question(kind, {**{k: n for k, n in v.items() if k != x}, "O": o}, mode, op)
        ans = L.solve(asked, x)
        for n in ans.values[:3] + ([] if ans.every_from is None else [ans.every_from]):
            out.append((asked, x, n))
    return out


@pytest.mark.keras
def test_solved_layers_give_the_output_size_in_keras():
    keras = pytest.importorskip("keras")
    seen = set()
    for q, x, n in _sample_questions():
        v = q.with_value(x, n)
        if q.kind == "transpose":  # 2-D: both axes the same
            x_in = keras.Input((v["I"], v["I"], 1))
            layer = keras.layers.Conv2DTranspose(1, v["K"], strides=v["S"], padding=q.mode,
                                                 output_padding=q.output_padding, dilation_rate=v["D"])
            shape = layer(x_in).shape[1:3]
        else:
            two_d = (v["I"] + v["K"]) % 2 == 0  # Conv1D/MaxPooling1D and Conv2D/MaxPooling2D in turn
            x_in = keras.Input((v["I"], v["I"], 1) if two_d else (v["I"], 1))
            pad = keras.layers.ZeroPadding2D if two_d else keras.layers.ZeroPadding1D
            h = pad(v["P"])(x_in) if v.get("P") else x_in
            if q.kind == "conv":
                conv = keras.layers.Conv2D if two_d else keras.layers.Conv1D
                layer = conv(1, v["K"], strides=v["S"], padding=q.mode, dilation_rate=v["D"])
            else:
                pool = keras.layers.MaxPooling2D if two_d else keras.layers.MaxPooling1D
                layer = pool(v["K"], strides=v["S"], padding=q.mode)
            out = layer(h).shape
            shape = out[1:3] if two_d else out[1:2]
        seen.add(q.kind)
        assert all(d == v["O"] for d in shape), (q, x, n, shape)
    assert seen == {"conv", "pool", "transpose"}


def test_only_same_padding_gives_the_output(run_cli):
    # S = 1: I + 2P - K + 1 moves in steps of 2, so no P gives 32; 'same' pads 1 before, 2 after
    r = run_cli("calc", "conv", "I=32", "O=32", "K=4", "S=1")
    assert r.exit_code == 0, r.output
    assert "no padding P on each side gives O = 32 (P = 1 gives 31; P = 2 gives 33)" in r.output
    assert "Keras pads 1 before and 2 after" in r.output
    assert r.output.splitlines()[-1] == "  I=32  O=32  K=4  S=1  padding=same  D=1"
    got = calc_json(run_cli, "conv", "I=32", "O=32", "K=4", "S=1")
    assert got["solutions"] == [] and got["paddings"] == [{"padding": "same"}] and got["P"] is None
    assert "**Answer:** padding='same'" in run_cli("calc", "conv", "I=32", "O=32", "K=4", "S=1",
                                                   "--format", "markdown").output


def test_the_dilation_arrangement_is_proved_equal_to_the_engine():
    import sympy as sp

    from archcalc.explain import notation as N
    from archcalc.explain.printing import to_text
    from archcalc.layers import formulas as F

    engine = F.notes_output_size(N.I, N.K, N.S, N.P, N.D).replace(sp.floor, lambda e: e)
    (solution,) = sp.solve(sp.Eq(N.O, engine), N.D)
    arranged = N.solved_form("D", solution)
    assert N.proved_equal(arranged, solution)
    assert to_text(arranged) == "(I + 2 × P - S × (O - 1) - 1)/(K - 1)"
