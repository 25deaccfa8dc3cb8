# ruff: noqa  (a bug report as users write it: kept verbatim, imports and all)
from keras.models import Sequential
from keras.layers import Dense

model = Sequential()
model.add(Dense(64, input_shape=(20,)))  # archcalc: noqa
model.add(Dense(1, activation='sigmoid'))
