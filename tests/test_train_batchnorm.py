"""After fit(), `archcalc train` recomputes BatchNormalization's moving statistics on the
training split ("precise BN"): a few dozen steps leave the moving averages (momentum 0.99)
near their start values, so the model evaluated in inference mode is not the model trained.
Checked here against numpy: the new statistics are the averages of Keras's own batch moments."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.keras


def test_moving_statistics_become_the_average_of_the_batch_moments():
    import numpy as np

    from archcalc.keras_bridge.build import import_keras
    from archcalc.keras_bridge.train import recalibrate_batchnorm

    keras = import_keras()
    rng = np.random.default_rng(0)
    x = rng.normal(5.0, 2.0, (40, 3)).astype("float32")
    inp = keras.Input((3,))
    inner = keras.Sequential([keras.layers.BatchNormalization(name="nested_bn")], name="block")
    out = keras.layers.Dense(1)(inner(keras.layers.BatchNormalization(name="bn")(inp)))
    model = keras.Model(inp, out)
    dense_before = [w.copy() for w in model.layers[-1].get_weights()]

    count, momentum = recalibrate_batchnorm(keras, model, x, batch_size=10)

    assert (count, momentum) == (2, 0.99)
    bn = model.get_layer("bn")
    batches = x.reshape(4, 10, 3)
    np.testing.assert_allclose(bn.moving_mean.numpy(), batches.mean(axis=1).mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), batches.var(axis=1).mean(axis=0), rtol=1e-4)
    # the nested layer sees the first one's output in training mode: mean 0, variance near 1
    nested = inner.get_layer("nested_bn")
    assert np.all(np.abs(nested.moving_mean.numpy()) < 1e-4)
    assert np.all(np.abs(nested.moving_variance.numpy() - 1) < 0.01)
    assert bn.momentum == nested.momentum == 0.99  # restored
    for before, after in zip(dense_before, model.layers[-1].get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)  # only the statistics change


def test_frozen_batchnorm_and_models_without_it_are_left_alone():
    import numpy as np

    from archcalc.keras_bridge.build import import_keras
    from archcalc.keras_bridge.train import recalibrate_batchnorm

    keras = import_keras()
    frozen = keras.layers.BatchNormalization()
    frozen.trainable = False
    model = keras.Sequential([keras.Input((2,)), frozen, keras.layers.Dense(1)])
    x = np.full((8, 2), 3.0, dtype="float32")
    assert recalibrate_batchnorm(keras, model, x, 4) == (0, 0.0)
    np.testing.assert_array_equal(frozen.moving_mean.numpy(), [0.0, 0.0])
    plain = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    assert recalibrate_batchnorm(keras, plain, x, 4) == (0, 0.0)
