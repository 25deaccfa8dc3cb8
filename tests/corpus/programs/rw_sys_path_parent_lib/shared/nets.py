"""Builders shared by the chapters of a book-style repository (written for issue 23)."""
from tensorflow.keras.layers import Dense, Input, LeakyReLU
from tensorflow.keras.models import Model


def critic(inputs, width=64):
    x = Dense(width)(inputs)
    x = LeakyReLU(0.2)(x)
    x = Dense(1)(x)
    return Model(inputs, x, name="critic")


def generator(inputs, n_out, width=64):
    x = Dense(width, activation="relu")(inputs)
    x = Dense(n_out, activation="tanh")(x)
    return Model(inputs, x, name="generator")
