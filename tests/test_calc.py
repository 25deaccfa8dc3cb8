"""`archcalc calc`: the notes' output-size equation solved for each unknown."""

from __future__ import annotations

import json

import pytest


def calc_json(run_cli, *args):
    r = run_cli("calc", *args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@pytest.mark.parametrize("args, want", [
    # AlexNet's first layer: 227 -> 55 with K=11, S=4, P=0, each unknown in turn
    (("I=227", "K=11", "S=4", "P=0"), {"O": 55}),
    (("I=227", "O=55", "S=4", "P=0"), {"K": 11}),
    (("I=227", "O=55", "K=11", "P=0"), {"S": 4}),
    (("I=227", "O=55", "K=11", "S=4"), {"P": 0}),
    (("O=55", "K=11", "S=4", "P=0"), {"I": 227}),
    # which kernel turns 32 into 28 with S=1, P=0
    (("I=32", "O=28", "S=1", "P=0"), {"K": 5}),
    # which padding keeps 32 at 32 with K=5 (S=1)
    (("I=32", "O=32", "K=5", "S=1"), {"P": 2}),
    # the notes' inverse example: O=18, K=2, S=2, P=2 -> I=32
    (("O=18", "K=2", "S=2", "P=2"), {"I": 32}),
    # dilation widens the kernel: K_eff = 2(3 - 1) + 1 = 5
    (("I=32", "K=3", "S=1", "P=0", "D=2"), {"O": 28}),
])
def test_solves_textbook_cases(run_cli, args, want):
    got = calc_json(run_cli, "conv", *args)
    assert {"I", "O", "K", "S", "P", "D"} <= set(got)
    (letter, value), = want.items()
    assert got["unknown"] == letter and value in got["solutions"]
    assert all(isinstance(got[k], int) for k in "IOKSPD" if k != letter)


def test_solution_agrees_with_keras_floor_formula(run_cli):
    from archcalc.layers.formulas import conv_output_length

    got = calc_json(run_cli, "conv", "O=18", "K=2", "S=2", "P=2")
    assert got["solutions"] == [32, 33] and got["exact_fit"] == "32"
    for i in got["solutions"]:
        assert conv_output_length(i + 2 * got["P"], got["K"], got["S"], "valid") == 18


@pytest.mark.parametrize("args, message", [
    (("I=32", "O=27", "K=5", "P=0"), "no stride turns 32 into 27 with K=5"),
    (("I=32", "O=33", "K=5", "S=1"), "no padding"),  # P = 2.5
    (("I=32", "O=28", "S=3", "P=0"), "no kernel"),
    (("I=32", "K=5"), "give all but one"),
    (("I=32", "O=27", "K=5", "S=1", "P=0"), "O=27 does not fit"),  # all five given: checked
    (("I=x", "K=5"), "expected an integer"),
    (("Q=3",), "NAME=VALUE"),
    (("I=4", "K=7", "S=1", "P=0"), "does not fit"),
])
def test_impossible_cases_exit_2(run_cli, args, message):
    r = run_cli("calc", "conv", *args)
    assert r.exit_code == 2
    assert message in r.output


def test_text_shows_the_working(run_cli):
    r = run_cli("calc", "conv", "I=32", "K=5", "S=1", "P=0")
    assert "⌊(I - K + 2 × P)/S⌋ + 1" in r.output
    assert "⌊(32 - 5 + 2 × 0)/1⌋ + 1" in r.output
    assert "floor" not in r.output
    assert "= 28" in r.output


def test_pool_strides_default_to_pool_size(run_cli):
    assert calc_json(run_cli, "pool", "I=32", "K=2")["O"] == 16
    assert calc_json(run_cli, "pool", "I=27", "K=3", "S=2")["O"] == 13


def test_transpose(run_cli):
    # Keras Conv2DTranspose(.., 3, strides=2, padding='same') doubles: 7 -> 14
    r = run_cli("calc", "transpose", "I=7", "K=3", "S=2", "--padding", "same", "--json")
    assert json.loads(r.output)["O"] == 14
    # padding='valid': (I - 1) S + K = 6 x 2 + 3 = 15; and back, I from O
    assert calc_json(run_cli, "transpose", "I=7", "K=3", "S=2")["O"] == 15
    assert calc_json(run_cli, "transpose", "O=15", "K=3", "S=2")["I"] == 7


@pytest.mark.parametrize("args, total", [
    (("lstm", "units=64", "input_dim=10"), 19_200),       # notes' LSTM example
    (("simplernn", "units=64", "input_dim=10"), 4_800),   # notes' RNN example
    (("conv2d", "kernel=5", "in_channels=3", "filters=8"), 608),  # notes' example calculation
    (("dense", "units=10", "inputs=128"), 1_290),          # (128 + 1) x 10
    (("gru", "units=64", "input_dim=10", "reset_after=False"), 14_400),
    # the notes: "for bidirectional models, the number of parameters is doubled": 2 x 19,200
    (("bidirectional", "layer=LSTM(64)", "input_dim=10"), 38_400),
    # TimeDistributed runs the inner Dense on every step: (10 + 1) x 8
    (("timedistributed", "layer=Dense(8)", "input_dim=10"), 88),
])
def test_params(run_cli, args, total):
    got = calc_json(run_cli, "params", *args)
    assert got["params"] == total


def test_params_errors(run_cli):
    assert run_cli("calc", "params", "lstmm", "units=3", "input_dim=2").exit_code == 2
    assert run_cli("calc", "params", "lstm", "unitz=3", "input_dim=2").exit_code == 2
    assert run_cli("calc", "params", "lstm", "units=3").exit_code == 2


def test_params_text(run_cli):
    r = run_cli("calc", "params", "lstm", "units=64", "input_dim=10")
    assert "4 × 64 × (10 + 64 + 1)" in r.output and "= 19,200" in r.output


def test_all_five_values_are_checked(run_cli):
    r = run_cli("calc", "conv", "I=32", "O=28", "K=5", "S=1", "P=0")
    assert r.exit_code == 0
    assert "⌊(32 - 5 + 2 × 0)/1⌋ + 1" in r.output and "the given O = 28" in r.output


def test_transpose_max_keeps_the_values_in_order(run_cli):
    r = run_cli("calc", "transpose", "I=16", "K=3", "S=2")
    assert "(I - 1) × S + max(K, S)" in r.output
    assert "(16 - 1) × 2 + max(3, 2)" in r.output
    assert "Max" not in r.output and "= 33" in r.output


def test_params_hint_names_the_real_input_argument(run_cli):
    r = run_cli("calc", "params", "lstm", "units=3", "bogus=2")
    assert r.exit_code == 2 and "input size: input_dim" in r.output and "in_channels" not in r.output
    r = run_cli("calc", "params", "conv2d", "filters=3", "kernel=3", "bogus=2")
    assert "input size: in_channels" in r.output


@pytest.mark.keras
@pytest.mark.parametrize("args, build", [
    (("mha", "num_heads=2", "key_dim=16", "input_dim=32"), "mha"),
    (("bidirectional", "layer=GRU(16)", "input_dim=8"), "bigru"),
])
def test_params_wrappers_match_keras(run_cli, args, build):
    keras = pytest.importorskip("keras")
    got = calc_json(run_cli, "params", *args)
    if build == "mha":
        x = keras.Input((5, 32))
        layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=16)
        layer(x, x)
    else:
        layer = keras.layers.Bidirectional(keras.layers.GRU(16))
        layer.build((None, 5, 8))
    assert got["params"] == layer.count_params()


@pytest.mark.parametrize("args, first_lines", [
    # the notes' order and symbols, not sympy's (which printed K = I + S + 2 × P - O × S)
    (("I=32", "O=28", "S=1", "P=0"), ["K = I + 2 × P - S × (O - 1)", "  = 32 + 2 × 0 - 1 × (28 - 1)", "  = 5"]),
    (("O=18", "K=2", "S=2", "P=2"), ["I = O × S + (K - S) - 2 × P", "  = 18 × 2 + (2 - 2) - 2 × 2", "  = 32"]),
    (("I=227", "O=55", "K=11", "P=0"), ["S = (I - K + 2 × P)/(O - 1)", "  = (227 - 11 + 2 × 0)/(55 - 1)",
                                        "  = 4"]),
    (("I=32", "O=32", "K=5", "S=1"), ["P = (S × (O - 1) + K - I)/2", "  = (1 × (32 - 1) + 5 - 32)/2", "  = 2"]),
    (("I=227", "K=11", "S=4", "P=0"), ["O = ⌊(I - K + 2 × P)/S⌋ + 1", "  = ⌊(227 - 11 + 2 × 0)/4⌋ + 1",
                                       "  = 55"]),
])
def test_solved_forms_in_the_notes_order(run_cli, args, first_lines):
    r = run_cli("calc", "conv", *args)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:3] == first_lines


def test_notes_arrangements_are_proved_equal_to_the_engine():
    """Each arrangement calc and explain print is the engine's function on the same symbols
    (the proof runs before printing; here it must hold, not fall back)."""
    import sympy as sp

    from archcalc.explain import notation as N
    from archcalc.explain.printing import to_text
    from archcalc.layers import formulas as F

    want = {"I": "O × S + (K - S) - 2 × P", "K": "I + 2 × P - S × (O - 1)", "S": "(I - K + 2 × P)/(O - 1)",
            "P": "(S × (O - 1) + K - I)/2"}
    engine_o = F.notes_output_size(N.I, N.K, N.S, N.P)
    assert N.output_size_form().doit() == engine_o
    assert to_text(N.output_size_form()) == "⌊(I - K + 2 × P)/S⌋ + 1"
    for letter in "IKSP":
        target = N.LETTERS[letter]
        (solution,) = sp.solve(sp.Eq(N.O, engine_o.replace(sp.floor, lambda x: x)), target)
        arranged = N.solved_form(letter, solution)
        assert N.proved_equal(arranged, solution)
        assert to_text(arranged) == want[letter]
    # a wrong "arrangement" is refused: the engine's expression is shown instead
    assert not N.proved_equal(N.I + N.K, N.I - N.K)


def test_lint_quotes_the_notes_formula_from_formulas():
    from archcalc.layers.formulas import NOTES_OUTPUT_SIZE, notes_output_size, notes_output_text

    assert NOTES_OUTPUT_SIZE == "(I - K + 2P)/S + 1"
    assert notes_output_text({"I": 31, "K": 2, "P": 0, "S": 2}) == "(31 - 2 + 2*0)/2 + 1"
    # the text, evaluated and floored, is the engine's number
    for i, k, s, p in [(31, 2, 2, 0), (227, 11, 4, 0), (32, 5, 1, 2), (7, 3, 3, 1)]:
        assert (i - k + 2 * p) // s + 1 == notes_output_size(i, k, s, p)
