"""Keras 2 stateful LSTM regressor: the first layer names the whole input, batch size included.

Written for the real-program corpus (issue 23): Keras 2 took `batch_input_shape=` on any
first layer; the batch size (here 16) shows in every output shape.
"""
import numpy as np
from keras.layers import LSTM, Dense, TimeDistributed
from keras.models import Sequential
from keras.optimizers import Adam

BATCH, STEPS, FEATURES = 16, 12, 2

model = Sequential()
model.add(LSTM(20, batch_input_shape=(BATCH, STEPS, FEATURES), return_sequences=True, stateful=True))
model.add(TimeDistributed(Dense(1)))
model.compile(optimizer=Adam(lr=0.005), loss="mse")

for step in range(5):
    xs = np.random.rand(BATCH, STEPS, FEATURES)
    model.train_on_batch(xs, xs[:, :, :1])
