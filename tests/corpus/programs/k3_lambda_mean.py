"""Sequence regression: average the LSTM states with a Lambda (Keras 3)."""
import numpy as np
import keras
from keras import layers, ops

timesteps, features = 50, 8

rng = np.random.default_rng(0)
X = rng.normal(size=(2000, timesteps, features)).astype("float32")
y = X[:, :, 0].sum(axis=1, keepdims=True)

inputs = keras.Input(shape=(timesteps, features))
h = layers.LSTM(64, return_sequences=True)(inputs)
h = layers.LSTM(32, return_sequences=True)(h)
pooled = layers.Lambda(lambda t: ops.mean(t, axis=1), output_shape=(32,), name="time_mean")(h)
scaled = layers.Lambda(lambda t: t * 0.5, name="halve")(pooled)
out = layers.Dense(1)(scaled)

model = keras.Model(inputs, out)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.summary()
history = model.fit(X, y, validation_split=0.2, epochs=10, batch_size=32)
mse, mae = model.evaluate(X[:200], y[:200], verbose=0)
print("mae", mae)
