"""A model with a frozen nested Sequential, a Bidirectional LSTM and a TimeDistributed Dense:
the input of tests/test_summary.py's --expand-nested goldens (and of its Keras check)."""
import keras
from keras import layers

encoder = keras.Sequential([
    keras.Input((5, 16)),
    layers.Dense(8, activation="relu", name="enc_dense"),
    layers.BatchNormalization(name="enc_bn"),
], name="encoder")
encoder.trainable = False
tokens = keras.Input((5, 16), name="tokens")
x = encoder(tokens)
x = layers.Bidirectional(layers.LSTM(4, return_sequences=True, name="lstm"), name="bi")(x)
x = layers.TimeDistributed(layers.Dense(3, name="head"), name="td_head")(x)
model = keras.Model(tokens, x, name="nested_demo")
