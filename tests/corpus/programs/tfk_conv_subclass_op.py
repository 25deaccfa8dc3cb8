"""Weight-standardised convolution: a Conv2D subclass whose call() uses self.convolution_op."""
import tensorflow as tf
from tensorflow import keras


class WSConv2D(keras.layers.Conv2D):
    def call(self, inputs):
        mean, var = tf.nn.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
        return self.convolution_op(inputs, (self.kernel - mean) / tf.sqrt(var + 1e-10))


inp = keras.Input((32, 32, 3))
x = WSConv2D(8, 3, padding="same")(inp)
x = keras.layers.Conv2D(16, 3, strides=2)(x)
x = WSConv2D(16, 3, use_bias=False)(x)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inp, keras.layers.Dense(2)(x))
