# Hyperparameters in a JSON file beside the script; the network is built from them.
import argparse
import json

from tensorflow import keras
from tensorflow.keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="config.json")
args = parser.parse_args()

with open(args.config) as f:
    cfg = json.load(f)


def build(cfg):
    inputs = keras.Input(shape=(cfg["data"]["n_features"],), name="features")
    x = inputs
    for i, units in enumerate(cfg["model"]["hidden_units"]):
        x = layers.Dense(units, activation=cfg["model"].get("activation", "relu"), name=f"hidden_{i}")(x)
        if cfg["model"]["batch_norm"]:
            x = layers.BatchNormalization()(x)
        x = layers.Dropout(cfg["model"]["dropout"])(x)
    outputs = layers.Dense(cfg["data"]["n_classes"], activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = build(cfg)
model.compile(keras.optimizers.Adam(cfg["train"]["lr"]), "sparse_categorical_crossentropy")
