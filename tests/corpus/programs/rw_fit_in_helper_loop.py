"""A model trained directly, then a sweep that builds and trains one model per size in a helper.

Written for the real-program corpus (issue 23, second set): the sweep's last model (128 units) is the one
trained last; its loop runs over list(itertools.product(...)).
"""
from itertools import product

import tensorflow as tf


def build_model(units):
    return tf.keras.models.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(units, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])


def compile_train_model(model, x, y, epochs=10):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=32)
    return model


(x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
model = build_model(32)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=10)

cases = list(product([0.85, 0.9], [16, 32, 64, 128]))
for c in cases:
    model = build_model(c[1])
    model = compile_train_model(model, x_train, y_train, epochs=30)
