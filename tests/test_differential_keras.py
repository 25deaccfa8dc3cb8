"""Edge cases where archcalc once refused what Keras builds (issue 12's differential list):
each built with real Keras and read by archcalc from the same spec text."""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.keras

CASES = {
    "dot_axes_0": ("input: {a: [3], b: [3]}\nlayers:\n  - Dot(axes=0)([a, b])\n",
                   lambda k: k.layers.Dot(axes=0)([k.Input((3,)), k.Input((3,))])),
    "dot_axes_0_3d": ("input: {a: [3, 4], b: [3, 5]}\nlayers:\n  - Dot(axes=0)([a, b])\n",
                      lambda k: k.layers.Dot(axes=0)([k.Input((3, 4)), k.Input((3, 5))])),
    "layernorm_axis_0_no_weights": (
        "input: [12]\nlayers:\n  - LayerNormalization(axis=0, center=False, scale=False)\n",
        lambda k: k.layers.LayerNormalization(axis=0, center=False, scale=False)(k.Input((12,)))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_archcalc_builds_what_keras_builds(name, analyze_text):
    import keras

    text, build = CASES[name]
    keras.backend.clear_session()
    out = build(keras)
    result = analyze_text(text)
    assert result.output_shapes == [tuple(out.shape)]
    model = keras.Model([t for t in keras.utils.get_source_inputs(out)], out)
    assert result.total_params == model.count_params()
    assert result.trainable_params == sum(math.prod(w.shape) for w in model.trainable_weights)


def test_layernorm_over_the_batch_axis_with_weights_is_refused_like_keras(analyze_text):
    import keras

    from archcalc.errors import ArchcalcError

    with pytest.raises(ValueError):
        keras.layers.LayerNormalization(axis=0)(keras.Input((12,)))
    with pytest.raises(ArchcalcError, match="batch axis"):
        analyze_text("input: [12]\nlayers:\n  - LayerNormalization(axis=0)\n")


def test_dropout_nan_is_refused_like_keras():
    import keras

    from archcalc.errors import ArchcalcError
    from archcalc.readers.python import load_text

    with pytest.raises(ValueError):
        keras.layers.Dropout(float("nan"))
    with pytest.raises(ArchcalcError, match="finite"):
        load_text("import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(float('nan'))])\n",
                  "x.py")


@pytest.mark.parametrize("outputs", ["dense", "o_and_c"])
def test_return_state_picks_in_json(outputs, tmp_path):
    """Output 0 of an LSTM(return_state=True) in a .json is that one output, not all three."""
    import keras

    from archcalc.engine import analyze
    from archcalc.readers import load

    keras.backend.clear_session()
    inp = keras.Input((5, 3))
    o, h, c = keras.layers.LSTM(4, return_state=True)(inp)
    model = keras.Model(inp, keras.layers.Dense(2)(o) if outputs == "dense" else [o, c])
    path = tmp_path / "m.json"
    path.write_text(model.to_json())
    result = analyze(load(path))
    assert result.total_params == model.count_params()
    assert result.output_shapes == [tuple(t.shape) for t in model.outputs]
