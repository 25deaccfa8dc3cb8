import numpy as np
from keras.layers import Dense
from keras.models import Sequential

X = np.random.rand(200, 8)
y = np.random.rand(200, 3)
model = Sequential()
model.add(Dense(16, activation='relu', input_dim=8))
model.add(Dense(1))  # lint-expect: AC111
model.compile(loss='mse', optimizer='adam')
model.fit(X, y, epochs=10)
