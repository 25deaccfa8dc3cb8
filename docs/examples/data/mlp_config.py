import yaml
from tensorflow import keras

with open("config.yaml") as f:
    cfg = yaml.safe_load(f)["model"]

model = keras.Sequential([keras.Input((cfg["inputs"],))])
for units in cfg["hidden"]:
    model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dropout(cfg["dropout"]))
model.add(keras.layers.Dense(cfg["outputs"], activation="softmax"))
