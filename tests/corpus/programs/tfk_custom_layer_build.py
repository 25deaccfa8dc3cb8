import tensorflow as tf
from tensorflow import keras


class LinearLayer(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super(LinearLayer, self).__init__(**kwargs)
        self.units = units

    def build(self, batch_input_shape):
        self.kernel = self.add_weight(name="kernel", shape=[batch_input_shape[-1], self.units],
                                      initializer="glorot_normal")
        self.bias = self.add_weight(name="bias", shape=[self.units], initializer="zeros")
        super().build(batch_input_shape)

    def call(self, X):
        return tf.matmul(X, self.kernel) + self.bias

    def compute_output_shape(self, batch_input_shape):
        return tf.TensorShape(batch_input_shape.as_list()[:-1] + [self.units])

    def get_config(self):
        base_config = super().get_config()
        return {**base_config, "units": self.units}


class GaussianNoiseAdder(keras.layers.Layer):
    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.stddev = stddev

    def call(self, X, training=None):
        if training:
            return X + tf.random.normal(tf.shape(X), stddev=self.stddev)
        return X

    def compute_output_shape(self, batch_input_shape):
        return batch_input_shape


model = keras.models.Sequential([
    keras.layers.Input(shape=(8,)),
    GaussianNoiseAdder(0.1),
    LinearLayer(30),
    keras.layers.Activation("relu"),
    LinearLayer(1),
])
model.compile(loss="mse", optimizer="nadam")
model.summary()
