"""Readable text reprs for Jupyter (text/plain) and the arguments a user wrote for a live
Keras model: what a notebook shows must be what a student would write on paper."""

from __future__ import annotations

import pytest

from archcalc.engine import analyze
from archcalc.explain import explain_analysis
from archcalc.readers.yaml_spec import load
from tests.conftest import SAMPLES


def pretty(obj) -> str:
    """What IPython's text/plain display prints: the object's _repr_pretty_ (IPython calls
    it with a printer whose text() collects the output)."""
    class Printer:
        out = ""

        def text(self, s: str) -> None:
            self.out += s

    p = Printer()
    obj._repr_pretty_(p, False)
    return p.out


def lenet():
    return analyze(load(SAMPLES / "lenet5.yaml"))


def test_rf_text_is_its_size():
    a = lenet()
    rf = a.by_name["C1"].rf
    assert str(rf) == "5x5" and pretty(rf) == "RF(5x5)"
    assert "Fraction" not in pretty(rf) and "AxisRF(size" not in pretty(rf)


def test_explanations_print_their_working():
    ex = explain_analysis(lenet())
    text = pretty(ex)
    assert text == ex.render("text") and "Fraction" not in text
    assert "total parameters = 156 + 2,416 + 48,120 + 10,164 + 850" in text
    layer = ex.layers[0]
    assert pretty(layer).startswith("C1 (Conv2D): Conv2D(6, (5, 5), activation='tanh')   (None, 32, 32, 1)")
    assert repr(layer) == "<LayerExplanation C1 (Conv2D) -> (None, 28, 28, 6)>"
    d = layer.params[0]
    assert repr(d) == "<Derivation parameters = 156>" and "= (5^2 × 1 + 1) × 6" in pretty(d)
    assert repr(ex) == "<ModelExplanation lenet-5: 8 layers, 61,706 parameters>"


@pytest.mark.keras
def test_live_model_shows_the_written_arguments():
    keras = pytest.importorskip("keras")
    from archcalc.keras_bridge.live import analyze_model

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                              keras.layers.MaxPooling2D(2), keras.layers.Flatten(), keras.layers.Dense(10)])
    ex = explain_analysis(analyze_model(model))
    calls = [layer.call for layer in ex.layers]
    # Keras's config spells out every argument; what differs from the defaults is what was written
    # (MaxPooling2D(2) and MaxPooling2D() are the same call: pool_size 2 is the default)
    assert calls == ["Conv2D(8, 3, activation='relu')", "MaxPooling2D()", "Flatten()", "Dense(10)"]
    assert all("initializer" not in c and "name=" not in c for c in calls)
    assert ex.totals is not None and ex.totals.total == model.count_params()
