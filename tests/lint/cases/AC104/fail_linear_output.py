# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "loss does not decrease": the output layer has no activation, the loss expects probabilities.
import keras
from keras import layers

inputs = keras.Input(shape=(784,))
x = layers.Dense(64, activation="relu")(inputs)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # lint-expect: AC104
