"""A custom Dense layer and a custom scaling layer (Keras 3)."""
import keras
from keras import layers, ops


class MyDense(layers.Layer):
    def __init__(self, units=32, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="glorot_uniform", trainable=True, name="kernel"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True, name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, self.w) + self.b)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (self.units,)


class LearnedScale(layers.Layer):
    """Multiplies each feature by a learned factor; keeps a non-trainable step counter."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-None],), initializer="ones", name="scale")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")

    def call(self, inputs):
        return inputs * self.scale


(x_train, y_train), _ = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255

inputs = keras.Input(shape=(784,))
x = MyDense(128, activation="relu")(inputs)
x = LearnedScale()(x)
x = MyDense(64, activation="relu")(x)
outputs = MyDense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=3, batch_size=256)
print(model.get_layer(index=1).w.shape)
