# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(32, activation='relu', input_shape=(20,)))
model.add(Dense(3, activation='softmax'))  # lint-expect: AC107
model.compile(loss='mse', optimizer='sgd')
