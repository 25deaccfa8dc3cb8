# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
# "Input 0 of layer lstm_1 is incompatible: expected ndim=3, found ndim=2".
from keras.models import Sequential
from keras.layers import LSTM, Dense

model = Sequential()
model.add(LSTM(50, input_shape=(60, 1)))  # lint-expect: AC206
model.add(LSTM(50))
model.add(Dense(1))
model.compile(optimizer='adam', loss='mean_squared_error')
