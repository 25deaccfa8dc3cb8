"""Univariate forecasting: split a series into windows with a numpy loop, fit an LSTM."""
import numpy as np
import matplotlib.pyplot as plt
import keras
from keras import layers


def split_sequence(sequence, n_steps):
    X, y = [], []
    for i in range(len(sequence)):
        end_ix = i + n_steps
        if end_ix > len(sequence) - 1:
            break
        if np.isnan(sequence[end_ix]):
            continue
        X.append(sequence[i:end_ix])
        y.append(sequence[end_ix])
    return np.array(X), np.array(y)


raw_seq = np.sin(np.linspace(0, 40, 800)) + np.random.normal(0, 0.1, 800)
n_steps = 12
X, y = split_sequence(raw_seq, n_steps)
n_features = 1
X = X.reshape((X.shape[0], X.shape[1], n_features))
print(X.shape, y.shape)

model = keras.Sequential()
model.add(keras.Input(shape=(n_steps, n_features)))
model.add(layers.LSTM(50, activation="relu", return_sequences=True))
model.add(layers.LSTM(50, activation="relu"))
model.add(layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=200, verbose=0)

x_input = raw_seq[-n_steps:].reshape((1, n_steps, n_features))
yhat = model.predict(x_input, verbose=0)
print("next value:", yhat[0][0])

preds = []
window = list(raw_seq[-n_steps:])
while len(preds) < 50:
    nxt = model.predict(np.array(window[-n_steps:]).reshape(1, n_steps, 1), verbose=0)[0, 0]
    preds.append(nxt)
    window.append(nxt)
plt.plot(range(len(raw_seq)), raw_seq)
plt.plot(range(len(raw_seq), len(raw_seq) + 50), preds)
plt.show()
