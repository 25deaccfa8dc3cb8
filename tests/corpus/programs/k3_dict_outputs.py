"""A functional model with dicts of inputs and outputs (Keras 3 flattens them in key order)."""
import keras
from keras import layers

title = keras.Input((12,), name="title")
body = keras.Input((30,), name="body")
x = layers.Concatenate()([title, body])
x = layers.Dense(16, activation="relu")(x)
priority = layers.Dense(1, name="priority")(x)
department = layers.Dense(4, activation="softmax", name="department")(x)
model = keras.Model({"title": title, "body": body}, {"priority": priority, "department": department})
model.compile("adam", {"priority": "mse", "department": "categorical_crossentropy"})
