# Bug report: Input 0 of layer lstm_1 is incompatible: expected ndim=3, found ndim=2
from tensorflow import keras

model = keras.Sequential()
model.add(keras.layers.LSTM(50, input_shape=(60, 1)))  # lint-expect: AC206
model.add(keras.layers.LSTM(50))
model.add(keras.layers.Dense(1))
model.compile(optimizer='adam', loss='mean_squared_error')
