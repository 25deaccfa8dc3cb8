"""One-hot letters: the vocabulary size is ord('Z') + 1, a builtin on a string literal.

Written for the real-program corpus (issue 23, second set): ord('Z') + 1 is 91.
"""
import numpy as np
from keras.layers import LSTM, Dense
from keras.models import Sequential

n_unique = ord("Z") + 1
seq_length = 5
X = np.zeros((64, seq_length, n_unique))
y = np.zeros((64, n_unique))

model = Sequential()
model.add(LSTM(32, input_shape=(seq_length, n_unique)))
model.add(Dense(n_unique, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1, batch_size=8)
