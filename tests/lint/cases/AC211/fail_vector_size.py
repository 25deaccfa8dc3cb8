import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

vocab = 20000
vectors = np.random.normal(size=(vocab, 300))
inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(vocab, 100, weights=[vectors], trainable=False)(inputs)  # lint-expect: AC211
x = layers.GlobalMaxPooling1D()(x)
outputs = layers.Dense(5, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
