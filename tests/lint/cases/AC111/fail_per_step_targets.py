import numpy as np
from keras.layers import LSTM, Dense
from keras.models import Sequential

X = np.random.rand(200, 15, 4)
y = np.random.rand(200, 15, 1)
model = Sequential()
model.add(LSTM(32, input_shape=(15, 4)))  # lint-expect: AC111
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(X, y, epochs=10)
