"""Lambda layers inside Sequential models: first (with input_shape) and Keras 1's max-over-time."""
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers

nb_filter = 64


def max_1d(x):
    return K.max(x, axis=1)


text = keras.Sequential()
text.add(layers.Embedding(5000, 32))
text.add(layers.Conv1D(nb_filter, 3, activation="relu"))
text.add(layers.Lambda(max_1d, output_shape=(nb_filter,)))
text.add(layers.Dense(1, activation="sigmoid"))
text.build((None, 100))

images = keras.Sequential([
    layers.Lambda(lambda x: x / 255.0 - 0.5, input_shape=(64, 64, 3)),
    layers.Conv2D(8, 5, strides=2, activation="relu"),
    layers.Lambda(lambda x: K.mean(x, axis=[1, 2])),
    layers.Dense(2),
])
images.compile("adam", "mse")
images.fit(x, y)
