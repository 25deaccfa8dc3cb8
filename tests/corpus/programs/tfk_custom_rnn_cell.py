"""The Keras guide's minimal RNN cell, in keras.layers.RNN alone and stacked, in a Sequential."""
import tensorflow as tf
from tensorflow import keras


class MinimalRNNCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="uniform",
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        prev_output = states[0]
        h = tf.matmul(inputs, self.kernel)
        output = h + tf.matmul(prev_output, self.recurrent_kernel)
        return output, [output]


model = keras.Sequential()
model.add(keras.Input((10, 5)))
model.add(keras.layers.RNN([MinimalRNNCell(32), MinimalRNNCell(8)], return_sequences=True))
model.add(keras.layers.RNN(MinimalRNNCell(4)))
model.add(keras.layers.Dense(1))
model.compile("adam", "mse")
