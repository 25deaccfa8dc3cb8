"""Custom layers whose output shape comes from compute_output_shape (list edits of the shape)."""
import tensorflow as tf
from tensorflow import keras


class Doubler(keras.layers.Layer):
    """Concatenates its input with itself on the last axis."""

    def call(self, x):
        return tf.concat([x, x], axis=-1)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[-1] *= 2
        return tuple(shape)


class Pairs(keras.layers.Layer):
    """Folds the time axis into pairs: (batch, t, f) -> (batch, t // 2, 2 * f)."""

    def call(self, x):
        shape = tf.shape(x)
        return tf.reshape(x, (shape[0], shape[1] // 2, 2 * x.shape[-1]))

    def compute_output_shape(self, input_shape):
        batch, steps, features = input_shape
        return (batch, steps // 2, features * 2)


inp = keras.Input((12, 8))
x = Doubler()(inp)
x = Pairs()(x)
x = keras.layers.LSTM(16)(x)
out = keras.layers.Dense(3, activation="softmax")(x)
model = keras.Model(inp, out)
model.compile("adam", "categorical_crossentropy")
