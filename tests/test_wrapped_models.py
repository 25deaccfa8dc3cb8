"""A model given to a layer wrapper (``TimeDistributed(cnn)``, ``Bidirectional`` takes only
recurrent layers) is read as the nested model it is, with Keras's shapes and counts."""

from __future__ import annotations

import pytest

from archcalc.engine import analyze
from archcalc.readers import load

PROGRAM = """\
from tensorflow import keras
from tensorflow.keras import layers

cnn = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                        layers.GlobalAveragePooling2D()])
frames = keras.Input(shape=(10, 64, 64, 3))
x = layers.TimeDistributed(cnn)(frames)
x = layers.GRU(16)(x)
out = layers.Dense(3, activation="softmax")(x)
model = keras.Model(frames, out)
"""


def _keras_model():
    import keras
    from keras import layers

    cnn = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                            layers.GlobalAveragePooling2D()])
    frames = keras.Input(shape=(10, 64, 64, 3))
    x = layers.TimeDistributed(cnn)(frames)
    x = layers.GRU(16)(x)
    return keras.Model(frames, layers.Dense(3, activation="softmax")(x))


@pytest.mark.keras
def test_time_distributed_over_a_model_matches_keras(tmp_path) -> None:
    path = tmp_path / "video.py"
    path.write_text(PROGRAM)
    result = analyze(load(path))
    model = _keras_model()
    assert result.output_shapes[0] == tuple(model.outputs[0].shape)
    assert result.total_params == model.count_params()
    td = next(r for r in result.rows if r.type == "TimeDistributed")
    assert td.output_shape == tuple(model.layers[1].output.shape)
