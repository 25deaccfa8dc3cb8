# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# Per-pixel output from a convolutional head (segmentation): legitimate.
import keras
from keras import layers

inputs = keras.Input((64, 64, 3))
x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
outputs = layers.Conv2D(5, 1, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
