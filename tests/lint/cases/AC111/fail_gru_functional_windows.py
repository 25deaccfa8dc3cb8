import numpy as np
import tensorflow as tf

series = np.sin(np.arange(10000) * 0.01)
window = 30
X = np.zeros((5000, window, 1))
Y = np.zeros((5000, window))
inp = tf.keras.Input(shape=(window, 1))
h = tf.keras.layers.GRU(64)(inp)  # lint-expect: AC111
out = tf.keras.layers.Dense(1)(h)
model = tf.keras.Model(inp, out)
model.compile(optimizer="adam", loss="mae")
model.fit(X, Y, epochs=5, batch_size=64)
