import json
from tensorflow import keras

with open("settings.json") as f:  # not shipped with this example
    settings = json.load(f)
model = keras.Sequential([
    keras.Input((settings["features"],)),
    keras.layers.Dense(settings["units"], activation="relu"),
    keras.layers.Dense(1),
])
