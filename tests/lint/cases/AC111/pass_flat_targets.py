import numpy as np
from tensorflow import keras

X = np.random.rand(500, 8)
y = np.random.rand(500)
model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(8,)), keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=3)
y2 = y.reshape(-1, 1)
model.fit(X, y2, epochs=3)
