"""A custom dense layer that stores its activation with tf.keras.activations.get().

Written for the real-program corpus (issue 23): `self.activation = activations.get(name)` in
__init__, `return self.activation(tf.matmul(inputs, self.w) + self.b)` in call().
"""
import numpy as np
import tensorflow as tf


class SimpleDense(tf.keras.layers.Layer):
    def __init__(self, units=32, activation=None):
        super().__init__()
        self.units = units
        self.activation = tf.keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(name="bias", shape=(self.units,), initializer="zeros",
                                 trainable=True)

    def call(self, inputs):
        return self.activation(tf.matmul(inputs, self.w) + self.b)


model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    SimpleDense(128, activation="relu"),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(np.zeros((8, 28, 28)), np.zeros((8,)), epochs=1)
