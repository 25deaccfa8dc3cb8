"""`archcalc quiz`: reproducible sheets whose answers are the engine's (checked against Keras)."""

from __future__ import annotations

import pytest

from archcalc.explain.quiz import TOPICS, make_quiz, render_sheet
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "explain"


def test_same_seed_same_sheet(run_cli):
    a = run_cli("quiz", "--seed", "7", "--count", "6")
    b = run_cli("quiz", "--seed", "7", "--count", "6")
    c = run_cli("quiz", "--seed", "8", "--count", "6")
    assert a.exit_code == 0 and a.output == b.output and a.output != c.output


@pytest.mark.parametrize("fmt", ["markdown", "latex"])
def test_answer_key_has_worked_solutions(run_cli, fmt):
    r = run_cli("quiz", "--topic", "receptive-field", "--seed", "3", "--count", "2", "--format", fmt, "--answers")
    assert r.exit_code == 0
    assert r"\begin{aligned}" in r.output and "receptive field" in r.output


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_answers_what_it_asks(topic):
    for q in make_quiz(topic, 4, seed=1):
        assert q.topic == topic
        assert all(k in q.answers for k in q.asks)
        assert q.working


def test_receptive_field_answers_follow_the_notes():
    from archcalc.layers.formulas import notes_input_size

    for q in make_quiz("receptive-field", 10, seed=5):
        conv = q.working[-1]
        (size,) = [d for d in conv.sizes]
        o = size.value
        rf = [d for d in conv.rf if d.quantity.startswith("receptive field (")][0]
        vals = {sym.name: v for sym, v in rf.values.items()}
        assert rf.value == notes_input_size(o, vals["K"], vals["S"], vals["P"])


@pytest.mark.keras
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_answers_match_keras(seed):
    keras = pytest.importorskip("keras")
    for q in make_quiz("mixed", 6, seed=seed):
        layers = [eval(c, {"__builtins__": {}}, vars(keras.layers)) for c in q.keras_layers]  # noqa: S307  (our own calls)
        model = keras.Sequential([keras.Input(shape=q.input_shape), *layers])
        assert str(tuple(model.output_shape)) == q.answers["output shape"], q.prompt
        assert model.count_params() == q.answers["parameters"], q.prompt


@pytest.mark.parametrize("fmt, ext", [("markdown", "md"), ("latex", "tex"), ("text", "txt")])
def test_answer_key_golden(fmt, ext, golden):
    golden.check(GOLDEN / f"quiz_answers.{ext}", render_sheet(make_quiz("mixed", 6, seed=3), fmt, answers=True))


def test_every_format_carries_the_legends_and_notes():
    qs = make_quiz("rnn", 6, seed=3)
    for fmt in ("markdown", "latex", "text"):
        sheet = render_sheet(qs, fmt, answers=True)
        assert "where " in sheet and "features per step" in sheet, fmt
        assert "doubled" in sheet or "reset_after" in sheet, fmt


def test_text_format(run_cli):
    r = run_cli("quiz", "--format", "text", "--answers", "--seed", "3", "--count", "2")
    assert r.exit_code == 0 and r.output.startswith("Answer key") and "$$" not in r.output
