import tensorflow as tf


class PositionalScale(tf.keras.layers.Layer):
    """Learns one scale per time step and feature: a (steps, features) weight."""

    def build(self, input_shape):
        self.scale = self.add_weight(name="scale", shape=(input_shape[1], input_shape[2]), initializer="ones")
        super().build(input_shape)

    def call(self, x):
        return x * self.scale

    def compute_output_shape(self, input_shape):
        return input_shape
