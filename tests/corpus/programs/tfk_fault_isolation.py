"""A long notebook-style script: an early experiment wraps an exported SavedModel, which archcalc
does not read; the model the script trains last does not depend on it."""
from tensorflow import keras
from tensorflow.keras import layers

first = keras.Sequential([keras.Input((16,)), layers.Dense(8),
                          layers.TFSMLayer("exported/encoder", call_endpoint="serving_default")])
first.compile("adam", "mse")
first.fit(a, b)

inputs = keras.Input((20,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(1)(x)
final = keras.Model(inputs, outputs, name="final")
final.compile("adam", "mse")
final.fit(c, d, epochs=3)
