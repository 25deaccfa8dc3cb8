# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
import keras
from keras import layers

inputs = keras.Input(shape=(20,))
x = layers.Dense(64, activation='relu')(inputs)
x = layers.Dense(3, activation='softmax')(x)
outputs = layers.Softmax()(x)  # lint-expect: AC304
model = keras.Model(inputs, outputs)
